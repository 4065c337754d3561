"""A seeded factory for real `PairingResult` objects, for tests of the workbook and its round trip."""

from __future__ import annotations

import random
from typing import Any

from matchmaker import schema as s
from matchmaker.pairing import PairingResult

MUNICIPALITIES = [
    ("44021", "Gent", "Oost-Vlaanderen"),
    ("11002", "Antwerpen", "Antwerpen"),
    ("24062", "Leuven", "Vlaams-Brabant"),
    ("31005", "Brugge", "West-Vlaanderen"),
    ("71022", "Hasselt", "Limburg"),
    ("12025", "Mechelen", "Antwerpen"),
    ("34022", "Kortrijk", "West-Vlaanderen"),
    ("23088", "Vilvoorde", "Vlaams-Brabant"),
    ("46021", "Sint-Niklaas", "Oost-Vlaanderen"),
    ("72037", "Genk", "Limburg"),
    ("13040", "Turnhout", "Antwerpen"),
    ("41002", "Aalst", "Oost-Vlaanderen"),
]
PARTNERS = [
    ("Karongi", "Rwanda", "Western Province", [], ["en", "fr"]),
    ("Bugesera", "Rwanda", "Eastern Province", [], ["en"]),
    ("Gatsibo", "Rwanda", "Eastern Province", [], ["en", "fr"]),
    ("Nyanza", "Rwanda", "Southern Province", [], ["en", "fr"]),
    ("Commune A (placeholder)", "Benin", "Atlantique", ["innovation", "decent_work"], ["fr"]),
    ("Commune B (placeholder)", "Benin", "Borgou", ["renewable_energy"], ["fr"]),
    ("Commune C (placeholder)", "Benin", "Zou", ["inequality"], ["fr"]),
]
HOSTILE_MOTIVATION = '=HYPERLINK("http://evil.example","klik")'


