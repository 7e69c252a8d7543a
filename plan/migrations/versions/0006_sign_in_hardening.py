"""sign-in hardening

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

Failed sign-ins move from three columns on `users` to `sign_in_throttle`, counted per e-mail as
typed (with or without an account) and per client address, each row locked while it changes.
`users.session_version` goes up when a password is reset or an account disabled: sessions
signed in before that end.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_throttle")),
    )
    op.create_index(
        op.f("ix_sign_in_throttle_last_failed_at"), "sign_in_throttle", ["last_failed_at"]
    )
    # Plain ALTER TABLE, never batch mode: on SQLite, batch mode copies and drops `users`,
    # and dropping it would cascade to every linked owner name (SQLite >= 3.35 drops columns).
    for column in ("locked_until", "last_failed_at", "failed_attempts"):
        op.drop_column("users", column)
    op.add_column(
        "users", sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    op.drop_column("users", "session_version")
    op.add_column(
        "users", sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("users", sa.Column("last_failed_at", sa.DateTime(timezone=True)))
    op.add_column("users", sa.Column("locked_until", sa.DateTime(timezone=True)))
    op.drop_index(op.f("ix_sign_in_throttle_last_failed_at"), table_name="sign_in_throttle")
    op.drop_table("sign_in_throttle")
