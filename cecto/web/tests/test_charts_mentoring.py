"""The mentoring health chart's geometry (pure)."""

from __future__ import annotations

import datetime as dt

from cecto.mentoring.health import MonthMeetings
from cecto.web.charts import LEFT, PLOT_HEIGHT, SLOT
from cecto.web.charts_mentoring import meetings_per_match_chart


def test_the_chart_scales_to_a_nice_step_and_describes_every_bar():
    months = [
        MonthMeetings(dt.date(2025, 12, 1), 3, 4),
        MonthMeetings(dt.date(2026, 1, 1), 7, 4),
        MonthMeetings(dt.date(2026, 2, 1), 0, 0),
    ]
    chart = meetings_per_match_chart(months)
    assert [t.label for t in chart.ticks] == ["0", "0.5", "1", "1.5", "2"]
    tallest = chart.bars[1]
    assert tallest.height == round(1.75 / 2 * PLOT_HEIGHT)
    assert [b.year_label for b in chart.bars] == ["2025", "2026", ""]
    assert chart.bars[2].height == 0
    assert chart.description == (
        "Dec 2025: 0.75 meetings per match (3 meetings, 4 matches); "
        "Jan 2026: 1.75 meetings per match (7 meetings, 4 matches); "
        "Feb 2026: 0 meetings per match (0 meetings, 0 matches)."
    )
    assert chart.width == LEFT + SLOT * 3 + 8  # the same geometry as every monthly chart
    assert meetings_per_match_chart([]).description == "No month to show."
    big = meetings_per_match_chart([MonthMeetings(dt.date(2026, 1, 1), 90, 2)])
    assert big.ticks[-1].label == "50"
