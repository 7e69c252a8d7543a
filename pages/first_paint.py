"""A head start for the first screen on a browser tab's first visit.

On a session's first run the browser has yet to load the scripts that tables and sidebar
widgets need (the data grid's alone is about 1.2 MB), and it draws nothing of a page until it
has built every element that has arrived. Streamlit has no way to flush what has been sent, so
the Overview pauses briefly after its first screen (figures, what is late, what changed): the
browser draws those first, then loads the rest. Later runs in the same tab (filter changes,
moving between pages) have the scripts already and never pause. README, "In the browser".
"""

from __future__ import annotations

import time

import streamlit as st

# Long enough for the browser to draw a few figures on a busy two-core machine (measured:
# README, "In the browser"); short beside the table's own script load, which follows it.
HEAD_START_SECONDS = 0.3
_FIRST_SCREEN_DRAWN = "_first_screen_drawn"


def head_start(pause: float = HEAD_START_SECONDS) -> bool:
    """Pause once per session, after the first screen has been sent; whether it paused."""
    if st.session_state.get(_FIRST_SCREEN_DRAWN):
        return False
    st.session_state[_FIRST_SCREEN_DRAWN] = True
    time.sleep(pause)
    return True
