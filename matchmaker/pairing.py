"""The pairing model: an exact PuLP integer program that pairs candidates with partners.

Build, solve, explain (reserve list, alternatives, the score each unselected candidate needs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .schema import RESULT_SCHEMA


@dataclass(frozen=True)
class PairingResult:
    """What one pairing run decided; `to_json()` is the `matchmaker.result/1` document.

    Every list holds JSON-ready dicts with the keys named in the result schema.
    """

    status: str  # "optimal" | "feasible"
    objective: float
    filled: dict[str, int]
    unfilled: list[dict[str, Any]]
    constraints: dict[str, Any]
    candidates: list[dict[str, Any]]
    partners: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
    reserves: list[dict[str, Any]] = field(default_factory=list)
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    explanations: list[dict[str, Any]] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    issues: list[dict[str, Any]] = field(default_factory=list)  # intake issues, carried along
    changes: list[dict[str, Any]] = field(default_factory=list)  # vs. the previous shortlist, if any

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": RESULT_SCHEMA,
            "status": self.status,
            "objective": self.objective,
            "filled": self.filled,
            "unfilled": self.unfilled,
            "constraints": self.constraints,
            "candidates": self.candidates,
            "partners": self.partners,
            "edges": self.edges,
            "pairs": self.pairs,
            "reserves": self.reserves,
            "alternatives": self.alternatives,
            "explanations": self.explanations,
            "manifest": self.manifest,
            "issues": self.issues,
            "changes": self.changes,
        }
