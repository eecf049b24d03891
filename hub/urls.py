from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # The Hugging Face Hub protocol: /api/... and /{namespace}/{name}/resolve/...
    path("", include("api.hf.urls")),
]
