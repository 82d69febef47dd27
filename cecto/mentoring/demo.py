"""A California CTO Mentor-style demo programme: mentors, mentees, matches, meetings and goals.

Modelled on the published shape of the CTO Mentor programme (one yearly class of 15-20 candidates,
February to the association's fall conference; mentors are sitting CTOs with at least eight years in
the job; three strands: education, technology, leadership). Every person and every district here is
fictional. Loading is one transaction and happens once: a second call finds the programme and
changes nothing.

The previous class is fully matched, met all year and has ended. In the current class twelve
candidates were matched in a first round and have met since (three pairs have gone quiet); six sent
their intake late and wait for the administrator to run the matching, with one place too few.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.db.models import Q

from cecto.core.data import DemoLogin
from cecto.mentoring.models import Match, MenteeIntake, MentoringSettings, MentorProfile, Strand
from cecto.mentoring.services import (
    goal_create,
    goal_update,
    match_end,
    matching_run_create,
    meeting_log,
    mentee_intake_save,
    proposals_accept_all,
)
from cecto.people.api import Organization, Person
from cecto.programs.api import Program, ProgramAdministrator, Track
from cecto.scheduling.api import Cohort, Enrollment, enrollment_create, enrollment_status_change

PROGRAM_SLUG = "ca-cto-mentor"
SEED = 2014

# (name, county, students, region): fictional districts in real counties.
DISTRICTS = (
    ("Alder Creek Unified School District", "Humboldt", 4_200, "North State"),
    ("Baywater Unified School District", "Alameda", 31_500, "Bay Area"),
    ("Condor Valley Joint Unified School District", "Fresno", 22_800, "Central Valley"),
    ("Delta Oaks Unified School District", "San Joaquin", 12_900, "Central Valley"),
    ("Elk Meadow Unified School District", "Shasta", 2_600, "North State"),
    ("Granite Pass Union High School District", "Placer", 9_400, "North State"),
    ("Harbor Point Unified School District", "Los Angeles", 48_700, "Los Angeles"),
    ("Iron Ridge Unified School District", "San Bernardino", 27_300, "Inland Empire"),
    ("Juniper Flats Unified School District", "Riverside", 18_600, "Inland Empire"),
    ("Kestrel Bay Unified School District", "San Mateo", 8_100, "Bay Area"),
    ("Lupine Hills Unified School District", "San Diego", 35_900, "San Diego & Imperial"),
    ("Madrone Valley Unified School District", "Monterey", 11_200, "Central Coast"),
    ("Nettle Springs Elementary School District", "Kern", 3_300, "Central Valley"),
    ("Oriole Coast Unified School District", "Santa Barbara", 14_800, "Central Coast"),
    ("Poppy Fields Unified School District", "Stanislaus", 16_400, "Central Valley"),
    ("Quail Run Unified School District", "Orange", 26_100, "Los Angeles"),
    ("Redwood Hollow Unified School District", "Sonoma", 6_900, "Bay Area"),
    ("Saltmarsh Unified School District", "Contra Costa", 21_300, "Bay Area"),
    ("Tule Basin Joint Unified School District", "Tulare", 13_700, "Central Valley"),
    ("Umber Canyon Unified School District", "Los Angeles", 62_400, "Los Angeles"),
    ("Vista Mar Unified School District", "San Luis Obispo", 7_800, "Central Coast"),
    ("Willow Delta Unified School District", "Sacramento", 39_200, "North State"),
    ("Yucca Mesa Unified School District", "San Bernardino", 10_500, "Inland Empire"),
    ("Zephyr Point Unified School District", "San Diego", 19_900, "San Diego & Imperial"),
    ("Coyote Wash Unified School District", "Imperial", 5_400, "San Diego & Imperial"),
    ("Sandpiper Unified School District", "Santa Cruz", 9_900, "Central Coast"),
    ("Manzanita Unified School District", "Riverside", 44_100, "Inland Empire"),
    ("Bristlecone Joint Unified School District", "Inyo", 1_800, "Central Valley"),
    ("Tamarack Unified School District", "El Dorado", 6_200, "North State"),
    ("Foxglove Unified School District", "Santa Clara", 28_800, "Bay Area"),
)

FIRST_NAMES = (
    "Adela",
    "Bram",
    "Carmela",
    "Dariel",
    "Elowen",
    "Fermin",
    "Gisela",
    "Hollis",
    "Imelda",
    "Jonah",
    "Katrin",
    "Leandro",
    "Marisol",
    "Nolan",
    "Odalys",
    "Pascual",
    "Quinlan",
    "Rosalind",
    "Saul",
    "Tamsin",
    "Ulises",
    "Valeria",
    "Wendell",
    "Ximena",
    "Yusuf",
    "Zoraida",
    "Anselmo",
    "Brisa",
    "Corbin",
    "Dulce",
)
LAST_NAMES = (
    "Aranda",
    "Blackwood",
    "Cisneros",
    "Delacroix",
    "Esparza",
    "Fairbanks",
    "Galindo",
    "Halvorsen",
    "Ibarra",
    "Jessup",
    "Kowalczyk",
    "Lindqvist",
    "Marroquin",
    "Nakashima",
    "Oyelaran",
    "Penhallow",
    "Quezada",
    "Rasmussen",
    "Solano",
    "Thibodeaux",
    "Uribe",
    "Vandermeer",
    "Whitcombe",
    "Yanez",
)

# (district index, years as CTO, strands, capacity, available): the first ten are eligible mentors
# with 17 places between them; one has too few years, and one is not available this year.
E, T, L = Strand.EDUCATION.value, Strand.TECHNOLOGY.value, Strand.LEADERSHIP.value
MENTORS = (
    (1, 14, (E, L), 2, True),
    (2, 11, (T, L), 2, True),
    (6, 19, (E, T, L), 3, True),
    (7, 9, (T,), 1, True),
    (10, 16, (E, L), 2, True),
    (11, 12, (T, L), 2, True),
    (15, 22, (L,), 1, True),
    (21, 10, (E, T), 2, True),
    (23, 13, (E, T, L), 1, True),
    (29, 8, (T, L), 1, True),
    (16, 6, (E, T), 2, True),
    (19, 17, (E, L), 2, False),
)
NOTES = (
    "Walked through the budget calendar and where technology requests get lost.",
    "Reviewed the draft three-year technology plan; agreed on what to cut.",
    "Talked about presenting to the board: one page, three numbers, one ask.",
    "Compared incident-response plans and who calls whom at 2 a.m.",
    "Discussed building trust with principals before the device refresh.",
    "Went over the E-Rate filing timeline and the documents to keep.",
    "Practised the conversation with the superintendent about a cabinet seat.",
    "Shared how the mentor's team handles data requests for state reporting.",
)
GOALS = {
    E: (
        "Lead a professional-learning series with the curriculum team",
        ("Plan with two principals", "Run the first session", "Collect feedback"),
    ),
    T: (
        "Publish an incident-response plan",
        ("Inventory critical systems", "Draft the call tree", "Run a tabletop exercise"),
    ),
    L: (
        "Present a three-year technology plan to the board",
        ("Meet each cabinet member", "Write the one-page summary", "Present in open session"),
    ),
}


@dataclass(frozen=True)
class MentoringDemo:
    created: bool
    logins: tuple[DemoLogin, ...]
    program_slug: str
    current_cohort_slug: str
    previous_cohort_slug: str


LOGINS = (
    DemoLogin(
        "Mentoring administrator", "mentoring-admin", "the matching board and mentoring health of the class"
    ),
    DemoLogin("Mentor", "mentor", "your mentees, their goals and meetings (/mentoring/)"),
    DemoLogin("Mentee", "mentee", "your mentor once matched, and the meeting log (/mentoring/)"),
)


def class_dates(year: int) -> tuple[date, date]:
    """Kick-off on the first Friday of February; commencement on the first Friday of December."""
    return _first_friday(date(year, 2, 1)), _first_friday(date(year, 12, 1))


def _first_friday(day: date) -> date:
    return day + timedelta(days=(4 - day.weekday()) % 7)


def load_mentoring_demo(today: date, *, password: str | None = None) -> MentoringDemo:
    """Create the demo programme unless it is there; logins get `password` (unusable when None)."""
    existing = Program.objects.filter(slug=PROGRAM_SLUG).first()
    if existing is not None:
        cohorts = list(existing.cohorts.order_by("-starts_on").values_list("slug", flat=True)[:2])
        return MentoringDemo(False, LOGINS, PROGRAM_SLUG, *[*cohorts, "", ""][:2])
    with transaction.atomic():
        current, previous = _build(today, password)
    return MentoringDemo(True, LOGINS, PROGRAM_SLUG, current, previous)


class _People:
    def __init__(self, rng: random.Random) -> None:
        pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
        rng.shuffle(pairs)
        self._pairs = iter(pairs)

    def create(self, district: Organization, role: str, years: int) -> Person:
        first, last = next(self._pairs)
        return Person.objects.create(
            full_name=f"{first} {last}",
            email=f"{first}.{last}@{district.slug}.example".lower(),
            title="Chief Technology Officer"
            if role == Person.DistrictRole.TECHNOLOGY_DIRECTOR
            else "Director",
            organization=district,
            district_role=role,
            years_in_role=years,
            years_in_k12_technology=years + 4,
        )


def _build(today: date, password: str | None) -> tuple[str, str]:
    rng = random.Random(SEED)  # noqa: S311 (fictional demo data, not security)
    people = _People(rng)
    districts = [
        Organization.objects.get_or_create(
            state="CA",
            state_code=f"CA-DEMO-{n:02d}",
            kind=Organization.Kind.SCHOOL_DISTRICT,
            defaults={
                "slug": f"ca-demo-{name.split()[0].lower()}-{n:02d}",
                "name": name,
                "county": county,
                "enrollment": students,
            },
        )[0]
        for n, (name, county, students, _) in enumerate(DISTRICTS)
    ]
    region_of = {d.pk: DISTRICTS[n][3] for n, d in enumerate(districts)}
    program, candidate_track, mentor_track = _program()

    mentors = []
    for index, years, strands, capacity, available in MENTORS:
        person = people.create(districts[index], Person.DistrictRole.TECHNOLOGY_DIRECTOR, years)
        mentors.append(
            MentorProfile.objects.create(
                program=program,
                person=person,
                years_as_cto=years,
                strands=list(strands),
                capacity=capacity,
                region=region_of[districts[index].pk],
                is_available=available,
            )
        )

    year = today.year if today <= class_dates(today.year)[1] else today.year + 1
    previous = _cohort(program, year - 1, today)
    _previous_class(previous, candidate_track, districts, region_of, mentors, people, rng)
    current = _cohort(program, year, today)
    for mentor in mentors:
        mentor.renewal_enrollment = enrollment_create(
            person=mentor.person,
            cohort=current,
            track=mentor_track,
            by=None,
            status=Enrollment.Status.ACTIVE,
            enrolled_on=current.starts_on,
        )
        mentor.save(update_fields=["renewal_enrollment"])
    late = _current_class(current, candidate_track, districts, region_of, mentors, people, rng, today)
    _logins(program, current, late, password)
    return current.slug, previous.slug


def _program() -> tuple[Program, Track, Track]:
    cite = Organization.objects.get_or_create(
        slug="cite-demo",
        defaults={
            "name": "California IT in Education (demo)",
            "short_name": "CITE",
            "kind": Organization.Kind.NONPROFIT_NETWORK,
            "state": "CA",
        },
    )[0]
    program = Program.objects.create(
        slug=PROGRAM_SLUG,
        name="California CTO Mentor Program",
        short_name="CTO Mentor",
        description=(
            "A yearly class for district technology leaders, February to the association's fall conference: "
            "a kick-off and eight Friday-evening and Saturday sessions in three strands (education, "
            "technology, leadership), an online portfolio, a 20-minute final presentation, and a mentor "
            "who is a sitting CTO with at least eight years in the job."
        ),
        time_zone="America/Los_Angeles",
        eligibility_summary=(
            "California school-district technology leaders; a superintendent's nomination helps."
        ),
    )
    program.partners.add(cite, through_defaults={"role": "Runs the programme and its mentor network"})
    MentoringSettings.objects.create(program=program)
    candidate = Track.objects.create(
        program=program,
        slug="cto-candidate",
        name="CTO Mentor candidate",
        audience=Track.Audience.TECHNOLOGY_DIRECTOR,
        description="The kick-off and eight sessions, a portfolio and a final presentation, with a mentor.",
        required_contact_minutes=72 * 60,
        duration_months=10,
        credential_name="CTO Mentor Program graduate",
    )
    mentor = Track.objects.create(
        program=program,
        slug="mentor",
        name="Mentor",
        audience=Track.Audience.OTHER,
        description="Sitting CTOs who mentor a candidate; mentoring time counts towards their renewal hours.",
        required_contact_minutes=20 * 60,
        required_sessions=Track.RequiredSessions.NONE,
        duration_months=10,
        credential_name="CTO Mentor Program mentor",
        ceu_policy=Track.CeuPolicy.NONE,
        position=1,
    )
    return program, candidate, mentor


def _cohort(program: Program, year: int, today: date) -> Cohort:
    starts_on, ends_on = class_dates(year)
    return Cohort.objects.create(
        program=program,
        slug=f"cto-mentor-{year}",
        name=f"Class of {year}",
        starts_on=starts_on,
        ends_on=ends_on,
        status=Cohort.Status.IN_PROGRESS if starts_on <= today else Cohort.Status.ADMITTING,
    )


def _mentee(
    cohort: Cohort,
    track: Track,
    district: Organization,
    region: str,
    people: _People,
    rng: random.Random,
    mentors: list[MentorProfile],
    avoid: tuple[MentorProfile, ...] = (),
) -> MenteeIntake:
    person = people.create(district, Person.DistrictRole.TECHNOLOGY_DIRECTOR, rng.randint(1, 6))
    enrollment = enrollment_create(
        person=person,
        cohort=cohort,
        track=track,
        by=None,
        status=Enrollment.Status.ACTIVE,
        enrolled_on=cohort.starts_on,
    )
    strands = sorted(rng.sample([E, T, L], rng.choice((1, 2, 2, 3))))
    wish = rng.random()
    return mentee_intake_save(
        enrollment=enrollment,
        by=None,
        strands_wanted=strands,
        goals=f"Grow in {' and '.join(strands)}: " + rng.choice(NOTES).lower(),
        region=region,
        preferred_regions=[region] if wish < 0.35 else [],
        preferred_mentors=[rng.choice(mentors[:10])] if 0.35 <= wish < 0.5 and not avoid else [],
        avoid_mentors=avoid,
    )


def _meet(match: Match, until: date, rng: random.Random, *, stop_early: bool) -> None:
    """Meetings every three to five weeks from the match's start; a stalled pair stops two months early."""
    last = until - timedelta(days=60) if stop_early else until
    day = match.started_on + timedelta(days=rng.randint(3, 10))
    wanted = match.mentee.strands_wanted or [E, T, L]
    while day <= last:
        meeting_log(
            match=match,
            held_on=day,
            minutes=rng.choice((45, 60, 60, 75, 90)),
            strand=rng.choice(wanted),
            notes=rng.choice(NOTES),
            by=None,
            today=until,
        )
        day += timedelta(days=rng.randint(21, 35))
    for strand in wanted[:2]:
        text, steps = GOALS[strand]
        goal = goal_create(match=match, strand=strand, text=text, milestones=steps, by=None)
        done = {m.uuid for m in goal.milestones.all()[: rng.randint(0, 3)]}
        goal_update(goal=goal, by=None, is_done=len(done) == 3, milestones_done=done, today=until)


