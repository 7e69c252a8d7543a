"""Getting a database ready: migrate to head and, on first run, load the bundled demo plans."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from plan.accounts import add_demo_accounts
from plan.database import (
    DATA_DIR,
    instances_one_at_a_time,
    make_session_factory,
    migrate,
    transaction,
)
from plan.demo import DEMO_AUTHOR, DEMO_PLANS, record_demo_updates
from plan.demo_indicators import record_demo_indicators
from plan.importing import ImportReport, import_file
from plan.models import Plan

_DEMO_LOCK_KEY = 7_346_203  # any fixed number, other than the migration lock's


def demo_requested(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the demo plans and demo accounts go into an empty database. Fail closed.

    TRACKER_LOAD_DEMO=1 asks for them and 0 refuses them (any other value refuses them too).
    Unset, only the bundled SQLite file gets them, when DATABASE_URL is not set either (as on
    `./tracker app`): a database that DATABASE_URL names never gets published passwords
    unless asked.
    """
    environ = os.environ if environ is None else environ
    setting = environ.get("TRACKER_LOAD_DEMO", "").strip().lower()
    if setting:
        return setting in ("1", "true", "yes")
    return not environ.get("DATABASE_URL")


def load_demo_plans(factory: sessionmaker[Session]) -> list[ImportReport]:
    """Import the demo plans as first reviewed in their periods, then add the demo progress
    and the demo indicators with their quarters of values."""
    reports = [
        import_file(
            factory,
            (DATA_DIR / demo.file).read_bytes(),
            demo.file,
            plan_name=demo.name,
            author=DEMO_AUTHOR,
            now=demo.imported_at,
            period=demo.period or (None, None),
        )
        for demo in DEMO_PLANS
    ]
    with transaction(factory) as session:
        record_demo_updates(session)
        record_demo_indicators(session)
    return reports


def prepare_database(engine: Engine, *, load_demo: bool) -> sessionmaker[Session]:
    """Migrate, then load the demo plans into a database that has no plans yet."""
    migrate(engine)
    factory = make_session_factory(engine)
    if load_demo:
        # Instances starting together load the demo once, and none shows it half loaded.
        with instances_one_at_a_time(engine, _DEMO_LOCK_KEY):
            with factory() as session:
                empty = session.scalar(select(func.count(Plan.id))) == 0
            if empty:
                with contextlib.suppress(IntegrityError):
                    load_demo_plans(factory)
                # Demo accounts come only with the demo plans: a real deployment has none.
                with contextlib.suppress(IntegrityError), transaction(factory) as session:
                    add_demo_accounts(session)

    return factory
