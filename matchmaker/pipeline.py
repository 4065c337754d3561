"""The main job in one call: form export -> intake -> reviews -> scoring -> pairing, with its manifest.

Locks and forbids name the candidate by REFNIS code or municipality name, as a committee writes them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import schema as s
from .agreement import DISAGREEMENT_POINTS
from .criteria import Criteria
from .errors import DecisionError, InfeasibleError, OutputError
from .manifest import build_manifest, input_entry
from .pairing import PairingResult
from .pairing.budget import DEFAULT_BUDGET

if TYPE_CHECKING:
    from .decisions import Decisions
    from .intake import IntakeResult
    from .reviews import Reviews
    from .scoring import Scores

PairSpec = str | tuple[str, str]


def _split(spec: PairSpec, kind: str) -> tuple[str, str]:
    if isinstance(spec, tuple):
        return str(spec[0]).strip(), str(spec[1]).strip()
    if "=" not in spec:
        raise DecisionError(
            f"{kind} {spec!r}: write it as CANDIDATE=PARTNER (REFNIS code or municipality name)"
        )
    cand, partner = spec.split("=", 1)
    return cand.strip(), partner.strip()


def resolve_pairs(
    specs: Iterable[PairSpec], candidates: pd.DataFrame, partners: pd.DataFrame, kind: str = "lock"
) -> list[tuple[str, str]]:
    """CAND=PARTNER specs -> (candidate_id, partner name) pairs; DecisionError names an unknown side.

    CAND is a candidate id, a REFNIS code or a municipality name (official or as written); when a
    municipality submitted more than once, the submission that counts is meant.
    """
    specs = list(specs)
    if not specs:  # the common case: no lookup table to build
        return []
    from .form_mapping import fold

    counting = candidates[candidates[s.SUPERSEDED_BY].isna()] if s.SUPERSEDED_BY in candidates else candidates
    # a name from a superseded submission means the municipality's submission that counts
    current = {
        r: str(c)
        for r, c in zip(counting[s.REFNIS], counting[s.CANDIDATE_ID], strict=True)
        if isinstance(r, str) and r
    }
    keys = (s.NAME_AS_WRITTEN, s.MUNICIPALITY, s.REFNIS, s.CANDIDATE_ID)
    lookup: dict[str, str] = {}
    for frame in (candidates, counting):  # the counting rows win over superseded ones
        columns = [frame[k].tolist() if k in frame.columns else [None] * len(frame) for k in keys]
        ids = zip(frame[s.REFNIS].tolist(), frame[s.CANDIDATE_ID].tolist(), *columns, strict=True)
        for refnis, row_cid, *values in ids:
            row_id = current.get(str(refnis), str(row_cid))
            for value in values:
                if isinstance(value, str) and value.strip():
                    lookup[fold(value)] = row_id
    names = {fold(str(p)): str(p) for p in partners[s.PARTNER]}
    out: list[tuple[str, str]] = []
    for spec in specs:
        cand, partner = _split(spec, kind)
        cid: str | None = lookup.get(fold(cand))
        if cid is None:  # an old or informal name: resolve it like intake does
            from .reference import resolve

            found = resolve(cand)
            cid = lookup.get(fold(found.refnis)) if found.refnis else None
            if cid is not None and found.method == "fuzzy":
                # a decision is not the place to guess at a spelling: say what was probably meant
                raise DecisionError(
                    f"{kind} {cand}={partner}: no candidate {cand!r}; did you mean {found.municipality!r}?"
                )
        if cid is None and kind == "keep":
            out.append((cand, partner))  # a previous pair whose candidate left: the result says so
            continue
        if cid is None:
            raise DecisionError(f"{kind} {cand}={partner}: no candidate {cand!r} in the form export")
        name = names.get(fold(partner))
        if name is None and kind == "keep":
            out.append((cid, partner))  # a previous pair whose partner left: the result says so
            continue
        if name is None:
            import difflib

            known = [str(p) for p in partners[s.PARTNER]]
            close = difflib.get_close_matches(partner, known, n=1, cutoff=0.75)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise DecisionError(
                f"{kind} {cand}={partner}: no partner {partner!r} ({hint}partners: {', '.join(known)})"
            )
        out.append((cid, name))
    return out


def _resolve_all(
    specs: Sequence[PairSpec],
    given: int,
    decisions: Decisions | None,
    candidates: pd.DataFrame,
    partners: pd.DataFrame,
    kind: str,
) -> list[tuple[str, str]]:
    """The pairs given as options (the first `given`) and those from a decisions workbook; a
    decision that names no candidate or partner is refused with its sheet and row."""
    try:
        return resolve_pairs(specs, candidates, partners, kind)
    except DecisionError:
        if decisions is None:
            raise
        resolve_pairs(specs[:given], candidates, partners, kind)  # an option's own error first
        for spec in specs[given:]:
            try:
                resolve_pairs([spec], candidates, partners, kind)
            except DecisionError as exc:
                pair = _split(spec, kind)
                source = decisions.source(kind, pair) or decisions.source("exclude", (pair[0], ""))
                where = f", sheet '{source['sheet']}' row {source['row']}" if source else ""
                raise DecisionError(f"{decisions.path}{where}: {exc}") from None
        raise


@dataclass(frozen=True)
class RunOptions:
    """Everything a run is given besides the two files: the same fields as `run`'s keywords.

    `verify` rebuilds one from a result's manifest; `decisions` names a shortlist workbook whose
    committee decisions (vast, weiger, uitsluiten, Koppelen aan) the run applies.
    """

    criteria: Criteria | Path | str | None = None
    mapping: Path | str | None = None
    reviews: tuple[Path | str, ...] = ()
    aggregate: str = "mean"
    locks: tuple[PairSpec, ...] = ()
    forbids: tuple[PairSpec, ...] = ()
    keep: tuple[PairSpec, ...] = ()
    decisions: Path | str | None = None
    alternatives: int = 0
    distinct: str = "selection"
    solver: str = "cbc"
    time_limit: float | None = None
    time_budget: float | None = DEFAULT_BUDGET  # seconds for the whole pairing run (None: none)
    strict: bool = False
    partner_ratings: tuple[Path | str, ...] = ()  # filled partner sheets (files or folders)
    stability: str = "off"  # "off" | "report" | "require"


@dataclass(frozen=True)
class Scored:
    """A form export read and scored: what `run`, `score_forms` and the robustness analysis share."""

    intake: IntakeResult
    reviews: Reviews | None  # the reviewer sheets as read, None without any
    aggregated: pd.DataFrame | None  # their ratings combined per candidate and item
    review_inputs: tuple[Path, ...]  # the files read, each once
    scores: Scores


def load_options_criteria(opts: RunOptions) -> Criteria:
    """The criteria a run's options name: given, a path, or the default file."""
    from .criteria import load_criteria

    if isinstance(opts.criteria, Criteria):
        return opts.criteria
    return load_criteria(None if opts.criteria is None else Path(opts.criteria))


