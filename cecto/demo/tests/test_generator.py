"""`cecto generate`: a deterministic synthetic dataset, loaded in bulk, whose ledger adds up."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Sum

from cecto.credentials.models import Credential, CredentialStatusChange
from cecto.credentials.services import verify_document
from cecto.demo.generator.attendance import uuid4_int
from cecto.demo.generator.credentials import _three_years_after
from cecto.demo.generator.load import ADMIN_GROUP, BENCH_PASSWORD, LoadResult, _check_columns, generate
from cecto.demo.generator.plan import Plan, plan_for
from cecto.demo.generator.progress import Progress
from cecto.demo.generator.scales import DEFAULT_AS_OF, SCALES, Scale
from cecto.demo.generator.tables import Table, checksum, tables_for
from cecto.ledger.api import HoursEntry, balances_for, credit_for, session_minutes_for
from cecto.people.models import Organization, Person
from cecto.people.tests.factories import DistrictFactory
from cecto.programs.models import Program
from cecto.scheduling.api import progress_for_cohort
from cecto.scheduling.attendance import policy_for
from cecto.scheduling.models import AttendanceRecord, Cohort, Enrollment, SelfPacedCompletion, Session

SMALL = SCALES["small"]


@pytest.fixture(scope="module")
def plan() -> Plan:
    return plan_for(SMALL, seed=7, as_of=DEFAULT_AS_OF)


def load(seed: int = 7, **options: object) -> LoadResult:
    options = {"analyze": False, **options}
    return generate(scale=SMALL, seed=seed, as_of=DEFAULT_AS_OF, progress=Progress(io.StringIO()), **options)


def digests(plan: Plan, *names: str) -> dict[str, str]:
    return {table.name: checksum(table) for table in tables_for(plan) if not names or table.name in names}


def loaded_digest(model: type, *fields: str) -> str:
    rows = model._default_manager.order_by("pk").values_list(*fields)
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def loaded_digests() -> dict[str, str]:
    return {
        "people": loaded_digest(Person, "pk", "uuid", "full_name", "email", "organization_id", "user_id"),
        "enrollments": loaded_digest(Enrollment, "pk", "uuid", "status", "enrolled_on", "status_changed_at"),
        "attendance": loaded_digest(
            AttendanceRecord, "pk", "uuid", "status", "minutes_attended", "created_at"
        ),
        "ledger": loaded_digest(
            HoursEntry, "pk", "uuid", "enrollment_ref", "minutes", "source_id", "recorded_at"
        ),
        "credentials": loaded_digest(Credential, "pk", "uuid", "document", "status", "status_index"),
    }


# The plan: pure, seeded, the scale's shape.


def test_the_same_seed_plans_the_same_rows_and_another_seed_others(plan: Plan) -> None:
    again = plan_for(SMALL, seed=7, as_of=DEFAULT_AS_OF)
    other = plan_for(SMALL, seed=8, as_of=DEFAULT_AS_OF)
    assert digests(again) == digests(plan)
    names = ("people_person", "scheduling_attendancerecord", "ledger_hoursentry")
    first, second = digests(plan, *names), digests(other, *names)
    assert all(first[name] != second[name] for name in names)


def test_it_plans_the_small_scale_counts(plan: Plan) -> None:
    districts = [o for o in plan.organizations if o.kind == "school_district"]
    assert len(districts) == SMALL.districts
    assert len(plan.people) == SMALL.people
    assert len(plan.cohorts) == SMALL.cohorts
    assert len(plan.sessions) == SMALL.sessions
    assert abs(plan.counts["attendance"] - SMALL.attendance) < SMALL.attendance * 0.15
    assert {d.state for d in districts} == {"NC", "CO"}


def test_district_sizes_have_a_long_tail() -> None:
    plan = plan_for(
        SCALES["state"].__class__(**{**SCALES["small"].__dict__, "districts": 400}),
        seed=1,
        as_of=DEFAULT_AS_OF,
    )
    sizes = sorted(o.enrollment or 0 for o in plan.organizations if o.kind == "school_district")
    median = sizes[len(sizes) // 2]
    assert sizes[-1] > 20 * median
    assert sum(sizes[-len(sizes) // 10 :]) > sum(sizes[: len(sizes) // 2])


def test_it_makes_uuid4s_as_the_uuid_module_does() -> None:
    import random

    rng, twin = random.Random(3), random.Random(3)
    for _ in range(1000):
        bits = twin.getrandbits(128)
        assert uuid4_int(rng) == uuid.UUID(int=bits, version=4).int


def test_classes_run_from_2016_to_2026_with_sessions_in_every_mode(plan: Plan) -> None:
    assert min(c.starts_on.year for c in plan.cohorts) <= 2018
    assert max(c.starts_on.year for c in plan.cohorts) == 2026
    assert {s.mode for s in plan.sessions} == {"in_person", "online_live", "online_self_paced"}
    assert any(s.track is None for s in plan.sessions)  # joint sessions
    assert {s.cohort.state.time_zone for s in plan.sessions} == {"America/New_York", "America/Denver"}
    for cohort in plan.cohorts:
        assert all(cohort.starts_on <= s.held_on <= cohort.ends_on for s in cohort.sessions)


def test_it_offers_technology_directors_their_240_hours_and_superintendents_their_20(plan: Plan) -> None:
    cohort = next(c for c in plan.cohorts if c.program.kind == "cecto")
    td, supt = cohort.program.tracks
    offered = Counter[str]()
    for session in cohort.sessions:
        for track in (td, supt):
            if session.track in (None, track):
                offered[track.slug] += session.contact_minutes
    assert offered["technology-director"] >= 240 * 60
    supt_own = sum(s.contact_minutes for s in cohort.sessions if s.track is supt)
    assert supt_own == 20 * 60


def test_people_take_part_more_than_once_over_a_career() -> None:
    plan = plan_for(SCALES["small"], seed=2, as_of=DEFAULT_AS_OF)
    enrollments = Counter(e.person.id for e in plan.enrollments)
    assert max(enrollments.values()) >= 2
    assert len(enrollments) <= len(plan.people)


def test_superintendents_come_again_with_later_candidates() -> None:
    one_state = Scale(
        **{**SMALL.__dict__, "states": ("NC",), "cohorts": 6, "sessions": 6 * 44, "people": 500}
    )
    plan = plan_for(one_state, seed=1, as_of=DEFAULT_AS_OF)
    assert all(c.program.kind == "cecto" for c in plan.cohorts)
    superintendents = Counter(e.person.id for e in plan.enrollments if e.track.audience == "superintendent")
    assert max(superintendents.values()) >= 2


def test_classes_not_begun_on_the_as_of_day_are_admitting_with_no_attendance() -> None:
    plan = plan_for(SMALL, seed=7, as_of=date(2026, 1, 20))
    coming = [c for c in plan.cohorts if c.starts_on > plan.as_of]
    assert coming
    assert {c.status for c in coming} <= {"admitting", "planned"}
    for cohort in coming:
        assert {e.status for e in cohort.enrollments} <= {"admitted", "applied"}
        assert not any(plan.marks(e) for e in cohort.enrollments)


# Loading it.


@pytest.mark.django_db
def test_it_loads_what_it_planned(plan: Plan) -> None:
    result = load()
    counts = plan.counts
    assert Organization.objects.count() == len(plan.organizations)
    assert Person.objects.count() == len(plan.people) == SMALL.people
    assert User.objects.count() == len(plan.people) + 1
    assert Cohort.objects.count() == SMALL.cohorts
    assert Session.objects.count() == SMALL.sessions
    assert Enrollment.objects.count() == len(plan.enrollments)
    assert AttendanceRecord.objects.count() == counts["attendance"]
    assert SelfPacedCompletion.objects.count() == counts["completions"]
    assert HoursEntry.objects.count() == counts["entries"]
    assert result.rows["scheduling_attendancerecord"] == counts["attendance"]
    assert Enrollment.objects.filter(status="certified").count() == counts["status:certified"]


@pytest.mark.django_db
def test_the_ledger_credits_each_attendance_record_as_the_attendance_service_would() -> None:
    load()
    enrollments = list(Enrollment.objects.select_related("track").order_by("pk")[::7])
    refs = [e.uuid for e in enrollments]
    records = AttendanceRecord.objects.filter(enrollment__in=enrollments).select_related("session")
    expected: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
    by_pk = {e.pk: e for e in enrollments}
    for record in records:
        enrollment = by_pk[record.enrollment_id]
        credited = credit_for(
            policy_for(enrollment.track),
            contact_minutes=record.session.contact_minutes,
            attended_minutes=record.minutes_attended,
        )
        if credited:
            expected[(enrollment.uuid, record.session.uuid)] = credited
    assert session_minutes_for(refs) == expected
    entries = HoursEntry.objects.filter(enrollment_ref__in=refs, session_ref__isnull=False)
    sources = dict(
        AttendanceRecord.objects.filter(enrollment__in=enrollments).values_list("uuid", "source_kind")
    )
    for entry in entries:
        assert entry.source_kind == sources[uuid.UUID(entry.source_id)]
    manual = dict(
        HoursEntry.objects.filter(enrollment_ref__in=refs, source_kind="manual")
        .values_list("enrollment_ref")
        .annotate(minutes=Sum("minutes"))
    )
    balances = balances_for(refs)
    for enrollment in enrollments:
        attended = sum(m for (ref, _), m in expected.items() if ref == enrollment.uuid)
        assert balances[enrollment.uuid].instruction_minutes == attended + manual.get(enrollment.uuid, 0)


@pytest.mark.django_db
def test_only_late_candidates_get_manual_credit_for_what_they_missed() -> None:
    load()
    manual = HoursEntry.objects.filter(source_kind="manual")
    late = {
        e.uuid: e
        for e in Enrollment.objects.select_related("cohort", "track")
        if e.enrolled_on > e.cohort.starts_on
    }
    assert late
    for entry in manual:
        enrollment = late[entry.enrollment_ref]
        assert enrollment.track.audience == "technology_director"
        assert entry.reason
        assert entry.occurred_on > enrollment.enrolled_on


@pytest.mark.django_db
def test_the_progress_pages_agree_with_who_completed() -> None:
    load()
    outcomes = Counter[tuple[str, bool]]()
    for cohort in Cohort.objects.filter(status="completed").select_related("program"):
        enrollments = list(cohort.enrollments.exclude(status="applied"))
        after = datetime.combine(cohort.ends_on + timedelta(days=2), datetime.min.time(), tzinfo=UTC)
        for enrollment, progress in zip(
            enrollments, progress_for_cohort(cohort=cohort, enrollments=enrollments, now=after), strict=True
        ):
            outcomes[(enrollment.status, progress.progress.is_complete)] += 1
    assert outcomes[("certified", True)] > 50
    assert outcomes[("certified", False)] == 0
    assert outcomes[("completed", False)] == 0
    assert outcomes[("withdrawn", False)] > 0


@pytest.mark.django_db
def test_attendance_has_realistic_gaps_and_every_source() -> None:
    load()
    statuses = set(AttendanceRecord.objects.values_list("status", flat=True))
    assert statuses == {"present", "late", "left_early", "absent", "excused"}
    sources = set(AttendanceRecord.objects.values_list("source_kind", flat=True))
    assert {"roll_call", "self_paced"} <= sources
    assert sources & {"meeting_report", "csv_import"}
    assert not AttendanceRecord.objects.filter(session__status="cancelled").exists()
    assert not AttendanceRecord.objects.filter(enrollment__status="applied").exists()
    assert not AttendanceRecord.objects.filter(
        session__ends_at__gt=datetime(2026, 11, 21, tzinfo=UTC)
    ).exists()
    statuses = set(Enrollment.objects.values_list("status", flat=True))
    assert {"active", "certified", "withdrawn"} <= statuses


@pytest.mark.django_db
def test_the_bench_logins_authenticate_with_the_printed_password() -> None:
    load()
    for username in ("bench-admin", "bench-programme-admin", "bench-instructor", "bench-candidate"):
        assert authenticate(username=username, password=BENCH_PASSWORD) is not None, username
    admin = User.objects.get(username="bench-programme-admin")
    assert admin.is_staff is True
    assert admin.groups.filter(name=ADMIN_GROUP).exists()
    assert User.objects.get(username="bench-admin").is_superuser is True
    candidate = Person.objects.get(user__username="bench-candidate")
    superintendent = Person.objects.get(user__username="bench-superintendent")
    assert candidate.organization_id == superintendent.organization_id
    assert User.objects.filter(username__startswith="bench-").count() == 5
    assert (
        not User.objects.exclude(username__startswith="bench-").filter(password__startswith="pbkdf2").exists()
    )


@pytest.mark.django_db
def test_dropping_and_rebuilding_indexes_leaves_the_schema_as_it_was() -> None:
    tables = ("scheduling_attendancerecord", "ledger_hoursentry", "people_person")
    with connection.cursor() as cursor:
        before = {t: connection.introspection.get_constraints(cursor, t) for t in tables}
    load(rebuild_from=0, analyze=True)
    with connection.cursor() as cursor:
        after = {t: connection.introspection.get_constraints(cursor, t) for t in tables}
    for table in tables:
        assert {name: c["columns"] for name, c in after[table].items()} == {
            name: c["columns"] for name, c in before[table].items()
        }
    assert AttendanceRecord.objects.count() > 5000


@pytest.mark.django_db(transaction=True)
def test_it_loads_each_table_in_its_own_transaction_as_the_command_does() -> None:
    result = generate(scale=SMALL, seed=7, as_of=DEFAULT_AS_OF, progress=Progress(io.StringIO()))
    assert result.seconds["analyze"] >= 0
    assert HoursEntry.objects.count() == result.plan.counts["entries"]
    assert connection.in_atomic_block is False


@pytest.mark.django_db
def test_certified_enrollments_hold_signed_credentials_that_verify() -> None:
    result = load()
    badges = Credential.objects.filter(kind="ob3")
    certified = Enrollment.objects.filter(status="certified")
    assert set(badges.values_list("enrollment_id", flat=True)) == set(certified.values_list("pk", flat=True))
    transcripts = Credential.objects.filter(kind="clr2")
    assert badges.count() + transcripts.count() == Credential.objects.count() > 0
    assert result.notes == [
        f"Credentials: {Credential.objects.count():,} signed ({badges.count():,} Open Badges, "
        f"{transcripts.count():,} transcripts), "
        f"{Credential.objects.exclude(status='active').count():,} revoked or suspended, in 1 status list."
    ]
    for credential in (badges.filter(status="active").first(), transcripts.first()):
        assert credential is not None
        verdict = verify_document(json.loads(credential.document))
        assert verdict.is_valid, verdict.summary


@pytest.mark.django_db
def test_revoked_and_suspended_credentials_say_so_when_verified() -> None:
    load(seed=11)
    changed = Credential.objects.exclude(status="active")
    assert changed.exists()
    for credential in changed:
        assert verify_document(json.loads(credential.document)).status == credential.status
        change = CredentialStatusChange.objects.get(credential=credential)
        assert change.reason == credential.status_reason != ""


# The command.


@pytest.mark.django_db
def test_the_command_loads_the_same_rows_again_after_flush() -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("generate", "--scale", "small", "--seed", "5", "--no-analyze", stdout=out, stderr=err)
    first = loaded_digests()
    assert "Wrote" in out.getvalue()
    assert BENCH_PASSWORD in out.getvalue()
    assert "Open Badges" in out.getvalue()
    assert "scheduling_attendancerecord" in err.getvalue()
    assert "\r" not in err.getvalue()  # stderr is no terminal: a line per table, no bar
    call_command(
        "generate", "--seed", "5", "--flush", "--no-analyze", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert loaded_digests() == first


@pytest.mark.django_db
def test_the_command_refuses_a_database_that_holds_data() -> None:
    DistrictFactory()
    with pytest.raises(CommandError, match=r"already holds data \(1 organizations\).*--flush"):
        call_command("generate", "--scale", "small", stdout=io.StringIO(), stderr=io.StringIO())
    assert Organization.objects.count() == 1
    assert not Program.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--scale", "huge"], "invalid choice: 'huge'"),
        (["--seed", "-3"], "negative"),
        (["--seed", "one"], "not a whole number"),
        (["--as-of", "yesterday"], "not a date"),
    ],
)
def test_the_command_says_what_is_wrong_with_its_arguments(arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("generate", *arguments, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_the_command_refuses_to_run_in_production(settings) -> None:
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("generate", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Person.objects.exists()


# Plumbing.


@pytest.mark.django_db
def test_it_refuses_to_write_a_table_whose_model_has_changed(plan: Plan) -> None:
    table = next(t for t in tables_for(plan) if t.name == "people_person")
    changed = Table(table.name, table.model, table.columns[:-1], table.count, table.rows)
    with pytest.raises(RuntimeError, match=r"update cecto/demo/generator/tables\.py"):
        _check_columns(changed)


def test_progress_redraws_a_bar_on_a_terminal_and_prints_a_line_elsewhere() -> None:
    terminal, log = io.StringIO(), io.StringIO()
    for stream, live in ((terminal, True), (log, False)):
        with Progress(stream, live=live).table("ledger_hoursentry", 10) as shown:
            shown.advance(4)
            shown.advance(6)
    assert "\r" in terminal.getvalue()
    assert "░" in terminal.getvalue()
    assert log.getvalue().count("\n") == 1
    assert "ledger_hoursentry" in log.getvalue()
    assert "10 rows" in log.getvalue()


def test_progress_ends_its_line_when_a_table_fails() -> None:
    terminal = io.StringIO()
    with pytest.raises(ValueError, match="boom"), Progress(terminal, live=True).table("people_person", 3):
        raise ValueError("boom")
    assert terminal.getvalue().endswith("0/3         0 rows/s\n")  # the bar as it stood, then a new line


def test_the_as_of_day_is_fixed_so_runs_on_other_days_agree() -> None:
    assert date(2026, 11, 20) == DEFAULT_AS_OF


def test_a_renewal_cycle_from_29_february_ends_on_28_february() -> None:
    assert _three_years_after(datetime(2024, 2, 29, 17, tzinfo=UTC)) == datetime(2027, 2, 28, 17, tzinfo=UTC)
    assert _three_years_after(datetime(2024, 3, 1, 17, tzinfo=UTC)) == datetime(2027, 3, 1, 17, tzinfo=UTC)
