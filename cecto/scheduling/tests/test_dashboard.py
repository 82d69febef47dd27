"""The reads behind the hours pages: dashboard rows, flags, sorting, filters, the progress page's
transcript and sessions, and the district team's hours — each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cecto.ledger.api import HoursEntry, MonthMinutes, hours_entry_record
from cecto.people.models import Person
from cecto.people.tests.factories import AgencyFactory, DistrictFactory, PersonFactory
from cecto.programs.tests.factories import TrackFactory
from cecto.scheduling.dashboard import (
    SORT_KEYS,
    DashboardRow,
    dashboard_filtered,
    dashboard_for,
    dashboard_sorted,
    district_team_progress_for,
    flag_counts,
    months_between,
    months_filled,
    progress_page_for,
    rows_for,
    team_progress_for,
    transcript_for,
)
from cecto.scheduling.models import AttendanceRecord, Enrollment, Session
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory, SessionFactory
from cecto.scheduling.tests.hours_case import (
    FORMULA_REASON,
    NOW,
    PAT_MINUTES,
    HoursCase,
    build_hours_case,
    session,
)

A = AttendanceRecord.Status
S = Enrollment.Status


@pytest.fixture
def case(cast) -> HoursCase:
    return build_hours_case(cast)


def row_of(rows: list[DashboardRow], enrollment: Enrollment) -> DashboardRow:
    return next(row for row in rows if row.enrollment.pk == enrollment.pk)


def credit(enrollment: Enrollment, minutes: int, on: dt.date = dt.date(2026, 3, 1)) -> HoursEntry:
    return hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        minutes=minutes,
        occurred_on=on,
        source_kind=HoursEntry.Source.MANUAL,
        reason="Credit for the test",
        by=None,
    )


# --- dashboard rows ---------------------------------------------------------------------------


def test_it_gives_the_hand_built_case_its_hours_ceus_and_sessions(case):
    rows = dashboard_for(cohort=case.cast.cohort, now=NOW)

    pat = row_of(rows, case.cast.participant_enrollment)
    assert (pat.done_minutes, pat.target_minutes, pat.percent) == (PAT_MINUTES, 240 * 60, 8)
    assert (pat.done_hours, pat.target_hours) == (Decimal("21.00"), Decimal("240.00"))
    assert pat.ceus == Decimal("2.1")
    assert (pat.sessions_attended, pat.sessions_required) == (1, 3)  # the kick-off; two still to come
    assert pat.missed_required == ()
    assert [flag.key for flag in pat.flags] == ["behind", "cannot-finish"]
    assert pat.district_name == case.cast.participant_enrollment.person.organization.name


def test_an_excused_joint_session_is_flagged_as_missed_but_does_not_stop_finishing(cast):
    track = TrackFactory(program=cast.cohort.program, required_contact_minutes=60)
    enrollment = EnrollmentFactory(cohort=cast.cohort, track=track)
    kickoff = session(
        cast.cohort, "Kick-off", dt.datetime(2026, 2, 10, 14, tzinfo=dt.UTC), 7, 360, is_required=True
    )
    AttendanceRecord.objects.create(
        enrollment=enrollment, session=kickoff, status=A.EXCUSED, minutes_attended=0, source_kind="manual"
    )
    credit(enrollment, 60)

    row = row_of(dashboard_for(cohort=cast.cohort, now=NOW), enrollment)

    assert [flag.label for flag in row.flags] == ["Missed 1 joint session"]
    assert row.can_still_finish is True
    assert row.is_complete is False  # the kick-off still needs a make-up
    assert row.missed_titles == "Kick-off (Feb 10)"


def test_a_missed_track_session_that_is_required_is_called_required_not_joint(cast):
    track = TrackFactory(program=cast.cohort.program, required_contact_minutes=60)
    enrollment = EnrollmentFactory(cohort=cast.cohort, track=track)
    for day in (3, 4):
        start = dt.datetime(2026, 3, day, 14, tzinfo=dt.UTC)
        session(cast.cohort, f"Lab {day}", start, 2, 120, track=track, is_required=True)

    row = row_of(dashboard_for(cohort=cast.cohort, now=NOW), enrollment)

    assert [flag.key for flag in row.flags] == ["behind", "missed", "cannot-finish"]
    assert row.flags[1].label == "Missed 2 required sessions"


def test_someone_complete_raises_no_flag(cast):
    track = TrackFactory(program=cast.cohort.program, required_contact_minutes=600)
    enrollment = EnrollmentFactory(cohort=cast.cohort, track=track)
    credit(enrollment, 600)

    row = row_of(dashboard_for(cohort=cast.cohort, now=NOW), enrollment)

    assert row.flags == ()
    assert (row.is_complete, row.is_on_pace, row.can_still_finish, row.percent) == (True, True, True, 100)
    assert (row.sessions_attended, row.sessions_required) == (0, 0)


def test_a_track_without_required_minutes_is_100_percent(cast):
    track = TrackFactory(program=cast.cohort.program, required_contact_minutes=0)
    enrollment = EnrollmentFactory(cohort=cast.cohort, track=track)

    assert row_of(dashboard_for(cohort=cast.cohort, now=NOW), enrollment).percent == 100


def test_the_dashboard_lists_current_enrollments_only(cast):
    applied = EnrollmentFactory(cohort=cast.cohort, status=S.APPLIED)
    withdrawn = EnrollmentFactory(cohort=cast.cohort, status=S.WITHDRAWN)
    completed = EnrollmentFactory(cohort=cast.cohort, status=S.COMPLETED)

    pks = {row.enrollment.pk for row in dashboard_for(cohort=cast.cohort, now=NOW)}

    assert completed.pk in pks
    assert cast.participant_enrollment.pk in pks
    assert applied.pk not in pks
    assert withdrawn.pk not in pks


def test_someone_without_an_organization_has_no_district_name(cast):
    enrollment = EnrollmentFactory(cohort=cast.cohort, person=PersonFactory(organization=None))

    assert row_of(dashboard_for(cohort=cast.cohort, now=NOW), enrollment).district_name == ""


# --- sorting and filters ----------------------------------------------------------------------


@pytest.fixture
def three(cast):
    """Three members of a second cohort whose every column sorts differently."""
    cohort = CohortFactory(program=cast.cohort.program)
    first = TrackFactory(program=cohort.program, name="Alpha track", slug="alpha", position=0)
    second = TrackFactory(program=cohort.program, name="Beta track", slug="beta", position=1)
    people = {
        "Cara": (DistrictFactory(name="Ashe County Schools"), first, 120),
        "Abe": (DistrictFactory(name="Wake County Schools"), second, 6000),
        "Bea": (AgencyFactory(name="NCDPI"), first, 14400),
    }
    enrollments = {}
    for name, (organization, track, minutes) in people.items():
        enrollment = EnrollmentFactory(
            cohort=cohort, track=track, person=PersonFactory(full_name=name, organization=organization)
        )
        credit(enrollment, minutes)
        enrollments[name] = enrollment
    return cohort, enrollments


def names(rows: list[DashboardRow]) -> list[str]:
    return [row.person.full_name for row in rows]


@pytest.mark.parametrize(
    ("sort", "ascending", "descending"),
    [
        ("name", ["Abe", "Bea", "Cara"], ["Cara", "Bea", "Abe"]),
        ("district", ["Cara", "Bea", "Abe"], ["Abe", "Bea", "Cara"]),  # Ashe County, NCDPI, Wake County
        ("track", ["Bea", "Cara", "Abe"], ["Abe", "Bea", "Cara"]),  # ties (Alpha) stay in name order
        ("hours", ["Cara", "Abe", "Bea"], ["Bea", "Abe", "Cara"]),
        ("ceus", ["Cara", "Abe", "Bea"], ["Bea", "Abe", "Cara"]),
        ("sessions", ["Abe", "Bea", "Cara"], ["Abe", "Bea", "Cara"]),  # all 0 of 0: name order
        ("flags", ["Bea", "Abe", "Cara"], ["Cara", "Abe", "Bea"]),  # none; cannot finish; and behind
    ],
)
def test_it_sorts_by_each_column_both_ways(three, sort, ascending, descending):
    cohort, _ = three
    rows = dashboard_for(cohort=cohort, now=NOW)

    assert names(dashboard_sorted(rows, sort=sort)) == ascending
    assert names(dashboard_sorted(rows, sort=sort, descending=True)) == descending


def test_every_column_has_a_sort_key():
    assert set(SORT_KEYS) == {"name", "district", "track", "hours", "ceus", "sessions", "flags"}


def test_sorting_by_sessions_counts_required_sessions_attended(cast):
    track = TrackFactory(program=cast.cohort.program)
    kickoff = session(
        cast.cohort, "Kick-off", dt.datetime(2026, 2, 10, 14, tzinfo=dt.UTC), 7, 360, is_required=True
    )
    went = EnrollmentFactory(cohort=cast.cohort, track=track, person=PersonFactory(full_name="Went"))
    stayed = EnrollmentFactory(cohort=cast.cohort, track=track, person=PersonFactory(full_name="Stayed"))
    AttendanceRecord.objects.create(
        enrollment=went, session=kickoff, status=A.PRESENT, minutes_attended=360, source_kind="manual"
    )
    hours_entry_record(
        person=went.person,
        enrollment_ref=went.uuid,
        session_ref=kickoff.uuid,
        minutes=360,
        occurred_on=dt.date(2026, 2, 10),
        source_kind=HoursEntry.Source.ROLL_CALL,
        by=None,
    )
    rows = rows_for(cohort=cast.cohort, enrollments=[went, stayed], now=NOW)

    assert names(dashboard_sorted(rows, sort="sessions")) == ["Stayed", "Went"]
    assert names(dashboard_sorted(rows, sort="sessions", descending=True)) == ["Went", "Stayed"]


def test_an_unknown_sort_falls_back_to_the_track_order(three):
    cohort, _ = three
    rows = dashboard_for(cohort=cohort, now=NOW)

    assert names(dashboard_sorted(rows, sort="salary")) == ["Bea", "Cara", "Abe"]


def test_it_filters_by_track_and_by_flag(three):
    cohort, _ = three
    rows = dashboard_for(cohort=cohort, now=NOW)

    assert sorted(names(dashboard_filtered(rows, track="alpha"))) == ["Bea", "Cara"]
    assert sorted(names(dashboard_filtered(rows, flag="cannot-finish"))) == ["Abe", "Cara"]
    assert names(dashboard_filtered(rows, track="alpha", flag="cannot-finish")) == ["Cara"]
    assert dashboard_filtered(rows, track="beta", flag="behind") == []
    assert dashboard_filtered(rows, flag="missed") == []
    assert len(dashboard_filtered(rows)) == 3


def test_it_counts_each_flag(three):
    cohort, _ = three

    counts = flag_counts(dashboard_for(cohort=cohort, now=NOW))

    assert [(c.key, c.count) for c in counts] == [("behind", 1), ("missed", 0), ("cannot-finish", 2)]


# --- query budget -----------------------------------------------------------------------------


def big_class(cast, size: int, entries_each: int):
    cohort = CohortFactory(program=cast.cohort.program)
    tracks = [TrackFactory(program=cohort.program, position=i) for i in range(2)]
    sessions = [
        SessionFactory(cohort=cohort, track=tracks[0]),
        SessionFactory(cohort=cohort, is_required=True),
    ]
    for index in range(size):
        enrollment = EnrollmentFactory(cohort=cohort, track=tracks[index % 2])
        for n in range(entries_each):
            credit(enrollment, 30 + n, on=dt.date(2026, 2 + n % 9, 1))
        AttendanceRecord.objects.create(
            enrollment=enrollment,
            session=sessions[1],
            status=A.EXCUSED,
            minutes_attended=0,
            source_kind="manual",
        )
    return cohort


def test_the_dashboard_rows_take_the_same_queries_for_3_and_for_30_enrollments(
    cast, django_assert_num_queries
):
    small = big_class(cast, 3, 2)
    large = big_class(cast, 30, 12)

    with CaptureQueriesContext(connection) as measured:
        assert len(dashboard_for(cohort=small, now=NOW)) == 3
    with django_assert_num_queries(len(measured.captured_queries)):
        assert len(dashboard_for(cohort=large, now=NOW)) == 30
    assert len(measured.captured_queries) == 6  # roster, sessions, balances, credits, excused, joint


# --- the progress page -------------------------------------------------------------------------


def test_the_transcript_has_every_entry_with_a_running_total_and_the_reversal(case):
    lines = transcript_for(enrollment=case.cast.participant_enrollment)

    assert [(line.entry.minutes, line.running_minutes) for line in lines] == [
        (360, 360),
        (300, 660),
        (600, 1260),
        (90, 1350),
        (-90, 1260),
    ]
    assert [line.session_title for line in lines] == ["Kick-off (joint)", "Month 2, day 1", "", "", ""]
    mistaken, reversal = lines[3], lines[4]
    assert (mistaken.is_reversed, mistaken.is_reversal, mistaken.entry.reason) == (
        True,
        False,
        FORMULA_REASON,
    )
    assert (reversal.is_reversal, reversal.reverses, reversal.entry.reason) == (
        True,
        case.mistaken,
        "Entered twice",
    )
    assert [line.minutes_text for line in lines[3:]] == ["+90", "\u221290"]


def test_mentoring_minutes_are_listed_but_leave_the_contact_total_alone(cast):
    enrollment = cast.participant_enrollment
    hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        minutes=45,
        occurred_on=dt.date(2026, 4, 1),
        source_kind=HoursEntry.Source.MANUAL,
        category=HoursEntry.Category.MENTORING,
        reason="Mentor meeting",
        by=None,
    )

    [line] = transcript_for(enrollment=enrollment)
    page = progress_page_for(enrollment=enrollment, now=NOW)

    assert (line.counts_as_contact, line.running_minutes, line.minutes_text) == (False, 0, "+45")
    assert page.non_contact_minutes == 45


def test_the_progress_page_sorts_sessions_into_attended_missed_and_upcoming(case):
    page = progress_page_for(enrollment=case.cast.participant_enrollment, now=NOW)

    assert [(s.session.title, s.credited_minutes, s.is_required) for s in page.attended] == [
        ("Kick-off (joint)", 360, True)
    ]
    assert [(s.session.title, s.note) for s in page.missed] == [
        ("Month 2, day 1", "Left early: 5 of 7 hours; 75% is needed for it to count as attended."),
        ("Month 3: live webinar", "Absent (Sick)."),
    ]
    assert [s.is_missed_required for s in page.missed] == [False, False]
    assert [s.session.title for s in page.upcoming] == ["September joint session", "Closing joint meeting"]
    assert page.remaining_minutes == 720
    assert page.short_minutes == 240 * 60 - PAT_MINUTES
    elapsed, span = (
        (dt.date(2026, 6, 1) - dt.date(2026, 2, 10)).days,
        (dt.date(2026, 12, 3) - dt.date(2026, 2, 10)).days,
    )
    assert page.expected_minutes == 240 * 60 * elapsed // span
    assert page.cannot_finish_reasons == (
        "the sessions still to come (12 hours) cannot cover the 219 contact hours still needed",
    )


def test_an_excused_required_session_needs_a_make_up_and_is_highlighted(case):
    page = progress_page_for(enrollment=case.cast.superintendent_enrollment, now=NOW)

    [missed] = page.missed
    assert missed.session == case.kickoff
    assert missed.is_missed_required is True
    assert missed.note == "Excused (Board meeting); a make-up session is needed."


def test_a_required_session_missed_without_an_excuse_is_a_reason_not_to_finish(cast):
    track = TrackFactory(program=cast.cohort.program, required_contact_minutes=60)
    enrollment = EnrollmentFactory(cohort=cast.cohort, track=track)
    session(cast.cohort, "Kick-off", dt.datetime(2026, 2, 10, 14, tzinfo=dt.UTC), 7, 360, is_required=True)
    credit(enrollment, 60)

    page = progress_page_for(enrollment=enrollment, now=NOW)

    assert page.missed[0].note == "No attendance recorded."
    assert page.cannot_finish_reasons == (
        "Kick-off (Feb 10) was a required session, missed without an excuse",
    )


def test_someone_who_can_finish_has_no_reason_not_to(cast):
    enrollment = EnrollmentFactory(
        cohort=cast.cohort, track=TrackFactory(program=cast.cohort.program, required_contact_minutes=360)
    )
    session(cast.cohort, "Still to come", dt.datetime(2026, 9, 3, 14, tzinfo=dt.UTC), 7, 360)

    page = progress_page_for(enrollment=enrollment, now=NOW)

    assert page.item.progress.can_still_finish is True
    assert page.cannot_finish_reasons == ()


def test_a_make_up_session_counts_for_the_one_it_makes_up_for(cast):
    track = TrackFactory(program=cast.cohort.program, required_contact_minutes=60)
    enrollment = EnrollmentFactory(cohort=cast.cohort, track=track)
    kickoff = session(
        cast.cohort, "Kick-off", dt.datetime(2026, 2, 10, 14, tzinfo=dt.UTC), 7, 360, is_required=True
    )
    makeup = session(
        cast.cohort,
        "Kick-off make-up",
        dt.datetime(2026, 3, 3, 14, tzinfo=dt.UTC),
        7,
        360,
        makeup_for=kickoff,
    )
    unused = session(
        cast.cohort, "Second make-up", dt.datetime(2026, 3, 4, 14, tzinfo=dt.UTC), 7, 360, makeup_for=kickoff
    )
    hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        session_ref=makeup.uuid,
        minutes=360,
        occurred_on=dt.date(2026, 3, 3),
        source_kind=HoursEntry.Source.ROLL_CALL,
        by=None,
    )

    page = progress_page_for(enrollment=enrollment, now=NOW)

    assert page.missed == ()
    assert [(s.session, s.state, s.note) for s in page.attended] == [
        (kickoff, "made_up", "Made up at Kick-off make-up."),
        (makeup, "attended", "Make-up for Kick-off."),
    ]
    assert unused not in [s.session for s in page.sessions]


def test_the_progress_page_leaves_out_other_tracks_cancelled_and_earlier_sessions(cast):
    enrollment = cast.participant_enrollment
    enrollment.enrolled_on = dt.date(2026, 4, 1)
    enrollment.save()
    other_track = cast.superintendent_enrollment.track
    session(cast.cohort, "Before", dt.datetime(2026, 3, 3, 14, tzinfo=dt.UTC), 7, 360)
    session(cast.cohort, "Theirs", dt.datetime(2026, 5, 3, 14, tzinfo=dt.UTC), 7, 360, track=other_track)
    session(
        cast.cohort,
        "Called off",
        dt.datetime(2026, 9, 3, 14, tzinfo=dt.UTC),
        7,
        360,
        status=Session.Status.CANCELLED,
    )
    mine = session(cast.cohort, "Mine", dt.datetime(2026, 9, 4, 14, tzinfo=dt.UTC), 7, 360)

    page = progress_page_for(enrollment=enrollment, now=NOW)

    assert [s.session for s in page.sessions] == [mine]
    assert page.remaining_minutes == 360


def test_a_session_done_before_it_closes_counts_as_attended(cast):
    enrollment = cast.participant_enrollment
    module = session(
        cast.cohort, "Self-paced module", dt.datetime(2026, 5, 1, 4, tzinfo=dt.UTC), 24 * 60, 270
    )
    hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        session_ref=module.uuid,
        minutes=270,
        occurred_on=dt.date(2026, 5, 20),
        source_kind=HoursEntry.Source.SELF_PACED,
        by=None,
    )

    page = progress_page_for(enrollment=enrollment, now=NOW)

    assert [(s.session, s.state) for s in page.sessions] == [(module, "attended")]


def test_credit_without_an_attendance_record_is_explained(cast):
    enrollment = cast.participant_enrollment
    short = session(cast.cohort, "Short visit", dt.datetime(2026, 3, 3, 14, tzinfo=dt.UTC), 7, 360)
    hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        session_ref=short.uuid,
        minutes=60,
        occurred_on=dt.date(2026, 3, 3),
        source_kind=HoursEntry.Source.CSV_IMPORT,
        by=None,
    )

    [line] = progress_page_for(enrollment=enrollment, now=NOW).missed

    assert line.note == "Credited: 1 of 6 hours; 75% is needed for it to count as attended."


def test_an_excused_session_that_is_not_required_just_earns_no_credit(cast):
    enrollment = cast.participant_enrollment
    optional = session(cast.cohort, "Optional", dt.datetime(2026, 3, 3, 14, tzinfo=dt.UTC), 7, 360)
    AttendanceRecord.objects.create(
        enrollment=enrollment, session=optional, status=A.EXCUSED, minutes_attended=0, source_kind="manual"
    )

    [line] = progress_page_for(enrollment=enrollment, now=NOW).missed

    assert line.note == "Excused; no credit."
    assert line.is_missed_required is False


def test_hours_by_month_cover_the_whole_class_with_empty_months(case):
    page = progress_page_for(enrollment=case.cast.participant_enrollment, now=NOW)

    assert [m.month for m in page.months] == months_between(dt.date(2026, 2, 1), dt.date(2026, 12, 1))
    assert [m.minutes for m in page.months][:5] == [360, 300, 0, 600, 0]  # the reversal nets May to 600


def test_months_outside_the_class_are_kept():
    months = [MonthMinutes(dt.date(2025, 12, 1), 60), MonthMinutes(dt.date(2027, 1, 1), 30)]

    filled = months_filled(months, starts_on=dt.date(2026, 2, 10), ends_on=dt.date(2026, 3, 3))

    assert [m.month for m in filled] == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
        *months_between(dt.date(2026, 4, 1), dt.date(2027, 1, 1)),
    ]
    assert (filled[0].minutes, filled[-1].minutes, filled[1].minutes) == (60, 30, 0)


def test_the_progress_page_takes_the_same_queries_for_2_and_for_40_entries(cast, django_assert_num_queries):
    few, many = cast.participant_enrollment, cast.superintendent_enrollment
    sessions = [
        SessionFactory(
            cohort=cast.cohort,
            starts_at=dt.datetime(2026, 3, d, 14, tzinfo=dt.UTC),
            ends_at=dt.datetime(2026, 3, d, 20, tzinfo=dt.UTC),
        )
        for d in range(1, 21)
    ]
    for on in sessions[:2]:
        hours_entry_record(
            person=few.person,
            enrollment_ref=few.uuid,
            session_ref=on.uuid,
            minutes=60,
            occurred_on=dt.date(2026, 3, 1),
            source_kind="roll_call",
            by=None,
        )
    for on in sessions:
        for _ in range(2):
            credit(many, 30)
        AttendanceRecord.objects.create(
            enrollment=many, session=on, status=A.PRESENT, minutes_attended=360, source_kind="manual"
        )

    with CaptureQueriesContext(connection) as measured:
        progress_page_for(enrollment=few, now=NOW)
    with django_assert_num_queries(len(measured.captured_queries)):
        page = progress_page_for(enrollment=many, now=NOW)
    assert len(page.transcript) == 40
    assert len(measured.captured_queries) == 7


# --- the district team -------------------------------------------------------------------------


def test_the_superintendent_gets_each_team_member_with_hours(case):
    sam = Person.objects.get(user=case.cast.superintendent)

    [team] = district_team_progress_for(person=sam, now=NOW)

    assert team.cohort == case.cast.cohort
    assert [row.enrollment for row in team.rows] == [
        case.cast.superintendent_enrollment,
        case.cast.participant_enrollment,
    ]
    supt, pat = team.rows
    assert pat.done_minutes == PAT_MINUTES
    assert [flag.label for flag in supt.flags] == ["Behind pace", "Missed 1 joint session", "Cannot finish"]


def test_someone_who_is_not_a_superintendent_leads_no_team(cast):
    assert district_team_progress_for(person=Person.objects.get(user=cast.participant), now=NOW) == []


def test_the_district_team_takes_one_progress_per_cohort(cast, django_assert_num_queries):
    sam = Person.objects.get(user=cast.superintendent)
    second = CohortFactory(program=cast.cohort.program)
    EnrollmentFactory(cohort=second, person=sam, track=cast.superintendent_enrollment.track)
    for cohort in (cast.cohort, second):
        for _ in range(3):
            EnrollmentFactory(
                cohort=cohort,
                person=PersonFactory(organization=sam.organization),
                track=cast.participant_enrollment.track,
            )

    with django_assert_num_queries(1 + 2 * (1 + 5)):  # cohorts; per cohort: the team and five
        teams = district_team_progress_for(person=sam, now=NOW)

    assert sorted(len(team.rows) for team in teams) == [4, 5]  # Sam, Pat and three; Sam and three


def test_no_team_costs_no_query(cast, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert team_progress_for(cohort=cast.cohort, teams=[], now=NOW) == []


def test_a_team_splits_its_rows_into_superintendents_and_members(case):
    [team] = district_team_progress_for(person=Person.objects.get(user=case.cast.superintendent), now=NOW)

    assert team.district == case.cast.participant_enrollment.person.organization
    assert [row.enrollment for row in team.superintendents] == [case.cast.superintendent_enrollment]
    assert [row.enrollment for row in team.members] == [case.cast.participant_enrollment]