def read_and_score(forms: Path, criteria: Criteria, opts: RunOptions, say: Callable[[str], None]) -> Scored:
    """Intake of the form export, the reviewer sheets of `opts` combined by `opts.aggregate`, scoring."""
    from .intake import read_form
    from .scoring import score

    mapping = None if opts.mapping is None else Path(opts.mapping)
    say(f"reading {forms}")
    intake = read_form(forms, mapping=mapping, eligibility=criteria.eligibility)
    read = None
    aggregated = None
    review_inputs: list[Path] = []
    if opts.reviews:
        from .reviews import read_reviews, review_files

        review_paths = [Path(p) for p in opts.reviews]
        # the files read_reviews reads: a sheet named twice (alone and in its folder) counts once
        review_inputs = review_files(review_paths)
        say(f"reading {len(review_inputs)} reviewer sheet(s)")
        read = read_reviews(review_paths, criteria, intake.candidates)
        aggregated = read.aggregate(opts.aggregate)  # type: ignore[arg-type]
    say("scoring")
    return Scored(
        intake, read, aggregated, tuple(review_inputs), score(intake.candidates, criteria, aggregated)
    )


def run(
    forms: Path | str,
    partners: Path | str,
    options: RunOptions | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    **fields: Any,
) -> PairingResult:
    """Run the whole selection on a form export and a partners file and return the pairing.

    The options come as a `RunOptions`, as keywords (`run(forms, partners, reviews=[...])`), or
    both (the keywords win). With `strict`, an unfilled slot raises InfeasibleError with its
    diagnosis. `progress` receives one short line per stage (the command line prints them on stderr).
    """
    unknown = sorted(set(fields) - {f.name for f in dataclasses.fields(RunOptions)})
    if unknown:
        raise TypeError(f"run() got unknown option(s) {', '.join(unknown)}")
    for name in ("reviews", "locks", "forbids", "keep", "partner_ratings"):
        if name in fields:
            fields[name] = tuple(fields[name])
    opts = replace(options or RunOptions(), **fields)
    return _run(Path(forms), Path(partners), opts, progress or (lambda _line: None))


