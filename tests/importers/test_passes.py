"""The passes of `read_sheet`, each on its own: merged cells, the objective above the header,
bold headings, the unlabelled ref column, the row classifier and the fold into actions."""

from __future__ import annotations

import pytest

from importers.fold import ActionFold
from importers.headers import map_columns
from importers.merges import fill_merged_cells
from importers.row_kinds import Columns, RowKind, RowView, TableTraits, classify_row
from importers.rows import ReadResult
from importers.sheet import Sheet, SheetIssues
from importers.table import heading_bold_rows, infer_ref_column, objective_above

HEADER = ["Ref", "Action", "Owner", "Deadline"]
THEMED = ["Theme", "Action", "Owner"]


def columns(header: list[str]) -> Columns:
    return Columns(map_columns(header), header)


def kind(
    cells: list[object],
    header: list[str] = HEADER,
    *,
    copied: frozenset[int] = frozenset(),
    across: bool = False,
    bold: bool = False,
    lines: bool = False,
) -> RowKind:
    row = RowView.of(5, cells, copied, merged_across=across, bold=bold)
    return classify_row(row, columns(header), TableTraits(lone_cells_are_lines=lines))


@pytest.mark.parametrize(
    ("cells", "options", "expected"),
    [
        ([], {}, RowKind.BLANK),
        (["", None, "  "], {}, RowKind.BLANK),
        ([None, None, "Ann"], {"copied": frozenset({2})}, RowKind.BLANK),
        (["--", "---", "|=|"], {}, RowKind.RULE),
        (["Ref", "Action", "Owner", "Deadline"], {}, RowKind.REPEATED_HEADER),
        (["Ref", "Action", "Owner"], {}, RowKind.REPEATED_HEADER),
        (["Action", "Owner", "Deadline", "RAG"], {}, RowKind.NEW_HEADER),
        # Two column names out of place are too few for a new header: an action.
        (["Action", "Owner"], {}, RowKind.ACTION),
        (["Objective 1 – Prevention"], {}, RowKind.HEADING),
        (["", "Priority 3: Perpetrators"], {}, RowKind.HEADING),
        (["", "", "Theme: Victims"], {}, RowKind.HEADING),
        (["Prevention"], {}, RowKind.HEADING),  # text on its own left of the actions
        (["", "Protection"], {"bold": True}, RowKind.HEADING),
        (["", "Protection", "", ""], {"across": True}, RowKind.HEADING),
        (["Protection", "Protection", "Protection"], {"across": True}, RowKind.HEADING),
        (["", "Protection"], {}, RowKind.ACTION),  # plain text in the action column
        (["", "", "Prevention work"], {}, RowKind.CONTINUATION),
        (["1.3"], {}, RowKind.REF_ONLY),
        (["1.3"], {"across": True}, RowKind.REF_ONLY),
        ([None, "Campaign", "Ann", "Nov 2025"], {}, RowKind.ACTION),
        (["1.1", "Campaign"], {"copied": frozenset({1})}, RowKind.ACTION),
        ([None, None, None, None, "and more"], {}, RowKind.CONTINUATION),
        (["1.4", None, "Ann"], {}, RowKind.NO_ACTION),
        (["Prevention"], {"header": THEMED}, RowKind.OBJECTIVE),
        (["Objective 2: Care"], {"header": THEMED}, RowKind.OBJECTIVE),
        (["Prevention", "", "Ann"], {"header": THEMED}, RowKind.CONTINUATION),
        (["Some notes on the plan"], {"lines": True}, RowKind.TEXT_LINE),
        (["1.3"], {"lines": True}, RowKind.TEXT_LINE),
        (["Objective 1: Prevention"], {"lines": True}, RowKind.HEADING),
        (["Some notes", ""], {"lines": True}, RowKind.HEADING),  # a cell of the table
    ],
)
def test_each_row_is_classified_on_its_own(cells, options, expected):
    assert kind(cells, **options) == expected


def test_a_header_row_is_not_looked_for_in_long_text():
    long = "Action " + "x" * 40
    assert kind(["", long, "Owner", "Deadline"]) == RowKind.ACTION


def test_tall_merged_cells_are_copied_down_without_touching_the_sheet():
    rows = [["Ref", "Action", "Owner"], ["1", "Campaign", "Ann"], ["2", "Refuge"], ["3", "Hub", ""]]
    merges = [(1, 2, 3, 2), (1, 0, 2, 0), (0, 0, 0, 2)]
    grid = fill_merged_cells(rows, merges, {0: "ref", 1: "action", 2: "lead"})
    assert grid.rows == [
        ["Ref", "Action", "Owner"],
        ["1", "Campaign", "Ann"],
        ["2", "Refuge", "Ann"],
        ["3", "Hub", "Ann"],
    ]
    assert grid.copied == {2: {2}, 3: {2}}  # refs are never copied down
    assert grid.merged_across == {0}
    assert rows[2] == ["2", "Refuge"] and rows[3] == ["3", "Hub", ""]


