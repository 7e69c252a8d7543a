"""Delivery Plan Tracker: sets the page up and routes. Pages live in pages/; which of them the
menu shows to whom is pages/navigation.py."""

import streamlit as st

from pages.navigation import run_navigation
from pages.style import focus_style

st.set_page_config(
    page_title="Delivery Plan Tracker",
    page_icon=":material/assignment_turned_in:",
    layout="wide",
)
focus_style()
run_navigation()
