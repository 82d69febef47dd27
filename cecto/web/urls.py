from django.urls import path

from cecto.web import vc_api, views, views_attendance, views_calendar, views_imports, views_progress
from cecto.web import views_credentials as credentials
from cecto.web import views_mentoring as mentoring
from cecto.web import views_reports as reports
from cecto.web import views_sessions as sessions

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("programs/", views.program_list, name="program-list"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
    path("programs/<slug:slug>/report/", reports.program_report, name="program-report"),
    path("programs/<slug:slug>/report.csv", reports.program_report_csv, name="program-report-csv"),
    path("cohorts/<slug:slug>/", views.cohort_detail, name="cohort-detail"),
    path("cohorts/<slug:slug>/calendar/", views_calendar.cohort_calendar, name="cohort-calendar"),
    path(
        "cohorts/<slug:slug>/sessions/new-series/",
        sessions.session_series_create_view,
        name="session-series-create",
    ),
    path("sessions/<uuid:session_uuid>/cancel/", sessions.session_cancel_view, name="session-cancel"),
    path(
        "cohorts/<slug:slug>/calendar.ics", views_calendar.cohort_calendar_feed, name="cohort-calendar-feed"
    ),
    path("calendar/", views_calendar.person_calendar, name="person-calendar"),
    path("calendar/rotate/", views_calendar.person_calendar_rotate, name="person-calendar-rotate"),
    path("calendar/<str:token>.ics", views_calendar.person_calendar_feed, name="person-calendar-feed"),
    path("enrollments/<uuid:enrollment_uuid>/", views.enrollment_detail, name="enrollment-detail"),
    path("district-team/", views.district_team, name="district-team"),
    path("sessions/<uuid:session_uuid>/roll-call/", views_attendance.roll_call, name="roll-call"),
    path(
        "sessions/<uuid:session_uuid>/check-in/display/",
        views_attendance.check_in_display,
        name="check-in-display",
    ),
    path("check-in/<str:token>/", views_attendance.check_in, name="check-in"),
    path(
        "sessions/<uuid:session_uuid>/complete/",
        views_attendance.completion_submit_view,
        name="completion-submit",
    ),
    path("cohorts/<slug:slug>/completions/", views_attendance.completion_list, name="completion-list"),
    path(
        "enrollments/<uuid:enrollment_uuid>/progress/",
        views_progress.enrollment_progress,
        name="enrollment-progress",
    ),
    path(
        "enrollments/<uuid:enrollment_uuid>/transcript.csv",
        views_progress.enrollment_transcript_csv,
        name="enrollment-transcript-csv",
    ),
    path("cohorts/<slug:slug>/dashboard/", views_progress.cohort_dashboard, name="cohort-dashboard"),
    path(
        "cohorts/<slug:slug>/dashboard.csv", views_progress.cohort_dashboard_csv, name="cohort-dashboard-csv"
    ),
    path(
        "cohorts/<slug:slug>/dashboard.xlsx",
        views_progress.cohort_dashboard_xlsx,
        name="cohort-dashboard-xlsx",
    ),
    path("sessions/<uuid:session_uuid>/review/", views_imports.session_review, name="session-review"),
    path("sessions/<uuid:session_uuid>/review/import/", views_imports.session_import, name="session-import"),
    path(
        "sessions/<uuid:session_uuid>/review/<uuid:unmatched_uuid>/resolve/",
        views_imports.unmatched_resolve,
        name="unmatched-resolve",
    ),
    path(
        "sessions/<uuid:session_uuid>/review/<uuid:unmatched_uuid>/dismiss/",
        views_imports.unmatched_dismiss,
        name="unmatched-dismiss",
    ),
    path("cohorts/<slug:slug>/matching/", mentoring.matching_board, name="matching-board"),
    path("cohorts/<slug:slug>/matching/run/", mentoring.matching_run, name="matching-run"),
    path("cohorts/<slug:slug>/matching/accept/", mentoring.matching_accept, name="matching-accept"),
    path(
        "cohorts/<slug:slug>/matching/pin/", mentoring.matching_pair, {"action": "pin"}, name="matching-pin"
    ),
    path(
        "cohorts/<slug:slug>/matching/unpin/",
        mentoring.matching_pair,
        {"action": "unpin"},
        name="matching-unpin",
    ),
    path(
        "cohorts/<slug:slug>/matching/forbid/",
        mentoring.matching_pair,
        {"action": "forbid"},
        name="matching-forbid",
    ),
    path(
        "cohorts/<slug:slug>/matching/unforbid/",
        mentoring.matching_pair,
        {"action": "unforbid"},
        name="matching-unforbid",
    ),
    path("cohorts/<slug:slug>/mentoring-health/", mentoring.mentoring_health, name="mentoring-health"),
    path("mentoring/", mentoring.mentoring_home, name="mentoring-home"),
    path("mentoring/matches/<uuid:match_uuid>/", mentoring.match_detail, name="match-detail"),
    path("mentoring/matches/<uuid:match_uuid>/meetings/", mentoring.meeting_create, name="meeting-create"),
    path("mentoring/matches/<uuid:match_uuid>/goals/", mentoring.goal_add, name="goal-create"),
    path("mentoring/goals/<uuid:goal_uuid>/", mentoring.goal_change, name="goal-update"),
    path("mentoring/intake/<uuid:enrollment_uuid>/", mentoring.mentee_intake, name="mentee-intake"),
    # Credentials: public pages first (anyone may open them), then the holder's and the staff's.
    path("credentials/", credentials.credential_list, name="credential-list"),
    path("credentials/<uuid:credential_uuid>/", credentials.credential_detail, name="credential-detail"),
    path("credentials/<uuid:credential_uuid>.json", credentials.credential_json, name="credential-json"),
    path(
        "credentials/<uuid:credential_uuid>/certificate.pdf",
        credentials.credential_certificate,
        name="credential-certificate",
    ),
    path(
        "credentials/<uuid:credential_uuid>/status/", credentials.credential_status, name="credential-status"
    ),
    path("credentials/status/<int:number>/<str:purpose>", vc_api.status_list, name="status-list"),
    path("verify/", credentials.verify, name="verify"),
    path("achievements/<uuid:achievement_uuid>/", credentials.achievement_detail, name="achievement-detail"),
    path("frameworks/cosn/", credentials.framework_detail, name="framework-detail"),
    path("cohorts/<slug:slug>/graduation/", credentials.graduation, name="graduation"),
    path("cohorts/<slug:slug>/graduation/issue/", credentials.graduation_issue, name="graduation-issue"),
    path(
        "cohorts/<slug:slug>/graduation/runs/<uuid:run_uuid>/",
        credentials.graduation_run,
        name="graduation-run",
    ),
    path(
        "cohorts/<slug:slug>/graduation/certificates.pdf",
        credentials.graduation_certificates,
        name="graduation-certificates",
    ),
]
