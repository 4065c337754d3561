"""Facts to sentences, in one place: the pairing's explanations, intake's reasons and issues, the
changes between two shortlists and the partners' reasons, worded in nl, en or fr from the catalogue.
"""

# The result JSON keeps English sentences (`why`, `reason`, `problem`) beside the facts behind them;
# the pairing writes its English with these very functions ("en"), the workbook words the same facts
# in its own language. A record without the facts (an older result file), or with facts there is no
# sentence for, keeps its recorded sentence. Nothing here reads English back.

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from ..cells import as_number
from ..schema import (
    CANDIDATE_ID,
    COUNTRY,
    ELIGIBLE,
    HAS_FLEMISH_LINK,
    ISSUE_KIND,
    ISSUE_PARAMS,
    MUNICIPALITY,
    PARTNER,
    PROVINCE,
    REASONS,
    RESOLUTION,
    RESOLUTION_FACTS,
    RESOLUTION_NOTE,
    is_missing,
)
from . import (
    code_label,
    commitment,
    decision_word,
    has_sentence,
    in_languages,
    in_region,
    intake_word,
    join_words,
    label,
    long_date,
    moment,
    number,
    province_of,
    quoted,
    resolution_label,
    sentence,
)


def pair_key(pair: object) -> tuple[str, str]:
    """(candidate_id, partner) of a pair recorded as a mapping or as a two-item list."""
    if isinstance(pair, Mapping):
        return str(pair.get(CANDIDATE_ID)), str(pair.get(PARTNER))
    if isinstance(pair, list | tuple) and len(pair) == 2:
        return str(pair[0]), str(pair[1])
    raise ValueError(f"not a pair: {pair!r}")


def display_name(known: Mapping[str, str], candidate_id: object) -> str:
    """A candidate by its name in `known` (display names by candidate id), else by its id."""
    return known.get(str(candidate_id)) or ("" if is_missing(candidate_id) else str(candidate_id))


def breakdown_text(breakdown: Mapping[str, Any], lang: str) -> str:
    """A score breakdown as one line: "Score 7,5; Themes 1,0"."""
    parts = []
    for key, value in breakdown.items():
        number = as_number(value)
        shown = f"{number:.1f}" if number is not None else str(value)
        parts.append(f"{label(key, lang)} {shown}")
    return "; ".join(parts)


def change_text(change: Mapping[str, Any], known: Mapping[str, str], lang: str, *, kind: bool = True) -> str:
    """One change as a phrase: what happened to the pair (unless `kind` is off, for a table that
    shows it in a column of its own), then the decision, the pairs involved, or why it is gone."""
    parts: list[str] = []
    decision = change.get("decision")
    if decision:
        word = decision_word(str(decision), lang) if decision in _DECISION_KINDS else str(decision)
        part = f"{label('decision', lang).lower()} {quoted(word, lang)}"
        source = change.get("source")
        if isinstance(source, Mapping):
            part += f" ({source.get('sheet')} {label('row', lang)} {source.get('row')})"
        elif source:
            part += f" ({source})"
        parts.append(part)
    related = [pair_key(r) for r in change.get("related") or ()]
    if related:
        key = "instead_of" if change.get("change") == "added" else "replaced_by"
        pairs = ", ".join(f"{display_name(known, c)} – {p}" for c, p in related)
        parts.append(f"{label(key, lang)} {pairs}")
    reason = gone_text(change, lang)
    if reason and not decision and change.get("change") in {"removed", "dropped"}:
        parts.append(reason)
    body = sentence("list_separator", lang).join(parts)
    if not kind:
        return body
    head = label(str(change.get("change", "")), lang)
    return f"{head}{colon_for(lang)} {body}" if body else head


_DECISION_KINDS: Final = ("lock", "forbid", "exclude")


def colon_for(lang: str) -> str:
    # French typography puts a space before the colon
    return "\u00a0:" if lang == "fr" else ":"


# --- the pairing's explanations, unfilled slots, changes and partner reasons -----------------------
# The pairing words its `why` and `reason` fields with these functions in English; the workbook words
# the same facts in its language. A record without the facts (an older result file) keeps its sentence.


def points_text(value: object, lang: str) -> str:
    number_ = as_number(value)
    return number(number_, lang) if number_ is not None else str(value)


def points_needed_text(value: float, lang: str) -> str:
    # rounded up, so that "more than X" is always enough: 9.6666 -> "9,67"
    return number(math.ceil(round(value * 100, 6)) / 100, lang)


