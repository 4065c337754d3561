"""The pairing: an exact integer program that pairs candidates with partners, and its explanation.

Build (`instance`, `model`), solve (`engines`, `lexicographic`), explain (`counterfactual`, `explain`).
"""

from __future__ import annotations

from .counterfactual import Forced, forced_solutions
from .engines import ENGINES, IncrementalEngine, MipEngine
from .instance import (
    DISTINCT,
    EDGE_TERMS,
    SOLVERS,
    UNIT,
    VALUE_DECIMALS,
    Instance,
    LockConflict,
    Solution,
    check_locks,
    encode,
    lock_conflicts,
)
from .lexicographic import PairingModel, lexsolve, no_good, sum_expr
from .model import Lin, Model, Row
from .result import PairingResult
from .solve import solve_pairing

__all__ = [
    "DISTINCT",
    "EDGE_TERMS",
    "ENGINES",
    "SOLVERS",
    "UNIT",
    "VALUE_DECIMALS",
    "Forced",
    "IncrementalEngine",
    "Instance",
    "Lin",
    "LockConflict",
    "MipEngine",
    "Model",
    "PairingModel",
    "PairingResult",
    "Row",
    "Solution",
    "check_locks",
    "encode",
    "forced_solutions",
    "lexsolve",
    "lock_conflicts",
    "no_good",
    "solve_pairing",
    "sum_expr",
]
