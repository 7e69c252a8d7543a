"""The board-paper workbook: the dashboard's figures, RAG in words and colour, ready to print."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from plan.exporters.board_paper import (
    ACTION_COLUMNS,
    ACTIONS,
    CHANGES,
    EXCEPTIONS,
    SUMMARY,
    board_paper,
    board_paper_xlsx,
)
from plan.exporters.indicator_sheet import CHART_LIMIT, INDICATOR_COLUMNS, INDICATORS
from plan.exporters.quality_sheets import KEY, QUALITY
from plan.exporters.styles import UK_DATE_FORMAT
from plan.queries import Selection, changes_between, meeting_exceptions, plan_overview
from rulebook.rag import RAG_COLOURS, RAG_ORDER, RAG_TEXT_COLOURS, DeliveryStatus, Rag, rag_label
from tests.builders import add_action, add_indicator, add_plan, add_update, add_value

AS_AT = dt.date(2026, 11, 30)
COMPARED = dt.date(2026, 9, 30)
STARTS = ("=", "+", "-", "@", "\t", "\r")
ACTION_SHEET_COLUMNS = tuple(column.heading for column in ACTION_COLUMNS)
HOSTILE = ('=HYPERLINK("http://evil","x")', "+1", "-2", "@SUM(A1)", "\t=1", "\r=2")


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _build(session):
    """Two objectives, every kind of movement, a cancelled action and another plan."""
    plan = add_plan(session, "VAWG & DA plan", "Prevention", "Support")
    prevention, support = plan.objectives
    worse = add_action(
        session,
        plan,
        "Media campaign",
        ref="1.1",
        objective=prevention,
        deadline=dt.date(2026, 10, 31),
        owners=["Kylie Thornton"],
    )
    add_update(session, worse, Rag.GREEN, at=at(dt.date(2026, 8, 1)), progress="Going well")
    add_update(session, worse, Rag.RED, at=at(dt.date(2026, 10, 15)), progress=HOSTILE[0])
    better = add_action(
        session, plan, HOSTILE[1], ref="1.2", objective=prevention, owners=["Ian Peet"]
    )
    add_update(session, better, Rag.AMBER, at=at(dt.date(2026, 7, 1)))
    add_update(session, better, Rag.GREEN, at=at(dt.date(2026, 11, 1)), progress=HOSTILE[2])
    done = add_action(
        session,
        plan,
        "Train staff",
        ref="2.1",
        objective=support,
        deadline=dt.date(2026, 12, 15),
        owners=["Kylie Thornton"],
    )
    add_update(session, done, Rag.AMBER, at=at(dt.date(2026, 6, 1)), progress=HOSTILE[3])
    add_update(
        session,
        done,
        None,
        at=at(dt.date(2026, 11, 20)),
        status=DeliveryStatus.COMPLETE,
        progress=HOSTILE[4],
    )
    late = add_action(
        session,
        plan,
        "Refuge review",
        ref="2.2",
        objective=support,
        deadline=dt.date(2026, 3, 31),
        owners=["@Ian Peet"],
    )
    late.deadline_text = "End of March 2026"
    add_update(session, late, Rag.AMBER, at=at(dt.date(2026, 5, 1)), progress=HOSTILE[5])
    add_action(session, plan, HOSTILE[3], ref="2.3", objective=support)
    gone = add_action(session, plan, "Dropped", ref="2.4", objective=support)
    add_update(session, gone, None, at=at(dt.date(2026, 10, 2)), status=DeliveryStatus.CANCELLED)
    add_action(
        session, plan, "New this quarter", ref="2.5", objective=support, created_at=at(AS_AT, 1)
    )
    other = add_plan(session, "Other plan")
    elsewhere = add_action(session, other, "Elsewhere", deadline=dt.date(2020, 1, 1))
    add_update(session, elsewhere, Rag.RED, at=at(dt.date(2026, 10, 1)))
    session.commit()
    return plan


def _open(data: bytes):
    return load_workbook(io.BytesIO(data))


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _records(sheet) -> list[dict]:
    """A table sheet's rows below the header, each keyed by its column's heading."""
    header, *rows = _rows(sheet)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _by_label(sheet) -> dict[str, list]:
    """Summary rows keyed by their first cell."""
    return {row[0]: row[1:] for row in _rows(sheet) if isinstance(row[0], str)}


def _paper(session, selection):
    return board_paper(session, selection=selection, as_at=AS_AT, compared_with=COMPARED)


def test_sheets_in_order_with_the_plan_and_dates(session):
    plan = _build(session)
    workbook = _open(board_paper_xlsx(_paper(session, Selection(plan_id=plan.id))))
    assert workbook.sheetnames == [
        SUMMARY,
        ACTIONS,
        EXCEPTIONS,
        CHANGES,
        INDICATORS,
        QUALITY,
        KEY,
    ]
    summary = _by_label(workbook[SUMMARY])
    assert summary["Plan"][0] == "VAWG & DA plan"
    assert summary["As at"][0] == dt.datetime(2026, 11, 30)
    assert summary["Compared with"][0] == dt.datetime(2026, 9, 30)
    assert summary["Filters"][0] == "None: every action in the plan"
    sheet = workbook[SUMMARY]
    as_at_cell = next(c for row in sheet.iter_rows() for c in row if c.value == summary["As at"][0])
    assert as_at_cell.number_format == UK_DATE_FORMAT


@pytest.mark.parametrize(
    "choose",
    [
        lambda plan: Selection(plan_id=plan.id),
        lambda plan: Selection(plan_id=plan.id, owners=("Kylie Thornton",)),
        lambda plan: Selection(plan_id=plan.id, rags=(Rag.RED, None)),
        lambda plan: Selection(objective_ids=(plan.objectives[1].id,)),
        lambda plan: Selection(),
    ],
    ids=["plan", "owner", "rag", "objective", "everything"],
)
def test_summary_shows_the_dashboards_figures_for_the_same_selection(session, choose):
    plan = _build(session)
    selection = choose(plan)
    overview = plan_overview(session, selection=selection, as_at=AS_AT, compared_with=COMPARED)
    summary = _by_label(_open(board_paper_xlsx(_paper(session, selection)))[SUMMARY])

    assert summary["Actions (cancelled left out)"][0] == overview.rag.total
    assert summary["Overdue"][0] == overview.overdue
    assert summary["Due in the next 30 days"][0] == overview.due_soon
    assert summary["Cancelled (not counted)"][0] == overview.rag.cancelled
    complete = summary["Complete (Blue)"][0]
    assert complete == pytest.approx((overview.rag.percent_complete or 0) / 100)
    movement = overview.movement
    assert [summary[k][0] for k in ("↗ Improved", "↘ Worsened", "★ Completed", "• New")] == [
        movement.improved,
        movement.worsened,
        movement.completed,
        movement.new,
    ]
    assert summary["→ No change"][0] == movement.unchanged
    assert summary["Progress updates recorded"][0] == overview.updates_since
    assert summary["Objective"][: len(RAG_ORDER) + 3] == [
        *(rag_label(r) for r in RAG_ORDER),
        "Total",
        "Overdue",
        "Cancelled",
    ]
    for rollup in overview.by_objective:
        label = f"{rollup.ref}. {rollup.title}" if rollup.ref else rollup.title
        row = next(v for k, v in summary.items() if k.endswith(label))
        assert row[:8] == [
            *(rollup.rag.of(r) for r in RAG_ORDER),
            rollup.rag.total,
            rollup.overdue,
            rollup.rag.cancelled,
        ]
    assert summary["Total"][:8] == [
        *(overview.rag.of(r) for r in RAG_ORDER),
        overview.rag.total,
        overview.overdue,
        overview.rag.cancelled,
    ]


def test_summary_figures_for_the_built_plan(session):
    plan = _build(session)
    summary = _by_label(
        _open(board_paper_xlsx(_paper(session, Selection(plan_id=plan.id))))[SUMMARY]
    )
    #                      Red Amber Green Blue None Total Overdue Cancelled
    assert summary["Prevention"][:8] == [1, 0, 1, 0, 0, 2, 1, 0]
    assert summary["Support"][:8] == [0, 1, 0, 1, 2, 4, 1, 1]
    assert summary["Total"][:8] == [1, 1, 1, 1, 2, 6, 2, 1]
    assert summary["↘ Worsened"][0] == 1 and summary["↗ Improved"][0] == 1
    assert summary["★ Completed"][0] == 1 and summary["• New"][0] == 1
    assert summary["Filters"][0] == "None: every action in the plan"


def test_summary_has_an_editable_rag_by_objective_chart(session):
    plan = _build(session)
    data = board_paper_xlsx(_paper(session, Selection(plan_id=plan.id)))
    sheet = _open(data)[SUMMARY]
    assert len(sheet._charts) == 1
    chart = sheet._charts[0]
    assert chart.tagname == "barChart" and chart.grouping == "stacked"
    assert len(chart.series) == len(RAG_ORDER)
    colours = [s.graphicalProperties.solidFill.srgbClr for s in chart.series]
    assert colours == [RAG_COLOURS[r].lstrip("#").upper() for r in RAG_ORDER]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/charts/chart1.xml").decode()
    # The series point at the Summary's cells, so the chart follows edits in Excel.
    assert "<f>'Summary'!$B$" in xml and "<f>'Summary'!$A$" in xml


def _action_rows(sheet):
    """(row number, cells) of the action rows: those with a ref."""
    return {row[0].value: row for row in sheet.iter_rows(min_row=2) if row[1].value}


def test_actions_sheet_groups_by_objective_with_rag_words_in_coloured_cells(session):
    plan = _build(session)
    sheet = _open(board_paper_xlsx(_paper(session, Selection(plan_id=plan.id))))[ACTIONS]
    assert [c.value for c in sheet[1]] == list(ACTION_SHEET_COLUMNS)
    sections = [row[0] for row in sheet.iter_rows(min_row=2) if not row[1].value]
    assert [c.value for c in sections] == ["Prevention", "Support"]
    assert all(c.font.b for c in sections)
    assert sheet.cell(sections[1].row - 1, 1).value == "1.2"  # Support follows 1.2

    rows = _action_rows(sheet)
    assert list(rows) == ["1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5"]
    column = {name: i for i, name in enumerate(ACTION_SHEET_COLUMNS)}
    red = rows["1.1"]
    rag_cell = red[column["RAG"]]
    assert rag_cell.value == "✖ Red"
    assert rag_cell.fill.fgColor.rgb == "FF" + RAG_COLOURS[Rag.RED].lstrip("#")
    assert rag_cell.font.color.rgb == "FF" + RAG_TEXT_COLOURS[Rag.RED].lstrip("#")
    previous = red[column["Previous RAG"]]
    assert previous.value == "✔ Green"
    assert previous.fill.fgColor.rgb == "FF" + RAG_COLOURS[Rag.GREEN].lstrip("#")
    assert red[column["Direction of travel"]].value == "↘ Worsened"
    assert rows["1.2"][column["Direction of travel"]].value == "↗ Improved"
    assert rows["2.1"][column["RAG"]].value == "★ Blue"
    assert rows["2.1"][column["Direction of travel"]].value == "★ Completed"
    assert rows["2.5"][column["Direction of travel"]].value == "• New"
    assert rows["2.5"][column["Previous RAG"]].value is None
    assert rows["2.3"][column["RAG"]].value == "– Not rated"

    deadline = red[column["Deadline"]]
    assert deadline.value == dt.datetime(2026, 10, 31)
    assert deadline.number_format == UK_DATE_FORMAT
    assert red[column["Deadline as written"]].value == "31/10/2026"
    assert rows["2.2"][column["Deadline as written"]].value == "End of March 2026"
    assert red[column["Days overdue"]].value == 30
    assert rows["2.1"][column["Days overdue"]].value is None
    updated = red[column["Last updated"]]
    assert updated.value == dt.datetime(2026, 10, 15) and updated.number_format == UK_DATE_FORMAT
    assert red[column["Latest update"]].alignment.wrap_text


def test_every_table_sheet_is_set_up_for_printing_and_filtering(session):
    plan = _build(session)
    workbook = _open(board_paper_xlsx(_paper(session, Selection(plan_id=plan.id))))
    for name, columns in (
        (ACTIONS, "K"),
        (EXCEPTIONS, "M"),
        (CHANGES, "K"),
        (INDICATORS, "L"),
        (QUALITY, "J"),
        (KEY, "C"),
    ):
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{columns}{sheet.max_row}"
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        footer = sheet.oddFooter
        assert footer.left.text == "VAWG && DA plan"  # "&&" prints one ampersand
        assert footer.center.text == "As at 30 Nov 2026"
        assert footer.right.text == "Page &P of &N"
        widths = {d.min: d.width for d in sheet.column_dimensions.values()}
        assert len(widths) == len(sheet[1]) and max(widths.values()) >= 40
        assert all(c.font.b for c in sheet[1])
    summary = workbook[SUMMARY]
    assert summary.page_setup.orientation == "landscape"
    assert summary.oddFooter.right.text == "Page &P of &N"


def test_long_text_rows_are_tall_enough_to_print(session):
    plan = add_plan(session, "Plan")
    action = add_action(session, plan, "Short", ref="1")
    add_update(session, action, Rag.GREEN, at=at(dt.date(2026, 10, 1)), progress="word " * 120)
    session.commit()
    sheet = _open(board_paper_xlsx(_paper(session, Selection(plan_id=plan.id))))[ACTIONS]
    row = next(r[0].row for r in sheet.iter_rows(min_row=2) if r[0].value == "1")
    assert sheet.row_dimensions[row].height >= 13 * 8


def test_exceptions_are_red_overdue_or_worsened_with_their_updates(session):
    plan = _build(session)
    selection = Selection(plan_id=plan.id)
    sheet = _open(board_paper_xlsx(_paper(session, selection)))[EXCEPTIONS]
    expected = meeting_exceptions(session, selection=selection, as_at=AS_AT, compared_with=COMPARED)
    rows = _records(sheet)
    assert [r["Ref"] for r in rows] == [v.ref for v in expected] == ["1.1", "2.2"]
    assert rows[0]["Why it is here"] == "Red; overdue by 30 days; worse than at the comparison date"
    assert rows[0]["Updates"] == f"15 Oct 2026, ✖ Red, Test Author: {HOSTILE[0]}"
    assert rows[1]["Why it is here"] == "Overdue by 244 days"
    assert rows[1]["Updates"].startswith("No update since 30 Sep 2026. Latest: ")


def test_changes_sheet_lists_every_update_between_the_dates(session):
    plan = _build(session)
    selection = Selection(plan_id=plan.id)
    sheet = _open(board_paper_xlsx(_paper(session, selection)))[CHANGES]
    changes = changes_between(session, selection=selection, start=COMPARED, end=AS_AT)
    rows = _records(sheet)
    assert len(rows) == len(changes) == 4
    columns = ("Ref", "Previous RAG", "New RAG", "Change")
    assert [(r["Date"].date(), *(r[c] for c in columns)) for r in rows] == [
        (dt.date(2026, 10, 2), "2.4", "– Not rated", "– Not rated", "✕ Cancelled"),
        (dt.date(2026, 10, 15), "1.1", "✔ Green", "✖ Red", "↘ Worsened"),
        (dt.date(2026, 11, 1), "1.2", "▲ Amber", "✔ Green", "↗ Improved"),
        (dt.date(2026, 11, 20), "2.1", "▲ Amber", "★ Blue", "↗ Improved"),
    ]
    assert [c.previous_rag for c in changes][1:] == [Rag.GREEN, Rag.AMBER, Rag.AMBER]


def test_changes_query_follows_the_selection_and_dates(session):
    plan = _build(session)
    kylie = Selection(plan_id=plan.id, owners=("Kylie Thornton",))
    changes = changes_between(session, selection=kylie, start=COMPARED, end=AS_AT)
    assert [c.ref for c in changes] == ["1.1", "2.1"]
    early = changes_between(
        session, selection=Selection(plan_id=plan.id), start=dt.date(2026, 6, 30), end=COMPARED
    )
    assert [(c.ref, c.change) for c in early] == [("1.2", "first rating"), ("1.1", "first rating")]
    everything = changes_between(session, selection=Selection(), start=COMPARED, end=AS_AT)
    assert "Other plan" in {c.plan for c in everything}


def test_no_cell_starts_a_formula_that_nobody_wrote(session):
    _build(session)
    data = board_paper_xlsx(_paper(session, Selection()))
    workbook = _open(data)
    found = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{sheet.title}!{c.coordinate} is a formula"
                if isinstance(c.value, str) and c.value.startswith(STARTS):
                    assert c.data_type == "s" and c.quotePrefix, c.coordinate
                    found.add(c.value)
    assert set(HOSTILE) <= found  # shown exactly as written
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode()


def test_cli_writes_the_board_paper_with_filters(factory, database_url, monkeypatch, tmp_path):
    from plan.cli import main

    with factory() as session:
        _build(session)
    monkeypatch.setenv("DATABASE_URL", database_url)
    out = tmp_path / "paper.xlsx"
    status = main(
        [
            "export",
            "--format",
            "xlsx",
            "--output",
            str(out),
            "--plan",
            "VAWG & DA plan",
            "--owner",
            "Kylie Thornton",
            "--rag",
            "red",
            "--as-at",
            "2026-11-30",
            "--compared-with",
            "2026-09-30",
        ]
    )
    assert status == 0
    summary = _by_label(_open(out.read_bytes())[SUMMARY])
    assert summary["Filters"][0] == "Owners: Kylie Thornton; RAG: ✖ Red"
    assert summary["Total"][:2] == [1, 0]
    assert main(["export", "--format", "xlsx", "--output", str(out), "--rag", "purple"]) == 2


# --- The Indicators sheet ----------------------------------------------------------------------


def _build_indicators(session):
    """Two objectives: DA1 (lower is better, %) Red then Green with a correction; DA2 (count)
    Amber with a suppressed quarter; DA3 contextual; and another plan's indicator."""
    plan = _build(session)
    prevention, support = plan.objectives
    marac = add_indicator(
        session,
        plan,
        "DA1",
        "Repeat MARAC referrals",
        polarity="lower is better",
        unit="%",
        objective=prevention,
        targets={"Q1 2026/27": 28.0, "Q2 2026/27": 28.0, "Q3 2026/27": 27.0},
    )
    caseload = add_indicator(
        session,
        plan,
        "DA2",
        "=IDVA caseload",
        objective=support,
        targets={"Q1 2025/26": 100.0, "Q1 2026/27": 120.0, "Q2 2026/27": 120.0},
    )
    incidents = add_indicator(
        session, plan, "DA3", "Incidents", polarity="contextual", objective=support
    )
    add_value(
        session, marac, "Q1 2026/27", 31.0, at=at(dt.date(2026, 7, 20)), note="+Extra outreach"
    )
    add_value(session, marac, "Q2 2026/27", 29.5, at=at(dt.date(2026, 10, 20)))
    add_value(session, marac, "Q2 2026/27", 27.5, at=at(dt.date(2026, 11, 2)), note="Corrected")
    add_value(session, marac, "Q3 2026/27", 20.0, at=at(dt.date(2027, 1, 20)))  # after AS_AT
    add_value(session, caseload, "Q1 2025/26", 110.0, at=at(dt.date(2025, 7, 20)))
    add_value(session, caseload, "Q1 2026/27", 116.0, at=at(dt.date(2026, 7, 20)))
    add_value(
        session, caseload, "Q2 2026/27", None, status="suppressed", at=at(dt.date(2026, 10, 20))
    )
    add_value(session, incidents, "Q2 2026/27", 990.0, at=at(dt.date(2026, 10, 20)))
    add_indicator(session, add_plan(session, "Elsewhere"), "X1", targets={"Q1 2026/27": 1.0})
    session.commit()
    return plan


