"""An indicator's values over time, with its target line and tolerance band (plotly)."""

from __future__ import annotations

import plotly.graph_objects as go

from pages.text import chart_text
from plan.queries.indicators import IndicatorRow
from rulebook.indicators import Polarity, ToleranceKind
from rulebook.rag import RAG_SYMBOL


def _margin(target: float, kind: ToleranceKind, tolerance: float) -> float:
    return tolerance if kind is ToleranceKind.ABSOLUTE else abs(target) * tolerance / 100


def indicator_chart(row: IndicatorRow) -> go.Figure:
    """Values (with each point's RAG symbol), the target and the Amber band beside it."""
    figure = go.Figure()
    periods = [f.period.label for f in row.figures]
    with_targets = [f for f in row.figures if f.target is not None]
    if with_targets and row.polarity is not Polarity.CONTEXTUAL:
        sign = -1 if row.polarity is Polarity.HIGHER_IS_BETTER else 1
        edge = [
            f.target + sign * _margin(f.target, *row.tolerance)
            for f in with_targets
            if f.target is not None
        ]
        labels = [f.period.label for f in with_targets]
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=[f.target for f in with_targets],
                mode="lines",
                line={"dash": "dash", "color": "#555555"},
                name="Target",
            )
        )
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=edge,
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor="rgba(242,169,0,0.25)",
                name="Amber band (within tolerance)",
            )
        )
    entered = [f for f in row.figures if f.value is not None]
    figure.add_trace(
        go.Scatter(
            x=[f.period.label for f in entered],
            y=[f.value for f in entered],
            mode="lines+markers+text",
            text=[RAG_SYMBOL[f.rag] if f.rag else "" for f in entered],
            textposition="top center",
            line={"color": "#1F5FAD", "width": 3},
            name="Value",
        )
    )
    figure.update_layout(
        title=chart_text(f"{row.ref} {row.name}"),
        xaxis={"categoryorder": "array", "categoryarray": periods, "title": "Period"},
        yaxis={"title": chart_text(row.unit)},
        legend={"orientation": "h"},
        margin={"t": 60, "b": 40},
        height=420,
    )
    return figure
