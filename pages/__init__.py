"""Thin Streamlit pages, routed by app.py with st.navigation.

Streamlit still treats a folder named `pages/` as an old-style page directory until the
first `st.navigation` call in the server process. So the very first visit after a restart,
if it is a deep link such as /overdue, would run that page on its own, without app.py's set-up
and routing, and later visitors would inherit that. When a page is imported in that state,
switch Streamlit to app.py's routing and rerun, which then opens the page the link named.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.rerun()