def _indicator_rows(sheet):
    """{(ref, period): the row's cells by heading} for the indicator rows (those with a period)."""
    headings = [c.heading for c in INDICATOR_COLUMNS]
    found = {}
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(headings, row, strict=False))
        if cells["Period"].value:
            found[(cells["Ref"].value, cells["Period"].value)] = cells
    return found


def test_indicators_sheet_shows_each_period_with_rag_words_and_fills(session):
    plan = _build_indicators(session)
    sheet = _open(board_paper_xlsx(_paper(session, Selection(plan_id=plan.id))))[INDICATORS]
    assert [c.value for c in sheet[1]] == [c.heading for c in INDICATOR_COLUMNS]
    sections = [
        row[0].value for row in sheet.iter_rows(min_row=2) if row[0].value and not row[3].value
    ]
    assert sections == ["Prevention", "Support"]
    rows = _indicator_rows(sheet)
    assert list(rows) == [
        ("DA1", "Q1 2026/27"),
        ("DA1", "Q2 2026/27"),
        ("DA1", "Q3 2026/27"),
        ("DA2", "Q1 2025/26"),
        ("DA2", "Q1 2026/27"),
        ("DA2", "Q2 2026/27"),
        ("DA3", "Q2 2026/27"),
    ]

    def shown(ref, period):
        cells = rows[(ref, period)]
        return tuple(
            cells[h].value
            for h in (
                "Value",
                "Status",
                "Target",
                "RAG",
                "vs last period",
                "vs last year",
                "Note (corrective action)",
            )
        )

    assert shown("DA1", "Q1 2026/27") == (31.0, None, 28.0, "✖ Red", None, None, "+Extra outreach")
    # The correction (27.5) is current; it is Green against 28 and better than Q1's 31.
    assert shown("DA1", "Q2 2026/27") == (
        27.5,
        None,
        28.0,
        "✔ Green",
        "↗ Improving",
        None,
        "Corrected",
    )
    # Q3's value was recorded after the board paper's date: the target only.
    assert shown("DA1", "Q3 2026/27") == (None, "No entry", 27.0, "– Not rated", None, None, None)
    assert shown("DA2", "Q1 2026/27") == (116.0, None, 120.0, "▲ Amber", None, "↗ Improving", None)
    assert shown("DA2", "Q2 2026/27") == (
        None,
        "Suppressed",
        120.0,
        "– Not rated",
        None,
        None,
        None,
    )
    assert shown("DA3", "Q2 2026/27") == (990.0, None, None, "– Not rated", None, None, None)

    red = rows[("DA1", "Q1 2026/27")]
    assert red["RAG"].fill.fgColor.rgb == "FF" + RAG_COLOURS[Rag.RED].lstrip("#")
    assert red["RAG"].font.color.rgb == "FF" + RAG_TEXT_COLOURS[Rag.RED].lstrip("#")
    amber = rows[("DA2", "Q1 2026/27")]["RAG"]
    assert amber.fill.fgColor.rgb == "FF" + RAG_COLOURS[Rag.AMBER].lstrip("#")
    assert red["Period end"].value == dt.datetime(2026, 6, 30)
    assert red["Period end"].number_format == UK_DATE_FORMAT
    # Text that would start a formula is written as text, shown as written.
    assert rows[("DA2", "Q1 2026/27")]["Indicator"].value == "=IDVA caseload"
    assert rows[("DA2", "Q1 2026/27")]["Indicator"].data_type == "s"
    assert red["Note (corrective action)"].quotePrefix


