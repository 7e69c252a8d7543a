"""Fixtures: a fresh, migrated database per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from plan.database import make_engine, make_session_factory, migrate, normalise_url
from tests.clock import OPTION, start_moved_clock

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
_CLOCK = pytest.StashKey[object]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        OPTION,
        type=int,
        default=0,
        metavar="N",
        help="run the tests with this process's clock moved N days (e.g. 365 or -365): "
        "date.today(), datetime.now() and time.time() move, PostgreSQL's now() does not",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Moved here rather than in a session fixture so that collection (module-level constants)
    # sees the moved clock too, as under `faketime`.
    config.stash[_CLOCK] = start_moved_clock(config.getoption(OPTION))


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_CLOCK, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    offset = config.getoption(OPTION)
    if offset:
        return f"clock moved {offset:+d} days: today is {dt.date.today().isoformat()}"
    return None


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The PostgreSQL test server; unreachable is a failure, never a skip."""
    engine = make_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_URL} ({error.__class__.__name__}). "
            "Start it (see README) or set TEST_DATABASE_URL.",
            pytrace=False,
        )
    finally:
        engine.dispose()
    return POSTGRES_URL


def _postgres_schema_url(base: str, schema: str) -> str:
    url = normalise_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """A URL to an empty database: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    base = request.getfixturevalue("postgres_server")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _postgres_schema_url(base, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(database_url) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def factory(engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(factory) -> Iterator[Session]:
    with factory() as session:
        yield session


def backend(url: str) -> str:
    return make_url(url).get_backend_name()
