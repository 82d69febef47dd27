from django.contrib import admin
from django.urls import include, path

from cecto.web import vc_api

admin.site.site_header = "cecto administration"
admin.site.site_title = "cecto"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("cecto.api.urls")),
    # The issuer's did:web document and the W3C VC-API routes, where the specifications put them.
    path(".well-known/did.json", vc_api.did_document, name="did-document"),
    path("credentials/issue", vc_api.credentials_issue, name="vc-api-issue"),
    path("credentials/verify", vc_api.credentials_verify, name="vc-api-verify"),
    path("presentations/verify", vc_api.presentations_verify, name="vc-api-presentations-verify"),
    path("", include("cecto.web.urls")),
]
