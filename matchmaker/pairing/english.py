"""The English sentences of the pairing: facts in, plain text out, nothing solved here.

Every `why`, `reason` and obstacle text of the result JSON is worded by one function of this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

LANGUAGE_NAMES = {"nl": "Dutch", "fr": "French", "en": "English"}


def languages(codes: Iterable[str]) -> str:
    """Language codes as words: "French", "Dutch or French", "Dutch, English or French"."""
    names = [LANGUAGE_NAMES.get(c, c) for c in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def breakdown(terms: Mapping[str, float]) -> str:
    """A pair value's terms: "score 60.00 + preference 2.50 + language 5.00"."""
    rest = " + ".join(f"{k} {v:.2f}" for k, v in terms.items() if k != "score" and v)
    return f"score {terms['score']:.2f}" + (f" + {rest}" if rest else "")


def obstacle(data: Mapping[str, Any]) -> str:
    """Why a candidate may not pair with a partner, from the facts of `instance.pair_obstacle`."""
    partner, country, kind = data["partner"], data["country"], data["kind"]
    if kind == "no_slots":
        return f"{partner}: no slots for {country}"
    if kind == "partner_not_eligible":
        reasons = data.get("reasons") or []
        return f"{partner} is not eligible" + (f" ({'; '.join(reasons)})" if reasons else "")
    if kind == "preference":
        return f"it asked for {data['asked']}, not {country}"
    if kind == "language":
        return f"{country} needs a delegation working in {languages(data['languages'])}"
    if kind == "forbidden":
        return f"the pair with {partner} is forbidden"
    return f"the pair with {partner} is worth {data['value']:.2f}, below the minimum {data['min_value']:g}"


def no_slots(country: str) -> str:
    """Why a partner of a country without slots is not eligible."""
    return f"no slots for {country}"


def no_pair(obstacles: Sequence[Mapping[str, Any]]) -> str:
    """Why a candidate has no allowed pair at all, per country (from `explain.no_pair_obstacles`)."""
    by_country: dict[str, list[str]] = {}
    for data in obstacles:
        text = f"no eligible partner in {data['country']}" if data["kind"] == "no_partner" else obstacle(data)
        by_country.setdefault(data["country"], []).append(text)
    if not by_country:
        return "there are no partners"
    return "; ".join(f"{c}: {', '.join(w)}" for c, w in by_country.items() if w)


def selected_why(locked: bool, partner: str, country: str, value: float, terms: Mapping[str, float]) -> str:
    """The explanation of a selected candidate: its pair and the value's terms."""
    return (
        "locked by the committee: " if locked else "selected: "
    ) + f"paired with {partner} ({country}), value {value:.2f} = {breakdown(terms)}"


def no_pair_why(obstacles: Sequence[Mapping[str, Any]]) -> str:
    """The explanation of a candidate without any allowed pair."""
    return "not selected: no allowed pair: " + no_pair(obstacles)


def unselected_why(
    *,
    province: str | None,
    cap: int | None,
    province_taken_by: Sequence[str],
    countries: Sequence[str],
    rivals: Sequence[tuple[str, float]],
    more_rivals: bool,
    best_value: float,
    need: str,
    needed: float | None,
    displaces: Sequence[str],
    tie_break: Sequence[str],
) -> str:
    """The explanation of a candidate with allowed pairs that is not selected.

    `province_taken_by` names the selected candidates filling its province when the cap stops it,
    `rivals` the (up to four) best selected pairs it competes with, as (name, value); `need` is the
    explanation's need code and `displaces` names whom it would replace.
    """
    causes: list[str] = []
    if province_taken_by:
        causes.append(f"its province {province} already has {cap} selected ({', '.join(province_taken_by)})")
    if rivals:
        listed = ", ".join(f"{name} {value:.2f}" for name, value in rivals)
        causes.append(
            f"outranked in {' and '.join(countries)} by {listed}{', ...' if more_rivals else ''}"
            f" (its best pair: {best_value:.2f})"
        )
    if need == "not_computed":
        tail = "not computed"
    elif need == "time_limit":
        tail = "the score it needs was not computed (the solver stopped at its time limit)"
    elif need == "slots":
        tail = "no pairing that includes it fills as many slots, so no score increase selects it"
    elif need == "kept":
        tail = "including it would undo a pair the committee kept"
    elif need == "tie":
        tail = f"it ties with the selected pairing and loses on the tie-break ({', '.join(tie_break)})"
    else:
        assert needed is not None
        instead = ", ".join(displaces)
        tail = f"{needed:.2f} more points would draw it level, and any more would select it" + (
            f" in place of {instead}" if instead else ""
        )
    return "not selected: " + "; ".join([*causes, tail])


