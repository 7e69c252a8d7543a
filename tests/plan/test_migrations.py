from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from plan.database import alembic_config, make_engine, migrate
from plan.models import Base


def test_upgrade_head_creates_every_table_and_is_repeatable(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    migrate(engine)  # a second start-up finds nothing to do
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
    engine.dispose()


def test_models_and_migrations_agree(database_url):
    """Autogenerate finds nothing: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(database_url)
    migrate(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_single_head():
    script = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://")))
    assert len(script.get_heads()) == 1


def test_downgrade_to_base_and_back(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_instances_starting_together_migrate_once(postgres_server):
    """Several app processes starting at once on one empty PostgreSQL schema migrate once.

    (PostgreSQL is the several-instances set-up; SQLite is for one app process.)
    """
    import os
    import subprocess
    import sys
    import uuid

    from sqlalchemy import text

    from tests.conftest import _postgres_schema_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(postgres_server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _postgres_schema_url(postgres_server, schema)
    try:
        starts = [
            subprocess.Popen(
                [sys.executable, "-c", "from plan.database import *; migrate(make_engine())"],
                env={**os.environ, "DATABASE_URL": url},
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        failures = [p.communicate(timeout=120)[1] for p in starts if p.wait(timeout=120) != 0]
        assert failures == []
        engine = make_engine(url)
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        engine.dispose()
        assert len(versions) == 1
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _upgrade_to(engine, revision: str) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_owner_name_keys_are_backfilled_from_the_names_already_stored(database_url):
    """0005 adds name_key beside each owner name and fills it with rulebook's owner_key."""
    from sqlalchemy import text

    from rulebook.owners import owner_key

    engine = make_engine(database_url)
    _upgrade_to(engine, "0004")
    names = ["Kylie Thornton", "ÅSA  ÖBERG", "Jörg Strauß", "Zoe\u0308 Ku\u0308hn"]
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO plans (id, name, created_at) VALUES (1, 'VAWG', :now)"),
            {"now": "2026-11-25 00:00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO actions (id, plan_id, text, ongoing, extra, position, created_at) "
                "VALUES (1, 1, 'Train staff', false, '{}', 0, :now)"
            ),
            {"now": "2026-11-25 00:00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO users (id, email, display_name, role, disabled, failed_attempts, "
                "created_at) VALUES (1, 'o@x.org', 'O', 'owner', false, 0, :now)"
            ),
            {"now": "2026-11-25 00:00:00"},
        )
        for position, name in enumerate(names):
            connection.execute(
                text("INSERT INTO action_owners (action_id, name, position) VALUES (1, :n, :p)"),
                {"n": name, "p": position},
            )
            connection.execute(
                text("INSERT INTO user_owner_names (user_id, name) VALUES (1, :n)"), {"n": name}
            )
    migrate(engine)
    with engine.connect() as connection:
        for table in ("action_owners", "user_owner_names"):
            stored = connection.execute(text(f"SELECT name, name_key FROM {table}")).all()
            assert sorted(stored) == sorted((name, owner_key(name)) for name in names)
    engine.dispose()


def test_updates_recorded_before_review_are_published(database_url):
    """0011: every update already stored counts as published; no plan starts with review on."""
    from sqlalchemy import text

    engine = make_engine(database_url)
    _upgrade_to(engine, "0009")
    now = {"now": "2026-11-25 00:00:00"}
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO plans (id, name, created_at) VALUES (1, 'VAWG', :now)"), now
        )
        connection.execute(
            text(
                "INSERT INTO actions (id, plan_id, text, ongoing, extra, position, created_at) "
                "VALUES (1, 1, 'Train staff', false, '{}', 0, :now)"
            ),
            now,
        )
        connection.execute(
            text(
                "INSERT INTO progress_updates (id, action_id, rag, status, author, source, "
                "recorded_at) VALUES (1, 1, 'Red', 'in progress', 'Jo', 'form', :now)"
            ),
            now,
        )
    migrate(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT review_state FROM progress_updates")).all() == [
            ("published",)
        ]
        assert connection.execute(text("SELECT review_required, rag_key FROM plans")).all() == [
            (False, None)
        ]
        assert connection.execute(text("SELECT count(*) FROM actions")).scalar() == 1
    engine.dispose()


def test_described_days_are_backfilled_from_when_entries_were_recorded(database_url):
    """0012: every stored entry describes the (UTC) day it was recorded, every action is
    listed from the day it was created, and nothing that refers to an action is lost."""
    from sqlalchemy import text

    engine = make_engine(database_url)
    _upgrade_to(engine, "0009")
    utc = "+00:00" if engine.dialect.name == "postgresql" else ""
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO plans (id, name, created_at) VALUES (1, 'VAWG', :now)"),
            {"now": f"2026-05-01 08:00:00{utc}"},
        )
        connection.execute(
            text(
                "INSERT INTO actions (id, plan_id, text, ongoing, extra, position, created_at) "
                "VALUES (1, 1, 'Train staff', false, '{}', 0, :now)"
            ),
            {"now": f"2026-05-01 23:59:00{utc}"},
        )
        connection.execute(
            text(
                "INSERT INTO action_owners (action_id, name, name_key, position) "
                "VALUES (1, 'Police', 'police', 0)"
            )
        )
        for moment in ("2026-06-30 23:30:00", "2026-07-01 00:10:00"):
            connection.execute(
                text(
                    "INSERT INTO progress_updates (action_id, rag, status, author, source, "
                    "recorded_at) VALUES (1, 'Red', 'in progress', 'A', 'form', :at)"
                ),
                {"at": moment + utc},
            )
    migrate(engine)
    with engine.connect() as connection:
        days = connection.execute(
            text("SELECT described_on FROM progress_updates ORDER BY id")
        ).scalars()
        assert [str(day) for day in days] == ["2026-06-30", "2026-07-01"]
        listed = connection.execute(text("SELECT described_from FROM actions")).scalar()
        assert str(listed) == "2026-05-01"
        owners = connection.execute(text("SELECT name FROM action_owners")).scalars().all()
        assert owners == ["Police"]
    engine.dispose()
