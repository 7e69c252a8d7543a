"""`python -m plan import --as-at DATE --map FIELD=COLUMN --sheet NAME` (issue 15, sections 4
and 8): the day a file describes, and a column mapping fixed once and remembered per plan."""

import datetime as dt
import json

import pytest
import time_machine
from sqlalchemy import select

from plan.cli import main
from plan.database import make_engine, make_session_factory
from plan.models import ImportMapping, ProgressUpdate
from tests.builders import xlsx_bytes

IMPORTED_AT = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
# Headers no header word names: "Commitment" is the action, "Responsible agency" its lead.
ODD_HEADER = ["No.", "Commitment", "Responsible agency", "Progress to date", "RAG"]
Q1 = [ODD_HEADER, ["1", "Train staff", "Police", "Trainer found", "Amber"]]
Q2 = [ODD_HEADER, ["1", "Train staff", "Police", "Training under way", "Green"]]
NOTES = [["Action", "Owner", "Deadline"], ["Not the plan", "Nobody", "2026"]]
MAPS = [
    "--map",
    "action=Commitment",
    "--map",
    "lead=Responsible agency",
    "--map",
    "progress=Progress to date",
    "--sheet",
    "Tracker",
]


@pytest.fixture
def db(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    return database_url


def _import(tmp_path, rows, *args):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(xlsx_bytes(("Notes", NOTES), ("Tracker", rows)))
    with time_machine.travel(IMPORTED_AT, tick=False):
        return main(["import", str(path), "--plan", "VAWG", *args])


def _entries(url):
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        found = [
            (u.rag.value if u.rag else None, u.progress, u.described_on, u.recorded_at.date())
            for u in session.scalars(
                select(ProgressUpdate).order_by(ProgressUpdate.described_on, ProgressUpdate.id)
            )
        ]
    engine.dispose()
    return found


def test_as_at_dates_the_files_entries_and_exports_follow_it(db, tmp_path, capsys):
    assert _import(tmp_path, Q1, *MAPS, "--as-at", "2026-06-30") == 0
    assert "Progress updates recorded: 1 (as at 30 Jun 2026)" in capsys.readouterr().out
    assert _import(tmp_path, Q2, "--as-at", "2026-09-30") == 0
    assert _entries(db) == [
        ("Amber", "Trainer found", dt.date(2026, 6, 30), IMPORTED_AT.date()),
        ("Green", "Training under way", dt.date(2026, 9, 30), IMPORTED_AT.date()),
    ]
    out = tmp_path / "q1.json"
    assert main(["export", "--format", "json", "--output", str(out), "--as-at", "2026-07-01"]) == 0
    [record] = json.loads(out.read_text())
    assert (record["rag"], record["latest_update"]) == ("Amber", "Trainer found")


def test_a_mapping_is_shown_remembered_and_used_for_next_quarters_file(db, tmp_path, capsys):
    assert _import(tmp_path, Q1, *MAPS, "--as-at", "2026-06-30") == 0
    first = capsys.readouterr().out
    assert "Actions: 1 created, 0 updated, 0 unchanged" in first
    used = first.splitlines().index("Column mapping used:")
    assert first.splitlines()[used + 1 : used + 5] == [
        "  - action = 'Commitment' (as given)",
        "  - lead = 'Responsible agency' (as given)",
        "  - progress = 'Progress to date' (as given)",
        "  - sheet 'Tracker' (as given)",
    ]
    assert _import(tmp_path, Q2, "--as-at", "2026-09-30") == 0
    second = capsys.readouterr().out
    assert "Actions: 0 created, 1 updated, 0 unchanged" in second
    assert "  - action = 'Commitment' (remembered from the plan's last import)" in second
    assert "  - sheet 'Tracker' (remembered from the plan's last import)" in second
    engine = make_engine(db)
    with make_session_factory(engine)() as session:
        stored = session.scalar(select(ImportMapping))
        assert (stored.columns, stored.sheet) == (
            {
                "action": "Commitment",
                "lead": "Responsible agency",
                "progress": "Progress to date",
            },
            "Tracker",
        )
    engine.dispose()


def test_a_mapping_naming_a_missing_column_is_an_error_naming_it(db, tmp_path, capsys):
    assert _import(tmp_path, Q1, "--map", "action=Our commitment", "--sheet", "Tracker") == 2
    err = capsys.readouterr().err
    assert "tracker.xlsx: has no column 'Our commitment' (named in the column mapping)" in err
    assert "'Commitment'" in err  # the columns it does have
    assert _entries(db) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "action"], "--map: 'action' is not FIELD=COLUMN"),
        (["--map", "colour=RAG"], "--map: 'colour' is not a plan field"),
        (
            ["--sheet", "Summary"],
            "has no sheet called 'Summary'; its sheets are 'Notes', 'Tracker'",
        ),
        (["--as-at", "2026-11-21"], "--as-at: the as-at date 21 Nov 2026 has not come yet"),
    ],
)
def test_bad_import_options_are_one_clear_sentence(db, tmp_path, capsys, args, message):
    assert _import(tmp_path, Q1, *args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