def plain_number_text(value: object, lang: str) -> str:
    number_ = as_number(value)
    if number_ is None:
        return str(value)
    return str(int(number_)) if number_ == int(number_) else number(number_, lang)


def pair_value_text(terms: Mapping[str, Any], lang: str) -> str:
    """A pair value's terms as one line: "score 60.00 + preference 2.50 + language 5.00" (the score
    always, the other terms when they add something)."""
    parts = []
    for key, value in terms.items():
        number_ = as_number(value)
        if key != "score" and not number_:
            continue
        shown = number(number_, lang) if number_ is not None else str(value)
        parts.append(
            sentence(f"pair_value_{key}", lang, value=shown)
            if has_sentence(f"pair_value_{key}")
            else f"{key} {shown}"
        )
    return " + ".join(parts)


def tie_break_text(keys: Iterable[object], lang: str) -> str:
    """The tie-break chain as the order it sorts in: "form completed earliest, then lowest NIS code"."""
    words = [
        sentence(f"tie_break_{key}", lang) if has_sentence(f"tie_break_{key}") else str(key) for key in keys
    ]
    return sentence("tie_break_then", lang).join(words)


def obstacle_phrase(obstacle: Mapping[str, Any], lang: str) -> str | None:
    kind = str(obstacle.get("kind"))
    if f"ob_{kind}" not in _OBSTACLE_KINDS:
        return None
    country = code_label(str(obstacle.get(COUNTRY) or ""), lang)
    fields: dict[str, Any] = {"country": country, "partner": obstacle.get(PARTNER) or ""}
    if kind == "language":
        fields["languages"] = in_languages([str(c) for c in obstacle.get("languages") or ()], lang)
    elif kind == "preference":
        fields["asked"] = code_label(str(obstacle.get("asked") or ""), lang)
    elif kind == "below_min":
        fields["value"] = points_text(obstacle.get("value"), lang)
        fields["minimum"] = plain_number_text(obstacle.get("min_value"), lang)
    return sentence(f"ob_{kind}", lang, **fields)


_OBSTACLE_KINDS: Final = frozenset(
    f"ob_{k}"
    for k in (
        "language",
        "preference",
        "no_slots",
        "partner_not_eligible",
        "forbidden",
        "below_min",
        "no_partner",
    )
)
_NEEDS: Final = frozenset({"score", "tie", "slots", "stay", "kept", "time_limit", "not_computed", "budget"})


def candidate_names(people: Iterable[object], known: Mapping[str, str]) -> list[str]:
    out = []
    for person in people:
        if isinstance(person, Mapping):
            out.append(str(person.get(MUNICIPALITY) or display_name(known, person.get(CANDIDATE_ID))))
        else:
            out.append(display_name(known, person))
    return out


def _where(countries: Sequence[str], lang: str) -> str:
    """ "in Rwanda en Benin"; French repeats the preposition: "au Rwanda et au Bénin"."""
    names = [code_label(c, lang) for c in countries]
    if lang == "fr":
        return join_words([sentence("in_country", lang, country=c) for c in names], lang)
    return sentence("in_country", lang, country=join_words(names, lang))


def _lower(explanation: Mapping[str, Any], lowest: Mapping[str, Any]) -> bool:
    """ "less than" only when it is: a tie or a locked pair can leave a better pair out."""
    best, weakest = as_number(explanation.get("best_value")), as_number(lowest.get("value"))
    return best is None or weakest is None or best < weakest


# the partner the pairing without stability gives a candidate the stable pairing leaves out or moves
WITHOUT_STABILITY: Final = "partner_without_stability"


def why_text(
    explanation: Mapping[str, Any], known: Mapping[str, str], lang: str, *, value_said: bool = False
) -> str | None:
    """One short sentence or two: selected with whom, or the main reason not and what would change it;
    where the selection depends on the weights (pair --robustness), the share that selects it.
    `value_said`: the text around it names the partner and the pair's value already (a letter), so a
    selected candidate's sentence keeps only what it adds to them ("" when nothing)."""
    text = _why_text(explanation, known, lang, value_said=value_said)
    share = as_number(explanation.get("weight_share"))
    if text is None or share is None or not 0 < share < 1:
        return text
    key = "why_weight_share" if explanation.get("selected") else "why_weight_share_not"
    return f"{text} {sentence(key, lang, share=percent_text(share, lang))}".strip()


