"""accounts and audit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Accounts (users, the owner names they answer for), board decisions, the audit trail, and
the update form's new fields on progress_updates (all nullable: history rows keep NULL).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_actor"), ["actor"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_event"), ["event"], unique=False)
        batch_op.create_index(
            "ix_audit_entries_recorded_at_id", ["recorded_at", "id"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "officer",
                "chair",
                "owner",
                "viewer",
                name="user_role",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_signed_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "user_owner_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_owner_names_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_owner_names")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_user_owner_names_user_id")),
    )
    with op.batch_alter_table("user_owner_names", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_owner_names_name"), ["name"], unique=False)

    op.create_table(
        "board_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("author_email", sa.String(length=320), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_board_decisions_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_decisions")),
    )
    with op.batch_alter_table("board_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_board_decisions_action_id"), ["action_id"], unique=False
        )

    with op.batch_alter_table("progress_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("percent_complete", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("revised_deadline", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("revised_deadline_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("evidence_link", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("completed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("issue", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("remedy", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("author_email", sa.String(length=320), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("progress_updates", schema=None) as batch_op:
        batch_op.drop_column("author_email")
        batch_op.drop_column("remedy")
        batch_op.drop_column("issue")
        batch_op.drop_column("completed_on")
        batch_op.drop_column("evidence_link")
        batch_op.drop_column("revised_deadline_reason")
        batch_op.drop_column("revised_deadline")
        batch_op.drop_column("percent_complete")

    with op.batch_alter_table("board_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_decisions_action_id"))

    op.drop_table("board_decisions")
    with op.batch_alter_table("user_owner_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_owner_names_name"))

    op.drop_table("user_owner_names")
    op.drop_table("users")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_recorded_at_id")
        batch_op.drop_index(batch_op.f("ix_audit_entries_event"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_actor"))

    op.drop_table("audit_entries")
