"""criteria/*.toml -> a validated, frozen `Criteria`: eligibility, weighed criteria, pairing settings.

Every stage reads the dataclasses below; `load_criteria` validates the file at the door.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

from . import schema
from .errors import CriteriaError

# The repository's criteria/ folder; an installed wheel carries the same files as matchmaker/_criteria.
CRITERIA_DIR = Path(__file__).resolve().parent.parent / "criteria"
if not CRITERIA_DIR.is_dir():
    CRITERIA_DIR = Path(__file__).resolve().parent / "_criteria"
DEFAULT_CRITERIA = CRITERIA_DIR / "sdg-partnerships-2024.toml"

CRITERIA_VERSION: Final = 1
PLAUSIBLE: Final = "plausible_weights"  # the optional table of the weights the committee would accept

# What a criterion's `source` may be; scoring.py gives each its arithmetic.
SOURCE_RUBRIC: Final = "rubric"  # reviewers' rubric ratings, a form rating standing in without reviews
SOURCE_CHOICES: Final = "choices"  # points for the options ticked in multi-select form answers
SOURCE_ANSWER: Final = "answer"  # one yes/no form answer, with a value for "unknown"
SOURCES: Final = (SOURCE_RUBRIC, SOURCE_CHOICES, SOURCE_ANSWER)

# Form fields a criterion may read, by the kind of value intake puts in them.
CHOICE_FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    schema.INVOLVED: schema.INVOLVED_CODES,
    schema.OTHER_ACTORS: schema.OTHER_ACTOR_CODES,
    schema.THEMES: schema.THEME_CODES,
    schema.LANGUAGES: schema.LANGUAGE_CODES,
}
FREE_TEXT_LIST_FIELDS: Final = (schema.OTHER_ACTORS_OTHER,)
YES_NO_FIELDS: Final = (schema.CITY_LINK, *schema.COMMITMENTS)
RATING_FIELDS: Final = (schema.EQUAL_BASIS_RATING,)

# Candidate fields the tie-break chain may use; each sorts ascending (earlier, lower first).
TIE_BREAK_KEYS: Final = (
    schema.COMPLETED,
    schema.STARTED,
    schema.REFNIS,
    schema.SUBMISSION_ID,
    schema.CANDIDATE_ID,
)


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
class RubricSource:
    """Raw value = mean of the aggregated ratings on `items`; without reviews, the form's `fallback`."""

    items: tuple[str, ...]
    fallback: str | None = None
    fallback_bounds: tuple[float, float] = (1.0, 5.0)
    unknown: float = 1.0  # raw value (on the criterion's bounds) with neither reviews nor fallback


@dataclass(frozen=True)
class ChoiceGroup:
    """Points per ticked option of one form field; free-text answers may count too, up to a cap."""

    key: str
    field: str
    points: Mapping[str, float]
    free_field: str | None = None
    free_points: float = 0.0
    cap: float | None = None


@dataclass(frozen=True)
class ChoicesSource:
    """Raw value = sum of the groups' points, plus `bonus` when every group in `bonus_when` is covered."""

    groups: tuple[ChoiceGroup, ...]
    bonus: float = 0.0
    bonus_when: tuple[str, ...] = ()

    def maximum(self) -> float:
        """The highest raw value any answer can reach."""
        total = self.bonus
        for group in self.groups:
            options = sum(group.points.values())
            if group.free_field is not None and group.free_points > 0:
                # free-text answers are unbounded in number: only the cap limits the group
                options = math.inf
            total += options if group.cap is None else min(options, group.cap)
        return total


@dataclass(frozen=True)
class AnswerSource:
    """Raw value of a yes/no form answer: `yes`, `no`, or `unknown` when the answer is missing."""

    field: str
    yes: float
    no: float
    unknown: float


