"""No internal error text reaches a browser: uncaught errors are redacted by Streamlit's
config, and a failure a page catches is logged under a reference the user is shown instead."""

from __future__ import annotations

import datetime as dt
import logging
import re
import tomllib
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from pages import update_form
from pages.session import ACTOR_KEY, SIGNED_IN_AT_KEY
from rulebook.rag import Rag
from tests.builders import actor_of, add_action, add_plan, add_user, csv_bytes
from tests.pages.conftest import APP

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
SECRET = "SELECT password_hash FROM users"
REFERENCE = re.compile(r"Something went wrong \(ref ([0-9a-f]{6})\)\.")


def _database_error(*args, **kwargs):
    raise OperationalError(SECRET, {}, Exception("disk I/O error at /srv/tracker/data"))


@pytest.fixture
def app(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TRACKER_LOAD_DEMO", "0")
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=30)
    yield at
    st.cache_resource.clear()


def _signed_in(at: AppTest, factory, email: str, page: str) -> AppTest:
    with factory() as session:
        at.session_state[ACTOR_KEY] = actor_of(session, email)
    at.session_state[SIGNED_IN_AT_KEY] = dt.datetime.now(dt.UTC)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _everything_shown(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "exception", "code")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def _logged_reference(caplog, reference: str) -> logging.LogRecord:
    [record] = [r for r in caplog.records if reference in r.getMessage()]
    return record


def test_the_config_hides_every_error_detail():
    config = tomllib.loads(CONFIG.read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_an_uncaught_error_shows_no_message_type_or_traceback(app, factory, monkeypatch):
    with factory() as session:
        add_action(session, add_plan(session, "P"), "Act")
        session.commit()
    monkeypatch.setattr("plan.queries.plan_overview", _database_error)
    value = tomllib.loads(CONFIG.read_text())["client"]["showErrorDetails"]
    with patch_config_options({"client.showErrorDetails": value}):
        app.run()
    [error] = app.exception
    assert "redacted" in error.message
    assert not error.stack_trace
    shown = _everything_shown(app)
    assert "password_hash" not in shown and "OperationalError" not in shown
    assert "/srv/tracker" not in shown


def test_a_failed_import_is_logged_with_the_reference_the_officer_sees(
    app, factory, monkeypatch, caplog
):
    with factory() as session:
        add_user(session, "officer@test.org", "officer")
        session.commit()
    monkeypatch.setattr("plan.importing.import_as", _database_error)
    _signed_in(app, factory, "officer@test.org", "pages/import_plan.py")
    rows = [["Objective", "Action", "Owner"], ["Prevention", "Run campaigns", "Karen Cooney"]]
    app.file_uploader(key="import_file").set_value(("plan.csv", csv_bytes(rows), "text/csv"))
    app.run()
    app.button(key="import_confirm").click().run()

    assert not app.exception, app.exception
    [error] = app.error
    reference = REFERENCE.match(error.value).group(1)
    assert "Nothing was saved" in error.value
    shown = _everything_shown(app)
    assert "password_hash" not in shown and "OperationalError" not in shown
    record = _logged_reference(caplog, reference)
    assert record.levelno == logging.ERROR and record.exc_info[0] is OperationalError


def test_a_failed_update_keeps_the_text_and_gives_a_reference(app, factory, monkeypatch, caplog):
    with factory() as session:
        plan = add_plan(session, "P")
        action_id = add_action(session, plan, "Act", owners=["Kylie Thornton"]).id
        add_user(session, "owner@test.org", "owner", owner_names=["Kylie Thornton"])
        session.commit()
    monkeypatch.setattr(update_form, "submit_progress", _database_error)
    _signed_in(app, factory, "owner@test.org", "pages/my_actions.py")
    app.selectbox(key="chosen_action").set_value(action_id).run()
    app.radio(key=f"rag_{action_id}").set_value(Rag.GREEN)
    app.text_area(key=f"progress_{action_id}").input("All on track")
    next(b for b in app.button if b.label == "Save update").click().run()

    assert not app.exception, app.exception
    [error] = app.error
    reference = REFERENCE.match(error.value).group(1)
    assert "your text is still in the form" in error.value
    assert app.text_area(key=f"progress_{action_id}").value == "All on track"
    assert "password_hash" not in _everything_shown(app)
    assert _logged_reference(caplog, reference).exc_info[0] is OperationalError
