from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # Staff sign in through the hub's page, with its backoff (issue 13, hole
    # 12): the admin's own form would be a second, unthrottled way to guess.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
    ),
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
