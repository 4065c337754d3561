"""Intake's reasons and issues in the workbook's language: the facts intake records beside its English
sentences, a sentence for every code in Dutch, English and French, and the Intake sheet that uses them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import SAMPLE_DIR, FormWriter, answers
from openpyxl.worksheet.worksheet import Worksheet

from matchmaker import schema as s
from matchmaker.export import SHEET_INTAKE, write_shortlist
from matchmaker.i18n import _SENTENCES, LANGS, commitment, has_sentence, label, resolution_label
from matchmaker.i18n.wording import issue_text, note_text, reason_text
from matchmaker.intake import ISSUE_KINDS, ISSUE_VARIANTS, IntakeResult, read_form
from matchmaker.pairing import PairingResult
from matchmaker.pipeline import run
from matchmaker.reference import NOTE_CODES, resolve
from matchmaker.sample import HEADERS

NAME = "Naam van het lokaal bestuur"


def _issue_keys() -> list[str]:
    keys = []
    for kind in ISSUE_KINDS:
        base = f"issue_{kind.replace('-', '_')}"
        keys += [f"{base}_{v}" for v in ISSUE_VARIANTS[kind]] if kind in ISSUE_VARIANTS else [base]
    return keys


# --- every code has its sentence -----------------------------------------------------------------


def test_every_reason_note_and_issue_code_has_a_sentence_in_three_languages() -> None:
    keys = (
        [f"reason_{c}" for c in s.REASON_KINDS]
        + [f"note_{c}" for c in NOTE_CODES]
        + _issue_keys()
        + ["issue_superseded_undated_both", "issue_superseded_undated_this", "issue_superseded_similar"]
    )
    missing = [k for k in keys if not has_sentence(k)]
    assert missing == []
    for key in keys:
        assert len(_SENTENCES[key]) == len(LANGS) and all(t.strip() for t in _SENTENCES[key]), key
    # and no sentence is left over for a code intake no longer produces
    known = set(keys)
    leftover = [k for k in _SENTENCES if k.startswith(("reason_", "note_", "issue_")) and k not in known]
    assert [k for k in leftover if not k.endswith("_one")] == []


def test_every_commitment_and_resolution_method_is_worded() -> None:
    for field in s.COMMITMENTS:
        texts = [commitment(field, lang) for lang in LANGS]
        assert all(texts) and len(set(texts)) == 3, field
    for method in s.RESOLUTIONS:
        texts = [resolution_label(method, lang) for lang in LANGS]
        assert len(set(texts)) == 3 and method not in texts[0::2], method


# --- intake records the facts beside its sentences -------------------------------------------------


@pytest.fixture(scope="module")
def sample_intake() -> IntakeResult:
    return read_form(SAMPLE_DIR / "candidacies.xlsx")


def _messy(write_form: FormWriter) -> IntakeResult:
    """An export with one of each problem a person makes, written as a real workbook."""
    when = dt.datetime(2023, 10, 2, 9, 0)
    rows = [
        answers(1, "Stad Gent", Begintijd=dt.datetime(2023, 10, 3, 9, 0), completed=when),
        answers(2, "Gemeente Zulte", completed=None),
        answers(3, "Gemeente Zulte", completed=None),
        answers(4, "Aalst", completed=dt.datetime(2023, 10, 5, 9, 0)),
        answers(5, "Stad Aalst", completed=dt.datetime(2023, 10, 5, 9, 0)),
        answers(6, "", rating="vier"),
        answers(
            7, "Luik", pref="Tanzania", languages="Nederlands;Klingon;", commit=("Nee", "misschien", "", "Ja")
        ),
        answers(8, "Oudenarde", Id=8),
        answers(8, "3390 Gent", actors="Middenveld;Brandweer;"),
        answers(10, "Gemeente Hoeselt", Id=None),
        answers(11, "Bilzen", completed=dt.datetime(2023, 10, 9, 9, 0)),
        answers(12, "Provincie Limburg"),
        answers(13, "Tielt (Vlaams-Brabant)"),
        answers(14, "Malines", motivation="=1+1 is onze motivatie"),
        answers(15, "Wachtebek"),
        answers(16, "1500"),
    ]
    headers = [h for h in HEADERS if h != "E-mail"]
    return read_form(write_form(rows, headers=headers))


def test_reason_codes_go_with_the_reasons_one_for_one(
    sample_intake: IntakeResult, write_form: FormWriter
) -> None:
    for result in (sample_intake, _messy(write_form)):
        for reasons, codes in zip(
            result.candidates[s.REASONS], result.candidates[s.REASON_CODES], strict=True
        ):
            assert len(reasons) == len(codes)
            assert all(c["code"] in s.REASON_KINDS for c in codes)
        for facts in result.candidates[s.RESOLUTION_FACTS]:
            assert facts is None or facts["code"] in NOTE_CODES
        for issue in result.issues:
            assert issue["kind"] in ISSUE_KINDS
            variant = issue[s.ISSUE_PARAMS].get("variant")
            assert variant in ISSUE_VARIANTS.get(issue["kind"], (None,)), issue
    # the JSON carries them
    doc = sample_intake.to_json()
    assert all(s.REASON_CODES in c for c in doc["candidates"])
    assert all(s.ISSUE_PARAMS in i for i in doc["issues"])


def test_every_reason_and_issue_of_a_messy_export_is_worded_in_each_language(
    write_form: FormWriter,
) -> None:
    result = _messy(write_form)
    kinds = {i["kind"] for i in result.issues}
    # the export hits most kinds, so this test says something about them
    assert len(kinds) >= 10, kinds
    reasons = [
        (text, code)
        for texts, codes in zip(result.candidates[s.REASONS], result.candidates[s.REASON_CODES], strict=True)
        for text, code in zip(texts, codes, strict=True)
    ]
    assert {c["code"] for _, c in reasons} == set(s.REASON_KINDS)
    for lang in LANGS:
        for issue in result.issues:
            text = issue_text(issue, lang)
            assert text, (lang, issue)
            if lang != "en":
                assert text != issue["problem"], (lang, issue)
            if lang == "fr":
                assert not re.search(r"[^\s\d][:;?]", text), text
        for english, code in reasons:
            text = reason_text(code, lang)
            assert text, (lang, code)
            if lang != "en":
                assert text != english


def test_english_words_the_facts_as_intake_wrote_them(sample_intake: IntakeResult) -> None:
    for texts, codes in zip(
        sample_intake.candidates[s.REASONS], sample_intake.candidates[s.REASON_CODES], strict=True
    ):
        assert [reason_text(c, "en") for c in codes] == texts
    for issue in sample_intake.issues:
        assert issue_text(issue, "en") == issue["problem"]


# --- the Intake sheet ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_result() -> PairingResult:
    return run(
        SAMPLE_DIR / "candidacies.xlsx",
        SAMPLE_DIR / "partners.csv",
        reviews=sorted((SAMPLE_DIR / "reviews").glob("*.xlsx")),
    )


def _rows(result: PairingResult, out: Path, lang: str) -> dict[int, list[dict[str, Any]]]:
    """The Intake sheet as {submission: [row by header key]}."""
    ws: Worksheet = openpyxl.load_workbook(write_shortlist(result, out, lang=lang))[SHEET_INTAKE]
    keys = ["submission", "completed", "name_as_written", "municipality", "resolution", "kind"]
    keys += ["column", "answer", "problem"]
    assert [c.value for c in ws[1]] == [label(k, lang) for k in keys]
    rows: dict[int, list[dict[str, Any]]] = {}
    for values in ws.iter_rows(min_row=2, values_only=True):
        rows.setdefault(int(values[0]), []).append(dict(zip(keys, values, strict=True)))
    return rows


def _problems(rows: list[dict[str, Any]]) -> list[str]:
    return [r["problem"] for r in rows]


def test_intake_sheet_in_dutch(sample_result: PairingResult, tmp_path: Path) -> None:
    rows = _rows(sample_result, tmp_path / "nl.xlsx", "nl")
    assert "weigert een engagement: één werkbezoek afleggen en één delegatie ontvangen" in _problems(rows[16])
    assert "geen Vlaams lokaal bestuur (Luik ligt in het Waals Gewest)" in _problems(rows[10])
    assert rows[10][0]["resolution"] == "niet Vlaams: Luik ligt in het Waals Gewest"
    assert "geen Vlaams lokaal bestuur (Brussel ligt in het Brussels Hoofdstedelijk Gewest)" in _problems(
        rows[18]
    )
    assert _problems(rows[6])[:2] == [
        "vervangen door inzending 28",
        "weigert een engagement: één werkbezoek afleggen en één delegatie ontvangen",
    ]
    assert "Mechelen diende opnieuw een kandidatuur in: inzending 28 telt" in _problems(rows[6])
    assert rows[9][0]["resolution"] == (
        "naam van vóór de fusie: Wachtebeke is op 1 januari 2025 opgegaan in Lochristi"
    )
    assert (
        "Wachtebeke en Lochristi zijn sinds de fusie één gemeente, Lochristi: slechts één kandidatuur "
        "telt, de laatste, inzending 36 (Lochristi)"
    ) in _problems(rows[9])
    assert "engagement niet bevestigd: feedback geven aan VVSG" in _problems(rows[26])
    assert "geen geheel getal van 1 tot 5; leeg gelaten" in _problems(rows[23])
    assert (
        "'Gemeentebestuur Braschaat' gelezen als Brasschaat (gelijkenis 0,90): graag nakijken"
        in _problems(rows[22])
    )
    assert "gemeente niet herkend ('Provincie Antwerpen' is een provincie, geen gemeente)" in _problems(
        rows[32]
    )
    # nothing of intake's English is left
    english = {r for c in sample_result.candidates for r in c[s.REASONS]}
    english |= {i["problem"] for i in sample_result.issues}
    assert not english & {p for rs in rows.values() for p in _problems(rs)}


def test_intake_sheet_in_french(sample_result: PairingResult, tmp_path: Path) -> None:
    rows = _rows(sample_result, tmp_path / "fr.xlsx", "fr")
    nb = "\u00a0"
    assert f"refuse un engagement{nb}: effectuer une visite de travail et accueillir une délégation" in (
        _problems(rows[16])
    )
    assert "pas une collectivité locale flamande (Liège se trouve en Région wallonne)" in _problems(rows[10])
    assert (
        "pas une collectivité locale flamande (Bruxelles se trouve dans la Région de Bruxelles-Capitale)"
        in _problems(rows[18])
    )
    assert "remplacée par la soumission 28" in _problems(rows[6])
    assert f"Mechelen a soumis une nouvelle candidature{nb}: la soumission 28 compte" in _problems(rows[6])
    assert rows[9][0]["resolution"] == (
        f"nom d'avant la fusion{nb}: Wachtebeke a fusionné avec Lochristi le 1er janvier 2025"
    )
    assert f"engagement non confirmé{nb}: faire part de ses retours à la VVSG" in _problems(rows[26])
    assert f"« Oudenarde » lu comme Oudenaarde (similarité 0,90){nb}: à vérifier".replace(
        "« ", f"«{nb}"
    ).replace(" »", f"{nb}»") in _problems(rows[23])
    assert all(not re.search(r"\S[:;]", p) for rs in rows.values() for p in _problems(rs))


def test_intake_sheet_falls_back_to_the_recorded_english(
    sample_result: PairingResult, tmp_path: Path
) -> None:
    # a result file from before the facts were recorded, and one fact of a code no sentence knows
    old = [
        {k: v for k, v in c.items() if k not in (s.REASON_CODES, s.RESOLUTION_FACTS)}
        for c in sample_result.candidates
    ]
    issues = [{k: v for k, v in i.items() if k != s.ISSUE_PARAMS} for i in sample_result.issues]
    lier = next(c for c in old if c[s.SUBMISSION_ID] == 16)
    luik = next(c for c in sample_result.candidates if c[s.SUBMISSION_ID] == 10)
    newer = dict(luik, **{s.REASON_CODES: [{"code": "from_the_future"}]})
    candidates = [newer if c[s.SUBMISSION_ID] == 10 else c for c in old]
    rows = _rows(
        dataclasses.replace(sample_result, candidates=candidates, issues=issues), tmp_path / "o.xlsx", "nl"
    )
    assert _problems(rows[16]) == list(lier[s.REASONS])
    assert _problems(rows[10])[0] == luik[s.REASONS][0]
    assert {p for rs in rows.values() for p in _problems(rs)} >= {i["problem"] for i in issues}
    # the recorded English note stands in for the resolution's facts
    assert (
        rows[9][0]["resolution"] == "naam van vóór de fusie: Wachtebeke merged into Lochristi on 2025-01-01"
    )
    assert resolve("Wachtebeke").facts is not None


def test_issues_of_the_file_layout_are_worded_in_each_language(tmp_path: Path) -> None:
    # a title above the header, month-first dates as text, a row with cells beyond the header
    rows = [answers(1, "Stad Gent"), answers(2, "Aalst")]
    lines = [["Export SDG-partnerschappen"], list(HEADERS)]
    for row in rows:
        values = ["" if row[h] is None else str(row[h]) for h in HEADERS]
        values[HEADERS.index("Tijd van voltooien")] = "10/16/2023 10:00"
        values[HEADERS.index("Begintijd")] = ""
        lines.append(values)
    lines[-1] = [*lines[-1], "verschoven"]
    csv = tmp_path / "form.csv"
    csv.write_text("\n".join(",".join(f'"{v}"' for v in line) for line in lines), encoding="utf-8")
    # answers on the second sheet, behind an empty cover sheet
    book = openpyxl.Workbook()
    book.active.title = "Omslag"
    sheet = book.create_sheet("Form1")
    sheet.append(list(HEADERS))
    sheet.append([answers(3, "Zulte")[h] for h in HEADERS])
    xlsx = tmp_path / "form.xlsx"
    book.save(xlsx)
    issues = read_form(csv).issues + read_form(xlsx).issues
    kinds = {i["kind"] for i in issues}
    assert {"skipped-rows", "date-order", "row-shape", "other-sheet"} <= kinds
    for issue in issues:
        texts = [issue_text(issue, lang) for lang in LANGS]
        assert texts[1] == issue["problem"] or issue["kind"] == "skipped-rows", issue
        assert all(texts) and len(set(texts)) == 3, texts
    words = {i["kind"]: [issue_text(i, lang) for lang in LANGS] for i in issues}
    assert words["skipped-rows"] == [
        "1 rij boven de kopregel genegeerd",
        "1 row above the header row ignored",
        "1 ligne au-dessus de la ligne d'en-tête ignorée",
    ]
    assert words["other-sheet"][0] == "antwoorden gelezen uit blad 'Form1'; overgeslagen: 'Omslag' (leeg)"
    assert words["date-order"][0].startswith(
        "de datums staan met de maand eerst, zoals '10/16/2023 10:00' toont"
    )


# --- one source: intake's English is the catalogue's en, worded from the same facts -------------------

MODULES_WITH_RECORDED_ENGLISH = ("intake", "answers", "reference", "reviews", "scoring")
RECORDED_PREFIXES = ("reason_", "note_", "issue_", "review_note_", "scoring_note_")


def _copies(text: str, source: str) -> bool:
    """Whether `source` holds the sentence `text` as a template (an f-string with anything in place
    of its fields) or a long clause of it (a copy split over two string literals)."""
    parts = re.split(r"\{\w*\}", text)
    if sum(len(p) for p in parts) >= 12:
        template = r"\{[^{}]*\}".join(re.escape(p) for p in parts)
        if re.search(template, source):
            return True
    clauses = [c.strip() for p in parts for c in re.split(r"[;:,]", p)]
    return any(len(c) >= 25 and c in source for c in clauses)


def test_no_module_keeps_a_copy_of_a_catalogue_sentence() -> None:
    import matchmaker

    package = Path(matchmaker.__file__).parent
    sources = {m: (package / f"{m}.py").read_text(encoding="utf-8") for m in MODULES_WITH_RECORDED_ENGLISH}
    copies = [
        (key, module)
        for key, texts in _SENTENCES.items()
        if key.startswith(RECORDED_PREFIXES)
        for module, source in sources.items()
        if _copies(texts[LANGS.index("en")], source)
    ]
    assert copies == []
    # and the test sees a copy where there is one
    copy = 'f"started ({started}) after it was completed ({completed}); "\n"and the completion time decides'
    assert _copies(_SENTENCES["issue_time_order"][1], copy + ' which submission of a municipality counts"')
    assert _copies(
        _SENTENCES["note_fuzzy"][1],
        'note = f"read {raw!r} as {target.name} (similarity {s:.2f}): please check"',
    )


@pytest.mark.parametrize(
    "export", [SAMPLE_DIR / "candidacies.xlsx", Path(__file__).parent / "data/messy-export.xlsx"]
)
def test_every_recorded_english_sentence_is_the_catalogue_worded_from_its_facts(export: Path) -> None:
    result = read_form(export)
    frame = result.candidates
    checked = 0
    for texts, codes in zip(frame[s.REASONS], frame[s.REASON_CODES], strict=True):
        assert [reason_text(c, "en") for c in codes] == list(texts)
        for code in codes:
            worded = [reason_text(code, lang) for lang in LANGS]
            assert all(worded) and len(set(worded)) == 3, worded
            checked += 1
    for note, facts in zip(frame[s.RESOLUTION_NOTE], frame[s.RESOLUTION_FACTS], strict=True):
        if note is None:
            continue
        assert note_text(facts, "en") == note
        worded = [note_text(facts, lang) for lang in LANGS]
        assert all(worded), facts
        checked += 1
    for issue in result.issues:
        assert issue_text(issue, "en") == issue["problem"], issue
        worded = [issue_text(issue, lang) for lang in LANGS]
        assert all(worded) and len(set(worded)) == 3, worded
        checked += 1
    assert checked > 20


def test_every_note_code_words_the_english_the_resolution_keeps() -> None:
    written = [
        "",
        "Luik",
        "Oudenarde",
        "Wachtebek",
        "Wachtebeke",
        "Malines",
        "3390",
        "Gent 8700",
        "Tielt (Vlaams-Brabant)",
        "Provincie Limburg",
        '=HYPERLINK("x","Gent")',
        "Gent en Aalst",
        "Xyzzyville",
        "Liègge",
    ]
    seen = set()
    for name in written:
        r = resolve(name)
        assert r.facts is not None, name
        seen.add(r.facts["code"])
        assert note_text(r.facts, "en") == r.note, name
        assert all(note_text(r.facts, lang) for lang in LANGS), name
    assert len(seen) >= 10, seen
