"""Thin Streamlit pages, routed by app.py with st.navigation.

Streamlit still treats a folder named `pages/` as an old-style page directory until the
first `st.navigation` call in the server process. So the very first visit after a restart,
if it is a deep link such as /overdue, would run that page on its own, without app.py's set-up
and routing, and later visitors would inherit that. When a page is imported in that state,
switch Streamlit to app.py's routing and rerun, which then opens the page the link named.

Streamlit (1.67) has no supported way to do this: no option turns the old behaviour off, and its
advice is to rename the folder. This is the only place that touches the internal;
tests/pages/test_streamlit_internals.py fails, naming it, if an upgrade changes it, and
pyproject.toml keeps Streamlit on the minor version it was checked with.
"""

import os
import sys
from types import FrameType

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx


def _imported_by_app_py() -> bool:
    """Whether app.py itself is importing this package (pages.navigation, before it calls
    st.navigation): then resetting is enough, as app.py goes on to route in this same run."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    entry = os.path.realpath(ctx.main_script_path)
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        if os.path.realpath(frame.f_code.co_filename) == entry:
            return True
        frame = frame.f_back
    return False


if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    # Once per session: if the reset ever stopped working, the page would show without the
    # app's routing rather than rerun for ever.
    if not _imported_by_app_py() and not st.session_state.get("_pages_rerouted"):
        st.session_state["_pages_rerouted"] = True
        st.rerun()
