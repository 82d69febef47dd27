"""The enrollment lifecycle (services) and the model rules of cohorts, sessions and enrollments."""

from __future__ import annotations

import datetime as dt
from itertools import product

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cecto.core.models import AuditEvent
from cecto.people.tests.factories import AgencyFactory, DistrictFactory, PersonFactory, UserFactory
from cecto.programs.models import EligibilityRule
from cecto.programs.tests.factories import EligibilityRuleFactory, ProgramFactory, TrackFactory
from cecto.scheduling.models import Cohort, Enrollment, EnrollmentStatusChange, Session
from cecto.scheduling.services import (
    TRANSITIONS,
    EnrollmentRefused,
    enrollment_create,
    enrollment_status_change,
)
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory, SessionFactory

S = Enrollment.Status
NOW = dt.datetime(2026, 3, 2, 15, 30, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    program = ProgramFactory(short_name="CeCTO")
    EligibilityRuleFactory(program=program, kind=EligibilityRule.Kind.DISTRICT_IN_STATE, state="NC")
    return program


@pytest.fixture
def cohort(program):
    return CohortFactory(program=program, name="Class of 2026", slug="class-of-2026", capacity=None)


@pytest.fixture
def track(program):
    return TrackFactory(program=program, name="Candidate", slug="candidate")


@pytest.fixture
def registrar():
    return UserFactory(username="registrar")


@pytest.fixture
def nc_person():
    return PersonFactory(full_name="Nora Carolina", organization=DistrictFactory(state="NC"))


def history_of(enrollment):
    return list(
        EnrollmentStatusChange.objects.filter(enrollment=enrollment).values_list(
            "from_status", "to_status", "by__username", "reason"
        )
    )


# --- enrollment_create -------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_creates_an_application_with_its_first_history_row(cohort, track, registrar, nc_person):
    enrollment = enrollment_create(person=nc_person, cohort=cohort, track=track, by=registrar)

    enrollment.refresh_from_db()
    assert enrollment.status == S.APPLIED
    assert enrollment.enrolled_on == dt.date(2026, 3, 2)
    assert enrollment.status_changed_at == NOW
    change = enrollment.status_changes.get()
    assert (change.from_status, change.to_status, change.by, change.reason, change.at) == (
        "",
        S.APPLIED,
        registrar,
        "",
        NOW,
    )


def test_it_records_an_audit_event_for_the_creation(cohort, track, registrar, nc_person):
    enrollment = enrollment_create(
        person=nc_person, cohort=cohort, track=track, by=registrar, status=S.ADMITTED
    )

    event = AuditEvent.objects.get()
    assert event.verb == "enrollment.created"
    assert event.actor == registrar
    assert event.subject_kind == "enrollment"
    assert event.subject_id == str(enrollment.uuid)
    assert event.data == {"cohort": "class-of-2026", "track": "candidate", "status": "admitted", "reason": ""}


def test_it_keeps_the_given_status_and_enrollment_date(cohort, track, registrar, nc_person):
    enrollment = enrollment_create(
        person=nc_person,
        cohort=cohort,
        track=track,
        by=registrar,
        status=S.ACTIVE,
        enrolled_on=dt.date(2026, 4, 1),
    )

    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.enrolled_on) == (S.ACTIVE, dt.date(2026, 4, 1))
    assert history_of(enrollment) == [("", "active", "registrar", "")]


@pytest.mark.parametrize("actor", [None, AnonymousUser()])
def test_it_records_no_actor_for_a_system_or_anonymous_change(cohort, track, nc_person, actor):
    enrollment = enrollment_create(person=nc_person, cohort=cohort, track=track, by=actor)

    assert enrollment.status_changes.get().by is None
    assert AuditEvent.objects.get().actor is None