def _run(forms: Path, partners: Path, opts: RunOptions, say: Callable[[str], None]) -> PairingResult:
    from .pairing import solve_pairing
    from .partners import read_partners
    from .scoring import with_scores

    criteria = load_options_criteria(opts)
    mapping_path = None if opts.mapping is None else Path(opts.mapping)
    decisions = None
    if opts.decisions is not None:
        from .decisions import read_decisions

        say(f"reading the decisions in {opts.decisions}")
        decisions = read_decisions(Path(opts.decisions), criteria=criteria)
    locks = (*opts.locks, *(decisions.locks if decisions else ()))
    forbids = (*opts.forbids, *(decisions.all_forbids() if decisions else ()))
    keep = (*opts.keep, *(decisions.keep if decisions else ()))
    aggregate, solver, strict = opts.aggregate, opts.solver, opts.strict
    scored = read_and_score(forms, criteria, opts, say)
    intake, read, scores, review_inputs = scored.intake, scored.reviews, scored.scores, scored.review_inputs
    review_paths = [Path(p) for p in opts.reviews]
    candidates = with_scores(intake.candidates, scores)
    say(f"reading {partners}")
    partner_table = read_partners(partners, mapping_path)
    lock_pairs = _resolve_all(locks, len(opts.locks), decisions, candidates, partner_table, "lock")
    forbid_pairs = _resolve_all(forbids, len(opts.forbids), decisions, candidates, partner_table, "forbid")
    keep_pairs = resolve_pairs(keep, candidates, partner_table, "keep")
    # the candidates the previous round selected (its Koppelingen pairs) stay selected where they can
    stay: list[str] = []
    if decisions is not None:
        shown = [p for p in decisions.previous if p[0] not in decisions.excluded]
        stay = list(dict.fromkeys(c for c, _ in resolve_pairs(shown, candidates, partner_table, "keep")))
    ratings: list[tuple[str, str, int | None]] = []
    rating_inputs: list[Path] = []
    if opts.partner_ratings:
        from .partner_sheets import read_partner_ratings
        from .reviews import review_files

        rating_inputs = review_files([Path(p) for p in opts.partner_ratings])
        say(f"reading {len(rating_inputs)} partner sheet(s)")
        read_ratings = read_partner_ratings(
            [Path(p) for p in opts.partner_ratings], candidates, partner_table
        )
        ratings = [(r.candidate_id, r.partner, r.rating) for r in read_ratings]
    stability = opts.stability
    if ratings and stability == "off":
        stability = "report"
    say(f"pairing with {solver}")
    result = solve_pairing(
        candidates,
        partner_table,
        criteria,
        locks=lock_pairs,
        forbids=forbid_pairs,
        keep=keep_pairs,
        keep_selected=stay,
        alternatives=opts.alternatives,
        distinct=opts.distinct,
        solver=solver,
        time_limit=opts.time_limit,
        partner_ratings=ratings,
        stability=stability,
        time_budget=opts.time_budget,
        progress=say,
    )
    inputs = [
        input_entry("forms", forms, intake.sha256),
        input_entry("partners", partners),
        *([input_entry("mapping", mapping_path)] if mapping_path is not None else []),
        *(input_entry("reviews", path) for path in review_inputs),
        *(input_entry("partner_ratings", path) for path in rating_inputs),
    ]
    manifest = build_manifest(
        result.manifest,
        inputs=inputs,
        criteria=criteria,
        solver=solver,
        status=result.status,
        options={
            "reviews": [str(p) for p in review_paths],
            "aggregate": aggregate,
            "locks": [f"{c}={p}" for c, p in lock_pairs],
            "forbids": [f"{c}={p}" for c, p in forbid_pairs],
            "keep": [f"{c}={p}" for c, p in keep_pairs],
            "alternatives": opts.alternatives,
            "distinct": opts.distinct,
            "time_limit": opts.time_limit,
            "time_budget": opts.time_budget,
            "strict": strict,
            # only with partner ratings or a stability mode, so that other manifests stay as they were
            **(
                {"partner_ratings": [str(p) for p in opts.partner_ratings], "stability": stability}
                if opts.partner_ratings or stability != "off"
                else {}
            ),
            # the workbook whose decisions were applied: verify words the changes from it again
            **({"decisions": str(opts.decisions)} if opts.decisions is not None else {}),
        },
    )
    result = replace(
        result,
        manifest=manifest,
        issues=list(intake.issues),
        reviews=reviews_block(read, aggregate, criteria, scores),
    )
    if decisions is not None:  # what changed from the shortlist the committee decided on, and why
        result = replace(result, changes=decisions.changes(result))
    if strict and result.unfilled:
        raise InfeasibleError("; ".join(f"{u['country']}: {u['reason']}" for u in result.unfilled))
    return result


