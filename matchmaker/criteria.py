"""criteria/*.toml -> a validated, frozen `Criteria`: eligibility, weighed criteria, pairing settings.

The dataclasses below are the contract every stage reads; `load_criteria` validates at the door.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

CRITERIA_DIR = Path(__file__).resolve().parent.parent / "criteria"
DEFAULT_CRITERIA = CRITERIA_DIR / "sdg-partnerships-2024.toml"


@dataclass(frozen=True)
class LanguageRule:
    """Which delegation languages a partner country needs, and whether that is a hard rule."""

    any_of: tuple[str, ...]
    mode: Literal["hard", "soft"] = "soft"


@dataclass(frozen=True)
class FitSettings:
    """Points added to a candidate's score for one pair."""

    preference_match: float = 5.0
    no_preference: float = 2.5
    theme_overlap: float = 10.0
    language_match: float = 5.0


@dataclass(frozen=True)
class PairingSettings:
    """Quotas and constraints of the pairing model."""

    quotas: Mapping[str, int] = field(default_factory=lambda: {"Rwanda": 4, "Benin": 4})
    max_per_province: int | None = 2
    min_value: float | None = None
    budget_per_partnership: int = 35000
    fit: FitSettings = field(default_factory=FitSettings)
    languages: Mapping[str, LanguageRule] = field(
        default_factory=lambda: {
            "Benin": LanguageRule(("fr",), "hard"),
            "Rwanda": LanguageRule(("en", "fr"), "soft"),
        }
    )


@dataclass(frozen=True)
class Eligibility:
    """The call's hard rules."""

    require: tuple[str, ...] = ("commit_sessions", "commit_visit", "commit_time", "commit_feedback")
    require_flemish: bool = True


@dataclass(frozen=True)
class Criterion:
    """One weighed criterion. The scoring stage owns the meaning of `source` and `params`."""

    key: str
    label: str
    weight: float
    source: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class RubricItem:
    """One item reviewers rate on the rubric scale (whole numbers)."""

    key: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Criteria:
    """Everything a criteria file configures, validated."""

    version: int
    name: str
    eligibility: Eligibility = field(default_factory=Eligibility)
    criteria: tuple[Criterion, ...] = ()
    rubric: tuple[RubricItem, ...] = ()
    rubric_scale: tuple[int, int] = (1, 5)
    pairing: PairingSettings = field(default_factory=PairingSettings)
    tie_break: tuple[str, ...] = ("completed", "refnis")
    path: Path | None = None
    sha256: str | None = None