def test_it_refuses_a_track_of_another_programme(cohort, registrar, nc_person):
    foreign_track = TrackFactory(name="Other track", program=ProgramFactory(short_name="OTHER"))

    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_create(person=nc_person, cohort=cohort, track=foreign_track, by=registrar)

    assert str(refused.value) == "The track Other track is not part of CeCTO."
    assert not Enrollment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_second_enrollment_in_the_same_cohort(cohort, track, registrar, nc_person):
    enrollment_create(person=nc_person, cohort=cohort, track=track, by=registrar)
    other_track = TrackFactory(program=cohort.program)

    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_create(person=nc_person, cohort=cohort, track=other_track, by=registrar)

    assert str(refused.value) == "Nora Carolina is already enrolled in Class of 2026."
    assert Enrollment.objects.count() == 1
    assert EnrollmentStatusChange.objects.count() == 1


def test_it_lets_the_same_person_join_another_cohort(cohort, track, registrar, nc_person):
    enrollment_create(person=nc_person, cohort=cohort, track=track, by=registrar)
    next_class = CohortFactory(program=cohort.program)

    enrollment_create(person=nc_person, cohort=next_class, track=track, by=registrar)

    assert nc_person.enrollments.count() == 2


@pytest.mark.parametrize(
    ("organization_factory", "reason"),
    [
        (lambda: AgencyFactory(state="NC"), "Works for no school district."),
        (lambda: DistrictFactory(state="VA"), "The district is not in NC."),
        (lambda: None, "Works for no school district."),
    ],
    ids=["agency", "other-state-district", "no-organization"],
)
def test_it_refuses_an_ineligible_person_with_the_reasons(
    cohort, track, registrar, organization_factory, reason
):
    person = PersonFactory(full_name="Ivy Ineligible", organization=organization_factory())

    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_create(person=person, cohort=cohort, track=track, by=registrar)

    assert str(refused.value) == (
        f"Ivy Ineligible is not eligible: {reason} Give a waiver reason to admit them anyway."
    )
    assert not Enrollment.objects.exists()


def test_it_lists_every_unmet_rule_when_refusing(cohort, track, registrar):
    EligibilityRuleFactory(
        program=cohort.program,
        kind=EligibilityRule.Kind.MIN_YEARS_IN_ROLE,
        state="",
        min_years=3,
    )
    person = PersonFactory(full_name="Ivy", organization=AgencyFactory(), years_in_role=1)

    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_create(person=person, cohort=cohort, track=track, by=registrar)

    assert str(refused.value) == (
        "Ivy is not eligible: Works for no school district. "
        "1 years in the role; at least 3 are required. Give a waiver reason to admit them anyway."
    )


def test_it_refuses_a_blank_waiver(cohort, track, registrar):
    person = PersonFactory(organization=AgencyFactory())

    with pytest.raises(EnrollmentRefused, match="is not eligible"):
        enrollment_create(person=person, cohort=cohort, track=track, by=registrar, eligibility_waiver="   ")

    assert not Enrollment.objects.exists()


@pytest.mark.parametrize(
    "organization_factory",
    [lambda: AgencyFactory(state="NC"), lambda: DistrictFactory(state="SC")],
    ids=["agency", "other-state-district"],
)
def test_it_admits_an_ineligible_person_with_a_waiver_and_says_so(
    cohort, track, registrar, organization_factory
):
    person = PersonFactory(organization=organization_factory())

    enrollment = enrollment_create(
        person=person,
        cohort=cohort,
        track=track,
        by=registrar,
        status=S.ADMITTED,
        eligibility_waiver="State CIO's office seconded to the district.",
    )

    reason = "Eligibility waived: State CIO's office seconded to the district."
    assert history_of(enrollment) == [("", "admitted", "registrar", reason)]
    assert AuditEvent.objects.get().data["reason"] == reason


def test_it_records_no_waiver_for_an_eligible_person(cohort, track, registrar, nc_person):
    enrollment = enrollment_create(
        person=nc_person, cohort=cohort, track=track, by=registrar, eligibility_waiver="Just in case."
    )

    assert history_of(enrollment) == [("", "applied", "registrar", "")]


