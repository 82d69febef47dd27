"""The plan as table rows, in the order they are written (referenced tables first).

Each table names its model (load.py checks the columns against it before writing anything) and
yields plain tuples in column order: ints, strings, booleans, None, uuids (or their 32 hex digits),
dates and UTC datetimes, which the writer adapts to the database. Attendance, self-paced
completions and the ledger are streamed: the marks are drawn again, per enrollment, as the rows
are written, so millions of rows are never held in memory.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils.text import slugify

from cecto.demo.generator.attendance import marks_for, uuid_hex, uuid_str
from cecto.demo.generator.enrolling import status_history
from cecto.demo.generator.plan import Plan
from cecto.demo.generator.scales import FIRST_YEAR

Row = tuple[object, ...]
EPOCH = datetime(FIRST_YEAR - 1, 9, 1, 12, tzinfo=UTC)  # when the programmes and organizations were set up


@dataclass(frozen=True)
class Table:
    name: str  # the database table
    model: str  # "app_label.ModelName", for the column check
    columns: tuple[str, ...]
    count: int
    rows: Callable[[], Iterator[Row]]


def at(day: date, hour: int = 15) -> datetime:
    """A day's moment for bookkeeping times (15:00 UTC: the morning across the United States)."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def tables_for(plan: Plan) -> list[Table]:
    people, programs, cohorts, sessions, counts = (
        plan.people,
        plan.programs,
        plan.cohorts,
        plan.sessions,
        plan.counts,
    )
    # fmt: off
    specs: list[tuple[str, str, str, int, Callable[[Plan], Iterator[Row]]]] = [
        ("auth_user", "auth.User",
         "id password last_login is_superuser username first_name last_name email is_staff is_active "
         "date_joined",
         len(people) + 1, _users),
        ("people_organization", "people.Organization",
         "id created_at updated_at slug name short_name kind state state_code county enrollment website",
         len(plan.organizations), _organizations),
        ("people_person", "people.Person",
         "id created_at updated_at uuid user_id full_name email phone title organization_id district_role "
         "years_in_role years_in_k12_technology highest_degree directory_opt_in",
         len(people), _people),
        ("programs_topic", "programs.Topic", "id slug name", len(plan.topics), _topics),
        ("programs_program", "programs.Program",
         "id created_at updated_at slug name short_name description time_zone is_public eligibility_summary",
         len(programs), _programs),
        ("programs_programpartner", "programs.ProgramPartner", "id program_id organization_id role position",
         sum(len(p.partners) for p in programs), _partners),
        ("programs_programcontact", "programs.ProgramContact",
         "id program_id organization_id name title email phone position", len(programs), _contacts),
        ("programs_programadministrator", "programs.ProgramAdministrator", "id program_id person_id",
         sum(len(p.administrators) for p in programs), _administrators),
        ("programs_eligibilityrule", "programs.EligibilityRule",
         "id program_id kind state district_roles min_years",
         sum(len(p.eligibility) for p in programs), _eligibility),
        ("programs_track", "programs.Track",
         "id created_at updated_at program_id slug name audience description required_contact_minutes "
         "required_sessions duration_months credential_name ceu_policy partial_credit "
         "partial_credit_threshold_percent mentoring_counts_as_instruction required_session_min_percent "
         "position",
         len(plan.tracks), _tracks),
        ("scheduling_cohort", "scheduling.Cohort",
         "id created_at updated_at uuid program_id slug name starts_on ends_on capacity status",
         len(cohorts), _cohorts),
        ("scheduling_cohortinstructor", "scheduling.CohortInstructor", "id cohort_id person_id",
         sum(len(c.instructors) for c in cohorts), _cohort_instructors),
        ("scheduling_enrollment", "scheduling.Enrollment",
         "id created_at updated_at uuid person_id cohort_id track_id status enrolled_on status_changed_at",
         len(plan.enrollments), _enrollments),
        ("scheduling_enrollmentstatuschange", "scheduling.EnrollmentStatusChange",
         "id enrollment_id from_status to_status at by_id reason", counts["status_changes"], _status_changes),
        ("scheduling_session", "scheduling.Session",
         "id created_at updated_at uuid cohort_id title description mode status starts_at ends_at time_zone "
         "contact_minutes track_id is_required location meeting_url series_ref makeup_for_id sequence",
         len(sessions), _sessions),
        ("scheduling_session_instructors", "scheduling.Session_instructors", "id session_id person_id",
         sum(1 for s in sessions if s.instructor is not None), _session_instructors),
        ("scheduling_session_topics", "scheduling.Session_topics", "id session_id topic_id",
         sum(len(s.topic_ids) for s in sessions), _session_topics),
        ("scheduling_attendancerecord", "scheduling.AttendanceRecord",
         "id created_at updated_at uuid enrollment_id session_id status minutes_attended source_kind note "
         "recorded_by_id version",
         counts["attendance"], _attendance),
        ("scheduling_selfpacedcompletion", "scheduling.SelfPacedCompletion",
         "id created_at updated_at uuid enrollment_id session_id status submitted_at decided_at "
         "decided_by_id note",
         counts["completions"], _completions),
        ("ledger_hoursentry", "ledger.HoursEntry",
         "id uuid person_id enrollment_ref session_ref category minutes occurred_on source_kind source_id "
         "reason reverses_id recorded_at recorded_by_id",
         counts["entries"], _entries),
    ]
    # fmt: on
    return [
        Table(name, model, tuple(columns.split()), count, _bound(rows, plan))
        for name, model, columns, count, rows in specs
    ]


