"""scoring.py: hand-computed scores, the invariants of the arithmetic, and validation at the door."""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker import schema
from matchmaker.criteria import Criteria, load_criteria
from matchmaker.errors import CriteriaError, IntakeError, ReviewError
from matchmaker.i18n import LANGS
from matchmaker.i18n.wording import scoring_note_text
from matchmaker.scoring import (
    BREAKDOWN,
    CANDIDATE_ID,
    DETAIL_COLUMNS,
    FROM_FORM,
    FROM_NOTHING,
    FROM_REVIEWS,
    FROM_SELF_ASSESSMENT,
    MOTIVATION_SOURCE,
    RANK,
    SCORE,
    TOTALS_COLUMNS,
    ScoreMatrix,
    compute,
    criterion_matrix,
    eligible_rows,
    ranking,
    score,
    weighted_scores,
    with_scores,
)

CRITERIA = load_criteria()
ITEMS = [item.key for item in CRITERIA.rubric]


def candidate(cid: str, **answers: Any) -> dict[str, Any]:
    """One candidate record with every schema field; answers override the blank defaults."""
    record: dict[str, Any] = {
        schema.CANDIDATE_ID: cid,
        schema.SUBMISSION_ID: int(cid) if cid.isdigit() else 1,
        schema.STARTED: pd.Timestamp("2023-10-01 09:00"),
        schema.COMPLETED: pd.Timestamp("2023-10-01 10:00"),
        schema.NAME_AS_WRITTEN: f"Gemeente {cid}",
        schema.MUNICIPALITY: f"Gemeente {cid}",
        schema.REFNIS: cid if cid.isdigit() else None,
        schema.PROVINCE: "Antwerpen",
        schema.RESOLUTION: "exact",
        schema.COUNTRY_PREFERENCE: "any",
        schema.MOTIVATION: "Wij willen leren.",
        schema.PROJECTS: "",
        schema.INVOLVED: [],
        schema.OTHER_ACTORS: [],
        schema.OTHER_ACTORS_OTHER: [],
        schema.THEMES: [],
        schema.CITY_LINK: None,
        schema.LANGUAGES: ["nl", "fr"],
        schema.EQUAL_BASIS_RATING: None,
        schema.ELIGIBLE: True,
        schema.REASONS: [],
    }
    for commitment in schema.COMMITMENTS:
        record[commitment] = True
    record.update(answers)
    return record


