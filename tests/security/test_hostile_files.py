"""Files that are small on disk but hostile: each is read in a child process whose address space
is capped at 512 MB, and must end in a clean refusal or a correct result, quickly.

Before the readers streamed and counted as they read, these files took gigabytes (a 321 KB
workbook with a cell in column XFD on every row, 4 GB) or minutes (a 5 KB workbook whose formula
cells are followed by whitespace, 27 s of CPU in one regular expression).
"""

from __future__ import annotations

import time

import pytest

from importers import read_plan_file
from importers.cells import cell_text, is_strict_heading, split_heading, split_objective
from importers.colours import theme_colours
from importers.headers import normalise_header
from rulebook.deadlines import read_deadline
from tests.security.hostile import (
    csv_blank_lines,
    csv_long_row,
    docx_grid_before,
    read_in_child,
    xlsx_empty_rows,
    xlsx_far_column,
    xlsx_formula_whitespace,
    xlsx_long_number_format,
    xlsx_many_rows,
    xlsx_wide_rows,
)

MEMORY_MB = 512
# Generous for a loaded machine: each read takes under 5 s of CPU; the time limit kills the
# child well before the minutes these files used to take.
TIMEOUT = 60


def read(data: bytes, filename: str):
    outcome = read_in_child(data, filename, memory_mb=MEMORY_MB, timeout=TIMEOUT)
    assert outcome.died is None, outcome.died
    return outcome


def test_a_cell_in_the_last_column_of_every_row_is_left_out_with_a_warning():
    outcome = read(xlsx_far_column(rows=20_000), "far.xlsx")
    assert outcome.refused is None
    assert len(outcome.actions) == 20_002
    assert outcome.actions[:3] == [
        ["1.1", "Run campaigns"],
        ["1.2", "Fund refuge"],
        ["4", "Action 4"],
    ]
    assert outcome.issues == [
        "far.xlsx, sheet 'Sheet1': cells right of column GR (the 200th) are not read, the first "
        "at XFD4: a plan table is narrower"
    ]
    assert outcome.peak_mb < 200


def test_millions_of_empty_rows_end_the_sheet_with_a_warning():
    outcome = read(xlsx_empty_rows(rows=2_000_000), "empty.xlsx")
    assert outcome.actions == [["1.1", "Run campaigns"], ["1.2", "Fund refuge"]]
    assert outcome.issues == [
        "empty.xlsx, sheet 'Sheet1': rows below row 3 are not read: more than 10,000 empty rows "
        "follow, so anything further down is left out"
    ]
    assert outcome.cpu_seconds < 5


def test_more_than_200000_rows_are_refused_before_the_rest_is_read():
    outcome = read(xlsx_many_rows(rows=600_000), "many.xlsx")
    assert outcome.refused == "many.xlsx: has more than 200,000 rows; split the plan"
    assert outcome.peak_mb < 250


def test_rows_that_are_wide_everywhere_are_refused_by_their_cells():
    outcome = read(xlsx_wide_rows(rows=100_000), "wide.xlsx")
    assert outcome.refused == "wide.xlsx: has more than 4,000,000 cells in its rows; split the plan"
    assert outcome.peak_mb < 250


@pytest.mark.parametrize("spaces", [100_000])
def test_whitespace_after_a_formula_takes_no_time(spaces):
    outcome = read(xlsx_formula_whitespace(spaces=spaces, cells=3), "formula.xlsx")
    assert outcome.actions == [
        ["1.1", "Run campaigns"],
        ["1.2", "Fund refuge"],
        [None, "Act"],
        [None, "Act"],
        [None, "Act"],
    ]
    assert outcome.issues == []
    assert outcome.cpu_seconds < 0.5


def test_millions_of_blank_lines_in_a_csv_end_it_with_a_warning():
    outcome = read(csv_blank_lines(lines=10_000_000), "blank.csv")
    assert outcome.actions == [["1.1", "Run campaigns"], ["1.2", "Fund refuge"]]
    assert outcome.issues == [
        "blank.csv, sheet 'blank.csv': rows below row 3 are not read: more than 10,000 empty rows "
        "follow, so anything further down is left out"
    ]
    assert outcome.cpu_seconds < 1


def test_a_csv_line_of_millions_of_cells_is_refused_before_it_is_split():
    outcome = read(csv_long_row(commas=20_000_000), "long.csv")
    assert outcome.refused == "long.csv: has a row longer than 4 MB (row 4): not a plan table"
    assert outcome.peak_mb < 200


def test_a_word_row_starting_a_hundred_million_columns_in_is_left_out_with_a_warning():
    outcome = read(docx_grid_before(skip=100_000_000), "grid.docx")
    assert outcome.actions == [["1.1", "Run campaigns"], ["1.2", "Fund refuge"]]
    assert outcome.issues == [
        "grid.docx, table 1, row 4: cells right of column GR (the 200th) are not read: a plan "
        "table is narrower"
    ]
    assert outcome.cpu_seconds < 1


def test_a_number_format_longer_than_excel_allows_is_refused_before_openpyxl_reads_it():
    outcome = read(xlsx_long_number_format(chars=200_000), "format.xlsx")
    assert outcome.refused == (
        "format.xlsx: has a number format longer than Excel allows (255 characters); "
        "it may be damaged"
    )
    assert outcome.cpu_seconds < 0.5


# Text from a cell runs through these patterns; each input took seconds to minutes before
# (the time grew with the square of its length). A linear pattern takes milliseconds.
HOSTILE_TEXT = [
    (cell_text, "<p" * 60_000),
    (cell_text, "<b " * 40_000),
    (is_strict_heading, "\n" * 100_000 + "x"),
    (is_strict_heading, "<" * 100_000),
    (split_heading, "Objective 1: Care" + " " * 100_000 + "x"),
    (split_heading, "Objective 1: Care\n" + "\n" * 100_000 + "x"),
    (split_objective, "Objective 1" + "\n" * 100_000 + "Improve services"),
    (is_strict_heading, "Objective 1" + " \n" * 50_000 + "x"),
    (normalise_header, "<" * 100_000),
    (read_deadline, "to" * 50_000),
    (read_deadline, "until" * 20_000),
    (theme_colours, b"<a:clrScheme " * 50_000),
]


@pytest.mark.parametrize(
    ("function", "text"), HOSTILE_TEXT, ids=lambda v: getattr(v, "__name__", repr(v)[:12])
)
def test_hostile_cell_text_is_handled_in_well_under_a_second(function, text):
    started = time.process_time()
    function(text)
    assert time.process_time() - started < 0.2


def test_hostile_cells_in_a_plan_are_read_in_well_under_a_second():
    rows = [
        ["Ref", "Action", "Owner", "Deadline", "<" * 100_000],
        ["Objective 1: Care" + " " * 100_000 + "x"],
        ["1.1", "Campaign " + "<p" * 50_000, "Ann", "to" * 50_000, ""],
    ]
    data = "\r\n".join(",".join(row) for row in rows).encode()
    started = time.process_time()
    result = read_plan_file(data, "plan.csv")
    assert time.process_time() - started < 0.5
    assert [(r.objective, r.ref, r.lead) for r in result.rows] == [("Care x", "1.1", "Ann")]
    assert result.rows[0].deadline is None
    assert result.rows[0].action.startswith("Campaign <p<p")
