"""HTTP: the review page of a session's attendance files, its uploads, resolutions and dismissals."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cecto.ledger.api import net_minutes
from cecto.scheduling.models import AttendanceImport, AttendanceRecord, UnmatchedParticipant
from cecto.scheduling.tests.factories import SessionFactory
from cecto.scheduling.tests.import_workshop import Workshop, make_workshop, sample
from cecto.web import views_imports


@pytest.fixture
def workshop(cast) -> Workshop:
    return make_workshop(cohort=cast.cohort, pat=cast.participant_enrollment.person)


def review_url(workshop: Workshop) -> str:
    return reverse("web:session-review", args=[workshop.session.uuid])


def import_url(workshop: Workshop) -> str:
    return reverse("web:session-import", args=[workshop.session.uuid])


def resolve_url(workshop: Workshop, unmatched: UnmatchedParticipant) -> str:
    return reverse("web:unmatched-resolve", args=[workshop.session.uuid, unmatched.uuid])


def dismiss_url(workshop: Workshop, unmatched: UnmatchedParticipant) -> str:
    return reverse("web:unmatched-dismiss", args=[workshop.session.uuid, unmatched.uuid])


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample(name) if data is None else data, content_type="text/csv")


def said(response) -> str:
    """The page's outcome line: the status after an import or a resolution, or the refusal."""
    context = response.context
    return context["error"] or context["notice"] or (context["result"].summary() if context["result"] else "")


@pytest.fixture
def imported(client, cast, workshop) -> Workshop:
    client.force_login(cast.admin)
    client.post(import_url(workshop), {"kind": "auto", "file": upload("zoom_participants_with_summary.csv")})
    client.logout()
    return workshop


def test_the_administrator_sees_the_queue_the_form_and_the_imports(
    client, cast, imported, django_assert_max_num_queries
):
    client.force_login(cast.admin)

    with django_assert_max_num_queries(12):
        response = client.get(review_url(imported))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Attendance files: Session 7: Cybersecurity leadership" in html
    assert 'enctype="multipart/form-data"' in html
    for unmatched in UnmatchedParticipant.objects.filter(status="pending"):
        assert resolve_url(imported, unmatched) in html
        assert dismiss_url(imported, unmatched) in html
    assert f'<option value="{imported.chris.uuid}">Chris Lee (chris.lee@person.k12.example)</option>' in html
    assert f'value="{imported.dana.uuid}"' not in html  # withdrawn: not a choice
    assert "zoom_participants_with_summary.csv" in html
    assert "csrfmiddlewaretoken" in html


def test_the_queue_page_costs_the_same_with_more_people_waiting(
    client, cast, imported, django_assert_max_num_queries
):
    for n in range(30):
        UnmatchedParticipant.objects.create(
            attendance_import=AttendanceImport.objects.get(),
            session=imported.session,
            name=f"Guest {n}",
            minutes=30,
        )
    client.force_login(cast.admin)

    with django_assert_max_num_queries(12):
        response = client.get(review_url(imported))

    assert response.content.decode().count("Guest ") >= 30


def test_an_outsider_gets_404(client, cast, workshop):
    client.force_login(cast.outsider)

    assert client.get(review_url(workshop)).status_code == 404
    assert client.post(import_url(workshop), {"kind": "auto"}).status_code == 404


@pytest.mark.parametrize("who", ["instructor", "participant", "superintendent"])
def test_who_sees_the_class_but_does_not_manage_it_gets_403(client, cast, imported, who):
    client.force_login(getattr(cast, who))
    unmatched = UnmatchedParticipant.objects.filter(status="pending").first()

    assert client.get(review_url(imported)).status_code == 403
    assert (
        client.post(
            import_url(imported), {"kind": "auto", "file": upload("zoom_participants.csv")}
        ).status_code
        == 403
    )
    response = client.post(resolve_url(imported, unmatched), {"enrollment": str(imported.chris.uuid)})
    assert response.status_code == 403
    assert client.post(dismiss_url(imported, unmatched), {"reason": "x"}).status_code == 403
    assert UnmatchedParticipant.objects.get(pk=unmatched.pk).status == "pending"


def test_a_visitor_is_sent_to_log_in(client, workshop):
    response = client.get(review_url(workshop))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_uploading_a_teams_report_imports_it_and_says_so(client, cast, workshop):
    client.force_login(cast.admin)

    response = client.post(
        import_url(workshop), {"kind": "auto", "file": upload("teams_attendance_report.csv")}
    )

    assert response.status_code == 200
    # The cast has a Sam Superintendent of its own: the e-mail-less "Sam Superintendent" is ambiguous.
    assert said(response) == (
        "teams_attendance_report.csv: 7 rows read; 2 people recorded (2 new, 0 corrected, 0 unchanged); "
        "2 unmatched, waiting for review; 1 instructors or administrators not counted."
    )
    record = AttendanceRecord.objects.get(enrollment=workshop.pat, session=workshop.session)
    assert (record.minutes_attended, record.recorded_by) == (180, cast.admin)
    assert AttendanceImport.objects.get().imported_by == cast.admin


def test_uploading_our_csv(client, cast, workshop):
    client.force_login(cast.admin)

    response = client.post(
        import_url(workshop), {"kind": "csv", "file": upload("attendance_excel_cp1252.csv")}
    )

    assert "2 people recorded" in said(response)
    assert "2 people recorded" in response.content.decode()
    assert (
        AttendanceRecord.objects.get(enrollment=workshop.jose).note
        == "Jos\xe9 presented the district\u2019s plan"
    )