def percent_text(share: float, lang: str) -> str:
    """A share (0-1) as a whole percentage, never 0 or 100 when it is neither."""
    value = round(100 * share)
    value = 1 if value == 0 and share > 0 else 99 if value == 100 and share < 1 else value
    return number(value, lang, 0)


def _why_text(
    explanation: Mapping[str, Any], known: Mapping[str, str], lang: str, *, value_said: bool = False
) -> str | None:
    recorded = explanation.get("why")
    fallback = str(recorded) if recorded else None
    cause = explanation.get("cause")
    country = code_label(str(explanation.get(COUNTRY) or ""), lang)
    if cause in {"selected", "locked"}:
        if explanation.get("value") is None or not explanation.get(PARTNER):
            return fallback
        value = points_text(explanation.get("value"), lang)
        where = sentence("in_country", lang, country=country)
        said = sentence(str(cause), lang, partner=explanation.get(PARTNER), in_country=where, value=value)
        if value_said and cause == "selected":
            said = ""
        moved = explanation.get(WITHOUT_STABILITY)
        if moved and moved != explanation.get(PARTNER):
            said = f"{said} {sentence('stability_moved', lang, partner=moved)}".strip()
        return said
    head = sentence("not_selected", lang)
    if cause == "excluded":
        word = decision_word("exclude", lang)
        return f"{head} {sentence('excluded_by_committee', lang, word=word)}"
    if cause == "no_pair":
        obstacles = explanation.get("obstacles")
        if not isinstance(obstacles, list):
            return fallback
        phrases = [p for o in obstacles if isinstance(o, Mapping) and (p := obstacle_phrase(o, lang))]
        phrases = list(dict.fromkeys(phrases))
        if phrases:
            body = sentence("no_pair", lang, obstacles=sentence("list_separator", lang).join(phrases))
        else:
            # no obstacle at all: there is no partner to pair with
            body = sentence("no_pair_no_partners" if not obstacles else "no_pair_bare", lang)
        needed = as_number(explanation.get("score_needed"))
        if explanation.get("need") == "score" and needed is not None:
            # every pair under the minimum value: a higher score lifts one to it
            points = points_needed_text(needed, lang)
            displaced = candidate_names(explanation.get("displaces") or (), known)
            tail = (
                sentence("need_score", lang, points=points, names=join_words(displaced, lang))
                if displaced
                else sentence("need_score_free", lang, points=points)
            )
            return f"{head} {body} {tail}"
        return f"{head} {body}"
    need = explanation.get("need")
    if need not in _NEEDS:
        return fallback
    taken = explanation.get("province_taken_by") or []
    rivals = [r for r in explanation.get("outranked_by") or () if isinstance(r, Mapping)]
    if explanation.get(WITHOUT_STABILITY):
        # the pairing without stability selects it: stability is what leaves it out
        text = f"{head} {sentence('stability_left_out', lang, partner=explanation.get(WITHOUT_STABILITY))}"
    elif cause == "province_cap" and taken and explanation.get(PROVINCE):
        first = sentence(
            "province_cap",
            lang,
            n=len(taken),
            province_of=province_of(str(explanation.get(PROVINCE)), lang),
            names=", ".join(candidate_names(taken, known)),
        )
        text = f"{head} {first}"
    elif rivals and all(r.get("own_value") is not None and r.get(PARTNER) for r in rivals):
        # the closest contest: its value with that partner against the selected candidate's there
        rival = rivals[0]
        own, theirs = as_number(rival.get("own_value")), as_number(rival.get("value"))
        lower = own is not None and theirs is not None and own < theirs
        first = sentence(
            "outranked_on" if lower else "outranked_on_not_lower",
            lang,
            partner=rival.get(PARTNER),
            value=points_text(rival.get("own_value"), lang),
            rival=candidate_names([rival], known)[0],
            rival_value=points_text(rival.get("value"), lang),
        )
        text = f"{head} {first}"
    elif rivals:  # an older result file: its rivals without the partner they were compared on
        lowest = min(rivals, key=lambda r: as_number(r.get("value")) or 0.0)
        countries = [str(c) for c in explanation.get("countries") or ()] or [str(lowest.get(COUNTRY))]
        first = sentence(
            "outranked" if _lower(explanation, lowest) else "outranked_not_lower",
            lang,
            value=points_text(explanation.get("best_value"), lang),
            where=_where(countries, lang),
            lowest=candidate_names([lowest], known)[0],
            lowest_value=points_text(lowest.get("value"), lang),
        )
        text = f"{head} {first}"
    elif cause == "quota" and explanation.get("quota_full"):
        where = _where([str(c) for c in explanation.get("quota_full") or ()], lang)
        text = f"{head} {sentence('quota_full', lang, where=where)}"
    elif cause == "locks":
        text = f"{head} {sentence('partners_locked', lang)}"
    else:
        text = sentence("not_selected_bare", lang)
    needed = as_number(explanation.get("score_needed"))
    displaced = candidate_names(explanation.get("displaces") or (), known)
    if need == "score" and needed is not None:
        points = points_needed_text(needed, lang)
        tail = (
            sentence("need_score", lang, points=points, names=join_words(displaced, lang))
            if displaced
            else sentence("need_score_free", lang, points=points)
        )
    elif need == "tie" and explanation.get("tie_break"):
        order = tie_break_text(explanation.get("tie_break") or (), lang)
        tail = sentence("need_tie_order", lang, order=order)
    elif need in {"tie", "slots", "stay", "kept", "time_limit", "budget"}:
        tail = sentence(f"need_{need}", lang)
    else:
        tail = ""
    if "cause" in (explanation.get("not_computed") or ()):
        tail = f"{tail} {sentence('cause_not_computed', lang)}"
    return f"{text} {tail}".strip()


