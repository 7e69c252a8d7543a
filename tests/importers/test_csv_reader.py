"""CSV read a line at a time: empty rows left out with row numbers kept, far cells left out,
rows too long to be part of a plan refused before they are split into cells."""

from __future__ import annotations

import pytest

from importers import ImportFileError, read_plan_file
from importers.csv_reader import read_csv_sheet


def test_empty_rows_are_left_out_and_rows_keep_their_numbers():
    data = b"Title\r\n\r\n,,\r\nAction,Owner\r\n\r\nCampaign,Ann\r\n"
    sheet = read_csv_sheet(data, "plan.csv")
    assert sheet.rows == [["Title"], ["Action", "Owner"], ["Campaign", "Ann"]]
    assert [sheet.where(i) for i in range(3)] == [("plan.csv", 1), ("plan.csv", 4), ("plan.csv", 6)]
    result = read_plan_file(data, "plan.csv")
    assert [(r.action, r.row) for r in result.rows] == [("Campaign", 6)]


def test_cells_right_of_column_200_are_left_out_with_one_note():
    header = ",".join(["Action", "Owner"] + [""] * 198 + ["Far"])
    data = f"{header}\r\nCampaign,Ann{',' * 250}\r\nRefuge,Bob{',' * 240}x\r\n".encode()
    sheet = read_csv_sheet(data, "plan.csv")
    assert [len(row) for row in sheet.rows] == [200, 200, 200]
    assert sheet.notes == [
        (
            None,
            "cells right of column GR (the 200th) are not read, the first at GS1: a plan table "
            "is narrower",
        )
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"Action,Owner\r\nCampaign,Ann\r\n" + b"," * (4 * 1024 * 1024 + 1),
            "has a row longer than 4 MB (row 3)",
        ),
        (
            # Quoted line breaks: many short lines, one record of a million cells.
            b"Action,Owner\r\n" + b'"\n",' * (1024 * 1024 + 1) + b"Ann\r\n",
            "has a row longer than 4 MB (row 2)",
        ),
        (" \r\n\u00a0\t\r\n".encode(), "is empty"),
        (b",,,\r\n;;\r\n", "holds no recognisable action plan"),
    ],
)
def test_files_that_are_not_plan_tables_are_refused(data, message):
    with pytest.raises(ImportFileError) as raised:
        read_plan_file(data, "plan.csv")
    assert message in str(raised.value)
