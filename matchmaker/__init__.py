"""matchmaker: candidacy selection and matchmaking for VVSG's SDG partnerships.

The pipeline reads top to bottom: intake -> scoring -> pairing -> export. The names below are the
library API; they are imported on first use, so `matchmaker --help` stays quick.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_API = {
    "read_form": "intake",
    "IntakeResult": "intake",
    "resolve": "reference",
    "load_criteria": "criteria",
    "Criteria": "criteria",
    "score": "scoring",
    "with_scores": "scoring",
    "Scores": "scoring",
    "read_reviews": "reviews",
    "write_review_sheet": "reviews",
    "Reviews": "reviews",
    "read_partners": "partners",
    "solve_pairing": "pairing",
    "PairingResult": "pairing",
    "run": "pipeline",
    "write_shortlist": "export",
    "write_json": "files",
    "verify": "audit",
    "robustness": "pipeline",
    "Robustness": "robustness",
    "MatchmakerError": "errors",
    "IntakeError": "errors",
    "CriteriaError": "errors",
    "ReviewError": "errors",
    "DecisionError": "errors",
    "InfeasibleError": "errors",
    "OutputError": "errors",
    "VerifyError": "errors",
}

__all__ = [
    "Criteria",
    "CriteriaError",
    "DecisionError",
    "InfeasibleError",
    "IntakeError",
    "IntakeResult",
    "MatchmakerError",
    "OutputError",
    "PairingResult",
    "ReviewError",
    "Reviews",
    "Robustness",
    "Scores",
    "VerifyError",
    "__version__",
    "load_criteria",
    "read_form",
    "read_partners",
    "read_reviews",
    "resolve",
    "robustness",
    "run",
    "score",
    "solve_pairing",
    "verify",
    "with_scores",
    "write_json",
    "write_review_sheet",
    "write_shortlist",
]

if TYPE_CHECKING:
    from .audit import verify
    from .criteria import Criteria, load_criteria
    from .errors import (
        CriteriaError,
        DecisionError,
        InfeasibleError,
        IntakeError,
        MatchmakerError,
        OutputError,
        ReviewError,
        VerifyError,
    )
    from .export import write_shortlist
    from .files import write_json
    from .intake import IntakeResult, read_form
    from .pairing import PairingResult, solve_pairing
    from .partners import read_partners
    from .pipeline import robustness, run
    from .reference import resolve
    from .reviews import Reviews, read_reviews, write_review_sheet
    from .robustness import Robustness
    from .scoring import Scores, score, with_scores


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'matchmaker' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
