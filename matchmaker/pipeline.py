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
from .schema import ExplanationRecord

if TYPE_CHECKING:
    from .conflicts import Conflict
    from .decisions import Decisions
    from .intake import IntakeResult
    from .reviews import Reviews
    from .robustness import Robustness
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


def _excluded(
    specs: Sequence[str], decisions: Decisions | None, candidates: pd.DataFrame, partners: pd.DataFrame
) -> list[str]:
    """The candidate ids of the exclusions given as options and of those in a decisions workbook."""
    if not len(partners):
        return []
    first = str(partners[s.PARTNER].iloc[0])  # the partner only completes the pair the lookup reads
    book = decisions.excluded if decisions is not None else ()
    pairs: list[PairSpec] = [(str(x), first) for x in [*specs, *book]]
    resolved = _resolve_all(pairs, len(specs), decisions, candidates, partners, "exclude")
    return list(dict.fromkeys(c for c, _ in resolved))


def _as_excluded(explanation: ExplanationRecord, excluded: set[str]) -> ExplanationRecord:
    """An excluded candidate's explanation: the committee's exclusion, not a refusal per partner."""
    if str(explanation.get(s.CANDIDATE_ID)) not in excluded:
        return explanation
    from .i18n.wording import why_text

    out = explanation.copy()
    out["cause"], out["need"], out["score_needed"] = "excluded", "excluded", None
    out["obstacles"], out["displaces"] = [], []
    out["why"] = why_text(out, {}, "en") or ""
    return out


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
    exclude: tuple[str, ...] = ()  # candidates paired with nobody (ids, REFNIS codes or names)
    stay: tuple[str, ...] = ()  # candidate ids selected before, to stay selected where they can
    decisions: Path | str | None = None
    alternatives: int = 0
    distinct: str = "selection"
    solver: str = "cbc"
    time_limit: float | None = None
    time_budget: float | None = DEFAULT_BUDGET  # seconds for the whole pairing run (None: none)
    strict: bool = False
    partner_ratings: tuple[Path | str, ...] = ()  # filled partner sheets (files or folders)
    stability: str = "off"  # "off" | "report" | "require"
    conflicts: Path | str | None = None  # the committee's conflicts of interest (reviewer, municipality)
    # the weight robustness of the pairing in the same run (pair --robustness); `robustness_samples`
    # resamples of the reviewers (and, beyond 5 criteria, at least 1000 sampled weightings)
    robustness: bool = False
    robustness_samples: int = 0
    seed: int = 0


@dataclass(frozen=True)
class Scored:
    """A form export read and scored: what `run`, `score_forms` and the robustness analysis share."""

    intake: IntakeResult
    reviews: Reviews | None  # the reviewer sheets as read, None without any
    aggregated: pd.DataFrame | None  # their ratings combined per candidate and item
    review_inputs: tuple[Path, ...]  # the files read, each once
    scores: Scores
    conflicts_input: Path | None = None  # the committee's conflicts file, when given


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
    committee: tuple[Conflict, ...] = ()
    if opts.conflicts is not None:
        from .conflicts import read_conflicts

        say(f"reading the conflicts of interest in {opts.conflicts}")
        committee = read_conflicts(Path(opts.conflicts), intake.candidates)
    if opts.reviews:
        from .reviews import read_reviews, review_files

        review_paths = [Path(p) for p in opts.reviews]
        # the files read_reviews reads: a sheet named twice (alone and in its folder) counts once
        review_inputs = review_files(review_paths)
        say(f"reading {len(review_inputs)} reviewer sheet(s)")
        read = read_reviews(review_paths, criteria, intake.candidates, committee)
        aggregated = read.aggregate(opts.aggregate)  # type: ignore[arg-type]
    say("scoring")
    conflicts = None if opts.conflicts is None else Path(opts.conflicts)
    scores = score(intake.candidates, criteria, aggregated)
    return Scored(intake, read, aggregated, tuple(review_inputs), scores, conflicts)


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
    for name in ("reviews", "locks", "forbids", "keep", "exclude", "stay", "partner_ratings"):
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
    forbids = (*opts.forbids, *(decisions.forbids if decisions else ()))
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
    excluded = _excluded(opts.exclude, decisions, candidates, partner_table)
    # an excluded candidate is refused with every partner; the result records the exclusion itself
    refused = list(dict.fromkeys(forbid_pairs))
    every = [(c, str(p)) for c in excluded for p in partner_table[s.PARTNER]]
    solve_forbids = list(dict.fromkeys([*refused, *every]))
    # the candidates the previous round selected (its Koppelingen pairs) stay selected where they can
    stay: list[str] = [str(c) for c in opts.stay]
    if decisions is not None:
        shown = [p for p in decisions.previous if p[0] not in decisions.excluded]
        stay += [c for c, _ in resolve_pairs(shown, candidates, partner_table, "keep")]
    stay = list(dict.fromkeys(stay))
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
        forbids=solve_forbids,
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
        *conflict_entries(scored),
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
            "forbids": [f"{c}={p}" for c, p in refused],
            "keep": [f"{c}={p}" for c, p in keep_pairs],
            **({"exclude": excluded} if excluded else {}),
            **({"stay": stay} if stay else {}),
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
            # only with --robustness, so that other manifests stay as they were
            **(
                {"robustness": {"samples": opts.robustness_samples, "seed": opts.seed}}
                if opts.robustness
                else {}
            ),
            # the workbook whose decisions were applied: verify words the changes from it again
            **({"decisions": str(opts.decisions)} if opts.decisions is not None else {}),
            **conflict_options(scored),
        },
    )
    constraints = result.constraints
    if excluded:
        gone = set(every) - set(refused)
        forbidden = [pair for pair in constraints["forbidden"] if (pair[0], pair[1]) not in gone]
        constraints = constraints.copy()
        constraints["forbidden"], constraints["excluded"] = forbidden, excluded
        result = replace(result, explanations=[_as_excluded(x, set(excluded)) for x in result.explanations])
    result = replace(
        result,
        constraints=constraints,
        manifest=manifest,
        issues=list(intake.issues),
        reviews=reviews_block(read, aggregate, criteria, scores),
    )
    if opts.robustness:
        if keep_pairs or stay or stability == "require":
            raise DecisionError(
                "--robustness analyses the pairing without previous pairs or stability rows; "
                "run it without --decisions' previous round and without --stability require"
            )
        from .robustness import attach, weight_robustness

        say("splitting the plausible weights")
        analysis = weight_robustness(
            scored, candidates, partner_table, criteria, opts, lock_pairs, forbid_pairs
        )
        result = attach(result, analysis)
    if decisions is not None:  # what changed from the shortlist the committee decided on, and why
        result = decisions.apply(result)
    if strict and result.unfilled:
        raise InfeasibleError("; ".join(f"{u['country']}: {u['reason']}" for u in result.unfilled))
    return result


