"""review before publication and the plan's RAG key

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-05

Issue 18: per plan, whether owners' updates wait for review and the plan's own RAG key; per
progress update, its review state (existing updates are published); the officers' decisions
on submissions (update_reviews, append-only). The hot "newest update" index gains the review
state, so "newest published update" is still answered from the index alone.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTERs, not batch mode: on SQLite a batch would copy `plans` into a new table and drop
# the old one, and with foreign keys on, dropping it would cascade to every action.
_OLD_INDEX = ["action_id", "recorded_at", "id"]
_INDEX = "ix_progress_updates_action_id_recorded_at"


def upgrade() -> None:
    op.create_table(
        "update_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum("published", "returned", name="review_outcome", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.String(length=320), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_update_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["published_update_id"],
            ["progress_updates.id"],
            name=op.f("fk_update_reviews_published_update_id_progress_updates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["update_id"],
            ["progress_updates.id"],
            name=op.f("fk_update_reviews_update_id_progress_updates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_update_reviews")),
        sa.UniqueConstraint("update_id", name=op.f("uq_update_reviews_update_id")),
    )
    op.add_column(
        "plans",
        sa.Column("review_required", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.add_column("plans", sa.Column("rag_key", sa.JSON(), nullable=True))
    op.add_column(
        "progress_updates",
        sa.Column(
            "review_state",
            sa.Enum("published", "submitted", name="review_state", native_enum=False, length=20),
            server_default="published",
            nullable=False,
        ),
    )
    op.drop_index(_INDEX, table_name="progress_updates")
    op.create_index(_INDEX, "progress_updates", [*_OLD_INDEX, "review_state"], unique=False)


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="progress_updates")
    op.create_index(_INDEX, "progress_updates", _OLD_INDEX, unique=False)
    op.drop_column("progress_updates", "review_state")
    op.drop_column("plans", "rag_key")
    op.drop_column("plans", "review_required")
    op.drop_table("update_reviews")