def test_it_admits_anyone_to_a_programme_without_rules(registrar):
    cohort = CohortFactory()
    track = TrackFactory(program=cohort.program)
    person = PersonFactory(organization=AgencyFactory())

    enrollment = enrollment_create(person=person, cohort=cohort, track=track, by=registrar)

    assert enrollment.pk is not None


# --- capacity ----------------------------------------------------------------------------------


@pytest.fixture
def full_cohort(cohort, track):
    cohort.capacity = 2
    cohort.save()
    EnrollmentFactory.create_batch(2, cohort=cohort, track=track, status=S.ADMITTED)
    return cohort


@pytest.mark.parametrize("status", [S.ADMITTED, S.ACTIVE])
def test_it_refuses_to_admit_past_capacity_naming_the_class(full_cohort, track, registrar, nc_person, status):
    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_create(person=nc_person, cohort=full_cohort, track=track, by=registrar, status=status)

    assert str(refused.value) == "Class of 2026 is full: 2 of 2 places taken."
    assert full_cohort.enrollments.count() == 2


def test_it_still_takes_applications_when_the_class_is_full(full_cohort, track, registrar, nc_person):
    enrollment = enrollment_create(person=nc_person, cohort=full_cohort, track=track, by=registrar)

    assert enrollment.status == S.APPLIED
    assert full_cohort.enrollments.count() == 3


@pytest.mark.parametrize("status", [S.APPLIED, S.WITHDRAWN])
def test_applicants_and_withdrawn_people_take_no_place(cohort, track, registrar, nc_person, status):
    cohort.capacity = 1
    cohort.save()
    EnrollmentFactory.create_batch(3, cohort=cohort, track=track, status=status)

    enrollment = enrollment_create(
        person=nc_person, cohort=cohort, track=track, by=registrar, status=S.ADMITTED
    )

    assert enrollment.status == S.ADMITTED


@pytest.mark.parametrize("status", [S.COMPLETED, S.CERTIFIED, S.ACTIVE])
def test_finished_and_active_people_take_a_place(cohort, track, registrar, nc_person, status):
    cohort.capacity = 1
    cohort.save()
    EnrollmentFactory(cohort=cohort, track=track, status=status)

    with pytest.raises(EnrollmentRefused, match=r"Class of 2026 is full: 1 of 1 places taken\."):
        enrollment_create(person=nc_person, cohort=cohort, track=track, by=registrar, status=S.ADMITTED)


def test_it_fills_the_last_place(cohort, track, registrar, nc_person):
    cohort.capacity = 2
    cohort.save()
    EnrollmentFactory(cohort=cohort, track=track, status=S.ACTIVE)

    enrollment_create(person=nc_person, cohort=cohort, track=track, by=registrar, status=S.ADMITTED)

    assert cohort.enrollments.filter(status__in=[S.ADMITTED, S.ACTIVE]).count() == 2


def test_a_class_without_capacity_has_no_limit(cohort, track, registrar, nc_person):
    EnrollmentFactory.create_batch(40, cohort=cohort, track=track, status=S.ACTIVE)

    enrollment_create(person=nc_person, cohort=cohort, track=track, by=registrar, status=S.ADMITTED)

    assert cohort.enrollments.count() == 41


# --- enrollment_status_change ------------------------------------------------------------------

ALLOWED = sorted((str(a), str(b)) for a, targets in TRANSITIONS.items() for b in targets)
REFUSED = sorted(
    (str(a), str(b)) for a, b in product(S.values, S.values) if (str(a), str(b)) not in set(ALLOWED)
)