def conflict_entries(scored: Scored) -> list[dict[str, Any]]:
    """The manifest's input entry of the committee's conflicts file, when one was read."""
    return [input_entry("conflicts", scored.conflicts_input)] if scored.conflicts_input is not None else []


def conflict_options(scored: Scored) -> dict[str, Any]:
    """The manifest's options on conflicts of interest: the file, and every conflict declared (on a
    sheet or in the file) as reviewer, candidate and where; nothing when there are none."""
    declared = [
        {k: c[k] for k in ("reviewer", s.CANDIDATE_ID, s.MUNICIPALITY, "declared")}
        for c in (scored.reviews.conflicts if scored.reviews is not None else ())
    ]
    out: dict[str, Any] = {}
    if scored.conflicts_input is not None:
        out["conflicts"] = str(scored.conflicts_input)
    if declared:
        out["declared_conflicts"] = declared
    return out


def robustness(
    forms: Path | str,
    partners: Path | str,
    options: RunOptions | None = None,
    *,
    samples: int = 1000,
    seed: int = 0,
    method: str = "auto",
    progress: Callable[[str], None] | None = None,
) -> Robustness:
    """The weight robustness of the pairing `run` makes of these files, with its manifest (the
    `robustness` command).

    With reviews, also the reviewers' uncertainty: `samples` bootstrap resamples of the reviewers.
    """
    from .partners import read_partners
    from .robustness import SCHEMA, weight_robustness
    from .scoring import with_scores

    opts = replace(options or RunOptions(), robustness_samples=samples, seed=seed)
    say = progress or (lambda _line: None)
    criteria = load_options_criteria(opts)
    mapping = None if opts.mapping is None else Path(opts.mapping)
    scored = read_and_score(Path(forms), criteria, opts, say)
    intake, review_inputs = scored.intake, scored.review_inputs
    table = with_scores(intake.candidates, scored.scores)
    partner_table = read_partners(Path(partners), mapping)
    say("splitting the plausible weights")
    result = weight_robustness(scored, table, partner_table, criteria, opts, method=method, weights=samples)
    inputs = [
        input_entry("forms", Path(forms), intake.sha256),
        input_entry("partners", Path(partners)),
        *([input_entry("mapping", mapping)] if mapping is not None else []),
        *(input_entry("reviews", path) for path in review_inputs),
        *conflict_entries(scored),
    ]
    manifest = build_manifest(
        {"schema": SCHEMA},
        inputs=inputs,
        criteria=criteria,
        solver="highs",
        status=result.method,
        options={
            "reviews": [str(p) for p in opts.reviews],
            "aggregate": opts.aggregate,
            "samples": samples,
            "seed": seed,
            "method": result.method,
            **conflict_options(scored),
        },
    )
    return replace(result, manifest=manifest)


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
            from .export.typed import typed_decisions as judge
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
