"""Long lists of indicators a page at a time: which indicators are selected (the RAG filter
applied in SQL, on each one's latest figure), in plan order, counted and paged in SQL, so a
page reads the figures of its own indicators only, however many a partnership keeps."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from plan.models import Indicator, Objective, Plan
from plan.queries.indicators import (
    IndicatorRow,
    indicator_rows,
    latest_figures,
    selected_indicators,
)
from plan.queries.state import Selection
from rulebook.rag import Rag

INDICATORS_PER_PAGE = 50


def _rag_matches(rag: ColumnElement, rags: tuple[Rag | None, ...]) -> ColumnElement[bool]:
    """The RAG filter on a latest figure's RAG (None in `rags`: not rated, or no figure)."""
    words = [r.value for r in rags if r is not None]
    conditions: list[ColumnElement[bool]] = [rag.in_(words)] if words else []
    if None in rags:
        conditions.append(rag.is_(None))
    return or_(*conditions) if conditions else false()


def _in_plan_order(
    selection: Selection, as_at: dt.date | None, *columns: ColumnElement | InstrumentedAttribute
) -> Select:
    """`columns` of the selected indicators, in plan order."""
    query = (
        select(*columns)
        .select_from(Indicator)
        .join(Plan, Plan.id == Indicator.plan_id)
        .outerjoin(Objective, Objective.id == Indicator.objective_id)
        .where(*selected_indicators(selection))
        .order_by(Plan.name, Objective.position, Indicator.position, Indicator.id)
    )
    if selection.rags:
        latest = latest_figures(selection, as_at)
        query = query.outerjoin(latest, latest.c.indicator_id == Indicator.id).where(
            _rag_matches(latest.c.rag, selection.rags)
        )
    return query


def indicator_options(
    session: Session, selection: Selection, as_at: dt.date | None
) -> dict[int, str]:
    """Every selected indicator's "ref name" by id, in plan order: a select box's options."""
    return {
        row.id: f"{row.ref} {row.name}"
        for row in session.execute(
            _in_plan_order(selection, as_at, Indicator.id, Indicator.ref, Indicator.name)
        )
    }


def indicator_count(session: Session, selection: Selection, as_at: dt.date | None) -> int:
    """How many indicators are selected (the RAG filter on their latest figure as at `as_at`)."""
    ordered = _in_plan_order(selection, as_at, Indicator.id).order_by(None)
    return session.scalar(select(func.count()).select_from(ordered.subquery())) or 0


def indicator_page(
    session: Session,
    selection: Selection,
    as_at: dt.date | None,
    offset: int = 0,
    limit: int = INDICATORS_PER_PAGE,
) -> list[IndicatorRow]:
    """The selected indicators from `offset` in plan order (at most `limit`), with their
    figures as at `as_at`: only these indicators' values and targets are read."""
    ordered = _in_plan_order(selection, as_at, Indicator.id)
    ids = list(session.scalars(ordered.offset(offset).limit(limit)))
    return indicator_rows(session, selection, as_at, ids) if ids else []