def _previous_class(
    cohort: Cohort,
    track: Track,
    districts: list[Organization],
    region_of: dict[int, str],
    mentors: list[MentorProfile],
    people: _People,
    rng: random.Random,
) -> None:
    for n in range(16):
        district = districts[(3 * n + 1) % len(districts)]
        _mentee(cohort, track, district, region_of[district.pk], people, rng, mentors)
    run = matching_run_create(cohort=cohort, by=None)
    started = cohort.starts_on + timedelta(days=14)
    for match in proposals_accept_all(run=run, by=None, today=started):
        _meet(match, cohort.ends_on, rng, stop_early=False)
        match_end(match=match, by=None, ended_on=cohort.ends_on, reason="The class graduated.")
    for enrollment in cohort.enrollments.filter(status=Enrollment.Status.ACTIVE):
        enrollment_status_change(enrollment=enrollment, to_status=Enrollment.Status.COMPLETED, by=None)
    cohort.status = Cohort.Status.COMPLETED
    cohort.save(update_fields=["status", "updated_at"])


def _current_class(
    cohort: Cohort,
    track: Track,
    districts: list[Organization],
    region_of: dict[int, str],
    mentors: list[MentorProfile],
    people: _People,
    rng: random.Random,
    today: date,
) -> list[MenteeIntake]:
    """Twelve matched in a first round (three go quiet); six late intakes wait for the next run."""
    picks = rng.sample(range(len(districts)), 17)
    for i in picks[:12]:
        _mentee(cohort, track, districts[i], region_of[districts[i].pk], people, rng, mentors)
    run = matching_run_create(cohort=cohort, by=None)
    started = min(today, cohort.starts_on + timedelta(days=14))
    until = min(today, cohort.ends_on)
    for n, match in enumerate(proposals_accept_all(run=run, by=None, today=started)):
        _meet(match, until, rng, stop_early=n % 4 == 1)
    # The late six: the first asks not to be paired with one mentor; the last works in a mentor's district.
    late_districts = [*picks[12:17], MENTORS[0][0]]
    return [
        _mentee(
            cohort,
            track,
            districts[i],
            region_of[districts[i].pk],
            people,
            rng,
            mentors,
            avoid=(mentors[2],) if n == 0 else (),
        )
        for n, i in enumerate(late_districts)
    ]


