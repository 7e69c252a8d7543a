"""What every page shares: the database connection, cached figures and RAG display helpers."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from plan.bootstrap import demo_requested, prepare_database
from plan.database import database_url, make_engine
from plan.queries import data_version
from rulebook.rag import RAG_COLOURS, RAG_TEXT_COLOURS, Rag, rag_label

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

T = TypeVar("T")


@st.cache_resource(show_spinner="Opening the plan database…")
def session_factory(url: str | None = None) -> sessionmaker[Session]:
    """One engine per process; migrated, and the demo plans loaded into an empty database."""
    load_demo = demo_requested(os.environ)  # only where asked for: see its docstring
    return prepare_database(make_engine(url or database_url()), load_demo=load_demo)


# Enough for every page's figures at a few dates and selections; the oldest go first.
_CACHE_ENTRIES = 128


@st.cache_data(max_entries=_CACHE_ENTRIES, show_spinner=False)
def _figures(
    url: str,
    version: tuple[int, int, int],
    query_name: str,
    arguments: tuple[tuple[str, object], ...],
    _query: Callable[..., T],
) -> T:
    """`_query`'s result, kept by Streamlit per database, data version, query and arguments.

    Streamlit stores a pickled copy, so results must pickle (the plan.queries dataclasses do).
    """
    with session_factory()() as session:
        return _query(session, **dict(arguments))


def clear_query_cache() -> None:
    """Forget every cached figure, as a data change would (benchmarks time the first load)."""
    _figures.clear()


@dataclass(frozen=True)
class PageData:
    """The database as one page run sees it: read the data version once, then ask for figures.

    A page makes one at the top (`page_data()`) and passes it to whatever reads figures, so a
    run costs one data-version read (three index lookups) however many figures it shows. An
    update saved in any session, or through another app instance on the same database,
    changes the version, so it shows on the next page run.
    """

    url: str
    version: tuple[int, int, int]

    def query(self, query: Callable[..., T], /, **arguments: object) -> T:
        """Run a `plan.queries` function, or reuse its result if no data has changed since."""
        name = f"{query.__module__}.{query.__qualname__}"
        return _figures(self.url, self.version, name, tuple(sorted(arguments.items())), query)


def page_data() -> PageData:
    """Read the data version: once per page run, at the top of the page."""
    factory = session_factory()
    with factory() as session:
        return PageData(str(factory.kw["bind"].url), data_version(session))


def today() -> dt.date:
    return dt.date.today()


# Every date picker's range. Streamlit's default is ten years either side of the value shown,
# which would stop a plan that ended in 2014 being looked at today, or given its period.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)


def rag_cell_style(label: object) -> str:
    """CSS for a table cell holding a RAG label such as "✖ Red"."""
    for rag in (*Rag, None):
        if label == rag_label(rag):
            return f"background-color: {RAG_COLOURS[rag]}; color: {RAG_TEXT_COLOURS[rag]}"
    return ""


def style_rag_column(frame: pd.DataFrame, column: str = "RAG") -> Styler:
    return frame.style.map(rag_cell_style, subset=[column])
