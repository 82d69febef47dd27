"""The mentoring health chart: meetings per match, month by month (pure geometry, see charts.py)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from cecto.mentoring.health import MonthMeetings
from cecto.web.charts import BarChart, MonthValue, format_number, monthly_bar_chart

STEPS = (Decimal("0.25"), Decimal("0.5"), Decimal("1"), Decimal("2"), Decimal("5"), Decimal("10"))


def meetings_per_match_chart(months: Sequence[MonthMeetings]) -> BarChart:
    """A bar per month; the axis at a 'nice' step (0.25, 0.5, 1, 2 …) with four or so ticks."""
    values = [
        MonthValue(
            month.month,
            month.per_match,
            f"{month.month:%b %Y}: {format_number(month.per_match)} meetings per match "
            f"({month.meetings} meeting{'s' if month.meetings != 1 else ''}, "
            f"{month.active_matches} match{'es' if month.active_matches != 1 else ''})",
        )
        for month in months
    ]
    return monthly_bar_chart(values, steps=STEPS, tick_label=format_number)