def test_indicators_sheet_has_a_line_chart_per_indicator_reading_its_cells(session):
    plan = _build_indicators(session)
    data = board_paper_xlsx(_paper(session, Selection(plan_id=plan.id)))
    sheet = _open(data)[INDICATORS]
    rows = _indicator_rows(sheet)
    charts = sheet._charts
    assert [c.tagname for c in charts] == ["lineChart"] * 3
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        xml = {n: archive.read(n).decode() for n in names}
    # Chart 1 is the Summary's; the indicators' follow in order, each reading its own rows.
    da1 = xml["xl/charts/chart2.xml"]
    first, last = rows[("DA1", "Q1 2026/27")]["Value"].row, rows[("DA1", "Q3 2026/27")]["Value"].row
    assert f"<f>'Indicators'!$F${first}:$F${last}</f>" in da1  # values
    assert f"<f>'Indicators'!$H${first}:$H${last}</f>" in da1  # targets
    assert f"<f>'Indicators'!$D${first}:$D${last}</f>" in da1  # periods
    assert "DA1 Repeat MARAC referrals" in da1
    assert "DA2 =IDVA caseload" in xml["xl/charts/chart3.xml"]


def test_indicators_sheet_charts_at_most_the_limit(session):
    plan = add_plan(session, "Many")
    for number in range(CHART_LIMIT + 2):
        indicator = add_indicator(session, plan, f"I{number}", targets={"Q1 2026/27": 10.0})
        add_value(session, indicator, "Q1 2026/27", 9.0, at=at(dt.date(2026, 7, 1)))
    session.commit()
    sheet = _open(board_paper_xlsx(_paper(session, Selection(plan_id=plan.id))))[INDICATORS]
    assert len(sheet._charts) == CHART_LIMIT
    notes = [row[0] for row in _rows(sheet) if isinstance(row[0], str)]
    assert f"Charts for the first {CHART_LIMIT} of {CHART_LIMIT + 2} indicators" in notes[-1]


