"""Deterministic, fictional sample data: a candidacy form export and a partners file.

`python -m matchmaker.sample DIR` writes DIR/candidacies.xlsx, DIR/partners.csv, DIR/truth.json and
three fictional reviewers' filled sheets in DIR/reviews, and in DIR/close-calls a larger pool whose
selection changes within the plausible weights (the robustness analysis's demo).
Every person, e-mail address and Beninese commune in them is invented; the four Rwandan districts
are the real partners of the call. `make_export(n)` scales the same mess up for benchmarks.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
from openpyxl import Workbook

from .schema import CANDIDATE_ID, EQUAL_BASIS_RATING

if TYPE_CHECKING:
    from .criteria import Criteria

HEADERS: Final = (
    "Id",
    "Begintijd",
    "Tijd van voltooien",
    "E-mail",
    "Naam",
    "Naam van het lokaal bestuur",
    "Naam contactpersoon",
    "Functie contactpersoon",
    "E-mailadres contactpersoon",
    "Voorkeur partnerland",
    "Waarom wil uw bestuur deelnemen aan een SDG-partnerschap?",
    "Welke lopende projecten of welk beleid rond het thema kan uw bestuur inbrengen?",
    "Wie is binnen uw bestuur betrokken?",
    "Welke andere actoren wilt u betrekken?",
    "Welke thema's rond lokale welvaart spreken u aan?",
    "Heeft uw bestuur een actieve stedenband met een partner in het globale Zuiden?",
    "Zo ja, met welke partner en in welk land?",
    "Engagement: deelname aan minstens 3 digitale sessies per jaar",
    "Engagement: minstens één werkbezoek en één ontvangst van een delegatie",
    "Engagement: tijdsinvestering januari 2024 - december 2025",
    "Engagement: feedback aan de VVSG",
    "In welke talen kan uw delegatie werken?",
    "Is de kandidatuur goedgekeurd door het college van burgemeester en schepenen?",
    "Hoe groot is de bereidheid om op gelijkwaardige basis uit te wisselen?",
)
PARTNER_HEADERS: Final = (
    "partner",
    "country",
    "region",
    "themes",
    "languages",
    "has_flemish_link",
    "region_nl",
    "region_fr",
)

RWANDA: Final = "Rwanda (burgerparticipatie)"
BENIN: Final = "Benin (lokale welvaart)"
ANY: Final = "Geen voorkeur"
START: Final = dt.datetime(2023, 10, 2, 9, 0)

FIRST_NAMES: Final = (
    "An", "Bart", "Els", "Pieter", "Sofie", "Koen", "Lies", "Tom", "Nele", "Wim", "Hanne", "Jeroen",
    "Griet", "Stijn", "Katrien", "Dries", "Marieke", "Joris", "Ines", "Bram",
)  # fmt: skip
LAST_NAMES: Final = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
    "De Smet", "Dubois", "Lambrechts", "Vermeulen", "Hermans", "Van Damme", "Verstraete",
)  # fmt: skip
FUNCTIONS: Final = (
    "Beleidsmedewerker internationale samenwerking",
    "Diensthoofd welzijn",
    "Schepen van ontwikkelingssamenwerking",
    "Algemeen directeur",
    "Coördinator Noord-Zuidbeleid",
    "Beleidsadviseur duurzaamheid",
)

# Motivation texts are put together from these fragments, so they read differently per candidate.
OPENINGS: Final = (
    "Ons bestuur wil al langer internationale samenwerking op een nieuwe manier aanpakken.",
    "Als lokaal bestuur zien we de SDG's als kader voor ons hele meerjarenplan.",
    "Na een evaluatie van ons Noord-Zuidbeleid willen we de stap zetten naar een echte samenwerking.",
    "We hebben geen stedenband meer sinds enkele jaren en zoeken een lichtere vorm om opnieuw te starten.",
    "De gemeenteraad keurde vorig jaar een SDG-actieplan goed; dit partnerschap past daar helemaal in.",
    "Onze adviesraad voor internationale samenwerking vroeg uitdrukkelijk om een concreet partnerschap.",
)
EQUAL_BASIS: Final = (
    "We willen op gelijke voet uitwisselen over wat goed loopt en waar we zelf mee worstelen.",
    "Wederkerigheid staat voorop: ook wij hebben uitdagingen waarover we graag ervaringen delen.",
    "Het gaat ons niet om hulp, wel om een uitwisseling tussen collega's van lokale besturen.",
    "We willen onze eigen werking kritisch tonen, met de sterktes en de zwaktes.",
)
LEARNING: Final = (
    "We verwachten veel te leren van de manier waarop onze partner burgers betrekt.",
    "De inbreng van de partner kan ons helpen om ons participatiebeleid te herdenken.",
    "We staan open voor andere werkwijzen en willen die ook intern delen met alle diensten.",
    "Leren van elkaar is voor ons de kern; we nemen inzichten mee naar onze eigen beleidsplanning.",
)
CONTEXTS: Final = (
    "Onze gemeente telt een actief middenveld en een sterke diaspora.",
    "We werken al met scholen rond wereldburgerschap.",
    "Lokale bedrijven toonden interesse in duurzame energieprojecten.",
    "Het thema armoede en ongelijkheid staat hoog op onze agenda.",
    "We hebben ervaring met burgerbudgetten en wijkraden.",
)
WEAK: Final = (
    "Lijkt ons interessant.",
    "Wij willen graag deelnemen aan dit project.",
    "Om onze internationale uitstraling te vergroten.",
)
PROJECTS: Final = (
    "Burgerbudget per wijk sinds 2021",
    "Fairtrade-gemeente en duurzame aankopen",
    "Klimaatplan met energiecoöperatie",
    "Participatietraject voor het nieuwe meerjarenplan",
    "Sociale economie en lokale diensteneconomie",
    "Wijkgerichte armoedebestrijding",
    "Lokale innovatiehub voor starters",
)


@dataclass(frozen=True)
class Spec:
    """One fictional submission: what the municipality writes and how it answers."""

    written: str
    preference: str
    languages: str
    refnis: str | None  # what the name means (None: not a Flemish municipality)
    why_none: str | None = None  # "not Flemish" | "unknown"
    commitments: tuple[str, str, str, str] = ("Ja", "Ja", "Ja", "Ja")
    themes: str = ""
    involved: str = "Burgemeester of schepen;Ambtenaren;"
    actors: str = "Middenveld;Scholen;"
    city_link: str = "Nee"
    city_link_partner: str = ""
    approval: str = "Ja"
    rating: int | str = 4
    weak: bool = False
    motivation: str | None = None
    projects: str | None = None
    contact_function: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


HYPERLINK_MOTIVATION: Final = (
    '=HYPERLINK("https://www.example.org/mechelen-motivatie","Zie onze motivatienota") Samengevat: '
    "we willen op gelijke voet uitwisselen over lokale economie en waardig werk, en leren van de "
    "aanpak van onze partner."
)

# The sample, in order of completion. Blank rows are added at fixed places when writing.
SPECS: Final[tuple[Spec, ...]] = (
    Spec(
        "Stad Gent",
        RWANDA,
        "Nederlands;Engels;",
        "44021",
        involved="Burgemeester of schepen;Gemeenteraad;Algemeen directeur;Ambtenaren;",
        actors="Middenveld;Scholen;Bedrijven;Adviesraad internationale samenwerking;",
        rating=5,
    ),
    Spec("Gemeente Zulte", RWANDA, "Nederlands;Engels;", "44081", rating=3, weak=True),
    Spec(
        "Leuven",
        ANY,
        "Nederlands;Frans;Engels;",
        "24062",
        themes="Innovatie;Hernieuwbare energie;",
        city_link="Ja",
        city_link_partner="Stedenband met een gemeente in Nicaragua (afgebouwd)",
        rating=4,
    ),
    Spec("Gemeente Melle", RWANDA, "Nederlands;Engels;", "44088", commitments=("ja ", "Ja", "JA", "Ja")),
    Spec("Kruibeke", RWANDA, "Nederlands;Engels", "46030", actors="Middenveld;Jeugdraad;"),
    Spec(
        "Stad Mechelen",
        BENIN,
        "Nederlands;Frans;",
        "12025",
        commitments=("Ja", "Nee", "Ja", "Ja"),
        themes="Waardig werk;Ongelijkheid;",
    ),
    Spec("Tielt", RWANDA, "Nederlands;Engels;", "37022", rating="4"),
    Spec("Tielt-Winge", RWANDA, "Nederlands;Engels;", "24135", rating=3),
    Spec("Gemeente Wachtebeke", RWANDA, "Nederlands;Engels;", "44087"),
    Spec("Luik", BENIN, "Frans;Nederlands;", None, "not Flemish", themes="Innovatie;"),
    Spec("Gemeente Herent", BENIN, "Nederlands;Engels;", "24038", themes="Hernieuwbare energie;"),
    Spec(
        "Lokaal Bestuur Kortrijk",
        BENIN,
        "Nederlands;Engels;",
        "34022",
        themes="Innovatie;Waardig werk;",
        involved="Burgemeester of schepen;Gemeenteraad;Ambtenaren;",
    ),
    Spec("Stad Aalst", BENIN, "Nederlands;Frans;Engels;", "41002", themes="Ongelijkheid;"),
    Spec("3500 Hasselt", ANY, "Nederlands;Engels;", "71072", involved="Algemeen directeur;Ambtenaren;"),
    Spec(
        "Genk",
        RWANDA,
        "Nederlands;Engels;",
        "71016",
        actors="Middenveld;Scholen;Bedrijven;Vereniging van lokale ondernemers;",
        rating=5,
    ),
    Spec(
        "Stad Lier",
        BENIN,
        "Nederlands;Frans;",
        "12021",
        commitments=("Ja", "Nee", "Ja", "Ja"),
        themes="Waardig werk;",
    ),
    Spec("Gemeente Zoersel", RWANDA, "Nederlands;Engels;", "11055", rating=" 4 "),
    Spec("Bruxelles", ANY, "Frans;Nederlands;Engels;", None, "not Flemish"),
    Spec("OCMW Roeselare", RWANDA, "Nederlands;Engels;", "36015", weak=True, rating=2),
    Spec(
        "Stad Sint-Truiden",
        BENIN,
        "Nederlands;Frans;",
        "71053",
        themes="Hernieuwbare energie;Waardig werk;Innovatie;",
        rating=5,
    ),
    Spec("Gemeente Kapellen", RWANDA, "Nederlands;Engels;", "11023", commitments=("Ja", "Ja", "Nee", "Ja")),
    Spec("Gemeentebestuur Braschaat", ANY, "Nederlands;Engels;", "11008"),
    Spec("Oudenarde", RWANDA, "Nederlands;Engels;", "45035", rating="vier"),
    Spec("Intercommunale Leiedal", RWANDA, "Nederlands;Engels;", None, "unknown"),
    Spec(
        "Stadsbestuur Ieper",
        ANY,
        "Nederlands;Engels;",
        "33011",
        involved="Burgemeester of schepen;Gemeenteraad;Ambtenaren;",
    ),
    Spec("Stad Eeklo", RWANDA, "Nederlands;Engels;", "43005", commitments=("Ja", "Ja", "Ja", "")),
    Spec("Gemeente Hoeselt", RWANDA, "Nederlands;Engels;", "73110", approval="In voorbereiding"),
    Spec(
        "Stad Mechelen",
        BENIN,
        "Nederlands;Frans;Engels;",
        "12025",
        themes="Waardig werk;Ongelijkheid;Innovatie;",
        rating=5,
        motivation=HYPERLINK_MOTIVATION,
    ),
    Spec("Stad Aarschot", BENIN, "Nederlands;", "24001", themes="Ongelijkheid;"),
    Spec(
        "Dendermonde", RWANDA, "Nederlands;Engels;", "42006", commitments=("Nee", "Ja", "Ja", "Ja"), weak=True
    ),
    Spec(
        "Bornem",
        RWANDA,
        "Nederlands;Engels;",
        "12007",
        projects="+ verder bouwen op ons participatietraject 'Bornem spreekt'",
    ),
    Spec("Provincie Antwerpen", ANY, "Nederlands;Engels;Frans;", None, "unknown"),
    Spec(
        "Gemeente Zulte",
        RWANDA,
        "Nederlands;Engels;",
        "44081",
        involved="Burgemeester of schepen;Gemeenteraad;Ambtenaren;",
        rating=4,
    ),
    Spec(
        "Stad Halle (1500)",
        RWANDA,
        "Nederlands;Engels;",
        "23027",
        contact_function="@Dienst Internationale Samenwerking",
    ),
    Spec("Gemeente Borsbeek", ANY, "Nederlands;Engels;", "11002", commitments=("Ja", "Ja", "", "Ja")),
    Spec("Lochristi", RWANDA, "Nederlands;Engels;", "44087", commitments=("Ja", "Ja", "Nee", "Ja")),
    Spec(
        "Stad Aalst",
        RWANDA,
        "Nederlands;Engels;",
        "41002",
        involved="Burgemeester of schepen;Algemeen directeur;Ambtenaren;",
        rating="5",
    ),
    Spec("Gemeente Ronse", RWANDA, "Nederlands;Engels;", "45041", approval="In voorbereiding", rating=3),
)
BLANK_AFTER: Final = (12, 29)  # a blank row follows these positions (1-based) in the export


def _slug(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _motivation(rng: random.Random, spec: Spec) -> str:
    if spec.motivation is not None:
        return spec.motivation
    if spec.weak:
        return rng.choice(WEAK)
    parts = [rng.choice(OPENINGS), rng.choice(EQUAL_BASIS), rng.choice(LEARNING)]
    if rng.random() < 0.7:
        parts.insert(1, rng.choice(CONTEXTS))
    return " ".join(parts)


def _row(index: int, spec: Spec, rng: random.Random) -> list[object]:
    completed = START + dt.timedelta(days=index, hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
    started = completed - dt.timedelta(minutes=rng.randint(8, 55))
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    domain = _slug(spec.written.split("(")[0].split()[-1]) + ".example"
    projects = (
        spec.projects if spec.projects is not None else "; ".join(rng.sample(PROJECTS, rng.randint(1, 3)))
    )
    return [
        index,
        started,
        completed,
        "anonymous" if rng.random() < 0.8 else f"{first.lower()}.{_slug(last)}@{domain}",
        f"{first} {last}",
        spec.written,
        f"{first} {last}",
        spec.contact_function or rng.choice(FUNCTIONS),
        f"{first.lower()}.{_slug(last)}@{domain}",
        spec.preference,
        _motivation(rng, spec),
        projects,
        spec.involved,
        spec.actors,
        spec.themes,
        spec.city_link,
        spec.city_link_partner,
        *spec.commitments,
        spec.languages,
        spec.approval,
        spec.rating,
    ]


def sample_rows() -> list[list[object] | None]:
    """The sample export's rows after the header; None is a blank row."""
    rng = random.Random(2024)
    rows: list[list[object] | None] = []
    for index, spec in enumerate(SPECS, start=1):
        rows.append(_row(index, spec, rng))
        if index in BLANK_AFTER:
            rows.append(None)
    return rows


