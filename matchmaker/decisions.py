"""The committee's decisions read back from a shortlist workbook: pairs kept or refused, candidates
excluded, partners chosen, checked for contradictions, ready to re-solve with.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .criteria import Criteria
from .errors import DecisionError
from .export.layout import (
    COL_COUNTRY,
    COL_DECISION,
    COL_MUNICIPALITY,
    COL_NOTE,
    COL_PAIR_WITH,
    COL_PARTNER,
    COL_PROVINCE,
    COL_REFNIS,
    COL_VALUE,
    KIND_FORBIDDEN,
    PROP_FILLED,
    PROP_TOTAL_VALUE,
    SHEET_PAIRS,
    SHEET_PARAMETERS,
    SHEET_PARTNERS,
    SHEET_SHORTLIST,
    SHORTLIST_MARKS,
)
from .export.typed import typed_decisions
from .files import Book, Grid, read_workbook, workbook_custom_properties
from .form_mapping import fold
from .i18n import CANDIDATE_DECISIONS, LANGS, PAIR_DECISIONS, code_label, decision_word, label
from .pairing import PairingResult, lock_conflicts
from .schema import CANDIDATE_ID, COUNTRIES, COUNTRY, PARTNER, ChangeRecord, NoteRecord

__all__ = ["Decisions", "Pair", "read_decisions", "typed_decisions"]

Pair = tuple[str, str]


@dataclass(frozen=True)
class Decisions:
    """What the committee wrote in a shortlist workbook, ready to re-solve with.

    `locks` and `forbids` are (candidate_id, partner) pairs; `excluded` candidates get no partner;
    `previous` are the pairs the workbook showed, to be kept where the decisions allow it.
    `sources` says where each decision was written, as (sheet, row). `total_value` and `filled` are
    the previous round's total value and filled slots as its workbook recorded them (None when it
    does not: a workbook of an older version, or saved as .ods or .xls), `values` each previous
    pair's value as its Koppelingen sheet shows it.
    """

    path: Path
    locks: tuple[Pair, ...] = ()
    forbids: tuple[Pair, ...] = ()
    excluded: tuple[str, ...] = ()
    previous: tuple[Pair, ...] = ()
    partners: tuple[str, ...] = ()
    sources: Mapping[tuple[str, str, str], tuple[str, int]] = field(default_factory=dict)
    # the committee's notes: (candidate id, partner of the Koppelingen row or "" on Shortlist) -> text
    notes: Mapping[tuple[str, str], str] = field(default_factory=dict)
    total_value: float | None = None
    filled: int | None = None
    values: Mapping[Pair, float] = field(default_factory=dict)

    def cost(self, result: PairingResult) -> dict[str, Any]:
        """The previous round's total value and filled slots beside this result's: what the
        decisions cost in points (`difference` None when the previous total was not recorded)."""
        filled = sum(int(v) for v in result.filled.values())
        before = self.total_value
        return {
            "total_value_before": before,
            "total_value": result.objective,
            "difference": None if before is None else round(result.objective - before, 6),
            "filled_before": self.filled,
            "filled": filled,
        }

    @property
    def keep(self) -> tuple[Pair, ...]:
        """The previous pairs no decision undoes: re-solving preserves as many as it can."""
        gone = set(self.forbids) | {p for p in self.previous if p[0] in self.excluded}
        return tuple(p for p in self.previous if p not in gone)

    def all_forbids(self) -> tuple[Pair, ...]:
        """The forbidden pairs, with an excluded candidate forbidden with every partner."""
        pairs = dict.fromkeys(self.forbids)
        for cid in self.excluded:
            for partner in self.partners:
                pairs.setdefault((cid, partner))
        return tuple(pairs)

    def source(self, kind: str, pair: Pair) -> dict[str, Any] | None:
        found = self.sources.get((kind, pair[0], pair[1] if kind != "exclude" else ""))
        return {"sheet": found[0], "row": found[1]} if found else None

    def apply(self, result: PairingResult) -> PairingResult:
        """The result with what changed from this shortlist, what the decisions cost and the
        committee's notes carried along."""
        return dataclasses.replace(
            result, changes=self.changes(result), cost=self.cost(result), notes=self.carried_notes(result)
        )

    def carried_notes(self, result: PairingResult) -> list[NoteRecord]:
        """The notes for the next round: a note on a pair stays with the pair while it stands; one on a
        pair that is gone, or on a candidate, goes to the candidate's row (with the partner it was on)."""
        now = {(str(p.get(CANDIDATE_ID)), str(p.get(PARTNER))) for p in result.pairs}
        out: list[NoteRecord] = []
        for (cid, partner), text in self.notes.items():
            if partner and (cid, partner) in now:
                out.append(NoteRecord(candidate_id=cid, partner=partner, note=text))
            else:
                out.append(NoteRecord(candidate_id=cid, partner=None, note=text, about=partner or None))
        return out

    def changes(self, result: PairingResult) -> list[ChangeRecord]:
        """Each pair of the previous shortlist or the new result: kept, added or removed, and why."""
        previous = list(dict.fromkeys(self.previous))
        new = [(str(p.get(CANDIDATE_ID)), str(p.get(PARTNER))) for p in result.pairs]
        country = {(str(p.get(CANDIDATE_ID)), str(p.get(PARTNER))): p.get(COUNTRY) for p in result.pairs}
        for partner in result.partners:
            for pair in previous:
                if pair[1] == partner.get(PARTNER):
                    country.setdefault(pair, partner.get(COUNTRY))
        locks, forbids, excluded = set(self.locks), set(self.forbids), set(self.excluded)
        # the pairing's own account of why a kept pair could not stay
        reasons = {
            (str(c.get(CANDIDATE_ID)), str(c.get(PARTNER))): c.get("reason")
            for c in result.changes
            if c.get("change") in {"dropped", "removed"}
        }
        causes = {
            (str(c.get(CANDIDATE_ID)), str(c.get(PARTNER))): (c.get("cause"), c.get("obstacle"))
            for c in result.changes
            if c.get("change") in {"dropped", "removed"}
        }
        moved = {c for c, _ in previous}  # an added pair of a candidate selected before: it moved
        value = {(str(p.get(CANDIDATE_ID)), str(p.get(PARTNER))): p.get("value") for p in result.pairs}
        out: list[ChangeRecord] = []

        def entry(pair: Pair, change: str, decision: str | None, related: list[Pair]) -> None:
            kind_key = decision or ""
            out.append(
                {
                    CANDIDATE_ID: pair[0],
                    PARTNER: pair[1],
                    COUNTRY: country.get(pair),
                    "change": change,
                    "decision": decision,
                    "source": self.source(kind_key, pair) if decision else None,
                    "related": [list(r) for r in related],
                    "reason": reasons.get(pair) if change == "removed" else None,
                    "cause": causes.get(pair, (None, None))[0]
                    if change == "removed"
                    else ("moved" if pair[0] in moved else "new")
                    if change == "added"
                    else None,
                    "obstacle": causes.get(pair, (None, None))[1] if change == "removed" else None,
                    # the points the pair brings (kept, added) or brought in the previous round (removed)
                    "value": self.values.get(pair) if change == "removed" else value.get(pair),
                }
            )

        for pair in new:
            if pair in previous:
                entry(pair, "kept", "lock" if pair in locks else None, [])
            else:
                related = [p for p in previous if p not in new and (p[0] == pair[0] or p[1] == pair[1])]
                entry(pair, "added", "lock" if pair in locks else None, related)
        for pair in previous:
            if pair in new:
                continue
            decision = "forbid" if pair in forbids else "exclude" if pair[0] in excluded else None
            related = [p for p in new if p not in previous and (p[0] == pair[0] or p[1] == pair[1])]
            entry(pair, "removed", decision, related)
        return out