def test_summary_counts_the_indicators_like_the_overview(session):
    plan = _build_indicators(session)
    selection = Selection(plan_id=plan.id)
    workbook = _open(board_paper_xlsx(_paper(session, selection)))
    summary = _by_label(workbook[SUMMARY])
    # Latest figures: DA1 Green (Q2, corrected), DA2 suppressed, DA3 contextual.
    assert summary["Indicators"][0] == 3
    assert summary["Indicators ✖ Red"][0] == 0
    assert summary["Indicators ▲ Amber"][0] == 0
    assert summary["Indicators ✔ Green"][0] == 1
    assert summary["Indicators – Not rated"][0] == 2
    overview = plan_overview(session, selection=selection, as_at=AS_AT, compared_with=COMPARED)
    assert {f"Indicators {rag_label(r)}": n for r, n in overview.indicator_rag.items()} == {
        k: v[0] for k, v in summary.items() if k.startswith("Indicators ")
    }
    # As at the end of Q1 DA1 was Red and DA2 Amber.
    early = board_paper(
        session, selection=selection, as_at=dt.date(2026, 7, 31), compared_with=COMPARED
    )
    summary = _by_label(_open(board_paper_xlsx(early))[SUMMARY])
    assert [
        summary[f"Indicators {rag_label(r)}"][0] for r in (Rag.RED, Rag.AMBER, Rag.GREEN, None)
    ] == [1, 1, 0, 1]
    cell = next(
        c for row in workbook[SUMMARY].iter_rows() for c in row if c.value == "Indicators ✖ Red"
    )
    assert cell.fill.fgColor.rgb == "FF" + RAG_COLOURS[Rag.RED].lstrip("#")
