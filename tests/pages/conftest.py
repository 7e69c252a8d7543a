"""AppTest fixtures: the whole app on the test's own database."""

import datetime as dt
import html
import re
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


def shown(markdown: str) -> str:
    """What a reader sees of Markdown that pages.text.md escaped: no backslashes before
    punctuation, no invisible word joiners, and each hard line break as a new line."""
    text = markdown.replace("\u2060", "").replace("  \n", "\n")
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def metrics(at) -> dict[str, int]:
    """Each metric's label and the number it shows ("11,204" reads as 11204)."""
    return {m.label: int(m.value.replace(",", "")) for m in at.metric}


def html_of(app, marker: str) -> str:
    (body,) = [h.value for h in app.get("html") if marker in h.value]
    return body


def chart_bars(app) -> dict[str, dict[str, int]]:
    """The RAG chart as {bar label: {RAG label: count}}, read from its HTML."""
    body = html_of(app, 'class="rag-chart"')
    bars = {}
    for label, segments in re.findall(
        r'class="rag-label">(.*?)</div>.*?class="rag-bar"[^>]*>(.*?)</div>', body
    ):
        found = re.findall(r'title="([^"]+): ([0-9,]+)"', segments)
        bars[html.unescape(label)] = {rag: int(n.replace(",", "")) for rag, n in found}
    return bars


def off_track_items(app) -> list[str]:
    items = re.findall(r"<li>(.*?)</li>", html_of(app, 'class="off-track"'))
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).replace(" ", " ") for item in items]


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """The bytes behind each download button the app offers, by the file id in its url.

    AppTest keeps downloads in a MemoryMediaFileStorage it makes for each run; this records
    what the page hands it, so a test reads the very bytes a browser would download.
    """
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, bytes] = {}
    keep = MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = keep(self, path_or_data, mimetype, kind, filename)
        files[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    return files


def downloaded(at, key: str, downloads: dict[str, bytes]) -> bytes:
    """What the download button with this key gives (see the `downloads` fixture)."""
    button = next(b for b in at.get("download_button") if b.key == key)
    return downloads[Path(button.proto.url).stem]
