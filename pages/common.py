"""What every page shares: the database connection and RAG display helpers."""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from plan.bootstrap import demo_requested, prepare_database
from plan.database import database_url, make_engine
from plan.queries import data_version
from rulebook.rag import RAG_COLOURS, RAG_TEXT_COLOURS, Rag, rag_label


@st.cache_resource(show_spinner="Opening the plan database…")
def session_factory(url: str | None = None) -> sessionmaker[Session]:
    """One engine per process; migrated, and the demo plans loaded into an empty database."""
    load_demo = demo_requested(os.environ)  # only where asked for: see its docstring
    return prepare_database(make_engine(url or database_url()), load_demo=load_demo)


@st.cache_resource
def _query_cache() -> dict:
    """Process-wide results of dashboard queries, keyed by database, data version and inputs."""
    return {}


_CACHE_SIZE = 128


def clear_query_cache() -> None:
    """Forget every cached figure, as a data change would (benchmarks time the first load)."""
    _query_cache().clear()


def cached_query(query, **arguments):
    """Run a `plan.queries` function, or reuse its result if no data has changed since.

    Each call checks the data version first (three index lookups), so an update saved in any
    session or any app instance on the same database shows on the next page run.
    """
    factory = session_factory()
    with factory() as session:
        key = (
            str(factory.kw["bind"].url),
            data_version(session),
            query.__name__,
            repr(sorted(arguments.items())),
        )
        cache = _query_cache()
        if key in cache:
            return cache[key]
        result = query(session, **arguments)
    if len(cache) >= _CACHE_SIZE:
        cache.pop(next(iter(cache)))
    cache[key] = result
    return result


def today() -> dt.date:
    return dt.date.today()


def rag_cell_style(label: str) -> str:
    """CSS for a table cell holding a RAG label such as "✖ Red"."""
    for rag in (*Rag, None):
        if label == rag_label(rag):
            return f"background-color: {RAG_COLOURS[rag]}; color: {RAG_TEXT_COLOURS[rag]}"
    return ""


def style_rag_column(frame: pd.DataFrame, column: str = "RAG"):
    return frame.style.map(rag_cell_style, subset=[column])
