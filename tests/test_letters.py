"""Decision letters: real .docx files per candidacy, read back with python-docx and checked against
the result they were written from, in every language; the mail-merge table beside them."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from matchmaker.cli import main
from matchmaker.i18n import number
from matchmaker.i18n.wording import points_text
from matchmaker.letters import (
    MERGE_TABLE,
    NOT_ELIGIBLE,
    NOT_SELECTED,
    RESERVE,
    SELECTED,
    SUPERSEDED,
    criteria_of,
    letters,
    read_result,
    write_letters,
)

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample pairing with reviews, and a robustness analysis of it."""
    folder = tmp_path_factory.mktemp("letters")
    for name in ("candidacies.xlsx", "partners.csv"):
        shutil.copy(SAMPLE / name, folder / name)
    shutil.copytree(SAMPLE / "reviews", folder / "reviews")
    common = [str(folder / "candidacies.xlsx"), "--partners", str(folder / "partners.csv")]
    common += ["--reviews", str(folder / "reviews")]
    out = ["--out", str(folder / "s.xlsx"), "--json", str(folder / "result.json")]
    result = CliRunner().invoke(main, ["pair", *common, *out])
    assert result.exit_code == 0, result.output
    rob = ["--samples", "10", "--json", str(folder / "robustness.json")]
    result = CliRunner().invoke(main, ["robustness", *common, *rob])
    assert result.exit_code == 0, result.output
    return folder


