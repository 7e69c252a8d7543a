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
    st.Page("pages/indicators.py", title="Indicators", icon=":material/monitoring:"),
    st.Page(
        "pages/indicator.py", title="Indicator", icon=":material/show_chart:", url_path="indicator"
    ),
]
updates = [
    st.Page("pages/sign_in.py", title="Sign in", icon=":material/login:"),
    st.Page("pages/my_actions.py", title="My actions", icon=":material/checklist:"),
    st.Page("pages/bulk_update.py", title="Bulk update", icon=":material/edit_note:"),
]
officers = [
    st.Page("pages/import_plan.py", title="Import a plan", icon=":material/upload_file:"),
    st.Page("pages/plans.py", title="Plans", icon=":material/date_range:"),
    st.Page("pages/export.py", title="Board papers", icon=":material/download:"),
    st.Page("pages/returns.py", title="Returns", icon=":material/mark_email_unread:"),
    st.Page("pages/review.py", title="Review", icon=":material/rate_review:"),
    st.Page("pages/audit_log.py", title="Audit log", icon=":material/history:"),
    st.Page("pages/users.py", title="Users", icon=":material/manage_accounts:"),
]

sections = {"Dashboard": dashboard, "Updates": updates, "Officers": officers}
navigation = st.navigation({name: pages for name, pages in sections.items() if pages})
navigation.run()
