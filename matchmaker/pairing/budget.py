"""The time budget of one pairing run and the progress it prints while the answers around the
optimum (alternatives, what-ifs, causes) are computed.

The optimum itself is always found; the answers around it stop when the budget is spent, and the
ones not computed by then are recorded as such (never guessed).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Seconds a pairing run may take by default before the answers not yet computed are left out.
DEFAULT_BUDGET = 300.0
# Progress is shown only for work that has taken this long, and at most this often.
QUIET_FOR = 1.0
EVERY = 0.5


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@dataclass
class Budget:
    """The run's deadline (None: no budget) and where progress lines go (None: nowhere).

    `missed` collects, per kind of answer ("whatif", "province_cap", "dropped", "alternatives"),
    what was not computed because the budget ran out.
    """

    seconds: float | None = DEFAULT_BUDGET
    progress: Callable[[str], None] | None = None
    start: float = field(default_factory=time.monotonic)
    missed: dict[str, set[int]] = field(default_factory=dict)
    _shown: float = 0.0

    @classmethod
    def printing(cls, seconds: float | None = DEFAULT_BUDGET) -> Budget:
        """A budget whose progress lines go to stderr."""
        return cls(seconds, _stderr)

    def left(self) -> float | None:
        """Seconds left (None: no budget)."""
        if self.seconds is None:
            return None
        return self.seconds - (time.monotonic() - self.start)

    @property
    def spent(self) -> bool:
        left = self.left()
        return left is not None and left <= 0

    def limit(self, time_limit: float | None) -> float | None:
        """The time limit of one solver call: the per-call limit, within what the budget has left."""
        left = self.left()
        if left is None:
            return time_limit
        left = max(left, 0.01)
        return left if time_limit is None else min(time_limit, left)

    def miss(self, kind: str, items: set[int] | list[int]) -> None:
        self.missed.setdefault(kind, set()).update(items)

    def tick(self, what: str, done: int, total: int, *, last: bool = False) -> None:
        """One progress line ("what-ifs 40/141, 3 s"), when the run has taken more than QUIET_FOR
        seconds and the last line is EVERY seconds old. The `last` line of a piece of work shows
        once any line was shown, and says when the budget stopped it short."""
        if self.progress is None:
            return
        now = time.monotonic()
        elapsed = now - self.start
        if elapsed < QUIET_FOR or (not last and now - self._shown < EVERY):
            return
        if last and not self._shown and done == total:
            return  # finished before anything was shown: nothing to report
        self._shown = now
        stopped = ", the time budget is spent" if last and done < total and self.spent else ""
        self.progress(f"{what} {done}/{total}, {elapsed:.0f} s{stopped}")
