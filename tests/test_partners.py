"""Reading the partners file: codes out of option texts, eligibility, every kind of bad file."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from matchmaker import schema as s
from matchmaker.errors import IntakeError
from matchmaker.partners import COLUMNS, LINKED_REASON, read_partners

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "partners.csv"
HEADER = ",".join(COLUMNS)


def write(tmp_path: Path, text: str, name: str = "partners.csv") -> Path:
    out = tmp_path / name
    out.write_text(text, encoding="utf-8")
    return out


def test_sample_partners() -> None:
    table = read_partners(SAMPLE)
    assert list(table.columns) == [*COLUMNS, s.REGION_NAMES, "eligible", "reasons"]
    rwanda = table[table[s.COUNTRY] == "Rwanda"]
    assert rwanda[s.PARTNER].tolist() == ["Karongi", "Bugesera", "Gatsibo", "Nyanza"]
    # the optional region_nl and region_fr columns: the region's name per language, where given
    assert rwanda[s.REGION_NAMES].iloc[0] == {"nl": "Westelijke Provincie", "fr": "Province de l'Ouest"}
    assert table[table[s.COUNTRY] == "Benin"][s.REGION_NAMES].iloc[0] == {}
    assert all(langs == ["en", "fr"] for langs in rwanda[s.PARTNER_LANGUAGES])
    assert all(themes == [] for themes in rwanda[s.PARTNER_THEMES])
    benin = table[table[s.COUNTRY] == "Benin"]
    assert len(benin) == 13 and benin["eligible"].sum() == 11
    first = benin.iloc[0]
    assert first[s.PARTNER_THEMES] == ["innovation", "decent_work"]
    linked = table[table[s.HAS_FLEMISH_LINK]]
    assert linked["reasons"].tolist() == [[LINKED_REASON], [LINKED_REASON]]
    assert not linked["eligible"].any()


def test_xlsx_reads_like_csv(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    sheet.append(["Karongi", "Rwanda", "Western Province", None, "Engels; Frans;", "nee"])
    sheet.append(["Commune X", "benin", "Zou", "Innovatie;Ongelijkheid", "Frans", "JA "])
    out = tmp_path / "partners.xlsx"
    book.save(out)
    table = read_partners(out)
    assert table[s.COUNTRY].tolist() == ["Rwanda", "Benin"]
    assert table[s.PARTNER_LANGUAGES].tolist() == [["en", "fr"], ["fr"]]
    assert table[s.PARTNER_THEMES].tolist() == [[], ["innovation", "inequality"]]
    assert table[s.HAS_FLEMISH_LINK].tolist() == [False, True]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        (
            "partner,country\nKarongi,Rwanda\n",
            "missing column(s) region, themes, languages, has_flemish_link",
        ),
        (HEADER + "\n", "lists no partners"),
        (HEADER + ",partner\nA,Rwanda,R,,Frans,Nee,A\n", "appear more than once"),
        (
            HEADER + "\nA,Rwanda,R,,Frans,Nee\na,Rwanda,R,,Frans,Nee\n",
            "row 3: partner 'a' is listed twice (also row 2)",
        ),
        (HEADER + "\nA,Ghana,R,,Frans,Nee\n", "row 2, column 'country': 'Ghana' is not one of Rwanda, Benin"),
        (HEADER + "\nA,Rwanda,R,,Frans,misschien\n", "'misschien' is not Ja or Nee"),
        (HEADER + "\nA,Benin,R,Toerisme,Frans,Nee\n", "unknown option 'Toerisme'"),
        (HEADER + "\n,Benin,R,,Frans,Nee\n", "row 2: no partner name"),
    ],
)
def test_bad_files_name_file_row_and_problem(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(IntakeError) as err:
        read_partners(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_all_problems_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "\nA,Ghana,R,,Frans,Nee\nB,Benin,R,,Klingon,Nee\n")
    with pytest.raises(IntakeError, match=r"row 2.*row 3.*Klingon"):
        read_partners(path)


def test_not_a_table(tmp_path: Path) -> None:
    binary = tmp_path / "partners.csv"
    binary.write_bytes(b"\x00\x01\x02\xff\xfe garbage")
    with pytest.raises(IntakeError, match=r"neither UTF-8 CSV nor \.xlsx"):
        read_partners(binary)
    broken = tmp_path / "partners.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(IntakeError, match=r"not a valid \.xlsx"):
        read_partners(broken)
    with pytest.raises(IntakeError, match="cannot read"):
        read_partners(tmp_path / "missing.csv")


def test_neen_is_no(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\nKarongi,Rwanda,Western Province,,Engels;Frans,Neen\n")
    table = read_partners(path)
    assert table[s.HAS_FLEMISH_LINK].tolist() == [False]
    assert table["eligible"].tolist() == [True]


def test_an_entity_declaration_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "partners.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    sheet.append(["Karongi", "Rwanda", "Western Province", "", "Engels", "Nee"])
    book.save(path)
    import zipfile

    attacked = tmp_path / "attacked.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(attacked, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                doctype = b'<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
                cut = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
                data = data[:cut] + doctype + data[cut:]
            dst.writestr(info, data)
    with pytest.raises(IntakeError, match="document type declaration"):
        read_partners(attacked)


def test_semicolon_separated_csv_is_named_as_such(tmp_path: Path) -> None:
    text = ";".join(COLUMNS) + "\nKarongi;Rwanda;Western Province;;Engels;Nee\n"
    with pytest.raises(IntakeError, match="separated by ';'"):
        read_partners(write(tmp_path, text))
