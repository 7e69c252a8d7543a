"""The financial year a file names for itself (importers.title_year): a bare "Q2" column is read
in it when the plan's own period does not say."""

import datetime as dt

import pytest

from importers import read_plan_file
from importers.title_year import financial_years_named
from plan.import_history import with_history
from rulebook.rag import Rag
from tests.builders import xlsx_bytes

AS_AT = dt.date(2026, 12, 5)  # in 2026/27: not the year the files name
NO_PERIOD = (None, None)
HEADER = ["Ref", "What we will do", "Lead agency", "Q1 RAG", "Q1 update", "Q2 RAG", "Q2 update"]
ROWS = [
    HEADER,
    ["1.1", "Healthy relationships sessions", "Schools", "Amber", "Six booked", "Green", "All"],
    ["1.2", "Coercive control campaign", "Comms", "Green", "Drafted", "", ""],
]


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("VAWG Delivery Plan 2025/26", {2025}),
        ("Action plan 2025-26", {2025}),
        ("Tracker 2025–2026 (final)", {2025}),
        ("Strategy 2024/25 to 2026/27", {2024, 2026}),
        ("Updated 2025-06-30", set()),  # a date, not a year
        ("Reviewed 12025/26", set()),
        ("2025/27 review", set()),
        ("Delivery plan 2025", set()),  # a calendar year: which financial year is unclear
    ],
)
def test_financial_years_named_in_a_text(text, years):
    assert financial_years_named(text) == years


def _periods(result):
    return [(r.ref, [(p.label, p.end.isoformat(), p.rag) for p in r.periods]) for r in result.rows]


def test_a_title_line_above_the_header_gives_the_quarters_their_year():
    titled = [["Safer Partnership – VAWG Delivery Plan 2025/26"], [], *ROWS]
    result = read_plan_file(xlsx_bytes(("Actions", titled)), "tracker.xlsx")
    assert result.title_years == [2025]
    read = with_history(result, AS_AT, NO_PERIOD)
    assert _periods(read) == [
        ("1.1", [("Q1 2025/26", "2025-06-30", Rag.AMBER), ("Q2 2025/26", "2025-09-30", Rag.GREEN)]),
        ("1.2", [("Q1 2025/26", "2025-06-30", Rag.GREEN)]),
    ]
    assert [i.message for i in read.issues if "no year" in i.message] == [
        "quarter columns name no year: read as 2025/26 (the year the file's title or name "
        "gives); give the as-at date or the plan period to read them as another year"
    ]


@pytest.mark.parametrize(
    ("sheet", "file", "years", "label"),
    [
        ("2024-25", "tracker.xlsx", [2024], "Q1 2024/25"),
        ("Actions", "DA tracker 2023-2024.xlsx", [2023], "Q1 2023/24"),
        # Two years named: which one the quarters are in is unclear, so the as-at date's.
        ("2024-25", "DA tracker 2023-2024.xlsx", [2023, 2024], "Q1 2026/27"),
    ],
)
def test_a_sheet_or_file_name_gives_the_year_unless_two_are_named(sheet, file, years, label):
    result = read_plan_file(xlsx_bytes((sheet, ROWS)), file)
    assert result.title_years == years
    (first, *_) = with_history(result, AS_AT, NO_PERIOD).rows
    assert first.periods[0].label == label


def test_the_plans_own_period_still_comes_first():
    titled = [["Delivery Plan 2025/26"], *ROWS]
    result = read_plan_file(xlsx_bytes(("Actions", titled)), "tracker.xlsx")
    plan_period = (dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    (first, *_) = with_history(result, AS_AT, plan_period).rows
    assert first.periods[0].label == "Q1 2024/25"
