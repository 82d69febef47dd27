"""The North Carolina CeCTO demo programme, built from the programme's published facts.

The class sizes reproduce the published numbers (docs/decisions/0002-demo-programme-numbers.md):
34 CeCTO graduates in 2010, 58 in total after 2011, 83 after 2012 (23 technology directors and
2 NCDPI staff that year, and 18 superintendents), a fourth class that kicked off with 23 candidates,
113 CeCTOs by the time the 2015-16 class began with 17 candidates and 14 superintendents, and one
class in progress. Every person is fictional. Loading is one transaction and happens once: a
second run finds the programme and changes nothing.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.utils.text import slugify

from cecto.core.data import DemoLogin
from cecto.demo.names import FIRST_NAMES, LAST_NAMES
from cecto.ledger.api import HoursEntry, hours_entry_record
from cecto.people.models import Organization, Person
from cecto.programs.models import (
    EligibilityRule,
    Program,
    ProgramAdministrator,
    ProgramContact,
    ProgramPartner,
    Topic,
    Track,
)
from cecto.scheduling.attendance import attendance_record
from cecto.scheduling.models import (
    Cohort,
    CohortInstructor,
    Enrollment,
    EnrollmentStatusChange,
    Session,
)

PROGRAM_SLUG = "nc-cecto"
TIME_ZONE = ZoneInfo("America/New_York")
DEMO_PASSWORD = "cecto-demo"  # printed by `cecto demo`; demo data only, never a real account
SEED = 2010

TOPICS = (
    "Enterprise issues",
    "Strategic technology planning",
    "Communications",
    "Project management",
    "Emerging trends",
    "Risk assessment and management",
    "Acquisition management",
    "Change management",
    "Leadership",
    "Security",
    "Legal and regulatory issues",
    "Social media law",
    "Financial trends",
    "Organizational transformation",
    "IT governance",
    "E-Rate",
    "State contracting and purchasing law",
    "Managing personnel and generational differences",
)


@dataclass(frozen=True)
class ClassPlan:
    """One class: how many started and finished on each track."""

    slug: str
    name: str
    starts_on: date
    ends_on: date
    candidates: int
    candidates_completed: int
    superintendents: int
    superintendents_completed: int
    agency_staff_completed: int = 0


PAST_CLASSES = (
    ClassPlan("cecto-2010", "Class of 2010", date(2010, 2, 9), date(2010, 11, 17), 36, 34, 14, 10),
    ClassPlan("cecto-2011", "Class of 2011", date(2011, 2, 8), date(2011, 11, 16), 26, 24, 15, 11),
    # 2012: 23 technology directors and 2 NCDPI staff graduated; 18 superintendents completed.
    ClassPlan("cecto-2012", "Class of 2012", date(2012, 2, 7), date(2012, 11, 14), 27, 23, 24, 18, 2),
    ClassPlan("cecto-2013", "Class of 2013", date(2013, 2, 12), date(2013, 11, 13), 23, 21, 16, 12),
    ClassPlan("cecto-2014", "Class of 2014", date(2014, 2, 11), date(2014, 11, 12), 10, 9, 8, 6),
    ClassPlan("cecto-2015-16", "Class of 2015-16", date(2015, 8, 18), date(2016, 6, 8), 17, 15, 14, 10),
)


@dataclass(frozen=True)
class DemoResult:
    created: bool
    logins: tuple[DemoLogin, ...]
    current_cohort_slug: str


class _Names:
    """Unique fictional names and e-mail addresses, the same ones on every run."""

    def __init__(self, rng: random.Random) -> None:
        pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
        rng.shuffle(pairs)
        self._pairs = iter(pairs)

    def next(self) -> tuple[str, str]:
        first, last = next(self._pairs)
        return f"{first} {last}", f"{first}.{last}".lower()


def load_demo(*, today: date) -> DemoResult:
    """Create the demo programme unless it is already there."""
    existing = Program.objects.filter(slug=PROGRAM_SLUG).first()
    if existing is not None:
        current = existing.cohorts.order_by("-starts_on").first()
        return DemoResult(created=False, logins=LOGINS, current_cohort_slug=current.slug if current else "")
    with transaction.atomic():
        current_slug = _build(today=today)
    return DemoResult(created=True, logins=LOGINS, current_cohort_slug=current_slug)


LOGINS = (
    DemoLogin("Programme administrator", "admin", "the current class's roster; Administration"),
    DemoLogin("Instructor", "instructor", "the class you teach and its sessions"),
    DemoLogin("Candidate (participant)", "candidate", "your enrollment and your class"),
    DemoLogin("Superintendent", "superintendent", "your district team"),
)


def _build(*, today: date) -> str:
    rng = random.Random(SEED)
    names = _Names(rng)
    districts = _load_districts()
    ncdpi, cpt, mcnc = _partners()
    program = _program(ncdpi, cpt, mcnc)
    td_track, supt_track = _tracks(program)
    topics = [Topic.objects.create(slug=slugify(name), name=name) for name in TOPICS]

    for plan in PAST_CLASSES:
        _past_class(plan, program, td_track, supt_track, districts, ncdpi, names, rng)

    cohort = _current_class(today, program, td_track, supt_track, districts, cpt, names, rng, topics)
    _logins(program, cohort, ncdpi)
    _attendance(cohort, today, rng)
    return cohort.slug


def _load_districts() -> list[Organization]:
    source = resources.files("cecto.demo").joinpath("data/nc_leas.csv")
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    districts = [
        Organization(
            slug=f"nc-{row['lea_code']}-{slugify(row['name'])}",
            name=row["name"],
            kind=Organization.Kind.SCHOOL_DISTRICT,
            state="NC",
            state_code=row["lea_code"],
            county=row["county"],
            enrollment=int(row["enrollment"]),
        )
        for row in rows
    ]
    return Organization.objects.bulk_create(districts)


def _partners() -> tuple[Organization, Organization, Organization]:
    ncdpi = Organization.objects.create(
        slug="ncdpi",
        name="N.C. Department of Public Instruction",
        short_name="NCDPI",
        kind=Organization.Kind.STATE_AGENCY,
        state="NC",
    )
    cpt = Organization.objects.create(
        slug="unc-sog-center-for-public-technology",
        name="UNC School of Government, Center for Public Technology",
        short_name="CPT",
        kind=Organization.Kind.UNIVERSITY_CENTRE,
        state="NC",
    )
    mcnc = Organization.objects.create(
        slug="mcnc", name="MCNC", kind=Organization.Kind.NONPROFIT_NETWORK, state="NC"
    )
    return ncdpi, cpt, mcnc


def _program(ncdpi: Organization, cpt: Organization, mcnc: Organization) -> Program:
    program = Program.objects.create(
        slug=PROGRAM_SLUG,
        name="Certified Educational Chief Technology Officer (CeCTO)",
        short_name="CeCTO",
        description=(
            "A ten-month certification for school-district technology directors, with a companion "
            'track for their superintendents, "Leaders for the 21st Century". Instruction is face to '
            "face, live online and self-paced: enterprise issues, strategic technology planning, "
            "IT governance, project and risk management, security, E-Rate, legal and regulatory "
            "issues and more. CEUs are awarded."
        ),
        time_zone="America/New_York",
        eligibility_summary="North Carolina school-district technology leaders and their superintendents.",
    )
    for position, (organization, role) in enumerate(
        (
            (ncdpi, "Sponsor; admits candidates and awards the certification"),
            (cpt, "Designs and teaches the curriculum, with UNC's Certified Government CIO programme"),
            (mcnc, "Network partner; hosts sessions and the connectivity curriculum"),
        )
    ):
        ProgramPartner.objects.create(
            program=program, organization=organization, role=role, position=position
        )
    ProgramContact.objects.create(
        program=program,
        organization=ncdpi,
        name="Dana Whitfield",
        title="Digital Learning Consultant",
        email="dana.whitfield@ncdpi.example",
        phone="919-555-0142",
        position=0,
    )
    ProgramContact.objects.create(
        program=program,
        organization=cpt,
        name="Reuben Castellano",
        title="Programme Director",
        email="reuben.castellano@sog.example",
        phone="919-555-0178",
        position=1,
    )
    ProgramContact.objects.create(
        program=program,
        organization=mcnc,
        name="Tobias Engstrom",
        title="K-12 Client Services Manager",
        email="tobias.engstrom@mcnc.example",
        phone="919-555-0123",
        position=2,
    )
    EligibilityRule.objects.create(program=program, kind=EligibilityRule.Kind.DISTRICT_IN_STATE, state="NC")
    EligibilityRule.objects.create(
        program=program,
        kind=EligibilityRule.Kind.DISTRICT_ROLE,
        district_roles=["technology_director", "technology_staff", "superintendent"],
    )
    return program


def _tracks(program: Program) -> tuple[Track, Track]:
    td_track = Track.objects.create(
        program=program,
        slug="cecto-candidate",
        name="CeCTO candidate",
        audience=Track.Audience.TECHNOLOGY_DIRECTOR,
        description="240 hours of instruction over about ten months for district technology directors.",
        required_contact_minutes=240 * 60,
        required_sessions=Track.RequiredSessions.DESIGNATED,
        duration_months=10,
        credential_name="Certified Educational Chief Technology Officer (CeCTO)",
        position=0,
    )
    supt_track = Track.objects.create(
        program=program,
        slug="leaders-21st-century",
        name="Leaders for the 21st Century",
        audience=Track.Audience.SUPERINTENDENT,
        description=(
            "A 20-hour course for superintendents, plus the joint sessions with their district's "
            "candidates: the February kick-off, a September session and the closing meeting."
        ),
        required_contact_minutes=20 * 60,
        required_sessions=Track.RequiredSessions.ALL_JOINT,
        duration_months=10,
        credential_name="Leaders for the 21st Century",
        position=1,
    )
    return td_track, supt_track


TITLES: dict[str, str] = {
    Person.DistrictRole.SUPERINTENDENT: "Superintendent",
    Person.DistrictRole.TECHNOLOGY_DIRECTOR: "Chief Technology Officer",
    Person.DistrictRole.AGENCY_STAFF: "Technology Consultant",
}


def _person(names: _Names, organization: Organization, role: str, rng: random.Random) -> Person:
    full_name, local = names.next()
    domain = "ncdpi.example" if not organization.is_district else f"{organization.state_code}.k12.nc.example"
    superintendent = role == Person.DistrictRole.SUPERINTENDENT
    return Person(
        full_name=full_name,
        email=f"{local}@{domain}",
        title=TITLES.get(role, "Technology Director"),
        organization=organization,
        district_role=role,
        years_in_role=rng.randint(1, 9 if superintendent else 15),
        years_in_k12_technology=0 if superintendent else rng.randint(3, 25),
        highest_degree=rng.choice(
            ("bachelor", "master", "master", "specialist", "doctorate" if superintendent else "bachelor")
        ),
        directory_opt_in=rng.random() < 0.6,
    )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TIME_ZONE)


def _history(enrollment: Enrollment, steps: list[tuple[str, date, str]]) -> Iterator[EnrollmentStatusChange]:
    previous = ""
    for status, day, reason in steps:
        yield EnrollmentStatusChange(
            enrollment=enrollment, from_status=previous, to_status=status, at=_at(day, 10), reason=reason
        )
        previous = status


def _enroll(
    people_and_tracks: list[tuple[Person, Track, str]],
    cohort: Cohort,
    *,
    admitted_on: date,
    finished_on: date | None,
    enrolled_on: dict[int, date] | None = None,
) -> list[Enrollment]:
    """Enroll people with their history as it happened: applied, admitted, active, and then
    completed or withdrawn (status "active" stays for a class in progress)."""
    Person.objects.bulk_create([person for person, _, _ in people_and_tracks])
    enrollments = []
    for index, (person, track, final) in enumerate(people_and_tracks):
        day = (enrolled_on or {}).get(index, cohort.starts_on)
        enrollments.append(
            Enrollment(
                person=person,
                cohort=cohort,
                track=track,
                status=final,
                enrolled_on=day,
                status_changed_at=_at(finished_on or day, 10),
            )
        )
    Enrollment.objects.bulk_create(enrollments)
    changes: list[EnrollmentStatusChange] = []
    for enrollment in enrollments:
        start = enrollment.enrolled_on
        steps = [
            ("applied", start - timedelta(days=45), ""),
            ("admitted", admitted_on, _waiver(enrollment.person)),
            ("active", start, ""),
        ]
        if enrollment.status == "completed":
            steps.append(("completed", finished_on or start, "Met the track's requirements."))
        elif enrollment.status == "withdrawn":
            steps.append(("withdrawn", start + timedelta(days=120), "Left the district's technology role."))
        changes.extend(_history(enrollment, steps))
    EnrollmentStatusChange.objects.bulk_create(changes)
    return enrollments


def _waiver(person: Person) -> str:
    """Why someone outside the eligibility rules was admitted (the 2012 NCDPI staff)."""
    if person.organization is not None and not person.organization.is_district:
        return "Eligibility waived: NCDPI staff admitted by the programme."
    return ""


def _past_class(
    plan: ClassPlan,
    program: Program,
    td_track: Track,
    supt_track: Track,
    districts: list[Organization],
    ncdpi: Organization,
    names: _Names,
    rng: random.Random,
) -> None:
    cohort = Cohort.objects.create(
        program=program,
        slug=plan.slug,
        name=plan.name,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        status=Cohort.Status.COMPLETED,
    )
    district_count = plan.candidates - plan.agency_staff_completed
    candidate_districts = rng.sample(districts, district_count)
    rows: list[tuple[Person, Track, str]] = []
    for index, district in enumerate(candidate_districts):
        final = "completed" if index < plan.candidates_completed else "withdrawn"
        rows.append((_person(names, district, Person.DistrictRole.TECHNOLOGY_DIRECTOR, rng), td_track, final))
    rows.extend(
        (_person(names, ncdpi, Person.DistrictRole.AGENCY_STAFF, rng), td_track, "completed")
        for _ in range(plan.agency_staff_completed)
    )
    # Superintendents come from the candidates' districts, so each forms a district team.
    for index, district in enumerate(rng.sample(candidate_districts, plan.superintendents)):
        final = "completed" if index < plan.superintendents_completed else "withdrawn"
        rows.append((_person(names, district, Person.DistrictRole.SUPERINTENDENT, rng), supt_track, final))
    _enroll(rows, cohort, admitted_on=plan.starts_on - timedelta(days=21), finished_on=plan.ends_on)


def current_class_dates(today: date) -> tuple[int, date, date]:
    """The class in progress on `today`: kick-off on the second Tuesday of February, graduation
    on the first Thursday of December (or a Thursday at least three weeks ahead, so the demo is
    always mid-class)."""
    year = today.year if today >= date(today.year, 2, 15) else today.year - 1
    february = date(year, 2, 1)
    kickoff = february + timedelta(days=(1 - february.weekday()) % 7 + 7)
    december = date(year, 12, 1)
    graduation = december + timedelta(days=(3 - december.weekday()) % 7)
    if graduation < today + timedelta(days=21):
        earliest = today + timedelta(days=21)
        graduation = earliest + timedelta(days=(3 - earliest.weekday()) % 7)
    return year, kickoff, graduation


def _current_class(
    today: date,
    program: Program,
    td_track: Track,
    supt_track: Track,
    districts: list[Organization],
    cpt: Organization,
    names: _Names,
    rng: random.Random,
    topics: list[Topic],
) -> Cohort:
    year, kickoff, graduation = current_class_dates(today)
    cohort = Cohort.objects.create(
        program=program,
        slug=f"cecto-{year}",
        name=f"Class of {year}",
        starts_on=kickoff,
        ends_on=graduation,
        capacity=30,
        status=Cohort.Status.IN_PROGRESS,
    )
    candidate_districts = rng.sample(districts, 16)
    rows: list[tuple[Person, Track, str]] = [
        (
            _person(names, district, Person.DistrictRole.TECHNOLOGY_DIRECTOR, rng),
            td_track,
            "withdrawn" if index == 15 else "active",
        )
        for index, district in enumerate(candidate_districts)
    ]
    # Twelve of sixteen districts send their superintendent: about a quarter do not take part.
    rows.extend(
        (_person(names, district, Person.DistrictRole.SUPERINTENDENT, rng), supt_track, "active")
        for district in candidate_districts[:12]
    )
    late = {14: kickoff + timedelta(days=63)}  # one candidate joined in April
    _enroll(rows, cohort, admitted_on=kickoff - timedelta(days=21), finished_on=None, enrolled_on=late)

    instructor = Person.objects.create(
        full_name="Priya Raman",
        email="priya.raman@sog.example",
        title="Lecturer in Public Technology",
        organization=cpt,
        district_role=Person.DistrictRole.OTHER,
    )
    CohortInstructor.objects.create(cohort=cohort, person=instructor)
    for session in _sessions(cohort, td_track, supt_track, kickoff, graduation):
        session.full_clean()
        session.save()
        session.instructors.add(instructor)
        session.topics.add(*rng.sample(topics, 2))
    return cohort


def _sessions(
    cohort: Cohort, td_track: Track, supt_track: Track, kickoff: date, graduation: date
) -> Iterator[Session]:
    """A year's calendar: 240 hours for candidates, 20 for superintendents, three joint sessions."""
    venue = "MCNC, 3021 Cornwallis Road, Research Triangle Park, NC"
    meeting = "https://meet.cecto.example/cecto"
    common = {"cohort": cohort, "time_zone": "America/New_York"}
    yield Session(
        **common,
        title="Kick-off: transformational leadership in K-12 (joint)",
        mode=Session.Mode.IN_PERSON,
        starts_at=_at(kickoff, 9),
        ends_at=_at(kickoff, 16),
        contact_minutes=360,
        location=venue,
        is_required=True,
    )
    september = _nth_weekday(kickoff, 7, TUESDAY, 2)
    yield Session(
        **common,
        title="September joint session: technology and the district plan",
        mode=Session.Mode.IN_PERSON,
        starts_at=_at(september, 9),
        ends_at=_at(september, 16),
        contact_minutes=360,
        location=venue,
        is_required=True,
    )
    yield Session(
        **common,
        title="Closing joint meeting: best practices presented by the candidates",
        mode=Session.Mode.IN_PERSON,
        starts_at=_at(graduation, 9),
        ends_at=_at(graduation, 16),
        contact_minutes=360,
        location=venue,
        is_required=True,
    )
    # Candidates: a two-day session every month (third Thursday and Friday, 7 h a day), two live
    # webinars a month (second and fourth Wednesday, 2 h) and a self-paced module a month; with the
    # joint sessions that makes 240 hours over ten months. Nothing starts before the kick-off (the
    # second Tuesday of February) and nothing overlaps it or the September joint session.
    for month in range(10):
        first = _nth_weekday(kickoff, month, THURSDAY, 3)
        for day in range(2):
            yield Session(
                **common,
                track=td_track,
                title=f"Month {month + 1}, day {day + 1}: two-day session",
                mode=Session.Mode.IN_PERSON,
                starts_at=_at(first + timedelta(days=day), 8, 30),
                ends_at=_at(first + timedelta(days=day), 16, 30),
                contact_minutes=420,
                location=venue,
            )
        for webinar in range(2):
            when = _nth_weekday(kickoff, month, WEDNESDAY, 2 + 2 * webinar)
            yield Session(
                **common,
                track=td_track,
                title=f"Month {month + 1}: live webinar {webinar + 1}",
                mode=Session.Mode.ONLINE_LIVE,
                starts_at=_at(when, 15),
                ends_at=_at(when, 17),
                contact_minutes=120,
                meeting_url=meeting,
            )
        opens = max(kickoff, _nth_weekday(kickoff, month, MONDAY, 1))
        yield Session(
            **common,
            track=td_track,
            title=f"Month {month + 1}: self-paced module",
            mode=Session.Mode.ONLINE_SELF_PACED,
            starts_at=_at(opens, 0),
            ends_at=_at(opens + timedelta(days=27), 23, 59),
            contact_minutes=270 if month < 8 else 180,
        )
    # Superintendents: 20 hours of their own (five live online evenings and a self-paced module)
    # besides the joint sessions.
    for index, month in enumerate((1, 3, 5, 7, 8)):
        when = _nth_weekday(kickoff, month, MONDAY, 2)
        yield Session(
            **common,
            track=supt_track,
            title=f"Leaders for the 21st Century, part {index + 1}",
            mode=Session.Mode.ONLINE_LIVE,
            starts_at=_at(when, 18),
            ends_at=_at(when, 21),
            contact_minutes=180,
            meeting_url=meeting,
        )
    opens = _nth_weekday(kickoff, 2, MONDAY, 1)
    yield Session(
        **common,
        track=supt_track,
        title="Leaders for the 21st Century: self-paced module",
        mode=Session.Mode.ONLINE_SELF_PACED,
        starts_at=_at(opens, 0),
        ends_at=_at(opens + timedelta(days=60), 23, 59),
        contact_minutes=300,
    )


