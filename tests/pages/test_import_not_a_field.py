"""The import page remembers "not a plan field" (issue 15 s.8): a column the officer keeps as
an extra column is kept so again for the plan's next file of the same shape, without asking."""

import datetime as dt

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.session import ACTOR_KEY, SIGNED_IN_AT_KEY
from plan.models import Action, ImportMapping, ProgressUpdate
from tests.builders import actor_of, csv_bytes
from tests.pages.conftest import APP
from tests.pages.test_import_page import NOT_A_FIELD, _upload

HEADER = ["Ref", "Action", "Owner", "Status", "Progress update"]


def _file(status: str, notes: str) -> bytes:
    return csv_bytes([HEADER, ["1.1", "Run campaigns", "Karen Cooney", status, notes]])


def _saved(factory):
    """The stored mapping, and the action's (extra fields, [(RAG, progress)])."""
    with factory() as session:
        stored = session.scalar(select(ImportMapping))
        action = session.scalar(select(Action))
        updates = session.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id)).all()
        return stored.columns, action.extra, [(u.rag, u.progress) for u in updates]


def test_a_column_kept_as_no_plan_field_is_kept_so_for_the_plans_next_file(app, factory):
    app.default_timeout = 120  # each read is a child process: slow on a busy machine
    _upload(app, factory, _file("G", "Two run"), "VAWG tracker.csv")
    assert app.selectbox(key="import_map_Status").value == "rag"
    app.selectbox(key="import_map_Status").set_value(NOT_A_FIELD).run()
    app.date_input(key="import_as_at").set_value(dt.date(2025, 3, 31)).run()
    app.button(key="import_confirm").click().run()
    assert not app.exception
    assert "  - 'Status' is no plan field: kept as an extra column (as given)" in app.code[0].value
    assert _saved(factory) == (
        {"(not a plan field)": ["Status"]},
        {"Status": "G"},
        [(None, "Two run")],
    )

    # Next quarter's file, in a new session: the plan's choice is preset, nothing to ask.
    later = AppTest.from_file(str(APP), default_timeout=120)
    with factory() as session:
        later.session_state[ACTOR_KEY] = actor_of(session, "officer@test.org")
    later.session_state[SIGNED_IN_AT_KEY] = dt.datetime.now(dt.UTC)
    later.run()
    later.switch_page("pages/import_plan.py").run()
    later.file_uploader(key="import_file").set_value(
        ("VAWG tracker.csv", _file("R", "Four run"), "text/csv")
    ).run()
    assert not later.exception
    assert later.selectbox(key="import_map_Status").value == NOT_A_FIELD
    assert list(later.dataframe[0].value["RAG"]) == ["– Not rated"]
    later.date_input(key="import_as_at").set_value(dt.date(2025, 6, 30)).run()
    later.button(key="import_confirm").click().run()
    assert not later.exception
    assert _saved(factory) == (
        {"(not a plan field)": ["Status"]},
        {"Status": "R"},
        [(None, "Two run"), (None, "Four run")],
    )
