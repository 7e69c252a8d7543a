"""Engines, sessions and schema migration for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, Table, create_engine, event, insert, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_SQLITE_PATH = DATA_DIR / "tracker.db"
# Any fixed number: serialises migrations when several app instances start together.
_MIGRATION_LOCK_KEY = 7_346_201
T = TypeVar("T")
# Rows per executemany in `insert_in_batches`.
INSERT_BATCH = 1_000


def database_url() -> str:
    """`DATABASE_URL` if set, else a SQLite file under `data/`."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def normalise_url(url: str | URL) -> URL:
    """Use psycopg 3 for plain `postgresql://` URLs (SQLAlchemy's default driver is psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _configure_sqlite(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Writers wait for each other instead of failing with "database is locked".
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str | URL | None = None) -> Engine:
    parsed = normalise_url(url or database_url())
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 15})
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine | None = None) -> Config:
    """Alembic's configuration; without an engine it only reads the migration scripts."""
    config = Config()
    config.set_main_option("script_location", "plan:migrations")
    config.attributes["engine"] = engine
    return config


@contextmanager
def instances_one_at_a_time(engine: Engine, key: int) -> Iterator[None]:
    """On PostgreSQL, app instances starting together run the block one after another (an
    advisory lock held for the block); SQLite serves one machine, and needs none."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.commit()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; safe when several instances start together."""
    config = alembic_config(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
            try:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                connection.commit()
            finally:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK_KEY}
                )
                connection.commit()
    else:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed together, or rolled back together on any error."""
    with factory() as session, session.begin():
        yield session


# --- Write transactions that never show "database is locked" ----------------------------------


class Busy(Exception):
    """The database stayed busy through every retry; nothing was saved."""


@contextmanager
def write_transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A write transaction that holds the write lock from its first statement.

    SQLite: `BEGIN IMMEDIATE`, so a transaction never reads, then fails to upgrade to a writer
    (which the busy timeout cannot help with). PostgreSQL: the services lock the action rows
    they change with SELECT ... FOR UPDATE.
    """
    with factory() as session, session.begin():
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield session


def _retryable(error: DBAPIError) -> bool:
    message = str(error.orig).lower()
    if "database is locked" in message or "database is busy" in message:
        return True
    # PostgreSQL serialization failure and deadlock: the transaction may simply run again.
    return getattr(error.orig, "sqlstate", None) in ("40001", "40P01")


def run_write(
    factory: sessionmaker[Session],
    work: Callable[[Session], T],
    *,
    attempts: int = 8,
    pause: float = 0.05,
) -> T:
    """Run `work` in a write transaction, retrying (with back-off) while the database is busy."""
    for attempt in range(1, attempts + 1):
        try:
            with write_transaction(factory) as session:
                return work(session)
        except DBAPIError as error:
            if not _retryable(error):
                raise
            if attempt == attempts:
                raise Busy(
                    "The database is busy with other changes and nothing was saved: "
                    "please try again in a moment."
                ) from error
            time.sleep(pause * 2 ** (attempt - 1) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def insert_in_batches(session: Session, table: Table, rows: Iterable[dict[str, object]]) -> None:
    """Insert `rows` with one executemany per INSERT_BATCH rows, in the caller's transaction.

    A 20,000-action import once bound all its rows at once: the row dicts and SQLAlchemy's
    processed parameters for every row were alive together (about 30 MB for its updates).
    Batches keep that to one batch's worth; the rows can be a generator, made as they go in.
    """
    statement = insert(table)
    source = iter(rows)
    while batch := list(islice(source, INSERT_BATCH)):
        session.execute(statement, batch)