MONDAY, TUESDAY, WEDNESDAY, THURSDAY = range(4)


CGCIO_CREDIT = "Credit from UNC's Certified Government CIO programme (CGCIO), confirmed by transcript."


def _attendance(cohort: Cohort, today: date, rng: random.Random) -> None:
    """Roll calls for every session held before `today`, through the same service instructors use,
    so the ledger, the progress pages and the dashboard show a class mid-year: most people present,
    some late or leaving early, a few absences (one superintendent missed the September session)."""
    now = _at(today, 12)
    instructor = cohort.instructors.get()
    recorder = instructor.user
    enrollments = list(cohort.enrollments.select_related("person", "track", "cohort"))
    past = list(cohort.sessions.filter(ends_at__lt=now).order_by("starts_at"))
    for session in past:
        held_on = session.starts_at.astimezone(TIME_ZONE).date()
        for enrollment in enrollments:
            if session.track_id not in (None, enrollment.track_id) or held_on < enrollment.enrolled_on:
                continue
            if (
                enrollment.status == Enrollment.Status.WITHDRAWN
                and held_on > enrollment.enrolled_on + timedelta(days=120)
            ):
                continue
            status, minutes = _attendance_draw(session, enrollment, rng)
            attendance_record(
                enrollment=enrollment,
                session=session,
                status=status,
                minutes_attended=minutes,
                source_kind="self_paced" if session.mode == Session.Mode.ONLINE_SELF_PACED else "roll_call",
                by=recorder,
            )
    # Candidates also study in UNC's Certified Government CIO programme, and credit earned there
    # counts towards CeCTO: the administrator records it as a manual adjustment with its reason.
    admin = cohort.program.administrators.get().user
    for enrollment in enrollments:
        if (
            enrollment.track.audience == "technology_director"
            and enrollment.status == "active"
            and rng.random() < 0.6
        ):
            hours_entry_record(
                person=enrollment.person,
                enrollment_ref=enrollment.uuid,
                minutes=60 * rng.choice((7, 14, 21)),
                occurred_on=enrollment.cohort.starts_on + timedelta(days=rng.randrange(60, 200)),
                source_kind=HoursEntry.Source.MANUAL,
                reason=CGCIO_CREDIT,
                by=admin,
            )


