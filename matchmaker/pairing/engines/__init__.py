"""The engines that solve the pairing model: PuLP on CBC or HiGHS (`mip`) and in-process HiGHS
(`incremental`), both behind the `Engine` protocol, by name in `ENGINES`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Model
from .base import Engine, quiet_stdout
from .incremental import IncrementalEngine
from .mip import MipEngine

ENGINES: dict[str, Callable[[Model], Engine]] = {
    "cbc": lambda model: MipEngine(model, "cbc"),
    "highs": lambda model: MipEngine(model, "highs"),
    "incremental": IncrementalEngine,
}

__all__ = ["ENGINES", "Engine", "IncrementalEngine", "MipEngine", "quiet_stdout"]
