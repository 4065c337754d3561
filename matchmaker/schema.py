"""Field names and codes shared by every stage: the candidate record and the JSON documents.

Intake produces these fields, scoring and pairing read them, export writes them. Option texts from
the form become the short codes below through the mapping in `criteria/form-mapping.toml`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, NotRequired, TypedDict

INTAKE_SCHEMA: Final = "matchmaker.intake/1"
SCORES_SCHEMA: Final = "matchmaker.scores/1"
RESULT_SCHEMA: Final = "matchmaker.result/1"

# --- the candidate record (one per submission) -------------------------------------------------
CANDIDATE_ID: Final = "candidate_id"  # REFNIS of the submission that counts, else "row-<Id>"
SUBMISSION_ID: Final = "submission_id"  # the export's Id (int)
STARTED: Final = "started"  # datetime (ISO 8601 string in JSON)
COMPLETED: Final = "completed"  # datetime; the latest completed submission of a municipality counts
RESPONDENT_EMAIL: Final = "respondent_email"
RESPONDENT: Final = "respondent"
NAME_AS_WRITTEN: Final = "name_as_written"
CONTACT_NAME: Final = "contact_name"
CONTACT_FUNCTION: Final = "contact_function"
CONTACT_EMAIL: Final = "contact_email"
COUNTRY_PREFERENCE: Final = "country_preference"  # "Rwanda" | "Benin" | "any" | None
MOTIVATION: Final = "motivation"  # free text
PROJECTS: Final = "projects"  # free text
INVOLVED: Final = "involved"  # list of INVOLVED_CODES
OTHER_ACTORS: Final = "other_actors"  # list of OTHER_ACTOR_CODES
OTHER_ACTORS_OTHER: Final = "other_actors_other"  # list of free-text "other" answers
THEMES: Final = "themes"  # list of THEME_CODES
CITY_LINK: Final = "city_link"  # bool | None
CITY_LINK_PARTNER: Final = "city_link_partner"  # free text
COMMIT_SESSIONS: Final = "commit_sessions"  # bool | None
COMMIT_VISIT: Final = "commit_visit"
COMMIT_TIME: Final = "commit_time"
COMMIT_FEEDBACK: Final = "commit_feedback"
LANGUAGES: Final = "languages"  # list of LANGUAGE_CODES
BOARD_APPROVAL: Final = "board_approval"  # "yes" | "no" | "pending" | None
EQUAL_BASIS_RATING: Final = "equal_basis_rating"  # int 1..5 | None (self-assessment)
# resolution of the municipality name
MUNICIPALITY: Final = "municipality"  # official Dutch name, or None
REFNIS: Final = "refnis"  # 5-digit REFNIS code as a string, or None
PROVINCE: Final = "province"  # e.g. "Oost-Vlaanderen", or None
RESOLUTION: Final = "resolution"  # one of RESOLUTIONS
RESOLUTION_NOTE: Final = "resolution_note"  # e.g. "merged into Merelbeke-Melle on 2025-01-01"
RESOLUTION_FACTS: Final = "resolution_facts"  # the note's facts: {"code": reference.NOTE_CODES, ...} | None
SUPERSEDED_BY: Final = "superseded_by"  # submission_id of the later submission, or None
ELIGIBLE: Final = "eligible"  # bool
REASONS: Final = "reasons"  # list of readable reasons it is not eligible (or superseded)
# parallel to REASONS, the facts of each: {"code": one of REASON_KINDS, ...}, worded per language
REASON_CODES: Final = "reason_codes"
REASON_KINDS: Final = ("superseded", "not_flemish", "unresolved", "refuses", "not_confirmed")
# added by scoring, for eligible candidates (None otherwise)
SCORE: Final = "score"  # float
BREAKDOWN: Final = "breakdown"  # {criterion: contribution}
RANK: Final = "rank"  # int, 1 = best

RESOLUTIONS: Final = ("exact", "alias", "merged", "postal", "fuzzy", "not-flemish", "unresolved")
PREFERENCE_CODES: Final = ("Rwanda", "Benin", "any")
INVOLVED_CODES: Final = ("mayor_aldermen", "council", "general_director", "civil_servants")
OTHER_ACTOR_CODES: Final = ("civil_society", "schools", "companies", "advisory_council")
THEME_CODES: Final = ("innovation", "decent_work", "inequality", "renewable_energy")
LANGUAGE_CODES: Final = ("nl", "fr", "en")
APPROVAL_CODES: Final = ("yes", "no", "pending")
COMMITMENTS: Final = (COMMIT_SESSIONS, COMMIT_VISIT, COMMIT_TIME, COMMIT_FEEDBACK)

# Personal data: left out of the workbook unless --include-contacts.
PERSONAL_FIELDS: Final = (RESPONDENT, RESPONDENT_EMAIL, CONTACT_NAME, CONTACT_EMAIL)

# --- the intake issue record ---------------------------------------------------------------------
ISSUE_FIELDS: Final = ("submission_id", "column", "value", "problem")
ISSUE_KIND: Final = "kind"  # a code per kind of problem, see intake.ISSUE_KINDS
ISSUE_PARAMS: Final = "params"  # the facts behind `problem` ({"variant": ..., ...}), worded per language

# --- partners --------------------------------------------------------------------------------------
PARTNER: Final = "partner"
COUNTRY: Final = "country"
REGION: Final = "region"
# the region's name per language where the partners file gives it (columns region_nl, region_fr...)
REGION_NAMES: Final = "region_names"
PARTNER_THEMES: Final = "themes"  # list of THEME_CODES
PARTNER_LANGUAGES: Final = "languages"  # list of LANGUAGE_CODES
HAS_FLEMISH_LINK: Final = "has_flemish_link"  # bool
COUNTRIES: Final = ("Rwanda", "Benin")


# --- values in the JSON documents ------------------------------------------------------------------


def is_missing(value: object) -> bool:
    """None, NaN, NaT or pandas' NA: a value that is not there."""
    if value is None or type(value).__name__ == "NAType":
        return True
    try:
        return bool(value != value)  # NaN and NaT are the values unequal to themselves
    except (TypeError, ValueError):  # an array compares element-wise: it is there
        return False


