"""The hours-by-month bar chart's geometry (pure: no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cecto.ledger.api import MonthMinutes
from cecto.web.charts import BOTTOM, LEFT, PLOT_HEIGHT, SLOT, TOP, hours_by_month_chart


def months(*minutes: int, start: dt.date = dt.date(2025, 11, 1)) -> list[MonthMinutes]:
    result = []
    year, month = start.year, start.month
    for value in minutes:
        result.append(MonthMinutes(dt.date(year, month, 1), value))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def test_it_scales_the_bars_to_a_nice_axis():
    chart = hours_by_month_chart(months(60, 0, 1230))  # 1 h, nothing, 20.5 h

    assert [tick.label for tick in chart.ticks] == ["0 h", "10 h", "20 h", "30 h"]
    baseline = TOP + PLOT_HEIGHT
    assert [tick.y for tick in chart.ticks] == [baseline, baseline - 53, baseline - 107, TOP]
    assert [bar.height for bar in chart.bars] == [5, 0, 109]
    assert [bar.y + bar.height for bar in chart.bars] == [baseline] * 3
    assert [bar.value for bar in chart.bars] == [Decimal("1.00"), Decimal("0.00"), Decimal("20.50")]
    assert chart.baseline == baseline
    assert chart.height == baseline + BOTTOM
    assert chart.width == LEFT + 3 * SLOT + 8


def test_it_labels_every_month_and_the_year_where_it_starts_or_changes():
    chart = hours_by_month_chart(months(60, 60, 60))  # Nov 2025, Dec 2025, Jan 2026

    assert [bar.month_label for bar in chart.bars] == ["Nov", "Dec", "Jan"]
    assert [bar.year_label for bar in chart.bars] == ["2025", "", "2026"]
    assert chart.description == "Nov 2025: 1 hour; Dec 2025: 1 hour; Jan 2026: 1 hour."
    assert chart.month_label_y < chart.year_label_y < chart.height


def test_months_without_hours_still_get_an_axis():
    chart = hours_by_month_chart(months(0, 0))

    assert [tick.label for tick in chart.ticks] == ["0 h", "1 h"]
    assert {bar.height for bar in chart.bars} == {0}


def test_a_negative_month_draws_no_bar_but_says_its_number():
    chart = hours_by_month_chart(months(-90, 120))

    assert chart.bars[0].height == 0
    assert chart.bars[0].description == "Nov 2025: -1.5 hours"


def test_a_very_busy_month_uses_the_largest_step():
    chart = hours_by_month_chart(months(60 * 5000))

    assert chart.ticks[1].label == "1000 h"
    assert chart.bars[0].height == PLOT_HEIGHT


def test_no_month_at_all_is_an_empty_chart():
    chart = hours_by_month_chart([])

    assert chart.bars == ()
    assert chart.description == "No month to show."
