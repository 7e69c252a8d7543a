"""Writing cells safely: no formula nobody wrote, in xlsx or CSV; reused cells leak nothing."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from plan.exporters.safe_cells import FORMULA_STARTS, SheetWriter, csv_text, neutralise
from plan.exporters.styles import UK_DATE_FORMAT, Styles


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_starting_a_formula_is_neutralised_for_csv(start):
    assert neutralise(f"{start}1+1") == f"'{start}1+1"
    assert csv_text(f"{start}cmd") == f"'{start}cmd"
    assert neutralise("1+1") == "1+1" and neutralise("") == ""


def test_csv_text_one_way_per_type():
    assert [csv_text(v) for v in (None, True, False, ["a", "-b"], dt.date(2026, 3, 31), 7)] == [
        "",
        "yes",
        "no",
        "a; -b",
        "2026-03-31",
        "7",
    ]


def _written(rows) -> tuple[Workbook, bytes]:
    workbook = Workbook(write_only=True)
    styles = Styles(workbook)
    writer = SheetWriter(workbook, "Sheet")
    for values, style_names in rows:
        writer.append(values, [getattr(styles, name) if name else None for name in style_names])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))["Sheet"], buffer.getvalue()


def test_a_style_reused_from_cell_to_cell_carries_nothing_over():
    text = ["text"] * 4
    sheet, data = _written(
        [
            (["=1+1", "plain", "@me", 5], text),
            (["plain", "=2", None, ""], text),
            (
                [dt.date(2026, 3, 31), dt.date(2026, 4, 1), None, "x", "after"],
                ["date", "text", None, None, "text"],
            ),
        ]
    )
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values == [
        ["=1+1", "plain", "@me", 5, None],
        ["plain", "=2", None, None, None],
        [dt.datetime(2026, 3, 31), dt.datetime(2026, 4, 1), None, "x", "after"],
    ]
    quoted = [[c.quotePrefix for c in row] for row in sheet.iter_rows(max_row=2, max_col=4)]
    assert quoted == [[True, False, True, False], [False, True, False, False]]
    assert [c.data_type for c in sheet[1]][:4] == ["s", "s", "s", "n"]
    # An empty cell keeps its style (borders); a value with no style is plain.
    assert sheet["C2"].border.left.style == "thin" and sheet["D3"].border.left.style is None
    assert sheet["A3"].number_format == UK_DATE_FORMAT
    # A date in a text style still shows as a date, without changing the style's other cells.
    assert sheet["B3"].is_date and sheet["E3"].number_format == "General"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_row_heights_are_kept_for_the_rows_they_were_set_for():
    workbook = Workbook(write_only=True)
    styles = Styles(workbook)
    writer = SheetWriter(workbook, "Sheet")
    for row, height in ((1, 30.0), (3, 30.0), (4, 45.5)):
        writer.set_height(row, height)
    for n in range(4):
        writer.append([f"row {n + 1}"], [styles.text])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["Sheet"]
    assert [sheet.row_dimensions[r].height for r in (1, 2, 3, 4)] == [30.0, None, 30.0, 45.5]
