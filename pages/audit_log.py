"""Audit log (admins): who changed what and when, filtered, and exported as CSV."""

import pandas as pd
import streamlit as st

from pages.common import session_factory
from pages.session import require_actor
from plan.audit import AuditEvent, AuditFilter, audit_log, entries_to_csv, entry_shown
from plan.auth import Permission

actor = require_actor(Permission.VIEW_AUDIT)
factory = session_factory()
st.title("Audit log")

left, middle, right = st.columns([2, 1, 1])
events = left.multiselect("Events", [e.value for e in AuditEvent], key="audit_events")
who = middle.text_input("Who (part of the e-mail)", key="audit_who")
target = right.text_input("Target (part of)", key="audit_target")
left, right, _ = st.columns([1, 1, 2])
since = left.date_input("From", value=None, format="DD/MM/YYYY", key="audit_since")
until = right.date_input("To", value=None, format="DD/MM/YYYY", key="audit_until")

where = AuditFilter(
    events=tuple(events), actor=who or None, target=target or None, since=since, until=until
)
with factory() as session:
    rows = audit_log(session, actor, where)

st.caption(f"{len(rows)} entries, newest first (up to {where.limit}). Times are UTC.")
if not rows:
    st.info("No entries match.")
    st.stop()
table = pd.DataFrame([entry_shown(row) for row in rows])
table.columns = ["When", "Who", "Event", "Target", "Details"]
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={"Details": st.column_config.TextColumn(width="large")},
)
st.download_button(
    "Download as CSV",
    entries_to_csv(rows),
    file_name="audit-log.csv",
    mime="text/csv",
    icon=":material/download:",
)