def make_result(seed: int = 0, *, changes: bool = False) -> PairingResult:
    """A consistent result: 12 eligible candidates, 3 ineligible submissions, 7 pairs, reserves."""
    rng = random.Random(seed)
    candidates: list[dict[str, Any]] = []
    for i, (refnis, name, province) in enumerate(MUNICIPALITIES):
        motivation = rng.choice(["Wij willen leren.", "Gelijkwaardige uitwisseling is ons doel. " * 8])
        candidates.append(
            {
                s.CANDIDATE_ID: refnis,
                s.SUBMISSION_ID: i + 1,
                s.COMPLETED: f"2023-10-{i + 1:02d}T10:00:00",
                s.NAME_AS_WRITTEN: f"Stad {name}",
                s.MUNICIPALITY: name,
                s.REFNIS: refnis,
                s.PROVINCE: province,
                s.CONTACT_NAME: f"Contact {name}",
                s.CONTACT_EMAIL: f"contact@{name.lower()}.be",
                s.RESPONDENT: f"Invuller {name}",
                s.RESPONDENT_EMAIL: f"invuller@{name.lower()}.be",
                s.CONTACT_FUNCTION: "Ambtenaar",
                s.COUNTRY_PREFERENCE: ["Rwanda", "Benin", "any"][i % 3],
                s.LANGUAGES: ["nl", "fr"] if i % 2 else ["nl", "en"],
                s.THEMES: ["innovation"] if i % 2 else [],
                s.MOTIVATION: HOSTILE_MOTIVATION if i == 3 else motivation,
                s.PROJECTS: "-5 projecten\tin uitvoering\x07" if i == 4 else "@lokaal beleid",
                s.ELIGIBLE: True,
                s.REASONS: [],
                s.SUPERSEDED_BY: None,
                s.SCORE: round(90 - 5 * i + rng.random(), 2),
                s.BREAKDOWN: {"motivation": 40 - 2 * i, "involvement": 30 - i, "no_city_link": 20.0},
                s.RANK: i + 1,
            }
        )
    candidates.append(
        {
            s.CANDIDATE_ID: "row-20",
            s.SUBMISSION_ID: 20,
            s.COMPLETED: "2023-10-20T09:00:00",
            s.NAME_AS_WRITTEN: "+32 gemeente Nergens",
            s.MUNICIPALITY: None,
            s.ELIGIBLE: False,
            s.REASONS: ["naam niet herkend als Vlaamse gemeente"],
            s.SUPERSEDED_BY: None,
            s.CONTACT_EMAIL: "iemand@nergens.be",
            s.SCORE: None,
            s.BREAKDOWN: None,
        }
    )
    candidates.append(
        {
            s.CANDIDATE_ID: "row-21",
            s.SUBMISSION_ID: 21,
            s.COMPLETED: "2023-10-21T09:00:00",
            s.NAME_AS_WRITTEN: "Zulte",
            s.MUNICIPALITY: "Zulte",
            s.REFNIS: "44083",
            s.PROVINCE: "Oost-Vlaanderen",
            s.ELIGIBLE: False,
            s.REASONS: ["engagement werkbezoek: Nee", "engagement feedback: Nee"],
            s.SUPERSEDED_BY: None,
        }
    )
    candidates.append(
        {
            s.CANDIDATE_ID: "row-22",
            s.SUBMISSION_ID: 22,
            s.COMPLETED: "2023-09-01T09:00:00",
            s.NAME_AS_WRITTEN: "Gent",
            s.MUNICIPALITY: "Gent",
            s.ELIGIBLE: False,
            s.REASONS: ["vervangen door inzending 1"],
            s.SUPERSEDED_BY: 1,
        }
    )
    partners = [
        {
            s.PARTNER: p,
            s.COUNTRY: c,
            s.REGION: r,
            s.PARTNER_THEMES: th,
            s.PARTNER_LANGUAGES: la,
            s.ELIGIBLE: True,
            s.REASONS: [],
        }
        for p, c, r, th, la in PARTNERS
    ]
    partners.append(
        {
            s.PARTNER: "Commune Z (placeholder)",
            s.COUNTRY: "Benin",
            s.REGION: "Mono",
            s.ELIGIBLE: False,
            s.REASONS: ["heeft al een stedenband met een Vlaams bestuur"],
        }
    )
    by_id = {c[s.CANDIDATE_ID]: c for c in candidates}
    chosen = ["44021", "11002", "24062", "31005", "71022", "12025", "34022"]
    names = [p[0] for p in PARTNERS]
    pairs = []
    for cid, partner in zip(chosen, names, strict=True):
        country = next(p[1] for p in PARTNERS if p[0] == partner)
        fit = {
            "preference_match": 5.0,
            "theme_overlap": 10.0 if country == "Benin" else 0.0,
            "language_match": 5.0,
        }
        value = by_id[cid][s.SCORE] + sum(fit.values())
        pairs.append(
            {
                s.CANDIDATE_ID: cid,
                s.PARTNER: partner,
                s.COUNTRY: country,
                "value": round(value, 2),
                s.BREAKDOWN: {"score": by_id[cid][s.SCORE], **fit},
            }
        )
    rest = [c for c in candidates[: len(MUNICIPALITIES)] if c[s.CANDIDATE_ID] not in chosen]
    reserves = [
        {s.CANDIDATE_ID: c[s.CANDIDATE_ID], s.COUNTRY: "Benin" if k % 2 else "Rwanda", s.RANK: k // 2 + 1}
        for k, c in enumerate(rest)
    ]
    explanations = [
        {
            s.CANDIDATE_ID: cid,
            "selected": True,
            "why": "hoogste waarde voor deze partner",
            "score_needed": None,
        }
        for cid in chosen
    ] + [
        {
            s.CANDIDATE_ID: c[s.CANDIDATE_ID],
            "selected": False,
            "why": "max. 2 per provincie bereikt" if k == 0 else "lager dan de geselecteerde kandidaten",
            "score_needed": round(c[s.SCORE] + 3.5, 2),
        }
        for k, c in enumerate(rest)
    ]
    alternatives = [
        {
            "rank": 1,
            "objective": 600.0,
            "gap_pct": 1.25,
            "pairs": [*pairs[:-1], {**pairs[-1], s.CANDIDATE_ID: "46021"}],
        }
    ]
    change_list: list[dict[str, Any]] = []
    if changes:
        change_list = [
            {
                s.CANDIDATE_ID: "44021",
                s.PARTNER: "Karongi",
                s.COUNTRY: "Rwanda",
                "change": "kept",
                "decision": "lock",
                "source": "Koppelingen rij 2",
            },
            {
                s.CANDIDATE_ID: "34022",
                s.PARTNER: "Commune C (placeholder)",
                s.COUNTRY: "Benin",
                "change": "added",
                "related": [["46021", "Commune C (placeholder)"]],
            },
            {
                s.CANDIDATE_ID: "46021",
                s.PARTNER: "Commune C (placeholder)",
                s.COUNTRY: "Benin",
                "change": "removed",
                "decision": "forbid",
                "source": "Koppelingen rij 8",
            },
        ]
    return PairingResult(
        status="optimal",
        objective=round(sum(p["value"] for p in pairs), 2),
        filled={"Rwanda": 4, "Benin": 3},
        unfilled=[
            {"country": "Benin", "slots": 1, "reason": "Benin: 3 van 4 ingevuld: maar 3 geschikte partners."}
        ],
        constraints={
            "per_country": {"Rwanda": 4, "Benin": 4},
            "max_per_province": 2,
            "locked": [["44021", "Karongi"]],
            "forbidden": [["46021", "Commune C (placeholder)"]],
        },
        candidates=candidates,
        partners=partners,
        edges=[
            {
                s.CANDIDATE_ID: p[s.CANDIDATE_ID],
                s.PARTNER: p[s.PARTNER],
                "value": p["value"],
                s.BREAKDOWN: p[s.BREAKDOWN],
            }
            for p in pairs
        ],
        pairs=pairs,
        reserves=reserves,
        alternatives=alternatives,
        explanations=explanations,
        manifest={
            "inputs": [{"path": "/data/candidacies.xlsx", "sha256": "a" * 64}],
            "criteria_sha256": "b" * 64,
            "versions": {"matchmaker": "0.1.0", "pulp": "3.3.0"},
            "solver": "cbc",
            "created": "2026-11-26T18:00:00+00:00",
        },
        issues=[
            {
                "submission_id": 2,
                "column": "Hoe groot is de bereidheid",
                "value": "zes",
                "problem": "geen getal 1-5",
            },
            {
                "submission_id": 20,
                "column": "E-mailadres contactpersoon",
                "value": "geen-mail",
                "problem": "geen geldig e-mailadres",
            },
            {
                "submission_id": 5,
                "column": "Naam van het lokaal bestuur",
                "value": "=cmd|' /C calc'!A0",
                "problem": "verdachte invoer",
            },
        ],
        changes=change_list,
    )
