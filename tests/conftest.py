"""Shared fixtures: real form exports written with openpyxl (or as CSV) into tmp_path."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from matchmaker.sample import HEADERS, write_export

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_data"

FormWriter = Callable[..., Path]


def answers(submission_id: int = 1, name: str = "Gemeente Zulte", **overrides: Any) -> dict[str, Any]:
    """One complete, valid submission keyed by the export's headers; keyword overrides by header.

    Overrides use the header text, or these short keys: pref, languages, commit (a 4-tuple),
    completed (datetime), rating, motivation, actors, themes.
    """
    completed = overrides.pop(
        "completed", dt.datetime(2023, 10, 1, 10, 0) + dt.timedelta(hours=submission_id)
    )
    commit = overrides.pop("commit", ("Ja", "Ja", "Ja", "Ja"))
    row: dict[str, Any] = {
        "Id": submission_id,
        "Begintijd": completed - dt.timedelta(minutes=20) if isinstance(completed, dt.datetime) else None,
        "Tijd van voltooien": completed,
        "E-mail": "anonymous",
        "Naam": "An Peeters",
        "Naam van het lokaal bestuur": name,
        "Naam contactpersoon": "An Peeters",
        "Functie contactpersoon": "Beleidsmedewerker",
        "E-mailadres contactpersoon": "an.peeters@gemeente.example",
        "Voorkeur partnerland": overrides.pop("pref", "Rwanda (burgerparticipatie)"),
        "Waarom wil uw bestuur deelnemen aan een SDG-partnerschap?": overrides.pop(
            "motivation", "We willen op gelijke voet uitwisselen en leren van onze partner."
        ),
        "Welke lopende projecten of welk beleid rond het thema kan uw bestuur inbrengen?": "Burgerbudget",
        "Wie is binnen uw bestuur betrokken?": "Burgemeester of schepen;Ambtenaren;",
        "Welke andere actoren wilt u betrekken?": overrides.pop("actors", "Middenveld;Scholen;"),
        "Welke thema's rond lokale welvaart spreken u aan?": overrides.pop("themes", ""),
        "Heeft uw bestuur een actieve stedenband met een partner in het globale Zuiden?": "Nee",
        "Zo ja, met welke partner en in welk land?": "",
        "Engagement: deelname aan minstens 3 digitale sessies per jaar": commit[0],
        "Engagement: minstens één werkbezoek en één ontvangst van een delegatie": commit[1],
        "Engagement: tijdsinvestering januari 2024 - december 2025": commit[2],
        "Engagement: feedback aan de VVSG": commit[3],
        "In welke talen kan uw delegatie werken?": overrides.pop("languages", "Nederlands;Engels;"),
        "Is de kandidatuur goedgekeurd door het college van burgemeester en schepenen?": "Ja",
        "Hoe groot is de bereidheid om op gelijkwaardige basis uit te wisselen?": overrides.pop("rating", 4),
    }
    for key, value in overrides.items():
        if key not in row:
            raise KeyError(f"unknown header in test data: {key!r}")
        row[key] = value
    return row


def _as_rows(rows: Sequence[dict[str, Any] | None], headers: Sequence[str]) -> list[list[object] | None]:
    return [None if r is None else [r.get(h) for h in headers] for r in rows]


@pytest.fixture
def write_form(tmp_path: Path) -> FormWriter:
    """write_form(rows, name="form.xlsx", headers=HEADERS): a real export file, .xlsx or .csv."""

    def write(
        rows: Sequence[dict[str, Any] | None],
        name: str = "form.xlsx",
        headers: Sequence[str] = HEADERS,
    ) -> Path:
        out = tmp_path / name
        if out.suffix == ".csv":
            with out.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(headers)
                for row in _as_rows(rows, headers):
                    writer.writerow([] if row is None else ["" if v is None else _csv_value(v) for v in row])
            return out
        return write_export(_as_rows(rows, headers), out, headers)

    return write


def _csv_value(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    return str(value)


@pytest.fixture
def sample_form() -> Path:
    return SAMPLE_DIR / "candidacies.xlsx"
