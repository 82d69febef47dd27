"""The mentoring health chart: meetings per match, month by month, as SVG geometry (pure)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from cecto.mentoring.health import MonthMeetings

PLOT_HEIGHT = 160
SLOT = 44
BAR = 28
LEFT = 40  # room for the axis labels
TOP = 12
BOTTOM = 40  # room for the month and year labels
NICE_STEPS = (Decimal("0.25"), Decimal("0.5"), Decimal("1"), Decimal("2"), Decimal("5"), Decimal("10"))


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    label_x: int
    month_label: str  # "Feb"
    year_label: str  # "2026" under the first bar and every January, else ""
    value: Decimal
    description: str  # "Feb 2026: 1.25 meetings per match (15 meetings, 12 matches)"


@dataclass(frozen=True)
class Tick:
    y: int
    label: str


@dataclass(frozen=True)
class MeetingsChart:
    width: int
    height: int
    left: int
    right: int
    baseline: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]

    @property
    def description(self) -> str:
        return "; ".join(bar.description for bar in self.bars) + "." if self.bars else "No month yet."

    @property
    def month_label_y(self) -> int:
        return self.baseline + 16

    @property
    def year_label_y(self) -> int:
        return self.baseline + 32


def _format(value: Decimal) -> str:
    return f"{value.normalize():f}"


def meetings_per_match_chart(months: Sequence[MonthMeetings]) -> MeetingsChart:
    """A bar per month; the axis at a 'nice' step (0.25, 0.5, 1, 2 …) with four or so ticks."""
    top_value = max((m.per_match for m in months), default=Decimal(0))
    step = next((s for s in NICE_STEPS if s * 4 >= top_value), NICE_STEPS[-1])
    top = max(step, step * math.ceil(top_value / step))
    baseline = TOP + PLOT_HEIGHT
    bars = []
    for index, month in enumerate(months):
        height = round(float(month.per_match / top) * PLOT_HEIGHT)
        x = LEFT + index * SLOT + (SLOT - BAR) // 2
        bars.append(
            Bar(
                x=x,
                y=baseline - height,
                width=BAR,
                height=height,
                label_x=x + BAR // 2,
                month_label=f"{month.month:%b}",
                year_label=f"{month.month:%Y}" if index == 0 or month.month.month == 1 else "",
                value=month.per_match,
                description=(
                    f"{month.month:%b %Y}: {_format(month.per_match)} meetings per match "
                    f"({month.meetings} meeting{'s' if month.meetings != 1 else ''}, "
                    f"{month.active_matches} match{'es' if month.active_matches != 1 else ''})"
                ),
            )
        )
    count = int(top / step)
    ticks = tuple(
        Tick(y=baseline - round(n / count * PLOT_HEIGHT), label=_format(step * n)) for n in range(count + 1)
    )
    width = LEFT + SLOT * max(1, len(months)) + 8
    return MeetingsChart(
        width=width,
        height=baseline + BOTTOM,
        left=LEFT,
        right=width - 4,
        baseline=baseline,
        bars=tuple(bars),
        ticks=ticks,
    )
