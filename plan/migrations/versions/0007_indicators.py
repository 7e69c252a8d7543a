"""indicators

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

Indicators (issue 17): the plan's performance measures, their owners, linked actions, a
target per period and the append-only history of values per period; and the plan-wide
tolerance an indicator's Amber band uses when it sets none of its own.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("definition", sa.Text(), nullable=True),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column(
            "polarity",
            sa.Enum(
                "higher is better",
                "lower is better",
                "contextual",
                name="polarity",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "frequency",
            sa.Enum(
                "monthly", "quarterly", "annual", name="frequency", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("cumulative", sa.Boolean(), nullable=False),
        sa.Column("baseline_value", sa.Float(), nullable=True),
        sa.Column("baseline_period", sa.String(length=40), nullable=True),
        sa.Column("data_source", sa.Text(), nullable=True),
        sa.Column("lead_text", sa.Text(), nullable=True),
        sa.Column(
            "tolerance_kind",
            sa.Enum("percent", "absolute", name="tolerance_kind", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column("tolerance", sa.Float(), nullable=True),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objectives.id"],
            name=op.f("fk_indicators_objective_id_objectives"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_indicators_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
        sa.UniqueConstraint("plan_id", "ref", name=op.f("uq_indicators_plan_id")),
    )
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicators_objective_id"), ["objective_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_indicators_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "indicator_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_indicator_actions_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_actions_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_actions")),
        sa.UniqueConstraint(
            "indicator_id", "action_id", name=op.f("uq_indicator_actions_indicator_id")
        ),
    )
    with op.batch_alter_table("indicator_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_actions_action_id"), ["action_id"], unique=False
        )

    op.create_table(
        "indicator_owners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_owners_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_owners")),
        sa.UniqueConstraint("indicator_id", "name", name=op.f("uq_indicator_owners_indicator_id")),
    )
    with op.batch_alter_table("indicator_owners", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_owners_name_key"), ["name_key"], unique=False
        )

    op.create_table(
        "indicator_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_targets_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_targets")),
        sa.UniqueConstraint(
            "indicator_id", "period_end", name=op.f("uq_indicator_targets_indicator_id")
        ),
    )
    op.create_table(
        "indicator_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "value",
                "not yet available",
                "suppressed",
                name="value_status",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("author_email", sa.String(length=320), nullable=True),
        sa.Column(
            "source",
            sa.Enum(
                "import",
                "form",
                "demo",
                "bulk",
                "return",
                name="update_source",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("source_detail", sa.String(length=500), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_values_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_values")),
    )
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.create_index(
            "ix_indicator_values_indicator_id_period_end",
            ["indicator_id", "period_end", "recorded_at", "id"],
            unique=False,
        )

    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "indicator_tolerance_kind",
                sa.Enum("percent", "absolute", name="tolerance_kind", native_enum=False, length=20),
                server_default="percent",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("indicator_tolerance", sa.Float(), server_default="5.0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("indicator_tolerance")
        batch_op.drop_column("indicator_tolerance_kind")

    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.drop_index("ix_indicator_values_indicator_id_period_end")

    op.drop_table("indicator_values")
    op.drop_table("indicator_targets")
    with op.batch_alter_table("indicator_owners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_owners_name_key"))

    op.drop_table("indicator_owners")
    with op.batch_alter_table("indicator_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_actions_action_id"))

    op.drop_table("indicator_actions")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicators_plan_id"))
        batch_op.drop_index(batch_op.f("ix_indicators_objective_id"))

    op.drop_table("indicators")