def _bound(rows: Callable[[Plan], Iterator[Row]], plan: Plan) -> Callable[[], Iterator[Row]]:
    return lambda: rows(plan)


def checksum(table: Table) -> str:
    """A digest of the table's rows, for telling whether two plans are the same."""
    digest = hashlib.sha256(table.name.encode())
    for row in table.rows():
        digest.update(repr(row).encode())
    return digest.hexdigest()


# fmt: off
def _users(plan: Plan) -> Iterator[Row]:
    for p in plan.people:
        yield (p.id, p.password, None, False, p.username, p.first_name, p.last_name, p.email, p.is_staff,
               True, p.joined)
    yield (plan.superuser_id, "!", None, True, "bench-admin", "", "", "", True, True, EPOCH)


def _organizations(plan: Plan) -> Iterator[Row]:
    for o in plan.organizations:
        yield (o.id, EPOCH, EPOCH, o.slug, o.name, o.short_name, o.kind, o.state, o.state_code, o.county,
               o.enrollment, o.website)


def _people(plan: Plan) -> Iterator[Row]:
    for p in plan.people:
        yield (p.id, p.joined, p.joined, p.uuid, p.id, p.full_name, p.email, p.phone, p.title,
               p.organization.id, p.role, p.years_in_role, p.years_in_k12_technology, p.highest_degree,
               p.directory_opt_in)


def _topics(plan: Plan) -> Iterator[Row]:
    for index, name in enumerate(plan.topics, 1):
        yield (index, slugify(name), name)


def _programs(plan: Plan) -> Iterator[Row]:
    for p in plan.programs:
        yield (p.id, EPOCH, EPOCH, p.slug, p.name, p.short_name, p.description, p.time_zone, True,
               p.eligibility_summary)


def _partners(plan: Plan) -> Iterator[Row]:
    ids = itertools.count(1)
    for p in plan.programs:
        for position, (organization, role) in enumerate(p.partners):
            yield (next(ids), p.id, organization.id, role, position)


def _contacts(plan: Plan) -> Iterator[Row]:
    for p in plan.programs:
        a = p.administrators[0]
        yield (p.id, p.id, a.organization.id, a.full_name, a.title, a.email, a.phone, 0)


def _administrators(plan: Plan) -> Iterator[Row]:
    ids = itertools.count(1)
    for p in plan.programs:
        for person in p.administrators:
            yield (next(ids), p.id, person.id)


def _eligibility(plan: Plan) -> Iterator[Row]:
    ids = itertools.count(1)
    for p in plan.programs:
        for kind, state, roles, min_years in p.eligibility:
            yield (next(ids), p.id, kind, state, json.dumps(list(roles)), min_years)


def _tracks(plan: Plan) -> Iterator[Row]:
    for t in plan.tracks:
        yield (t.id, EPOCH, EPOCH, t.program.id, t.slug, t.name, t.audience, t.description,
               t.required_contact_minutes, t.required_sessions, t.duration_months, t.credential_name, "iacet",
               t.partial_credit, t.partial_credit_threshold_percent, False, t.required_session_min_percent,
               t.position)


