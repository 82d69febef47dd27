"""What other apps may use from the ledger."""

from cecto.ledger.ceu import ceus_for_minutes, hours_for_minutes
from cecto.ledger.data import HoursBalance, MonthMinutes
from cecto.ledger.models import HoursEntry
from cecto.ledger.requirements import (
    Progress,
    ProgressFacts,
    RequirementResult,
    SessionFact,
    TrackPolicy,
    credit_for,
    evaluate_progress,
    session_counts_as_attended,
)
from cecto.ledger.selectors import (
    all_balances,
    balance_for,
    balances_for,
    entries_for,
    minutes_by_month_for,
    net_minutes,
    session_minutes_for,
)
from cecto.ledger.services import (
    LedgerRefused,
    SessionCredit,
    hours_entry_record,
    hours_entry_reverse,
    session_credit_set,
    session_credits_set_many,
)

__all__ = [
    "HoursBalance",
    "HoursEntry",
    "LedgerRefused",
    "MonthMinutes",
    "Progress",
    "ProgressFacts",
    "RequirementResult",
    "SessionCredit",
    "SessionFact",
    "TrackPolicy",
    "all_balances",
    "balance_for",
    "balances_for",
    "ceus_for_minutes",
    "credit_for",
    "entries_for",
    "evaluate_progress",
    "hours_entry_record",
    "hours_entry_reverse",
    "hours_for_minutes",
    "minutes_by_month_for",
    "net_minutes",
    "session_counts_as_attended",
    "session_credit_set",
    "session_credits_set_many",
    "session_minutes_for",
]