def frame(*records: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(list(records), columns=list(candidate("1")))


def reviews_frame(ratings: dict[str, dict[str, float]]) -> pd.DataFrame:
    table = pd.DataFrame.from_dict(ratings, orient="index", columns=ITEMS, dtype=float)
    table.index.name = CANDIDATE_ID
    return table


# --- three candidates computed by hand (default criteria: weights 50 / 35 / 15) --------------------

GENT = candidate(
    "44021",
    involved=["mayor_aldermen", "council", "general_director", "civil_servants"],
    other_actors=["civil_society", "schools"],
    other_actors_other=["Jeugdraad"],
    city_link=False,
    equal_basis_rating=4,
    completed=pd.Timestamp("2023-10-05 12:00"),
)
ANTWERPEN = candidate(
    "11002",
    involved=["council"],
    other_actors=["civil_society", "schools", "companies", "advisory_council"],
    other_actors_other=["Jeugdraad", "Seniorenraad"],
    city_link=True,
    equal_basis_rating=5,
)
BRUGGE = candidate("31005", involved=["civil_servants"], city_link=None, equal_basis_rating=None)
NOT_ELIGIBLE = candidate(
    "row-9", involved=["council"], eligible=False, reasons=["commit_visit: not answered 'Ja'"]
)
# Brugge was reviewed (concreteness by nobody); the others were not, so their self-assessment stands in.
REVIEWS = reviews_frame({"31005": {"equal_basis": 4.0, "openness": 3.0, "concreteness": math.nan}})

# Gent:      motivation  self-assessment 4 on 1..5: (4 - 1) / 4 = 0.75         x 50 = 37.5
#            involvement 1.5 + 1 + 1.5 + 1 (all four roles) + 2 (both levels)
#                        + other actors 1 + 1 + 0.5 (one free answer) = 2.5 (under the cap of 3)
#                        = 9.5 on 0..10: 0.95                                   x 35 = 33.25
#            no city link: "Nee" -> 1                                           x 15 = 15
#            total 85.75
# Antwerpen: motivation  self-assessment 5: 1.0                                 x 50 = 50
#            involvement council 1, no administrative level so no bonus,
#                        other actors 4 x 1 + 2 x 0.5 = 5, capped at 3 -> 4: 0.4 x 35 = 14
#            city link "Ja" -> 0                                                x 15 = 0
#            total 64
# Brugge:    motivation  reviews: mean of 4 and 3 (concreteness unrated) = 3.5:
#                        (3.5 - 1) / 4 = 0.625                                  x 50 = 31.25
#            involvement civil servants 1: 0.1                                  x 35 = 3.5
#            city link unanswered -> the configured unknown value 0             x 15 = 0
#            total 34.75
EXPECTED = {
    "44021": (85.75, {"motivation": 37.5, "involvement": 33.25, "no_city_link": 15.0}),
    "11002": (64.0, {"motivation": 50.0, "involvement": 14.0, "no_city_link": 0.0}),
    "31005": (34.75, {"motivation": 31.25, "involvement": 3.5, "no_city_link": 0.0}),
}


def test_three_candidates_by_hand() -> None:
    scores = score(frame(BRUGGE, GENT, NOT_ELIGIBLE, ANTWERPEN), CRITERIA, REVIEWS)
    totals = scores.totals
    assert list(totals.columns) == list(TOTALS_COLUMNS)
    assert list(totals[CANDIDATE_ID]) == ["44021", "11002", "31005"]
    assert list(totals[RANK]) == [1, 2, 3]
    for row in totals.to_dict("records"):
        expected_score, expected_breakdown = EXPECTED[row[CANDIDATE_ID]]
        assert row[SCORE] == pytest.approx(expected_score, abs=1e-9)
        assert row[BREAKDOWN] == pytest.approx(expected_breakdown, abs=1e-9)
    assert dict(zip(totals[CANDIDATE_ID], totals[MOTIVATION_SOURCE], strict=True)) == {
        "44021": FROM_SELF_ASSESSMENT,
        "11002": FROM_SELF_ASSESSMENT,
        "31005": FROM_REVIEWS,
    }
    assert any(
        "2 of 3 candidates without reviews" in note
        and "Gemeente 11002 (11002), Gemeente 44021 (44021)" in note
        for note in scores.notes
    )


def test_detail_frame_holds_raw_normalised_weight_contribution_and_source() -> None:
    detail = score(frame(GENT, ANTWERPEN, BRUGGE), CRITERIA, REVIEWS).detail
    assert list(detail.columns) == list(DETAIL_COLUMNS)
    assert len(detail) == 3 * 3
    row = detail.set_index([CANDIDATE_ID, "criterion"]).loc[("11002", "involvement")]
    assert (row["raw"], row["normalised"], row["weight"], row["contribution"]) == (4.0, 0.4, 35.0, 14.0)
    assert row["source"] == FROM_FORM
    brugge = detail.set_index([CANDIDATE_ID, "criterion"]).loc[("31005", "motivation")]
    assert (brugge["raw"], brugge["normalised"], brugge["source"]) == (3.5, 0.625, FROM_REVIEWS)
    # the breakdown is the contribution column, per candidate
    sums = detail.groupby(CANDIDATE_ID)["contribution"].sum()
    assert sums.to_dict() == pytest.approx({cid: total for cid, (total, _) in EXPECTED.items()})


def test_without_reviews_the_self_assessment_stands_in_and_is_named() -> None:
    scores = score(frame(GENT, BRUGGE), CRITERIA)
    by_id = scores.totals.set_index(CANDIDATE_ID)
    assert by_id.loc["44021", MOTIVATION_SOURCE] == FROM_SELF_ASSESSMENT
    # Brugge gave no self-assessment either: the configured unknown raw value 1 counts 0 points
    assert by_id.loc["31005", MOTIVATION_SOURCE] == FROM_NOTHING
    assert by_id.loc["31005", SCORE] == pytest.approx(3.5)
    assert any(note.startswith("motivation: no reviews given") for note in scores.notes)
    assert any("neither reviews nor a self-assessment" in note and "31005" in note for note in scores.notes)


def test_leniency_corrected_ratings_beyond_the_scale_are_kept_within_bounds() -> None:
    reviews = reviews_frame({"44021": {"equal_basis": 5.6, "openness": 5.2, "concreteness": 5.2}})
    scores = score(frame(GENT), CRITERIA, reviews)
    assert scores.breakdown("44021")["motivation"] == 50.0
    assert any("outside 1..5" in note for note in scores.notes)


def test_reviews_of_unscored_candidates_are_left_out_with_a_note() -> None:
    reviews = reviews_frame({"row-9": {"equal_basis": 5, "openness": 5, "concreteness": 5}})
    scores = score(frame(GENT, NOT_ELIGIBLE), CRITERIA, reviews)
    assert list(scores.totals[CANDIDATE_ID]) == ["44021"]
    assert any("row-9" in note and "left out" in note for note in scores.notes)


def test_with_scores_keeps_every_row_and_the_reasons() -> None:
    candidates = frame(GENT, NOT_ELIGIBLE, BRUGGE)
    scored = with_scores(candidates, score(candidates, CRITERIA, REVIEWS))
    assert len(scored) == 3
    assert list(scored[CANDIDATE_ID]) == ["44021", "row-9", "31005"]
    gent, ineligible, brugge = scored.to_dict("records")
    assert gent[SCORE] == pytest.approx(85.75)
    assert gent[RANK] == 1 and brugge[RANK] == 2
    assert brugge[BREAKDOWN] == pytest.approx(EXPECTED["31005"][1])
    assert ineligible[SCORE] is None and ineligible[RANK] is None and ineligible[BREAKDOWN] is None
    assert ineligible[schema.REASONS] == ["commit_visit: not answered 'Ja'"]
    assert SCORE not in candidates.columns  # the input is left alone


def test_ties_are_broken_by_completion_time_then_refnis() -> None:
    same = {"involved": ["council"], "equal_basis_rating": 3}
    early = candidate("46003", completed=pd.Timestamp("2023-10-01 08:00"), **same)
    late_low = candidate("11001", completed=pd.Timestamp("2023-10-02 08:00"), **same)
    late_high = candidate("11004", completed=pd.Timestamp("2023-10-02 08:00"), **same)
    for order in ([late_high, late_low, early], [early, late_high, late_low]):
        totals = score(frame(*order), CRITERIA).totals
        assert totals[SCORE].nunique() == 1
        assert list(totals[CANDIDATE_ID]) == ["46003", "11001", "11004"]
    # a different chain: the REFNIS code alone
    refnis_first = Criteria(
        version=1, name="t", criteria=CRITERIA.criteria, rubric=CRITERIA.rubric, tie_break=("refnis",)
    )
    totals = score(frame(early, late_high, late_low), refnis_first).totals
    assert list(totals[CANDIDATE_ID]) == ["11001", "11004", "46003"]


def test_pure_core_and_front_agree() -> None:
    candidates = frame(GENT, ANTWERPEN, BRUGGE)
    front = score(candidates, CRITERIA, REVIEWS)
    core = compute(candidates, CRITERIA, REVIEWS)
    pd.testing.assert_frame_equal(front.totals, core.totals)
    pd.testing.assert_frame_equal(front.detail, core.detail)


def test_zero_candidates() -> None:
    scores = score(frame(NOT_ELIGIBLE), CRITERIA)
    assert scores.totals.empty and scores.detail.empty
    assert list(scores.totals.columns) == list(TOTALS_COLUMNS)


def test_ranking_rows_for_the_table() -> None:
    candidates = frame(GENT, ANTWERPEN, BRUGGE)
    rows = ranking(candidates, score(candidates, CRITERIA, REVIEWS), top=2)
    assert [r["candidate_id"] for r in rows] == ["44021", "11002", "31005"]
    assert rows[0]["top"] == [("motivation", 37.5), ("involvement", 33.25)]
    assert rows[1]["municipality"] == "Gemeente 11002" and rows[1]["province"] == "Antwerpen"


def test_to_json_joins_scores_into_every_record() -> None:
    candidates = frame(GENT, NOT_ELIGIBLE)
    scores = score(candidates, CRITERIA)
    records = [{CANDIDATE_ID: "44021", "municipality": "Gent"}, {CANDIDATE_ID: "row-9", "eligible": False}]
    doc = scores.to_json(records, criteria=CRITERIA)
    assert doc["schema"] == schema.SCORES_SCHEMA
    assert doc["criteria"]["sha256"] == CRITERIA.sha256
    assert doc["criteria"]["weights"] == {"motivation": 50.0, "involvement": 35.0, "no_city_link": 15.0}
    gent, other = doc["candidates"]
    assert gent[SCORE] == pytest.approx(85.75) and gent[RANK] == 1 and gent["municipality"] == "Gent"
    assert other[SCORE] is None and other[BREAKDOWN] is None
    assert doc["ranking"] == [
        {
            CANDIDATE_ID: "44021",
            **{k: gent[k] for k in (SCORE, BREAKDOWN, RANK)},
            MOTIVATION_SOURCE: FROM_SELF_ASSESSMENT,
        }
    ]


# --- validation at the door ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"involved": ["mayor"]},
            "candidate 44021, column 'involved': ['mayor'] is not a list of mayor_aldermen",
        ),
        ({"involved": "council"}, "column 'involved': 'council' is not a list"),
        ({"other_actors_other": [3]}, "column 'other_actors_other': [3] is not a list of texts"),
        ({"city_link": "Ja"}, "column 'city_link': 'Ja' is not true, false or blank"),
        ({"equal_basis_rating": 7}, "column 'equal_basis_rating': 7 is not a rating 1..5 or blank"),
        ({"equal_basis_rating": "4"}, "column 'equal_basis_rating': '4' is not a rating"),
        ({"eligible": "yes"}, "column 'eligible': 'yes' is not true or false"),
    ],
)
def test_bad_candidate_values_are_named(change: dict[str, Any], message: str) -> None:
    with pytest.raises(IntakeError, match="candidates table: ") as caught:
        score(frame(candidate("44021", **change)), CRITERIA)
    assert message in str(caught.value)


