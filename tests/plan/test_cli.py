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
from openpyxl import load_workbook

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
EXPORT_COLUMNS = (
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
)
EXPORT_KEYS = set(EXPORT_COLUMNS)  # README, "Importing and exporting from the command line"


# When the command-line imports in these tests happen (an export "as at" a date sees only
# what was imported by then, so the tests must not depend on today's date).
IMPORTED_AT = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


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
    with time_machine.travel(IMPORTED_AT, tick=False):
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
    assert first == {
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
        "updated_at": "2026-11-20T09:00:00+00:00",
        "overdue": True,
    }
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
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert tuple(rows[0]) == EXPORT_COLUMNS  # the JSON keys, in order
    assert rows[0]["latest_update"] == "'@risk: funding cut"
    assert rows[0]["owners"] == "Debbie Nash; PCT"
    assert (rows[0]["rag"], rows[0]["overdue"], rows[1]["ongoing"]) == ("✖ Red", "yes", "yes")


FILTER_ROWS = [
    ["Objective", "Ref", "Action", "Owner", "Deadline", "RAG", "Progress Report"],
    ["Prevention", "1.1", "Media strategy", "Debbie Nash and PCT", "April 2012", "R", "Cut"],
    ["Prevention", "1.2", "Police response", "GMP", "Ongoing", "A", ""],
    ["Support", "2.1", "Refuges", "GMP", "March 2027", "G", ""],
    ["Support", "2.2", "Helpline", "Debbie Nash", "", "", ""],
]
AS_AT = ["--as-at", "2026-11-30"]
FILTERS = [
    (AS_AT, ["9.1", "1.1", "1.2", "2.1", "2.2"]),  # plans by name: Other, then VAWC
    (["--plan", "VAWC", *AS_AT], ["1.1", "1.2", "2.1", "2.2"]),
    (["--owner", "GMP", *AS_AT], ["9.1", "1.2", "2.1"]),
    (["--owner", "GMP", "--owner", "PCT", "--plan", "VAWC", *AS_AT], ["1.1", "1.2", "2.1"]),
    (["--objective", "Support", *AS_AT], ["2.1", "2.2"]),
    (["--rag", "red", "--rag", "not rated", "--plan", "VAWC", *AS_AT], ["1.1", "2.2"]),
    (["--compared-with", "2026-09-30", "--plan", "VAWC", *AS_AT], ["1.1", "1.2", "2.1", "2.2"]),
    (["--as-at", "2026-11-19"], []),  # the day before the import
]


def _exported_refs(path: Path, fmt: str) -> list[str]:
    """The refs of the actions exported, read by column name."""
    if fmt == "json":
        return [r["ref"] for r in json.loads(path.read_text(encoding="utf-8"))]
    if fmt == "csv":
        text = path.read_text(encoding="utf-8-sig")
        return [r["ref"] for r in csv.DictReader(io.StringIO(text))]
    rows = load_workbook(path, read_only=True)["Actions"].iter_rows(values_only=True)
    header = next(rows)
    records = [dict(zip(header, row, strict=False)) for row in rows]
    return [r["Ref"] for r in records if r.get("Action")]  # not headings or notes


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_export_honours_every_filter_in_every_format(db, tmp_path, capsys, fmt):
    plan, other = tmp_path / "vawc.csv", tmp_path / "other.csv"
    plan.write_bytes(csv_bytes(FILTER_ROWS))
    other.write_bytes(
        csv_bytes([FILTER_ROWS[0], ["Other", "9.1", "Elsewhere", "GMP", "", "G", ""]])
    )
    with time_machine.travel(IMPORTED_AT, tick=False):
        assert main(["import", str(plan), "--plan", "VAWC"]) == 0
        assert main(["import", str(other), "--plan", "Other"]) == 0
    out = tmp_path / f"out.{fmt}"
    for filters, refs in FILTERS:
        assert main(["export", "--format", fmt, "--output", str(out), *filters]) == 0, filters
        assert _exported_refs(out, fmt) == refs, filters
    capsys.readouterr()
    assert main(["export", "--format", fmt, "--output", str(out), "--owner", "Nobody"]) == 2
    assert "no action is owned by Nobody" in capsys.readouterr().err


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


def test_import_records_the_plan_period(db, tmp_path, capsys):
    source = tmp_path / "plan.xlsx"
    source.write_bytes(xlsx_bytes(("Plan", ROWS)))
    args = ["import", str(source), "--plan", "VAWC"]
    assert main([*args, "--period-start", "2011-04-01", "--period-end", "2014-03-31"]) == 0
    assert "Period: 1 Apr 2011 to 31 Mar 2014 (as given)" in capsys.readouterr().out
    assert main(["plans"]) == 0
    assert "VAWC: " in (listed := capsys.readouterr().out)
    assert ", 1 Apr 2011 to 31 Mar 2014" in listed
    assert main([*args, "--period-start", "2014-04-01", "--period-end", "2014-03-31"]) == 2
    assert "cannot end (31/03/2014) before it starts (01/04/2014)" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        main([*args, "--period-end", "31 March"])
    assert stopped.value.code == 2
    assert "'31 March' is not a date like 2026-03-31" in capsys.readouterr().err
