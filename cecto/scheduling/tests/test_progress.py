"""progress_for_cohort: the facts gathered from scheduling and the ledger, judged per enrollment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cecto.ledger.api import HoursEntry, evaluate_progress, hours_entry_record
from cecto.people.tests.factories import PersonFactory
from cecto.programs.models import Track
from cecto.programs.tests.factories import TrackFactory
from cecto.scheduling import progress as progress_module
from cecto.scheduling.attendance import attendance_record
from cecto.scheduling.models import AttendanceRecord, Enrollment, Session
from cecto.scheduling.progress import progress_for, progress_for_cohort
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory, SessionFactory

pytestmark = pytest.mark.django_db

A = AttendanceRecord.Status
NOW = dt.datetime(2026, 10, 1, 16, 0, tzinfo=dt.UTC)  # Oct 1, 2026, noon in Raleigh
KICK_OFF = dt.date(2026, 2, 10)


def held(month: int, day: int, minutes: int = 360) -> dict[str, dt.datetime]:
    starts_at = dt.datetime(2026, month, day, 13, 0, tzinfo=dt.UTC)
    return {"starts_at": starts_at, "ends_at": starts_at + dt.timedelta(minutes=minutes + 60)}


def attend(enrollment, session, status=A.PRESENT, minutes=None):
    attendance_record(
        enrollment=enrollment,
        session=session,
        status=status,
        minutes_attended=minutes,
        source_kind="roll_call",
        by=None,
    )


def titles(sessions):
    return [s.title for s in sessions]


def by_key(progress):
    return {r.key: r for r in progress.requirements}


class Year:
    """A hand-built class of 2026 seen on Oct 1: candidates, a late enrollee and a superintendent."""

    def __init__(self) -> None:
        self.cohort = CohortFactory(slug="class-of-2026", starts_on=KICK_OFF, ends_on=dt.date(2026, 12, 3))
        program = self.cohort.program
        self.candidate = TrackFactory(
            program=program, slug="candidate", name="CeCTO candidate", required_contact_minutes=36 * 60
        )
        self.superintendent = TrackFactory(
            program=program,
            slug="superintendent",
            name="Leaders for the 21st Century",
            audience=Track.Audience.SUPERINTENDENT,
            required_contact_minutes=20 * 60,
            required_sessions=Track.RequiredSessions.ALL_JOINT,
            ceu_policy=Track.CeuPolicy.NONE,
        )

        def session(title, month, day, minutes=360, **kwargs):
            return SessionFactory(
                cohort=self.cohort,
                title=title,
                contact_minutes=minutes,
                **held(month, day, minutes),
                **kwargs,
            )

        self.kick_off = session("Kick-off", 2, 10, is_required=True)
        self.supt_course = session("Superintendent course", 3, 3, 600, track=self.superintendent)
        self.planning = session("Strategic planning", 3, 10, track=self.candidate)
        self.security = session("Security", 4, 14, is_required=True)
        self.security_makeup = session(
            "Security (make-up)", 5, 5, track=self.candidate, makeup_for=self.security
        )
        self.erate = session("E-Rate update", 6, 9)  # joint, not marked required
        self.september = session("September joint session", 9, 15, is_required=True)
        self.october = session("Project management", 10, 13, track=self.candidate)
        self.snow_day = session("Snow day", 10, 20, is_required=True, status=Session.Status.CANCELLED)
        self.closing = session("Closing meeting", 11, 17, is_required=True)

        def enroll(name, track, enrolled_on=KICK_OFF):
            return EnrollmentFactory(
                cohort=self.cohort, track=track, person=PersonFactory(full_name=name), enrolled_on=enrolled_on
            )

        # Alice: excused from Security and made it up, missed September, and has a manual adjustment.
        self.alice = enroll("Alice Able", self.candidate)
        attend(self.alice, self.kick_off)
        attend(self.alice, self.planning)
        attend(self.alice, self.security, A.EXCUSED)
        attend(self.alice, self.security_makeup)
        attend(self.alice, self.erate, A.ABSENT)
        attend(self.alice, self.september, A.ABSENT)
        hours_entry_record(
            person=self.alice.person,
            enrollment_ref=self.alice.uuid,
            minutes=600,
            occurred_on=dt.date(2026, 4, 30),
            source_kind=HoursEntry.Source.MANUAL,
            reason="CGCIO session credited",
            by=None,
        )
        # Bob: every past required session, but not the optional E-Rate update.
        self.bob = enroll("Bob Baker", self.candidate)
        for required in (self.kick_off, self.planning, self.security, self.september):
            attend(self.bob, required)
        attend(self.bob, self.erate, A.ABSENT)
        # Carol enrolled on Apr 1: the kick-off and planning were before her time.
        self.carol = enroll("Carol Late", self.candidate, enrolled_on=dt.date(2026, 4, 1))
        attend(self.carol, self.security)
        attend(self.carol, self.erate)
        attend(self.carol, self.september, A.LEFT_EARLY, 300)  # 83%: counts as attended
        hours_entry_record(
            person=self.carol.person,
            enrollment_ref=self.carol.uuid,
            minutes=480,
            occurred_on=dt.date(2026, 4, 1),
            source_kind=HoursEntry.Source.MANUAL,
            reason="Prior CGCIO module",
            by=None,
        )
        # Sam, superintendent: every joint session is required, marked or not.
        self.sam = enroll("Sam Superintendent", self.superintendent)
        for attended in (self.kick_off, self.supt_course, self.security, self.september):
            attend(self.sam, attended)
        attend(self.sam, self.erate, A.ABSENT)

    def enrollments(self):
        return list(self.cohort.enrollments.select_related("person", "track", "cohort__program"))

    def progress(self):
        found = progress_for_cohort(cohort=self.cohort, enrollments=self.enrollments(), now=NOW)
        return {p.enrollment.person.full_name.split()[0].lower(): p for p in found}


@pytest.fixture
def year():
    return Year()


def test_it_gives_one_progress_per_enrollment_in_order(year):
    found = progress_for_cohort(cohort=year.cohort, enrollments=year.enrollments(), now=NOW)

    assert [p.enrollment for p in found] == [year.alice, year.bob, year.carol, year.sam]
    assert [p.policy.required_minutes for p in found] == [2160, 2160, 2160, 1200]


def test_a_made_up_session_counts_and_a_missed_one_does_not(year):
    alice = year.progress()["alice"]

    assert alice.balance.instruction_minutes == 360 * 3 + 600  # the make-up and the manual adjustment count
    sessions = by_key(alice.progress)["required_sessions"]
    assert (sessions.current, sessions.target, sessions.is_met) == (2, 4, False)
    assert sessions.detail == (
        "Still required: September joint session (Sep 15, missed); Closing meeting (Nov 17, upcoming)."
    )
    assert titles(alice.missed_required) == ["September joint session"]
    assert titles(alice.progress.missed) == ["E-Rate update", "September joint session"]
    assert alice.progress.can_still_finish is False  # a required session is gone for good
    assert alice.progress.is_complete is False


def test_the_hours_include_a_manual_adjustment(year):
    alice = year.progress()["alice"]

    hours = by_key(alice.progress)["contact_hours"]
    assert (hours.current, hours.target, hours.is_met) == (1680, 2160, False)
    assert hours.detail == "8 more contact hours needed (28 of 36)."
    assert alice.progress.ceus == Decimal("2.8")
    assert alice.balance.ceus == Decimal("2.8")


def test_the_pace_is_measured_from_enrollment_to_graduation(year):
    progress = year.progress()

    # Feb 10 → Dec 3 is 296 days, of which 233 have passed: 2160 * 233 // 296 = 1700 minutes expected.
    assert progress["alice"].progress.expected_minutes_by_now == 1700
    assert progress["alice"].progress.is_on_pace is True  # 1680 ≥ 90% of 1700
    assert progress["bob"].progress.is_on_pace is False  # 1440 < 1530


def test_an_optional_session_missed_is_listed_but_not_required(year):
    bob = year.progress()["bob"]

    assert bob.balance.instruction_minutes == 1440
    sessions = by_key(bob.progress)["required_sessions"]
    assert (sessions.current, sessions.target) == (3, 4)
    assert sessions.detail == "Still required: Closing meeting (Nov 17, upcoming)."
    assert bob.missed_required == ()
    assert titles(bob.progress.missed) == ["E-Rate update"]


def test_upcoming_sessions_count_in_what_can_still_be_earned(year):
    bob = year.progress()["bob"]

    # 1440 credited + Closing (360) + Project management (360) = 2160: exactly enough. The cancelled
    # Snow day adds nothing; without the October session Bob could no longer finish.
    assert bob.progress.can_still_finish is True
    Session.objects.filter(pk=year.october.pk).update(status=Session.Status.CANCELLED)
    assert year.progress()["bob"].progress.can_still_finish is False


def test_a_late_enrollee_has_not_missed_what_came_before(year):
    carol = year.progress()["carol"]

    assert carol.balance.instruction_minutes == 360 + 360 + 300 + 480
    sessions = by_key(carol.progress)["required_sessions"]
    assert (sessions.current, sessions.target) == (2, 3)  # Security, September; Closing to come
    assert carol.progress.missed == ()
    assert carol.progress.can_still_finish is True  # 1500 + 720 upcoming ≥ 2160
    # Apr 1 → Dec 3 is 246 days, 183 passed: 2160 * 183 // 246.
    assert carol.progress.expected_minutes_by_now == 1606


def test_a_superintendent_is_required_at_every_joint_session(year):
    sam = year.progress()["sam"]

    sessions = by_key(sam.progress)["required_sessions"]
    assert (sessions.current, sessions.target) == (3, 5)  # Kick-off, Security, E-Rate, September, Closing
    assert sessions.detail == (
        "Still required: E-Rate update (Jun 9, missed); Closing meeting (Nov 17, upcoming)."
    )
    assert titles(sam.missed_required) == ["E-Rate update"]
    assert by_key(sam.progress)["contact_hours"].is_met is True  # 1680 of 1200
    assert sam.progress.ceus == Decimal("0.0")  # the superintendents' track awards no CEUs
    assert sam.progress.can_still_finish is False


def test_each_track_sees_its_own_and_the_joint_sessions_only(year, monkeypatch):
    seen: dict[int, list[str]] = {}

    def spy(policy, facts):
        seen[policy.required_minutes] = titles(facts.sessions)
        return evaluate_progress(policy, facts)

    monkeypatch.setattr(progress_module, "evaluate_progress", spy)

    progress_for_cohort(cohort=year.cohort, enrollments=[year.bob, year.sam], now=NOW)

    common = ["Kick-off", "Security", "E-Rate update", "September joint session", "Closing meeting"]
    assert seen[2160] == [*common[:1], "Strategic planning", *common[1:4], "Project management", common[4]]
    assert seen[1200] == [*common[:1], "Superintendent course", *common[1:]]


def test_a_track_that_requires_no_session_has_only_the_hours(year):
    Track.objects.filter(pk=year.candidate.pk).update(required_sessions=Track.RequiredSessions.NONE)

    alice = year.progress()["alice"]

    assert list(by_key(alice.progress)) == ["contact_hours"]
    assert alice.missed_required == ()
    assert alice.progress.can_still_finish is True  # 1680 + 720 ≥ 2160, and nothing is required


def test_an_excused_session_without_a_make_up_still_needs_one(year):
    Session.objects.filter(pk=year.security_makeup.pk).update(makeup_for=None)

    alice = year.progress()["alice"]

    assert "Security (Apr 14, excused, needs a make-up)" in by_key(alice.progress)["required_sessions"].detail


def test_progress_for_one_enrollment_matches_the_cohort(year):
    one = progress_for(Enrollment.objects.get(pk=year.carol.pk), now=NOW)

    assert one.progress == year.progress()["carol"].progress


# --- a fixed number of queries -------------------------------------------------------------------


def cohort_of(size: int):
    cohort = CohortFactory()
    track = TrackFactory(program=cohort.program)
    sessions = [
        SessionFactory(cohort=cohort, title=f"Joint {n}", is_required=True, **held(2 + n, 10))
        for n in range(4)
    ]
    sessions.append(SessionFactory(cohort=cohort, title="Track day", track=track, **held(7, 10)))
    sessions.append(SessionFactory(cohort=cohort, title="Make-up", makeup_for=sessions[0], **held(8, 10)))
    sessions.append(SessionFactory(cohort=cohort, title="Closing", is_required=True, **held(11, 17)))
    enrollments = [EnrollmentFactory(cohort=cohort, track=track) for _ in range(size)]
    HoursEntry.objects.bulk_create(
        HoursEntry(
            person_id=enrollment.person_id,
            enrollment_ref=enrollment.uuid,
            session_ref=session.uuid,
            minutes=300,
            occurred_on=KICK_OFF,
            source_kind=HoursEntry.Source.CSV_IMPORT,
        )
        for enrollment in enrollments
        for session in sessions[1:6]
    )
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(enrollment=enrollment, session=sessions[0], status=A.EXCUSED, minutes_attended=0)
        for enrollment in enrollments
    )
    return cohort, enrollments


def loaded(cohort):
    return list(Enrollment.objects.filter(cohort=cohort).select_related("person", "track", "cohort__program"))


def test_the_queries_are_the_same_for_3_and_for_30_enrollments(django_assert_num_queries):
    small_cohort, _ = cohort_of(3)
    large_cohort, _ = cohort_of(30)
    small, large = loaded(small_cohort), loaded(large_cohort)

    with CaptureQueriesContext(connection) as measured:
        small_progress = progress_for_cohort(cohort=small_cohort, enrollments=small, now=NOW)
    with django_assert_num_queries(len(measured.captured_queries)):
        large_progress = progress_for_cohort(cohort=large_cohort, enrollments=large, now=NOW)

    assert len(measured.captured_queries) <= 4  # sessions, balances, minutes per session, excused
    assert len(large_progress) == 30
    assert {p.balance.instruction_minutes for p in small_progress + large_progress} == {1500}
    made_up = {by_key(p.progress)["required_sessions"].current for p in large_progress}
    assert made_up == {4}  # Joint 0 made up (Make-up at 300 of 360 ≥ 75%), Joints 1-3 attended


@pytest.mark.parametrize(
    "enrollments_of",
    [
        pytest.param(lambda cohort: list(cohort.enrollments.all()), id="related-manager"),
        pytest.param(
            lambda cohort: list(Enrollment.objects.filter(cohort_id=cohort.pk)), id="plain-queryset"
        ),
    ],
)
def test_the_queries_stay_fixed_when_the_caller_loaded_nothing_related(
    django_assert_num_queries, enrollments_of
):
    small_cohort, _ = cohort_of(3)
    large_cohort, _ = cohort_of(30)
    small, large = enrollments_of(small_cohort), enrollments_of(large_cohort)

    with CaptureQueriesContext(connection) as measured:
        progress_for_cohort(cohort=small_cohort, enrollments=small, now=NOW)
    with django_assert_num_queries(len(measured.captured_queries)):
        large_progress = progress_for_cohort(cohort=large_cohort, enrollments=large, now=NOW)

    assert [p.enrollment for p in large_progress] == large
