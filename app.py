"""Delivery Plan Tracker: sets the page up and routes. Pages live in pages/."""

import streamlit as st

st.set_page_config(
    page_title="Delivery Plan Tracker",
    page_icon=":material/assignment_turned_in:",
    layout="wide",
)

dashboard = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    # dashboard pages (issue 4)
]
updates = [
    # sign-in, my actions, update form (issue 5)
]
officers = [
    # import (issue 3), export (issue 6), audit and users (issue 5)
]

sections = {"Dashboard": dashboard, "Updates": updates, "Officers": officers}
navigation = st.navigation({name: pages for name, pages in sections.items() if pages})
navigation.run()
