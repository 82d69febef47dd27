"""What other apps may use from the ledger."""

from cecto.ledger.ceu import ceus_for_minutes, hours_for_minutes
from cecto.ledger.data import HoursBalance, MonthMinutes
from cecto.ledger.models import HoursEntry
from cecto.ledger.requirements import (
    ProgressFacts,
    RequirementResult,
    SessionFact,
    TrackPolicy,
    evaluate_progress,
)
from cecto.ledger.selectors import (
    balance_for,
    balances_for,
    entries_for,
    minutes_by_month_for,
    session_minutes_for,
)
from cecto.ledger.services import (
    LedgerRefused,
    hours_entry_record,
    hours_entry_reverse,
    net_minutes,
    session_credit_set,
)

__all__ = [
    "HoursBalance",
    "HoursEntry",
    "LedgerRefused",
    "MonthMinutes",
    "ProgressFacts",
    "RequirementResult",
    "SessionFact",
    "TrackPolicy",
    "balance_for",
    "balances_for",
    "ceus_for_minutes",
    "entries_for",
    "evaluate_progress",
    "hours_entry_record",
    "hours_entry_reverse",
    "hours_for_minutes",
    "minutes_by_month_for",
    "net_minutes",
    "session_credit_set",
    "session_minutes_for",
]
