"""HTTP: roll call, QR check-in, self-paced completions, and their links on other pages."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cecto.ledger.api import balance_for
from cecto.people.tests.factories import PersonFactory, UserFactory
from cecto.scheduling.attendance import attendance_record
from cecto.scheduling.check_in import check_in_session_for, check_in_token_for
from cecto.scheduling.models import AttendanceRecord, Enrollment, SelfPacedCompletion, Session
from cecto.scheduling.self_paced import completion_submit
from cecto.scheduling.tests.factories import (
    CohortFactory,
    CohortInstructorFactory,
    EnrollmentFactory,
    SessionFactory,
)
from cecto.web import views_attendance

A = AttendanceRecord.Status
STARTS = dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC)  # 10:00 AM in New York
DURING = STARTS + dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(DURING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def session(cast):
    return SessionFactory(
        cohort=cast.cohort, title="Kick-off", starts_at=STARTS, ends_at=STARTS + dt.timedelta(hours=7)
    )


@pytest.fixture
def module(cast):
    return SessionFactory(
        cohort=cast.cohort,
        title="Month 1: self-paced module",
        mode=Session.Mode.ONLINE_SELF_PACED,
        location="",
        track=cast.participant_enrollment.track,
        starts_at=STARTS - dt.timedelta(days=7),
        ends_at=STARTS + dt.timedelta(days=20),
        contact_minutes=270,
    )


def html(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def roll_call_url(session: Session) -> str:
    return reverse("web:roll-call", args=[session.uuid])


def prefix(enrollment: Enrollment) -> str:
    return f"e-{enrollment.uuid}"


def form_data(*rows: tuple[Enrollment, str, object, str, int]) -> dict[str, object]:
    data: dict[str, object] = {}
    for enrollment, status, minutes, note, version in rows:
        p = prefix(enrollment)
        data |= {f"{p}-status": status, f"{p}-minutes": minutes, f"{p}-note": note, f"{p}-version": version}
    return data


def both(cast, *, pat=(A.PRESENT, 360, ""), sam=(A.PRESENT, 360, ""), version=0):
    return form_data(
        (cast.participant_enrollment, *pat, version),
        (cast.superintendent_enrollment, *sam, version),
    )


# --- roll call: access -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["instructor", "admin"])
def test_staff_open_the_roll_call_with_everyone_present_by_default(client, cast, session, who):
    client.force_login(getattr(cast, who))

    response = client.get(roll_call_url(session))

    assert response.status_code == 200
    page = html(response)
    assert "Roll call: Kick-off" in page
    assert "Pat Participant" in page
    assert "Sam Superintendent" in page
    assert page.count('<option value="present" selected>') == 2
    assert f'name="{prefix(cast.participant_enrollment)}-minutes" value="360"' in page
    assert "Save roll call" in page


def test_a_participant_gets_403_on_the_roll_call(client, cast, session):
    client.force_login(cast.participant)

    assert client.get(roll_call_url(session)).status_code == 403
    assert client.post(roll_call_url(session), both(cast)).status_code == 403
    assert not AttendanceRecord.objects.exists()


def test_an_outsider_gets_404_on_the_roll_call(client, cast, session):
    client.force_login(cast.outsider)

    assert client.get(roll_call_url(session)).status_code == 404


def test_an_unknown_session_is_404(client, cast):
    client.force_login(cast.instructor)

    assert (
        client.get(reverse("web:roll-call", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404
    )


def test_a_visitor_is_sent_to_log_in(client, cast, session):
    response = client.get(roll_call_url(session))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={roll_call_url(session)}"


def test_a_track_session_lists_that_track_and_shows_who_joined_later(client, cast, session):
    session.track = cast.participant_enrollment.track
    session.save()
    EnrollmentFactory(
        cohort=cast.cohort,
        track=session.track,
        enrolled_on=dt.date(2026, 4, 1),
        person=PersonFactory(full_name="Lee Later"),
    )
    client.force_login(cast.instructor)

    response = client.get(roll_call_url(session))

    page = html(response)
    assert [row.enrollment.person.full_name for row, _, _ in response.context["entries"]] == [
        "Pat Participant"
    ]
    assert "Sam Superintendent" not in page
    assert "Joined later" in page
    assert "Lee Later (enrolled Apr 1, 2026)" in page


def test_a_roll_call_not_open_yet_has_no_save_button(client, cast, session, frozen):
    frozen.move_to(STARTS - dt.timedelta(hours=2))
    client.force_login(cast.instructor)

    response = client.get(roll_call_url(session))

    page = html(response)
    assert "opens at 9:30 AM on Mar 10, 2026" in page
    assert "Save roll call" not in page

    response = client.post(roll_call_url(session), both(cast))

    assert response.status_code == 200
    assert not AttendanceRecord.objects.exists()


# --- roll call: saving -------------------------------------------------------------------------


def test_saving_records_everyone_and_shows_the_saved_state(client, cast, session):
    client.force_login(cast.instructor)

    response = client.post(
        roll_call_url(session), both(cast, pat=(A.LATE, 60, "Snow"), sam=(A.ABSENT, "", ""))
    )

    assert response.status_code == 302
    assert response["Location"] == roll_call_url(session) + "?saved=1"
    pat = AttendanceRecord.objects.get(enrollment=cast.participant_enrollment)
    assert (pat.status, pat.minutes_attended, pat.note, pat.source_kind) == (A.LATE, 60, "Snow", "roll_call")
    assert balance_for(cast.participant_enrollment.uuid).instruction_minutes == 60

    page = html(client.get(response["Location"]))
    assert '<p class="done" role="status">Roll call saved: 1 late, 1 absent.</p>' in page
    assert "Recorded: late, 60 min (Roll call)" in page
    assert "Recorded: absent, 0 min (Roll call)" in page
    assert f'name="{prefix(cast.participant_enrollment)}-version" value="1"' in page


def test_the_message_counts_every_status(client, cast, session):
    client.force_login(cast.admin)

    response = client.post(roll_call_url(session), both(cast), follow=True)

    assert "Roll call saved: 2 present." in html(response)


def test_a_wrong_row_saves_nothing_and_is_marked_next_to_the_person(client, cast, session):
    client.force_login(cast.instructor)

    response = client.post(roll_call_url(session), both(cast, pat=(A.LATE, "", ""), sam=(A.ABSENT, "", "")))

    assert response.status_code == 200
    assert not AttendanceRecord.objects.exists()
    page = html(response)
    assert "Nothing was saved: 1 row needs a correction (marked below)." in page
    problem_id = f"problem-{cast.participant_enrollment.uuid}"
    assert f'aria-describedby="{problem_id}"' in page
    assert re.search(rf'id="{problem_id}">Give the minutes Pat Participant attended \(late\)\.<', page)
    # What the instructor typed is still there.
    assert '<option value="absent" selected>' in page


def test_a_malformed_row_saves_nothing(client, cast, session):
    client.force_login(cast.instructor)

    response = client.post(roll_call_url(session), both(cast, pat=(A.LATE, "ten", "")))

    assert response.status_code == 200
    assert not AttendanceRecord.objects.exists()
    page = html(response)
    assert "Nothing was saved: correct the rows marked below." in page
    assert "Enter a whole number." in page
    assert 'aria-invalid="true"' in page


def test_two_instructors_opening_one_roll_call_never_lose_an_update(client, cast, session):
    colleague = UserFactory(username="colleague")
    CohortInstructorFactory(cohort=cast.cohort, person=PersonFactory(user=colleague, full_name="Sam Okafor"))
    first, second = Client(), Client()
    first.force_login(colleague)
    second.force_login(cast.instructor)
    shown = [c.get(roll_call_url(session)).context["entries"] for c in (first, second)]
    assert [row.version for row, _, _ in shown[0]] == [row.version for row, _, _ in shown[1]] == [0, 0]

    saved = first.post(roll_call_url(session), both(cast, pat=(A.LATE, 45, "Bus")))
    refused = second.post(roll_call_url(session), both(cast, pat=(A.ABSENT, "", ""), sam=(A.EXCUSED, "", "")))

    assert saved.status_code == 302
    assert refused.status_code == 200
    page = html(refused)
    assert "Nothing was saved: someone changed the attendance of Pat Participant, Sam Superintendent" in page
    assert "Pat Participant&#x27;s attendance was changed by Sam Okafor while you were editing: " in page
    assert "it is now late, 45 minutes (&quot;Bus&quot;)." in page
    # The first save stands; the second changed nothing.
    pat = AttendanceRecord.objects.get(enrollment=cast.participant_enrollment)
    assert (pat.status, pat.minutes_attended, pat.version) == (A.LATE, 45, 1)
    assert AttendanceRecord.objects.get(enrollment=cast.superintendent_enrollment).status == A.PRESENT
    # The form now shows the current record and version, so saving again is a deliberate choice.
    p = prefix(cast.participant_enrollment)
    assert f'name="{p}-version" value="1"' in page
    assert f'name="{p}-minutes" value="45"' in page

    again = second.post(
        roll_call_url(session), both(cast, pat=(A.LATE, 45, "Bus"), sam=(A.EXCUSED, "", ""), version=1)
    )

    assert again.status_code == 302
    assert AttendanceRecord.objects.get(enrollment=cast.superintendent_enrollment).status == A.EXCUSED


def build_class(size: int, instructor) -> Session:
    cohort = CohortFactory()
    CohortInstructorFactory(cohort=cohort, person=instructor.person)
    enrollments = EnrollmentFactory.create_batch(size, cohort=cohort)
    session = SessionFactory(cohort=cohort, starts_at=STARTS, ends_at=STARTS + dt.timedelta(hours=7))
    attendance_record(
        enrollment=enrollments[0],
        session=session,
        status=A.LATE,
        minutes_attended=10,
        source_kind="roll_call",
        by=instructor,
    )
    return session


def test_the_roll_call_page_runs_the_same_queries_for_5_and_for_40_enrollments(
    client, db, django_assert_num_queries
):
    instructor = UserFactory(username="teacher")
    PersonFactory(user=instructor)
    small, large = build_class(5, instructor), build_class(40, instructor)
    client.force_login(instructor)

    with CaptureQueriesContext(connection) as measured:
        assert len(client.get(roll_call_url(small)).context["entries"]) == 5
    with django_assert_num_queries(len(measured.captured_queries)):
        assert len(client.get(roll_call_url(large)).context["entries"]) == 40
    assert len(measured.captured_queries) <= 10


# --- QR check-in: the display ------------------------------------------------------------------


def display_url(session: Session) -> str:
    return reverse("web:check-in-display", args=[session.uuid])


def test_the_display_shows_a_code_for_an_absolute_check_in_url_and_refreshes_itself(
    client, cast, session, monkeypatch
):
    encoded: list[str] = []
    real_qr_svg = views_attendance._qr_svg
    monkeypatch.setattr(views_attendance, "_qr_svg", lambda url: encoded.append(url) or real_qr_svg(url))
    client.force_login(cast.instructor)

    response = client.get(display_url(session))

    page = html(response)
    assert 'check_in_display.js" data-rotates-seconds="30"' in page
    assert "http-equiv" not in page  # a meta refresh cannot be paused (WCAG 2.2.1)
    assert '<svg viewBox="' in page
    assert 'class="qr-code"' in page
    assert 'role="img" aria-label="QR code for checking in to Kick-off"' in page
    assert "0 checked in so far" in page
    (url,) = encoded
    assert url.startswith("http://testserver/check-in/")
    assert check_in_session_for(url.removeprefix("http://testserver/check-in/").removesuffix("/")) == session


def test_a_paused_display_does_not_refresh(client, cast, session):
    client.force_login(cast.instructor)

    page = html(client.get(display_url(session) + "?paused=1"))

    assert "check_in_display.js" not in page
    assert "Paused: this code stops working 90 seconds after it appeared." in page


def test_the_display_before_the_window_says_when_it_opens(client, cast, session, frozen):
    frozen.move_to(STARTS - dt.timedelta(hours=1))
    client.force_login(cast.instructor)

    page = html(client.get(display_url(session)))

    assert "<svg" not in page
    assert "check_in_display.js" not in page
    assert (
        "Check-in is open from 9:30 AM (half an hour before the start) until the end at 5:00 PM EDT" in page
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"mode": Session.Mode.ONLINE_LIVE, "meeting_url": "https://meet.example/x"},
            "Check-in codes are for in-person sessions",
        ),
        ({"status": Session.Status.CANCELLED}, "was cancelled: there is nothing to check in to"),
    ],
)
def test_the_display_of_a_session_without_check_in_says_why(client, cast, session, change, message):
    Session.objects.filter(pk=session.pk).update(**change)
    client.force_login(cast.instructor)

    page = html(client.get(display_url(session)))

    assert message in page
    assert "<svg" not in page


def test_the_display_is_for_staff_only(client, cast, session):
    client.force_login(cast.participant)
    assert client.get(display_url(session)).status_code == 403
    client.force_login(cast.outsider)
    assert client.get(display_url(session)).status_code == 404


# --- QR check-in: the participant's phone ------------------------------------------------------


@pytest.fixture
def check_in_url(session):
    return reverse("web:check-in", args=[check_in_token_for(session)])


def test_scanning_asks_to_log_in_and_comes_back(client, cast, check_in_url):
    response = client.get(check_in_url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={quote(check_in_url, safe='/')}"


def test_a_participant_confirms_and_is_checked_in_once(client, cast, session, check_in_url, frozen):
    client.force_login(cast.participant)

    page = html(client.get(check_in_url))
    assert "Check in to Kick-off as Pat Participant?" in page
    assert "csrfmiddlewaretoken" in page

    response = client.post(check_in_url)

    assert response.status_code == 200
    assert "You are checked in" in html(response)
    assert "checked in at 11:00 AM" in html(response)
    record = AttendanceRecord.objects.get()
    assert (record.enrollment, record.source_kind, record.status) == (
        cast.participant_enrollment,
        "qr_check_in",
        A.PRESENT,
    )

    frozen.shift(20)
    again = client.get(check_in_url)
    assert again.status_code == 200
    assert "You already checked in at 11:00 AM." in html(again)
    assert client.post(check_in_url).status_code == 200
    assert AttendanceRecord.objects.get().version == 1


def test_a_check_in_after_a_roll_call_changes_nothing(client, cast, session, check_in_url):
    attendance_record(
        enrollment=cast.participant_enrollment,
        session=session,
        status=A.ABSENT,
        source_kind="roll_call",
        by=cast.instructor,
    )
    client.force_login(cast.participant)

    page = html(client.post(check_in_url))

    assert "The roll call already has you as absent: checking in changes nothing." in page
    assert AttendanceRecord.objects.get().status == A.ABSENT


def test_an_expired_code_says_to_scan_the_new_one(client, cast, check_in_url, frozen):
    frozen.shift(91)
    client.force_login(cast.participant)

    response = client.get(check_in_url)

    assert response.status_code == 410
    assert "This code has expired: scan the new one on the screen." in html(response)
    assert client.post(check_in_url).status_code == 410
    assert not AttendanceRecord.objects.exists()


def test_a_forged_code_is_404(client, cast, check_in_url):
    client.force_login(cast.participant)

    response = client.post(check_in_url.replace("check-in/", "check-in/x", 1))

    assert response.status_code == 404
    assert "This is not a cecto check-in code." in html(response)


def test_someone_not_in_the_class_cannot_check_in(client, cast, check_in_url):
    client.force_login(cast.outsider)

    response = client.post(check_in_url)

    assert response.status_code == 403
    assert "You are not enrolled in" in html(response)
    assert not AttendanceRecord.objects.exists()


def test_check_in_outside_the_window_is_refused(client, cast, session, frozen):
    frozen.move_to(STARTS + dt.timedelta(hours=7, minutes=1))
    url = reverse("web:check-in", args=[check_in_token_for(session)])
    client.force_login(cast.participant)

    response = client.get(url)

    assert response.status_code == 403
    assert "Kick-off ended at 5:00 PM: ask the instructor to mark you on the roll call." in html(response)


# --- self-paced completions --------------------------------------------------------------------


def complete_url(session: Session) -> str:
    return reverse("web:completion-submit", args=[session.uuid])


def completions_url(cast) -> str:
    return reverse("web:completion-list", args=[cast.cohort.slug])


def test_a_participant_marks_a_module_complete(client, cast, module):
    client.force_login(cast.participant)

    response = client.post(complete_url(module))

    assert response.status_code == 302
    assert response["Location"] == reverse("web:cohort-detail", args=[cast.cohort.slug]) + "#sessions"
    assert messages_of(response) == [
        "Month 1: self-paced module is marked complete: your instructor will approve it."
    ]
    assert SelfPacedCompletion.objects.get().status == SelfPacedCompletion.Status.SUBMITTED


def test_marking_complete_is_a_post(client, cast, module):
    client.force_login(cast.participant)

    assert client.get(complete_url(module)).status_code == 405


def test_a_refused_completion_says_why(client, cast, module):
    client.force_login(cast.superintendent)  # another track

    response = client.post(complete_url(module), follow=True)

    assert "is for " in html(response)
    assert not SelfPacedCompletion.objects.exists()


def test_only_a_member_marks_a_module_complete(client, cast, module):
    client.force_login(cast.instructor)
    assert client.post(complete_url(module)).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(complete_url(module)).status_code == 404
    client.logout()
    assert client.post(complete_url(module)).status_code == 302


@pytest.fixture
def submitted(cast, module):
    return completion_submit(enrollment=cast.participant_enrollment, session=module, by=cast.participant)


def test_staff_see_pending_completions(client, cast, submitted):
    client.force_login(cast.instructor)

    response = client.get(completions_url(cast))

    assert response.status_code == 200
    assert list(response.context["pending"]) == [submitted]
    assert "Pat Participant: Month 1: self-paced module" in html(response)


def test_approving_credits_the_seat_time(client, cast, submitted):
    client.force_login(cast.instructor)

    response = client.post(
        completions_url(cast), {"completion": submitted.uuid, "decision": "approve", "note": ""}
    )

    assert response.status_code == 302
    assert messages_of(response) == ["Pat Participant's Month 1: self-paced module: approved."]
    assert balance_for(cast.participant_enrollment.uuid).instruction_minutes == 270
    page = html(client.get(completions_url(cast)))
    assert "No completion is waiting for approval." in page
    assert "Approved" in page


def test_returning_needs_a_note(client, cast, submitted):
    client.force_login(cast.admin)

    response = client.post(
        completions_url(cast), {"completion": submitted.uuid, "decision": "return", "note": ""}
    )

    assert messages_of(response) == ["Say what to change: the participant sees your note."]
    submitted.refresh_from_db()
    assert submitted.status == SelfPacedCompletion.Status.SUBMITTED

    response = client.post(
        completions_url(cast), {"completion": submitted.uuid, "decision": "return", "note": "Add the plan"}
    )

    assert messages_of(response)[-1] == "Pat Participant's Month 1: self-paced module: returned."
    submitted.refresh_from_db()
    assert (submitted.status, submitted.note) == (SelfPacedCompletion.Status.REJECTED, "Add the plan")
    assert balance_for(cast.participant_enrollment.uuid).instruction_minutes == 0


def test_a_malformed_decision_changes_nothing(client, cast, submitted):
    client.force_login(cast.instructor)

    response = client.post(completions_url(cast), {"completion": submitted.uuid, "decision": "delete"})

    assert messages_of(response) == ["Choose approve or return for one completion."]
    submitted.refresh_from_db()
    assert submitted.status == SelfPacedCompletion.Status.SUBMITTED


def test_a_completion_of_another_class_is_404(client, cast, submitted):
    other_module = SessionFactory(
        cohort=cast.other_cohort,
        mode=Session.Mode.ONLINE_SELF_PACED,
        location="",
        starts_at=STARTS,
        ends_at=STARTS + dt.timedelta(days=3),
    )
    elsewhere = completion_submit(
        enrollment=cast.other_cohort.enrollments.get(), session=other_module, by=None
    )
    client.force_login(cast.instructor)

    response = client.post(completions_url(cast), {"completion": elsewhere.uuid, "decision": "approve"})

    assert response.status_code == 404


def test_completions_are_for_staff_only(client, cast, submitted):
    client.force_login(cast.participant)
    assert client.get(completions_url(cast)).status_code == 403
    client.force_login(cast.outsider)
    assert client.get(completions_url(cast)).status_code == 404


# --- links on the class page and the home page -------------------------------------------------


def test_the_class_page_links_staff_to_roll_call_and_check_in(client, cast, session, module):
    client.force_login(cast.instructor)

    page = html(client.get(reverse("web:cohort-detail", args=[cast.cohort.slug])))

    assert roll_call_url(session) in page
    assert display_url(session) in page
    assert roll_call_url(module) not in page
    assert completions_url(cast) in page
    assert complete_url(module) not in page


def test_the_class_page_offers_no_check_in_code_once_a_session_is_over(client, cast, session, frozen):
    frozen.move_to(STARTS + dt.timedelta(days=1))
    client.force_login(cast.instructor)

    page = html(client.get(reverse("web:cohort-detail", args=[cast.cohort.slug])))

    assert roll_call_url(session) in page
    assert display_url(session) not in page


def test_the_class_page_lets_a_participant_mark_their_module_complete(client, cast, session, module):
    client.force_login(cast.participant)
    url = reverse("web:cohort-detail", args=[cast.cohort.slug])

    page = html(client.get(url))

    assert roll_call_url(session) not in page
    assert display_url(session) not in page
    assert f'action="{complete_url(module)}"' in page

    client.post(complete_url(module))
    page = html(client.get(url))

    assert f'action="{complete_url(module)}"' not in page
    assert "Waiting for approval" in page


def test_a_returned_module_can_be_submitted_again_from_the_class_page(client, cast, submitted):
    SelfPacedCompletion.objects.filter(pk=submitted.pk).update(status="rejected", note="Add the plan")
    client.force_login(cast.participant)

    page = html(client.get(reverse("web:cohort-detail", args=[cast.cohort.slug])))

    assert "Returned</span> Add the plan" in page
    assert "Submit again" in page


def test_another_tracks_module_offers_nothing(client, cast, module):
    client.force_login(cast.superintendent)

    page = html(client.get(reverse("web:cohort-detail", args=[cast.cohort.slug])))

    assert complete_url(module) not in page


def test_the_instructor_home_lists_todays_sessions_with_their_roll_call(client, cast, session):
    client.force_login(cast.instructor)

    page = html(client.get(reverse("web:home")))

    assert "Today's sessions" in page
    assert roll_call_url(session) in page
    assert display_url(session) in page


def test_a_participant_home_has_no_roll_call(client, cast, session):
    client.force_login(cast.participant)

    page = html(client.get(reverse("web:home")))

    assert "Today's sessions" not in page