def test_missing_columns_and_duplicate_ids() -> None:
    with pytest.raises(IntakeError, match="missing column\\(s\\) city_link"):
        score(frame(GENT).drop(columns=[schema.CITY_LINK]), CRITERIA)
    with pytest.raises(IntakeError, match="missing column\\(s\\) candidate_id"):
        score(frame(GENT).drop(columns=[CANDIDATE_ID]), CRITERIA)
    with pytest.raises(IntakeError, match="candidate_id '44021' appears more than once"):
        score(frame(GENT, GENT), CRITERIA)
    with pytest.raises(IntakeError, match="expected a DataFrame"):
        score([GENT], CRITERIA)  # type: ignore[arg-type]


def test_bad_reviews_are_named() -> None:
    candidates = frame(GENT)
    with pytest.raises(ReviewError, match="unknown rubric item\\(s\\) charm; valid: equal_basis"):
        score(candidates, CRITERIA, pd.DataFrame({"charm": [3.0]}, index=["44021"]))
    with pytest.raises(ReviewError, match="candidate '44021', item 'openness': 'veel' is not a number"):
        score(candidates, CRITERIA, pd.DataFrame({"openness": ["veel"]}, index=["44021"]))
    with pytest.raises(ReviewError, match="appears twice"):
        score(candidates, CRITERIA, pd.DataFrame({"openness": [3.0, 4.0]}, index=["44021", "44021"]))