def alternatives_text(note: Mapping[str, Any], lang: str) -> str:
    """How many alternatives there are, and which partners are interchangeable, in a sentence or two."""
    asked, found = int(note.get("asked") or 0), int(note.get("found") or 0)
    parts = []
    if note.get("not_computed"):  # the time budget ran out: how many more exist is not known
        parts.append(sentence("alternatives_not_computed", lang, n=found, asked=asked))
    elif found < asked:
        parts.append(sentence("alternatives_fewer", lang, n=found, asked=asked))
    for group in note.get("interchangeable") or ():
        names = join_words([str(g) for g in group], lang)
        parts.append(sentence("partners_interchangeable", lang, names=names))
    return " ".join(parts)


def unfilled_text(gap: Mapping[str, Any], lang: str) -> str:
    """Why slots stay open in one country, from the facts the pairing records."""
    recorded = str(gap.get("reason") or "")
    cause = gap.get("cause")
    country = code_label(str(gap.get(COUNTRY) or ""), lang)
    filled, quota = gap.get("filled"), gap.get("quota")
    if cause not in {"few_partners", "no_partners", "few_candidates", "blocked"} or filled is None:
        return recorded
    head = sentence("unfilled_head", lang, filled=filled, quota=quota)

    def count(key: str) -> int:
        return int(as_number(gap.get(key)) or 0)

    if cause == "few_partners":
        body = sentence("few_partners", lang, n=count("eligible_partners"), country=country)
        if count("ineligible_partners"):
            body += sentence("more_not_eligible", lang, n=count("ineligible_partners"))
    elif cause == "no_partners":
        body = sentence("no_partners", lang, country=country)
    else:
        codes = [str(c) for c in gap.get("languages") or ()]
        languages = in_languages(codes, lang) if codes else ""
        n = count("candidates")

        def speaking(k: int) -> str:
            return sentence("speaking", lang, n=k, languages=languages) if codes else ""

        if cause == "few_candidates":
            body = sentence("few_candidates", lang, n=n, country=country, speaking=speaking(n))
            excluded = count("language_ok") - n
            wrong = count("accepting") - count("language_ok")
            if excluded > 0:
                body += sentence("more_excluded", lang, n=excluded)
            elif codes and wrong > 0:
                body += sentence("more_wrong_language", lang, n=wrong, country=country, languages=languages)
        else:
            body = sentence("blocked", lang, n=n, country=country, speaking=speaking(n))
            if count("elsewhere"):
                body += sentence("elsewhere", lang, n=count("elsewhere"))
            if count("capped"):
                provinces = [code_label(str(p), lang) for p in gap.get("capped_provinces") or ()]
                body += sentence(
                    "capped",
                    lang,
                    n=count("capped"),
                    cap=gap.get("max_per_province"),
                    provinces=", ".join(provinces),
                )
            if not count("elsewhere") and not count("capped"):
                body += sentence("no_room", lang)
    return head + body + "."


_GONE: Final = frozenset(
    {"more_slots", "stay", "more_kept", "more_value", "tie", "not_candidate", "no_partner", "locked"}
)