@dataclass(frozen=True)
class Criterion:
    """One weighed criterion. The scoring stage owns the meaning of `source` and `params`."""

    key: str
    label: str
    weight: float
    source: str
    params: Mapping[str, object] = field(default_factory=dict)
    # Declared scale of the raw value: `bounds[0]` normalises to 0, `bounds[1]` to 1.
    bounds: tuple[float, float] = (0.0, 1.0)
    spec: RubricSource | ChoicesSource | AnswerSource | None = None
    # the label in other languages, as the file gives them (`label_fr`, `label_en`): {"fr": ...}
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RubricItem:
    """One item reviewers rate on the rubric scale (whole numbers)."""

    key: str
    label: str
    description: str = ""
    # the label and description in other languages, as the file gives them: {"fr": ...}
    labels: Mapping[str, str] = field(default_factory=dict)
    descriptions: Mapping[str, str] = field(default_factory=dict)


# The spread of the plausible weights when the criteria file states none, in points.
DEFAULT_SPREAD: Final = 15.0


@dataclass(frozen=True)
class PlausibleWeights:
    """The weights the committee would also accept (the `[plausible_weights]` table): a range per
    criterion in points, and order statements (heavier, lighter); the total stays the weights' sum.

    A criterion without a range may move `spread` points either side of its weight (within 0 and
    the total); `given` is False when the file has no such table and these are the defaults.
    """

    ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    order: tuple[tuple[str, str], ...] = ()
    spread: float = DEFAULT_SPREAD
    given: bool = True


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
    plausible: PlausibleWeights | None = None  # None: no [plausible_weights] table
    # the call's title in other languages, as the file gives them (`name_fr`, `name_en`)
    names: Mapping[str, str] = field(default_factory=dict)

    def name_in(self, lang: str) -> str:
        """The call's title in `lang` where the file gives it (`name_fr = ...`), else as written."""
        return self.names.get(lang) or self.name

    def criterion(self, key: str) -> Criterion:
        """The criterion called `key`; KeyError if there is none."""
        for criterion in self.criteria:
            if criterion.key == key:
                return criterion
        raise KeyError(key)

    def with_weights(self, weights: Mapping[str, float]) -> Criteria:
        """A copy with some weights changed (for what-if analysis); unknown keys or bad weights raise."""
        known = {c.key for c in self.criteria}
        unknown = sorted(set(weights) - known)
        if unknown:
            raise CriteriaError(f"unknown criterion {', '.join(unknown)}; valid: {', '.join(sorted(known))}")
        for key, weight in weights.items():
            if not _is_number(weight) or not math.isfinite(weight) or not 0 <= weight <= SANE_LIMIT:
                raise CriteriaError(f"criteria.{key}.weight: {weight!r} is not a number >= 0")
        changed = tuple(
            Criterion(
                key=c.key,
                label=c.label,
                weight=float(weights.get(c.key, c.weight)),
                source=c.source,
                params=c.params,
                bounds=c.bounds,
                spec=c.spec,
                labels=c.labels,
            )
            for c in self.criteria
        )
        return Criteria(
            version=self.version,
            name=self.name,
            eligibility=self.eligibility,
            criteria=changed,
            rubric=self.rubric,
            rubric_scale=self.rubric_scale,
            pairing=self.pairing,
            tie_break=self.tie_break,
            path=self.path,
            sha256=None,  # no longer the file's content
            plausible=self.plausible,
            names=self.names,
        )


# --- loading and validation ------------------------------------------------------------------------


# No weight, points, quota or threshold of a call comes near this; beyond it a number is a typo.
SANE_LIMIT: Final = 1_000_000
# A criteria file is a page of settings; far beyond this it is not one.
MAX_TOML_BYTES: Final = 1024 * 1024


