"""Pure functions: the criteria's values for each eligible candidate -> scores with their breakdown.

`criterion_matrix` gives the weight-free values, `weighted_scores` weighs them (one vector or many);
`compute` is the arithmetic and trusts its input; `score` validates the candidates, reviews and
criteria first and raises a domain error naming the row and column.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from . import schema
from .criteria import (
    CHOICE_FIELDS,
    AnswerSource,
    ChoicesSource,
    Criteria,
    Criterion,
    RubricSource,
)
from .errors import CriteriaError, IntakeError, ReviewError
from .i18n.wording import scoring_note_text

# --- column names ----------------------------------------------------------------------------------
CANDIDATE_ID: Final = schema.CANDIDATE_ID
CRITERION: Final = "criterion"
RAW: Final = "raw"
NORMALISED: Final = "normalised"
WEIGHT: Final = "weight"
CONTRIBUTION: Final = "contribution"
SOURCE: Final = "source"
SCORE: Final = schema.SCORE
RANK: Final = schema.RANK
BREAKDOWN: Final = schema.BREAKDOWN
MOTIVATION_SOURCE: Final = "motivation_source"
DETAIL_COLUMNS: Final = (CANDIDATE_ID, CRITERION, RAW, NORMALISED, WEIGHT, CONTRIBUTION, SOURCE)
TOTALS_COLUMNS: Final = (CANDIDATE_ID, SCORE, RANK, BREAKDOWN, MOTIVATION_SOURCE)

# where a raw value came from, per candidate and criterion
FROM_REVIEWS: Final = "reviews"
FROM_SELF_ASSESSMENT: Final = "self-assessment"
FROM_FORM: Final = "form"
FROM_NOTHING: Final = "none"

# Scores are rounded so that equal answers give equal scores, whatever the float summation order.
DECIMALS: Final = 4


@dataclass(frozen=True)
class Scores:
    """Scores of the eligible candidates: `detail` per criterion, `totals` ranked, and notes to read."""

    detail: pd.DataFrame
    totals: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    criteria_sha256: str | None = None
    # the facts of `notes`, one for one, for wording them in another language
    note_facts: list[dict[str, Any]] = field(default_factory=list)

    def breakdown(self, candidate_id: str) -> dict[str, float]:
        """Criterion -> contribution for one candidate; KeyError if it was not scored."""
        row = self.totals.loc[self.totals[CANDIDATE_ID] == candidate_id]
        if row.empty:
            raise KeyError(candidate_id)
        return dict(row[BREAKDOWN].iloc[0])

    def to_json(
        self,
        candidates: Sequence[Mapping[str, Any]],
        *,
        criteria: Criteria | None = None,
        issues: Sequence[Mapping[str, Any]] = (),
    ) -> dict[str, Any]:
        """The `matchmaker.scores/1` document: the given candidate records with their scores joined."""
        by_id = _totals_by_id(self.totals)
        records = []
        for record in candidates:
            joined = dict(record)
            joined.update(by_id.get(str(record.get(CANDIDATE_ID)), _NO_SCORE))
            records.append(joined)
        ranking = [
            {CANDIDATE_ID: cid, **values}
            for cid, values in sorted(by_id.items(), key=lambda item: int(item[1][RANK]))
        ]
        about: dict[str, Any] = {"sha256": self.criteria_sha256}
        if criteria is not None:
            about.update(
                name=criteria.name,
                path=None if criteria.path is None else str(criteria.path),
                weights={c.key: c.weight for c in criteria.criteria},
                tie_break=list(criteria.tie_break),
            )
        return {
            "schema": schema.SCORES_SCHEMA,
            "criteria": about,
            "notes": list(self.notes),
            "ranking": ranking,
            "candidates": records,
            "issues": [dict(issue) for issue in issues],
        }


_NO_SCORE: Final[Mapping[str, Any]] = {SCORE: None, BREAKDOWN: None, RANK: None, MOTIVATION_SOURCE: None}


def _totals_by_id(totals: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {
        str(row[CANDIDATE_ID]): {
            SCORE: float(row[SCORE]),
            BREAKDOWN: {k: float(v) for k, v in row[BREAKDOWN].items()},
            RANK: int(row[RANK]),
            MOTIVATION_SOURCE: row[MOTIVATION_SOURCE],
        }
        for row in totals.to_dict("records")
    }


# --- the arithmetic --------------------------------------------------------------------------------


def _distinct(values: pd.Series, *, text: bool = False) -> pd.Series:
    """Each answer as a list without repeats (blank -> empty), so that explode() sees one shape.

    With `text`, free answers are compared without case or surrounding spaces, and blanks dropped.
    """

    def clean(value: object) -> list[str]:
        if not isinstance(value, list | tuple):
            return []
        if text:
            value = [v.strip().casefold() for v in value]
        return [v for v in dict.fromkeys(value) if v != ""]

    return values.map(clean)


def _rubric_raw(
    candidates: pd.DataFrame, spec: RubricSource, bounds: tuple[float, float], reviews: pd.DataFrame | None
) -> tuple[pd.Series, pd.Series]:
    index = candidates.index
    if reviews is None:
        rated = pd.DataFrame(np.nan, index=index, columns=list(spec.items))
    else:
        rated = reviews.reindex(index=index, columns=list(spec.items)).astype(float)
    # each item counts equally; an item nobody rated for this candidate is left out of its mean
    from_reviews = rated.mean(axis=1, skipna=True)
    reviewed = rated.notna().any(axis=1)
    raw = from_reviews.where(reviewed)
    source = pd.Series(np.where(reviewed, FROM_REVIEWS, FROM_NOTHING), index=index, dtype=object)
    if spec.fallback is not None:
        own = pd.to_numeric(candidates[spec.fallback], errors="coerce").astype(float)
        flow, fhigh = spec.fallback_bounds
        low, high = bounds
        rescaled = low + (own - flow) / (fhigh - flow) * (high - low)
        use_own = ~reviewed & own.notna()
        raw = raw.where(~use_own, rescaled)
        source = source.where(~use_own, FROM_SELF_ASSESSMENT)
    return raw.fillna(spec.unknown), source


def _choices_raw(candidates: pd.DataFrame, spec: ChoicesSource) -> pd.Series:
    n = len(candidates)
    exploded: dict[str, tuple[np.ndarray, pd.Series]] = {}
    total = np.zeros(n)
    covered: dict[str, np.ndarray] = {}
    for group in spec.groups:
        if group.field not in exploded:
            ticked = _distinct(candidates[group.field].reset_index(drop=True)).explode().dropna()
            exploded[group.field] = (ticked.index.to_numpy(dtype=np.int64), ticked)
        rows, codes = exploded[group.field]
        scored = codes.map(dict(group.points)).to_numpy(dtype=float)  # NaN: a code outside this group
        in_group = ~np.isnan(scored)
        points = np.bincount(rows[in_group], weights=scored[in_group], minlength=n)
        has_answer = np.bincount(rows[in_group], minlength=n) > 0
        if group.free_field is not None:
            count = _distinct(candidates[group.free_field], text=True).map(len).to_numpy(dtype=float)
            points = points + group.free_points * count
            has_answer = has_answer | (count > 0)
        if group.cap is not None:
            points = np.minimum(points, group.cap)
        total = total + points
        covered[group.key] = has_answer
    if spec.bonus_when:
        all_covered = np.logical_and.reduce([covered[k] for k in spec.bonus_when])
        total = total + spec.bonus * all_covered
    return pd.Series(total, index=candidates.index, dtype=float)


def _answer_raw(candidates: pd.DataFrame, spec: AnswerSource) -> pd.Series:
    answer = candidates[spec.field]
    is_yes = answer.map(lambda v: v is True or v is np.True_)
    is_no = answer.map(lambda v: v is False or v is np.False_)
    values = np.select([is_yes.to_numpy(bool), is_no.to_numpy(bool)], [spec.yes, spec.no], spec.unknown)
    return pd.Series(values, index=candidates.index, dtype=float)


def criterion_raw(
    candidates: pd.DataFrame, criterion: Criterion, reviews: pd.DataFrame | None = None
) -> tuple[pd.Series, pd.Series]:
    """Raw value and its source for each candidate (index: candidate_id) on one criterion."""
    spec = criterion.spec
    if isinstance(spec, RubricSource):
        return _rubric_raw(candidates, spec, criterion.bounds, reviews)
    source = pd.Series(FROM_FORM, index=candidates.index, dtype=object)
    if isinstance(spec, ChoicesSource):
        return _choices_raw(candidates, spec), source
    if isinstance(spec, AnswerSource):
        return _answer_raw(candidates, spec), source
    raise TypeError(f"criterion {criterion.key!r} has no source specification")


def _rank_order(candidates: pd.DataFrame, total: np.ndarray, tie_break: Sequence[str]) -> np.ndarray:
    """Row positions, best first: higher score, then the tie-break chain ascending, then candidate_id."""
    keys = {"__score": total}
    for i, key in enumerate(tie_break):
        keys[f"__tie{i}"] = candidates[key].to_numpy()
    keys["__id"] = candidates.index.to_numpy(dtype=str)
    table = pd.DataFrame(keys)
    ordered = table.sort_values(
        list(keys), ascending=[False] + [True] * (len(keys) - 1), na_position="last", kind="mergesort"
    )
    positions: np.ndarray = ordered.index.to_numpy()
    return positions


@dataclass(frozen=True, eq=False)
class ScoreMatrix:
    """The criteria's values before weighing: n candidates x k criteria, each normalised to [0, 1]
    on the criterion's declared bounds (clipped). Rows are the scored candidates in table order,
    columns the criteria in the file's order; `weighted_scores` turns it into totals."""

    candidate_ids: tuple[str, ...]
    criteria: tuple[str, ...]
    values: np.ndarray  # n x k, in [0, 1]
    raw: np.ndarray  # n x k, on each criterion's own scale
    sources: np.ndarray  # n x k, where each raw value came from (FROM_REVIEWS, ...)


