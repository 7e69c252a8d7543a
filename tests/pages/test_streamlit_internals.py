"""The one Streamlit internal the app relies on, so that an upgrade cannot change it silently.

pages/__init__.py sets `PagesManager.uses_pages_directory = False` (streamlit.runtime, not a
public API). Streamlit has no option to ignore a folder named `pages/` next to the entry script:
it only stops treating it as an old-style page directory once some session has called
`st.navigation`. Until then, the first visit after a restart to a deep link such as /overdue runs
that page on its own, without app.py's set-up and routing. Streamlit's own advice is to name the
folder something else, which the product layout rules out, so Streamlit is pinned to the minor
version these tests passed on (pyproject.toml) and these tests say what changed when they fail.

Each scenario runs in a fresh interpreter: pages/__init__.py acts when the `pages` package is
first imported, which happens once per process.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import streamlit
from streamlit.runtime.pages_manager import PagesManager

ROOT = Path(__file__).resolve().parents[2]
CAUSE = (
    f"pages/__init__.py relies on streamlit.runtime.pages_manager.PagesManager."
    f"uses_pages_directory, checked on Streamlit 1.67 (installed: {streamlit.__version__}). "
)

# A first visit straight to /overdue: AppTest hashes the file name before the first run, as a
# browser's deep link does. Counts app.py's st.navigation calls (Streamlit's own old-style
# routing calls an internal function, not st.navigation).
PROBE = """
import json, sys
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

calls = []
navigation = st.navigation

def recording(*args, **kwargs):
    calls.append(1)
    return navigation(*args, **kwargs)

st.navigation = recording
if sys.argv[2] == "without-reset":
    import pages  # imported outside a page run: its __init__ finds nothing to reset
at = AppTest.from_file(sys.argv[1], default_timeout=60)
at.switch_page("pages/overdue.py").run()
print(json.dumps({
    "app_navigation_calls": len(calls),
    "titles": [title.value for title in at.title],
    "exceptions": [str(error.message) for error in at.exception],
    "uses_pages_directory": PagesManager.uses_pages_directory,
}))
"""


def first_deep_link(tmp_path: Path, mode: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "TRACKER_LOAD_DEMO": "0",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT / "app.py"), mode],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, f"the probe failed:\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_flag_is_still_a_pages_manager_class_attribute():
    assert "uses_pages_directory" in vars(PagesManager), (
        CAUSE + "The attribute is gone: find how this Streamlit version decides to run a "
        "pages/ folder as old-style pages, and change pages/__init__.py to match."
    )


def test_a_first_deep_link_opens_the_page_inside_app_routing(tmp_path):
    seen = first_deep_link(tmp_path, "with-reset")
    assert seen["exceptions"] == [], seen
    assert seen["titles"] == ["Overdue actions"], seen
    assert seen["app_navigation_calls"] >= 1 and seen["uses_pages_directory"] is False, (
        CAUSE + "Resetting it no longer makes Streamlit rerun through app.py: a first visit to "
        f"a deep link runs the page without app.py's set-up and routing. Seen: {seen}"
    )


def test_streamlit_still_needs_the_reset(tmp_path):
    seen = first_deep_link(tmp_path, "without-reset")
    assert seen["app_navigation_calls"] == 0 and seen["uses_pages_directory"] is True, (
        CAUSE + "Without the reset, Streamlit now routes a first deep link through app.py by "
        "itself: the workaround in pages/__init__.py may be unnecessary. Check a deep link "
        f"after a restart by hand, then remove it and this test. Seen: {seen}"
    )