def load_criteria(path: Path | None = None) -> Criteria:
    """Read and validate a criteria file (default: the 2024 call's); CriteriaError names file and key."""
    path = DEFAULT_CRITERIA if path is None else Path(path)
    from .files import read_input

    if path.is_dir():
        raise CriteriaError(f"{path}: is a folder; expected a criteria .toml file")
    data = read_input(path, what="criteria file (.toml)", limit=MAX_TOML_BYTES, error=CriteriaError)
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise CriteriaError(f"{path}: not a TOML file (not UTF-8 text)") from None
    except tomllib.TOMLDecodeError as exc:
        raise CriteriaError(f"{path}: not a valid TOML file ({exc})") from None
    except RecursionError:
        raise CriteriaError(f"{path}: not a criteria file: its tables are nested too deeply") from None
    criteria = _Reader(path).criteria(doc)
    return Criteria(
        version=criteria.version,
        name=criteria.name,
        eligibility=criteria.eligibility,
        criteria=criteria.criteria,
        rubric=criteria.rubric,
        rubric_scale=criteria.rubric_scale,
        pairing=criteria.pairing,
        tie_break=criteria.tie_break,
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        plausible=criteria.plausible,
        names=criteria.names,
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_MISSING: Final = object()
# The file's texts are written in Dutch; `label_fr`, `label_en` (and `name_`, `description_`) give
# them in the other languages of the workbook.
TRANSLATED_LANGS: Final = ("en", "fr")


def _translated(name: str) -> tuple[str, ...]:
    return tuple(f"{name}_{lang}" for lang in TRANSLATED_LANGS)


class _Reader:
    """Walks the parsed TOML; every problem becomes a CriteriaError with the file and dotted key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str, valid: str | None = None) -> CriteriaError:
        # a key with a line break or a control character is shown quoted: the message stays one line
        message = f"{self.path}: {key if key.isprintable() else repr(key)}: {problem}"
        if valid:
            message += f"; valid: {valid}"
        return CriteriaError(message)

    def form_field(self, value: object, key: str, fields: Collection[str], kind: str) -> str:
        """`value` if it names one of `fields` (form fields of one kind), else a CriteriaError."""
        if not isinstance(value, str) or value not in fields:
            raise self.fail(key, f"not {kind}: {value!r}", ", ".join(fields))
        return str(value)

    # --- typed getters -------------------------------------------------------------------------

    def table(
        self, parent: Mapping[str, object], name: str, key: str, allowed: tuple[str, ...] | None
    ) -> dict[str, object]:
        value = parent.get(name, _MISSING)
        if value is _MISSING:
            raise self.fail(key, "missing table")
        return self.check_table(value, key, allowed)

    def check_table(
        self, value: object, key: str, allowed: tuple[str, ...] | None, what: str = "key"
    ) -> dict[str, object]:
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table, got {value!r}")
        if allowed is not None:
            for name in value:
                if name not in allowed:
                    raise self.fail(f"{key}.{name}" if key else name, f"unknown {what}", ", ".join(allowed))
        return value

    def translations(self, table: Mapping[str, object], name: str, key: str) -> dict[str, str]:
        """The texts `name_fr`, `name_en` of `table`, by language: {"fr": ...}."""
        return {
            lang: self.string(table, f"{name}_{lang}", key)
            for lang in TRANSLATED_LANGS
            if f"{name}_{lang}" in table
        }

    def required(self, table: Mapping[str, object], name: str, key: str) -> object:
        if name not in table:
            raise self.fail(f"{key}.{name}" if key else name, "missing")
        return table[name]

    def string(self, table: Mapping[str, object], name: str, key: str, *, optional: bool = False) -> str:
        if optional and name not in table:
            return ""
        value = self.required(table, name, key)
        if not isinstance(value, str) or not (value.strip() or optional):
            raise self.fail(f"{key}.{name}" if key else name, f"expected a non-empty text, got {value!r}")
        return value.strip()

    def number(
        self,
        table: Mapping[str, object],
        name: str,
        key: str,
        *,
        minimum: float | None = None,
        default: float | None = None,
    ) -> float:
        value = table.get(name, default) if default is not None else self.required(table, name, key)
        if not _is_number(value) or not math.isfinite(float(value)):  # type: ignore[arg-type]
            raise self.fail(f"{key}.{name}", f"expected a number, got {value!r}")
        number = float(value)  # type: ignore[arg-type]
        if abs(number) > SANE_LIMIT:
            # 1e308 passes as a number but makes every total infinite, and the model unsolvable
            raise self.fail(
                f"{key}.{name}", f"{value!r} is not a sane number", f"a number within ±{SANE_LIMIT:g}"
            )
        if minimum is not None and number < minimum:
            raise self.fail(f"{key}.{name}", f"{value!r} is below {minimum:g}", f"a number >= {minimum:g}")
        return number

    def integer(self, value: object, key: str, minimum: int) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.fail(key, f"expected a whole number >= {minimum}, got {value!r}")
        if value > SANE_LIMIT:
            raise self.fail(key, f"{value!r} is not a sane number", f"a whole number up to {SANE_LIMIT:,}")
        return value

    def boolean(self, table: Mapping[str, object], name: str, key: str) -> bool:
        value = self.required(table, name, key)
        if not isinstance(value, bool):
            raise self.fail(f"{key}.{name}", f"expected true or false, got {value!r}")
        return value

    def names(
        self, value: object, key: str, valid: tuple[str, ...], *, allow_empty: bool = False
    ) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"expected a list of names, got {value!r}", ", ".join(valid))
        if not value and not allow_empty:
            raise self.fail(key, "empty list", ", ".join(valid))
        for name in value:
            if name not in valid:
                raise self.fail(key, f"unknown {name!r}", ", ".join(valid))
        if len(set(value)) != len(value):
            raise self.fail(key, f"a name is listed twice in {value!r}")
        return tuple(value)

    def bounds(self, value: object, key: str, *, whole: bool = False) -> tuple[float, float]:
        kind = "whole numbers" if whole else "numbers"
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(_is_number(v) and math.isfinite(v) for v in value)
            or (whole and not all(isinstance(v, int) for v in value))
        ):
            raise self.fail(key, f"expected two {kind} [lowest, highest], got {value!r}")
        low, high = float(value[0]), float(value[1])
        if low >= high:
            raise self.fail(
                key, f"bounds reversed or equal: {value!r}", "[lowest, highest] with lowest < highest"
            )
        return low, high

    # --- sections ------------------------------------------------------------------------------

    def criteria(self, doc: dict[str, object]) -> Criteria:
        top = (
            "version",
            "name",
            *_translated("name"),
            "eligibility",
            "rubric",
            "criteria",
            "pairing",
            "tie_break",
            PLAUSIBLE,
        )
        self.check_table(doc, "", top)
        if next(iter(doc), None) != "version":
            raise self.fail("version", "must be the first key of the file", f"version = {CRITERIA_VERSION}")
        version = doc["version"]
        if version != CRITERIA_VERSION or isinstance(version, bool):
            raise self.fail("version", f"unsupported version {version!r}", str(CRITERIA_VERSION))
        name = self.string(doc, "name", "")
        eligibility = self.eligibility(
            self.table(doc, "eligibility", "eligibility", ("require", "require_flemish"))
        )
        scale, rubric = self.rubric(self.table(doc, "rubric", "rubric", ("scale", "items")))
        criteria_table = self.table(doc, "criteria", "criteria", None)
        if not criteria_table:
            raise self.fail("criteria", "no criteria", "at least one [criteria.<name>] table")
        criteria = tuple(self.criterion(key, value, rubric, scale) for key, value in criteria_table.items())
        pairing = self.pairing(
            self.table(
                doc,
                "pairing",
                "pairing",
                ("quotas", "max_per_province", "min_value", "budget_per_partnership", "fit", "languages"),
            )
        )
        tie_table = self.table(doc, "tie_break", "tie_break", ("order",))
        tie_break = self.names(
            self.required(tie_table, "order", "tie_break"), "tie_break.order", TIE_BREAK_KEYS
        )
        return Criteria(
            version=CRITERIA_VERSION,
            name=name,
            eligibility=eligibility,
            criteria=criteria,
            rubric=rubric,
            rubric_scale=(int(scale[0]), int(scale[1])),
            pairing=pairing,
            tie_break=tie_break,
            plausible=self.plausible(doc[PLAUSIBLE], criteria) if PLAUSIBLE in doc else None,
            names=self.translations(doc, "name", ""),
        )

    def plausible(self, value: object, criteria: tuple[Criterion, ...]) -> PlausibleWeights:
        """The `[plausible_weights]` table: `spread`, `ranges` and `order`, each optional."""
        table = self.check_table(value, PLAUSIBLE, ("spread", "ranges", "order"))
        weights = {c.key: c.weight for c in criteria}
        keys = tuple(weights)
        total = sum(weights.values())
        spread = self.number(table, "spread", PLAUSIBLE, minimum=0, default=DEFAULT_SPREAD)
        ranges: dict[str, tuple[float, float]] = {}
        if "ranges" in table:
            where = f"{PLAUSIBLE}.ranges"
            given = self.check_table(table["ranges"], where, keys, "criterion")
            for key, bounds in given.items():
                low, high = self.bounds(bounds, f"{where}.{key}")
                if low < 0 or high > total:
                    raise self.fail(
                        f"{where}.{key}", f"[{low:g}, {high:g}] leaves 0..{total:g}", f"within [0, {total:g}]"
                    )
                if not low <= weights[key] <= high:
                    raise self.fail(
                        f"{where}.{key}",
                        f"[{low:g}, {high:g}] does not contain the weight {weights[key]:g}",
                        f"a range around {weights[key]:g}",
                    )
                ranges[key] = (low, high)
        order: list[tuple[str, str]] = []
        if "order" in table:
            where = f"{PLAUSIBLE}.order"
            statements = table["order"]
            if not isinstance(statements, list) or not all(isinstance(v, str) for v in statements):
                raise self.fail(where, f"expected a list of texts, got {statements!r}", '["a >= b", ...]')
            for text in statements:
                parts = [p.strip() for p in text.split(">=")]
                if len(parts) != 2 or not all(parts):
                    raise self.fail(where, f"{text!r} is not written as 'heavier >= lighter'", '"a >= b"')
                for part in parts:
                    if part not in weights:
                        raise self.fail(where, f"unknown criterion {part!r} in {text!r}", ", ".join(keys))
                heavier, lighter = parts
                if heavier == lighter:
                    raise self.fail(where, f"{text!r} compares a criterion with itself")
                if weights[heavier] < weights[lighter]:
                    raise self.fail(
                        where,
                        f"{text!r} does not hold for the weights themselves "
                        f"({weights[heavier]:g} < {weights[lighter]:g})",
                    )
                order.append((heavier, lighter))
        return PlausibleWeights(ranges=ranges, order=tuple(order), spread=spread, given=True)

    def eligibility(self, table: dict[str, object]) -> Eligibility:
        require = self.names(
            self.required(table, "require", "eligibility"),
            "eligibility.require",
            schema.COMMITMENTS,
            allow_empty=True,
        )
        return Eligibility(
            require=require, require_flemish=self.boolean(table, "require_flemish", "eligibility")
        )

    def rubric(self, table: dict[str, object]) -> tuple[tuple[float, float], tuple[RubricItem, ...]]:
        scale = self.bounds(self.required(table, "scale", "rubric"), "rubric.scale", whole=True)
        items_table = self.check_table(self.required(table, "items", "rubric"), "rubric.items", None)
        if not items_table:
            raise self.fail("rubric.items", "no rubric items", "at least one [rubric.items.<name>] table")
        items = []
        for key, value in items_table.items():
            where = f"rubric.items.{key}"
            item = self.check_table(
                value, where, ("label", "description", *_translated("label"), *_translated("description"))
            )
            items.append(
                RubricItem(
                    key=key,
                    label=self.string(item, "label", where),
                    description=self.string(item, "description", where, optional=True),
                    labels=self.translations(item, "label", where),
                    descriptions=self.translations(item, "description", where),
                )
            )
        return scale, tuple(items)

    def criterion(
        self, key: str, value: object, rubric: tuple[RubricItem, ...], scale: tuple[float, float]
    ) -> Criterion:
        where = f"criteria.{key}"
        common = ("label", "weight", "source", "bounds")
        table = self.check_table(value, where, None)
        source = table.get("source", _MISSING)
        if source not in SOURCES:
            problem = "missing" if source is _MISSING else f"unknown source {source!r}"
            raise self.fail(f"{where}.source", problem, ", ".join(SOURCES))
        own = {
            SOURCE_RUBRIC: ("items", "fallback", "fallback_bounds", "unknown"),
            SOURCE_CHOICES: ("groups", "bonus"),
            SOURCE_ANSWER: ("field", "yes", "no", "unknown"),
        }[str(source)]
        self.check_table(table, where, (*common, *_translated("label"), *own))
        label = self.string(table, "label", where)
        weight = self.number(table, "weight", where, minimum=0)
        bounds = self.bounds(self.required(table, "bounds", where), f"{where}.bounds")
        spec: RubricSource | ChoicesSource | AnswerSource
        if source == SOURCE_RUBRIC:
            spec = self.rubric_source(table, where, rubric, bounds)
        elif source == SOURCE_CHOICES:
            spec = self.choices_source(table, where, bounds)
        else:
            spec = self.answer_source(table, where, bounds)
        params = {k: v for k, v in table.items() if k not in common}
        params = {k: v for k, v in params.items() if k not in _translated("label")}
        return Criterion(
            key=key,
            label=label,
            weight=weight,
            source=str(source),
            params=params,
            bounds=bounds,
            spec=spec,
            labels=self.translations(table, "label", where),
        )

    def within(self, value: float, bounds: tuple[float, float], key: str) -> None:
        if not bounds[0] <= value <= bounds[1]:
            raise self.fail(key, f"{value:g} is outside the bounds", f"{bounds[0]:g}..{bounds[1]:g}")

    def rubric_source(
        self,
        table: dict[str, object],
        where: str,
        rubric: tuple[RubricItem, ...],
        bounds: tuple[float, float],
    ) -> RubricSource:
        items = self.names(
            self.required(table, "items", where), f"{where}.items", tuple(i.key for i in rubric)
        )
        fallback: str | None = None
        fallback_bounds = bounds
        if "fallback" in table:
            fallback = table["fallback"]  # type: ignore[assignment]
            self.form_field(fallback, f"{where}.fallback", RATING_FIELDS, "a rating field of the form")
            fallback_bounds = self.bounds(
                self.required(table, "fallback_bounds", where), f"{where}.fallback_bounds"
            )
        elif "fallback_bounds" in table:
            raise self.fail(
                f"{where}.fallback_bounds", "given without a fallback field", "add fallback = <field>"
            )
        unknown = self.number(table, "unknown", where)
        self.within(unknown, bounds, f"{where}.unknown")
        return RubricSource(items=items, fallback=fallback, fallback_bounds=fallback_bounds, unknown=unknown)

    def choices_source(
        self, table: dict[str, object], where: str, bounds: tuple[float, float]
    ) -> ChoicesSource:
        groups_table = self.check_table(self.required(table, "groups", where), f"{where}.groups", None)
        if not groups_table:
            raise self.fail(f"{where}.groups", "no groups", f"at least one [{where}.groups.<name>] table")
        groups = []
        for name, value in groups_table.items():
            gkey = f"{where}.groups.{name}"
            group = self.check_table(value, gkey, ("field", "points", "free_field", "free_points", "cap"))
            fld = self.required(group, "field", gkey)
            self.form_field(fld, f"{gkey}.field", CHOICE_FIELDS, "a multi-select field of the form")
            codes = CHOICE_FIELDS[str(fld)]
            points_table = self.check_table(
                self.required(group, "points", gkey), f"{gkey}.points", codes, "code"
            )
            points = {
                code: self.number(points_table, code, f"{gkey}.points", minimum=0) for code in points_table
            }
            free_field: str | None = None
            free_points = 0.0
            if "free_field" in group:
                free_field = group["free_field"]  # type: ignore[assignment]
                self.form_field(
                    free_field, f"{gkey}.free_field", FREE_TEXT_LIST_FIELDS, "a free-text list field"
                )
                free_points = self.number(group, "free_points", gkey, minimum=0)
                if "cap" not in group:
                    raise self.fail(f"{gkey}.cap", "missing: free-text answers need a cap", "a number >= 0")
            elif "free_points" in group:
                raise self.fail(
                    f"{gkey}.free_points", "given without a free_field", "add free_field = <field>"
                )
            cap = self.number(group, "cap", gkey, minimum=0) if "cap" in group else None
            groups.append(
                ChoiceGroup(
                    key=name,
                    field=str(fld),
                    points=points,
                    free_field=free_field,
                    free_points=free_points,
                    cap=cap,
                )
            )
        # a code in two groups would be counted twice for one tick
        seen: dict[tuple[str, str], str] = {}
        for choice in groups:
            for code in choice.points:
                other = seen.setdefault((choice.field, code), choice.key)
                if other != choice.key:
                    raise self.fail(
                        f"{where}.groups.{choice.key}.points.{code}", f"already counted in group {other!r}"
                    )
        bonus, bonus_when = 0.0, tuple[str, ...]()
        if "bonus" in table:
            bkey = f"{where}.bonus"
            bonus_table = self.check_table(table["bonus"], bkey, ("points", "when_all"))
            bonus = self.number(bonus_table, "points", bkey, minimum=0)
            group_names = tuple(g.key for g in groups)
            bonus_when = self.names(
                self.required(bonus_table, "when_all", bkey), f"{bkey}.when_all", group_names
            )
        spec = ChoicesSource(groups=tuple(groups), bonus=bonus, bonus_when=bonus_when)
        highest = spec.maximum()
        if bounds[0] > 0 or bounds[1] < highest:
            raise self.fail(
                f"{where}.bounds",
                f"{list(bounds)} does not cover the reachable raw values 0..{highest:g}",
                f"[0, {highest:g}] or wider",
            )
        return spec

    def answer_source(
        self, table: dict[str, object], where: str, bounds: tuple[float, float]
    ) -> AnswerSource:
        fld = self.required(table, "field", where)
        self.form_field(fld, f"{where}.field", YES_NO_FIELDS, "a yes/no field of the form")
        values = {}
        for name in ("yes", "no", "unknown"):
            values[name] = self.number(table, name, where)
            self.within(values[name], bounds, f"{where}.{name}")
        return AnswerSource(field=str(fld), yes=values["yes"], no=values["no"], unknown=values["unknown"])

    def pairing(self, table: dict[str, object]) -> PairingSettings:
        defaults = PairingSettings()
        quotas: Mapping[str, int] = defaults.quotas
        if "quotas" in table:
            quota_table = self.check_table(table["quotas"], "pairing.quotas", schema.COUNTRIES, "country")
            quotas = {c: self.integer(v, f"pairing.quotas.{c}", 0) for c, v in quota_table.items()}
        max_per_province = (
            self.integer(table["max_per_province"], "pairing.max_per_province", 1)
            if "max_per_province" in table
            else None
        )
        min_value = self.number(table, "min_value", "pairing") if "min_value" in table else None
        budget = (
            self.integer(table["budget_per_partnership"], "pairing.budget_per_partnership", 0)
            if "budget_per_partnership" in table
            else defaults.budget_per_partnership
        )
        fit = defaults.fit
        if "fit" in table:
            names = ("preference_match", "no_preference", "theme_overlap", "language_match")
            fit_table = self.check_table(table["fit"], "pairing.fit", names)
            fit = FitSettings(
                **{
                    n: self.number(fit_table, n, "pairing.fit", minimum=0, default=getattr(fit, n))
                    for n in names
                }
            )
        languages = defaults.languages
        if "languages" in table:
            lang_table = self.check_table(
                table["languages"], "pairing.languages", schema.COUNTRIES, "country"
            )
            rules = {}
            for country, value in lang_table.items():
                key = f"pairing.languages.{country}"
                rule = self.check_table(value, key, ("any_of", "mode"))
                any_of = self.names(
                    self.required(rule, "any_of", key), f"{key}.any_of", schema.LANGUAGE_CODES
                )
                mode = rule.get("mode", "soft")
                if mode not in ("hard", "soft"):
                    raise self.fail(f"{key}.mode", f"unknown mode {mode!r}", "hard, soft")
                rules[country] = LanguageRule(any_of, "hard" if mode == "hard" else "soft")
            languages = rules
        return PairingSettings(
            quotas=quotas,
            max_per_province=max_per_province,
            min_value=min_value,
            budget_per_partnership=budget,
            fit=fit,
            languages=languages,
        )