def gone_text(change: Mapping[str, Any], lang: str) -> str | None:
    """Why a pair of the previous shortlist could not stay, in `lang`."""
    cause = change.get("cause")
    obstacle = change.get("obstacle")
    if isinstance(obstacle, Mapping):
        phrase = obstacle_phrase(obstacle, lang)
        if phrase:
            return phrase
    if cause in _GONE:
        return sentence(f"gone_{cause}", lang, partner=change.get(PARTNER) or "")
    reason = change.get("reason")
    return str(reason) if reason and reason != "new pair" else None


def change_reason(change: Mapping[str, Any], lang: str) -> str | None:
    """Why a pair of the previous shortlist changed: an added pair is new, a dropped one is gone for
    the reason `gone_text` words."""
    if change.get("change") == "added":
        return sentence("change_new", lang)
    return gone_text(change, lang)


def no_slots_reason(country: str, lang: str) -> str:
    """Why a partner of a country without slots is not eligible."""
    return sentence("ob_no_slots", lang, country=code_label(country, lang))


def partner_facts(partner: Mapping[str, Any], quotas: Mapping[str, int]) -> list[dict[str, Any]]:
    """Why a partner record of a pairing result is not eligible, as facts: a city link with a
    Flemish local government, or no slots in its country. Empty for an eligible partner."""
    if partner.get(HAS_FLEMISH_LINK):
        return [{"code": "linked"}]
    country = str(partner.get(COUNTRY) or "")
    if not partner.get(ELIGIBLE, True) and int(quotas.get(country) or 0) <= 0:
        return [{"code": "no_slots", COUNTRY: country}]
    return []


def partner_reason(facts: Mapping[str, Any], lang: str) -> str | None:
    """One of `partner_facts` as a phrase in `lang`, or None for facts it has no sentence for."""
    code = facts.get("code")
    if code == "linked":
        return sentence("partner_linked", lang)
    if code == "no_slots":
        return no_slots_reason(str(facts.get(COUNTRY) or ""), lang)
    return None


def partner_reasons(partner: Mapping[str, Any], quotas: Mapping[str, int], lang: str) -> object:
    """A partner record's `reasons` in `lang`, worded from its facts; the recorded reasons stay when
    the facts do not go with them one for one (a table with reasons of its own, an older file)."""
    recorded = partner.get(REASONS)
    if not isinstance(recorded, list | tuple):
        return recorded
    facts = partner_facts(partner, quotas)
    worded = [partner_reason(f, lang) for f in facts]
    if len(worded) != len(recorded) or any(w is None for w in worded):
        return [str(r) for r in recorded]
    return worded


# --- intake's reasons and issues, worded in the workbook's language ----------------------------------
# As with the pairing's explanations: the JSON keeps intake's English sentences (`reasons`, an issue's
# `problem`) beside their facts (`reason_codes`, an issue's `params`); the workbook words the facts.
# Facts it has no sentence for (a newer code, an older result file) leave the recorded English.

_BAD_FACTS: Final = (KeyError, IndexError, TypeError, ValueError)
# The language the JSON records its sentences in. Its notes on names keep the data's own forms, as
# they always have: a province by its Dutch name, the day of a merger as 2025-01-01, a language by
# its code ("Malines (fr)"), municipalities listed with commas. A workbook in English reads the same.
RECORDED: Final = "en"


def note_text(facts: object, lang: str) -> str | None:
    """How a name as written was read (reference's `Resolution.facts`), or None."""
    if not isinstance(facts, Mapping) or not has_sentence(f"note_{facts.get('code')}"):
        return None
    code = str(facts.get("code"))
    try:
        text = sentence(f"note_{code}", lang, **note_fields(code, facts, lang))
        if code == "fuzzy" and isinstance(facts.get("merged"), Mapping):
            merged = note_text(facts["merged"], lang)
            if merged is None:
                return None
            text += sentence("list_separator", lang) + merged
    except _BAD_FACTS:
        return None
    return text


