"""`python -m plan import --extra COLUMN` (issue 15 s.8): a column chosen as no plan field is
kept as an extra column, remembered per plan with the other overrides, so next quarter's file
of the same shape imports without asking; the import page's "not a plan field" is the same
choice (tests/pages/test_import_period_history.py)."""

import datetime as dt

import pytest
from sqlalchemy import select

from plan.database import make_engine, make_session_factory
from plan.models import Action, ImportMapping
from tests.plan.test_cli_import_options import _entries, _import

HEADER = ["Ref", "Action", "Lead", "RAG", "Update"]
Q1 = [HEADER, ["1", "Train staff", "Police", "Amber", "Trainer found"]]
Q2 = [HEADER, ["1", "Train staff", "Police", "Green", "Training under way"]]
REMEMBERED = "(remembered from the plan's last import)"


@pytest.fixture
def db(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    return database_url


def _stored(url):
    """The plan's stored mapping, and each action's extra fields."""
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        stored = session.scalar(select(ImportMapping))
        mapping = (stored.columns, stored.sheet) if stored else None
        extras = session.scalars(select(Action.extra)).all()
    engine.dispose()
    return mapping, extras


def _mapping_lines(out: str) -> list[str]:
    """The report's "Column mapping used:" lines."""
    lines = out.splitlines()
    found = []
    for line in lines[lines.index("Column mapping used:") + 1 :]:
        if not line.startswith("  - "):
            break
        found.append(line)
    return found


def test_a_column_kept_as_no_plan_field_is_remembered_for_next_quarter(db, tmp_path, capsys):
    assert (
        _import(tmp_path, Q1, "--extra", "RAG", "--sheet", "Tracker", "--as-at", "2026-06-30") == 0
    )
    first = capsys.readouterr().out
    assert _mapping_lines(first) == [
        "  - 'RAG' is no plan field: kept as an extra column (as given)",
        "  - sheet 'Tracker' (as given)",
    ]
    assert _stored(db) == (({"(not a plan field)": ["RAG"]}, "Tracker"), [{"RAG": "Amber"}])

    # Next quarter's file, no options: the choice is remembered; the RAG stays an extra field.
    assert _import(tmp_path, Q2, "--as-at", "2026-09-30") == 0
    second = capsys.readouterr().out
    assert _mapping_lines(second) == [
        f"  - 'RAG' is no plan field: kept as an extra column {REMEMBERED}",
        f"  - sheet 'Tracker' {REMEMBERED}",
    ]
    assert _stored(db) == (({"(not a plan field)": ["RAG"]}, "Tracker"), [{"RAG": "Green"}])
    assert _entries(db) == [
        (None, "Trainer found", dt.date(2026, 6, 30), dt.date(2026, 11, 20)),
        (None, "Training under way", dt.date(2026, 9, 30), dt.date(2026, 11, 20)),
    ]

    # Mapped to a field again: that choice replaces the remembered one.
    assert _import(tmp_path, Q2, "--map", "rag=RAG", "--as-at", "2026-09-30") == 0
    third = capsys.readouterr().out
    assert _mapping_lines(third) == [
        "  - rag = 'RAG' (as given)",
        f"  - sheet 'Tracker' {REMEMBERED}",
    ]
    assert _stored(db) == (({"rag": "RAG"}, "Tracker"), [{}])
    assert _entries(db)[-1] == (
        "Green",
        "Training under way",
        dt.date(2026, 9, 30),
        dt.date(2026, 11, 20),
    )


def test_a_remembered_extra_column_the_next_file_lacks_is_dropped_with_a_warning(
    db, tmp_path, capsys
):
    assert _import(tmp_path, Q1, "--extra", "Update", "--as-at", "2026-06-30") == 0
    capsys.readouterr()
    narrower = [["Ref", "Action", "Lead", "RAG"], ["1", "Train staff", "Police", "Green"]]
    assert _import(tmp_path, narrower, "--as-at", "2026-09-30") == 0
    out = capsys.readouterr().out
    assert (
        "tracker.xlsx: the remembered column mapping names 'Update', which this file does not "
        "have: read without it"
    ) in out
    assert _entries(db)[-1] == ("Green", None, dt.date(2026, 9, 30), dt.date(2026, 11, 20))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "rag=RAG", "--extra", "RAG"], "--extra: 'RAG' is given both as a plan field"),
        (["--extra", " "], "--extra: give a column's header as the file writes it"),
        (["--extra", "Colour"], "tracker.xlsx: has no column 'Colour'"),
    ],
)
def test_bad_extra_options_are_one_clear_sentence(db, tmp_path, capsys, args, message):
    assert _import(tmp_path, Q1, *args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert _entries(db) == []