def test_criteria_built_by_hand_without_specs_are_refused() -> None:
    bare = Criteria(
        version=1,
        name="bare",
        criteria=(type(CRITERIA.criteria[0])(key="x", label="x", weight=1.0, source="rubric"),),
    )
    with pytest.raises(CriteriaError, match=r"criteria\.x: no source specification"):
        score(frame(GENT), bare)


# --- properties ------------------------------------------------------------------------------------

INVOLVED = st.lists(st.sampled_from(schema.INVOLVED_CODES), unique=True)
ACTORS = st.lists(st.sampled_from(schema.OTHER_ACTOR_CODES), unique=True)
FREE = st.lists(
    st.sampled_from(["Jeugdraad", "jeugdraad", "Seniorenraad", "Bibliotheek", " ", "OCMW"]), max_size=4
)
WEIGHTS = st.fixed_dictionaries(
    {c.key: st.sampled_from([0.0, 5.0, 15.0, 35.0, 50.0, 60.0]) for c in CRITERIA.criteria}
)
RATING = st.one_of(st.none(), st.integers(1, 5))
REVIEW = st.one_of(st.none(), st.floats(1, 5, allow_nan=False), st.just(math.nan))


@st.composite
def candidates(draw: st.DrawFn, cid: str) -> dict[str, Any]:
    return candidate(
        cid,
        involved=draw(INVOLVED),
        other_actors=draw(ACTORS),
        other_actors_other=draw(FREE),
        city_link=draw(st.sampled_from([True, False, None])),
        equal_basis_rating=draw(RATING),
        completed=pd.Timestamp("2023-10-01") + pd.Timedelta(minutes=draw(st.integers(0, 10_000))),
    )


