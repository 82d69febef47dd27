"""What every planning step shares: the scale, the seed's one generator, the as-of day."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from cecto.demo.generator.attendance import new_uuid
from cecto.demo.generator.places import STATE_BY_CODE, STATES, State
from cecto.demo.generator.scales import Scale


@dataclass
class Frame:
    scale: Scale
    seed: int
    as_of: date
    rng: random.Random = field(init=False)
    states: list[State] = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.states = (
            [STATE_BY_CODE[code] for code in self.scale.states] if self.scale.states else list(STATES)
        )

    @property
    def as_of_end(self) -> datetime:
        """Attendance is recorded for what ended before this moment."""
        return datetime.combine(self.as_of + timedelta(days=1), time(0), tzinfo=UTC)

    def uuid(self) -> uuid.UUID:
        return new_uuid(self.rng)


def apportion(total: int, weights: Sequence[float], *, minimum: int = 0) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders), giving each at least
    `minimum` when the total allows it."""
    if not weights:
        return []
    floor = minimum if total >= minimum * len(weights) else 0
    rest = total - floor * len(weights)
    scale = sum(weights) or 1.0
    shares = [rest * weight / scale for weight in weights]
    counts = [int(share) for share in shares]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[: rest - sum(counts)]:
        counts[i] += 1
    return [floor + count for count in counts]


def spread(count: int, slots: int) -> list[int]:
    """`count` indexes over `slots` (slots - 1 is the latest), evenly, the latest always included."""
    return [slots - 1 - (i * slots) // count for i in range(count)]
