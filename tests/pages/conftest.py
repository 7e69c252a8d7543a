"""AppTest fixtures: the whole app on the test's own database."""

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"

# Pages read the clock ("as at" defaults to today). AppTest runs the page in this process, so a
# test whose data has fixed dates, or whose expectations need "today", moves the clock here
# with `pytestmark = pytest.mark.time_machine(PAGES_NOW)`; it keeps ticking from there.
PAGES_NOW = dt.datetime(2026, 11, 18, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def app(database_url, monkeypatch):
    """An AppTest of app.py on the test's database, without the demo plans."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TRACKER_LOAD_DEMO", "0")
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=30)
    yield at
    st.cache_resource.clear()


def metrics(at) -> dict[str, int]:
    """Each metric's label and the number it shows ("11,204" reads as 11204)."""
    return {m.label: int(m.value.replace(",", "")) for m in at.metric}