def truth() -> list[dict[str, Any]]:
    """What each sample submission means, written down by hand in SPECS: the check for intake."""
    latest: dict[str, int] = {}
    for index, spec in enumerate(SPECS, start=1):
        if spec.refnis is not None:
            latest[spec.refnis] = index
    return [
        {
            "id": index,
            "written": spec.written,
            "refnis": spec.refnis,
            "counts": spec.refnis is not None and latest[spec.refnis] == index,
            "refuses_commitment": any(c.strip().lower() != "ja" for c in spec.commitments),
            "why_none": spec.why_none,
        }
        for index, spec in enumerate(SPECS, start=1)
    ]


def write_export(
    rows: Sequence[Sequence[object] | None], out: Path, headers: Sequence[str] = HEADERS
) -> Path:
    """Write rows as a Microsoft Forms style export (sheet Form1); text stays text, even '=...'."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Form1"
    sheet.append(list(headers))
    for number, row in enumerate(rows, start=2):
        if row is None:
            continue  # a blank row: nothing stored, the next row number moves on
        for column, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = sheet.cell(row=number, column=column, value=value)
            # The export holds answers, never formulas: a '=' typed in a form is text.
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
            if isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
    workbook.save(out)
    return out


def partner_rows() -> list[dict[str, str]]:
    """The 4 Rwandan districts of the call and 13 placeholder Beninese communes (2 with a city link)."""
    # Rwanda's provinces by their English names, with the Dutch and French ones for the workbooks
    west = {
        "region": "Western Province",
        "region_nl": "Westelijke Provincie",
        "region_fr": "Province de l'Ouest",
    }
    east = {
        "region": "Eastern Province",
        "region_nl": "Oostelijke Provincie",
        "region_fr": "Province de l'Est",
    }
    south = {
        "region": "Southern Province",
        "region_nl": "Zuidelijke Provincie",
        "region_fr": "Province du Sud",
    }
    rows = [
        {"partner": "Karongi", "country": "Rwanda", **west},
        {"partner": "Bugesera", "country": "Rwanda", **east},
        {"partner": "Gatsibo", "country": "Rwanda", **east},
        {"partner": "Nyanza", "country": "Rwanda", **south},
    ]
    for row in rows:
        row.update(themes="", languages="Engels;Frans", has_flemish_link="Nee")
    benin_themes = (
        "Innovatie;Waardig werk",
        "Hernieuwbare energie",
        "Ongelijkheid;Waardig werk",
        "Innovatie;Hernieuwbare energie",
        "Waardig werk",
        "Ongelijkheid",
        "Innovatie;Ongelijkheid;Hernieuwbare energie",
        "Waardig werk;Hernieuwbare energie",
        "Innovatie",
        "Ongelijkheid;Innovatie",
        "Hernieuwbare energie;Waardig werk;Ongelijkheid",
        "Innovatie;Waardig werk",
        "Ongelijkheid",
    )
    for i, themes in enumerate(benin_themes):
        letter = chr(ord("A") + i)
        rows.append(
            {
                "partner": f"Commune fictive {letter} (placeholder)",
                "country": "Benin",
                "region": f"Département fictif {i % 4 + 1} (placeholder)",
                "themes": themes,
                "languages": "Frans" if i % 3 else "Frans;Engels",
                # The last two already have a Flemish city link: not eligible, as in the call.
                "has_flemish_link": "Ja" if i >= 11 else "Nee",
                "region_nl": "",  # a placeholder: shown as written in every language
                "region_fr": "",
            }
        )
    return rows


def write_partners(out: Path) -> Path:
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=PARTNER_HEADERS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(partner_rows())
    return out


def make_export(n: int, seed: int = 0) -> list[list[object] | None]:
    """n submissions in the sample's style over all Flemish municipalities, for benchmarks."""
    from .reference import MERGERS, flemish_municipalities

    rng = random.Random(seed)
    names = flemish_municipalities()["municipality"].tolist() + list(MERGERS)
    prefixes = ("", "", "Stad ", "Gemeente ", "Lokaal bestuur ", "gemeente ", "OCMW ")
    rows: list[list[object] | None] = []
    for index in range(1, n + 1):
        spec_template = SPECS[index % len(SPECS)]
        written = rng.choice(prefixes) + rng.choice(names)
        if rng.random() < 0.05:
            written = written[:-1]  # a typo, often unresolvable: that is realistic too
        spec = Spec(
            written,
            rng.choice((RWANDA, BENIN, ANY)),
            spec_template.languages,
            None,
            commitments=spec_template.commitments,
            themes=spec_template.themes,
            rating=spec_template.rating,
        )
        rows.append(_row(index, spec, rng))
        if rng.random() < 0.01:
            rows.append(None)
    return rows


