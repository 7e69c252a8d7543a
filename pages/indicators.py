"""Indicators: per objective, each indicator's latest value, target, RAG and direction of travel
against the last period and the same period last year, with a small trend; 50 indicators a
page, the counts above them counting every indicator selected."""

import pandas as pd
import streamlit as st

from pages.common import page_data, style_rag_column
from pages.filters import filter_bar
from pages.indicator_display import figure_text
from pages.tables import page_picker
from pages.text import md
from plan.queries.indicator_lists import INDICATORS_PER_PAGE, indicator_count, indicator_page
from plan.queries.indicators import indicator_rag_counts
from rulebook.indicators import direction_text
from rulebook.rag import Rag, rag_label

st.title("Indicators")
data = page_data()
filters = filter_bar(data, with_comparison=False)
if filters is None:
    st.stop()
st.caption(
    f"{filters.describe()}. Each indicator's latest period with a value known on that date; "
    "RAG against its target (contextual indicators have none)."
)

counts = data.query(indicator_rag_counts, selection=filters.selection, as_at=filters.as_at)
columns = st.columns(4)
for column, rag in zip(columns, (Rag.RED, Rag.AMBER, Rag.GREEN, None), strict=True):
    column.metric(f"Indicators {rag_label(rag)}", counts[rag])

total = data.query(indicator_count, selection=filters.selection, as_at=filters.as_at)
if not total:
    st.info("No indicators match these filters on that date.")
    st.stop()
offset, limit = page_picker(
    total,
    key="indicators_page",
    filters=filters,
    order="in plan order",
    noun="Indicators",
    size=INDICATORS_PER_PAGE,
)
rows = data.query(
    indicator_page, selection=filters.selection, as_at=filters.as_at, offset=offset, limit=limit
)
if any(row.demo for row in rows):
    st.warning("Demo data: the demo indicators' values are made up, for trying the tracker.")

groups: dict[tuple[str, str], list] = {}
for row in rows:
    groups.setdefault((row.plan, row.objective or "No objective"), []).append(row)
for (plan, objective), members in groups.items():
    st.subheader(md(objective), anchor=False)  # the plan's words, shown as written
    st.caption(md(plan))
    frame = pd.DataFrame(
        [
            {
                "Ref": row.ref,
                "Indicator": row.name + (" (demo)" if row.demo else ""),
                "Period": row.latest.period.label if row.latest else "",
                "Value": figure_text(row.latest, row.unit) if row.latest else "No value yet",
                "Target": figure_text(row.latest, row.unit, target=True) if row.latest else "",
                "RAG": rag_label(row.latest.rag if row.latest else None),
                "vs last period": direction_text(row.direction_previous),
                "vs last year": direction_text(row.direction_last_year),
                "Trend": [v for v in row.trend if v is not None],
                "Details": f"indicator?indicator={row.id}",
            }
            for row in members
        ]
    )
    st.dataframe(
        style_rag_column(frame, "RAG"),
        hide_index=True,
        width="stretch",
        column_config={
            "Trend": st.column_config.LineChartColumn(width="small"),
            # Medium, so the trend and the link fit a laptop's width beside it.
            "Indicator": st.column_config.TextColumn(width="medium"),
            "Details": st.column_config.LinkColumn(display_text="Open", width=70),
        },
    )
st.page_link(
    "pages/indicator.py",
    label="Open an indicator's chart and history",
    icon=":material/show_chart:",
)
