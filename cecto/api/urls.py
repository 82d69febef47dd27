from django.urls import path, re_path

from cecto.api import views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("programs/", views.program_list, name="program-list"),
    path("programs/<slug:slug>/cohorts/", views.program_cohorts, name="program-cohorts"),
    path("cohorts/<slug:slug>/enrollments/", views.cohort_enrollments, name="cohort-enrollments"),
    path("cohorts/<slug:slug>/sessions/", views.cohort_sessions, name="cohort-sessions"),
    path("me/enrollments/", views.my_enrollments, name="my-enrollments"),
    path("credentials/", views.credential_list, name="credential-list"),
    # Last: any other address ending in a slash is a JSON 404, not the HTML error page (one
    # without the slash is first redirected to it by APPEND_SLASH, as /api/v1/programs is).
    re_path(r"^(?P<rest>(?:.*/)?)$", views.not_found, name="not-found"),
]