@st.composite
def pools(draw: st.DrawFn) -> tuple[list[dict[str, Any]], pd.DataFrame | None]:
    size = draw(st.integers(1, 6))
    ids = [f"{10000 + 7 * i}" for i in range(size)]
    records = [draw(candidates(cid)) for cid in ids]
    if not draw(st.booleans()):
        return records, None
    rows = {}
    for cid in ids:
        values = [draw(REVIEW) for _ in ITEMS]
        if any(v is not None for v in values):
            rows[cid] = {item: math.nan if v is None else v for item, v in zip(ITEMS, values, strict=True)}
    return records, reviews_frame(rows) if rows else None


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def totals_of(
    records: list[dict[str, Any]], criteria: Criteria, reviews: pd.DataFrame | None
) -> dict[str, float]:
    totals = score(frame(*records), criteria, reviews).totals
    return dict(zip(totals[CANDIDATE_ID], totals[SCORE], strict=True))


@PROPERTY
@given(pools(), WEIGHTS, INVOLVED, ACTORS, FREE, st.data())
def test_broader_involvement_never_lowers_a_score(
    pool: tuple[list[dict[str, Any]], pd.DataFrame | None],
    weights: dict[str, float],
    more_involved: list[str],
    more_actors: list[str],
    more_free: list[str],
    data: st.DataObject,
) -> None:
    records, reviews = pool
    criteria = CRITERIA.with_weights(weights)
    i = data.draw(st.integers(0, len(records) - 1))
    before = totals_of(records, criteria, reviews)
    broader = dict(records[i])
    broader[schema.INVOLVED] = list(dict.fromkeys([*broader[schema.INVOLVED], *more_involved]))
    broader[schema.OTHER_ACTORS] = list(dict.fromkeys([*broader[schema.OTHER_ACTORS], *more_actors]))
    broader[schema.OTHER_ACTORS_OTHER] = [*broader[schema.OTHER_ACTORS_OTHER], *more_free]
    after = totals_of([*records[:i], broader, *records[i + 1 :]], criteria, reviews)
    cid = broader[CANDIDATE_ID]
    assert after[cid] >= before[cid]


@PROPERTY
@given(pools(), WEIGHTS, st.data())
def test_an_existing_city_link_never_raises_a_score(
    pool: tuple[list[dict[str, Any]], pd.DataFrame | None], weights: dict[str, float], data: st.DataObject
) -> None:
    records, reviews = pool
    criteria = CRITERIA.with_weights(weights)
    i = data.draw(st.integers(0, len(records) - 1))
    cid = records[i][CANDIDATE_ID]
    scores = {}
    for answer in (True, False, None):
        changed = [*records[:i], {**records[i], schema.CITY_LINK: answer}, *records[i + 1 :]]
        scores[answer] = totals_of(changed, criteria, reviews)[cid]
    assert scores[True] <= scores[False]
    assert scores[True] <= scores[None]


@PROPERTY
@given(pools(), WEIGHTS, st.data())
def test_adding_or_removing_another_candidate_changes_no_score(
    pool: tuple[list[dict[str, Any]], pd.DataFrame | None], weights: dict[str, float], data: st.DataObject
) -> None:
    records, reviews = pool
    criteria = CRITERIA.with_weights(weights)
    full = totals_of(records, criteria, reviews)
    i = data.draw(st.integers(0, len(records) - 1))
    fewer = totals_of([*records[:i], *records[i + 1 :]], criteria, reviews)
    newcomer = data.draw(candidates("99999"))
    more = totals_of([*records, newcomer], criteria, reviews)
    for cid, value in fewer.items():
        assert value == full[cid]
    for cid, value in full.items():
        assert more[cid] == value