def _accepts(country: str, n: int, hard_languages: Sequence[str] | None) -> str:
    """What the counted candidates do, with the verb agreeing with their number."""
    one = n == 1
    text = f"{'accepts' if one else 'accept'} {country}"
    if hard_languages is not None:
        text += f" and {'works' if one else 'work'} in {languages(hard_languages)}"
    return text


def unfilled_reason(
    cause: str, country: str, facts: Mapping[str, Any], hard_languages: Sequence[str] | None
) -> str:
    """Why a country's slots stay unfilled, from the facts of `explain.diagnose`.

    `hard_languages` are the languages a hard language rule asks for in the country (None: no such rule).
    """
    filled, quota = facts["filled"], facts["quota"]
    head = f"{country}: {filled} of {quota} filled: "
    if cause == "few_partners":
        n_partners, linked = facts["eligible_partners"], facts["ineligible_partners"]
        extra = f" ({linked} more are not eligible)" if linked else ""
        return (
            head + f"only {n_partners} eligible partner{'s' if n_partners != 1 else ''} in {country}{extra}"
        )
    if cause == "no_partners":
        return head + f"no partners in {country}"
    count, n_accept, n_speak = facts["candidates"], facts["accepting"], facts["language_ok"]
    if cause == "few_candidates":
        if count == 0:
            text = f"no eligible candidate {_accepts(country, 1, hard_languages)}"
        else:
            plural = "s" if count != 1 else ""
            text = f"only {count} eligible candidate{plural} {_accepts(country, count, hard_languages)}"
        if n_speak > count:
            more = n_speak - count
            verb = "is" if more == 1 else "are"
            text += f" ({more} more {verb} excluded by forbidden pairs or the minimum value)"
        elif hard_languages is not None and n_accept > n_speak:
            more = n_accept - n_speak
            verbs = ("accepts", "does") if more == 1 else ("accept", "do")
            text += (
                f"; {more} more {verbs[0]} {country} but {verbs[1]} not work in {languages(hard_languages)}"
            )
        return head + text
    parts = [
        f"{count} eligible candidate{'s' if count != 1 else ''} {_accepts(country, count, hard_languages)}"
    ]
    elsewhere, capped, provinces = facts["elsewhere"], facts["capped"], facts["capped_provinces"]
    if elsewhere:
        verb = "is" if elsewhere == 1 else "are"
        parts.append(f"{elsewhere} of them {verb} paired with another country")
    if capped:
        parts.append(
            f"{capped} {'comes' if capped == 1 else 'come'} from "
            f"{'a province' if len(provinces) == 1 else 'provinces'} already at the cap"
            f" of {facts['max_per_province']}"
            f" ({', '.join(provinces)})"
        )
    if len(parts) == 1:
        parts.append("the locked pairs and the other constraints leave no more room")
    return head + "; ".join(parts)


def change_reason(cause: str, data: Mapping[str, Any]) -> str:
    """Why a pair of the previous shortlist changed: `cause` as in `explain.changes`, with its facts
    (`partner`, the `obstacle` facts, the `lock` that takes its place)."""
    if cause == "not_candidate":
        return "the candidate is no longer an eligible scored candidate"
    if cause == "no_partner":
        return f"there is no partner {data['partner']}"
    if cause == "locked":
        lock = data["lock"]
        return f"locked pair {lock[0]}={lock[1]} takes its place"
    if cause == "more_slots":
        return "another pairing fills more slots"
    if cause == "new":
        return "new pair"
    return obstacle(data["obstacle"])
