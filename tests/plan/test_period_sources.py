"""Period column groups from every kind of tracker (issue 15 s.3): a quarter's RAG given only by
its cell's fill colour, and period groups in a Word table, become the same dated history as a
typed xlsx or csv tracker. Each test builds its file and asserts every history entry."""

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.styles.colors import Color
from sqlalchemy import select

from plan.importing import import_file
from plan.models import Action, Objective, Plan, ProgressUpdate
from rulebook.rag import DeliveryStatus, Rag
from tests.builders import docx_bytes
from tests.plan.test_import_history import _history

NOW = dt.datetime(2017, 11, 2, 9, 0, tzinfo=dt.UTC)
AS_AT = dt.date(2017, 10, 20)
Q1_END, Q2_END, Q3_END = dt.date(2017, 6, 30), dt.date(2017, 9, 30), dt.date(2016, 12, 31)
HEADER = ["Ref", "Action", "Lead", "Q1 RAG", "Q1 update", "Q2 RAG", "Q2 update"]
RED, AMBER, GREEN, BLUE = "FF0000", "FFC000", "00B050", "0070C0"
NO_YEAR = (
    "tracker.xlsx: quarter columns name no year: read as 2017/18 (the plan's period); "
    "give the as-at date or the plan period to read them as another year"
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _filled_xlsx(rows, fills: dict[tuple[int, int], str | Color]) -> bytes:
    """A tracker whose cells at (row, column), 1-based, are filled with a colour and hold
    nothing unless the row says so (None: no value at all, as Excel saves a coloured blank)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tracker"
    for row in rows:
        sheet.append(row)
    for (row, column), colour in fills.items():
        sheet.cell(row, column).fill = PatternFill(fill_type="solid", fgColor=colour)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(factory, data: bytes, name: str, plan: str = "Community Safety 2017/18"):
    return import_file(factory, data, name, plan_name=plan, author="Officer", now=NOW, as_at=AS_AT)


def _plan_history(session, plan: str):
    """One plan's entries: (ref, RAG, status, progress, period, day described)."""
    rows = session.execute(
        select(Action.ref, ProgressUpdate)
        .join(Action, Action.id == ProgressUpdate.action_id)
        .join(Plan, Plan.id == Action.plan_id)
        .where(Plan.name == plan)
        .order_by(Action.ref, ProgressUpdate.described_on, ProgressUpdate.id)
    )
    return [
        (ref, u.rag, u.status, u.progress, u.reporting_period, u.described_on) for ref, u in rows
    ]


def _current(session):
    """Each action's (ref, current RAG, latest update) and extra fields."""
    actions = session.scalars(select(Action).order_by(Action.position)).all()
    return [
        (a.ref, a.updates[-1].rag if a.updates else None, a.extra)
        for a in sorted(actions, key=lambda a: a.position)
    ]


def test_a_period_rag_given_only_by_fill_colour_is_that_periods_rating(factory):
    rows = [
        HEADER,
        ["1.1", "Train staff", "Police", None, "Not started", None, "Trainer found"],
        ["1.2", "Open refuge", "Council", None, None, None, None],  # Q1 a colour alone
        ["1.3", "Audit cases", "Probation", "Green", "Begun", None, None],  # Q2 colour alone
        ["1.4", "Map services", "Health", None, "Mapping", None, None],  # Q2 a white fill
    ]
    fills = {
        (2, 4): RED,
        (2, 6): AMBER,
        (3, 4): GREEN,
        (4, 6): BLUE,
        (5, 6): "FFFFFF",  # white is no rating: Q2 stays empty, Q1 stands
    }
    report = _import(factory, _filled_xlsx(rows, fills), "tracker.xlsx")
    assert (report.updates_recorded, report.conflicts, report.unmapped_columns) == (7, [], [])
    assert [str(issue) for issue in report.issues] == [NO_YEAR]
    with factory() as session:
        assert _history(session) == [
            ("1.1", Rag.RED, "Not started", "Q1 2017/18", Q1_END, NOW.date()),
            ("1.1", Rag.AMBER, "Trainer found", "Q2 2017/18", Q2_END, NOW.date()),
            ("1.2", Rag.GREEN, None, "Q1 2017/18", Q1_END, NOW.date()),
            ("1.3", Rag.GREEN, "Begun", "Q1 2017/18", Q1_END, NOW.date()),
            # A blue fill alone is the latest filled period: complete.
            ("1.3", Rag.BLUE, None, "Q2 2017/18", Q2_END, NOW.date()),
            # The row as at the file's day: the latest rating with the latest update.
            ("1.3", Rag.BLUE, "Begun", "Q3 2017/18", AS_AT, NOW.date()),
            ("1.4", None, "Mapping", "Q1 2017/18", Q1_END, NOW.date()),
        ]
        completed = select(ProgressUpdate.status).where(ProgressUpdate.rag == Rag.BLUE)
        assert session.scalars(completed).all() == [DeliveryStatus.COMPLETE] * 2
        assert _current(session) == [
            ("1.1", Rag.AMBER, {}),
            ("1.2", Rag.GREEN, {}),
            ("1.3", Rag.BLUE, {}),
            ("1.4", None, {}),
        ]


def test_theme_and_indexed_fills_rate_a_period_and_typed_text_wins_over_colour(factory):
    rows = [
        HEADER,
        ["1.1", "Train staff", "Police", None, "Slow", None, "Better"],
        ["1.2", "Open refuge", "Council", "Red", "Late", "Green", "Opened"],
    ]
    fills = {
        (2, 4): Color(indexed=10),  # Excel's palette red
        # The workbook's own theme (openpyxl writes Office 2007's): accent 3 is green, here
        # lightened, and accent 6 orange.
        (2, 6): Color(theme=6, tint=0.4),
        (3, 4): Color(theme=9),  # orange: the text "Red" says otherwise
    }
    report = _import(factory, _filled_xlsx(rows, fills), "tracker.xlsx")
    assert [str(issue) for issue in report.issues] == [
        NO_YEAR,
        "tracker.xlsx, sheet 'Tracker', row 3, Q1 RAG: RAG text says Red but the cell is "
        "coloured Amber: used the text",
    ]
    with factory() as session:
        assert _history(session) == [
            ("1.1", Rag.RED, "Slow", "Q1 2017/18", Q1_END, NOW.date()),
            ("1.1", Rag.GREEN, "Better", "Q2 2017/18", Q2_END, NOW.date()),
            ("1.2", Rag.RED, "Late", "Q1 2017/18", Q1_END, NOW.date()),
            ("1.2", Rag.GREEN, "Opened", "Q2 2017/18", Q2_END, NOW.date()),
        ]


DOCX_PLAN = (
    ("heading", "Objective 1: Prevention"),
    [
        HEADER,
        [
            "1.1",
            "Train staff",
            "Police",
            ("", RED),
            "Not started",
            ("Amber", AMBER),
            "Trainer found",
        ],
        ["1.2", "Open refuge", "Council", ("", GREEN), "Opened", "", ""],  # Q2 empty: Q1 stands
        ["1.3", "Audit cases", "Probation", "", "", ("", BLUE), "Done"],
    ],
    ("heading", "Objective 2: Support"),
    [
        ["Ref", "Action", "Lead", "Progress 2016/17 Q3", "RAG 2016/17 Q4", "Progress 2016/17 Q4"],
        ["2.1", "Fund advocates", "PCC", "Bid written", ("", GREEN), "Funded"],
        ["2.2", "Review cases", "CCG", "Panel met", "", ""],
    ],
)


def test_period_groups_in_word_tables_become_dated_history(factory):
    """Shaded and typed period cells in Word tables: each filled period is an entry dated at
    its end, the current RAG and update are the latest filled period's, and an empty later
    period erases nothing."""
    report = _import(factory, docx_bytes(*DOCX_PLAN), "tracker.docx")
    assert (report.actions_created, report.updates_recorded, report.conflicts) == (5, 7, [])
    assert [str(issue) for issue in report.issues] == [NO_YEAR.replace(".xlsx", ".docx")]
    assert report.unmapped_columns == []
    q4_end = dt.date(2017, 3, 31)
    with factory() as session:
        assert _history(session) == [
            ("1.1", Rag.RED, "Not started", "Q1 2017/18", Q1_END, NOW.date()),
            ("1.1", Rag.AMBER, "Trainer found", "Q2 2017/18", Q2_END, NOW.date()),
            ("1.2", Rag.GREEN, "Opened", "Q1 2017/18", Q1_END, NOW.date()),
            ("1.3", Rag.BLUE, "Done", "Q2 2017/18", Q2_END, NOW.date()),
            ("2.1", None, "Bid written", "Q3 2016/17", Q3_END, NOW.date()),
            ("2.1", Rag.GREEN, "Funded", "Q4 2016/17", q4_end, NOW.date()),
            ("2.2", None, "Panel met", "Q3 2016/17", Q3_END, NOW.date()),
        ]
        assert _current(session) == [
            ("1.1", Rag.AMBER, {}),
            ("1.2", Rag.GREEN, {}),
            ("1.3", Rag.BLUE, {}),
            ("2.1", Rag.GREEN, {}),
            ("2.2", None, {}),
        ]
        objectives = select(Objective.title).order_by(Objective.position)
        assert session.scalars(objectives).all() == ["Prevention", "Support"]


def test_a_word_table_and_a_coloured_workbook_give_the_same_history(factory):
    table = DOCX_PLAN[1]
    texts = [[c[0] if isinstance(c, tuple) else c for c in row] for row in table]
    fills = {
        (r, c): cell[1]
        for r, row in enumerate(table, start=1)
        for c, cell in enumerate(row, start=1)
        if isinstance(cell, tuple)
    }
    _import(factory, docx_bytes(table), "tracker.docx", plan="From Word 2017/18")
    _import(factory, _filled_xlsx(texts, fills), "tracker.xlsx", plan="From Excel 2017/18")
    with factory() as session:
        word, excel = (
            _plan_history(session, "From Word 2017/18"),
            _plan_history(session, "From Excel 2017/18"),
        )
        assert [entry[1] for entry in word] == [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE]
        assert word == excel
