"""Charts for the dashboard. RAG colours always come with a word and a symbol."""

from __future__ import annotations

import plotly.graph_objects as go

from pages.text import html_text
from plan.queries import HistoryEntry, ObjectiveRollup, PlanRollup, RagCounts
from rulebook.dates import format_uk_date
from rulebook.rag import (
    RAG_COLOURS,
    RAG_ORDER,
    RAG_SEVERITY,
    RAG_SYMBOL,
    RAG_TEXT_COLOURS,
    Rag,
    rag_label,
    rag_name,
)


def _shortened(text: str, most: int = 48) -> str:
    return text if len(text) <= most else text[: most - 2] + "…"


def objective_label(rollup: ObjectiveRollup) -> str:
    return _shortened(f"{rollup.ref}. {rollup.title}" if rollup.ref else rollup.title)


def rag_by_objective(rollups: list[ObjectiveRollup]) -> str:
    return rag_bars([objective_label(r) for r in rollups], [r.rag for r in rollups])


def rag_by_plan(rollups: list[PlanRollup]) -> str:
    return rag_bars([_shortened(r.plan) for r in rollups], [r.rag for r in rollups])


# The chart is HTML and CSS, not Plotly: Plotly's script (megabytes) held back the page's
# first figures by seconds (README, "In the browser"), and plain HTML text keeps its colours
# where a test can measure them. Every segment carries the RAG's symbol beside its count, and
# the legend names each one, so no RAG is told by colour alone. Counts sit on solid colour in
# the RAG's own text colour (each pair at least 4.5:1); labels are the page's text colour.
RAG_CHART_CSS = """
.rag-chart {font-size: 0.95rem; color: #31333F; margin: 0 0 1rem 0;}
.rag-chart .rag-legend {display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; margin: 0 0 0.6rem 0;}
.rag-chart .rag-key {display: inline-flex; align-items: center; gap: 0.35rem;}
.rag-chart .rag-swatch {display: inline-block; min-width: 1.6rem; padding: 0 0.3rem;
  border-radius: 0.2rem; text-align: center; font-size: 0.8rem; line-height: 1.3rem;}
.rag-chart .rag-row {display: grid; grid-template-columns: minmax(8rem, 32%) 1fr;
  gap: 0.2rem 0.8rem; align-items: center; margin: 0 0 0.45rem 0;}
.rag-chart .rag-label {overflow-wrap: anywhere; line-height: 1.25rem;}
.rag-chart .rag-track {display: flex; align-items: center; gap: 0.5rem; min-width: 0;}
.rag-chart .rag-bar {display: flex; height: 1.9rem; min-width: 0; border-radius: 0.2rem;
  overflow: hidden;}
.rag-chart .rag-segment {display: flex; align-items: center; justify-content: center;
  min-width: 2.6rem; font-weight: 600; white-space: nowrap; font-size: 0.9rem;}
.rag-chart .rag-total {white-space: nowrap; font-size: 0.85rem;}
@media (max-width: 640px) {
  .rag-chart .rag-row {grid-template-columns: 1fr;}
}
"""


def _segment(rag: Rag | None, count: int) -> str:
    style = f"flex: {count} 0 0; background: {RAG_COLOURS[rag]}; color: {RAG_TEXT_COLOURS[rag]}"
    return (
        f'<span class="rag-segment" style="{style}" title="{rag_label(rag)}: {count:,}">'
        f"{RAG_SYMBOL[rag]}&nbsp;{count:,}</span>"
    )


def _row(label: str, counts: RagCounts, most: int) -> str:
    shown = [(rag, counts.of(rag)) for rag in RAG_ORDER if counts.of(rag)]
    total = sum(count for _, count in shown)
    # Bars are as long as their totals, the longest filling the track.
    width = 100 * total / most if most else 0
    segments = "".join(_segment(rag, count) for rag, count in shown)
    return (
        f'<div class="rag-row"><div class="rag-label">{html_text(label)}</div>'
        f'<div class="rag-track"><div class="rag-bar" style="width: {width:.1f}%">{segments}'
        f'</div><span class="rag-total">{total:,}</span></div></div>'
    )


def rag_bars(labels: list[str], rags: list[RagCounts]) -> str:
    """One stacked bar per label (a plan's or objective's name, shown as text), a segment
    per RAG with its symbol and count, as HTML for `st.html`."""
    most = max((sum(r.of(rag) for rag in RAG_ORDER) for r in rags), default=0)
    legend = "".join(
        f'<span class="rag-key"><span class="rag-swatch" style="background: {RAG_COLOURS[rag]};'
        f' color: {RAG_TEXT_COLOURS[rag]}">{RAG_SYMBOL[rag]}</span>{rag_name(rag)}</span>'
        for rag in RAG_ORDER
    )
    rows = "".join(_row(label, counts, most) for label, counts in zip(labels, rags, strict=True))
    return (
        f"<style>{RAG_CHART_CSS}</style>"
        f'<div class="rag-chart"><div class="rag-legend">{legend}'
        '<span class="rag-key">Bar length: actions</span></div>'
        f"{rows}</div>"
    )


def rag_history(entries: list[HistoryEntry]) -> go.Figure:
    """RAG over time as a step line: higher is worse, each point labelled with its word."""
    rated = [e for e in entries if e.rag is not None]
    figure = go.Figure()
    figure.add_scatter(
        x=[e.day for e in rated],
        y=[RAG_SEVERITY[e.rag] for e in rated],
        mode="lines+markers+text",
        line={"shape": "hv", "color": "#555555"},
        marker={"size": 16, "color": [RAG_COLOURS[e.rag] for e in rated]},
        text=[rag_label(e.rag) for e in rated],
        textposition="top center",
        hovertext=[f"{format_uk_date(e.day)}: {rag_label(e.rag)}" for e in rated],
        hoverinfo="text",
    )
    figure.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis={
            "tickvals": [RAG_SEVERITY[r] for r in RAG_ORDER if r is not None],
            "ticktext": [rag_label(r) for r in RAG_ORDER if r is not None],
            "range": [-0.6, 3.8],
        },
        xaxis={"tickformat": "%-d %b %Y"},  # 1 Nov 2013: UK style, no leading zero
        showlegend=False,
    )
    return figure