def text_of(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def by_submission(doc: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {int(c["submission_id"]): c for c in doc["candidates"]}


def test_every_candidacy_gets_a_letter_that_states_its_outcome(run: Path, tmp_path: Path) -> None:
    out = tmp_path / "letters"
    args = [
        "letters",
        str(run / "result.json"),
        "--out",
        str(out),
        "--robustness",
        str(run / "robustness.json"),
    ]
    result = CliRunner().invoke(main, [*args, "--date", "2024-03-01"])
    assert result.exit_code == 0, result.output
    doc = json.loads((run / "result.json").read_text(encoding="utf-8"))
    doc_shared = doc["reviews"]["shared_comments"]
    assert doc_shared  # the sample's Reviewer C agrees to share their comments
    files = sorted(out.glob("*.docx"))
    assert len(files) == len(doc["candidates"])
    pairs = {p["candidate_id"]: p for p in doc["pairs"]}
    reserves = {r["candidate_id"]: r for r in doc["reserves"]}
    submissions = by_submission(doc)
    seen = set()
    for path in files:
        cand = submissions[int(path.name.split("-")[0])]
        text = text_of(path)
        name = cand["municipality"] or cand["name_as_written"]
        assert name in text
        assert "1 maart 2024" in text
        assert doc["manifest"]["criteria_sha256"] in text
        if cand["superseded_by"] is not None:
            seen.add(SUPERSEDED)
            assert f"vervangen door inzending {cand['superseded_by']}" in text
        elif not cand["eligible"]:
            seen.add(NOT_ELIGIBLE)
            assert "voldoet niet aan de voorwaarden" in text
        elif cand["candidate_id"] in pairs:
            seen.add(SELECTED)
            pair = pairs[cand["candidate_id"]]
            assert f"gekoppeld aan {pair['partner']}" in text
            # the pair's value, said once: "De waarde van de koppeling met … is 92,2 punten"
            assert text.count(f"{points_text(pair['value'], 'nl')} punten") == 1, text
        elif cand["candidate_id"] in reserves:
            seen.add(RESERVE)
            assert f"op plaats {reserves[cand['candidate_id']]['rank']}" in text
        else:
            seen.add(NOT_SELECTED)
            assert "niet geselecteerd" in text
        if cand["eligible"]:
            # per criterion the weight and the candidate's points, and its total score
            for key, points in cand["breakdown"].items():
                assert number(points, "nl") in text, key
            assert f"{number(cand['score'], 'nl')} van de 100 punten" in text
            assert "aanvaardbare wegingen" in text  # the robustness line
            shared = doc_shared.get(cand["candidate_id"], [])
            if shared:  # the comments their reviewers agreed to share, and no others
                assert [f"Beoordelaar {i}: {c}" for i, c in enumerate(shared, 1)] == [
                    line for line in text.splitlines() if line.startswith("Beoordelaar ")
                ]
            else:
                assert "Er worden geen opmerkingen van beoordelaars gedeeld" in text
    assert {SELECTED, RESERVE, NOT_ELIGIBLE, SUPERSEDED} <= seen


def test_a_not_eligible_letter_names_the_unmet_commitment(run: Path, tmp_path: Path) -> None:
    result = read_result(run / "result.json")
    made = letters(result, criteria_of(result), lang="nl", date=dt.date(2024, 3, 1))
    lier = next(x for x in made if x.municipality == "Lier")
    assert lier.outcome == NOT_ELIGIBLE
    written = write_letters([lier], tmp_path / "one")
    text = text_of(written[0])
    assert "weigert een engagement: één werkbezoek afleggen" in text
    assert "Beoordeling per criterium" not in text  # nothing was scored


def test_the_why_and_the_points_needed_are_the_workbooks_sentences(run: Path) -> None:
    from matchmaker.i18n.wording import points_needed_text, why_text

    result = read_result(run / "result.json")
    made = {x.candidate_id: x for x in letters(result, criteria_of(result), lang="fr") if x.why}
    known = {c["candidate_id"]: c["municipality"] for c in result["candidates"] if c["eligible"]}
    for exp in result["explanations"]:
        letter = made.get(exp["candidate_id"])
        # a selected candidate's letter gives the pair's value in a sentence of its own instead
        said = exp["selected"] and exp.get("cause") == "selected"
        why = why_text(exp, known, "fr", value_said=said)
        assert (letter is None and not why) or (letter is not None and why in letter.grounds)
        if not exp["selected"] and exp.get("need") == "score" and exp["score_needed"] > 0:
            needed = points_needed_text(exp["score_needed"], "fr")
            assert any(f"plus de {needed} points supplémentaires" in g for g in letter.grounds)


@pytest.mark.parametrize("lang", ["nl", "en", "fr"])
def test_every_letter_renders_in_every_language(run: Path, tmp_path: Path, lang: str) -> None:
    result = read_result(run / "result.json")
    made = letters(result, criteria_of(result), lang=lang, date=dt.date(2024, 1, 1))
    written = write_letters(made, tmp_path / lang)
    assert len(written) == len(made) + 1
    signature = {"nl": "Het selectiecomité", "en": "The selection committee", "fr": "partenariats ODD"}[lang]
    for path in written[:-1]:
        text = text_of(path)
        assert signature in text
        assert "{" not in text  # every field filled in
    sheet = openpyxl.load_workbook(written[-1]).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == len(made) + 1
    assert rows[1][-1] == written[0].name


def test_existing_letters_are_replaced_only_with_force(run: Path, tmp_path: Path) -> None:
    out = tmp_path / "letters"
    args = ["letters", str(run / "result.json"), "--out", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    again = CliRunner().invoke(main, args)
    assert again.exit_code != 0
    assert "--force" in again.output
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0
    assert (out / MERGE_TABLE).is_file()


def test_a_criteria_file_changed_since_the_pairing_is_refused(run: Path, tmp_path: Path) -> None:
    doc = json.loads((run / "result.json").read_text(encoding="utf-8"))
    doc["manifest"]["criteria_sha256"] = "0" * 64
    (tmp_path / "r.json").write_text(json.dumps(doc), encoding="utf-8")
    result = CliRunner().invoke(main, ["letters", str(tmp_path / "r.json"), "--out", str(tmp_path / "l")])
    assert result.exit_code != 0
    assert "not the criteria of this result" in result.output
