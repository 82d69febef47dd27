"""The synthetic dataset's objects while it is planned: plain, slotted, no ORM.

Each carries the id it will have in the database (the generator writes into an empty database,
so it numbers every table from 1) and whatever later steps need to make its rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from uuid import UUID

from cecto.demo.generator.places import State
from cecto.ledger.api import TrackPolicy

NEVER = datetime.max.replace(tzinfo=UTC)


@dataclass(slots=True, eq=False)
class Organization:
    id: int
    slug: str
    name: str
    kind: str
    state: str = ""
    short_name: str = ""
    state_code: str = ""
    county: str = ""
    enrollment: int | None = None
    website: str = ""
    # For districts: how likely people are to come from it, and who they are so far.
    weight: float = 0.0
    superintendent: Person | None = None
    tech_people: list[Person] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Person:
    id: int
    uuid: UUID
    first_name: str
    last_name: str
    email: str
    organization: Organization
    role: str
    title: str
    years_in_role: int
    years_in_k12_technology: int | None
    highest_degree: str
    directory_opt_in: bool
    phone: str
    joined: datetime
    password: str  # unusable ("!…") except for the bench logins, which load.py sets
    username: str = ""
    is_staff: bool = False
    is_superuser: bool = False
    # Programme id -> the status of the person's latest enrollment in it (repeat enrollments).
    programs: dict[int, str] = field(default_factory=dict)
    cohort_ids: set[int] = field(default_factory=set)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(slots=True, eq=False)
class Track:
    id: int
    program: Program
    slug: str
    name: str
    audience: str
    description: str
    required_contact_minutes: int
    required_sessions: str
    credential_name: str
    partial_credit: str
    partial_credit_threshold_percent: int | None
    duration_months: int
    position: int
    required_session_min_percent: int = 75
    policy: TrackPolicy = field(init=False)

    def __post_init__(self) -> None:
        self.policy = TrackPolicy(
            required_minutes=self.required_contact_minutes,
            required_sessions=self.required_sessions,
            partial_credit=self.partial_credit,
            threshold_percent=self.partial_credit_threshold_percent,
            required_session_min_percent=self.required_session_min_percent,
        )


@dataclass(slots=True, eq=False)
class Program:
    id: int
    kind: str  # "cecto": a state's 240-hour programme; "ctl": the national exam-preparation one
    slug: str
    name: str
    short_name: str
    description: str
    time_zone: str
    eligibility_summary: str
    state: State | None
    partners: list[tuple[Organization, str]] = field(default_factory=list)
    tracks: list[Track] = field(default_factory=list)
    administrators: list[Person] = field(default_factory=list)
    # Instructors by state code (the national programme has facilitators in every state).
    instructors: dict[str, list[Person]] = field(default_factory=dict)
    eligibility: list[tuple[str, str, tuple[str, ...], int | None]] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Session:
    id: int
    uuid: UUID
    cohort: Cohort
    title: str
    mode: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    held_on: date  # local date of starts_at (the ledger's occurred_on)
    contact_minutes: int
    track: Track | None  # None: a joint session
    is_required: bool = False
    location: str = ""
    meeting_url: str = ""
    series_ref: UUID | None = None
    status: str = "scheduled"
    sequence: int = 0
    instructor: Person | None = None
    topic_ids: tuple[int, ...] = ()


@dataclass(slots=True, eq=False)
class Cohort:
    id: int
    uuid: UUID
    program: Program
    state: State
    slug: str
    name: str
    starts_on: date
    ends_on: date
    status: str
    capacity: int | None
    check_in_by_qr: bool  # in-person attendance by QR check-in rather than roll call
    imports_csv: bool  # live sessions' attendance from our CSV rather than meeting reports
    target_size: int = 0
    superintendent_share: float = 0.0
    sessions: list[Session] = field(default_factory=list)
    # Track id -> the sessions for it that were held (or closed) by the as-of day, and that day's end.
    held: dict[int, list[Session]] = field(default_factory=dict)
    as_of_end: datetime = NEVER
    enrollments: list[Enrollment] = field(default_factory=list)
    instructors: list[Person] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Enrollment:
    id: int
    uuid: UUID
    person: Person
    cohort: Cohort
    track: Track
    applied_on: date
    admitted_on: date | None
    enrolled_on: date
    engagement: int  # 0 steady, 1 patchy, 2 struggling
    withdraw_after: date | None  # leaves after this day (None: stays)
    status: str = "active"
    finished_on: date | None = None  # completed, or withdrawn
    certified_on: date | None = None
    reason: str = ""
