"""session_minutes_for: net instruction minutes per (enrollment, session), read raw for speed."""

from __future__ import annotations

import datetime as dt
import uuid

from cecto.ledger.api import HoursEntry, hours_entry_record, hours_entry_reverse, session_minutes_for
from cecto.people.tests.factories import PersonFactory


def test_no_enrollment_costs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert session_minutes_for([]) == {}


def test_it_nets_reversals_and_leaves_out_other_categories_and_sessionless_entries(db):
    person = PersonFactory()
    enrollment, other, session, second = (uuid.uuid4() for _ in range(4))

    def record(ref, minutes, session_ref=None, category=HoursEntry.Category.INSTRUCTION):
        return hours_entry_record(
            person=person, enrollment_ref=ref, session_ref=session_ref, minutes=minutes, category=category,
            occurred_on=dt.date(2026, 3, 1), source_kind=HoursEntry.Source.MANUAL, reason="Test", by=None,
        )  # fmt: skip

    record(enrollment, 300, session)
    hours_entry_reverse(entry=record(enrollment, 60, session), reason="Twice", by=None)
    record(enrollment, 120, second)
    record(enrollment, 45, second, HoursEntry.Category.MENTORING)
    record(enrollment, 600)
    record(other, 90, session)

    minutes = session_minutes_for([enrollment, other])

    assert minutes == {(enrollment, session): 300, (enrollment, second): 120, (other, session): 90}
    assert all(isinstance(key, uuid.UUID) for pair in minutes for key in pair)