def to_jsonable(value: Any) -> Any:
    """Turn pandas/numpy scalars, datetimes, paths and sets into plain JSON values; NaN becomes null."""
    if value is None or isinstance(value, bool | str):
        return value  # most cells: nothing to convert, and this runs once per cell
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((to_jsonable(v) for v in value), key=str)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        # pandas.Timestamp is a datetime; NaT is not a valid moment.
        if value != value:  # NaT compares unequal to itself
            return None
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    # numpy arrays and numpy/pandas scalars, without importing them here: `tolist` keeps an array of
    # one element a list, where `item` would unwrap it
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return to_jsonable(tolist())
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return to_jsonable(item())
        except (TypeError, ValueError):
            pass
    if type(value).__name__ in {"NAType", "NaTType"}:
        return None
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    raise TypeError(f"cannot write a {type(value).__name__} to JSON: {value!r}")


# --- the records of the result document (matchmaker.result/1) ------------------------------------
# Typed views of the JSON blocks, for the assembler that builds them and the readers that use them.
# `total=False` marks the blocks whose keys depend on the case (an explanation of a selected
# candidate has no `outranked_by`); the keys every record has are listed in the schema's docs.


class Breakdown(TypedDict):
    """A pair value's terms in points: the candidate's score and the pair's fit."""

    score: float
    preference: float
    themes: float
    language: float


class EdgeRecord(TypedDict):
    """An allowed pair with its value: what an independent solver needs to re-solve the optimum."""

    candidate_id: str
    partner: str
    country: str
    value: float
    breakdown: Breakdown


class PairRecord(EdgeRecord):
    """A chosen pair, with the facts the workbook and the terminal show beside it."""

    municipality: str | None
    province: str | None
    region: str | None
    locked: bool


class UnfilledRecord(TypedDict, total=False):
    """An open slot in one country: how many, the `cause` code and the counts behind it."""

    country: str
    slots: int
    reason: str
    cause: str  # few_partners | no_partners | few_candidates | blocked
    filled: int
    quota: int
    eligible_partners: int
    ineligible_partners: int
    candidates: int
    accepting: int
    language_ok: int
    languages: list[str]


