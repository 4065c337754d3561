"""Every word and sentence a person reads, in Dutch, English and French, and the small grammar helpers.

The committee reads Dutch, the Beninese partners French, the Rwandan partners English and French.
The texts live in `catalogue.toml` beside this file, one entry per key with all three languages.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from typing import Any, Final

LANGS: Final = ("nl", "en", "fr")

Entry = tuple[str, str, str]  # (nl, en, fr)


def _load() -> dict[str, Any]:
    raw = resources.files(__package__).joinpath("catalogue.toml").read_bytes()
    return tomllib.loads(raw.decode("utf-8"))


def _entries(table: dict[str, Any]) -> dict[str, Entry]:
    return {key: (entry["nl"], entry["en"], entry["fr"]) for key, entry in table.items()}


_CATALOGUE: Final = _load()
_LABELS: Final = _entries(_CATALOGUE["labels"])
_CODES: Final = _entries(_CATALOGUE["codes"])
_RESOLUTIONS: Final = _entries(_CATALOGUE["resolutions"])
_PROVINCE_OF: Final = _entries(_CATALOGUE["province_of"])
_IN_LANGUAGE: Final = _entries(_CATALOGUE["in_language"])
_SENTENCES: Final = _entries(_CATALOGUE["sentences"])
_COMMITMENTS: Final = _entries(_CATALOGUE["commitments"])
_IN_REGION: Final = _entries(_CATALOGUE["in_region"])
_WORDS: Final = _entries(_CATALOGUE["words"])
_PHRASES: Final = _entries(_CATALOGUE["phrases"])
_PROVINCE_OF_OTHER: Final = _PHRASES["province_of_other"]
_IN_REGION_OTHER: Final = _PHRASES["in_region_other"]
_OR: Final = _PHRASES["or"]
_AND: Final = _PHRASES["and"]
# A quotation inside a sentence: French guillemets hold a no-break space on each side.
_QUOTES: Final = _PHRASES["quotes"]
_MONTH_NAMES: Final = tuple(tuple(_CATALOGUE["months"][lang]) for lang in LANGS)
_DECISION_WORDS: Final = _entries(_CATALOGUE["decision_words"])

# What the committee may write, in any of the three languages.
PAIR_DECISIONS: Final[dict[str, str]] = {
    "vast": "lock",
    "behouden": "lock",
    "keep": "lock",
    "lock": "lock",
    "garder": "lock",
    "weiger": "forbid",
    "weigeren": "forbid",
    "reject": "forbid",
    "forbid": "forbid",
    "refuser": "forbid",
}
CANDIDATE_DECISIONS: Final[dict[str, str]] = {
    "uitsluiten": "exclude",
    "weiger kandidaat": "exclude",
    "exclude": "exclude",
    "exclure": "exclude",
}


def _index(lang: str) -> int:
    try:
        return LANGS.index(lang)
    except ValueError:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}") from None


def label(key: str, lang: str = "nl") -> str:
    """The label `key` in `lang`; an unknown key is shown as it is."""
    entry = _LABELS.get(key)
    return entry[_index(lang)] if entry else key


def code_label(code: str, lang: str = "nl") -> str:
    """A code of the candidate record (language, theme, actor, country) as a word in `lang`."""
    entry = _CODES.get(code)
    return entry[_index(lang)] if entry else code


def decision_word(kind: str, lang: str = "nl") -> str:
    """The word the workbook offers for a decision kind ("lock", "forbid", "exclude") in `lang`."""
    return _DECISION_WORDS[kind][_index(lang)]


def sentence(key: str, lang: str = "nl", *, n: int | None = None, **fields: object) -> str:
    """The sentence `key` in `lang` with its fields filled in; `n` picks the singular when it is 1
    (and the "_none" form, where there is one, when it is 0) and is a field too."""
    k = _index(lang)
    chosen = key
    if n == 1 and f"{key}_one" in _SENTENCES:
        chosen = f"{key}_one"
    elif n == 0 and f"{key}_none" in _SENTENCES:
        chosen = f"{key}_none"
    if n is not None:
        fields["n"] = n
    return _SENTENCES[chosen][k].format(**fields)


def number(value: float, lang: str = "nl", decimals: int = 2) -> str:
    """A number written out in a sentence: comma decimals in Dutch and French."""
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if lang in ("nl", "fr") else text


def join_words(words: list[str], lang: str = "nl", *, conjunction: str = "and") -> str:
    """ "A, B en C" in Dutch, "A, B and C" in English, "A, B et C" in French (or with "or")."""
    if len(words) <= 1:
        return "".join(words)
    word = (_AND if conjunction == "and" else _OR)[_index(lang)]
    return f"{', '.join(words[:-1])} {word} {words[-1]}"


def province_of(province: str, lang: str = "nl") -> str:
    """ "provincie Oost-Vlaanderen", "the province of East Flanders", "la province de Flandre-Orientale"."""
    entry = _PROVINCE_OF.get(province)
    if entry is not None:
        return entry[_index(lang)]
    return _PROVINCE_OF_OTHER[_index(lang)].format(name=province)


def in_languages(codes: list[str], lang: str = "nl") -> str:
    """Working languages after a verb: "in het Frans of het Engels", "en français ou en anglais"."""
    k = _index(lang)
    phrases = [_IN_LANGUAGE[c][k] if c in _IN_LANGUAGE else c for c in codes]
    if lang == "nl" and len(phrases) > 1:  # "in het Frans of het Engels": one "in" for the list
        phrases = [phrases[0], *(p.removeprefix("in ") for p in phrases[1:])]
    if lang == "en" and len(phrases) > 1:
        phrases = [phrases[0], *(p.removeprefix("in ") for p in phrases[1:])]
    return join_words(phrases, lang, conjunction="or")


def has_sentence(key: str) -> bool:
    """Whether `sentence` knows `key` (in every language: each entry holds all three)."""
    return key in _SENTENCES


def commitment(field: str, lang: str = "nl") -> str | None:
    """A commitment of the call (its field code) as a reason words it; None for another field."""
    entry = _COMMITMENTS.get(field)
    return entry[_index(lang)] if entry else None


def in_region(region: str, lang: str = "nl") -> str:
    """ "in het Waals Gewest", "in the Walloon Region", "en Région wallonne" for a region code."""
    return _IN_REGION.get(region, _IN_REGION_OTHER)[_index(lang)]


def intake_word(key: str, lang: str = "nl") -> str:
    """A small word of an intake sentence (why a sheet was passed over, day or month)."""
    entry = _WORDS.get(key)
    return entry[_index(lang)] if entry else key


def quoted(text: str, lang: str = "nl") -> str:
    """Text as written by someone else, in quotes: 'Oudenarde', « Oudenarde »."""
    return _QUOTES[_index(lang)].format(text)


def long_date(iso: str, lang: str = "nl") -> str:
    """ "2025-01-01" as "1 januari 2025", "1 January 2025", "1er janvier 2025"; other text unchanged."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return iso
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    name = _MONTH_NAMES[_index(lang)][month - 1]
    first = "1er" if lang == "fr" and day == 1 else str(day)
    return f"{first} {name} {year}"


def moment(iso: str, lang: str = "nl") -> str:
    """A recorded date and time ("2023-10-16T10:30:00") as people write it: "16/10/2023 10:30" in
    Dutch and French, "2023-10-16 10:30" in English; seconds only when there are any."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?.*", iso.strip())
    if match is None:
        return iso
    year, month, day, hour, minute, second = match.groups()
    clock = f"{hour}:{minute}" + (f":{second}" if second and second != "00" else "")
    if lang == "en":
        return f"{year}-{month}-{day} {clock}"
    return f"{day}/{month}/{year} {clock}"


def resolution_label(method: str, lang: str = "nl") -> str:
    """How a name was read ("merged", "fuzzy"...) as words in `lang`; an unknown method as it is."""
    entry = _RESOLUTIONS.get(method)
    return entry[_index(lang)] if entry else method