def _matrix(frame: pd.DataFrame, criteria: Criteria, reviews: pd.DataFrame | None) -> ScoreMatrix:
    """The matrix of `frame` (indexed by candidate_id as text); trusts its input."""
    shape = (len(frame), len(criteria.criteria))
    raw, normalised = np.zeros(shape), np.zeros(shape)
    source = np.empty(shape, dtype=object)
    for j, criterion in enumerate(criteria.criteria):
        values, origin = criterion_raw(frame, criterion, reviews)
        low, high = criterion.bounds
        raw[:, j] = values.to_numpy(dtype=float)
        normalised[:, j] = np.clip((raw[:, j] - low) / (high - low), 0.0, 1.0)
        source[:, j] = origin.to_numpy()
    return ScoreMatrix(
        candidate_ids=tuple(str(i) for i in frame.index),
        criteria=tuple(c.key for c in criteria.criteria),
        values=normalised,
        raw=raw,
        sources=source,
    )


def _indexed(
    candidates: pd.DataFrame, reviews: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    frame = candidates.set_index(candidates[CANDIDATE_ID].astype(str).to_numpy())
    if reviews is not None:
        reviews = reviews.set_axis(reviews.index.astype(str), axis=0)
    return frame, reviews


def criterion_matrix(
    candidates: pd.DataFrame, criteria: Criteria, reviews: pd.DataFrame | None = None
) -> ScoreMatrix:
    """The weight-free matrix of the eligible candidates (the rows `score` scores, checked as it
    checks them): one row per eligible candidate in table order, one column per criterion."""
    rows = _checked(candidates, criteria, reviews)
    frame, indexed = _indexed(rows, reviews)
    return _matrix(frame, criteria, indexed)


# At most this many numbers in one block of a many-weights product: the memory stays small.
_BLOCK: Final = 1 << 22


def _contributions(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each criterion's points, rounded, so that equal answers give equal points."""
    points: np.ndarray = np.round(weights * values, DECIMALS)
    return points


def weighted_scores(matrix: ScoreMatrix, weights: ArrayLike) -> np.ndarray:
    """Totals in points: `weights` in the matrix's criterion order, one vector (k) -> n totals, or
    S vectors (S x k) -> S x n totals, each row what that vector alone gives.

    A total is the sum of the rounded contributions, rounded, as `compute` makes it, so that a
    breakdown adds up to its score.
    """
    w = np.asarray(weights, dtype=float)
    k = len(matrix.criteria)
    if w.ndim not in (1, 2) or w.shape[-1] != k:
        raise ValueError(f"weights of shape {w.shape} for {k} criteria; give k or S x k weights")
    if not np.isfinite(w).all() or (w < 0).any():
        raise CriteriaError("weights must be numbers >= 0")
    if w.ndim == 1:
        total: np.ndarray = np.round(_contributions(matrix.values, w).sum(axis=1), DECIMALS)
        return total
    n = len(matrix.candidate_ids)
    out = np.empty((len(w), n))
    step = max(1, _BLOCK // max(1, n * k))
    for start in range(0, len(w), step):
        block = w[start : start + step, None, :]
        out[start : start + step] = np.round(
            _contributions(matrix.values[None, :, :], block).sum(axis=2), DECIMALS
        )
    return out


def compute(candidates: pd.DataFrame, criteria: Criteria, reviews: pd.DataFrame | None = None) -> Scores:
    """Score every row of `candidates` (already eligible, unique candidate_id); trusts its input."""
    frame, reviews = _indexed(candidates, reviews)
    ids = frame.index
    keys = [c.key for c in criteria.criteria]
    matrix = _matrix(frame, criteria, reviews)
    raw, normalised, source = matrix.raw, matrix.values, matrix.sources
    weights = np.array([c.weight for c in criteria.criteria], dtype=float)
    contribution = _contributions(normalised, weights)
    total = weighted_scores(matrix, weights)
    sources = {key: pd.Series(source[:, j], index=ids, dtype=object) for j, key in enumerate(keys)}
    order = _rank_order(frame, total, criteria.tie_break)
    ranked_ids = ids.to_numpy()[order]
    rubric_keys = [c.key for c in criteria.criteria if isinstance(c.spec, RubricSource)]
    motivation = (
        sources[rubric_keys[0]].to_numpy()[order] if rubric_keys else np.full(len(ids), None, dtype=object)
    )
    totals = pd.DataFrame(
        {
            CANDIDATE_ID: ranked_ids,
            SCORE: total[order],
            RANK: np.arange(1, len(ids) + 1, dtype=int),
            BREAKDOWN: [dict(zip(keys, map(float, row), strict=True)) for row in contribution[order]],
            MOTIVATION_SOURCE: motivation,
        },
        columns=list(TOTALS_COLUMNS),
    )
    # the detail frame follows the ranking, criteria in the file's order
    detail = pd.DataFrame(
        {
            CANDIDATE_ID: np.repeat(ranked_ids, len(keys)),
            CRITERION: np.tile(np.array(keys, dtype=object), len(ids)),
            RAW: np.round(raw[order], DECIMALS).ravel(),
            NORMALISED: np.round(normalised[order], DECIMALS).ravel(),
            WEIGHT: np.tile(weights, len(ids)),
            CONTRIBUTION: contribution[order].ravel(),
            SOURCE: source[order].ravel(),
        },
        columns=list(DETAIL_COLUMNS),
    )
    note_facts = _notes(criteria, sources, reviews, ids, _names(frame))
    return Scores(
        detail=detail,
        totals=totals,
        notes=[scoring_note_text(facts, "en") for facts in note_facts],
        note_facts=note_facts,
        criteria_sha256=criteria.sha256,
    )


def _names(frame: pd.DataFrame) -> dict[str, str]:
    """Candidate id -> municipality, for notes a person reads."""
    if schema.MUNICIPALITY not in frame.columns:
        return {}
    return {
        str(i): m
        for i, m in zip(frame.index, frame[schema.MUNICIPALITY], strict=True)
        if isinstance(m, str) and m
    }


def _listed(ids: Sequence[str], names: Mapping[str, str] | None = None) -> list[dict[str, str | None]]:
    """Candidates for a note's facts: id and municipality (None where it is not known)."""
    names = names or {}
    return [{"id": str(i), "name": names.get(i) or None} for i in ids]


def _notes(
    criteria: Criteria,
    sources: Mapping[str, pd.Series],
    reviews: pd.DataFrame | None,
    ids: pd.Index,
    names: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """What a person should know about where the rubric's values came from, as facts."""
    notes: list[dict[str, Any]] = []
    for criterion in criteria.criteria:
        spec = criterion.spec
        if not isinstance(spec, RubricSource):
            continue
        source = sources[criterion.key]
        own = sorted(source.index[source == FROM_SELF_ASSESSMENT])
        nothing = sorted(source.index[source == FROM_NOTHING])
        key = criterion.key
        if reviews is None and len(ids):
            notes.append(
                {"code": "no_reviews_self", "criterion": key, "fallback": spec.fallback}
                if spec.fallback
                else {"code": "no_reviews_raw", "criterion": key, "unknown": spec.unknown}
            )
        elif own:
            candidates = _listed(own, names)
            notes.append(
                {
                    "code": "self_assessment",
                    "criterion": key,
                    "fallback": spec.fallback,
                    "total": len(ids),
                    "candidates": candidates,
                }
            )
        if nothing:
            candidates = _listed(nothing, names)
            notes.append(
                {"code": "unknown", "criterion": key, "unknown": spec.unknown, "candidates": candidates}
            )
        if reviews is not None:
            items = [i for i in spec.items if i in reviews.columns]
            values = reviews.loc[reviews.index.isin(ids), items].to_numpy(dtype=float)
            low, high = criterion.bounds
            outside = int(np.count_nonzero((values < low) | (values > high)))
            if outside:
                notes.append({"code": "outside", "criterion": key, "n": outside, "low": low, "high": high})
    if reviews is not None:
        ignored = sorted(set(reviews.index) - set(ids))
        if ignored:
            notes.append({"code": "not_scored", "candidates": _listed(ignored, names)})
    return notes


# --- the validating front --------------------------------------------------------------------------


def _problem(where: str, row: object, column: str, value: object, expected: str) -> IntakeError:
    return IntakeError(f"{where}: candidate {row}, column {column!r}: {value!r} is not {expected}")


def _check_candidates(candidates: pd.DataFrame, criteria: Criteria) -> None:
    where = "candidates table"
    needed: list[str] = [CANDIDATE_ID, *criteria.tie_break]
    for criterion in criteria.criteria:
        spec = criterion.spec
        if isinstance(spec, RubricSource) and spec.fallback:
            needed.append(spec.fallback)
        elif isinstance(spec, ChoicesSource):
            for group in spec.groups:
                needed.append(group.field)
                if group.free_field:
                    needed.append(group.free_field)
        elif isinstance(spec, AnswerSource):
            needed.append(spec.field)
    missing = [c for c in dict.fromkeys(needed) if c not in candidates.columns]
    if missing:
        raise IntakeError(f"{where}: missing column(s) {', '.join(missing)}")
    ids = candidates[CANDIDATE_ID]
    blank = ids.map(schema.is_missing)
    if blank.any():
        raise IntakeError(f"{where}: row {int(np.flatnonzero(blank.to_numpy())[0])} has no candidate_id")
    duplicated = ids.astype(str)[ids.astype(str).duplicated()]
    if not duplicated.empty:
        raise IntakeError(f"{where}: candidate_id {duplicated.iloc[0]!r} appears more than once")
    for criterion in criteria.criteria:
        spec = criterion.spec
        if isinstance(spec, RubricSource) and spec.fallback:
            low, high = spec.fallback_bounds
            for cid, value in zip(ids, candidates[spec.fallback], strict=True):
                ok = schema.is_missing(value) or (
                    isinstance(value, int | float | np.integer | np.floating)
                    and not isinstance(value, bool)
                    and low <= float(value) <= high
                )
                if not ok:
                    raise _problem(where, cid, spec.fallback, value, f"a rating {low:g}..{high:g} or blank")
        elif isinstance(spec, ChoicesSource):
            for group in spec.groups:
                codes = CHOICE_FIELDS[group.field]
                for cid, value in zip(ids, candidates[group.field], strict=True):
                    if not (
                        schema.is_missing(value)
                        or (isinstance(value, list | tuple) and all(v in codes for v in value))
                    ):
                        raise _problem(where, cid, group.field, value, f"a list of {', '.join(codes)}")
                if group.free_field:
                    for cid, value in zip(ids, candidates[group.free_field], strict=True):
                        if not (
                            schema.is_missing(value)
                            or (isinstance(value, list | tuple) and all(isinstance(v, str) for v in value))
                        ):
                            raise _problem(where, cid, group.free_field, value, "a list of texts")
        elif isinstance(spec, AnswerSource):
            for cid, value in zip(ids, candidates[spec.field], strict=True):
                if not (schema.is_missing(value) or isinstance(value, bool | np.bool_)):
                    raise _problem(where, cid, spec.field, value, "true, false or blank")


def _check_reviews(reviews: pd.DataFrame, criteria: Criteria) -> None:
    where = "aggregated reviews"
    if not isinstance(reviews, pd.DataFrame):
        raise ReviewError(
            f"{where}: expected a DataFrame indexed by candidate_id, got {type(reviews).__name__}"
        )
    items = [item.key for item in criteria.rubric]
    unknown = [c for c in reviews.columns if c not in items]
    if unknown:
        raise ReviewError(
            f"{where}: unknown rubric item(s) {', '.join(map(str, unknown))}; valid: {', '.join(items)}"
        )
    if reviews.index.has_duplicates:
        raise ReviewError(
            f"{where}: candidate {reviews.index[reviews.index.duplicated()][0]!r} appears twice"
        )
    for column in reviews.columns:
        values = pd.to_numeric(reviews[column], errors="coerce")
        bad = (values.isna() & reviews[column].notna()) | np.isinf(values.astype(float))
        if bad.any():
            cid = reviews.index[bad.to_numpy()][0]
            raise ReviewError(
                f"{where}: candidate {cid!r}, item {column!r}: {reviews.loc[cid, column]!r} is not a number"
            )


def _check_criteria(criteria: Criteria) -> None:
    if not isinstance(criteria, Criteria):
        raise CriteriaError(f"expected Criteria (from load_criteria), got {type(criteria).__name__}")
    items = {item.key for item in criteria.rubric}
    for criterion in criteria.criteria:
        if criterion.spec is None:
            raise CriteriaError(
                f"criteria.{criterion.key}: no source specification; build it with load_criteria"
            )
        if not math.isfinite(criterion.weight) or criterion.weight < 0:
            raise CriteriaError(f"criteria.{criterion.key}.weight: {criterion.weight!r} is not a number >= 0")
        if isinstance(criterion.spec, RubricSource):
            missing = [i for i in criterion.spec.items if i not in items]
            if missing:
                raise CriteriaError(
                    f"criteria.{criterion.key}.items: unknown rubric item(s) {', '.join(missing)}"
                )


def eligible_rows(candidates: pd.DataFrame) -> pd.DataFrame:
    """The rows to score: those marked eligible, or every row when there is no `eligible` column."""
    if schema.ELIGIBLE not in candidates.columns:
        return candidates
    flags = candidates[schema.ELIGIBLE]
    bad = ~flags.map(lambda v: isinstance(v, bool | np.bool_))
    if bad.any():
        row = candidates.loc[bad.to_numpy()].iloc[0]
        raise _problem(
            "candidates table", row.get(CANDIDATE_ID), schema.ELIGIBLE, row[schema.ELIGIBLE], "true or false"
        )
    return candidates.loc[flags.astype(bool).to_numpy()]


def score(candidates: pd.DataFrame, criteria: Criteria, reviews: pd.DataFrame | None = None) -> Scores:
    """Score the eligible candidates after checking the table, the criteria and the aggregated reviews."""
    return compute(_checked(candidates, criteria, reviews), criteria, reviews)


def _checked(candidates: pd.DataFrame, criteria: Criteria, reviews: pd.DataFrame | None) -> pd.DataFrame:
    """The eligible rows, after checking the table, the criteria and the aggregated reviews."""
    if not isinstance(candidates, pd.DataFrame):
        raise IntakeError(f"candidates table: expected a DataFrame, got {type(candidates).__name__}")
    _check_criteria(criteria)
    if CANDIDATE_ID not in candidates.columns:
        raise IntakeError(f"candidates table: missing column(s) {CANDIDATE_ID}")
    rows = eligible_rows(candidates).copy()
    _check_candidates(rows, criteria)
    if reviews is not None:
        _check_reviews(reviews, criteria)
    return rows


def with_scores(candidates: pd.DataFrame, scores: Scores) -> pd.DataFrame:
    """Every row of `candidates` with score, breakdown, rank and motivation_source (None if not scored)."""
    out = candidates.copy()
    by_id = _totals_by_id(scores.totals)
    ids = out[CANDIDATE_ID].astype(str) if CANDIDATE_ID in out.columns else pd.Series([], dtype=str)
    for column in (SCORE, BREAKDOWN, RANK, MOTIVATION_SOURCE):
        out[column] = pd.Series(
            [by_id.get(cid, _NO_SCORE)[column] for cid in ids], index=out.index, dtype=object
        )
    return out


def ranking(candidates: pd.DataFrame, scores: Scores, *, top: int = 2) -> list[dict[str, Any]]:
    """Rows for a ranked table: rank, candidate, municipality, province, score and the top contributions."""
    names = candidates.set_index(candidates[CANDIDATE_ID].astype(str))
    rows = []
    for row in scores.totals.to_dict("records"):
        cid = str(row[CANDIDATE_ID])
        info = names.loc[cid] if cid in names.index else None
        contributions = sorted(row[BREAKDOWN].items(), key=lambda kv: (-kv[1], kv[0]))
        rows.append(
            {
                RANK: int(row[RANK]),
                CANDIDATE_ID: cid,
                schema.MUNICIPALITY: None if info is None else info.get(schema.MUNICIPALITY),
                schema.PROVINCE: None if info is None else info.get(schema.PROVINCE),
                SCORE: float(row[SCORE]),
                "top": [(key, float(value)) for key, value in contributions[:top] if value > 0],
                MOTIVATION_SOURCE: row[MOTIVATION_SOURCE],
            }
        )
    return rows
