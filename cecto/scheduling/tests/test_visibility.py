"""Who sees which cohorts and enrollments (querysets, permissions) and the reads built on them."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from cecto.people.models import Person
from cecto.people.tests.factories import AgencyFactory, DistrictFactory, PersonFactory, UserFactory
from cecto.programs.models import Program
from cecto.programs.tests.factories import ProgramAdministratorFactory, ProgramFactory, TrackFactory
from cecto.scheduling.models import Cohort, Enrollment
from cecto.scheduling.permissions import (
    can_manage_cohort,
    can_see_roster_details,
    get_cohort_for,
    get_enrollment_for,
)
from cecto.scheduling.selectors import (
    district_teams_for,
    led_district_teams_for,
    numbers_by_class_for,
    roster_for,
)
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory

S = Enrollment.Status


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def person_of(user):
    return Person.objects.get(user=user)


def district_of(user):
    return person_of(user).organization


# --- Cohort.objects.visible_to -----------------------------------------------------------------


def test_the_programme_administrator_sees_every_class_of_their_programme_only(cast):
    next_class = CohortFactory(program=cast.cohort.program)

    assert set(Cohort.objects.visible_to(cast.admin)) == {cast.cohort, next_class}


def test_the_instructor_sees_the_class_they_teach_only(cast):
    CohortFactory(program=cast.cohort.program)  # a class of the same programme they do not teach

    assert list(Cohort.objects.visible_to(cast.instructor)) == [cast.cohort]


@pytest.mark.parametrize("who", ["participant", "superintendent"])
def test_a_member_sees_their_own_class_only(cast, who):
    CohortFactory(program=cast.cohort.program)

    assert list(Cohort.objects.visible_to(getattr(cast, who))) == [cast.cohort]


def test_the_outsider_sees_only_their_own_other_class(cast):
    assert list(Cohort.objects.visible_to(cast.outsider)) == [cast.other_cohort]


def test_an_anonymous_visitor_sees_no_class(cast):
    assert list(Cohort.objects.visible_to(AnonymousUser())) == []


def test_a_superuser_sees_every_class(cast, superuser):
    assert set(Cohort.objects.visible_to(superuser)) == {cast.cohort, cast.other_cohort}


@pytest.mark.parametrize("status", [S.APPLIED, S.WITHDRAWN])
def test_an_applicant_or_withdrawn_person_does_not_see_the_class(cast, status):
    user = UserFactory(username="applicant")
    EnrollmentFactory(person=PersonFactory(user=user), cohort=cast.cohort, status=status)

    assert list(Cohort.objects.visible_to(user)) == []


@pytest.mark.parametrize("status", [S.ADMITTED, S.ACTIVE, S.COMPLETED, S.CERTIFIED])
def test_every_member_status_sees_the_class(cast, status):
    user = UserFactory(username="member")
    EnrollmentFactory(person=PersonFactory(user=user), cohort=cast.cohort, status=status)

    assert list(Cohort.objects.visible_to(user)) == [cast.cohort]


def test_a_login_without_a_person_sees_no_class(cast):
    assert list(Cohort.objects.visible_to(UserFactory(username="bare"))) == []


def test_a_class_seen_for_several_reasons_appears_once(cast):
    person = person_of(cast.instructor)
    ProgramAdministratorFactory(program=cast.cohort.program, person=person)
    EnrollmentFactory(person=person, cohort=cast.cohort, status=S.ACTIVE)

    assert list(Cohort.objects.visible_to(cast.instructor)) == [cast.cohort]


# --- Enrollment.objects.visible_to -------------------------------------------------------------


def test_a_participant_sees_only_their_own_enrollment(cast):
    EnrollmentFactory(cohort=cast.cohort)  # a classmate

    assert list(Enrollment.objects.visible_to(cast.participant)) == [cast.participant_enrollment]


def test_the_outsider_sees_only_their_own_enrollment(cast):
    own = cast.other_cohort.enrollments.get()

    assert list(Enrollment.objects.visible_to(cast.outsider)) == [own]


@pytest.mark.parametrize("who", ["admin", "instructor"])
def test_staff_see_every_enrollment_of_the_class_and_no_other(cast, who):
    classmate = EnrollmentFactory(cohort=cast.cohort, status=S.APPLIED)

    assert set(Enrollment.objects.visible_to(getattr(cast, who))) == {
        cast.participant_enrollment,
        cast.superintendent_enrollment,
        classmate,
    }


def test_the_superintendent_sees_their_district_team_but_not_other_districts(cast):
    other_district_candidate = EnrollmentFactory(cohort=cast.cohort)

    visible = set(Enrollment.objects.visible_to(cast.superintendent))

    assert visible == {cast.superintendent_enrollment, cast.participant_enrollment}
    assert other_district_candidate not in visible


def test_the_superintendent_does_not_see_their_district_in_a_class_they_are_not_in(cast):
    colleague_elsewhere = EnrollmentFactory(
        person=PersonFactory(organization=district_of(cast.superintendent)), cohort=cast.other_cohort
    )

    assert colleague_elsewhere not in Enrollment.objects.visible_to(cast.superintendent)


@pytest.mark.parametrize("status", [S.APPLIED, S.WITHDRAWN])
def test_a_superintendent_who_is_not_a_member_leads_no_team(cast, status):
    Enrollment.objects.filter(pk=cast.superintendent_enrollment.pk).update(status=status)

    assert list(Enrollment.objects.visible_to(cast.superintendent)) == [cast.superintendent_enrollment]


def test_a_candidate_does_not_see_their_superintendents_enrollment(cast):
    assert cast.superintendent_enrollment not in Enrollment.objects.visible_to(cast.participant)


def test_the_superintendent_role_outside_a_district_gives_no_team(cast):
    agency = AgencyFactory()
    user = UserFactory(username="agency-boss")
    EnrollmentFactory(
        person=PersonFactory(
            user=user, organization=agency, district_role=Person.DistrictRole.SUPERINTENDENT
        ),
        cohort=cast.cohort,
    )
    colleague = EnrollmentFactory(person=PersonFactory(organization=agency), cohort=cast.cohort)

    assert colleague not in Enrollment.objects.visible_to(user)


def test_an_anonymous_visitor_sees_no_enrollment(cast):
    assert list(Enrollment.objects.visible_to(AnonymousUser())) == []


def test_a_superuser_sees_every_enrollment(cast, superuser):
    assert Enrollment.objects.visible_to(superuser).count() == Enrollment.objects.count() == 3


# --- permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "instructor", "participant", "superintendent"])
def test_get_cohort_for_returns_a_visible_class(cast, who):
    assert get_cohort_for(getattr(cast, who), "class-of-2026") == cast.cohort


def test_get_cohort_for_raises_404_for_an_invisible_class(cast):
    with pytest.raises(Http404):
        get_cohort_for(cast.outsider, "class-of-2026")


def test_get_cohort_for_raises_404_for_an_anonymous_visitor(cast):
    with pytest.raises(Http404):
        get_cohort_for(AnonymousUser(), "class-of-2026")


def test_get_cohort_for_raises_404_for_an_unknown_slug(cast):
    with pytest.raises(Http404):
        get_cohort_for(cast.admin, "no-such-class")


@pytest.mark.parametrize("who", ["instructor", "participant", "superintendent"])
def test_get_cohort_for_write_refuses_a_reader(cast, who):
    with pytest.raises(PermissionDenied):
        get_cohort_for(getattr(cast, who), "class-of-2026", write=True)


def test_get_cohort_for_write_lets_the_administrator_and_a_superuser_in(cast, superuser):
    assert get_cohort_for(cast.admin, "class-of-2026", write=True) == cast.cohort
    assert get_cohort_for(superuser, "class-of-2026", write=True) == cast.cohort


def test_get_cohort_for_write_still_hides_an_invisible_class(cast):
    with pytest.raises(Http404):
        get_cohort_for(cast.outsider, "class-of-2026", write=True)


@pytest.mark.parametrize(
    ("who", "can"),
    [
        ("admin", True),
        ("instructor", False),
        ("participant", False),
        ("superintendent", False),
        ("outsider", False),
    ],
)
def test_can_manage_cohort(cast, who, can):
    assert can_manage_cohort(getattr(cast, who), cast.cohort) is can


def test_an_anonymous_visitor_manages_nothing(cast):
    assert can_manage_cohort(AnonymousUser(), cast.cohort) is False


@pytest.mark.parametrize(
    ("who", "enrollment"), [("participant", "participant"), ("superintendent", "superintendent")]
)
def test_get_enrollment_for_returns_ones_own(cast, who, enrollment):
    expected = getattr(cast, f"{enrollment}_enrollment")

    assert get_enrollment_for(getattr(cast, who), expected.uuid) == expected


@pytest.mark.parametrize("who", ["admin", "instructor", "superintendent"])
def test_get_enrollment_for_returns_the_participants_to_those_who_oversee_it(cast, who):
    assert (
        get_enrollment_for(getattr(cast, who), cast.participant_enrollment.uuid)
        == cast.participant_enrollment
    )


@pytest.mark.parametrize("who", ["participant", "outsider"])
def test_get_enrollment_for_raises_404_to_a_classmate_or_outsider(cast, who):
    with pytest.raises(Http404):
        get_enrollment_for(getattr(cast, who), cast.superintendent_enrollment.uuid)


def test_get_enrollment_for_raises_404_for_an_unknown_uuid(cast):
    with pytest.raises(Http404):
        get_enrollment_for(cast.admin, uuid.uuid4())


def test_get_enrollment_for_loads_what_the_page_shows_in_one_query(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        enrollment = get_enrollment_for(cast.participant, cast.participant_enrollment.uuid)
        shown = (
            enrollment.person.organization.name,
            enrollment.cohort.program.name,
            enrollment.track.name,
        )

    assert all(shown)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("admin", True),
        ("instructor", True),
        ("participant", False),
        ("superintendent", False),
        ("outsider", False),
    ],
)
def test_can_see_roster_details(cast, who, sees):
    assert can_see_roster_details(getattr(cast, who), cast.cohort) is sees


def test_roster_details_for_a_superuser_but_not_an_anonymous_visitor(cast, superuser):
    assert can_see_roster_details(superuser, cast.cohort) is True
    assert can_see_roster_details(AnonymousUser(), cast.cohort) is False


def test_an_instructor_sees_details_only_for_the_class_they_teach(cast):
    assert can_see_roster_details(cast.instructor, cast.other_cohort) is False


# --- Program visible_to / administered_by ------------------------------------------------------


@pytest.fixture
def hidden_program(cast):
    program = ProgramFactory(is_public=False, name="Pilot")
    ProgramAdministratorFactory(program=program, person=person_of(cast.admin))
    return program


def test_the_public_sees_only_public_programmes(cast, hidden_program):
    visible = set(Program.objects.visible_to(AnonymousUser()))

    assert hidden_program not in visible
    assert visible == set(Program.objects.filter(is_public=True))


def test_a_stranger_does_not_see_a_non_public_programme(cast, hidden_program):
    assert hidden_program not in Program.objects.visible_to(cast.outsider)
    assert cast.cohort.program in Program.objects.visible_to(cast.outsider)


def test_the_administrator_sees_their_non_public_programme(cast, hidden_program):
    assert hidden_program in Program.objects.visible_to(cast.admin)


def test_a_superuser_sees_every_programme(cast, hidden_program, superuser):
    assert Program.objects.visible_to(superuser).count() == Program.objects.count()


def test_a_programme_with_several_administrators_is_listed_once(cast):
    program = cast.cohort.program
    ProgramAdministratorFactory.create_batch(2, program=program)

    assert list(Program.objects.visible_to(cast.admin)).count(program) == 1


def test_administered_by_lists_the_users_own_programmes(cast, hidden_program):
    assert set(Program.objects.administered_by(cast.admin)) == {cast.cohort.program, hidden_program}


@pytest.mark.parametrize("who", ["instructor", "participant", "outsider"])
def test_administered_by_is_empty_for_non_administrators(cast, who):
    assert list(Program.objects.administered_by(getattr(cast, who))) == []


def test_administered_by_is_empty_for_the_public_and_everything_for_a_superuser(cast, superuser):
    assert list(Program.objects.administered_by(AnonymousUser())) == []
    assert Program.objects.administered_by(superuser).count() == Program.objects.count()


# --- roster_for --------------------------------------------------------------------------------


def test_the_roster_lists_the_class_by_track_then_name(db):
    cohort = CohortFactory()
    first_track = TrackFactory(program=cohort.program, position=0)
    second_track = TrackFactory(program=cohort.program, position=1)
    zoe = EnrollmentFactory(cohort=cohort, track=first_track, person=PersonFactory(full_name="Zoe"))
    adam = EnrollmentFactory(cohort=cohort, track=second_track, person=PersonFactory(full_name="Adam"))
    bea = EnrollmentFactory(cohort=cohort, track=first_track, person=PersonFactory(full_name="Bea"))
    EnrollmentFactory()  # another class

    assert list(roster_for(cohort=cohort)) == [bea, zoe, adam]


def test_the_roster_reads_people_districts_and_tracks_in_one_query(db, django_assert_num_queries):
    cohort = CohortFactory()
    EnrollmentFactory.create_batch(5, cohort=cohort)

    with django_assert_num_queries(1):
        shown = [
            (e.person.full_name, e.person.organization.name, e.track.name) for e in roster_for(cohort=cohort)
        ]

    assert len(shown) == 5


# --- district_teams_for ------------------------------------------------------------------------


@pytest.fixture
def teams_cohort(db):
    cohort = CohortFactory()
    track = TrackFactory(program=cohort.program)
    alpha = DistrictFactory(name="Alpha County Schools")
    beta = DistrictFactory(name="Beta City Schools")

    def enroll(name, organization, role=Person.DistrictRole.TECHNOLOGY_DIRECTOR, status=S.ACTIVE):
        person = PersonFactory(full_name=name, organization=organization, district_role=role)
        return EnrollmentFactory(person=person, cohort=cohort, track=track, status=status)

    enrolled = {
        "alpha_supt": enroll("Ann Super", alpha, Person.DistrictRole.SUPERINTENDENT),
        "alpha_cto": enroll("Al Director", alpha),
        "alpha_staff": enroll("Amy Staff", alpha, Person.DistrictRole.TECHNOLOGY_STAFF, S.ADMITTED),
        "alpha_withdrawn": enroll("Andy Gone", alpha, status=S.WITHDRAWN),
        "alpha_applicant": enroll("April Hopeful", alpha, status=S.APPLIED),
        "beta_cto": enroll("Bo Director", beta, status=S.CERTIFIED),
        "agency": enroll("Ed Agency", AgencyFactory(), Person.DistrictRole.AGENCY_STAFF),
    }
    return cohort, alpha, beta, enrolled


def test_it_groups_the_current_enrollments_of_each_district(teams_cohort):
    cohort, alpha, beta, e = teams_cohort

    teams = district_teams_for(cohort=cohort)

    assert [team.district for team in teams] == [alpha, beta]
    alpha_team, beta_team = teams
    assert alpha_team.superintendents == (e["alpha_supt"],)
    assert alpha_team.members == (e["alpha_cto"], e["alpha_staff"])
    assert alpha_team.has_superintendent is True
    assert beta_team.superintendents == ()
    assert beta_team.members == (e["beta_cto"],)
    assert beta_team.has_superintendent is False


def test_withdrawn_people_applicants_and_non_district_staff_are_in_no_team(teams_cohort):
    cohort, _, _, e = teams_cohort

    in_teams = {
        m for team in district_teams_for(cohort=cohort) for m in (*team.superintendents, *team.members)
    }

    assert e["alpha_withdrawn"] not in in_teams
    assert e["alpha_applicant"] not in in_teams
    assert e["agency"] not in in_teams
    assert len(in_teams) == 4


def test_it_can_give_the_team_of_one_district(teams_cohort):
    cohort, _, beta, e = teams_cohort

    teams = district_teams_for(cohort=cohort, district=beta)

    assert [(t.district, t.members) for t in teams] == [(beta, (e["beta_cto"],))]


def test_a_class_without_district_people_has_no_team(db):
    cohort = CohortFactory()
    EnrollmentFactory(cohort=cohort, person=PersonFactory(organization=AgencyFactory()))

    assert district_teams_for(cohort=cohort) == []


# --- led_district_teams_for --------------------------------------------------------------------


def test_the_superintendent_leads_the_team_of_their_district_in_their_class(cast):
    EnrollmentFactory(cohort=cast.cohort)  # a candidate from another district

    led = led_district_teams_for(person=person_of(cast.superintendent))

    assert len(led) == 1
    cohort, team = led[0]
    assert cohort == cast.cohort
    assert team.district == district_of(cast.superintendent)
    assert team.superintendents == (cast.superintendent_enrollment,)
    assert team.members == (cast.participant_enrollment,)


@pytest.mark.parametrize("who", ["participant", "instructor", "admin", "outsider"])
def test_someone_who_is_not_a_superintendent_leads_no_team(cast, who):
    assert led_district_teams_for(person=person_of(getattr(cast, who))) == []


def test_a_superintendent_outside_a_district_leads_no_team(db):
    person = PersonFactory(organization=AgencyFactory(), district_role=Person.DistrictRole.SUPERINTENDENT)
    EnrollmentFactory(person=person)

    assert led_district_teams_for(person=person) == []


@pytest.mark.parametrize("status", [S.APPLIED, S.WITHDRAWN])
def test_a_superintendent_who_is_not_current_in_the_class_leads_no_team_there(cast, status):
    Enrollment.objects.filter(pk=cast.superintendent_enrollment.pk).update(status=status)

    assert led_district_teams_for(person=person_of(cast.superintendent)) == []


def test_a_superintendent_in_two_classes_leads_a_team_in_each_newest_first(cast):
    superintendent = person_of(cast.superintendent)
    later = CohortFactory(
        program=cast.cohort.program, starts_on=dt.date(2027, 2, 10), ends_on=dt.date(2027, 12, 1)
    )
    EnrollmentFactory(person=superintendent, cohort=later)
    colleague = EnrollmentFactory(
        person=PersonFactory(organization=superintendent.organization), cohort=later
    )

    led = led_district_teams_for(person=superintendent)

    assert [cohort for cohort, _ in led] == [later, cast.cohort]
    assert led[0][1].members == (colleague,)


# --- numbers_by_class_for ----------------------------------------------------------------------


def make_program_with_classes(count, *, per_class=2):
    program = ProgramFactory()
    tracks = [
        TrackFactory(program=program, name="Candidates", position=0),
        TrackFactory(program=program, name="Superintendents", position=1),
    ]
    for year in range(count):
        cohort = CohortFactory(
            program=program, starts_on=dt.date(2010 + year, 2, 1), ends_on=dt.date(2010 + year, 12, 1)
        )
        for track in tracks:
            EnrollmentFactory.create_batch(per_class, cohort=cohort, track=track, status=S.CERTIFIED)
    return program


@pytest.fixture
def numbers_program(db):
    program = ProgramFactory()
    candidates = TrackFactory(program=program, name="Candidates", position=0)
    superintendents = TrackFactory(program=program, name="Superintendents", position=1)
    first = CohortFactory(
        program=program,
        name="Class of 2024",
        starts_on=dt.date(2024, 2, 1),
        ends_on=dt.date(2024, 12, 1),
        status=Cohort.Status.COMPLETED,
    )
    cancelled = CohortFactory(
        program=program,
        name="Class of 2025",
        starts_on=dt.date(2025, 2, 1),
        ends_on=dt.date(2025, 12, 1),
        status=Cohort.Status.CANCELLED,
    )
    second = CohortFactory(
        program=program,
        name="Class of 2026",
        starts_on=dt.date(2026, 2, 1),
        ends_on=dt.date(2026, 12, 1),
        status=Cohort.Status.IN_PROGRESS,
    )

    def enroll(cohort, track, *statuses):
        for status in statuses:
            EnrollmentFactory(cohort=cohort, track=track, status=status)

    # 2024: candidates 5 enrolled (1 applicant left out), 3 finished; superintendents 2 enrolled, 1 finished
    enroll(first, candidates, S.CERTIFIED, S.CERTIFIED, S.COMPLETED, S.WITHDRAWN, S.ACTIVE, S.APPLIED)
    enroll(first, superintendents, S.CERTIFIED, S.WITHDRAWN)
    # cancelled class: never counted
    enroll(cancelled, candidates, S.CERTIFIED, S.CERTIFIED)
    # 2026: candidates 3 enrolled, 1 finished; superintendents: nobody
    enroll(second, candidates, S.ADMITTED, S.ACTIVE, S.COMPLETED, S.APPLIED, S.APPLIED)
    EnrollmentFactory(status=S.CERTIFIED)  # another programme
    return program


def test_the_numbers_list_each_class_oldest_first_without_cancelled_ones(numbers_program):
    numbers = numbers_by_class_for(program=numbers_program)

    assert [row.cohort_name for row in numbers] == ["Class of 2024", "Class of 2026"]
    assert [(row.starts_on_year, row.ends_on_year, row.status_label) for row in numbers] == [
        (2024, 2024, "Completed"),
        (2026, 2026, "In progress"),
    ]


def test_the_numbers_count_enrolled_without_applicants_and_completed_with_certified(numbers_program):
    first, second = numbers_by_class_for(program=numbers_program)

    assert [(t.track_name, t.enrolled, t.completed) for t in first.tracks] == [
        ("Candidates", 5, 3),
        ("Superintendents", 2, 1),
    ]
    assert (first.enrolled, first.completed) == (7, 4)
    assert [(t.track_name, t.enrolled, t.completed) for t in second.tracks] == [
        ("Candidates", 3, 1),
        ("Superintendents", 0, 0),
    ]
    assert (second.enrolled, second.completed) == (3, 1)


def test_the_numbers_keep_running_totals_per_track_and_overall(numbers_program):
    first, second = numbers_by_class_for(program=numbers_program)

    assert [t.cumulative_completed for t in first.tracks] == [3, 1]
    assert [t.cumulative_completed for t in second.tracks] == [4, 1]
    assert (first.cumulative_completed, second.cumulative_completed) == (4, 5)


def test_a_programme_without_classes_has_no_numbers(db):
    program = ProgramFactory()
    TrackFactory(program=program)

    assert numbers_by_class_for(program=program) == []


def test_the_numbers_take_the_same_queries_for_2_and_for_6_classes(db, django_assert_num_queries):
    small = make_program_with_classes(2)
    large = make_program_with_classes(6)

    with CaptureQueriesContext(connection) as measured:
        small_numbers = numbers_by_class_for(program=small)
    with django_assert_num_queries(len(measured.captured_queries)):
        large_numbers = numbers_by_class_for(program=large)

    assert len(measured.captured_queries) <= 3  # the aggregate, the tracks, the classes
    assert [row.completed for row in small_numbers] == [4, 4]
    assert [row.cumulative_completed for row in large_numbers] == [4, 8, 12, 16, 20, 24]
