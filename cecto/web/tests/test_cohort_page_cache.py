"""HTTP: the cached class page (roster, district teams and sessions, decision 0008) — the same page
from the cache for fewer queries, whatever the class's size, and every change shown at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cecto.ledger.api import HoursEntry, hours_entry_record
from cecto.people.models import Person
from cecto.people.tests.factories import DistrictFactory, PersonFactory, UserFactory
from cecto.programs.tests.factories import ProgramAdministratorFactory, TrackFactory
from cecto.scheduling.attendance import attendance_record
from cecto.scheduling.dashboard import dashboard_for, team_progress_for, team_progress_from
from cecto.scheduling.models import AttendanceRecord, Cohort, Enrollment, Session
from cecto.scheduling.selectors import district_teams_for
from cecto.scheduling.services import enrollment_status_change, session_update
from cecto.scheduling.tests.factories import (
    CohortFactory,
    CohortInstructorFactory,
    EnrollmentFactory,
    SessionFactory,
)
from cecto.scheduling.tests.hours_case import NOW, HoursCase, build_hours_case

A = AttendanceRecord.Status


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def case(cast) -> HoursCase:
    return build_hours_case(cast)


def url_of(cohort: Cohort) -> str:
    return reverse("web:cohort-detail", args=[cohort.slug])


def page_of(response) -> str:
    """The page as served, but for the CSRF tokens (new on every response)."""
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def main_of(response) -> str:
    found = re.search(r"<main.*</main>", page_of(response), re.DOTALL)
    assert found is not None
    return found.group(0)


def teams_of(html: str) -> str:
    found = re.search(r'<h2 id="teams">.*?<h2 id="sessions">', html, re.DOTALL)
    assert found is not None
    return found.group(0)


def credit(enrollment: Enrollment, minutes: int) -> None:
    hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        minutes=minutes,
        occurred_on=dt.date(2026, 5, 30),
        source_kind=HoursEntry.Source.MANUAL,
        reason="Conference credit",
        by=None,
    )


# --- the same page, for fewer queries ----------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "instructor", "participant", "superintendent"])
def test_a_cached_page_is_the_same_page_for_fewer_queries(client, case, who):
    client.force_login(getattr(case.cast, who))
    url = url_of(case.cast.cohort)
    with CaptureQueriesContext(connection) as miss:
        first = client.get(url)

    with CaptureQueriesContext(connection) as hit:
        again = client.get(url)

    assert page_of(again) == page_of(first)
    assert len(hit.captured_queries) < len(miss.captured_queries)


def test_a_cached_page_for_staff_reads_nothing_of_the_class_but_its_version(
    client, case, django_assert_num_queries
):
    client.force_login(case.cast.admin)
    client.get(url_of(case.cast.cohort))

    # session, user, cohort, roles, the version, the navigation's person (the roles say the
    # administrator is no member: no query for an enrollment of theirs)
    with django_assert_num_queries(6):
        client.get(url_of(case.cast.cohort))


def test_staff_see_the_team_hours_worked_out_afresh(client, case):
    """The teams built from the cached dashboard rows are what `team_progress_for` works out."""
    cohort = case.cast.cohort
    fresh = team_progress_for(cohort=cohort, teams=district_teams_for(cohort=cohort))
    client.force_login(case.cast.admin)

    shown = client.get(url_of(cohort)).context["district_teams"]

    assert [(t.district, t.rows) for t in shown] == [(t.district, t.rows) for t in fresh]
    html = page_of(client.get(url_of(cohort)))
    assert 'Pat Participant <span class="muted">(21 of 240 hours; behind pace; cannot finish)</span>' in html
    assert "Sam Superintendent <span" in html


def test_a_team_member_missing_from_the_rows_still_gets_their_hours(case):
    """A status changed between the dashboard's rows and the teams: nobody is left out."""
    cohort = case.cast.cohort
    teams = district_teams_for(cohort=cohort)
    rows = [r for r in dashboard_for(cohort=cohort) if r.enrollment != case.cast.participant_enrollment]

    built = team_progress_from(cohort=cohort, teams=teams, rows=rows)

    expected = team_progress_for(cohort=cohort, teams=teams)
    assert [t.rows for t in built] == [t.rows for t in expected]
    assert [r.enrollment.person.full_name for r in built[0].members] == ["Pat Participant"]
    assert built[0].members[0].done_minutes == 21 * 60


def test_team_members_are_shown_as_the_teams_were_read(case):
    cohort = case.cast.cohort
    rows = dashboard_for(cohort=cohort)
    Person.objects.filter(pk=case.cast.participant_enrollment.person_id).update(full_name="Pat Renamed")

    built = team_progress_from(cohort=cohort, teams=district_teams_for(cohort=cohort), rows=rows)

    assert built[0].members[0].person.full_name == "Pat Renamed"
    assert built[0].members[0].done_minutes == 21 * 60