def note_fields(code: str, facts: Mapping[str, Any], lang: str) -> dict[str, Any]:
    if code in {"province", "formula", "unknown"}:
        return {"name": quoted(str(facts["name"]), lang)}
    if code == "province_conflict":
        province = str(facts["province"])
        written = [code_label(str(p), lang) for p in facts["written"]]
        if lang == RECORDED:
            return {
                "municipality": facts["municipality"],
                "province_of": province,
                "written": " or ".join(str(p) for p in facts["written"]),
            }
        return {
            "municipality": facts["municipality"],
            "province_of": province_of(province, lang),
            "written": join_words(written, lang, conjunction="or"),
        }
    if code == "several":
        return {"names": _names_text(facts["names"], lang)}
    if code == "alias":
        language = str(facts["lang"]) if lang == RECORDED else code_label(str(facts["lang"]), lang)
        return {"name": facts["name"], "language": language}
    if code == "merged":
        day = str(facts["date"])
        return {
            "former": facts["former"],
            "municipality": facts["municipality"],
            "date": day if lang == RECORDED else long_date(day, lang),
        }
    if code in {"not_flemish", "not_flemish_fuzzy"}:
        # a Walloon or Brussels municipality by its French name for a French reader: Liège, not Luik
        name = facts.get("name_fr") if lang == "fr" and facts.get("name_fr") else facts["name"]
        return {"name": name, "in_region": in_region(str(facts["region"]), lang)}
    if code == "fuzzy":
        return {
            "written": quoted(str(facts["written"]), lang),
            "municipality": facts["municipality"],
            "similarity": number(float(facts["similarity"]), lang),
        }
    fields: dict[str, Any] = {}
    if "codes" in facts:
        fields["codes"] = ", ".join(str(c) for c in facts["codes"])
    if "names" in facts:
        fields["names"] = _names_text(facts["names"], lang)
    if "municipality" in facts:
        fields["municipality"] = facts["municipality"]
    return fields


def _names_text(names: Iterable[object], lang: str) -> str:
    words = [str(n) for n in names]
    return ", ".join(words) if lang == RECORDED else join_words(words, lang)


def reason_text(facts: object, lang: str) -> str | None:
    """Why a submission is not an eligible candidate (one of intake's `reason_codes`), or None."""
    if not isinstance(facts, Mapping) or not has_sentence(f"reason_{facts.get('code')}"):
        return None
    code = str(facts.get("code"))
    fields: dict[str, Any] = {}
    if code == "superseded":
        fields["by"] = plain_number_text(facts.get("by"), lang)
    elif code in {"not_flemish", "unresolved"}:
        fields["note"] = note_text(facts.get("note"), lang)
    elif code in {"refuses", "not_confirmed"}:
        # a field the catalogue has no words for (a criteria file's own) is named by its key
        fields["commitment"] = commitment(str(facts.get("field")), lang) or str(facts.get("field"))
    if any(v is None for v in fields.values()):
        return None
    try:
        return sentence(f"reason_{code}", lang, **fields)
    except _BAD_FACTS:
        return None


def issue_text(issue: Mapping[str, Any], lang: str) -> str | None:
    """An intake issue's problem from its `kind` and `params`, or None."""
    params = issue.get(ISSUE_PARAMS)
    kind = issue.get(ISSUE_KIND)
    if not isinstance(params, Mapping) or not kind:
        return None
    variant = params.get("variant")
    base = f"issue_{str(kind).replace('-', '_')}"
    key = f"{base}_{variant}" if variant else base
    if not has_sentence(key):
        return None
    try:
        fields = issue_fields(str(kind), params, lang)
        if fields is None:
            return None
        text = sentence(key, lang, **fields)
        if kind == "superseded":
            if params.get("undated"):
                text += sentence(f"issue_superseded_undated_{params['undated']}", lang)
            if params.get("similar"):
                winner = quoted(str(params["winner_name"]), lang)
                text += sentence(
                    "issue_superseded_similar", lang, winner=winner, municipality=params["municipality"]
                )
    except _BAD_FACTS:
        return None
    return text


