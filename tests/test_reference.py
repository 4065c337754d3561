"""reference.py: every merger, every prefix, postal codes, French names, non-Flemish names, typos."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker import schema
from matchmaker.reference import MERGERS, PREFIXES, flemish_municipalities, name_key, resolve

# The 13 mergers of 1 January 2025 (DOMAIN.md), each old name -> (new name, REFNIS, province),
# written down from Statbel's list rather than read back from reference.py.
MERGED = {
    "Beveren": ("Beveren-Kruibeke-Zwijndrecht", "46030", "Oost-Vlaanderen"),
    "Kruibeke": ("Beveren-Kruibeke-Zwijndrecht", "46030", "Oost-Vlaanderen"),
    "Zwijndrecht": ("Beveren-Kruibeke-Zwijndrecht", "46030", "Oost-Vlaanderen"),
    "Bilzen": ("Bilzen-Hoeselt", "73110", "Limburg"),
    "Hoeselt": ("Bilzen-Hoeselt", "73110", "Limburg"),
    "Borgloon": ("Tongeren-Borgloon", "73111", "Limburg"),
    "Tongeren": ("Tongeren-Borgloon", "73111", "Limburg"),
    "Borsbeek": ("Antwerpen", "11002", "Antwerpen"),
    "De Pinte": ("Nazareth-De Pinte", "44086", "Oost-Vlaanderen"),
    "Nazareth": ("Nazareth-De Pinte", "44086", "Oost-Vlaanderen"),
    "Galmaarden": ("Pajottegem", "23106", "Vlaams-Brabant"),
    "Gooik": ("Pajottegem", "23106", "Vlaams-Brabant"),
    "Herne": ("Pajottegem", "23106", "Vlaams-Brabant"),
    "Ham": ("Tessenderlo-Ham", "71071", "Limburg"),
    "Tessenderlo": ("Tessenderlo-Ham", "71071", "Limburg"),
    "Kortessem": ("Hasselt", "71072", "Limburg"),
    "Wachtebeke": ("Lochristi", "44087", "Oost-Vlaanderen"),
    "Moerbeke": ("Lokeren", "46029", "Oost-Vlaanderen"),
    "Melle": ("Merelbeke-Melle", "44088", "Oost-Vlaanderen"),
    "Merelbeke": ("Merelbeke-Melle", "44088", "Oost-Vlaanderen"),
    "Meulebeke": ("Tielt", "37022", "West-Vlaanderen"),
    "Ruiselede": ("Wingene", "37021", "West-Vlaanderen"),
}


def test_reference_has_the_285_flemish_municipalities_in_5_provinces() -> None:
    frame = flemish_municipalities()
    assert len(frame) == 285
    assert frame["refnis"].is_unique
    assert set(frame["province"]) == {
        "Antwerpen",
        "Limburg",
        "Oost-Vlaanderen",
        "Vlaams-Brabant",
        "West-Vlaanderen",
    }
    gent = frame.set_index("refnis").loc["44021"]
    assert gent["municipality"] == "Gent"
    assert "9000" in gent["postal_codes"]


def test_every_merger_in_the_domain_is_known() -> None:
    assert set(MERGERS) == set(MERGED)
    assert len(set(MERGERS.values())) == 13


@pytest.mark.parametrize("old", sorted(MERGED))
def test_old_name_resolves_to_the_merged_municipality(old: str) -> None:
    municipality, refnis, province = MERGED[old]
    for written in (old, f"Gemeente {old}", old.upper(), f"  {old.lower()} "):
        r = resolve(written)
        assert (r.municipality, r.refnis, r.province, r.method) == (municipality, refnis, province, "merged")
        assert f"merged into {municipality}" in r.note


@pytest.mark.parametrize(
    "written",
    [
        "Stad Gent",
        "Gemeente Gent",
        "gemeente gent",
        "Lokaal bestuur Gent",
        "Lokaal Bestuur Gent",
        "lokaal bestuur Gent",
        "OCMW Gent",
        "Gemeentebestuur Gent",
        "Stadsbestuur Gent",
        "Stadsbestuur van Gent",
        "Stad en OCMW Gent",
        "Gemeente en OCMW Gent",
        "Stad & OCMW Gent",
        "De Stad Gent",
        "Ville de Gand",
        "STAD GENT",
        "Stad Gent - Dienst Internationale Samenwerking",
    ],
)
def test_prefixes_are_stripped(written: str) -> None:
    r = resolve(written)
    assert (r.municipality, r.refnis, r.province) == ("Gent", "44021", "Oost-Vlaanderen")
    assert r.method in ("exact", "alias")


def test_every_prefix_word_in_the_list_is_tested_somewhere() -> None:
    # A prefix added to reference.py without a case here would go untested.
    for prefix in PREFIXES:
        r = resolve(f"{prefix} Zulte")
        assert r.refnis == "44081", prefix


def test_a_name_that_contains_a_prefix_word_is_not_cut() -> None:
    assert resolve("Herk-de-Stad").refnis == "71024"
    assert resolve("Stad Herk-de-Stad").refnis == "71024"
    assert resolve("Gemeente De Pinte").refnis == "44086"
    assert resolve("De Panne").refnis == "38008"
    assert resolve("Stad Halle").refnis == "23027"


@pytest.mark.parametrize(
    ("written", "refnis"),
    [
        ("Tielt", "37022"),
        ("Stad Tielt", "37022"),
        ("8700 Tielt", "37022"),
        ("TIELT", "37022"),
        ("Tielt-Winge", "24135"),
        ("Tielt Winge", "24135"),
        ("tieltwinge", "24135"),
        ("Gemeente Tielt-Winge", "24135"),
        ("3390 Tielt-Winge", "24135"),
        ("Meulebeke", "37022"),
    ],
)
def test_tielt_and_tielt_winge_are_never_confused(written: str, refnis: str) -> None:
    assert resolve(written).refnis == refnis


def test_a_typo_near_tielt_never_becomes_tielt_winge_or_back() -> None:
    assert resolve("Tieltt").refnis == "37022"
    assert resolve("Tielt-Wingee").refnis == "24135"
    assert resolve("Tiel").refnis is None  # too short to guess


@pytest.mark.parametrize(
    ("written", "refnis", "method"),
    [
        ("9000", "44021", "postal"),
        ("Gemeente 9620", "41081", "postal"),
        ("9090 Melle", "44088", "merged"),
        ("Stad Halle (1500)", "23027", "exact"),
        ("3500 Hasselt", "71072", "exact"),
        ("B-9000 Gnt", "44021", "postal"),
    ],
)
def test_postal_codes(written: str, refnis: str, method: str) -> None:
    r = resolve(written)
    assert (r.refnis, r.method) == (refnis, method)


@pytest.mark.parametrize(
    ("written", "named", "owner"),
    [
        ("Gent 8700", "Gent", "Tielt"),
        ("3390 Tielt", "Tielt", "Tielt-Winge"),
        ("8700 Tielt-Winge", "Tielt-Winge", "Tielt"),
    ],
)
def test_a_postal_code_of_another_municipality_is_not_settled_by_a_guess(
    written: str, named: str, owner: str
) -> None:
    # "3390 Tielt" is the Tielt inside Tielt-Winge: picking either side would be a guess.
    r = resolve(written)
    assert (r.refnis, r.method) == (None, "unresolved")
    assert f"says {named}," in r.note and f"belongs to {owner}:" in r.note


@pytest.mark.parametrize(
    ("written", "refnis"),
    [
        ("Stad Genk (Limburg)", "71016"),
        ("Gemeente Ham (Limburg)", "71071"),
        ("Bree, Limburg", "72004"),
        ("Genk - Limburg", "71016"),
        ("Peer (prov. Limburg)", "72030"),
        ("Tielt (West-Vl.)", "37022"),
        ("Tielt (W.-Vl.)", "37022"),
        ("Tielt-Winge (Vl.-Br.)", "24135"),
        ("Stad Brugge (West-Vlaanderen)", "31005"),
        ("Zulte (O-Vl)", "44081"),
        ("Stad Antwerpen (Antwerpen)", "11002"),
        ("Mol (Antw.)", "13025"),
        # Zwijndrecht was in Antwerpen until its merger into Beveren-Kruibeke-Zwijndrecht (Oost-Vlaanderen).
        ("Zwijndrecht (Antwerpen)", "46030"),
        ("Zwijndrecht (Oost-Vlaanderen)", "46030"),
        ("Meulebeke (West-Vl.)", "37022"),
    ],
)
def test_a_province_after_the_name_only_qualifies_it(written: str, refnis: str) -> None:
    # "Limburg" is also the Dutch name of the Walloon Limbourg: after a name it is the province.
    assert resolve(written).refnis == refnis


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("Tielt (Vlaams-Brabant)", "Tielt is in West-Vlaanderen, but the name says Vlaams-Brabant"),
        ("Aalst (Limburg)", "Aalst is in Oost-Vlaanderen, but the name says Limburg"),
        ("Halle (Antwerpen)", "Halle is in Vlaams-Brabant, but the name says Antwerpen"),
        ("Gentt (West-Vlaanderen)", "Gent is in Oost-Vlaanderen, but the name says West-Vlaanderen"),
        ("Kruibeke (Antwerpen)", "Kruibeke is in Oost-Vlaanderen, but the name says Antwerpen"),
        ("Tielt (Brabant)", "Tielt is in West-Vlaanderen, but the name says Vlaams-Brabant"),
        ("Tielt (VB)", "Tielt is in West-Vlaanderen, but the name says Vlaams-Brabant"),
        ("Tielt (Waals-Brabant)", "Tielt is in West-Vlaanderen, but the name says Waals-Brabant"),
    ],
)
def test_a_province_that_contradicts_the_name_is_not_guessed(written: str, said: str) -> None:
    # "Tielt (Vlaams-Brabant)" is the Tielt inside Tielt-Winge, never Tielt in West-Vlaanderen.
    r = resolve(written)
    assert (r.refnis, r.method) == (None, "unresolved")
    assert said in r.note


@pytest.mark.parametrize(
    "written", ["Antwerpen (provincie)", "Limburg", "West-Vlaanderen", "Provincie Limburg"]
)
def test_a_province_is_not_a_municipality(written: str) -> None:
    r = resolve(written)
    assert (r.refnis, r.method) == (None, "unresolved")
    assert "names a province" in r.note


def test_a_formula_is_not_read_as_a_name() -> None:
    r = resolve('=HYPERLINK("http://example.org","Gent")')
    assert (r.refnis, r.method) == (None, "unresolved")
    assert "formula" in r.note


def test_a_postal_code_shared_by_two_municipalities_is_not_guessed() -> None:
    r = resolve("1804")
    assert r.method == "unresolved" and "more than one" in r.note


@pytest.mark.parametrize(
    ("written", "refnis"),
    [
        ("Gand", "44021"),
        ("Anvers", "11002"),
        ("Courtrai", "34022"),
        ("Louvain", "24062"),
        ("Malines", "12025"),
    ],
)
def test_french_names_of_flemish_municipalities(written: str, refnis: str) -> None:
    r = resolve(written)
    assert (r.refnis, r.method) == (refnis, "alias")


@pytest.mark.parametrize(
    ("written", "region"),
    [
        ("Luik", "Walloon"),
        ("Liège", "Walloon"),
        ("Liege", "Walloon"),
        ("Ville de Liège", "Walloon"),
        ("Bergen", "Walloon"),
        ("Mons", "Walloon"),
        ("Namen", "Walloon"),
        ("Namur", "Walloon"),
        ("Doornik", "Walloon"),
        ("Tournai", "Walloon"),
        ("Moeskroen", "Walloon"),
        ("Brussel", "Brussels"),
        ("Bruxelles", "Brussels"),
        ("Stad Brussel", "Brussels"),
        ("Elsene", "Brussels"),
        ("Ixelles", "Brussels"),
        ("Sint-Jans-Molenbeek", "Brussels"),
        ("Molenbeek-Saint-Jean", "Brussels"),
    ],
)
def test_walloon_and_brussels_names_in_both_languages_are_not_flemish(written: str, region: str) -> None:
    r = resolve(written)
    assert r.method == "not-flemish"
    assert r.refnis is None and r.municipality is None
    assert region in r.note


def test_conservative_fuzzy_matching_is_low_confidence() -> None:
    r = resolve("Oudenarde")
    assert (r.refnis, r.method) == ("45035", "fuzzy")
    assert 0 < r.score < 1 and r.warning
    r = resolve("Gemeentebestuur Braschaat")
    assert (r.refnis, r.method) == ("11008", "fuzzy")
    # Too far from any name: no guess.
    assert resolve("Oudnrd").method == "unresolved"
    assert resolve("Gemeente Atlantis").method == "unresolved"


@pytest.mark.parametrize(
    ("old", "refnis"),
    [("Neerpelt", "72043"), ("Waarschoot", "44085"), ("Opglabbeek", "72042"), ("Puurs", "12041")],
)
def test_names_from_the_2019_mergers_resolve_too(old: str, refnis: str) -> None:
    r = resolve(f"Gemeente {old}")
    assert (r.refnis, r.method) == (refnis, "merged")
    assert "2019-01-01" in r.note


def test_a_fuzzy_match_never_changes_the_first_letter() -> None:
    # One or two letters from "Aarschot" and "Glabbeek", but other places.
    assert resolve("Vaarschot").refnis is None
    assert resolve("Xglabbeek").refnis is None
    assert resolve("Aarschott").refnis == "24001"


@pytest.mark.parametrize(
    "written",
    ["", "   ", "Provincie Antwerpen", "Intercommunale Leiedal", "Gent en Merelbeke", "Vlaanderen"],
)
def test_unresolved_names_stay_unresolved(written: str) -> None:
    r = resolve(written)
    assert r.method == "unresolved"
    assert (r.refnis, r.municipality, r.province) == (None, None, None)
    assert r.note


def test_every_method_is_a_schema_code() -> None:
    names = ["Gent", "Gand", "Melle", "9000", "Oudenarde", "Luik", "Atlantis"]
    assert {resolve(n).method for n in names} == set(schema.RESOLUTIONS)


def test_name_key_ignores_case_accents_hyphens_and_spaces() -> None:
    assert name_key("Sint-Genesius-Rode") == name_key("sint genesius rode") == name_key("St.-Genesius-Rode")
    assert name_key("Liège") == name_key("LIEGE")
    assert name_key("Tielt") != name_key("Tielt-Winge")


def test_every_flemish_municipality_resolves_to_itself() -> None:
    for row in flemish_municipalities().itertuples():
        r = resolve(str(row.municipality))
        assert (r.refnis, r.method) == (row.refnis, "exact"), row.municipality


FLEMISH = flemish_municipalities()


@settings(max_examples=60, deadline=None)
@given(
    index=st.integers(0, len(FLEMISH) - 1),
    prefix=st.sampled_from(["", "Stad ", "Gemeente ", "lokaal bestuur ", "OCMW ", "Gemeentebestuur "]),
    upper=st.booleans(),
    spaces=st.sampled_from(["", " ", "  "]),
)
def test_any_flemish_name_with_a_prefix_resolves_to_itself(
    index: int, prefix: str, upper: bool, spaces: str
) -> None:
    row = FLEMISH.iloc[index]
    written = f"{spaces}{prefix}{row['municipality']}{spaces}"
    r = resolve(written.upper() if upper else written)
    assert r.refnis == row["refnis"]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_resolve_never_fails_and_always_says_how(text: str) -> None:
    r = resolve(text)
    assert r.method in schema.RESOLUTIONS
    assert (r.refnis is None) == (r.method in ("not-flemish", "unresolved"))
    assert 0.0 <= r.score <= 1.0


@pytest.mark.parametrize(
    ("written", "refnis"),
    [
        ("Gem. Zulte", "44081"),
        ("LB Zulte", "44081"),
        ("Gent\nOost-Vlaanderen", "44021"),
        ("Gent\tBelgië", "44021"),
        ("Stad Gent\nBotermarkt 1\n9000 Gent", "44021"),
    ],
)
def test_abbreviated_prefixes_and_names_over_several_lines(written: str, refnis: str) -> None:
    assert resolve(written).refnis == refnis


def test_a_province_on_the_next_line_is_checked_too() -> None:
    r = resolve("Tielt\nVlaams-Brabant")
    assert (r.refnis, r.method) == (None, "unresolved")
    assert "but the name says Vlaams-Brabant" in r.note


def test_former_municipality_of_a_merger_is_kept() -> None:
    assert resolve("Gemeente Hoeselt").former == "Hoeselt"
    assert resolve("Hoeseltt").former == "Hoeselt"  # a typo of a former name
    assert resolve("Bilzen-Hoeselt").former is None
    assert resolve("Gent").former is None


@pytest.mark.parametrize("seed", range(3))
def test_a_one_letter_typo_never_lands_on_another_municipality(seed: int) -> None:
    # A typo is either read right or left unresolved; only another real name ("Beerse" for
    # "Beersel") can be read as that other municipality.
    import random

    rng = random.Random(seed)
    for row in FLEMISH.sample(60, random_state=seed).itertuples():
        name = str(row.municipality)
        i = rng.randrange(1, len(name))
        for typo in (name[:i] + name[i + 1 :], name[:i] + name[i] + name[i:]):
            r = resolve(typo)
            if r.method in ("exact", "alias", "merged"):
                continue  # a real name of its own
            assert r.refnis in (row.refnis, None), (name, typo, r)