def _cohorts(plan: Plan) -> Iterator[Row]:
    for c in plan.cohorts:
        created = at(c.starts_on - timedelta(days=150))
        updated = at(c.ends_on) if c.status == "completed" else created
        yield (c.id, created, updated, c.uuid, c.program.id, c.slug, c.name, c.starts_on, c.ends_on,
               c.capacity, c.status)


def _cohort_instructors(plan: Plan) -> Iterator[Row]:
    ids = itertools.count(1)
    for c in plan.cohorts:
        for person in c.instructors:
            yield (next(ids), c.id, person.id)


def _enrollments(plan: Plan) -> Iterator[Row]:
    for e in plan.enrollments:
        changed = at(status_history(e)[-1][2])
        yield (e.id, at(e.applied_on), changed, e.uuid, e.person.id, e.cohort.id, e.track.id, e.status,
               e.enrolled_on, changed)


def _status_changes(plan: Plan) -> Iterator[Row]:
    ids = itertools.count(1)
    for e in plan.enrollments:
        admin = e.cohort.program.administrators[0].id
        for from_status, to_status, day, by_admin, reason in status_history(e):
            by = admin if by_admin else e.person.id
            yield (next(ids), e.id, from_status, to_status, at(day), by, reason)


def _sessions(plan: Plan) -> Iterator[Row]:
    for s in plan.sessions:
        created = at(s.cohort.starts_on - timedelta(days=120))
        yield (s.id, created, created, s.uuid, s.cohort.id, s.title, "", s.mode, s.status, s.starts_at,
               s.ends_at, s.cohort.state.time_zone, s.contact_minutes, s.track.id if s.track else None,
               s.is_required, s.location, s.meeting_url, s.series_ref, None, s.sequence)


def _session_instructors(plan: Plan) -> Iterator[Row]:
    ids = itertools.count(1)
    for s in plan.sessions:
        if s.instructor is not None:
            yield (next(ids), s.id, s.instructor.id)


def _session_topics(plan: Plan) -> Iterator[Row]:
    ids = itertools.count(1)
    for s in plan.sessions:
        for topic in s.topic_ids:
            yield (next(ids), s.id, topic)


def _attendance(plan: Plan) -> Iterator[Row]:
    ids = itertools.count(1)
    for e in plan.enrollments:
        for m in plan.marks(e):
            by = m.recorded_by.id if m.recorded_by else None
            yield (next(ids), m.recorded_at, m.recorded_at, uuid_hex(m.record_uuid), e.id, m.session.id,
                   m.status, m.minutes, m.source_kind, m.note, by, 1)


def _completions(plan: Plan) -> Iterator[Row]:
    ids = itertools.count(1)
    for e in plan.enrollments:
        for m in marks_for(e, seed=plan.seed, self_paced_only=True):
            if m.completion_uuid:
                by = m.recorded_by.id if m.recorded_by else None
                yield (next(ids), m.submitted_at, m.recorded_at, uuid_hex(m.completion_uuid), e.id,
                       m.session.id, "approved", m.submitted_at, m.recorded_at, by, "")


def _entries(plan: Plan) -> Iterator[Row]:
    """What attendance_record writes for each credited record, then the manual adjustments."""
    ids = itertools.count(1)
    session_refs = {s.id: s.uuid.hex for s in plan.sessions}
    for e in plan.enrollments:
        person, ref = e.person.id, e.uuid.hex
        for m in plan.marks(e):
            if m.entry_uuid:
                by = m.recorded_by.id if m.recorded_by else None
                record = uuid_str(m.record_uuid)  # source_id: str() of the record's uuid
                yield (next(ids), uuid_hex(m.entry_uuid), person, ref, session_refs[m.session.id],
                       "instruction", m.credited, m.session.held_on, m.source_kind, record, m.note, None,
                       m.recorded_at, by)
        for a in plan.adjustments(e):
            yield (next(ids), uuid_hex(a.entry_uuid), person, ref, None, "instruction", a.minutes,
                   a.occurred_on, "manual", "", a.reason, None, a.recorded_at, a.recorded_by.id)
# fmt: on
