"""What one pairing run decided (`PairingResult`, the `matchmaker.result/1` document) and the one
assembler that builds it from the solved instance and the facts of `explain`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from .. import schema as s
from ..criteria import Criteria
from ..i18n.wording import alternatives_text, no_slots_reason
from ..schema import (
    RESULT_SCHEMA,
    AlternativeRecord,
    Breakdown,
    ChangeRecord,
    ConstraintsRecord,
    EdgeRecord,
    ExplanationRecord,
    NoteRecord,
    PairRecord,
    PartnerRecord,
    ReplacementRecord,
    ReserveRecord,
    UnfilledRecord,
)
from .budget import Budget
from .counterfactual import Forced
from .explain import changes as explain_changes
from .explain import diagnose, explain
from .instance import EDGE_TERMS, UNIT, Instance, Pair, Solution, _as_list, _Table, _text_or_none
from .replacements import Withdrawal, replacement_records, reserve_records
from .unlock import Unlocked, apply_unlocked


@dataclass(frozen=True)
class PairingResult:
    """What one pairing run decided; `to_json()` is the `matchmaker.result/1` document.

    Every list holds JSON-ready dicts with the keys named in the result schema.
    """

    status: str  # "optimal" | "feasible"
    objective: float
    filled: dict[str, int]
    unfilled: list[UnfilledRecord]
    constraints: ConstraintsRecord
    candidates: list[dict[str, Any]]
    partners: list[PartnerRecord]
    edges: list[EdgeRecord]
    pairs: list[PairRecord]
    reserves: list[ReserveRecord] = field(default_factory=list)
    # per selected candidate: who takes its place when it withdraws
    replacements: list[ReplacementRecord] = field(default_factory=list)
    alternatives: list[AlternativeRecord] = field(default_factory=list)
    explanations: list[ExplanationRecord] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    issues: list[dict[str, Any]] = field(default_factory=list)  # intake issues, carried along
    changes: list[ChangeRecord] = field(default_factory=list)  # vs. the previous shortlist, if any
    # who reviewed, agreement per rubric item, disagreements, where the motivation came from
    reviews: dict[str, Any] = field(default_factory=dict)
    # with partner ratings: blocking pairs, the price of stability, the partners' welfare
    stability: dict[str, Any] = field(default_factory=dict)
    # how many alternatives were asked and found, the interchangeable partners, and the sentence
    alternatives_note: dict[str, Any] = field(default_factory=dict)
    # the committee's notes of the shortlist it decided on, carried to the next round
    notes: list[NoteRecord] = field(default_factory=list)
    # re-solving decisions: the previous round's total value and filled slots beside this one's
    cost: dict[str, Any] = field(default_factory=dict)
    # with pair --robustness: the weight robustness analysis (matchmaker.robustness/1 without manifest)
    robustness: dict[str, Any] = field(default_factory=dict)

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
            "replacements": self.replacements,
            "alternatives": self.alternatives,
            **({"alternatives_note": self.alternatives_note} if self.alternatives_note else {}),
            "explanations": self.explanations,
            "manifest": self.manifest,
            "issues": self.issues,
            "changes": self.changes,
            **({"cost": self.cost} if self.cost else {}),
            "reviews": self.reviews,
            **({"stability": self.stability} if self.stability else {}),
            **({"notes": self.notes} if self.notes else {}),
            **({"robustness": self.robustness} if self.robustness else {}),
        }

    def to_frame(self) -> pd.DataFrame:
        """The pairs as a table: country, partner, municipality, province, value and its terms."""
        columns = ["country", "partner", "candidate_id", "municipality", "province", "value", *EDGE_TERMS]
        rows = [
            {**{k: p.get(k) for k in columns if k not in EDGE_TERMS}, **p["breakdown"]} for p in self.pairs
        ]
        return pd.DataFrame.from_records(rows, columns=columns)

    def explanations_frame(self) -> pd.DataFrame:
        """One row per eligible candidate: selected or not, why, and the score it would need."""
        columns = ["candidate_id", "municipality", "selected", "partner", "cause", "score_needed", "why"]
        return pd.DataFrame.from_records(
            [{k: e.get(k) for k in columns} for e in self.explanations], columns=columns
        )


def assemble(
    candidates: pd.DataFrame,
    partners: pd.DataFrame,
    criteria: Criteria,
    table: _Table,
    inst: Instance,
    best: Solution,
    alts: list[Solution],
    forced: dict[int, Forced],
    locks: list[Pair],
    forbids: list[Pair],
    keep: list[Pair],
    solver: str,
    explained: bool,
    capped: set[int] | None = None,
    asked: int = 0,
    dropped: Mapping[int, str] | None = None,
    withdrawn: Sequence[Withdrawal] | None = None,
    reserve_forced: dict[tuple[int, str], Forced] | None = None,
    unlocked: dict[int, Unlocked] | None = None,
    resolved: bool = True,
    budget: Budget | None = None,
) -> PairingResult:
    """The result of a solved instance: pairs, reserves, alternatives, explanations, changes."""
    settings = criteria.pairing
    pool = table.pool
    ei, ej = inst.edge_cand, inst.edge_partner
    municipality = [_text_or_none(v) for v in pool[s.MUNICIPALITY]]
    label = [m or c for m, c in zip(municipality, table.ids, strict=True)]
    locked_edges = set(inst.locks)

    def edge_record(e: int) -> EdgeRecord:
        i, j = int(ei[e]), int(ej[e])
        terms = {t: int(table.terms[t][i, j]) / UNIT for t in EDGE_TERMS}
        return EdgeRecord(
            candidate_id=table.ids[i],
            partner=table.names[j],
            country=table.countries[j],
            value=int(inst.edge_value[e]) / UNIT,
            breakdown=Breakdown(
                score=terms["score"],
                preference=terms["preference"],
                themes=terms["themes"],
                language=terms["language"],
            ),
        )

    regions = (
        [_text_or_none(v) for v in table.partners[s.REGION]]
        if s.REGION in table.partners.columns
        else [None] * len(table.names)
    )

    def pair_record(e: int) -> PairRecord:
        i, j = int(ei[e]), int(ej[e])
        return PairRecord(
            **edge_record(e),
            municipality=municipality[i],
            province=inst.provinces[i],
            region=regions[j],
            locked=e in locked_edges,
        )

    def pairs_of(sol: Solution) -> list[PairRecord]:
        order = {c: k for k, c in enumerate(sorted(settings.quotas))}
        recs = [pair_record(e) for e in sol.edges]
        return sorted(recs, key=lambda r: (order.get(r["country"], 99), table.names.index(r["partner"])))

    pairs = pairs_of(best)
    filled = {c: sum(1 for p in pairs if p["country"] == c) for c in settings.quotas}
    unfilled = [
        cast(
            UnfilledRecord,
            {"country": c, "slots": int(q) - filled[c], **diagnose(table, inst, best, c, int(q), settings)},
        )
        for c, q in settings.quotas.items()
        if filled[c] < int(q)
    ]
    objective = best.value / UNIT
    alternatives: list[AlternativeRecord] = []
    for k, alt in enumerate(alts, start=1):
        gap = 0.0 if best.value == 0 else max(0.0, (best.value - alt.value) / best.value * 100)
        alternatives.append(
            AlternativeRecord(
                rank=k,
                objective=alt.value / UNIT,
                gap_pct=round(gap, 4),
                filled={
                    c: sum(1 for e in alt.edges if inst.countries[int(ej[e])] == c) for c in settings.quotas
                },
                pairs=pairs_of(alt),
            )
        )

    reserves = reserve_records(
        inst,
        best,
        reserve_forced or {},
        list(settings.quotas),
        municipality,
        explained,
        unlocked or {},
        resolved,
    )
    replacements = replacement_records(inst, best, withdrawn or [])

    missed = {} if budget is None else budget.missed
    explanations = explain(
        table, inst, best, forced, label, settings, explained, criteria.tie_break, capped or set(), missed
    )
    explanations = apply_unlocked(explanations, unlocked or {}, best, inst)

    partner_records: list[PartnerRecord] = []
    for j, (_, row) in enumerate(partners.iterrows()):
        eligible = bool(table.partner_ok[j])
        reasons = _as_list(row.get("reasons")) if "reasons" in partners.columns else []
        if not eligible and not reasons:
            reasons = [no_slots_reason(str(row[s.COUNTRY]), "en")]
        partner_records.append(
            PartnerRecord(
                partner=str(row[s.PARTNER]),
                country=str(row[s.COUNTRY]),
                region=_text_or_none(row.get(s.REGION)),
                themes=_as_list(row[s.PARTNER_THEMES]),
                languages=_as_list(row[s.PARTNER_LANGUAGES]),
                has_flemish_link=bool(row.get(s.HAS_FLEMISH_LINK, False)),
                eligible=eligible,
                reasons=reasons,
            )
        )
        names = row.get(s.REGION_NAMES)
        if isinstance(names, Mapping) and names:
            partner_records[-1][s.REGION_NAMES] = {str(k): str(v) for k, v in names.items()}
    note: dict[str, Any] = {}
    if asked:
        note = {"asked": asked, "found": len(alts), "interchangeable": interchangeable(table)}
        if missed.get("alternatives"):
            note["not_computed"] = len(missed["alternatives"])  # cut off by the time budget
        note["text"] = alternatives_text(note, "en")
    records = candidates.to_dict(orient="records")
    cand_records = [{str(k): s.to_jsonable(v) for k, v in r.items()} for r in records]
    return PairingResult(
        status="optimal" if best.optimal else "feasible",
        objective=objective,
        filled=filled,
        unfilled=unfilled,
        constraints=ConstraintsRecord(
            per_country={str(k): int(v) for k, v in settings.quotas.items()},
            max_per_province=settings.max_per_province,
            locked=[[c, p] for c, p in locks],
            forbidden=[[c, p] for c, p in forbids],
            excluded=[],
            min_value=settings.min_value,
            languages={c: {"any_of": list(r.any_of), "mode": r.mode} for c, r in settings.languages.items()},
            tie_break=list(criteria.tie_break),
        ),
        candidates=cand_records,
        partners=partner_records,
        edges=[edge_record(e) for e in range(inst.n_edges)],
        pairs=pairs,
        reserves=reserves,
        replacements=replacements,
        alternatives=alternatives,
        explanations=explanations,
        manifest={
            "solver": solver,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **(
                {"not_computed": {k: len(v) for k, v in sorted(missed.items()) if v}}
                if any(missed.values())
                else {}
            ),
        },
        changes=explain_changes(
            table,
            pairs,
            keep,
            locks,
            settings,
            {(inst.candidates[int(ei[e])], inst.partners[int(ej[e])]): c for e, c in (dropped or {}).items()},
        ),
        alternatives_note=note,
    )


def interchangeable(table: _Table) -> list[list[str]]:
    """Groups of two or more partners of one country that every candidate values alike: the same
    candidates may pair with each, each at the same value. Which of them a candidate gets says nothing."""
    allowed = table.allowed
    groups: dict[tuple[Any, ...], list[str]] = {}
    for j, name in enumerate(table.names):
        if not table.partner_ok[j] or not allowed[:, j].any():
            continue
        column = tuple(int(v) if ok else None for v, ok in zip(table.value[:, j], allowed[:, j], strict=True))
        groups.setdefault((table.countries[j], column), []).append(name)
    return [names for names in groups.values() if len(names) > 1]
