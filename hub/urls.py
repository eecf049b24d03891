from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.v1.urls")),
    # The Hugging Face Hub protocol: /api/... and /{namespace}/{name}/resolve/...
    path("", include("api.hf.urls")),
    # Pages last: /{namespace}/{name} would shadow everything after it.
    path("", include("hub.web.urls")),
]

# The hub's own error pages in the site's layout (hub/web/views/errors.py).
handler400 = "hub.web.views.errors.bad_request"
handler500 = "hub.web.views.errors.server_error"