def issue_fields(kind: str, params: Mapping[str, Any], lang: str) -> dict[str, Any] | None:
    variant = params.get("variant")
    if kind in {"name-unresolved", "name-not-flemish", "name-low-confidence"}:
        note = note_text(params.get("note"), lang)
        return None if note is None else {"note": note}
    if kind == "unreadable-answer" and variant == "rating":
        return {"low": params["low"], "high": params["high"]}
    if kind == "unknown-option" and variant == "choice":
        return {"options": ", ".join(quoted(str(o), lang) for o in params["options"])}
    if kind == "superseded":
        return {
            "municipality": params["municipality"],
            "by": params["by"],
            "own": params["own"],
            "other": params["other"],
            "winner": params["winner_name"],
        }
    if kind == "same-completion-time":
        return {"completed": moment(str(params["completed"]), lang), "by": params["by"], **_place(params)}
    if kind == "bad-id":
        return {"id": params.get("id"), "numbered": params["numbered"]}
    if kind == "skipped-rows":
        return {"n": int(params["n"])}
    if kind == "other-sheet":
        passed = [
            f"{quoted(str(p['sheet']), lang)} ({intake_word(str(p['why']), lang)})"
            if p.get("why")
            else quoted(str(p["sheet"]), lang)
            for p in params.get("passed") or ()
        ]
        return {"sheet": quoted(str(params["sheet"]), lang), "passed": ", ".join(passed)}
    if kind == "time-order":
        return {
            "started": moment(str(params["started"]), lang),
            "completed": moment(str(params["completed"]), lang),
        }
    if kind == "date-order":
        first = intake_word("day" if params["day_first"] else "month", lang)
        if variant == "proven":
            return {"first": first, "example": quoted(str(params["example"]), lang)}
        return {
            "first": first,
            "a": quoted(str(params["day_first_example"]), lang),
            "b": quoted(str(params["month_first_example"]), lang),
        }
    if kind == "row-shape":
        return {"width": params["width"]}
    if kind == "implausible-date":
        return {"date": moment(str(params["date"]), lang)}
    return {}


def _place(params: Mapping[str, Any]) -> dict[str, Any]:
    return {"municipality": params["municipality"]}


def resolution_text(cand: Mapping[str, Any], lang: str) -> str | None:
    """How the name was read, and the note on it: "naam van vóór de fusie: Wachtebeke is op ..."."""
    method = cand.get(RESOLUTION)
    if is_missing(method):
        return None
    head = resolution_label(str(method), lang)
    note = note_text(cand.get(RESOLUTION_FACTS), lang)
    if note is None and not is_missing(cand.get(RESOLUTION_NOTE)) and str(cand.get(RESOLUTION_NOTE)).strip():
        note = str(cand.get(RESOLUTION_NOTE))
    return f"{head}{colon_for(lang)} {note}" if note else head


# --- the notes of the reviews and of the scoring ------------------------------------------------------
# read_reviews and score record their notes as facts and word them in English for the result's
# `reviews` block (`notes`, `scoring_notes`); the facts hold every candidate a note is about.


def candidates_text(candidates: Iterable[Mapping[str, Any]], lang: str, limit: int | None = None) -> str:
    """Candidates of a note, "Gent (44021)" where the name is known, else the id; beyond `limit` the
    list is cut with "and 12 more" (every candidate is in the totals anyway)."""
    shown = [f"{c['name']} ({c['id']})" if c.get("name") else str(c["id"]) for c in candidates]
    if limit is None or len(shown) <= limit:
        return ", ".join(shown)
    return sentence("listed_more", lang, names=", ".join(shown[:limit]), n=len(shown) - limit)


def review_note_text(facts: Mapping[str, Any], lang: str) -> str:
    """A note of read_reviews (`Reviews.notes`) from its facts: ratings ignored, candidates unrated."""
    candidates = list(facts["candidates"])
    names = candidates_text(candidates, lang)
    return sentence(f"review_note_{facts['code']}", lang, n=len(candidates), names=names)


def scoring_note_text(facts: Mapping[str, Any], lang: str) -> str:
    """A note of the scoring (`Scores.notes`) from its facts: where the rubric's values came from."""
    code = str(facts["code"])
    fields: dict[str, Any] = {k: facts[k] for k in ("criterion", "fallback") if k in facts}
    for key in ("unknown", "low", "high"):
        if key in facts:
            fields[key] = _raw_value(float(facts[key]), lang)
    candidates = list(facts.get("candidates") or ())
    if candidates:
        fields["names"] = candidates_text(candidates, lang, limit=_LISTED)
    if code == "self_assessment":
        return sentence(f"scoring_note_{code}", lang, n=int(facts["total"]), count=len(candidates), **fields)
    n = int(facts["n"]) if "n" in facts else len(candidates)
    return sentence(f"scoring_note_{code}", lang, n=n, **fields)


_LISTED: Final = 20


def _raw_value(value: float, lang: str) -> str:
    """A raw value as the criteria write it, "1" or "2.5"; with a decimal comma in Dutch and French."""
    text = f"{value:g}"
    return text if lang == "en" else text.replace(".", ",")


