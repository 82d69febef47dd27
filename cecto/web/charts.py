"""Server-side SVG charts: geometry computed here (pure), drawn by a template, no JavaScript."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cecto.ledger.api import MonthMinutes, hours_for_minutes

PLOT_HEIGHT = 160
SLOT = 48
BAR = 30
LEFT = 44  # room for the axis labels
TOP = 12
BOTTOM = 40  # room for the month and year labels


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    label_x: int
    month_label: str  # "Feb"
    year_label: str  # "2026" under the first bar and every January, else ""
    value: Decimal  # in the axis's unit
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


@dataclass(frozen=True)
class MonthValue:
    """One bar: its month, its height in the axis's unit, and what a screen reader says of it."""

    month: date
    value: Decimal
    description: str


def monthly_bar_chart(
    values: Sequence[MonthValue], *, steps: Sequence[Decimal], tick_label: Callable[[Decimal], str]
) -> BarChart:
    """A bar per month, the axis at the first 'nice' step that needs at most four ticks."""
    top_value = max((max(Decimal(0), v.value) for v in values), default=Decimal(0))
    step = next((s for s in steps if s * 4 >= top_value), steps[-1])
    top = max(step, step * math.ceil(top_value / step))
    baseline = TOP + PLOT_HEIGHT
    bars = []
    for index, item in enumerate(values):
        height = round(float(max(Decimal(0), item.value) / top) * PLOT_HEIGHT)
        x = LEFT + index * SLOT + (SLOT - BAR) // 2
        bars.append(
            Bar(
                x=x,
                y=baseline - height,
                width=BAR,
                height=height,
                label_x=x + BAR // 2,
                month_label=f"{item.month:%b}",
                year_label=f"{item.month:%Y}" if index == 0 or item.month.month == 1 else "",
                value=item.value,
                description=item.description,
            )
        )
    count = int(top / step)
    ticks = tuple(
        Tick(y=baseline - round(n / count * PLOT_HEIGHT), label=tick_label(step * n))
        for n in range(count + 1)
    )
    width = LEFT + SLOT * max(1, len(values)) + 8
    return BarChart(
        width=width,
        height=baseline + BOTTOM,
        left=LEFT,
        right=width - 4,
        baseline=baseline,
        bars=tuple(bars),
        ticks=ticks,
    )


def format_number(value: Decimal) -> str:
    return f"{value.normalize():f}"


HOUR_STEPS = tuple(Decimal(step) for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000))


def hours_by_month_chart(months: Sequence[MonthMinutes]) -> BarChart:
    """Contact hours per month, the axis in whole hours (1, 2, 5, 10, 20, 25, 50 …)."""
    values = []
    for month in months:
        hours = hours_for_minutes(month.minutes)
        plural = "" if hours == 1 else "s"
        values.append(
            MonthValue(month.month, hours, f"{month.month:%b %Y}: {format_number(hours)} hour{plural}")
        )
    return monthly_bar_chart(values, steps=HOUR_STEPS, tick_label=lambda value: f"{format_number(value)} h")