def test_the_lifecycle_is_the_documented_one():
    assert (
        sorted(
            [
                ("applied", "admitted"),
                ("applied", "withdrawn"),
                ("admitted", "active"),
                ("admitted", "withdrawn"),
                ("active", "completed"),
                ("active", "withdrawn"),
                ("withdrawn", "admitted"),
                ("completed", "certified"),
                ("completed", "active"),
            ]
        )
        == ALLOWED
    )
    assert TRANSITIONS[S.CERTIFIED] == frozenset()
    assert set(TRANSITIONS) == set(S.values)


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_it_makes_every_allowed_transition_and_records_it(cohort, track, registrar, from_status, to_status):
    enrollment = EnrollmentFactory(
        cohort=cohort, track=track, status=from_status, status_changed_at=NOW - dt.timedelta(days=30)
    )

    with time_machine.travel(NOW, tick=False):
        changed = enrollment_status_change(
            enrollment=enrollment, to_status=to_status, by=registrar, reason="Decided at the board."
        )

    assert changed.status == to_status
    enrollment.refresh_from_db()
    assert enrollment.status == to_status
    assert enrollment.status_changed_at == NOW
    change = enrollment.status_changes.get()
    assert (change.from_status, change.to_status, change.by, change.reason, change.at) == (
        from_status,
        to_status,
        registrar,
        "Decided at the board.",
        NOW,
    )
    event = AuditEvent.objects.get()
    assert (event.verb, event.actor, event.subject_id) == (
        "enrollment.status_changed",
        registrar,
        str(enrollment.uuid),
    )
    assert event.data == {"from": from_status, "to": to_status, "reason": "Decided at the board."}


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_it_refuses_every_other_transition(cohort, track, registrar, from_status, to_status):
    enrollment = EnrollmentFactory(cohort=cohort, track=track, status=from_status)

    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_status_change(enrollment=enrollment, to_status=to_status, by=registrar, reason="Try.")

    assert str(refused.value) == (
        f"An enrollment that is {S(from_status).label.lower()} cannot become {S(to_status).label.lower()}."
    )
    enrollment.refresh_from_db()
    assert enrollment.status == from_status
    assert not EnrollmentStatusChange.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("from_status", "to_status", "message"),
    [
        ("applied", "completed", "An enrollment that is applied cannot become completed."),
        ("certified", "withdrawn", "An enrollment that is certified cannot become withdrawn."),
        ("certified", "active", "An enrollment that is certified cannot become active."),
        ("withdrawn", "active", "An enrollment that is withdrawn cannot become active."),
    ],
)
def test_it_explains_a_refused_transition_in_plain_words(cohort, track, from_status, to_status, message):
    enrollment = EnrollmentFactory(cohort=cohort, track=track, status=from_status)

    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_status_change(enrollment=enrollment, to_status=to_status, by=None, reason="x")

    assert str(refused.value) == message


def test_it_judges_the_stored_status_not_a_stale_copy(cohort, track, registrar):
    enrollment = EnrollmentFactory(cohort=cohort, track=track, status=S.ACTIVE)
    Enrollment.objects.filter(pk=enrollment.pk).update(status=S.WITHDRAWN)  # someone else withdrew them

    with pytest.raises(EnrollmentRefused, match="is withdrawn cannot become completed"):
        enrollment_status_change(enrollment=enrollment, to_status=S.COMPLETED, by=registrar)

    enrollment.refresh_from_db()
    assert enrollment.status == S.WITHDRAWN


@pytest.mark.parametrize("reason", ["", "   "])
@pytest.mark.parametrize("from_status", [S.APPLIED, S.ADMITTED, S.ACTIVE])
def test_it_refuses_a_withdrawal_without_a_reason(cohort, track, registrar, from_status, reason):
    enrollment = EnrollmentFactory(cohort=cohort, track=track, status=from_status)

    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_status_change(enrollment=enrollment, to_status=S.WITHDRAWN, by=registrar, reason=reason)

    assert str(refused.value) == "Give a reason for the withdrawal."
    enrollment.refresh_from_db()
    assert enrollment.status == from_status
    assert not EnrollmentStatusChange.objects.exists()