def replacement_text(record: Mapping[str, Any], known: Mapping[str, str], lang: str) -> str:
    """What happens when one selected candidate withdraws: who takes the place, with which partner,
    who moves to another partner and who drops out, from a `replacements` record."""
    if not record.get("computed"):
        return sentence("replacement_not_computed", lang)
    parts = []
    for entry in record.get("enters") or ():
        cid, partner = pair_key(entry)
        parts.append(sentence("replacement_enters", lang, name=display_name(known, cid), partner=partner))
    if not parts:
        parts.append(sentence("replacement_nobody", lang))
    for move in record.get("moves") or ():
        if isinstance(move, list | tuple) and len(move) == 3:
            name = display_name(known, move[0])
            parts.append(sentence("replacement_moves", lang, name=name, partner=move[2]))
    leaves = [display_name(known, c) for c in record.get("leaves") or ()]
    if leaves:
        parts.append(sentence("replacement_leaves", lang, names=join_words(leaves, lang)))
    return sentence("list_separator", lang).join(parts)


# --- what the committee's decisions cost ------------------------------------------------------------


def cost_sentences(cost: Mapping[str, Any], lang: str) -> list[str]:
    """The total value and the filled slots before and after a round's decisions, as sentences:
    "Totale waarde van de koppelingen: 607,6 → 597,9 (−9,7 punten)."."""
    before, after = as_number(cost.get("total_value_before")), as_number(cost.get("total_value"))
    if after is None:
        return []
    if before is None:
        lines = [sentence("cost_unrecorded", lang, after=number(after, lang, 1))]
    else:
        difference = round(after - before, 6)
        shown = number(abs(difference), lang, 1)
        key = (
            "cost_total_lost" if difference < 0 else "cost_total_won" if difference > 0 else "cost_total_same"
        )
        lines = [
            sentence(key, lang, before=number(before, lang, 1), after=number(after, lang, 1), points=shown)
        ]
    filled_before, filled = as_number(cost.get("filled_before")), as_number(cost.get("filled"))
    if filled_before is not None and filled is not None:
        lines.append(sentence("cost_filled", lang, before=int(filled_before), after=int(filled)))
    return lines


def summary_line(block: Mapping[str, Any], lang: str = "en") -> str:
    """One line on a robustness block: how often the shortlist and the pairs stay the same."""
    pairings = [p for p in block.get("pairings") or () if isinstance(p, Mapping)]
    chosen = next((p for p in pairings if p.get("contains_chosen")), None)
    picked = set(chosen.get("selected") or ()) if chosen else set()
    same = sum(float(p.get("share") or 0) for p in pairings if set(p.get("selected") or ()) == picked)
    pairs = sum(float(p.get("share") or 0) for p in pairings if p.get("contains_chosen"))
    method = str(block.get("method") or "exact")
    return sentence(
        "robustness_summary",
        lang,
        share=percent_text(round(same, 6), lang),
        pairs=percent_text(round(pairs, 6), lang),
        method=sentence(f"robustness_method_{method}", lang, n=int(block.get("samples") or 0)),
    )


# ---- stability


def blocking_text(pair: Mapping[str, Any], known: Mapping[str, str], lang: str) -> str:
    """ "Karongi rated Gent 5 and its partner 3; Gent asked for Rwanda and is not selected"."""
    recorded = str(pair.get("why") or "")
    if "rating" not in pair or not pair.get(PARTNER) or not pair.get(CANDIDATE_ID):
        return recorded  # an older result file: its sentence as recorded

    def rating(value: object) -> str:
        number = as_number(value)
        return str(int(number)) if number is not None else "-"

    candidate = display_name(known, pair.get(CANDIDATE_ID))
    if pair.get("partner_has") is None:
        partner_has = sentence("partner_has_open_slot", lang)
    else:
        other = display_name(known, pair.get("partner_has"))
        partner_has = sentence(
            "partner_has_pair", lang, other=other, other_rating=rating(pair.get("partner_has_rating"))
        )
    if pair.get("candidate_has") is None:
        asked = code_label(str(pair.get("asked") or ""), lang)
        candidate_has = sentence("candidate_not_selected", lang, asked=asked)
    else:
        candidate_has = sentence(
            "candidate_has_pair", lang, partner=pair.get(PARTNER), other=pair.get("candidate_has")
        )
    return sentence(
        "blocking_pair",
        lang,
        partner=pair.get(PARTNER),
        candidate=candidate,
        rating=rating(pair.get("rating")),
        partner_has=partner_has,
        candidate_has=candidate_has,
    )
