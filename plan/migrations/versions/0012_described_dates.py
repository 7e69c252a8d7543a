"""described dates and import mappings

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

Issue 15. Every history entry keeps the day it describes beside the moment it was recorded
(an import "as at 30 Jun" loaded in October describes 30 Jun); every "as at" figure follows
the day described (rulebook.entries). Entries already stored describe the (UTC) day they were
recorded; an action is listed "as at" a day from the first day the plan is known to hold it
(described_from: existing actions, the UTC day they were created). The hot "current entry as at D" index is rebuilt in the new order
(the review state of 0011 still last). A plan remembers
the column mapping and sheet its file was last imported with (import_mappings).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REVISED = sa.text("revised_deadline IS NOT NULL")
_TABLE = "progress_updates"


def _utc_day(column: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST({column} AT TIME ZONE 'UTC' AS DATE)"
    return f"date({column})"  # SQLite stores the UTC moment as text


def _add_day_column(table: str, column: str, moment: str) -> None:
    """A non-null date column filled with the UTC day of `moment` on every existing row.

    No batch (copy-and-move) on SQLite: dropping the old `actions` table there would cascade
    to every table that refers to it. SQLite adds a NOT NULL column in place only with a
    default: the placeholder is never used (every insert gives the day, models.py).
    """
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} DATE NOT NULL DEFAULT '1970-01-01'")
    else:
        op.add_column(table, sa.Column(column, sa.Date(), nullable=True))
    op.execute(f"UPDATE {table} SET {column} = {_utc_day(moment)}")
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(table, column, existing_type=sa.Date(), nullable=False)


def upgrade() -> None:
    _add_day_column(_TABLE, "described_on", "recorded_at")
    _add_day_column("actions", "described_from", "created_at")
    op.drop_index("ix_progress_updates_action_id_recorded_at", table_name=_TABLE)
    op.drop_index("ix_progress_updates_revised_deadline", table_name=_TABLE)
    op.create_index(
        "ix_progress_updates_action_id_described_on",
        _TABLE,
        ["action_id", "described_on", "recorded_at", "id", "review_state"],
    )
    op.create_index(
        "ix_progress_updates_revised_deadline",
        _TABLE,
        ["action_id", "described_on", "recorded_at", "id"],
        sqlite_where=_REVISED,
        postgresql_where=_REVISED,
    )
    op.create_table(
        "import_mappings",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("sheet", sa.String(length=200), nullable=True),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_import_mappings_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_import_mappings")),
    )


def downgrade() -> None:
    op.drop_table("import_mappings")
    op.drop_index("ix_progress_updates_revised_deadline", table_name=_TABLE)
    op.drop_index("ix_progress_updates_action_id_described_on", table_name=_TABLE)
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), for the reason _add_day_column gives.
    op.execute(f"ALTER TABLE {_TABLE} DROP COLUMN described_on")
    op.execute("ALTER TABLE actions DROP COLUMN described_from")
    op.create_index(
        "ix_progress_updates_action_id_recorded_at",
        _TABLE,
        ["action_id", "recorded_at", "id", "review_state"],
    )
    op.create_index(
        "ix_progress_updates_revised_deadline",
        _TABLE,
        ["action_id", "recorded_at", "id"],
        sqlite_where=_REVISED,
        postgresql_where=_REVISED,
    )
