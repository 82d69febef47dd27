"""Server-side SVG charts: geometry computed here (pure), drawn by a template, no JavaScript."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from cecto.ledger.api import MonthMinutes, hours_for_minutes

PLOT_HEIGHT = 160
SLOT = 48
BAR = 30
LEFT = 44  # room for the axis labels
TOP = 12
BOTTOM = 40  # room for the month and year labels
NICE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000)


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    label_x: int
    month_label: str  # "Feb"
    year_label: str  # "2026" under the first bar and every January, else ""
    hours: Decimal
    description: str  # "Feb 2026: 20.5 hours"


@dataclass(frozen=True)
class Tick:
    y: int
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    right: int
    baseline: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]

    @property
    def description(self) -> str:
        if not self.bars:
            return "No month to show."
        return "; ".join(bar.description for bar in self.bars) + "."

    @property
    def month_label_y(self) -> int:
        return self.baseline + 16

    @property
    def year_label_y(self) -> int:
        return self.baseline + 32


def _step(top_hours: float) -> int:
    wanted = top_hours / 4
    return next((step for step in NICE_STEPS if step >= wanted), NICE_STEPS[-1])


def _format(hours: Decimal) -> str:
    return f"{hours.normalize():f}"


def hours_by_month_chart(months: Sequence[MonthMinutes]) -> BarChart:
    """A bar per month, the axis in whole hours at a 'nice' step (1, 2, 5, 10, 20, 25, 50 …)."""
    top_minutes = max((m.minutes for m in months), default=0)
    step = _step(top_minutes / 60)
    top = max(step, step * math.ceil(top_minutes / 60 / step))
    baseline = TOP + PLOT_HEIGHT
    bars = []
    for index, month in enumerate(months):
        minutes = max(0, month.minutes)
        height = round(minutes / 60 / top * PLOT_HEIGHT)
        x = LEFT + index * SLOT + (SLOT - BAR) // 2
        hours = hours_for_minutes(month.minutes)
        bars.append(
            Bar(
                x=x,
                y=baseline - height,
                width=BAR,
                height=height,
                label_x=x + BAR // 2,
                month_label=f"{month.month:%b}",
                year_label=f"{month.month:%Y}" if index == 0 or month.month.month == 1 else "",
                hours=hours,
                description=f"{month.month:%b %Y}: {_format(hours)} hour{'' if hours == 1 else 's'}",
            )
        )
    ticks = tuple(
        Tick(y=baseline - round(value / top * PLOT_HEIGHT), label=f"{value} h")
        for value in range(0, top + 1, step)
    )
    width = LEFT + SLOT * max(1, len(months)) + 8
    return BarChart(
        width=width,
        height=baseline + BOTTOM,
        left=LEFT,
        right=width - 4,
        baseline=baseline,
        bars=tuple(bars),
        ticks=ticks,
    )
