"""The shortlist workbook's layout shared by its writer and by `decisions`, which reads it back:
sheet names and the label keys of the columns the committee writes its decisions in.
"""

from __future__ import annotations

from typing import Final

# Sheet names stay Dutch in every language: other tools and `read_decisions` find the sheets by them.
SHEET_OVERVIEW: Final = "Overzicht"
SHEET_PAIRS: Final = "Koppelingen"
SHEET_SHORTLIST: Final = "Shortlist"
SHEET_RESERVES: Final = "Reservelijst"
SHEET_ALTERNATIVES: Final = "Alternatieven"
SHEET_MOTIVATION: Final = "Motivatie"
SHEET_INTAKE: Final = "Intake"
SHEET_PARTNERS: Final = "Partners"
SHEET_PARAMETERS: Final = "Parameters"
SHEET_ROBUSTNESS: Final = "Robuustheid"  # pair --robustness
SHEET_STABILITY: Final = "Stabiliteit"  # with partner ratings only

# Column headers are catalogue labels in the workbook's language; `decisions` finds a column by its
# header in any language, so these keys name the columns on both sides.
COL_MUNICIPALITY: Final = "municipality"
COL_REFNIS: Final = "refnis"
COL_PROVINCE: Final = "province"
COL_PARTNER: Final = "partner"
COL_COUNTRY: Final = "country"
COL_DECISION: Final = "decision"  # Koppelingen and Shortlist: vast, weiger, uitsluiten
COL_PAIR_WITH: Final = "pair_with"  # Shortlist: a partner to lock the candidate with
COL_NOTE: Final = "note"  # Koppelingen and Shortlist: the committee's note on a pair or a candidate
# The columns the committee types in: a workbook with anything there is never overwritten.
INPUT_COLUMNS: Final = (COL_DECISION, COL_PAIR_WITH, COL_NOTE)
# The keywords of the workbook's document properties: how the engine knows its own shortlist.
SHORTLIST_MARK: Final = "matchmaker.shortlist/2"
# every layout the decisions reader knows; /1 carried earlier refusals on Parameters
SHORTLIST_MARKS: Final = ("matchmaker.shortlist/1", SHORTLIST_MARK)
# Custom document properties: the run's total value and filled slots, so that the next round, reading
# this workbook's decisions, can say what they cost (hidden from the sheets, kept by Excel and LibreOffice).
PROP_TOTAL_VALUE: Final = "matchmaker.total_value"
PROP_FILLED: Final = "matchmaker.filled"
COL_VALUE: Final = "value"  # Koppelingen: the value of each pair, read back as the previous round's
# Parameters: the table of earlier decisions, a row per pair; its kind column reads "forbidden"
KIND_FORBIDDEN: Final = "forbidden"
KIND_LOCKED: Final = "locked"
