"""Delivery Plan Tracker: sets the page up and routes. Pages live in pages/."""

import streamlit as st

st.set_page_config(
    page_title="Delivery Plan Tracker",
    page_icon=":material/assignment_turned_in:",
    layout="wide",
)

dashboard = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/overdue.py", title="Overdue", icon=":material/schedule:"),
    st.Page("pages/objectives.py", title="Objectives", icon=":material/flag:"),
    st.Page("pages/owners.py", title="Owners", icon=":material/group:"),
    st.Page("pages/action.py", title="Action", icon=":material/task:", url_path="action"),
    st.Page("pages/meeting.py", title="Meeting view", icon=":material/co_present:"),
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