@dataclass(frozen=True)
class ScoreRun:
    """The scoring of one form export: its intake, the scores, and the reviewers' summary lines."""

    intake: IntakeResult
    criteria: Criteria
    scores: Scores
    review_summary: tuple[str, ...] = ()

    def ranking(self, top: int = 2) -> list[dict[str, Any]]:
        """The eligible candidates ranked, each with its `top` largest contributions."""
        from .scoring import ranking

        return ranking(self.intake.candidates, self.scores, top=top)

    def to_json(self) -> dict[str, Any]:
        """The `matchmaker.scores/1` document."""
        intake_doc = self.intake.to_json()
        return self.scores.to_json(
            intake_doc["candidates"], criteria=self.criteria, issues=intake_doc.get("issues", [])
        )


def score_forms(
    forms: Path | str, options: RunOptions | None = None, *, progress: Callable[[str], None] | None = None
) -> ScoreRun:
    """Intake, reviews and scoring of a form export, without pairing (the `score` command)."""
    opts = options or RunOptions()
    criteria = load_options_criteria(opts)
    scored = read_and_score(Path(forms), criteria, opts, progress or (lambda _line: None))
    summary = scored.reviews.summary() if scored.reviews is not None else []
    return ScoreRun(scored.intake, criteria, scored.scores, tuple(summary))


def check_outputs(
    inputs: list[Path],
    force: bool,
    *,
    workbook: Path | None = None,
    json_path: Path | None = None,
    kind: str = "shortlist",
) -> None:
    """Refuse, before any work, an output path that is wrong or that holds work nobody may lose:
    a workbook must end in .xlsx and a JSON file in .json; an existing file is replaced only when
    the engine wrote it and nobody typed in it, or with --force."""
    from .files import check_output, guard_existing, own_json

    if workbook is not None:
        check_output(workbook, inputs)
        if workbook.suffix.lower() != ".xlsx":
            raise OutputError(f"{workbook}: a {kind} must be an .xlsx file; give a name ending in .xlsx")
        if kind == "shortlist":
            from .decisions import typed_decisions as judge
        else:
            from .reviews import typed_ratings as judge
        guard_existing(workbook, force=force, judge=judge)
    if json_path is not None:
        check_output(json_path, inputs)
        if json_path.suffix.lower() != ".json":
            raise OutputError(f"{json_path}: --json writes JSON; give a name ending in .json")
        guard_existing(json_path, force=force, judge=own_json)


def reviews_block(read: Reviews | None, aggregate: str, criteria: Criteria, scores: Scores) -> dict[str, Any]:
    """The result's `reviews`: `Reviews.to_json()` with the aggregation used, the rubric's labels, and
    where each candidate's motivation came from (reviews, or the form's self-assessment).

    Without reviews the same keys are there, empty, so a reader needs no second shape.
    """
    from .scoring import MOTIVATION_SOURCE

    origin = scores.totals[MOTIVATION_SOURCE].dropna().astype(str).value_counts(sort=False)
    block: dict[str, Any] = {
        "given": read is not None,
        "aggregate": aggregate if read is not None else None,
        "threshold": DISAGREEMENT_POINTS,
        "scale": [int(v) for v in criteria.rubric_scale],
        "labels": {item.key: item.label or item.key for item in criteria.rubric},
        "reviewers": [],
        "sources": {},
        "ratings": 0,
        "agreement": {},
        "disagreements": [],
        "disconnected": [],
        "notes": [],
        "motivation_source": {str(k): int(v) for k, v in origin.items()},
        "scoring_notes": list(scores.notes),
    }
    if read is not None:
        block.update(read.to_json())
        block["disagreements"] = read.disagreements(DISAGREEMENT_POINTS)
        if aggregate == "leniency":  # only there does it matter, and it costs the scipy import
            block["disconnected"] = read.disconnected_items()
    return block
