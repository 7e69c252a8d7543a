"""Importing an indicator table on the Import page: upload, preview every indicator with its
warnings, nothing written before confirming, then one transaction and a report."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from plan.models import Indicator, IndicatorTarget, IndicatorValue, Plan
from plan.queries import Selection
from plan.queries.indicators import indicator_rows
from tests.builders import add_plan, csv_bytes, xlsx_bytes
from tests.pages.conftest import metrics, shown
from tests.pages.test_import_page import PAGE, _signed_in

WIDE = [
    ["Ref", "Indicator", "Polarity", "Unit", "Q1 2026/27", "Q2 2026/27", "Target 2026/27"],
    ["DA1", "Repeat MARAC referrals", "Lower is better", "%", 30, 27.5, 28],
    ["DA2", "IDVA caseload", "Higher", "count", 80, "eighty", 85],
    ["DA3", "Domestic abuse incidents", "Contextual", "count", 1050, "n/a", None],
]


def _count(factory, model) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _open(app, factory, role: str = "officer"):
    _signed_in(app, factory, role)
    app.run()
    app.switch_page(PAGE).run()
    app.radio(key="import_kind").set_value("An indicator table").run()
    assert not app.exception, app.exception
    return app


def _upload(app, data: bytes, name: str):
    app.file_uploader(key="indicator_import_file").set_value((name, data, "text/csv")).run()
    assert not app.exception, app.exception


def test_preview_then_confirm_imports_every_value_and_target(app, factory):
    _open(app, factory)
    assert "Choose a file" in app.info[0].value
    _upload(app, csv_bytes(WIDE), "VAWG indicators.csv")
    assert metrics(app) == {"Indicators": 3, "Values": 5, "Targets": 8, "Warnings": 1}
    preview = app.dataframe[0].value.to_dict("records")
    assert [(r["Ref"], r["Indicator"], r["Polarity"], r["Unit"]) for r in preview] == [
        ("DA1", "Repeat MARAC referrals", "lower is better", "%"),
        ("DA2", "IDVA caseload", "higher is better", "count"),
        ("DA3", "Domestic abuse incidents", "contextual", "count"),
    ]
    assert [(r["Periods"], r["Values"], r["Targets"]) for r in preview] == [
        # "Target 2026/27" applies to each quarter of the year.
        ("Q1 2026/27 to Q4 2026/27", 2, 4),
        ("Q1 2026/27 to Q4 2026/27", 1, 4),
        ("Q1 2026/27 to Q2 2026/27", 2, 0),
    ]
    assert "eighty" in preview[1]["Warnings"] and "Q2 2026/27" in preview[1]["Warnings"]
    assert "wide layout" in " ".join(c.value for c in app.caption)
    assert _count(factory, Indicator) == 0 and _count(factory, IndicatorValue) == 0
    assert app.text_input(key="indicator_import_plan_name").value == "VAWG indicators"

    app.text_input(key="indicator_import_plan_name").input("VAWG Action Plan").run()
    app.button(key="indicator_import_confirm").click().run()
    assert not app.exception, app.exception
    report = app.code[0].value
    assert "Indicators: 3 created, 0 updated, 0 unchanged" in report
    assert "Values recorded: 5 (0 unchanged)" in report
    assert "row 3" in report and "eighty" in report
    with factory() as session:
        plan_id = session.scalar(select(Plan.id).where(Plan.name == "VAWG Action Plan"))
        rows = indicator_rows(session, Selection(plan_id=plan_id), dt.date(2099, 1, 1))
    figures = {
        (row.ref, f.period.label): (f.status.value if f.status else None, f.value, f.target)
        for row in rows
        for f in row.figures
    }
    assert figures == {
        ("DA1", "Q1 2026/27"): ("value", 30.0, 28.0),
        ("DA1", "Q2 2026/27"): ("value", 27.5, 28.0),
        ("DA1", "Q3 2026/27"): (None, None, 28.0),
        ("DA1", "Q4 2026/27"): (None, None, 28.0),
        ("DA2", "Q1 2026/27"): ("value", 80.0, 85.0),
        ("DA2", "Q2 2026/27"): (None, None, 85.0),
        ("DA2", "Q3 2026/27"): (None, None, 85.0),
        ("DA2", "Q4 2026/27"): (None, None, 85.0),
        ("DA3", "Q1 2026/27"): ("value", 1050.0, None),
        ("DA3", "Q2 2026/27"): ("not yet available", None, None),
    }
    assert _count(factory, IndicatorTarget) == 8


def test_importing_into_an_existing_plan_and_again_changes_nothing(app, factory):
    with factory() as session:
        add_plan(session, "VAWG")
        session.commit()
    _open(app, factory)
    _upload(app, csv_bytes(WIDE), "indicators.csv")
    app.selectbox(key="indicator_import_existing_plan").set_value("VAWG").run()
    assert app.text_input(key="indicator_import_plan_name").value == "VAWG"
    assert "'VAWG' exists" in " ".join(c.value for c in app.caption)
    app.button(key="indicator_import_confirm").click().run()
    assert "Values recorded: 5" in app.code[0].value
    values = _count(factory, IndicatorValue)
    app.button(key="indicator_import_confirm").click().run()
    assert "Indicators: 0 created, 0 updated, 3 unchanged" in app.code[0].value
    assert "Values recorded: 0 (5 unchanged)" in app.code[0].value
    assert _count(factory, IndicatorValue) == values and _count(factory, Plan) == 1


def test_a_file_that_is_not_an_indicator_table_says_why_in_one_sentence(app, factory):
    _open(app, factory)
    _upload(app, xlsx_bytes(("Actions", [["Ref", "Action"], ["1", "Train staff"]])), "plan.xlsx")
    assert "plan.xlsx: holds no indicator table" in shown(app.error[0].value)
    assert not app.button and _count(factory, Indicator) == 0


def test_viewers_cannot_import_indicators(app, factory):
    _signed_in(app, factory, "viewer")
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception
    assert not app.radio and not app.file_uploader


def test_the_indicator_uploader_has_the_plan_importers_limit(app, factory):
    from importers import MAX_FILE_BYTES

    _open(app, factory)
    uploader = app.file_uploader(key="indicator_import_file").proto
    assert uploader.max_upload_size_mb == MAX_FILE_BYTES // (1024 * 1024) == 50
