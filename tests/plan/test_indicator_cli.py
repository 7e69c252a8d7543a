"""`python -m plan indicators import|export`: the report, the exact export keys, re-import
changing nothing, a correction kept beside the value it supersedes, and nothing partial."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from sqlalchemy import func, select

from plan.cli import main
from plan.database import make_engine, make_session_factory
from plan.models import AuditEntry, Indicator, IndicatorValue
from tests.builders import csv_bytes, xlsx_bytes
from tests.importers.test_indicator_tables import WIDE

IMPORTED_AT = dt.datetime(2017, 1, 20, 9, 0, tzinfo=dt.UTC)
KEYS = [
    "plan",
    "objective",
    "ref",
    "indicator",
    "unit",
    "polarity",
    "period",
    "period_end",
    "status",
    "value",
    "target",
    "rag",
    "direction_previous",
    "direction_last_year",
    "note",
    "demo",
]


@pytest.fixture
def db(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    return database_url


def _import(path, *extra):
    with time_machine.travel(IMPORTED_AT, tick=False):
        return main(["indicators", "import", str(path), *extra])


def test_import_report_and_json_export(db, tmp_path, capsys):
    source = tmp_path / "vawg.xlsx"
    source.write_bytes(xlsx_bytes(("Indicators", WIDE)))
    assert _import(source, "--plan", "VAWG") == 0
    report = capsys.readouterr().out.splitlines()
    assert report[:6] == [
        "Plan: VAWG (new)",
        "File: vawg.xlsx (wide layout)",
        "Objectives: 0 new",
        "Indicators: 4 created, 0 updated, 0 unchanged",
        "Targets set: 12",
        "Values recorded: 13 (0 unchanged)",
    ]
    assert "Warnings (3):" in report
    out = tmp_path / "out.json"
    args = ["indicators", "export", "--format", "json", "--output", str(out)]
    assert main([*args, "--plan", "VAWG", "--as-at", "2017-01-31"]) == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    assert all(list(record) == KEYS for record in records)
    marac = [r for r in records if r["ref"] == "VAWG1"]
    assert [(r["period"], r["period_end"], r["value"], r["target"], r["rag"]) for r in marac] == [
        ("Q1 2016/17", "2016-06-30", 30.0, 28.0, "Red"),
        ("Q2 2016/17", "2016-09-30", 28.5, 28.0, "Amber"),
        ("Q3 2016/17", "2016-12-31", None, 28.0, None),
        ("Q4 2016/17", "2017-03-31", None, 28.0, None),
    ]
    assert [r["status"] for r in marac] == ["value", "value", "not yet available", None]
    # Lower is better: 30 to 28.5 is improving.
    assert [r["direction_previous"] for r in marac] == [None, "improving", None, None]
    incidents = [r for r in records if r["ref"] == "VAWG3"]
    assert [(r["value"], r["rag"], r["direction_previous"]) for r in incidents] == [
        (1050.0, None, None),
        (1110.0, None, None),
        (990.0, None, None),
        (1010.0, None, None),
    ]
    assert {r["polarity"] for r in incidents} == {"contextual"}
    # As at a date before the import, nothing was known yet: periods with targets only.
    assert main([*args, "--as-at", "2017-01-19"]) == 0
    before = json.loads(out.read_text(encoding="utf-8"))
    assert {r["value"] for r in before} == {None}


def test_reimport_changes_nothing_and_a_correction_keeps_both(db, tmp_path, capsys):
    source = tmp_path / "vawg.csv"
    source.write_bytes(csv_bytes(WIDE))
    assert _import(source, "--plan", "VAWG") == 0
    assert _import(source, "--plan", "VAWG") == 0
    again = capsys.readouterr().out.splitlines()
    assert "Indicators: 0 created, 0 updated, 4 unchanged" in again
    assert "Values recorded: 0 (13 unchanged)" in again
    corrected = [list(row) for row in WIDE]
    corrected[3][7] = 29.5  # VAWG1 Q2 2016/17 was 28.5: now beyond 5% of 28
    source.write_bytes(csv_bytes(corrected))
    assert _import(source, "--plan", "VAWG") == 0
    assert "Values recorded: 1 (12 unchanged)" in capsys.readouterr().out
    factory = make_session_factory(make_engine(db))
    with factory() as session:
        q2 = session.scalars(
            select(IndicatorValue.value)
            .join(Indicator)
            .where(Indicator.ref == "VAWG1", IndicatorValue.period_end == dt.date(2016, 9, 30))
            .order_by(IndicatorValue.id)
        ).all()
        assert q2 == [28.5, 29.5]
        events = session.scalars(select(AuditEntry.event)).all()
        assert events == ["indicator import"] * 3
    out = tmp_path / "out.csv"
    assert main(["indicators", "export", "--format", "csv", "--output", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == KEYS
    q2_row = next(r for r in rows if r[2] == "VAWG1" and r[6] == "Q2 2016/17")
    assert (q2_row[9], q2_row[11]) == ("29.5", "Red")


def test_bad_file_changes_nothing(db, tmp_path, capsys):
    source = tmp_path / "plan.csv"
    source.write_bytes(csv_bytes([["Action", "Owner"], ["Do it", "Me"]]))
    assert main(["indicators", "import", str(source)]) == 2
    assert "plan.csv: holds no indicator table" in capsys.readouterr().err
    factory = make_session_factory(make_engine(db))
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Indicator)) == 0
    assert main(["indicators", "export", "--format", "json", "--output", "-", "--plan", "X"]) == 2
    assert "there is no plan called 'X'" in capsys.readouterr().err