FIELDS_OF = {
    "motivation": [schema.EQUAL_BASIS_RATING],
    "involvement": [schema.INVOLVED, schema.OTHER_ACTORS, schema.OTHER_ACTORS_OTHER],
    "no_city_link": [schema.CITY_LINK],
}


@PROPERTY
@given(pools(), WEIGHTS, st.sampled_from(sorted(FIELDS_OF)), st.randoms(use_true_random=False))
def test_a_zero_weight_makes_its_criterion_irrelevant(
    pool: tuple[list[dict[str, Any]], pd.DataFrame | None],
    weights: dict[str, float],
    key: str,
    rng: random.Random,
) -> None:
    records, reviews = pool
    criteria = CRITERIA.with_weights({**weights, key: 0.0})
    # give every candidate another candidate's answers on the fields only this criterion reads
    shuffled = rng.sample(records, len(records))
    changed = [{**r, **{f: s[f] for f in FIELDS_OF[key]}} for r, s in zip(records, shuffled, strict=True)]
    if key == "motivation":
        reviews = None if reviews is None else reviews.sample(frac=1.0, random_state=rng.randrange(1000))
        reviews = None if reviews is None else reviews.set_axis(rng.sample(list(reviews.index), len(reviews)))
    before = score(frame(*records), criteria, pool[1])
    after = score(frame(*changed), criteria, reviews)
    assert dict(zip(after.totals[CANDIDATE_ID], after.totals[SCORE], strict=True)) == dict(
        zip(before.totals[CANDIDATE_ID], before.totals[SCORE], strict=True)
    )
    assert (after.detail.loc[after.detail["criterion"] == key, "contribution"] == 0).all()


@PROPERTY
@given(pools())
def test_row_order_does_not_matter(pool: tuple[list[dict[str, Any]], pd.DataFrame | None]) -> None:
    records, reviews = pool
    forward = score(frame(*records), CRITERIA, reviews).totals
    backward = score(frame(*reversed(records)), CRITERIA, reviews).totals
    pd.testing.assert_frame_equal(forward, backward)
    assert list(forward[RANK]) == list(range(1, len(records) + 1))
    assert forward[SCORE].between(0, 100).all()
    assert np.allclose(forward[SCORE], [sum(b.values()) for b in forward[BREAKDOWN]], atol=1e-9)


# --- the weight-free matrix and the weighted sum ---------------------------------------------------

ANY_WEIGHTS = st.fixed_dictionaries(
    {c.key: st.floats(0, 1000, allow_nan=False, allow_infinity=False) for c in CRITERIA.criteria}
)


def test_the_matrix_holds_the_eligible_candidates_normalised_on_the_bounds() -> None:
    table = frame(GENT, ANTWERPEN, BRUGGE, candidate("12345", eligible=False))
    matrix = criterion_matrix(table, CRITERIA)
    assert isinstance(matrix, ScoreMatrix)
    assert matrix.candidate_ids == ("44021", "11002", "31005")
    assert matrix.criteria == tuple(c.key for c in CRITERIA.criteria)
    assert matrix.values.shape == matrix.raw.shape == matrix.sources.shape == (3, len(CRITERIA.criteria))
    assert ((matrix.values >= 0) & (matrix.values <= 1)).all()
    for j, criterion in enumerate(CRITERIA.criteria):
        low, high = criterion.bounds
        expected = np.clip((matrix.raw[:, j] - low) / (high - low), 0, 1)
        assert matrix.values[:, j].tolist() == expected.tolist()
    detail = score(table, CRITERIA).detail
    for i, cid in enumerate(matrix.candidate_ids):
        rows = detail[detail[CANDIDATE_ID] == cid]
        assert rows["normalised"].tolist() == np.round(matrix.values[i], 4).tolist()
        assert rows["source"].tolist() == matrix.sources[i].tolist()
    with pytest.raises(IntakeError, match="missing column"):
        criterion_matrix(table.drop(columns=[schema.INVOLVED]), CRITERIA)


def test_weights_must_fit_the_matrix() -> None:
    matrix = criterion_matrix(frame(GENT, BRUGGE), CRITERIA)
    k = len(matrix.criteria)
    with pytest.raises(ValueError, match="shape"):
        weighted_scores(matrix, np.ones(k + 1))
    with pytest.raises(ValueError, match="shape"):
        weighted_scores(matrix, np.ones((2, 2, k)))
    with pytest.raises(CriteriaError, match=">= 0"):
        weighted_scores(matrix, [-1.0] + [1.0] * (k - 1))
    assert weighted_scores(matrix, np.zeros((0, k))).shape == (0, 2)


