"""Overview: where are we, what is off track, what is late, what changed.

The first screen (at 1366x768 and up) answers those three questions with compact figures and
the worst few actions; the chart and the full list follow. The RAG figures are sent
before the sidebar's widgets and before anything else that needs the browser to load more
script, and no chart library is loaded at all (README, "In the browser").
"""

import streamlit as st

from pages.charts import rag_by_objective, rag_by_plan
from pages.common import page_data
from pages.filters import closed_plan_note, filters_first
from pages.first_paint import head_start
from pages.overview_parts import (
    FIRST_SCREEN_CSS,
    OFF_TRACK_SHOWN,
    figures,
    off_track_list,
    phone_cards,
    rag_figures,
)
from pages.rag_key import show_rag_key
from pages.tables import page_picker, show_actions
from plan.queries import action_views, off_track_actions, plan_overview
from rulebook.dates import format_uk_date
from rulebook.overdue import DUE_SOON_DAYS
from rulebook.rag import RAG_ORDER, Rag, rag_label

# More objective bars than fit a projected screen: the chart shows one bar per plan instead.
CHART_OBJECTIVES = 24
INDICATOR_RAGS = (Rag.RED, Rag.AMBER, Rag.GREEN, None)

st.title("Overview")
data = page_data()
first = filters_first(data)
if first is None:
    st.stop()
filters, draw_filters = first

overview = data.query(
    plan_overview,
    selection=filters.selection,
    as_at=filters.as_at,
    compared_with=filters.compared_with,
    action_limit=0,  # listed a page at a time below
)
since = format_uk_date(filters.compared_with)

closed_plan_note(filters)
st.caption(
    f"{filters.describe()}. {overview.rag.total:,} actions in the rollup"
    + (f"; {overview.rag.cancelled:,} cancelled left out." if overview.rag.cancelled else ".")
)
# Thousands separators, so that a county-wide count such as 11,204 reads at a glance.
rag_figures({rag: overview.rag.of(rag) for rag in RAG_ORDER})
# After the first figures: the style compacts them, and st.html needs a script that the
# browser would otherwise load before drawing any figure.
st.html(FIRST_SCREEN_CSS)

listed = overview.rag.total + overview.rag.cancelled
late, changed = st.columns([3, 2], gap="medium")
with changed:
    st.markdown(f"**What changed since {since}**")
    figures(
        "changes",
        [
            ("Updates", overview.updates_since, f"Progress updates recorded after {since}"),
            ("↗ Improved", overview.movement.improved, None),
            ("↘ Worsened", overview.movement.worsened, None),
            ("• New", overview.movement.new, None),
            ("★ Completed", overview.movement.completed, None),
        ],
    )
with late:
    st.markdown("**Off track and late**")
    figures(
        "late",
        [
            ("⚠ Overdue", overview.overdue, None),
            (f"Due in {DUE_SOON_DAYS} days", overview.due_soon, None),
        ],
    )
    if listed:
        off_track_list(
            data.query(
                off_track_actions,
                selection=filters.selection,
                as_at=filters.as_at,
                limit=OFF_TRACK_SHOWN,
            )
        )

# The first screen is sent; the sidebar's widgets and the table below need scripts that
# the browser loads on a tab's first visit, so it gets to draw the first screen before them.
head_start()
draw_filters()

# The plan's own words for each rating, under the first screen (the figures and the worst
# actions must fit a projected 1366x768 screen above it).
show_rag_key(data, filters.selection.plan_id)

# Indicators beside the actions: the selected indicators by the RAG of their latest figure;
# four zeros for a plan that has none would read as four findings.
if any(overview.indicator_rag.values()):
    figures(
        "indicators",
        [
            (f"Indicators {rag_label(rag)}", overview.indicator_rag[rag], None)
            for rag in INDICATOR_RAGS
        ],
        width=170,  # "Indicators – Not rated" in full
    )
else:
    st.caption("No indicators for the plans shown.")

if not listed:
    st.info("No actions match these filters on that date. Clear a filter in the sidebar.")
    st.stop()

if len(overview.by_objective) <= CHART_OBJECTIVES or len(overview.by_plan) == 1:
    st.subheader("RAG by objective")
    st.html(rag_by_objective(overview.by_objective))
else:
    st.subheader("RAG by plan")
    st.caption(
        f"{len(overview.by_objective)} objectives in {len(overview.by_plan)} plans: "
        "choose a plan in the sidebar to see its objectives."
    )
    st.html(rag_by_plan(overview.by_plan))

st.subheader("Actions")
offset, limit = page_picker(listed, key="overview_page", filters=filters, order="in plan order")
actions = data.query(
    action_views,
    selection=filters.selection,
    as_at=filters.as_at,
    compared_with=filters.compared_with,
    limit=limit,
    offset=offset,
)
with st.container(key="overview_table"):
    show_actions(actions, key="overview_actions")
phone_cards(actions)
