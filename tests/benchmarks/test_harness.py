"""The benchmark harness at a tiny scale: the generator's data, and the table's arithmetic.

No timings are asserted here; `python -m benchmarks` does the measuring.
"""

from __future__ import annotations

import math

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from benchmarks.generate import XLSX_COLUMNS, generate_database, generate_xlsx, scaled
from benchmarks.harness import (
    FAIL,
    PASS,
    PENDING,
    absolute_row,
    format_table,
    loglog_slope,
    pending_row,
    percentile,
    ratio_row,
    slope_row,
)
from importers import read_plan_file
from plan.database import make_engine
from plan.models import Action, ActionOwner, Objective, Plan, ProgressUpdate
from rulebook.rag import DeliveryStatus


def test_xlsx_has_ten_columns_and_rag_as_text_or_fill(tmp_path):
    path = generate_xlsx(tmp_path / "plan.xlsx", actions=40, objectives=4)
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == list(XLSX_COLUMNS)
    rag = XLSX_COLUMNS.index("RAG")
    texts = [r[rag] for r in rows[1::2]]
    fills = [r[rag] for r in rows[2::2]]
    assert all(c.value for c in texts)
    assert all(c.value is None and c.fill.patternType == "solid" for c in fills)
    assert len({r[0].value for r in rows[1:]}) == 4


def test_xlsx_imports_every_action_with_a_rag(tmp_path):
    path = generate_xlsx(tmp_path / "plan.xlsx", actions=40, objectives=4)
    result = read_plan_file(path.read_bytes(), path.name)
    assert len(result.rows) == 40
    assert all(row.rag is not None for row in result.rows)
    assert len({row.objective for row in result.rows}) == 4


def test_xlsx_is_deterministic(tmp_path):
    first = generate_xlsx(tmp_path / "a.xlsx", actions=30)
    second = generate_xlsx(tmp_path / "b.xlsx", actions=30)
    values = [
        [tuple(r) for r in load_workbook(p, read_only=True).active.iter_rows(values_only=True)]
        for p in (first, second)
    ]
    assert values[0] == values[1]


def test_database_holds_the_requested_shape(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    counts = generate_database(url, plans=3, actions=60, updates=500, objectives_per_plan=4)
    assert counts["actions"] == 60 and counts["updates"] == 500
    engine = make_engine(url)
    try:
        with engine.connect() as connection:

            def count(column):
                return connection.scalar(select(func.count(column)))

            assert count(Plan.id) == 3
            assert count(Objective.id) == 12
            assert count(Action.id) == 60
            assert count(ProgressUpdate.id) == 500
            assert count(ActionOwner.id) >= 50  # some leads name two owners, a few none
            statuses = set(connection.scalars(select(ProgressUpdate.status).distinct()))
            assert DeliveryStatus.IN_PROGRESS in statuses
            texts = set(connection.scalars(select(Action.deadline_text)))
            assert len(texts) > 20  # messy, varied deadline texts
    finally:
        engine.dispose()


def test_scaled_shape():
    assert scaled(20_000) == {"plans": 50, "actions": 20_000, "updates": 200_000}
    assert scaled(100)["plans"] == 1


def test_loglog_slope():
    sizes = [1_000, 5_000, 20_000, 100_000]
    assert loglog_slope(sizes, [n * 0.001 for n in sizes]) == pytest.approx(1.0)
    assert loglog_slope(sizes, [n * n * 1e-9 for n in sizes]) == pytest.approx(2.0)
    assert loglog_slope(sizes, [0.5 for _ in sizes]) == pytest.approx(0.0)
    with pytest.raises(ValueError):
        loglog_slope([10], [1.0])


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 0.95) == 95
    assert percentile([3.0], 0.95) == 3.0


def test_ratio_rows_pass_at_the_limit_and_fail_above():
    assert ratio_row("x", 2.0, 1.0, 2.0).status == PASS
    row = ratio_row("x", 2.5, 1.0, 2.0)
    assert (row.status, row.ratio, row.target) == (FAIL, "2.50x", "<= 2x")
    assert row.failed
    assert ratio_row("x", 1.0, 0.0, 2.0).status == FAIL  # a zero floor is never a pass
    assert absolute_row("p95", 0.019, 0.020).status == PASS
    assert absolute_row("p95", 0.021, 0.020).status == FAIL


def test_an_absolute_row_shows_a_floor_for_information_only():
    row = absolute_row("first load", 0.4, 1.5, floor=0.1)
    assert (row.measured, row.floor, row.ratio, row.target, row.status) == (
        "400 ms",
        "100 ms",
        "4.00x",
        "< 1.50 s",
        PASS,
    )


def test_slope_row_reports_time_per_action():
    sizes = [1_000, 5_000, 20_000, 100_000]
    flat = slope_row("growth", sizes, [n * 1e-3 for n in sizes], 1.1)
    assert flat.status == PASS and "1k: 1000 us" in flat.note
    quadratic = slope_row("growth", sizes, [n * n * 1e-8 for n in sizes], 1.1)
    assert quadratic.status == FAIL and quadratic.measured == "slope 2.00"


def test_table_lists_rows_and_notes_and_pending_does_not_fail():
    rows = [
        ratio_row("import", 3.0, 1.0, 2.0, note="floor: openpyxl"),
        pending_row("export", "<= 2x", "not built yet"),
    ]
    assert rows[1].status == PENDING and not rows[1].failed
    text = format_table(rows)
    assert text.splitlines()[0].split() == [
        "benchmark",
        "measured",
        "floor",
        "ratio",
        "target",
        "result",
    ]
    assert "3.00x" in text and "- export: not built yet" in text
    markdown = format_table(rows, markdown=True)
    assert markdown.startswith("| benchmark |") and "| pending |" in markdown
    assert not math.isnan(float(rows[0].ratio.rstrip("x")))


def test_indicator_database_has_every_quarter_and_some_corrections(tmp_path):
    from benchmarks.generate_indicators import generate_indicator_database
    from plan.models import Indicator, IndicatorTarget, IndicatorValue

    url = f"sqlite:///{tmp_path / 'indicators.db'}"
    counts = generate_indicator_database(url, indicators=30, periods=40)
    engine = make_engine(url)
    with engine.connect() as connection:
        indicators = connection.scalar(select(func.count(Indicator.id)))
        periods = connection.scalar(select(func.count(func.distinct(IndicatorValue.period_end))))
        values = connection.scalar(select(func.count(IndicatorValue.id)))
        targets = connection.scalar(select(func.count(IndicatorTarget.id)))
    engine.dispose()
    assert (indicators, periods) == (30, 40)
    assert values == counts["values"] > 30 * 40  # a few corrections on top
    assert targets == counts["targets"] <= 30 * 40
    assert counts == generate_indicator_database(
        f"sqlite:///{tmp_path / 'again.db'}", indicators=30, periods=40
    )
