"""One line of progress per table on stderr: a bar redrawn in place on a terminal, and just the
finished line (rows, seconds, rows/s) when stderr is a file or a pipe, so logs stay short."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Protocol

WIDTH = 28
REDRAW_EVERY = 0.2  # seconds


class Stream(Protocol):
    def write(self, text: str, /) -> object: ...
    def flush(self) -> None: ...
    def isatty(self) -> bool: ...


class Progress:
    def __init__(self, stream: Stream, *, live: bool | None = None) -> None:
        self.stream = stream
        self.live = stream.isatty() if live is None else live

    def table(self, name: str, total: int) -> TableProgress:
        return TableProgress(self, name, total)


class TableProgress:
    def __init__(self, progress: Progress, name: str, total: int) -> None:
        self.progress = progress
        self.name = name
        self.total = total
        self.done = 0
        self.started = time.perf_counter()
        self.drawn = 0.0
        self.elapsed = 0.0

    def __enter__(self) -> TableProgress:
        self.started = time.perf_counter()
        self._draw(force=True)
        return self

    def advance(self, rows: int) -> None:
        self.done += rows
        self._draw()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.elapsed = time.perf_counter() - self.started
        stream = self.progress.stream
        if kind is not None:
            if self.progress.live:
                stream.write("\n")
            return
        end = "\r\x1b[2K" if self.progress.live else ""
        stream.write(
            f"{end}  {self.name:<34} {self.done:>11,} rows {self.elapsed:>8.1f} s {self.rate:>11,} rows/s\n"
        )
        stream.flush()

    @property
    def rate(self) -> int:
        elapsed = max(time.perf_counter() - self.started if not self.elapsed else self.elapsed, 1e-9)
        return int(self.done / elapsed)

    def _draw(self, *, force: bool = False) -> None:
        if not self.progress.live:
            return
        now = time.perf_counter()
        if not force and now - self.drawn < REDRAW_EVERY:
            return
        self.drawn = now
        share = self.done / self.total if self.total else 1.0
        filled = int(WIDTH * min(1.0, share))
        bar = "█" * filled + "░" * (WIDTH - filled)
        self.progress.stream.write(
            f"\r\x1b[2K  {self.name:<34} {bar} {self.done:>11,}/{self.total:,} {self.rate:>9,} rows/s"
        )
        self.progress.stream.flush()