def test_other_transitions_need_no_reason(cohort, track, registrar):
    enrollment = EnrollmentFactory(cohort=cohort, track=track, status=S.ADMITTED)

    enrollment_status_change(enrollment=enrollment, to_status=S.ACTIVE, by=registrar)

    assert history_of(enrollment) == [("admitted", "active", "registrar", "")]


def test_it_keeps_the_whole_history_in_order(cohort, track, registrar, nc_person):
    enrollment = enrollment_create(person=nc_person, cohort=cohort, track=track, by=registrar)
    for to_status, reason in [
        (S.ADMITTED, ""),
        (S.WITHDRAWN, "Moved to Virginia."),
        (S.ADMITTED, "Came back."),
        (S.ACTIVE, ""),
        (S.COMPLETED, ""),
        (S.CERTIFIED, ""),
    ]:
        enrollment = enrollment_status_change(
            enrollment=enrollment, to_status=to_status, by=registrar, reason=reason
        )

    assert [(f, t, r) for f, t, _, r in history_of(enrollment)] == [
        ("", "applied", ""),
        ("applied", "admitted", ""),
        ("admitted", "withdrawn", "Moved to Virginia."),
        ("withdrawn", "admitted", "Came back."),
        ("admitted", "active", ""),
        ("active", "completed", ""),
        ("completed", "certified", ""),
    ]
    assert AuditEvent.objects.count() == 7


def test_readmission_from_withdrawn_respects_capacity(cohort, track, registrar):
    cohort.capacity = 1
    cohort.save()
    withdrawn = EnrollmentFactory(cohort=cohort, track=track, status=S.WITHDRAWN)
    taker = EnrollmentFactory(cohort=cohort, track=track, status=S.ACTIVE)

    with pytest.raises(EnrollmentRefused) as refused:
        enrollment_status_change(enrollment=withdrawn, to_status=S.ADMITTED, by=registrar, reason="Back.")

    assert str(refused.value) == "Class of 2026 is full: 1 of 1 places taken."
    withdrawn.refresh_from_db()
    assert withdrawn.status == S.WITHDRAWN

    enrollment_status_change(enrollment=taker, to_status=S.WITHDRAWN, by=registrar, reason="Left.")
    readmitted = enrollment_status_change(
        enrollment=withdrawn, to_status=S.ADMITTED, by=registrar, reason="Back."
    )

    assert readmitted.status == S.ADMITTED


def test_admitting_an_applicant_respects_capacity(cohort, track, registrar):
    cohort.capacity = 1
    cohort.save()
    applicant = EnrollmentFactory(cohort=cohort, track=track, status=S.APPLIED)
    EnrollmentFactory(cohort=cohort, track=track, status=S.ADMITTED)

    with pytest.raises(EnrollmentRefused, match="Class of 2026 is full"):
        enrollment_status_change(enrollment=applicant, to_status=S.ADMITTED, by=registrar)


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [(S.ADMITTED, S.ACTIVE), (S.ACTIVE, S.COMPLETED), (S.COMPLETED, S.ACTIVE), (S.COMPLETED, S.CERTIFIED)],
)
def test_moves_between_current_statuses_ignore_a_full_class(cohort, track, registrar, from_status, to_status):
    cohort.capacity = 1
    cohort.save()
    enrollment = EnrollmentFactory(cohort=cohort, track=track, status=from_status)

    changed = enrollment_status_change(enrollment=enrollment, to_status=to_status, by=registrar)

    assert changed.status == to_status


# --- model validation: Session -----------------------------------------------------------------


def session_errors(session):
    with pytest.raises(ValidationError) as error:
        session.clean()
    return error.value.message_dict


def test_a_session_cannot_credit_more_minutes_than_it_lasts(cohort):
    session = SessionFactory.build(cohort=cohort, contact_minutes=421)  # 14:00-21:00 UTC is 420 minutes

    assert session_errors(session) == {
        "contact_minutes": ["421 contact minutes do not fit in a 420-minute session."]
    }


