"""`python -m plan`: import report, export keys, and one clear sentence for bad input."""

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine

from plan.cli import LARGE_FILE_BYTES, main
from tests.builders import csv_bytes, xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]
ROWS = [
    ["Objective", "Ref", "Action", "Owner", "Deadline", "RAG", "Progress Report"],
    [
        "Objective 1 – Prevention",
        "1.1",
        "Media strategy",
        "Debbie Nash and PCT",
        "April 2012",
        "R",
        "@risk: funding cut",
    ],
    ["Objective 1 – Prevention", "1.2", "Police response", "GMP", "Ongoing", "", ""],
    ["Objective 1 – Prevention", "1.3", "Odd date", "GMP", "Summer", "", ""],
]
EXPORT_KEYS = {
    "plan",
    "objective",
    "ref",
    "action",
    "owner",
    "owners",
    "deadline",
    "deadline_text",
    "ongoing",
    "rag",
    "status",
    "latest_update",
    "updated_at",
    "overdue",
}


@pytest.fixture
def db(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    return database_url


def test_help_lists_the_commands():
    result = subprocess.run(
        [sys.executable, "-m", "plan", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for command in ("import", "export", "plans", "migrate", "demo"):
        assert command in result.stdout


def test_import_then_export_json(db, tmp_path, capsys):
    source = tmp_path / "vawc.xlsx"
    source.write_bytes(xlsx_bytes(("Plan", ROWS)))
    # The import is stamped with the clock: make it a few days before the export's --as-at.
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC), tick=False):
        assert main(["import", str(source), "--plan", "VAWC"]) == 0
    report = capsys.readouterr().out
    assert "Plan: VAWC (new)" in report
    assert "Actions: 3 created, 0 updated, 0 unchanged" in report
    assert "vawc.xlsx, sheet 'Plan', row 4, deadline: deadline 'Summer'" in report

    out = tmp_path / "out.json"
    assert main(["export", "--format", "json", "--output", str(out), "--as-at", "2026-11-25"]) == 0
    records = json.loads(out.read_text())
    assert [set(r) for r in records] == [EXPORT_KEYS] * 3
    first, second, _ = records
    assert first | {"updated_at": None} == {
        "plan": "VAWC",
        "objective": "Prevention",
        "ref": "1.1",
        "action": "Media strategy",
        "owner": "Debbie Nash and PCT",
        "owners": ["Debbie Nash", "PCT"],
        "deadline": "2012-04-30",
        "deadline_text": "April 2012",
        "ongoing": False,
        "rag": "Red",
        "status": "in progress",
        "latest_update": "@risk: funding cut",
        "updated_at": None,
        "overdue": True,
    }
    assert first["updated_at"] == "2026-11-20T09:30:00+00:00"
    assert (second["deadline"], second["ongoing"], second["rag"], second["overdue"]) == (
        None,
        True,
        None,
        False,
    )


def test_export_csv_neutralises_formulas(db, tmp_path):
    source = tmp_path / "plan.csv"
    source.write_bytes(csv_bytes(ROWS))
    assert main(["import", str(source), "--plan", "P"]) == 0
    out = tmp_path / "out.csv"
    assert main(["export", "--format", "csv", "--output", str(out), "--plan", "P"]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows[0]["latest_update"] == "'@risk: funding cut"
    assert rows[0]["owners"] == "Debbie Nash; PCT"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("missing.xlsx", None, "Error: missing.xlsx: no such file"),
        ("junk.csv", b"\x00\x01" * 100, "Error: junk.csv: is binary, not a CSV text file"),
        ("people.csv", b"Name,Age\r\nBob,3\r\n", "Error: people.csv: holds no recognisable"),
    ],
)
def test_bad_import_exits_non_zero_with_one_sentence(db, tmp_path, capsys, name, data, expected):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(expected.replace("missing.xlsx", str(path)) if data is None else expected)
    assert err.count("\n") == 1 and "Traceback" not in err
    assert main(["plans"]) == 0
    assert "No plans yet" in capsys.readouterr().out


def test_export_unknown_plan_is_refused(db, tmp_path, capsys):
    assert (
        main(["export", "--format", "json", "--output", str(tmp_path / "x"), "--plan", "Nope"]) == 2
    )
    assert "there is no plan called 'Nope'" in capsys.readouterr().err


def test_import_of_a_large_file_shows_progress(db, tmp_path, capsys):
    rows = [["Objective", "Ref", "Action", "Owner", "Deadline", "RAG", "Progress Report"]]
    rows += [
        [
            "Objective 1 – Prevention",
            f"1.{n}",
            f"Action number {n} " + "x" * 300,
            "GMP",
            "March 2027",
            "G",
            "Fine",
        ]
        for n in range(1, 3001)
    ]
    source = tmp_path / "big.xlsx"
    source.write_bytes(xlsx_bytes(("Plan", rows)))
    assert source.stat().st_size > LARGE_FILE_BYTES
    assert main(["import", str(source), "--plan", "Big"]) == 0
    captured = capsys.readouterr()
    assert "Reading big.xlsx: 100%" in captured.err
    assert "Actions: 3000 created" in captured.out
