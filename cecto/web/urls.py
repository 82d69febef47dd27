from django.urls import path

from cecto.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("programs/", views.program_list, name="program-list"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
    path("cohorts/<slug:slug>/", views.cohort_detail, name="cohort-detail"),
    path("enrollments/<uuid:enrollment_uuid>/", views.enrollment_detail, name="enrollment-detail"),
    path("district-team/", views.district_team, name="district-team"),
]
