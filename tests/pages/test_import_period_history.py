"""The import page previews the history a tracker's period columns give (issue 15 s.3): each
action's dated entries, as at the page's as-at date and in the chosen plan's period, exactly
as the import then writes them."""

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from sqlalchemy import select

from plan.models import Action, ProgressUpdate
from rulebook.rag import Rag
from tests.pages.conftest import shown
from tests.pages.test_import_page import XLSX, _upload

HISTORY_COLUMNS = ["Where", "Ref", "Action", "Period", "As at", "RAG", "Update"]


def _tracker() -> bytes:
    """Q1 of 1.1 is rated only by a red fill; 1.2's Q2 is empty, so its Q1 stands."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tracker"
    for row in [
        ["Ref", "Action", "Lead", "Q1 RAG", "Q1 update", "Q2 RAG", "Q2 update"],
        ["1.1", "Train staff", "Police", None, "Not started", "Amber", "Trainer found"],
        ["1.2", "Open refuge", "Council", "G", "Opened", None, None],
    ]:
        sheet.append(row)
    sheet["D2"].fill = PatternFill(fill_type="solid", fgColor="FF0000")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _history_table(app):
    (table,) = [d.value for d in app.dataframe if list(d.value.columns) == HISTORY_COLUMNS]
    return [list(row) for row in table.itertuples(index=False)]


def _history_caption(app) -> str:
    (caption,) = [shown(c.value) for c in app.caption if "dated entries" in c.value]
    return caption


def test_the_preview_shows_each_actions_history_from_its_period_columns(app, factory):
    app.default_timeout = 120  # each read is a child process: slow on a busy machine
    _upload(app, factory, _tracker(), "tracker.xlsx", XLSX)
    app.text_input(key="import_plan_name").input("Community Safety 2017/18").run()
    app.date_input(key="import_as_at").set_value(dt.date(2017, 10, 20)).run()
    assert not app.exception
    assert _history_caption(app).startswith("3 dated entries for 2 actions: ")
    assert _history_table(app) == [
        [
            "Tracker, row 2",
            "1.1",
            "Train staff",
            "Q1 2017/18",
            "30 Jun 2017",
            "✖ Red",
            "Not started",
        ],
        [
            "Tracker, row 2",
            "1.1",
            "Train staff",
            "Q2 2017/18",
            "30 Sep 2017",
            "▲ Amber",
            "Trainer found",
        ],
        ["Tracker, row 3", "1.2", "Open refuge", "Q1 2017/18", "30 Jun 2017", "✔ Green", "Opened"],
    ]
    # The current RAG is the latest filled period's; the period columns are history, not extras.
    preview = app.dataframe[0].value
    assert list(preview["RAG"]) == ["▲ Amber", "✔ Green"]
    assert "Q1 RAG" not in list(preview.columns)

    # An as-at day inside Q2: that quarter describes the as-at day, not its end.
    app.date_input(key="import_as_at").set_value(dt.date(2017, 8, 15)).run()
    assert [row[3:5] for row in _history_table(app)] == [
        ["Q1 2017/18", "30 Jun 2017"],
        ["Q2 2017/18", "15 Aug 2017"],
        ["Q1 2017/18", "30 Jun 2017"],
    ]

    # The import writes what the preview showed.
    app.button(key="import_confirm").click().run()
    assert not app.exception
    with factory() as session:
        written = session.execute(
            select(Action.ref, ProgressUpdate)
            .join(Action, Action.id == ProgressUpdate.action_id)
            .order_by(Action.ref, ProgressUpdate.described_on)
        )
        assert [(ref, u.reporting_period, u.described_on, u.rag) for ref, u in written] == [
            ("1.1", "Q1 2017/18", dt.date(2017, 6, 30), Rag.RED),
            ("1.1", "Q2 2017/18", dt.date(2017, 8, 15), Rag.AMBER),
            ("1.2", "Q1 2017/18", dt.date(2017, 6, 30), Rag.GREEN),
        ]


def test_quarters_without_a_year_follow_the_plan_period_chosen_on_the_page(app, factory):
    app.default_timeout = 120
    _upload(app, factory, _tracker(), "tracker.xlsx", XLSX)
    app.date_input(key="import_as_at").set_value(dt.date(2017, 10, 20)).run()
    app.text_input(key="import_plan_name").input("Community Safety 2016/17").run()
    assert [row[3:5] for row in _history_table(app)] == [
        ["Q1 2016/17", "30 Jun 2016"],
        ["Q2 2016/17", "30 Sep 2016"],
        ["Q1 2016/17", "30 Jun 2016"],
    ]
    (others,) = [d.value for d in app.dataframe if list(d.value.columns) == ["Where", "Warning"]]
    assert list(others["Warning"]) == [
        "quarter columns name no year: read as 2016/17 (the plan's period); give the as-at "
        "date or the plan period to read them as another year"
    ]
    # A period given on the page wins over the name's.
    app.date_input(key="import_period_start").set_value(dt.date(2015, 4, 1)).run()
    app.date_input(key="import_period_end").set_value(dt.date(2016, 3, 31)).run()
    assert [row[3:5] for row in _history_table(app)] == [
        ["Q1 2015/16", "30 Jun 2015"],
        ["Q2 2015/16", "30 Sep 2015"],
        ["Q1 2015/16", "30 Jun 2015"],
    ]


def test_a_file_without_period_columns_shows_no_period_history(app, factory):
    from tests.builders import csv_bytes

    rows = [["Ref", "Action", "Lead", "RAG"], ["1", "Train staff", "Police", "Red"]]
    _upload(app, factory, csv_bytes(rows), "plan.csv")
    assert [d for d in app.dataframe if list(d.value.columns) == HISTORY_COLUMNS] == []
    assert "History from period columns" not in [s.value for s in app.subheader]