def test_a_session_may_credit_exactly_its_length(cohort):
    session = SessionFactory.build(cohort=cohort, contact_minutes=420)

    assert session.clean() is None


def test_a_self_paced_module_may_credit_more_than_its_open_window(cohort):
    session = SessionFactory.build(
        cohort=cohort,
        mode=Session.Mode.ONLINE_SELF_PACED,
        location="",
        contact_minutes=10_000,
    )

    assert session.clean() is None


def test_a_session_must_end_after_it_starts(cohort):
    session = SessionFactory.build(
        cohort=cohort,
        starts_at=dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC),
    )

    assert session_errors(session) == {"ends_at": ["The session must end after it starts."]}


def test_an_in_person_session_needs_a_location(cohort):
    session = SessionFactory.build(cohort=cohort, mode=Session.Mode.IN_PERSON, location="")

    assert session_errors(session) == {"location": ["An in-person session needs a location."]}


def test_a_live_online_session_needs_a_meeting_url(cohort):
    session = SessionFactory.build(cohort=cohort, mode=Session.Mode.ONLINE_LIVE, location="", meeting_url="")

    assert session_errors(session) == {"meeting_url": ["A live online session needs a meeting URL."]}


def test_a_live_online_session_with_a_url_is_valid(cohort):
    session = SessionFactory.build(
        cohort=cohort, mode=Session.Mode.ONLINE_LIVE, location="", meeting_url="https://meet.example.org/x"
    )

    assert session.clean() is None


def test_a_session_track_must_belong_to_the_cohorts_programme(cohort):
    session = SessionFactory.build(cohort=cohort, track=TrackFactory())

    assert session_errors(session) == {"track": ["The track belongs to another programme."]}


def test_a_session_for_a_track_of_the_programme_is_valid(cohort, track):
    session = SessionFactory.build(cohort=cohort, track=track)

    assert session.clean() is None
    assert session.is_joint is False


def test_a_session_reports_every_problem_at_once(cohort):
    session = SessionFactory.build(
        cohort=cohort, mode=Session.Mode.IN_PERSON, location="", contact_minutes=999, track=TrackFactory()
    )

    assert set(session_errors(session)) == {"contact_minutes", "location", "track"}


# --- model validation: Cohort and Enrollment ---------------------------------------------------


def test_a_cohort_cannot_graduate_before_its_kick_off(program):
    cohort = CohortFactory.build(program=program, starts_on=dt.date(2026, 2, 10), ends_on=dt.date(2026, 2, 9))

    with pytest.raises(ValidationError) as error:
        cohort.clean()

    assert error.value.message_dict == {"ends_on": ["Graduation cannot come before the kick-off."]}


def test_a_one_day_cohort_is_valid(program):
    cohort = CohortFactory.build(
        program=program, starts_on=dt.date(2026, 2, 10), ends_on=dt.date(2026, 2, 10)
    )

    assert cohort.clean() is None
    assert cohort.is_running_on(dt.date(2026, 2, 10))
    assert not cohort.is_running_on(dt.date(2026, 2, 11))


def test_the_database_refuses_a_cohort_that_ends_before_it_starts(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        CohortFactory(program=program, starts_on=dt.date(2026, 2, 10), ends_on=dt.date(2025, 12, 1))

    assert not Cohort.objects.exists()


def test_an_enrollment_track_must_belong_to_the_cohorts_programme(cohort, nc_person):
    enrollment = Enrollment(
        person=nc_person, cohort=cohort, track=TrackFactory(), enrolled_on=dt.date(2026, 2, 10)
    )

    with pytest.raises(ValidationError) as error:
        enrollment.clean()

    assert error.value.message_dict == {"track": ["The track belongs to another programme."]}


def test_an_enrollment_on_a_track_of_the_programme_is_valid(cohort, track, nc_person):
    enrollment = Enrollment(person=nc_person, cohort=cohort, track=track, enrolled_on=dt.date(2026, 2, 10))

    enrollment.full_clean()

    assert enrollment.clean() is None