@PROPERTY
@given(pools(), ANY_WEIGHTS)
def test_compute_totals_are_the_weighted_matrix(
    pool: tuple[list[dict[str, Any]], pd.DataFrame | None], weights: dict[str, float]
) -> None:
    records, reviews = pool
    table = frame(*records)
    criteria = CRITERIA.with_weights(weights)
    totals = compute(eligible_rows(table), criteria, reviews).totals
    matrix = criterion_matrix(table, CRITERIA, reviews)
    vector = np.array([c.weight for c in criteria.criteria])
    by_id = dict(zip(matrix.candidate_ids, weighted_scores(matrix, vector).tolist(), strict=True))
    assert dict(zip(totals[CANDIDATE_ID], totals[SCORE].tolist(), strict=True)) == by_id


@PROPERTY
@given(pools(), st.lists(ANY_WEIGHTS, min_size=1, max_size=5))
def test_many_weight_vectors_at_once_equal_one_at_a_time(
    pool: tuple[list[dict[str, Any]], pd.DataFrame | None], many: list[dict[str, float]]
) -> None:
    records, reviews = pool
    matrix = criterion_matrix(frame(*records), CRITERIA, reviews)
    vectors = np.array([[w[key] for key in matrix.criteria] for w in many])
    together = weighted_scores(matrix, vectors)
    assert together.shape == (len(many), len(matrix.candidate_ids))
    for row, vector in zip(together, vectors, strict=True):
        assert row.tolist() == weighted_scores(matrix, vector).tolist()


def test_many_weight_vectors_in_small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    from matchmaker import scoring

    matrix = criterion_matrix(frame(GENT, ANTWERPEN, BRUGGE), CRITERIA)
    vectors = np.random.default_rng(1).uniform(0, 100, size=(7, len(matrix.criteria)))
    whole = weighted_scores(matrix, vectors)
    monkeypatch.setattr(scoring, "_BLOCK", 1)
    assert weighted_scores(matrix, vectors).tolist() == whole.tolist()


def test_notes_are_their_facts_worded_in_english_and_read_in_every_language() -> None:
    cases = [
        score(frame(GENT, BRUGGE), CRITERIA),
        score(frame(GENT, ANTWERPEN, BRUGGE), CRITERIA, REVIEWS),
        score(frame(GENT), CRITERIA, reviews_frame({"44021": {"equal_basis": 5.6, "openness": 5.2}})),
        score(
            frame(GENT, NOT_ELIGIBLE), CRITERIA, reviews_frame({"row-9": {"equal_basis": 5, "openness": 5}})
        ),
    ]
    codes = set()
    for scores in cases:
        assert len(scores.note_facts) == len(scores.notes) > 0
        for facts, note in zip(scores.note_facts, scores.notes, strict=True):
            codes.add(facts["code"])
            assert scoring_note_text(facts, "en") == note
            worded = [scoring_note_text(facts, lang) for lang in LANGS]
            assert len(set(worded)) == 3, worded
            assert "\u00a0:" in worded[2]
    assert codes >= {"no_reviews_self", "unknown", "self_assessment", "outside", "not_scored"}


def test_a_long_list_of_candidates_in_a_note_is_cut_in_each_language() -> None:
    facts = {"code": "not_scored", "candidates": [{"id": f"row-{i}", "name": None} for i in range(25)]}
    assert scoring_note_text(facts, "en").endswith("row-19 and 5 more")
    assert scoring_note_text(facts, "nl").endswith("row-19 en nog 5")
    assert scoring_note_text(facts, "fr").endswith("row-19 et 5 de plus")
    one = {
        "code": "unknown",
        "criterion": "motivation",
        "unknown": 2.5,
        "candidates": [{"id": "1", "name": "Gent"}],
    }
    assert scoring_note_text(one, "en") == (
        "motivation: 1 candidate with neither reviews nor a self-assessment, "
        "scored as the raw value 2.5: Gent (1)"
    )
    assert "ruwe waarde 2,5: Gent (1)" in scoring_note_text(one, "nl")
