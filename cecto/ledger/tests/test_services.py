"""Writing the ledger (record, reverse, set a session's credit), its constraints, and reading it back."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cecto.ledger.data import HoursBalance, MonthMinutes
from cecto.ledger.models import HoursEntry
from cecto.ledger.selectors import (
    balance_for,
    balances_for,
    entries_for,
    minutes_by_month_for,
    net_minutes,
    session_minutes_for,
)
from cecto.ledger.services import (
    LedgerRefused,
    hours_entry_record,
    hours_entry_reverse,
    session_credit_set,
)
from cecto.people.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

C = HoursEntry.Category
SRC = HoursEntry.Source
KICK_OFF = dt.date(2026, 2, 10)


@pytest.fixture
def person():
    return PersonFactory(full_name="Nora Carolina")


@pytest.fixture
def clerk():
    return UserFactory(username="clerk")


@pytest.fixture
def ref():
    return uuid.uuid4()


def record(person, ref, minutes=360, **kwargs):
    values = {
        "person": person,
        "enrollment_ref": ref,
        "minutes": minutes,
        "occurred_on": KICK_OFF,
        "source_kind": SRC.ROLL_CALL,
        "by": None,
        **kwargs,
    }
    return hours_entry_record(**values)


def snapshot(entry):
    entry.refresh_from_db()
    return (entry.minutes, entry.source_kind, entry.reason, entry.reverses_id, entry.occurred_on)


# --- hours_entry_record --------------------------------------------------------------------------


def test_it_records_an_entry(person, ref, clerk):
    session_ref = uuid.uuid4()

    entry = record(person, ref, 300, session_ref=session_ref, source_id="roll-7", by=clerk)

    entry.refresh_from_db()
    assert entry.person == person
    assert (entry.enrollment_ref, entry.session_ref) == (ref, session_ref)
    assert (entry.minutes, entry.category, entry.source_kind) == (300, C.INSTRUCTION, SRC.ROLL_CALL)
    assert (entry.occurred_on, entry.source_id, entry.reverses) == (KICK_OFF, "roll-7", None)
    assert entry.recorded_by == clerk


def test_an_anonymous_recorder_is_not_kept(person, ref):
    entry = record(person, ref, by=AnonymousUser())

    assert entry.recorded_by is None


def test_it_accepts_zero_minutes(person, ref):
    assert record(person, ref, 0).minutes == 0


def test_it_refuses_negative_minutes(person, ref):
    with pytest.raises(LedgerRefused, match="cannot be negative"):
        record(person, ref, -30)

    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_refuses_a_manual_adjustment_without_a_reason(person, ref, reason):
    with pytest.raises(LedgerRefused, match="manual adjustment needs a reason"):
        record(person, ref, 600, source_kind=SRC.MANUAL, reason=reason)

    assert not HoursEntry.objects.exists()


def test_it_records_a_manual_adjustment_with_a_reason(person, ref):
    entry = record(person, ref, 600, source_kind=SRC.MANUAL, reason="CGCIO session credited")

    assert (entry.source_kind, entry.reason) == (SRC.MANUAL, "CGCIO session credited")


def test_it_refuses_to_record_a_reversal(person, ref):
    with pytest.raises(LedgerRefused, match="Use hours_entry_reverse"):
        record(person, ref, 60, source_kind=SRC.REVERSAL, reason="by hand")

    assert not HoursEntry.objects.exists()


def test_it_refuses_a_source_that_does_not_exist(person, ref):
    with pytest.raises(ValidationError) as caught:
        record(person, ref, 60, source_kind="telepathy")

    assert "source_kind" in caught.value.message_dict
    assert not HoursEntry.objects.exists()


# --- hours_entry_reverse -------------------------------------------------------------------------


def test_reversing_writes_the_negating_entry(person, ref, clerk):
    session_ref = uuid.uuid4()
    original = record(person, ref, 90, session_ref=session_ref, category=C.MENTORING)

    reversal = hours_entry_reverse(entry=original, reason="Wrong person", by=clerk)

    reversal.refresh_from_db()
    assert reversal.minutes == -90
    assert (reversal.source_kind, reversal.source_id) == (SRC.REVERSAL, str(original.uuid))
    assert reversal.reverses == original
    assert reversal.reason == "Wrong person"
    assert reversal.recorded_by == clerk
    assert (reversal.person_id, reversal.enrollment_ref, reversal.session_ref) == (
        person.pk,
        ref,
        session_ref,
    )
    assert (reversal.category, reversal.occurred_on) == (C.MENTORING, KICK_OFF)
    assert balance_for(ref).mentoring_minutes == 0


def test_reversing_leaves_the_original_untouched(person, ref):
    original = record(person, ref, 90, source_id="roll-1")
    before = snapshot(original)

    hours_entry_reverse(entry=original, reason="Wrong session", by=None)

    assert snapshot(original) == before
    assert HoursEntry.objects.count() == 2


def test_it_refuses_to_reverse_an_entry_twice(person, ref):
    original = record(person, ref, 90)
    hours_entry_reverse(entry=original, reason="Wrong session", by=None)

    with pytest.raises(LedgerRefused, match="already reversed"):
        hours_entry_reverse(entry=original, reason="Again", by=None)

    assert HoursEntry.objects.count() == 2
    assert balance_for(ref).instruction_minutes == 0


def test_it_refuses_to_reverse_a_reversal(person, ref):
    reversal = hours_entry_reverse(entry=record(person, ref, 90), reason="Wrong session", by=None)

    with pytest.raises(LedgerRefused, match="cannot itself be reversed"):
        hours_entry_reverse(entry=reversal, reason="Undo the undo", by=None)

    assert HoursEntry.objects.count() == 2


@pytest.mark.parametrize("reason", ["", "  "])
def test_reversing_needs_a_reason(person, ref, reason):
    original = record(person, ref, 90)

    with pytest.raises(LedgerRefused, match="Say why"):
        hours_entry_reverse(entry=original, reason=reason, by=None)

    assert HoursEntry.objects.count() == 1


# --- database constraints ------------------------------------------------------------------------


def raw_entry(person, **kwargs):
    values = {
        "person": person,
        "enrollment_ref": uuid.uuid4(),
        "minutes": 60,
        "occurred_on": KICK_OFF,
        "source_kind": SRC.ROLL_CALL,
        **kwargs,
    }
    return HoursEntry.objects.create(**values)


def test_the_database_accepts_a_plain_entry(person):
    assert raw_entry(person).pk is not None


@pytest.mark.parametrize(
    "values",
    [
        pytest.param({"minutes": -60}, id="negative-roll-call"),
        pytest.param({"minutes": -60, "source_kind": SRC.REVERSAL}, id="negative-reversal-of-nothing"),
    ],
)
def test_the_database_refuses_a_negative_entry_that_is_not_a_reversal(person, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_entry(person, **values)


def test_the_database_refuses_an_entry_that_reverses_without_being_a_reversal(person):
    original = raw_entry(person)

    with pytest.raises(IntegrityError), transaction.atomic():
        raw_entry(person, minutes=0, reverses=original)


def test_the_database_refuses_a_manual_entry_without_a_reason(person):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_entry(person, source_kind=SRC.MANUAL, reason="")


# --- session_credit_set --------------------------------------------------------------------------


@pytest.fixture
def session_ref():
    return uuid.uuid4()


def credit(person, ref, session_ref, minutes, **kwargs):
    values = {
        "person": person,
        "enrollment_ref": ref,
        "session_ref": session_ref,
        "minutes": minutes,
        "occurred_on": KICK_OFF,
        "source_kind": SRC.ROLL_CALL,
        "source_id": "record-1",
        "by": None,
        **kwargs,
    }
    return session_credit_set(**values)


def live_entries(ref, session_ref):
    return list(
        HoursEntry.objects.filter(
            enrollment_ref=ref, session_ref=session_ref, reverses__isnull=True, reversed_by__isnull=True
        ).exclude(source_kind=SRC.REVERSAL)
    )


def test_the_first_credit_posts_one_entry(person, ref, session_ref):
    entry = credit(person, ref, session_ref, 360)

    assert entry is not None
    assert (entry.minutes, entry.source_kind, entry.source_id) == (360, SRC.ROLL_CALL, "record-1")
    assert HoursEntry.objects.count() == 1
    assert net_minutes(enrollment_ref=ref, session_ref=session_ref) == 360


def test_setting_the_same_figure_again_writes_nothing(person, ref, session_ref):
    credit(person, ref, session_ref, 360)

    assert credit(person, ref, session_ref, 360, source_kind=SRC.CSV_IMPORT) is None
    assert HoursEntry.objects.count() == 1


def test_a_new_figure_reverses_the_old_entry_and_posts_one_new(person, ref, session_ref):
    old = credit(person, ref, session_ref, 360)

    new = credit(person, ref, session_ref, 180, source_kind=SRC.MEETING_REPORT)

    assert new is not None
    assert new.minutes == 180
    reversal = HoursEntry.objects.get(reverses=old)
    assert reversal.minutes == -360
    assert reversal.reason == "Replaced by a new meeting report import figure."
    assert HoursEntry.objects.count() == 3
    assert live_entries(ref, session_ref) == [new]
    assert net_minutes(enrollment_ref=ref, session_ref=session_ref) == 180


def test_a_new_figure_keeps_the_reason_given(person, ref, session_ref):
    old = credit(person, ref, session_ref, 360)

    credit(person, ref, session_ref, 60, reason="Left after the first hour")

    assert HoursEntry.objects.get(reverses=old).reason == "Left after the first hour"


def test_setting_zero_leaves_nothing_credited(person, ref, session_ref):
    credit(person, ref, session_ref, 360)

    assert credit(person, ref, session_ref, 0) is None
    assert net_minutes(enrollment_ref=ref, session_ref=session_ref) == 0
    assert HoursEntry.objects.count() == 2  # the entry and its reversal, no zero entry
    assert live_entries(ref, session_ref) == []

    assert credit(person, ref, session_ref, 0) is None  # and again: nothing to do
    assert HoursEntry.objects.count() == 2


def test_setting_zero_on_an_empty_session_writes_nothing(person, ref, session_ref):
    assert credit(person, ref, session_ref, 0) is None
    assert not HoursEntry.objects.exists()


def test_credit_after_zero_posts_a_new_entry(person, ref, session_ref):
    credit(person, ref, session_ref, 360)
    credit(person, ref, session_ref, 0)

    credit(person, ref, session_ref, 120)

    assert net_minutes(enrollment_ref=ref, session_ref=session_ref) == 120
    assert HoursEntry.objects.count() == 3


@pytest.mark.parametrize("figure", [360, 200])
def test_two_live_entries_from_bad_data_are_both_reversed(person, ref, session_ref, figure):
    # Two sources each credited the session before the ledger kept one figure per session.
    first = record(person, ref, 200, session_ref=session_ref)
    second = record(person, ref, 160, session_ref=session_ref, source_kind=SRC.QR_CHECK_IN)

    new = credit(person, ref, session_ref, figure)  # even 360, the sum they already have

    assert new is not None
    assert HoursEntry.objects.filter(reverses=first).exists()
    assert HoursEntry.objects.filter(reverses=second).exists()
    assert live_entries(ref, session_ref) == [new]
    assert net_minutes(enrollment_ref=ref, session_ref=session_ref) == figure


def test_it_leaves_other_categories_sessions_and_enrollments_alone(person, ref, session_ref):
    mentoring = record(person, ref, 90, session_ref=session_ref, category=C.MENTORING)
    other_session = record(person, ref, 300, session_ref=uuid.uuid4())
    other_enrollment = record(person, uuid.uuid4(), 300, session_ref=session_ref)
    credit(person, ref, session_ref, 360)

    credit(person, ref, session_ref, 60)

    reversed_ids = set(HoursEntry.objects.filter(reverses__isnull=False).values_list("reverses", flat=True))
    assert reversed_ids.isdisjoint({mentoring.pk, other_session.pk, other_enrollment.pk})
    assert len(reversed_ids) == 1


# --- balances_for and friends --------------------------------------------------------------------


def test_balances_for_many_enrollments_take_one_query(person, django_assert_num_queries):
    refs = [uuid.uuid4() for _ in range(5)]
    for ref in refs[:4]:
        record(person, ref, 300)
        record(person, ref, 60, category=C.MENTORING)
    hours_entry_reverse(entry=record(person, refs[0], 120), reason="Duplicate", by=None)

    with django_assert_num_queries(1):
        balances = balances_for(refs)

    assert list(balances) == refs
    assert [b.instruction_minutes for b in balances.values()] == [300, 300, 300, 300, 0]


def test_an_enrollment_without_entries_gets_zeros(person):
    ref = uuid.uuid4()
    record(person, uuid.uuid4(), 300)  # somebody else's

    assert balances_for([ref]) == {
        ref: HoursBalance(
            enrollment_ref=ref,
            instruction_minutes=0,
            mentoring_minutes=0,
            other_minutes=0,
            ceus=Decimal("0.0"),
        )
    }


def test_no_enrollments_no_balances():
    assert balances_for([]) == {}


def test_categories_are_kept_apart_and_ceus_come_from_instruction_only(person, ref):
    record(person, ref, 600)
    record(person, ref, 6000, category=C.MENTORING)
    record(person, ref, 45, category=C.OTHER)

    balance = balance_for(ref)

    assert (balance.instruction_minutes, balance.mentoring_minutes, balance.other_minutes) == (600, 6000, 45)
    assert balance.ceus == Decimal("1.0")
    assert balance.instruction_hours == Decimal("10.00")


def test_session_minutes_are_net_instruction_per_enrollment_and_session(person, ref, session_ref):
    other_ref = uuid.uuid4()
    credit(person, ref, session_ref, 360)
    credit(person, ref, session_ref, 240)
    credit(person, other_ref, session_ref, 120)
    record(person, ref, 90, session_ref=session_ref, category=C.MENTORING)
    record(person, ref, 600, source_kind=SRC.MANUAL, reason="Prior learning")  # no session

    assert session_minutes_for([ref, other_ref]) == {(ref, session_ref): 240, (other_ref, session_ref): 120}


def test_minutes_by_month_group_instruction_by_the_month_it_happened(person, ref):
    record(person, ref, 360, occurred_on=dt.date(2026, 2, 10))
    record(person, ref, 300, occurred_on=dt.date(2026, 2, 24))
    march = record(person, ref, 360, occurred_on=dt.date(2026, 3, 10))
    record(person, ref, 120, occurred_on=dt.date(2026, 3, 31))
    record(person, ref, 600, occurred_on=dt.date(2026, 2, 11), category=C.MENTORING)
    record(person, uuid.uuid4(), 600, occurred_on=dt.date(2026, 2, 11))
    hours_entry_reverse(entry=march, reason="Wrong session", by=None)
    record(person, ref, 45, occurred_on=dt.date(2026, 5, 1))

    assert minutes_by_month_for(ref) == [
        MonthMinutes(month=dt.date(2026, 2, 1), minutes=660),
        MonthMinutes(month=dt.date(2026, 3, 1), minutes=120),
        MonthMinutes(month=dt.date(2026, 5, 1), minutes=45),
    ]


def test_entries_for_list_the_transcript_by_the_day_it_happened_reversals_included(person, ref):
    march = record(person, ref, 360, occurred_on=dt.date(2026, 3, 10))
    february = record(person, ref, 300, occurred_on=dt.date(2026, 2, 10))
    reversal = hours_entry_reverse(entry=march, reason="Wrong session", by=None)
    march_again = record(person, ref, 240, occurred_on=dt.date(2026, 3, 10))
    record(person, uuid.uuid4(), 600, occurred_on=dt.date(2026, 1, 5))  # somebody else's

    assert entries_for(ref) == [february, march, reversal, march_again]