# --- a fixed number of queries -----------------------------------------------------------------


def build_class(program, size: int, member_user) -> Cohort:
    """A class of `size` enrollments in districts with superintendents, hours, attendance and
    sessions (a third as many as enrollments); the first member logs in as `member_user`."""
    cohort = CohortFactory(program=program)
    CohortInstructorFactory(cohort=cohort, person=PersonFactory(user=UserFactory()))
    tracks = [TrackFactory(program=program, position=0), TrackFactory(program=program, position=1)]
    districts = [DistrictFactory() for _ in range(3)]
    sessions = [
        SessionFactory(cohort=cohort, track=tracks[n % 2] if n % 3 else None, is_required=not n % 2)
        for n in range(max(2, size // 3))
    ]
    SessionFactory(
        cohort=cohort,
        mode=Session.Mode.ONLINE_SELF_PACED,
        location="",
        starts_at=NOW - dt.timedelta(days=3),
        ends_at=NOW + dt.timedelta(days=3),
    )
    for index in range(size):
        person = PersonFactory(
            user=member_user if index == 0 else None,
            organization=districts[index % 3],
            district_role=Person.DistrictRole.SUPERINTENDENT if index % 7 == 1 else Person.DistrictRole.OTHER,
        )
        status = Enrollment.Status.APPLIED if index % 11 == 5 else Enrollment.Status.ACTIVE
        enrollment = EnrollmentFactory(person=person, cohort=cohort, track=tracks[index % 2], status=status)
        credit(enrollment, 60 + index)
        AttendanceRecord.objects.create(
            enrollment=enrollment,
            session=sessions[0],
            status=A.EXCUSED if index % 2 else A.PRESENT,
            minutes_attended=0,
            source_kind="roll_call",
        )
    return cohort


def queries_of(client, url: str) -> tuple[int, int]:
    """Queries of a miss, then of a hit."""
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as measured:
            assert client.get(url).status_code == 200
        counts.append(len(measured.captured_queries))
    return counts[0], counts[1]


@pytest.mark.parametrize("viewer", ["administrator", "instructor", "member"])
def test_the_page_runs_the_same_queries_for_3_and_for_30_enrollments(client, db, viewer):
    admin_user = UserFactory(is_staff=True)
    program = ProgramAdministratorFactory(person=PersonFactory(user=admin_user)).program
    members = UserFactory(), UserFactory()
    small = build_class(program, 3, members[0])
    large = build_class(program, 30, members[1])

    measured = []
    for cohort, member in ((small, members[0]), (large, members[1])):
        by = {
            "administrator": admin_user,
            "instructor": cohort.instructor_roles.get().person.user,
            "member": member,
        }
        client.force_login(by[viewer])
        measured.append(queries_of(client, url_of(cohort)))

    assert measured[0] == measured[1]
    miss, hit = measured[0]
    assert hit < miss


# --- every change shows at once ----------------------------------------------------------------


def test_new_hours_show_on_the_cached_page_at_once(client, case):
    client.force_login(case.cast.admin)
    url = url_of(case.cast.cohort)
    assert 'Pat Participant <span class="muted">(21 of 240 hours' in page_of(client.get(url))

    credit(case.cast.participant_enrollment, 600)

    assert 'Pat Participant <span class="muted">(31 of 240 hours' in page_of(client.get(url))


def test_an_excuse_withdrawn_shows_at_once(client, case):
    sam = case.cast.superintendent_enrollment
    credit(sam, 240 * 60)  # the hours are done: only the excused kick-off is missing
    client.force_login(case.cast.admin)
    url = url_of(case.cast.cohort)
    sams = re.compile(r"Sam Superintendent <span class=\"muted\">\(240 of 240 hours[^)]*\)")
    assert "cannot finish" not in sams.search(page_of(client.get(url))).group(0)

    attendance_record(enrollment=sam, session=case.kickoff, status=A.ABSENT, source_kind="roll_call", by=None)

    assert "cannot finish" in sams.search(page_of(client.get(url))).group(0)


@pytest.mark.parametrize("who", ["admin", "superintendent"])
def test_a_withdrawal_shows_at_once(client, case, who):
    client.force_login(getattr(case.cast, who))
    url = url_of(case.cast.cohort)
    assert "Pat Participant" in teams_of(page_of(client.get(url)))

    enrollment_status_change(
        enrollment=case.cast.participant_enrollment, to_status="withdrawn", by=None, reason="Moved away"
    )

    html = page_of(client.get(url))
    assert "Pat Participant" not in teams_of(html)
    if who == "admin":
        assert '<span class="badge status-withdrawn">Withdrawn</span>' in html
    else:
        assert "Pat Participant" not in html


@pytest.mark.parametrize("who", ["admin", "instructor", "participant"])
def test_a_new_or_renamed_session_shows_at_once(client, case, who):
    client.force_login(getattr(case.cast, who))
    url = url_of(case.cast.cohort)
    assert 'Sessions <span class="muted">(5)</span>' in page_of(client.get(url))

    SessionFactory(cohort=case.cast.cohort, title="An extra evening")
    session_update(session=case.webinar, by=None, title="Month 3: security webinar")

    html = page_of(client.get(url))
    assert 'Sessions <span class="muted">(6)</span>' in html
    assert "An extra evening" in html
    assert "Month 3: security webinar" in html
    assert "Month 3: live webinar" not in html


def test_the_check_in_code_goes_once_a_session_is_over(client, cast, frozen):
    starts = NOW + dt.timedelta(hours=1)
    session = SessionFactory(cohort=cast.cohort, starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    display = reverse("web:check-in-display", args=[session.uuid])
    client.force_login(cast.instructor)
    url = url_of(cast.cohort)
    assert display in page_of(client.get(url))

    frozen.move_to(starts + dt.timedelta(hours=3))

    assert display not in page_of(client.get(url))


# --- each viewer sees what they saw before -----------------------------------------------------


def test_an_administrator_and_an_instructor_share_the_roster_not_the_manage_links(client, case):
    admin_files = reverse("web:session-review", args=[case.kickoff.uuid])
    client.force_login(case.cast.admin)
    admins = page_of(client.get(url_of(case.cast.cohort)))

    client.force_login(case.cast.instructor)
    instructors = page_of(client.get(url_of(case.cast.cohort)))

    assert admin_files in admins
    assert admin_files not in instructors
    assert "Manage enrollments" not in instructors
    assert teams_of(instructors) == teams_of(admins)
    assert f"mailto:{case.cast.participant_enrollment.person.email}" in instructors


def test_each_member_gets_a_link_to_their_own_enrollment_only(client, case):
    pat, sam = case.cast.participant_enrollment, case.cast.superintendent_enrollment
    pat_url = reverse("web:enrollment-detail", args=[pat.uuid])
    sam_url = reverse("web:enrollment-detail", args=[sam.uuid])
    client.force_login(case.cast.participant)
    pats = page_of(client.get(url_of(case.cast.cohort)))

    client.force_login(case.cast.superintendent)
    sams = page_of(client.get(url_of(case.cast.cohort)))

    assert pat_url in pats
    assert sam_url not in pats
    assert sam_url in sams
    assert pat_url not in sams
    assert "of 240 hours" not in pats + sams
    assert "mailto:" not in pats + sams


def test_a_members_own_session_links_are_never_cached_for_others(client, cast, frozen):
    module = SessionFactory(
        cohort=cast.cohort,
        title="Month 1: self-paced module",
        mode=Session.Mode.ONLINE_SELF_PACED,
        location="",
        track=cast.participant_enrollment.track,
        starts_at=NOW - dt.timedelta(days=7),
        ends_at=NOW + dt.timedelta(days=20),
    )
    complete = f'action="{reverse("web:completion-submit", args=[module.uuid])}"'
    client.force_login(cast.instructor)
    assert complete not in page_of(client.get(url_of(cast.cohort)))

    client.force_login(cast.participant)
    assert complete in page_of(client.get(url_of(cast.cohort)))
    client.post(reverse("web:completion-submit", args=[module.uuid]))

    html = page_of(client.get(url_of(cast.cohort)))
    assert complete not in html
    assert "Waiting for approval" in html


def test_the_outsider_still_gets_404_on_a_cached_page(client, case):
    client.force_login(case.cast.admin)
    client.get(url_of(case.cast.cohort))

    client.force_login(case.cast.outsider)

    assert client.get(url_of(case.cast.cohort)).status_code == 404


def test_the_cached_content_is_what_the_page_showed_uncached(client, case, settings):
    """Against a page served with no cache at all (Django's dummy backend)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    url = url_of(case.cast.cohort)
    uncached = {}
    for who in ("admin", "instructor", "participant", "superintendent"):
        client.force_login(getattr(case.cast, who))
        uncached[who] = main_of(client.get(url))

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    for who in ("admin", "instructor", "participant", "superintendent"):
        client.force_login(getattr(case.cast, who))
        assert main_of(client.get(url)) == uncached[who], who
        assert main_of(client.get(url)) == uncached[who], who
