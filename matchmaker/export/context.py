"""The lookups over one pairing result that every sheet of the shortlist needs: candidates by id,
their display names, the countries in order, the decided pairs, the ranked eligible candidates.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from ..cells import as_number
from ..criteria import Criteria, PairingSettings
from ..i18n import code_label, label
from ..i18n.wording import display_name, pair_key
from ..pairing import PairingResult
from ..schema import (
    CANDIDATE_ID,
    COUNTRIES,
    COUNTRY,
    ELIGIBLE,
    MUNICIPALITY,
    NAME_AS_WRITTEN,
    PARTNER,
    RANK,
    REGION,
    REGION_NAMES,
    SCORE,
    is_missing,
)


def component_keys(breakdowns: Iterable[object]) -> list[str]:
    """The numeric components found in a set of breakdowns, in order of first appearance."""
    keys: dict[str, None] = {}
    for breakdown in breakdowns:
        if isinstance(breakdown, Mapping):
            for key, value in breakdown.items():
                if as_number(value) is not None:
                    keys.setdefault(str(key), None)
    return list(keys)


def component_label(key: str, lang: str, criteria: Criteria | None) -> str:
    """A criterion's or rubric item's label in `lang`: the criteria file's own translation
    (`label_fr = ...`), else the catalogue's word for the key, else the file's label as written."""
    own = None
    if criteria is not None:
        own = next((c for c in criteria.criteria if c.key == key), None) or next(
            (i for i in criteria.rubric if i.key == key), None
        )
    if own is not None and own.labels.get(lang):
        return own.labels[lang]
    translated = label(key, lang)
    if translated != key:
        return translated
    if own is not None:
        return own.label
    return key.replace("_", " ").capitalize()


class Context:
    """Lookups over one PairingResult that every sheet needs."""

    def __init__(self, result: PairingResult, criteria: Criteria | None) -> None:
        self.result = result
        self.criteria = criteria
        self.candidates = {str(c.get(CANDIDATE_ID)): c for c in result.candidates}
        self.partners = {str(p.get(PARTNER)): p for p in result.partners}
        self.explanations = {str(e.get(CANDIDATE_ID)): e for e in result.explanations}
        self.pair_of = {str(p.get(CANDIDATE_ID)): p for p in result.pairs}
        quotas = result.constraints.get("per_country") or (criteria.pairing.quotas if criteria else {})
        self.quotas: dict[str, int] = {str(k): int(v) for k, v in dict(quotas).items()}
        self.countries = list(self.quotas) or list(COUNTRIES)
        for country in [*result.filled, *(p.get(COUNTRY) for p in result.pairs)]:
            if country and str(country) not in self.countries:
                self.countries.append(str(country))
        self.locked = {pair_key(p) for p in result.constraints.get("locked") or ()}
        self.forbidden = {pair_key(p) for p in result.constraints.get("forbidden") or ()}
        self.excluded = [str(c) for c in result.constraints.get("excluded") or ()]
        # the refusals of the committee (a run's options and decisions), not a partner's "not acceptable"
        options = as_mapping(result.manifest.get("options"))
        given = options.get("forbids") if "forbids" in options else None
        refused = (
            sorted(self.forbidden)
            if not isinstance(given, list)
            else [tuple(str(x).split("=", 1)) for x in given if "=" in str(x)]
        )
        self.refused: dict[str, list[str]] = {}
        for cid, partner in refused:
            if cid not in self.excluded:
                self.refused.setdefault(cid, []).append(partner)
        self.notes: dict[tuple[str, str | None], list[Mapping[str, Any]]] = {}
        for n in result.notes:
            self.notes.setdefault((str(n.get(CANDIDATE_ID)), n.get(PARTNER)), []).append(n)
        self.changes = {(str(c.get(CANDIDATE_ID)), str(c.get(PARTNER))): c for c in result.changes}

        # a candidate by its municipality, else by its name as written; the wording gets these too
        self.names: dict[str, str] = {}
        for cid, cand in self.candidates.items():
            for key in (MUNICIPALITY, NAME_AS_WRITTEN):
                if not is_missing(cand.get(key)) and str(cand.get(key)).strip():
                    self.names[cid] = str(cand.get(key))
                    break

    def name(self, candidate_id: object) -> str:
        return display_name(self.names, candidate_id)

    def country_order(self, country: object) -> int:
        return self.countries.index(str(country)) if str(country) in self.countries else len(self.countries)


def as_mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def budget_per_partnership(ctx: Context) -> int:
    if ctx.criteria is not None:
        return ctx.criteria.pairing.budget_per_partnership
    recorded = ctx.result.constraints.get("budget_per_partnership") or ctx.result.manifest.get(
        "budget_per_partnership"
    )
    number = as_number(recorded)
    return int(number) if number is not None else PairingSettings().budget_per_partnership


def item_label(key: object, block: Mapping[str, Any], ctx: Context, lang: str) -> str:
    """A rubric item by the label the criteria give it in `lang` (from the criteria, or as the result
    recorded it when the criteria are not at hand)."""
    recorded = as_mapping(block.get("labels")).get(str(key))
    if ctx.criteria is None and isinstance(recorded, str) and recorded.strip():
        translated = label(str(key), lang)
        return translated if lang != "nl" and translated != key else recorded
    return component_label(str(key), lang, ctx.criteria)


def disagreement_points(block: Mapping[str, Any]) -> int:
    number = as_number(block.get("threshold"))
    return int(number) if number is not None else 2


def disagreements_by_candidate(ctx: Context) -> dict[str, list[Mapping[str, Any]]]:
    found: dict[str, list[Mapping[str, Any]]] = {}
    for d in as_mapping(ctx.result.reviews).get("disagreements") or ():
        if isinstance(d, Mapping):
            found.setdefault(str(d.get(CANDIDATE_ID)), []).append(d)
    return found


def ranked_candidates(ctx: Context) -> list[dict[str, Any]]:
    eligible = [c for c in ctx.result.candidates if c.get(ELIGIBLE)]

    def key(c: Mapping[str, Any]) -> tuple[float, float, str]:
        rank = as_number(c.get(RANK))
        score = as_number(c.get(SCORE))
        return (
            rank if rank is not None else math.inf,
            -(score if score is not None else -math.inf),
            ctx.name(c.get(CANDIDATE_ID)),
        )

    return sorted(eligible, key=key)


def region_name(partner: Mapping[str, Any], lang: str) -> object:
    """A partner's region in `lang` where the partners file names it so (column region_fr...)."""
    names = as_mapping(partner.get(REGION_NAMES))
    return names.get(lang) or partner.get(REGION)


def province_name(value: object, lang: str) -> object:
    """A Flemish province by its name in `lang` (Oost-Vlaanderen, East Flanders, Flandre-Orientale)."""
    return code_label(value, lang) if isinstance(value, str) else value


def preference_name(value: object, lang: str) -> str | None:
    if value is None:
        return None
    return label("any", lang) if value == "any" else code_label(str(value), lang)
