"""owner name keys

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

A `name_key` column beside each owner name (action_owners, user_owner_names): the name as
rulebook.owners.owner_key normalises it (NFKC, case-folded, spaces collapsed). Owners are
matched on this one stored key everywhere, so SQL and Python agree; SQL lower() did not
(SQLite folds ASCII only). The key is computed here in Python, one UPDATE per distinct name.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rulebook.owners import owner_key

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("action_owners", "user_owner_names")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("name_key", sa.String(length=200), nullable=True))
        _backfill(table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("name_key", existing_type=sa.String(length=200), nullable=False)
            batch_op.create_index(batch_op.f(f"ix_{table}_name_key"), ["name_key"], unique=False)


def _backfill(table_name: str) -> None:
    table = sa.table(table_name, sa.column("name", sa.String), sa.column("name_key", sa.String))
    connection = op.get_bind()
    names = connection.scalars(sa.select(table.c.name).distinct()).all()
    if not names:
        return
    connection.execute(
        table.update()
        .where(table.c.name == sa.bindparam("written"))
        .values(name_key=sa.bindparam("key")),
        [{"written": name, "key": owner_key(name)} for name in names],
    )


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_name_key"))
            batch_op.drop_column("name_key")
