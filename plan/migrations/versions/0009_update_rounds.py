"""update rounds

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-04

Update rounds (issue 18): a round for a reporting period, the plans it covers, the actions it
asks about (fixed when it opens) and the reminder e-mails sent for it, one row per address per
day (the unique key makes a rerun on the same day send nothing twice).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "update_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=320), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=320), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_update_rounds")),
        sa.UniqueConstraint("name", name=op.f("uq_update_rounds_name")),
    )
    op.create_table(
        "update_round_plans",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_update_round_plans_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["update_rounds.id"],
            name=op.f("fk_update_round_plans_round_id_update_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "plan_id", name=op.f("pk_update_round_plans")),
    )
    with op.batch_alter_table("update_round_plans", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_update_round_plans_plan_id"), ["plan_id"], unique=False
        )
    op.create_table(
        "update_round_actions",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_update_round_actions_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["update_rounds.id"],
            name=op.f("fk_update_round_actions_round_id_update_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "action_id", name=op.f("pk_update_round_actions")),
    )
    with op.batch_alter_table("update_round_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_update_round_actions_action_id"), ["action_id"], unique=False
        )
    op.create_table(
        "reminder_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("actions", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["update_rounds.id"],
            name=op.f("fk_reminder_sends_round_id_update_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_sends")),
        sa.UniqueConstraint(
            "round_id", "email", "sent_on", name=op.f("uq_reminder_sends_round_id")
        ),
    )
    with op.batch_alter_table("reminder_sends", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_sends_round_id"), ["round_id"], unique=False)


def downgrade() -> None:
    op.drop_table("reminder_sends")
    op.drop_table("update_round_actions")
    op.drop_table("update_round_plans")
    op.drop_table("update_rounds")
