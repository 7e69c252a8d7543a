"""unique action ref per plan

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

A plan holds each action ref ("1.1") once: the database refuses a second one, so two imports
of one plan at once can never duplicate it. Duplicates already present are reported, never
deleted: the upgrade stops, names them, and changes nothing until they are resolved.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HAS_REF = sa.text("ref IS NOT NULL")


class DuplicateRefs(RuntimeError):
    """Actions that share a ref in one plan; they must be told apart before upgrading."""


def _duplicates(connection: sa.Connection) -> list[str]:
    rows = connection.execute(
        sa.text(
            "SELECT p.name, a.ref, a.id FROM actions a JOIN plans p ON p.id = a.plan_id "
            "WHERE a.ref IS NOT NULL AND EXISTS (SELECT 1 FROM actions b WHERE "
            "b.plan_id = a.plan_id AND b.ref = a.ref AND b.id <> a.id) "
            "ORDER BY p.name, a.ref, a.id"
        )
    ).all()
    grouped: dict[tuple[str, str], list[int]] = {}
    for plan, ref, action_id in rows:
        grouped.setdefault((plan, ref), []).append(action_id)
    return [
        f"plan '{plan}', ref '{ref}': actions {', '.join(map(str, ids))}"
        for (plan, ref), ids in grouped.items()
    ]


def upgrade() -> None:
    found = _duplicates(op.get_bind())
    if found:
        raise DuplicateRefs(
            "Cannot make action refs unique: some plans hold the same ref twice. Give one "
            "of each pair another ref (UPDATE actions SET ref = '1.1a' WHERE id = ...), then "
            "start again. Nothing was changed. " + "; ".join(found)
        )
    op.create_index(
        "uq_actions_plan_id_ref",
        "actions",
        ["plan_id", "ref"],
        unique=True,
        sqlite_where=_HAS_REF,
        postgresql_where=_HAS_REF,
    )


def downgrade() -> None:
    op.drop_index("uq_actions_plan_id_ref", table_name="actions")
