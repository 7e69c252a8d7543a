"""Delivery Plan Tracker: sets the page up and routes. Pages live in pages/."""

import streamlit as st

st.set_page_config(
    page_title="Delivery Plan Tracker",
    page_icon=":material/assignment_turned_in:",
    layout="wide",
)

navigation = st.navigation(
    [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    ]
)
navigation.run()
