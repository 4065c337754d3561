"""What every engine offers (the `Engine` protocol) and the helpers they share.

An engine holds one model's rows and maximises an objective under them plus extra rows.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

from ..model import Lin, Ran, Row


class Engine(Protocol):
    """Maximise `objective` under the model's rows plus `extra`; None when infeasible.

    With `relax` (only for a network model without other rows) the LP relaxation is solved first,
    and its optimum taken when integral; otherwise, or when it is not, the integer program.
    """

    def solve(
        self, objective: Lin, extra: Sequence[Row], time_limit: float | None, relax: bool = False
    ) -> Ran | None: ...


@contextmanager
def quiet_stdout() -> Iterator[None]:
    """Silence fd 1 around a solve: highspy prints a banner from C, past sys.stdout."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        try:
            import ctypes

            ctypes.CDLL(None).fflush(None)  # C stdio buffers would otherwise leak out after the restore
        except (OSError, AttributeError):
            pass
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
