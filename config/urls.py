from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "cecto administration"
admin.site.site_title = "cecto"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("cecto.web.urls")),
]