def write_sample(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = [
        write_export(sample_rows(), directory / "candidacies.xlsx"),
        write_partners(directory / "partners.csv"),
    ]
    truth_path = directory / "truth.json"
    truth_path.write_text(json.dumps(truth(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(truth_path)
    # The reviewers rate the eligible candidates of the export just written, so they follow it.
    from .criteria import load_criteria
    from .intake import read_form

    criteria = load_criteria()
    candidates = read_form(written[0], eligibility=criteria.eligibility).candidates
    written.extend(make_sample_reviews(candidates, criteria, directory / "reviews"))
    written.extend(write_sample_partner_sheets(directory))
    written.extend(write_close_calls(directory / CLOSE_CALLS))
    return written


# A pool of 60 submissions in the style of `make_export` whose cut falls between candidates that
# trade motivation against involvement: within 15 points of the weights the selection changes.
CLOSE_CALLS: Final = "close-calls"
CLOSE_CALLS_SIZE: Final = 60
CLOSE_CALLS_SEED: Final = 8


def write_close_calls(directory: Path) -> list[Path]:
    """DIR/candidacies.xlsx, DIR/partners.csv and three reviewers' sheets in DIR/reviews for the
    close-calls pool; the same files on every run."""
    from .criteria import load_criteria
    from .intake import read_form

    directory.mkdir(parents=True, exist_ok=True)
    written = [
        write_export(make_export(CLOSE_CALLS_SIZE, seed=CLOSE_CALLS_SEED), directory / "candidacies.xlsx"),
        write_partners(directory / "partners.csv"),
    ]
    criteria = load_criteria()
    candidates = read_form(written[0], eligibility=criteria.eligibility).candidates
    written.extend(make_sample_reviews(candidates, criteria, directory / "reviews"))
    return written


# --- sample reviews: three fictional reviewers' filled sheets ------------------------------------

SAMPLE_REVIEWERS: Final = (
    ("Reviewer A - An Peeters (fictief)", 0.5),
    ("Reviewer B - Koen Maes (fictief)", 0.0),
    ("Reviewer C - Fatou Diallo (fictief)", -0.5),
)
SAMPLE_SEED: Final = 2024


def _sample_ratings(
    ids: Sequence[str], self_rating: np.ndarray, items: Sequence[str], low: int, high: int, seed: int
) -> tuple[dict[str, dict[tuple[str, str], int]], dict[str, dict[str, str]]]:
    rng = np.random.default_rng(seed)
    # The hidden quality leans on the candidate's own self-assessment, as real reviews would.
    anchor = np.where(np.isnan(self_rating), (low + high) / 2.0, self_rating)
    quality = np.clip(
        0.4 * anchor + 0.6 * rng.uniform(low - 0.5, high + 0.5, size=len(ids)), low + 0.6, high - 0.4
    )
    item_effect = rng.normal(0.0, 0.3, size=len(items))
    names = [name for name, _ in SAMPLE_REVIEWERS]
    raw = np.empty((len(SAMPLE_REVIEWERS), len(ids), len(items)))
    for r, (_, offset) in enumerate(SAMPLE_REVIEWERS):
        noise = rng.normal(0.0, 0.3, size=(len(ids), len(items)))
        raw[r] = quality[:, None] + item_effect[None, :] + offset + noise
    ratings = np.clip(np.rint(raw), low, high).astype(int)
    # Keep reviewers within one point of each other, so the planted disagreements below are the only ones.
    center = np.median(ratings, axis=0).astype(int)
    upward = ratings.mean(axis=0) >= center
    ratings = np.clip(ratings, np.where(upward, center, center - 1), np.where(upward, center + 1, center))
    comments: dict[str, dict[str, str]] = {name: {} for name in names}
    if len(ids) >= 3 and len(items) >= 2:
        # Two planted disagreements of two points, on middling candidates where the scale allows it.
        middling = [i for i in range(len(ids)) if low + 1 <= center[i, 0] <= high - 1]
        first, second = list(dict.fromkeys([*middling, *range(len(ids))]))[:2]
        c = int(center[first, 1])
        c = min(max(c, low + 1), high - 1)
        ratings[:, first, 1] = [c + 1, c, c - 1]
        comments[names[2]][ids[first]] = "Weinig concreet over wat de gemeente zelf wil leren."
        c = int(center[second, len(items) - 1])
        c = min(max(c, low), high - 2)
        ratings[:, second, len(items) - 1] = [c, c, c + 2]
        comments[names[2]][ids[second]] = "Sterke lopende projecten, duidelijk beschreven."
        comments[names[0]][ids[second]] = "Motivatie overtuigend; projecten eerder algemeen."
    filled: dict[str, dict[tuple[str, str], int]] = {name: {} for name in names}
    for r, name in enumerate(names):
        for i, cid in enumerate(ids):
            for j, item in enumerate(items):
                filled[name][cid, item] = int(ratings[r, i, j])
    if len(ids) >= 4:
        # Reviewer B declares a conflict of interest with one candidate and leaves it unrated.
        skipped = ids[-1]
        filled[names[1]] = {k: v for k, v in filled[names[1]].items() if k[0] != skipped}
        comments[names[1]][skipped] = "Niet beoordeeld: belangenconflict (fictief)."
    return filled, comments


def _sample_flags(
    ids: Sequence[str], comments: Mapping[str, Mapping[str, str]]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per reviewer: the candidates with a declared conflict (B's unrated one), and those whose
    comment may be shared in the letter (Reviewer C agrees for each of theirs, A for none)."""
    names = [name for name, _ in SAMPLE_REVIEWERS]
    conflicts: dict[str, list[str]] = {name: [] for name in names}
    if len(ids) >= 4:
        conflicts[names[1]].append(ids[-1])
    shared: dict[str, list[str]] = {name: [] for name in names}
    shared[names[2]] = list(comments.get(names[2], {}))
    return conflicts, shared


def make_sample_reviews(
    candidates: pd.DataFrame, criteria: Criteria, folder: Path, seed: int = SAMPLE_SEED
) -> list[Path]:
    """Write three fictional reviewers' filled sheets for the eligible candidates into `folder`.

    Ratings follow a hidden quality per candidate plus each reviewer's leniency and a little noise,
    with two planted disagreements of two points; the same input and seed give the same sheets.
    """
    from .reviews import reviewable, rubric_scale, write_review_sheet

    low, high = rubric_scale(criteria)
    frame = reviewable(candidates).sort_values(CANDIDATE_ID)
    ids = list(frame[CANDIDATE_ID])
    if EQUAL_BASIS_RATING in frame.columns:
        self_rating = pd.to_numeric(frame[EQUAL_BASIS_RATING], errors="coerce").to_numpy(dtype=float)
    else:
        self_rating = np.full(len(ids), np.nan)
    items = [item.key for item in criteria.rubric]
    filled, comments = _sample_ratings(ids, self_rating, items, low, high, seed)
    conflicts, shared = _sample_flags(ids, comments)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_review_sheet(
            frame,
            criteria,
            name,
            folder / f"reviewer-{letter}.xlsx",
            filled=filled[name],
            comments=comments[name],
            force=True,  # the generator's own filled sheets, made again
            conflicts=conflicts[name],
            shared=shared[name],
        )
        for letter, (name, _) in zip("abc", SAMPLE_REVIEWERS, strict=True)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m matchmaker.sample DIRECTORY", file=sys.stderr)
        return 2
    for path in write_sample(Path(args[0])):
        print(path)
    return 0


def sample_partner_ratings(candidates: Any, partners: Any, criteria: Any) -> dict[str, dict[str, int | None]]:
    """Fictional ratings of each eligible partner for the candidates on its sheet: mostly 1-5 with
    ties, a few "not acceptable" (None), a few left empty; the same on every run."""
    from . import schema as sch
    from .partner_sheets import rateable

    out: dict[str, dict[str, int | None]] = {}
    for record in partners.to_dict("records"):
        if not bool(record.get("eligible", True)):
            continue
        name, country = str(record[sch.PARTNER]), str(record[sch.COUNTRY])
        wanted = set(record.get(sch.PARTNER_THEMES) or [])
        rng = random.Random(f"partner-ratings:{name}")
        ratings: dict[str, int | None] = {}
        for cand in rateable(candidates, country, criteria).to_dict("records"):
            draw = rng.random()
            if draw < 0.08:
                continue  # not rated
            if draw < 0.13:
                ratings[str(cand[sch.CANDIDATE_ID])] = None
                continue
            shared = len(wanted & set(cand.get(sch.THEMES) or []))
            ratings[str(cand[sch.CANDIDATE_ID])] = max(1, min(5, 2 + shared + rng.randint(-1, 2)))
        out[name] = ratings
    return out


def write_sample_partner_sheets(directory: Path) -> list[Path]:
    """The filled partner sheets of the sample, one per eligible partner, in `directory`/partner-sheets."""
    from .criteria import load_criteria
    from .intake import read_form
    from .partner_sheets import write_partner_sheets
    from .partners import read_partners

    criteria = load_criteria()
    candidates = read_form(directory / "candidacies.xlsx", eligibility=criteria.eligibility).candidates
    partners = read_partners(directory / "partners.csv")
    filled = sample_partner_ratings(candidates, partners, criteria)
    folder = directory / "partner-sheets"
    return write_partner_sheets(candidates, partners, criteria, folder, filled=filled, force=True)


if __name__ == "__main__":
    sys.exit(main())
