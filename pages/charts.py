"""Plotly figures for the dashboard. RAG colours always come with a word and a symbol."""

from __future__ import annotations

import plotly.graph_objects as go

from pages.text import chart_text
from plan.queries import HistoryEntry, ObjectiveRollup, PlanRollup, RagCounts
from rulebook.dates import format_uk_date
from rulebook.rag import RAG_COLOURS, RAG_ORDER, RAG_SEVERITY, RAG_TEXT_COLOURS, rag_label

# Bars also carry a hatch pattern, so they differ without colour too (and in print).
_PATTERNS = {0: "x", 1: "/", 2: ".", 3: "+", 4: ""}


def _shortened(text: str, most: int = 48) -> str:
    return text if len(text) <= most else text[: most - 2] + "…"


def objective_label(rollup: ObjectiveRollup) -> str:
    return _shortened(f"{rollup.ref}. {rollup.title}" if rollup.ref else rollup.title)


def rag_by_objective(rollups: list[ObjectiveRollup]) -> go.Figure:
    return rag_bars([objective_label(r) for r in rollups], [r.rag for r in rollups])


def rag_by_plan(rollups: list[PlanRollup]) -> go.Figure:
    return rag_bars([_shortened(r.plan) for r in rollups], [r.rag for r in rollups])


def rag_bars(labels: list[str], rags: list[RagCounts]) -> go.Figure:
    """One stacked horizontal bar per label, a segment per RAG with its count written in.

    Labels are plan and objective names: Plotly would read tags such as <a href> in them.
    """
    labels = [chart_text(label) for label in labels]
    figure = go.Figure()
    for index, rag in enumerate(RAG_ORDER):
        counts = [r.of(rag) for r in rags]
        figure.add_bar(
            name=rag_label(rag),
            y=labels,
            x=counts,
            orientation="h",
            marker={
                "color": RAG_COLOURS[rag],
                "pattern": {
                    "shape": _PATTERNS[index],
                    "fillmode": "overlay",
                    "fgcolor": RAG_TEXT_COLOURS[rag],
                    "fgopacity": 0.35,
                },
            },
            text=[str(c) if c else "" for c in counts],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": RAG_TEXT_COLOURS[rag], "size": 15},
            hovertemplate="%{y}<br>" + rag_label(rag) + ": %{x}<extra></extra>",
        )
    figure.update_layout(
        barmode="stack",
        height=max(260, 60 + 44 * len(labels)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        # Anchored to the plot's top edge: a fraction above it grows with a tall chart.
        legend={"orientation": "h", "y": 1, "yanchor": "bottom", "x": 0, "traceorder": "normal"},
        yaxis={"autorange": "reversed"},
        xaxis={"title": "Actions"},
        font={"size": 15},
    )
    return figure


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
        xaxis={"tickformat": "%d %b %Y"},
        showlegend=False,
    )
    return figure
