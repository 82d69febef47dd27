"""The North Carolina CeCTO demo: the programme's published shape, fictional people, four logins,
and a load that happens once."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from cecto.demo.nc_cecto import DEMO_PASSWORD, PROGRAM_SLUG, current_class_dates, load_demo
from cecto.ledger.models import HoursEntry
from cecto.people.models import Organization, Person
from cecto.programs.models import Program, ProgramContact, ProgramPartner, Topic, Track
from cecto.scheduling.data import ClassNumbers
from cecto.scheduling.models import AttendanceRecord, Cohort, Enrollment, Session
from cecto.scheduling.selectors import led_district_teams_for, numbers_by_class_for

TODAY = date(2026, 11, 22)
NEW_YORK = ZoneInfo("America/New_York")
CANDIDATE_TRACK = "CeCTO candidate"
SUPERINTENDENT_TRACK = "Leaders for the 21st Century"
USERNAMES = ("admin", "instructor", "candidate", "superintendent")
# Names of real people in the programme's published material: the demo must use none of them.
SEED_NAMES = (
    "Pittman", "Finch", "Decker", "Hyatt", "Pace", "Ferrell", "Ramsey", "Krueger", "Owen", "Jackson",
    "Valdez", "Schwartz", "Judd", "Freddoso", "Shorr", "Kimrey", "Bennett", "Asmar", "Tufts",
)  # fmt: skip


@pytest.fixture
def demo(db: None):
    return load_demo(today=TODAY)


@pytest.fixture
def program(demo) -> Program:
    return Program.objects.get(slug=PROGRAM_SLUG)


@pytest.fixture
def current(demo) -> Cohort:
    return Cohort.objects.get(slug=demo.current_cohort_slug)


def numbers(program: Program) -> dict[str, ClassNumbers]:
    return {row.cohort_slug: row for row in numbers_by_class_for(program=program)}


def track_numbers(row: ClassNumbers, track_name: str):
    (found,) = [track for track in row.tracks if track.track_name == track_name]
    return found


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def local_date(moment: datetime) -> date:
    return moment.astimezone(NEW_YORK).date()


# The programme's numbers (domain.md, "North Carolina CeCTO").


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "completed", "cumulative"),
    [("cecto-2010", 34, 34), ("cecto-2011", 24, 58), ("cecto-2012", 25, 83)],
)
def test_it_graduates_the_published_number_of_cectos_per_class(
    program: Program, slug: str, completed: int, cumulative: int
) -> None:
    candidates = track_numbers(numbers(program)[slug], CANDIDATE_TRACK)
    assert candidates.completed == completed
    assert candidates.cumulative_completed == cumulative


@pytest.mark.django_db
def test_it_graduates_23_technology_directors_and_2_ncdpi_staff_in_2012(program: Program) -> None:
    graduates = Enrollment.objects.filter(
        cohort__slug="cecto-2012", track__slug="cecto-candidate", status="completed"
    ).select_related("person__organization")
    agency = [e for e in graduates if e.person.district_role == Person.DistrictRole.AGENCY_STAFF]
    directors = [e for e in graduates if e.person.district_role == Person.DistrictRole.TECHNOLOGY_DIRECTOR]
    assert len(agency) == 2
    assert {e.person.organization.short_name for e in agency} == {"NCDPI"}
    assert len(directors) == 23
    assert all(e.person.organization.is_district for e in directors)
    assert len(agency) + len(directors) == graduates.count()


@pytest.mark.django_db
def test_it_has_18_superintendents_complete_their_track_in_2012(program: Program) -> None:
    superintendents = track_numbers(numbers(program)["cecto-2012"], SUPERINTENDENT_TRACK)
    assert superintendents.completed == 18


@pytest.mark.django_db
def test_it_kicks_off_the_2013_class_with_23_candidates(program: Program) -> None:
    assert track_numbers(numbers(program)["cecto-2013"], CANDIDATE_TRACK).enrolled == 23


@pytest.mark.django_db
def test_it_reaches_113_cectos_after_the_2014_class(program: Program) -> None:
    by_class = numbers(program)
    assert track_numbers(by_class["cecto-2014"], CANDIDATE_TRACK).cumulative_completed == 113
    # ...and that is the total the 2015-16 class started from.
    assert by_class["cecto-2015-16"].starts_on_year == 2015
    assert track_numbers(by_class["cecto-2013"], CANDIDATE_TRACK).cumulative_completed < 113


@pytest.mark.django_db
def test_it_starts_the_2015_16_class_with_17_candidates_and_14_superintendents(program: Program) -> None:
    row = numbers(program)["cecto-2015-16"]
    assert track_numbers(row, CANDIDATE_TRACK).enrolled == 17
    assert track_numbers(row, SUPERINTENDENT_TRACK).enrolled == 14
    assert (row.starts_on_year, row.ends_on_year) == (2015, 2016)


@pytest.mark.django_db
def test_it_lists_the_classes_in_order_ending_with_the_current_one(program: Program) -> None:
    slugs = [row.cohort_slug for row in numbers_by_class_for(program=program)]
    assert slugs == [
        "cecto-2010",
        "cecto-2011",
        "cecto-2012",
        "cecto-2013",
        "cecto-2014",
        "cecto-2015-16",
        "cecto-2026",
    ]


# Reference data and partners.


@pytest.mark.django_db
def test_it_loads_all_115_districts_from_the_csv(demo) -> None:
    source = resources.files("cecto.demo").joinpath("data/nc_leas.csv")
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 115
    districts = Organization.objects.filter(kind=Organization.Kind.SCHOOL_DISTRICT)
    assert districts.count() == 115
    assert set(districts.values_list("state_code", "name")) == {(r["lea_code"], r["name"]) for r in rows}
    assert set(districts.values_list("state", flat=True)) == {"NC"}
    wake = districts.get(state_code=next(r["lea_code"] for r in rows if r["name"].startswith("Wake")))
    assert wake.enrollment > 100_000


@pytest.mark.django_db
def test_it_names_the_three_partners_and_their_public_contacts(program: Program) -> None:
    partners = ProgramPartner.objects.filter(program=program).select_related("organization")
    assert partners.count() == 3
    assert {p.organization.slug for p in partners} == {
        "ncdpi",
        "unc-sog-center-for-public-technology",
        "mcnc",
    }
    assert all(p.role for p in partners)
    contacts = ProgramContact.objects.filter(program=program)
    assert contacts.count() >= 2
    partner_organizations = {p.organization_id for p in partners}
    for contact in contacts:
        assert contact.organization_id in partner_organizations
        assert contact.name
        assert contact.title
        assert "@" in contact.email
        assert contact.phone
    assert {c.organization.slug for c in contacts} >= {"ncdpi", "unc-sog-center-for-public-technology"}


# The class in progress.


@pytest.mark.django_db
def test_it_returns_the_current_class_for_the_date(demo) -> None:
    assert demo.created is True
    assert demo.current_cohort_slug == "cecto-2026"
    assert [login.username for login in demo.logins] == list(USERNAMES)


@pytest.mark.django_db
def test_it_puts_the_current_class_in_progress_around_today(current: Cohort) -> None:
    assert current.status == Cohort.Status.IN_PROGRESS
    assert current.starts_on <= TODAY <= current.ends_on
    assert current.enrollments.filter(status="active").exists()
    assert Cohort.objects.exclude(pk=current.pk).exclude(status=Cohort.Status.COMPLETED).count() == 0


@pytest.mark.django_db
def test_it_schedules_sessions_in_all_three_modes(current: Cohort) -> None:
    modes = set(current.sessions.values_list("mode", flat=True))
    assert modes == {Session.Mode.IN_PERSON, Session.Mode.ONLINE_LIVE, Session.Mode.ONLINE_SELF_PACED}


@pytest.mark.django_db
def test_it_has_three_required_joint_sessions_in_february_september_and_on_graduation_day(
    current: Cohort,
) -> None:
    joint = list(current.sessions.filter(track__isnull=True).order_by("starts_at"))
    assert len(joint) == 3
    assert all(session.is_required for session in joint)
    kickoff, september, closing = (local_date(session.starts_at) for session in joint)
    assert kickoff == current.starts_on
    assert kickoff.month == 2
    assert september.month == 9
    assert closing == current.ends_on


@pytest.mark.django_db
def test_it_gives_candidates_exactly_240_contact_hours_including_joint_sessions(current: Cohort) -> None:
    track = Track.objects.get(slug="cecto-candidate")
    own = current.sessions.filter(track=track).aggregate(total=Sum("contact_minutes"))["total"]
    joint = current.sessions.filter(track__isnull=True).aggregate(total=Sum("contact_minutes"))["total"]
    assert own + joint == 240 * 60 == 14_400
    assert track.required_contact_minutes == 14_400


@pytest.mark.django_db
def test_it_gives_superintendents_20_hours_besides_the_joint_sessions(current: Cohort) -> None:
    track = Track.objects.get(slug="leaders-21st-century")
    own = current.sessions.filter(track=track).aggregate(total=Sum("contact_minutes"))["total"]
    assert own == 20 * 60
    assert track.required_contact_minutes == 20 * 60


@pytest.mark.django_db
def test_it_ends_every_session_by_graduation_and_gives_each_an_instructor(current: Cohort) -> None:
    for session in current.sessions.all():
        assert local_date(session.ends_at) <= current.ends_on, session.title
        assert session.instructors.exists(), session.title


# Logins.


@pytest.mark.django_db
def test_it_creates_four_logins_that_authenticate_with_the_demo_password(demo) -> None:
    for username in USERNAMES:
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert user.username == username
        assert authenticate(username=username, password="wrong-password") is None


@pytest.mark.django_db
def test_it_makes_only_the_admin_login_staff(demo) -> None:
    staff = set(User.objects.filter(is_staff=True).values_list("username", flat=True))
    assert staff == {"admin"}
    assert not User.objects.filter(is_superuser=True).exists()


@pytest.mark.django_db
def test_it_gives_the_candidate_and_superintendent_the_same_district(current: Cohort) -> None:
    candidate = Person.objects.get(user__username="candidate")
    superintendent = Person.objects.get(user__username="superintendent")
    assert candidate.district is not None
    assert candidate.district == superintendent.district
    assert candidate.district_role == Person.DistrictRole.TECHNOLOGY_DIRECTOR
    assert superintendent.district_role == Person.DistrictRole.SUPERINTENDENT
    assert candidate.enrollments.get(cohort=current).status == "active"
    assert superintendent.enrollments.get(cohort=current).status == "active"


@pytest.mark.django_db
def test_it_puts_the_candidate_in_the_superintendents_district_team(current: Cohort) -> None:
    candidate = Person.objects.get(user__username="candidate")
    superintendent = Person.objects.get(user__username="superintendent")
    teams = led_district_teams_for(person=superintendent)
    assert [cohort for cohort, _ in teams] == [current]
    (_, team) = teams[0]
    assert team.district == superintendent.district
    assert [e.person for e in team.superintendents] == [superintendent]
    assert candidate in [e.person for e in team.members]


@pytest.mark.django_db
def test_it_links_the_instructor_login_to_the_current_class(current: Cohort) -> None:
    instructor = Person.objects.get(user__username="instructor")
    assert list(current.instructors.all()) == [instructor]


# Loading once.


@pytest.mark.django_db
def test_a_second_load_changes_nothing(demo) -> None:
    before = row_counts()
    assert before["people.Person"] > 0
    again = load_demo(today=TODAY)
    assert again.created is False
    assert again.current_cohort_slug == demo.current_cohort_slug
    assert row_counts() == before


@pytest.mark.django_db
def test_a_later_load_on_another_day_changes_nothing_either(demo) -> None:
    before = row_counts()
    again = load_demo(today=date(2027, 6, 1))
    assert again.created is False
    assert again.current_cohort_slug == "cecto-2026"
    assert row_counts() == before


# Fictional people only.


@pytest.mark.django_db
def test_no_demo_person_bears_a_name_from_the_published_seeds(demo) -> None:
    names = [
        *Person.objects.values_list("full_name", flat=True),
        *ProgramContact.objects.values_list("name", flat=True),
        *(f"{u.first_name} {u.last_name} {u.username}" for u in User.objects.all()),
    ]
    assert len(names) > 250
    seeds = {seed.lower() for seed in SEED_NAMES}
    offending = [name for name in names if seeds & {word.lower() for word in re.findall(r"[A-Za-z']+", name)}]
    assert offending == []


@pytest.mark.django_db
def test_it_gives_every_demo_person_a_unique_name_and_address(demo) -> None:
    people = list(Person.objects.values_list("full_name", "email"))
    assert len({name for name, _ in people}) == len(people)
    assert len({email for _, email in people}) == len(people)
    assert all(email.endswith(".example") for _, email in people)


@pytest.mark.django_db
def test_it_builds_the_same_people_on_every_run(demo) -> None:
    first = list(Person.objects.order_by("email").values_list("full_name", "email", "organization__slug"))
    # Empty the database in an order PROTECT allows, then load again from scratch.
    for model in (
        HoursEntry,
        AttendanceRecord,
        Enrollment,
        Session,
        Cohort,
        ProgramContact,
        ProgramPartner,
        Track,
        Program,
        Person,
    ):
        model._default_manager.all().delete()
    User.objects.all().delete()
    Organization.objects.all().delete()
    Topic.objects.all().delete()
    assert row_counts()["people.Person"] == 0
    assert load_demo(today=TODAY).created is True
    second = list(Person.objects.order_by("email").values_list("full_name", "email", "organization__slug"))
    assert second == first


# The current class's calendar.


def test_it_picks_this_years_class_in_mid_year() -> None:
    year, kickoff, graduation = current_class_dates(date(2026, 6, 1))
    assert year == 2026
    assert kickoff == date(2026, 2, 10)  # the second Tuesday of February
    assert graduation == date(2026, 12, 3)  # the first Thursday of December


@pytest.mark.parametrize("today", [date(2027, 1, 5), date(2027, 2, 14)])
def test_it_picks_last_years_class_before_mid_february(today: date) -> None:
    year, kickoff, graduation = current_class_dates(today)
    assert year == 2026
    assert kickoff == date(2026, 2, 10)
    assert graduation >= today + timedelta(days=21)


def test_it_picks_this_years_class_from_mid_february() -> None:
    year, kickoff, _ = current_class_dates(date(2027, 2, 15))
    assert year == 2027
    assert kickoff == date(2027, 2, 9)


def test_it_pushes_graduation_three_weeks_ahead_in_late_december() -> None:
    today = date(2026, 12, 20)
    year, kickoff, graduation = current_class_dates(today)
    assert year == 2026
    assert kickoff == date(2026, 2, 10)
    assert graduation >= today + timedelta(days=21)
    assert graduation.weekday() == 3  # still a Thursday (docs/decisions/0002)


def test_it_pushes_graduation_to_a_thursday_for_the_demo_date() -> None:
    _, _, graduation = current_class_dates(TODAY)
    assert graduation == date(2026, 12, 17)  # 13 December, three weeks ahead, is a Sunday


def test_it_keeps_the_real_graduation_when_it_is_more_than_three_weeks_away() -> None:
    _, _, graduation = current_class_dates(date(2025, 10, 1))
    assert graduation == date(2025, 12, 4)


def test_it_always_gives_a_class_in_progress_whatever_the_day() -> None:
    day = date(2024, 1, 1)
    while day < date(2028, 1, 1):
        year, kickoff, graduation = current_class_dates(day)
        assert kickoff <= day, day
        assert graduation >= day + timedelta(days=21), day
        assert kickoff.year == year
        assert kickoff.month == 2, day
        assert kickoff.weekday() == 1, day  # a Tuesday...
        assert 8 <= kickoff.day <= 14, day  # ...the second one
        first_thursday_of_december = next(
            date(year, 12, d) for d in range(1, 8) if date(year, 12, d).weekday() == 3
        )
        pushed = day + timedelta(days=21) <= graduation < day + timedelta(days=28)
        assert graduation == first_thursday_of_december or pushed, day
        assert graduation.weekday() == 3, day
        day += timedelta(days=1)


# The `demo` command.


@pytest.fixture
def fixed_today(time_machine) -> None:
    time_machine.move_to(datetime(2026, 11, 22, 12, 0, tzinfo=NEW_YORK), tick=False)


@pytest.mark.django_db
def test_the_command_loads_the_demo_and_prints_the_logins(fixed_today) -> None:
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    output = out.getvalue()
    assert "Loaded the demo programmes." in output
    assert DEMO_PASSWORD in output
    for username in (*USERNAMES, "mentoring-admin", "mentor", "mentee"):
        assert re.search(rf"\s{username}\s", output), username
    assert "/cohorts/cecto-2026/" in output
    assert "/cohorts/cto-mentor-2026/matching/" in output
    assert Program.objects.filter(slug=PROGRAM_SLUG).exists()
    assert Program.objects.filter(slug="ca-cto-mentor").exists()


@pytest.mark.django_db
def test_the_command_says_nothing_changed_on_a_second_run(fixed_today) -> None:
    call_command("demo", "--no-serve", stdout=io.StringIO())
    before = row_counts()
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    output = out.getvalue()
    assert "already loaded; nothing changed" in output
    assert "Loaded the demo programmes." not in output
    assert DEMO_PASSWORD in output
    assert row_counts() == before


@pytest.mark.django_db
def test_the_command_refuses_to_run_in_production(settings) -> None:
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo", "--no-serve", stdout=io.StringIO())
    assert not Program.objects.exists()
    assert not Person.objects.exists()