class ReserveRecord(TypedDict):
    """A candidate waiting in one country, ranked by the extra points it needs to be selected there
    (then by the value of its best pair there); `own_province` when its province is full, so that it
    can enter only when a candidate of its own province leaves."""

    candidate_id: str
    country: str
    rank: int
    municipality: str | None
    value: float
    partner: str
    score_needed: float | None
    need: str  # score | tie | slots | stay | kept | time_limit | not_computed
    province: str | None
    own_province: bool


class ReplacementRecord(TypedDict):
    """Who takes a selected candidate's place when it withdraws: the pairing re-solved without it,
    with the pairing as it stands as the previous round. `vacated` is the partner it leaves,
    `replacement` the first candidate (in tie-break order) that enters, `partner` its partner;
    `enters` every [candidate, partner] that enters, `leaves` every other candidate that leaves,
    `moves` [candidate, from, to] of those that change partner; `computed` is false when the
    re-solve was not run (its other fields empty)."""

    candidate_id: str
    vacated: str
    replacement: str | None
    partner: str | None
    moves: list[list[str]]
    enters: list[list[str]]
    leaves: list[str]
    objective: float | None
    computed: bool


class AlternativeRecord(TypedDict):
    """A next-best pairing and its distance to the best."""

    rank: int
    objective: float
    gap_pct: float
    filled: dict[str, int]
    pairs: list[PairRecord]


class ExplanationRecord(TypedDict, total=False):
    """Why one eligible candidate is or is not selected: the facts, and the English sentence."""

    candidate_id: str
    municipality: str | None
    selected: bool
    partner: str | None
    country: str | None
    cause: str
    why: str
    value: float
    breakdown: Breakdown
    score_needed: float | None
    need: str
    best_value: float
    displaces: list[str]  # candidate ids
    outranked_by: list[dict[str, Any]]
    outranked_count: int
    province: str | None
    province_taken_by: list[dict[str, Any]]
    max_per_province: int
    obstacles: list[dict[str, Any]]
    countries: list[str]
    tie_break: list[str]
    stability: bool  # left out by the stability rows (pair --stability require)
    unlocks: bool  # the score needed lifts a pair under the minimum pair value to it
    weight_share: float  # pair --robustness: the share of the plausible weightings that select it
    # its partner in the pairing without stability, when the stable one leaves it out or moves it
    partner_without_stability: str
    # the answers not computed because the run's time budget ran out (score_needed, displaces, cause)
    not_computed: list[str]


class ChangeRecord(TypedDict, total=False):
    """A pair of the previous shortlist or of the new result: kept, added, dropped or removed, and why."""

    candidate_id: str
    partner: str
    country: str | None
    change: str  # kept | added | removed (decisions); dropped | added (the pairing's own account)
    decision: str | None
    source: dict[str, Any] | None
    related: list[list[str]]
    reason: str | None
    cause: str | None
    obstacle: dict[str, Any] | None
    value: float | None  # the pair's points: now (kept, added) or in the previous round (removed)


class NoteRecord(TypedDict, total=False):
    """A note the committee typed in a shortlist, carried to the next: on a pair's row (`partner`) or
    on the candidate's row (`partner` None; `about` the partner of a pair that is gone)."""

    candidate_id: str
    partner: str | None
    note: str
    about: str | None


class PartnerRecord(TypedDict):
    """A partner local government as the run read it, and whether it could be paired."""

    partner: str
    country: str
    region: str | None
    themes: list[str]
    languages: list[str]
    has_flemish_link: bool
    eligible: bool
    reasons: list[str]
    region_names: NotRequired[dict[str, str]]  # {"fr": ...} where the partners file gives them


class ConstraintsRecord(TypedDict):
    """The limits of the model, as an independent solver needs them."""

    per_country: dict[str, int]
    max_per_province: int | None
    locked: list[list[str]]
    forbidden: list[list[str]]  # every pair not allowed by a decision (an exclusion's pairs not among them)
    excluded: list[str]  # candidates excluded by the committee: paired with nobody
    min_value: float | None
    languages: dict[str, dict[str, Any]]
    tie_break: list[str]


class InputRecord(TypedDict):
    """One input file of a run, with its checksum."""

    role: str
    path: str
    sha256: str