def _attendance_draw(session: Session, enrollment: Enrollment, rng: random.Random) -> tuple[str, int | None]:
    superintendent = enrollment.person.district_role == "superintendent"
    if superintendent and "September joint" in session.title and rng.random() < 0.25:
        return "absent", None  # about a quarter of superintendents miss a joint session
    if session.mode == Session.Mode.ONLINE_SELF_PACED:
        return ("present", None) if rng.random() < 0.93 else ("absent", None)
    draw = rng.random()
    if draw < 0.92:
        return "present", None
    if draw < 0.96:
        return "late", session.contact_minutes - rng.choice((15, 30, 45))
    if draw < 0.98:
        return "left_early", session.contact_minutes - rng.choice((30, 60))
    if draw < 0.995:
        return "absent", None
    return "excused", None


def _nth_weekday(kickoff: date, months_after: int, weekday: int, nth: int) -> date:
    """The nth given weekday of the month that comes `months_after` the kick-off's month."""
    month_index = kickoff.month - 1 + months_after
    first = date(kickoff.year + month_index // 12, month_index % 12 + 1, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _logins(program: Program, cohort: Cohort, ncdpi: Organization) -> None:
    admins = Group.objects.get_or_create(name="Programme administrators")[0]
    admins.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=("people", "programs", "scheduling", "credentials")
        ).exclude(codename__startswith="delete_")
    )
    admin_user = User.objects.create_user("admin", password=DEMO_PASSWORD, is_staff=True)
    admin_user.groups.add(admins)
    admin_person = Person.objects.create(
        user=admin_user,
        full_name="Marguerite Olsen",
        email="marguerite.olsen@ncdpi.example",
        title="CeCTO Programme Administrator",
        organization=ncdpi,
        district_role=Person.DistrictRole.AGENCY_STAFF,
    )
    ProgramAdministrator.objects.create(program=program, person=admin_person)

    instructor = cohort.instructors.get()
    instructor.user = User.objects.create_user("instructor", password=DEMO_PASSWORD)
    instructor.save(update_fields=["user"])

    # The candidate and superintendent logins share a district, so the superintendent has a team.
    superintendent = (
        Person.objects.filter(enrollments__cohort=cohort, district_role=Person.DistrictRole.SUPERINTENDENT)
        .order_by("organization__name")
        .first()
    )
    if superintendent is None:  # pragma: no cover (the plan always has superintendents)
        raise RuntimeError("The demo class has no superintendent.")
    candidate = Person.objects.get(
        enrollments__cohort=cohort,
        enrollments__status="active",
        district_role=Person.DistrictRole.TECHNOLOGY_DIRECTOR,
        organization=superintendent.organization,
    )
    for person, username in ((candidate, "candidate"), (superintendent, "superintendent")):
        person.user = User.objects.create_user(username, email=person.email, password=DEMO_PASSWORD)
        person.save(update_fields=["user"])
