"""Owners: each owner's actions by RAG, and who has not updated since the comparison date."""

import pandas as pd
import streamlit as st

from pages.common import page_data
from pages.filters import filter_bar
from plan.queries import owner_summaries
from rulebook.dates import format_uk_date
from rulebook.rag import RAG_ORDER, rag_label

st.title("Owners")
data = page_data()
filters = filter_bar(data)
if filters is None:
    st.stop()

summaries = data.query(
    owner_summaries,
    selection=filters.selection,
    as_at=filters.as_at,
    compared_with=filters.compared_with,
)

st.caption(
    f"{filters.describe()}. Owners with actions not updated since "
    f"{format_uk_date(filters.compared_with)} come first: they are the ones to chase."
)
if not summaries:
    st.info("No owners match these filters.")
    st.stop()

not_updated = f"No update since {format_uk_date(filters.compared_with)}"
frame = pd.DataFrame(
    [
        {
            "Owner": summary.owner,
            "Actions": summary.rag.total,
            **{rag_label(rag): summary.rag.of(rag) for rag in RAG_ORDER},
            "⚠ Overdue": summary.overdue,
            not_updated: summary.not_updated_since,
        }
        for summary in summaries
    ]
)
st.dataframe(frame, hide_index=True, width="stretch", height="content")  # no inner scroll