def _all_labels(key: str) -> set[str]:
    return {label(key, lang).casefold() for lang in LANGS}


def _norm(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _find_columns(ws: Grid, keys: Iterable[str]) -> dict[str, int]:
    wanted = {key: _all_labels(key) for key in keys}
    found: dict[str, int] = {}
    for column, value in enumerate(next(ws.iter_rows(min_row=1, max_row=1), ()), start=1):
        text = _norm(value).casefold()
        for key, names in wanted.items():
            if text in names and key not in found:
                found[key] = column
    return found


def _country_code(text: str) -> str:
    for code in COUNTRIES:
        if text.casefold() in {code_label(code, lang).casefold() for lang in LANGS} | {code.casefold()}:
            return code
    return text


def read_decisions(path: Path | str, *, criteria: Criteria | None = None) -> Decisions:
    """Read the committee's decisions from a shortlist workbook written by `write_shortlist`.

    Koppelingen: `vast` keeps a pair, `weiger` never allows it (English and French words too).
    Shortlist: `uitsluiten` excludes a candidate; a partner in `Koppelen aan` locks that pair.
    Parameters: pairs refused in earlier rounds stay refused. Contradictions raise DecisionError
    naming the rows; with `criteria`, so do locks beyond a country's quota or a province's cap.
    """
    path = Path(path)
    workbook = _open_workbook(path)
    for sheet in (SHEET_PAIRS, SHEET_SHORTLIST):
        if sheet not in workbook.sheetnames:
            raise DecisionError(
                f"{path}: no sheet '{sheet}'; expected a shortlist written by matchmaker pair"
            )
    problems: list[str] = []
    sources: dict[tuple[str, str, str], tuple[str, int]] = {}
    locks: dict[Pair, list[tuple[str, int]]] = {}
    forbids: dict[Pair, list[tuple[str, int]]] = {}
    excluded: dict[str, list[tuple[str, int]]] = {}
    previous: list[Pair] = []
    notes: dict[Pair, str] = {}
    province: dict[str, str] = {}
    names: dict[str, str] = {}

    def where(sheet: str, row: int) -> str:
        return f"{sheet} row {row}"

    # partner names as typed matched like everywhere else: without case or stray spaces
    partners, countries = _read_partners(workbook)
    by_fold = {fold(name): name for name in partners}

    def partner_named(typed: str, sheet: str, row: int) -> str | None:
        if not partners or typed in partners:
            return typed
        found = by_fold.get(fold(typed))
        if found is None:
            close = difflib.get_close_matches(typed, partners, n=1, cutoff=0.75)
            close = close or [by_fold[c] for c in difflib.get_close_matches(fold(typed), by_fold, n=1)]
            hint = f"; did you mean '{close[0]}'?" if close else f"; partners: {', '.join(partners)}"
            problems.append(f"{where(sheet, row)}: unknown partner '{typed}'{hint}")
        return found

    def record(kind: str, pair: Pair, at: tuple[str, int]) -> None:
        target = {"lock": locks, "forbid": forbids}[kind]
        target.setdefault(pair, []).append(at)
        sources.setdefault((kind, *pair), at)

    # Koppelingen: the pairs shown, with vast / weiger
    ws = workbook[SHEET_PAIRS]
    cols = _find_columns(
        ws, (COL_REFNIS, COL_PARTNER, COL_DECISION, COL_MUNICIPALITY, COL_PROVINCE, COL_NOTE, COL_VALUE)
    )
    pair_values: dict[Pair, float] = {}
    for key in (COL_REFNIS, COL_PARTNER, COL_DECISION):
        if key not in cols:
            raise DecisionError(f"{path}: sheet '{SHEET_PAIRS}' has no column '{label(key)}'")
    for r, row in enumerate(ws.iter_rows(min_row=2), start=2):
        values = {key: _norm(row[j - 1]) for key, j in cols.items() if j - 1 < len(row)}
        cid, partner, word = (
            values.get(COL_REFNIS, ""),
            values.get(COL_PARTNER, ""),
            values.get(COL_DECISION, ""),
        )
        if not cid and not partner:
            if word:
                problems.append(f"{where(SHEET_PAIRS, r)}: decision '{word}' on a row without a pair")
            continue
        if not cid or not partner:
            problems.append(
                f"{where(SHEET_PAIRS, r)}: the {label(COL_REFNIS, 'en') if not cid else 'partner'} is empty"
            )
            continue
        partner = partner_named(partner, SHEET_PAIRS, r) or partner
        pair = (cid, partner)
        previous.append(pair)
        if values.get(COL_NOTE):
            notes[pair] = values[COL_NOTE]
        names.setdefault(cid, values.get(COL_MUNICIPALITY) or cid)
        if values.get(COL_PROVINCE):
            province[cid] = values[COL_PROVINCE]
        shown_value = _as_float(values.get(COL_VALUE))
        if shown_value is not None:
            pair_values[pair] = shown_value
        kind = PAIR_DECISIONS.get(word.casefold()) or CANDIDATE_DECISIONS.get(word.casefold())
        if not word:
            continue
        if kind is None:
            problems.append(
                f"{where(SHEET_PAIRS, r)}: unknown decision '{word}'; write "
                f"'{decision_word('lock')}' or '{decision_word('forbid')}'"
            )
        elif kind == "exclude":
            excluded.setdefault(cid, []).append((SHEET_PAIRS, r))
            sources.setdefault(("exclude", cid, ""), (SHEET_PAIRS, r))
        else:
            record(kind, pair, (SHEET_PAIRS, r))

    # Shortlist: exclusions, and partners chosen in "Koppelen aan"
    ws = workbook[SHEET_SHORTLIST]
    cols = _find_columns(
        ws, (COL_REFNIS, COL_DECISION, COL_PAIR_WITH, COL_MUNICIPALITY, COL_PROVINCE, COL_NOTE)
    )
    if COL_REFNIS not in cols:
        raise DecisionError(f"{path}: sheet '{SHEET_SHORTLIST}' has no column '{label(COL_REFNIS)}'")
    for r, row in enumerate(ws.iter_rows(min_row=2), start=2):
        values = {key: _norm(row[j - 1]) for key, j in cols.items() if j - 1 < len(row)}
        cid, word, partner = (
            values.get(COL_REFNIS, ""),
            values.get(COL_DECISION, ""),
            values.get(COL_PAIR_WITH, ""),
        )
        if cid:
            names.setdefault(cid, values.get(COL_MUNICIPALITY) or cid)
            if values.get(COL_PROVINCE):
                province.setdefault(cid, values[COL_PROVINCE])
            if values.get(COL_NOTE):
                notes[(cid, "")] = values[COL_NOTE]
        if not word and not partner:
            continue
        if not cid:
            problems.append(f"{where(SHEET_SHORTLIST, r)}: a decision on a row without a candidate")
            continue
        folded = word.casefold()
        if partner and PAIR_DECISIONS.get(folded) == "forbid":
            # refused pairs carried from an earlier round: one row, its partners separated by ";"
            for typed in [x.strip() for x in partner.split(";") if x.strip()]:
                canonical = partner_named(typed, SHEET_SHORTLIST, r)
                if canonical is not None:
                    record("forbid", (cid, canonical), (SHEET_SHORTLIST, r))
            continue
        if partner and folded not in CANDIDATE_DECISIONS:
            canonical = partner_named(partner, SHEET_SHORTLIST, r)
            if canonical is None:
                continue
            partner = canonical
        if folded in CANDIDATE_DECISIONS:
            if partner:
                problems.append(
                    f"{where(SHEET_SHORTLIST, r)}: '{word}' excludes {names[cid]}, yet it is also paired "
                    f"with {partner}"
                )
                continue
            excluded.setdefault(cid, []).append((SHEET_SHORTLIST, r))
            sources.setdefault(("exclude", cid, ""), (SHEET_SHORTLIST, r))
        elif not partner:
            problems.append(
                f"{where(SHEET_SHORTLIST, r)}: '{word}' needs a partner in column '{label(COL_PAIR_WITH)}'"
                if folded in PAIR_DECISIONS
                else f"{where(SHEET_SHORTLIST, r)}: unknown decision '{word}'; write "
                f"'{decision_word('exclude')}' or choose a partner in '{label(COL_PAIR_WITH)}'"
            )
        elif not word or PAIR_DECISIONS.get(folded) == "lock":
            record("lock", (cid, partner), (SHEET_SHORTLIST, r))
        elif PAIR_DECISIONS.get(folded) == "forbid":
            record("forbid", (cid, partner), (SHEET_SHORTLIST, r))
        else:
            problems.append(f"{where(SHEET_SHORTLIST, r)}: unknown decision '{word}'")

    from .files import workbook_keywords

    if workbook_keywords(path).split(" ")[0] == SHORTLIST_MARKS[0]:
        # a workbook of the first layout carried its refusals on Parameters; later ones show each on
        # the candidate's Shortlist row, where clearing it lifts it
        _read_carried_forbids(workbook, record)

    # contradictions: the pairing's one lock check, worded here with the rows of each decision
    for pair, ats in locks.items():
        if pair[0] in excluded:
            at = ", ".join(where(*a) for a in [*ats, *excluded[pair[0]]])
            problems.append(f"{names.get(pair[0], pair[0])} is both excluded and kept with {pair[1]} ({at})")
        if partners and pair[1] not in partners:
            problems.append(f"{', '.join(where(*a) for a in ats)}: unknown partner '{pair[1]}'")

    def rows(pairs: Iterable[Pair]) -> str:
        return ", ".join(where(*a) for p in pairs for a in locks[p])

    def named(pairs: Iterable[Pair]) -> str:
        return ", ".join(
            f"{names.get(p[0], p[0])} – {p[1]} ({s} row {r})" for p in pairs for s, r in locks[p]
        )

    conflicts = lock_conflicts(
        locks,
        forbids,
        country_of=countries if criteria is not None else None,
        province_of=province if criteria is not None else None,
        quotas=criteria.pairing.quotas if criteria is not None else None,
        max_per_province=criteria.pairing.max_per_province if criteria is not None else None,
    )
    for conflict in conflicts:
        pairs, key = conflict.pairs, conflict.key
        if conflict.kind == "both":
            at = ", ".join(where(*a) for a in [*locks[pairs[0]], *forbids[pairs[0]]])
            problems.append(f"{names.get(key, key)} – {pairs[0][1]} is both kept and refused ({at})")
        elif conflict.kind == "partner":
            who = ", ".join(names.get(p[0], p[0]) for p in pairs)
            problems.append(f"{key} is kept with more than one candidate ({who}: {rows(pairs)})")
        elif conflict.kind == "candidate":
            problems.append(
                f"{names.get(key, key)} is kept with more than one partner "
                f"({', '.join(p[1] for p in pairs)}: {rows(pairs)})"
            )
        elif conflict.kind == "quota":
            problems.append(
                f"{len(pairs)} pairs kept for {key}, but its quota is {conflict.limit}: {named(pairs)}"
            )
        else:
            problems.append(
                f"{len(pairs)} pairs kept in province {key}, but at most {conflict.limit} are allowed: "
                f"{named(pairs)}"
            )
    if problems:
        raise DecisionError(f"{path}: contradictory or unclear decisions:\n  " + "\n  ".join(problems))
    return Decisions(
        path=path,
        locks=tuple(locks),
        forbids=tuple(forbids),
        excluded=tuple(excluded),
        previous=tuple(dict.fromkeys(previous)),
        partners=tuple(partners),
        sources=sources,
        notes=notes,
        values=pair_values,
        **_recorded_figures(path),
    )


def _as_float(text: str | None) -> float | None:
    try:
        number = float(text) if text else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def _recorded_figures(path: Path) -> dict[str, Any]:
    """The total value and filled slots the workbook's document properties record (None if not)."""
    recorded = workbook_custom_properties(path) if path.suffix.lower() in {".xlsx", ".xlsm"} else {}
    total, filled = _as_float(recorded.get(PROP_TOTAL_VALUE)), _as_float(recorded.get(PROP_FILLED))
    return {"total_value": total, "filled": None if filled is None else int(filled)}


def _open_workbook(path: Path) -> Book:
    if not path.exists() and not path.is_symlink():
        raise DecisionError(f"{path}: file not found")
    if path.is_dir():
        raise DecisionError(f"{path}: is a folder; expected a shortlist .xlsx")
    # the same archive, size and extent checks as a form export; .xlsx, .ods and .xls alike
    try:
        sheets = read_workbook(path, what="shortlist workbook", error=DecisionError, keep_empty_area=True)
    except DecisionError as exc:
        reason = str(exc).removeprefix(f"{path}: ")
        raise DecisionError(f"{path}: not a readable .xlsx workbook ({reason})") from None
    return Book(sheets)


def _read_partners(workbook: Book) -> tuple[list[str], dict[str, str]]:
    if SHEET_PARTNERS not in workbook.sheetnames:
        return [], {}
    ws = workbook[SHEET_PARTNERS]
    cols = _find_columns(ws, (COL_PARTNER, COL_COUNTRY))
    if COL_PARTNER not in cols:
        return [], {}
    names: list[str] = []
    countries: dict[str, str] = {}
    for row in ws.iter_rows(min_row=2):
        name = _norm(row[cols[COL_PARTNER] - 1]) if cols[COL_PARTNER] <= len(row) else ""
        if name:
            names.append(name)
            if COL_COUNTRY in cols:
                at = cols[COL_COUNTRY] - 1
                countries[name] = _country_code(_norm(row[at]) if at < len(row) else "")
    return names, countries


def _read_carried_forbids(workbook: Book, record: Any) -> None:
    """Pairs refused in an earlier round, listed on Parameters, stay refused."""
    if SHEET_PARAMETERS not in workbook.sheetnames:
        return
    ws = workbook[SHEET_PARAMETERS]
    refnis, partner_names, refused = (
        _all_labels(COL_REFNIS),
        _all_labels(COL_PARTNER),
        _all_labels(KIND_FORBIDDEN),
    )
    in_table = False
    for r, row in enumerate(ws.iter_rows(max_col=4), start=1):
        texts = [_norm(v) for v in row] + [""] * (4 - len(row))
        if texts[2].casefold() in refnis and texts[3].casefold() in partner_names:
            in_table = True
            continue
        if in_table:
            if not texts[0]:
                break
            if texts[0].casefold() in refused and texts[2] and texts[3]:
                record("forbid", (texts[2], texts[3]), (SHEET_PARAMETERS, r))