def _logins(program: Program, cohort: Cohort, late: list[MenteeIntake], password: str | None) -> None:
    group = Group.objects.get_or_create(name="Mentoring administrators")[0]
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=("people", "programs", "scheduling", "mentoring")
        ).exclude(codename__startswith="delete_")
    )
    admin_user = _user("mentoring-admin", "rowena.achterberg@cite-demo.example", password, is_staff=True)
    admin_user.groups.add(group)
    admin_person = Person.objects.create(
        user=admin_user,
        full_name="Rowena Achterberg",
        email=admin_user.email,
        title="CTO Mentor Programme Coordinator",
        organization=Organization.objects.get(slug="cite-demo"),
        district_role=Person.DistrictRole.OTHER,
    )
    ProgramAdministrator.objects.create(program=program, person=admin_person)

    mentee = late[0]
    person = mentee.enrollment.person
    person.user = _user("mentee", person.email, password)
    person.save(update_fields=["user"])
    # The mentor login: an eligible mentor with a place left for the mentee, and mentees already.
    candidates = (
        MentorProfile.objects.filter(program=program, is_available=True, years_as_cto__gte=8)
        .exclude(person__organization=person.organization)
        .exclude(Q(pk__in=mentee.avoid_mentors.values("pk")))
        .order_by("person__full_name")
    )
    best = max(
        candidates,
        key=lambda m: (
            m.capacity - m.matches.filter(status="active").count() > 0,
            m.matches.filter(status="active").count(),
        ),
    )
    best.person.user = _user("mentor", best.person.email, password)
    best.person.save(update_fields=["user"])


def _user(username: str, email: str, password: str | None, *, is_staff: bool = False) -> User:
    user = User(username=username, email=email, is_staff=is_staff)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    return user