def test_a_merge_past_the_last_row_or_from_an_empty_cell_copies_nothing_beyond():
    rows = [["Action", "Owner"], ["Campaign", None], ["Refuge", "Bob"]]
    grid = fill_merged_cells(rows, [(1, 1, 2, 1), (2, 1, 9, 1)], {0: "action", 1: "lead"})
    assert grid.rows == rows and grid.copied == {}


def test_the_objective_above_the_header_and_the_line_under_it():
    sheet = Sheet(name="Plan", rows=[])
    rows = [
        ["Domestic abuse plan"],
        ["Strategic Objective: Victims", "Strategic Objective: Victims"],
        ["To support victims."],
        [],
        HEADER,
    ]
    assert objective_above(sheet, rows, 4) == (
        "Strategic Objective: Victims",
        "To support victims.",
    )
    assert objective_above(sheet, [["Plan"], ["----"], HEADER], 2) is None
    ruled = [["Objective 2 – Care"], ["----"], HEADER]
    assert objective_above(sheet, ruled, 2) == ("Objective 2 – Care", None)
    sheet.sections[0] = ("Victims", "From Word")
    assert objective_above(sheet, ruled, 2) == ("Victims", "From Word")


def test_bold_marks_headings_only_where_bold_is_the_exception():
    rows = [HEADER, ["Prevention"], ["1", "Campaign"], ["2", "Refuge"], [None], ["3", "Hub"]]
    assert heading_bold_rows(rows, 0, {1}) == {1}
    assert heading_bold_rows(rows, 0, {1, 2, 3}) == set()
    assert heading_bold_rows([HEADER, ["Prevention"]], 0, {1}) == {1}


def test_an_unlabelled_column_of_refs_is_found():
    rows = [
        [None, "Action", "Owner", None],
        ["1.1", "Campaign", "Ann", "Note"],
        ["Objective 2: Care", None, None, None],
        ["2.1", "Refuge", "Bob", "x"],
    ]
    assert infer_ref_column(rows, 0, {1: "action", 2: "lead"}) == 0
    assert infer_ref_column(rows, 0, {0: "ref", 1: "action"}) is None
    rows[3][0] = "Refuge at last"
    assert infer_ref_column(rows, 0, {1: "action", 2: "lead"}) is None


def fold_rows(rows: list[list[object]], *, lines: bool = False):
    """Classify and fold `rows` (the first is the header) as read_sheet does."""
    sheet = Sheet(name="Plan", rows=rows, text_lines=lines)
    result = ReadResult(file="plan.csv")
    issues = SheetIssues(sheet, result)
    traits = TableTraits(lone_cells_are_lines=lines)
    fold = ActionFold(sheet, columns(rows[0]), ("Objective 1: Start", None), issues, traits)
    for index, cells in enumerate(rows[1:], start=1):
        row = RowView.of(index, cells)
        found = classify_row(row, fold.columns, traits)
        if found not in (RowKind.BLANK, RowKind.RULE):
            fold.take(row, found)
    pending = fold.finish()
    actions = [
        (p.row, p.objective, p.objective_description, p.values["action"], p.values["lead"], p.extra)
        for p in pending
    ]
    return actions, [(i.row, i.message, i.skipped) for i in result.issues]


def test_rows_fold_into_actions_with_their_objectives_and_continuations():
    actions, issues = fold_rows(
        [
            ["Ref", "Action", "Owner", "Notes"],
            [None, "", "", "orphan note"],
            ["1.1", "Campaign", "Ann", "first"],
            [None, None, "and Bob", "more"],
            ["Priority 2: Care  Looking after people who need it"],
            ["1.3"],
            ["2.1", "Refuge", "Cat", ""],
            ["2.2", None, "Dan"],
            ["Action", "Owner", "Ref", "Deadline"],
            ["Hub", "Eve", "2.3", "2026"],
            ["Objective 3: Later"],
        ]
    )
    assert actions == [
        (3, "Objective 1: Start", None, "Campaign", "Ann and Bob", {"Notes": "first more"}),
        (7, "Priority 2: Care", "Looking after people who need it", "Refuge", "Cat", {}),
        (10, "Priority 2: Care", "Looking after people who need it", "Hub", "Eve", {}),
    ]
    assert issues == [
        (2, "no action text: not an action, skipped", True),
        (4, "no action text: read as the continuation of row 3 and joined", False),
        (6, "only a ref ('1.3') and nothing else: not an action, skipped", True),
        (8, "no action text (ref '2.2'): not an action, skipped", True),
        (9, "a different header row: the rows below it are read by its columns", False),
        (11, "a line with no actions under it: not an action, skipped", True),
    ]


def test_in_a_text_file_the_line_under_a_heading_describes_it_and_other_lines_are_skipped():
    actions, issues = fold_rows(
        [
            ["Action", "Owner"],
            ["Objective 2: Care"],
            ["Looking after people"],
            ["Campaign", "Ann"],
            ["Page 2 of 3"],
            ["4.1"],
        ],
        lines=True,
    )
    assert actions == [(4, "Objective 2: Care", "Looking after people", "Campaign", "Ann", {})]
    assert issues == [
        (5, "a line of text outside the table: skipped", True),
        (6, "only a ref ('4.1') and nothing else: not an action, skipped", True),
    ]