def test_a_file_with_errors_is_shown_line_by_line_and_nothing_is_written(client, cast, workshop):
    client.force_login(cast.admin)
    data = (
        b"email,status,minutes_attended\npat.participant@wake.k12.example,late,\nnobody@x.example,present,\n"
    )

    response = client.post(import_url(workshop), {"kind": "csv", "file": upload("mine.csv", data)})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported: 1 problem." in html
    assert "Line 2, column “minutes_attended”: A late row needs the minutes attended." in html
    assert AttendanceImport.objects.count() == 0
    assert AttendanceRecord.objects.count() == 0


def test_a_file_over_the_limit_is_refused(client, cast, workshop, monkeypatch):
    monkeypatch.setattr(views_imports, "MAX_UPLOAD_BYTES", 100)
    client.force_login(cast.admin)

    response = client.post(
        import_url(workshop), {"kind": "auto", "file": upload("zoom_participants_with_summary.csv")}
    )

    assert response.status_code == 400
    assert "larger than 20 MB" in response.content.decode()
    assert AttendanceImport.objects.count() == 0


def test_an_upload_without_a_file_is_refused(client, cast, workshop):
    client.force_login(cast.admin)

    response = client.post(import_url(workshop), {"kind": "auto"})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_resolving_credits_the_ledger(client, cast, imported):
    client.force_login(cast.admin)
    chris_lee = UnmatchedParticipant.objects.get(name="Chris Lee")

    response = client.post(
        resolve_url(imported, chris_lee), {"enrollment": str(imported.chris.uuid)}, follow=True
    )

    assert response.redirect_chain == [(review_url(imported) + f"?done={chris_lee.uuid}", 302)]
    assert said(response) == "Chris Lee is Chris Lee: present, 176 minutes."
    assert net_minutes(enrollment_ref=imported.chris.uuid, session_ref=imported.session.uuid) == 176
    chris_lee.refresh_from_db()
    assert (chris_lee.status, chris_lee.resolved_by) == ("resolved", cast.admin)
    assert resolve_url(imported, chris_lee) not in response.content.decode()


def test_resolving_to_someone_not_in_the_list_is_refused(client, cast, imported):
    client.force_login(cast.admin)
    chris_lee = UnmatchedParticipant.objects.get(name="Chris Lee")

    response = client.post(resolve_url(imported, chris_lee), {"enrollment": str(imported.dana.uuid)})

    assert response.status_code == 400
    assert said(response) == "Chris Lee: choose who this is from the list."
    assert UnmatchedParticipant.objects.get(pk=chris_lee.pk).status == "pending"


def test_a_refused_resolution_says_why(client, cast, imported):
    client.force_login(cast.admin)
    chris_lee = UnmatchedParticipant.objects.get(name="Chris Lee")

    response = client.post(resolve_url(imported, chris_lee), {"enrollment": str(imported.lee.uuid)})

    assert response.status_code == 400
    assert "enrolled on Dec 1, 2026" in said(response)
    assert UnmatchedParticipant.objects.get(pk=chris_lee.pk).status == "pending"


def test_dismissing_needs_a_reason(client, cast, imported):
    client.force_login(cast.admin)
    caller = UnmatchedParticipant.objects.get(name="Call-in User_1")

    refused = client.post(dismiss_url(imported, caller), {"reason": ""})
    done = client.post(dismiss_url(imported, caller), {"reason": "The facilitator's phone"}, follow=True)
    again = client.post(dismiss_url(imported, caller), {"reason": "Twice"})

    assert (refused.status_code, said(refused)) == (
        400,
        "Call-in User_1: say why the participant is dismissed.",
    )
    assert said(done) == "Call-in User_1 dismissed."
    assert (again.status_code, said(again)) == (
        400,
        "Call-in User_1 was already dismissed (not a participant).",
    )
    assert UnmatchedParticipant.objects.get(pk=caller.pk).status == "dismissed"


def test_the_notice_ignores_what_it_cannot_name(client, cast, imported):
    client.force_login(cast.admin)
    pending = UnmatchedParticipant.objects.get(name="Chris Lee")

    assert said(client.get(review_url(imported) + "?done=not-a-uuid")) == ""
    assert said(client.get(review_url(imported) + f"?done={pending.uuid}")) == ""


def test_an_import_shows_its_warnings_on_the_page(client, cast, workshop):
    client.force_login(cast.admin)

    response = client.post(
        import_url(workshop), {"kind": "zoom", "file": upload("zoom_participants_with_summary.csv")}
    )

    html = response.content.decode()
    assert "Worth knowing" in html
    assert (
        "Line 11: Lee Latecomer enrolled on Dec 1, 2026, after the session (Nov 14, 2026): skipped." in html
    )


def test_a_participant_of_another_session_is_not_found(client, cast, imported):
    client.force_login(cast.admin)
    unmatched = UnmatchedParticipant.objects.get(name="Chris Lee")
    elsewhere = SessionFactory(cohort=cast.cohort)
    url = reverse("web:unmatched-dismiss", args=[elsewhere.uuid, unmatched.uuid])

    assert client.post(url, {"reason": "x"}).status_code == 404
    assert UnmatchedParticipant.objects.get(pk=unmatched.pk).status == "pending"


def test_the_forms_need_post_and_a_csrf_token(cast, imported):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin)
    caller = UnmatchedParticipant.objects.get(name="Call-in User_1")

    assert client.get(dismiss_url(imported, caller)).status_code == 405
    assert client.post(dismiss_url(imported, caller), {"reason": "x"}).status_code == 403
    assert UnmatchedParticipant.objects.get(pk=caller.pk).status == "pending"
