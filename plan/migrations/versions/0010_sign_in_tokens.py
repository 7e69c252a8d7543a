"""sign-in tokens

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05

Sign-in that lasts (issue 16, item 4): one row per browser signed in, holding the SHA-256 of
the opaque token in its cookie (never the token itself, the e-mail or the role), the role and
session version it was issued for, when it expires and when (and why) it was revoked.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("ticket_hash", sa.String(length=64), nullable=True),
        sa.Column("ticket_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "officer",
                "chair",
                "owner",
                "viewer",
                name="sign_in_token_role",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sign_in_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_tokens")),
        sa.UniqueConstraint("ticket_hash", name=op.f("uq_sign_in_tokens_ticket_hash")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sign_in_tokens_token_hash")),
        # Ids are never reused (a Streamlit session holds one): AUTOINCREMENT on SQLite.
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_sign_in_tokens_user_id"), "sign_in_tokens", ["user_id"])
    op.create_index(op.f("ix_sign_in_tokens_expires_at"), "sign_in_tokens", ["expires_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_sign_in_tokens_expires_at"), table_name="sign_in_tokens")
    op.drop_index(op.f("ix_sign_in_tokens_user_id"), table_name="sign_in_tokens")
    op.drop_table("sign_in_tokens")
