"""The plan database: plans, objectives, actions, owners and the append-only progress history."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Connection,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship

from rulebook.entries import described_day_of
from rulebook.indicators import (
    DEFAULT_TOLERANCE,
    DEFAULT_TOLERANCE_KIND,
    Frequency,
    Polarity,
    ToleranceKind,
    ValueStatus,
)
from rulebook.owners import owner_key
from rulebook.periods import Period
from rulebook.rag import DeliveryStatus, Rag
from rulebook.review import ReviewOutcome, ReviewState

# Stable constraint names so Alembic migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _enum(enum_cls: type[StrEnum], name: str) -> Enum:
    # Store the human-readable value ("in progress"), not the Python member name.
    return Enum(
        enum_cls,
        name=name,
        values_callable=lambda members: [m.value for m in members],
        native_enum=False,
        validate_strings=True,
        length=20,
    )


class Base(DeclarativeBase):
    # Every class here maps a Table (by __tablename__), so its __table__ is typed as one, as
    # SQLAlchemy suggests (sqlalchemy#9130), not as any FromClause: a Core insert takes it.
    __table__: ClassVar[Table]
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)
        dt.datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
    }


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    partnership: Mapped[str | None] = mapped_column(String(200))
    period_start: Mapped[dt.date | None]
    period_end: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The tolerance an indicator's Amber band uses when it sets none of its own (issue 17).
    indicator_tolerance_kind: Mapped[ToleranceKind] = mapped_column(
        _enum(ToleranceKind, "tolerance_kind"),
        default=DEFAULT_TOLERANCE_KIND,
        server_default=DEFAULT_TOLERANCE_KIND.value,
    )
    indicator_tolerance: Mapped[float] = mapped_column(
        Float, default=DEFAULT_TOLERANCE, server_default=str(DEFAULT_TOLERANCE)
    )
    # Owners' updates wait for an officer to publish them (rulebook.review); audited.
    review_required: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    # The plan's own RAG definitions (rulebook.rag_key.RagKey.stored); None: the default.
    rag_key: Mapped[dict[str, Any] | None]

    objectives: Mapped[list[Objective]] = relationship(
        back_populates="plan", order_by="Objective.position", cascade="all, delete-orphan"
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="plan", order_by="Action.position", cascade="all, delete-orphan"
    )


class Objective(Base):
    __tablename__ = "objectives"
    __table_args__ = (UniqueConstraint("plan_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="objectives")
    actions: Mapped[list[Action]] = relationship(
        back_populates="objective", order_by="Action.position"
    )


def _described_from_default(context: Any) -> dt.date:
    created = context.get_current_parameters().get("created_at")
    return described_day_of(created if created is not None else utcnow())


class Action(Base):
    __tablename__ = "actions"
    __table_args__ = (
        Index("ix_actions_plan_id_deadline", "plan_id", "deadline"),
        # A plan holds each ref once (migration 0004): two imports at once cannot duplicate it.
        Index(
            "uq_actions_plan_id_ref",
            "plan_id",
            "ref",
            unique=True,
            sqlite_where=text("ref IS NOT NULL"),
            postgresql_where=text("ref IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    objective_id: Mapped[int | None] = mapped_column(
        ForeignKey("objectives.id", ondelete="SET NULL"), index=True
    )
    ref: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    milestone: Mapped[str | None] = mapped_column(Text)
    lead_text: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[dt.date | None]
    deadline_text: Mapped[str | None] = mapped_column(String(200))
    ongoing: Mapped[bool] = mapped_column(default=False)
    target: Mapped[str | None] = mapped_column(Text)
    resourcing: Mapped[str | None] = mapped_column(Text)
    indicator_link: Mapped[str | None] = mapped_column(Text)
    # Source columns the importer did not map are kept, never dropped.
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The first day the plan is known to hold the action (rulebook.entries): the day it was
    # created, or earlier when an import "as at" an earlier day, or a period column, says so.
    # "As at" figures list the action from this day.
    described_from: Mapped[dt.date] = mapped_column(default=_described_from_default)

    plan: Mapped[Plan] = relationship(back_populates="actions")
    objective: Mapped[Objective | None] = relationship(back_populates="actions")
    owners: Mapped[list[ActionOwner]] = relationship(
        back_populates="action", order_by="ActionOwner.position", cascade="all, delete-orphan"
    )
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="action", order_by="ProgressUpdate.id", cascade="all, delete-orphan"
    )

    @property
    def owner_names(self) -> list[str]:
        return [owner.name for owner in self.owners]


def owner_name_values(name: str) -> dict[str, str]:
    """The columns an owner name is stored in: the name as written and the key it matches on.

    For Core inserts (the importer's bulk insert); ORM objects get the key from
    `_set_name_key` below.
    """
    return {"name": name, "name_key": owner_key(name)}


class ActionOwner(Base):
    """One individual owner parsed from an action's lead text ("Kylie Thornton / Ian Peet")."""

    __tablename__ = "action_owners"
    __table_args__ = (UniqueConstraint("action_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200), index=True)
    # rulebook.owners.owner_key(name), set on every write: owners are matched on it alone.
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    position: Mapped[int] = mapped_column(default=0)

    action: Mapped[Action] = relationship(back_populates="owners")


class UpdateSource(StrEnum):
    IMPORT = "import"
    FORM = "form"
    DEMO = "demo"
    BULK = "bulk"
    RETURN = "return"  # a filled update-return workbook (plan.exporters.update_return)
    REVIEW = "review"  # the published copy of a reviewed submission (plan.services.review)


def _described_by_default(context: Any) -> dt.date:
    """An entry inserted without a day described describes the day it was recorded."""
    recorded = context.get_current_parameters().get("recorded_at")
    return described_day_of(recorded if recorded is not None else utcnow())


class ProgressUpdate(Base):
    """One entry in an action's history. Rows are only ever inserted: the newest is current."""

    __tablename__ = "progress_updates"
    __table_args__ = (
        # "The entry current as at D" per action (rulebook.entries) is the hot query for every
        # page: one probe of this index in its order; the review state rides along so "newest
        # published" is still answered from the index.
        Index(
            "ix_progress_updates_action_id_described_on",
            "action_id",
            "described_on",
            "recorded_at",
            "id",
            "review_state",
        ),
        # "Newest revised deadline on or before D": few updates revise a deadline, so without
        # this partial index each action's probe read every update it ever had.
        Index(
            "ix_progress_updates_revised_deadline",
            "action_id",
            "described_on",
            "recorded_at",
            "id",
            sqlite_where=text("revised_deadline IS NOT NULL"),
            postgresql_where=text("revised_deadline IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    rag: Mapped[Rag | None] = mapped_column(_enum(Rag, "rag"))
    # A RAG value that could not be read is kept as written rather than guessed.
    rag_text: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[DeliveryStatus] = mapped_column(
        _enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.IN_PROGRESS
    )
    progress: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    source: Mapped[UpdateSource] = mapped_column(_enum(UpdateSource, "update_source"))
    source_detail: Mapped[str | None] = mapped_column(String(500))
    reporting_period: Mapped[str | None] = mapped_column(String(40))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    # The day the entry describes (rulebook.entries): the day it was recorded, unless an import
    # says "as at" an earlier day or the entry is a tracker's period column (its period's end).
    described_on: Mapped[dt.date] = mapped_column(default=_described_by_default)
    # Filled by the update form (issue 5); imports leave them empty.
    percent_complete: Mapped[int | None]
    # The action's baseline stays in Action.deadline; the newest revised_deadline is current.
    revised_deadline: Mapped[dt.date | None]
    revised_deadline_reason: Mapped[str | None] = mapped_column(Text)
    evidence_link: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[dt.date | None]
    # Red and Amber updates say what the issue is and what is being done about it.
    issue: Mapped[str | None] = mapped_column(Text)
    remedy: Mapped[str | None] = mapped_column(Text)
    author_email: Mapped[str | None] = mapped_column(String(320))
    # Submitted: an owner's update on a reviewed plan, waiting to be published (issue 18).
    review_state: Mapped[ReviewState] = mapped_column(
        _enum(ReviewState, "review_state"),
        default=ReviewState.PUBLISHED,
        server_default=ReviewState.PUBLISHED.value,
    )

    action: Mapped[Action] = relationship(back_populates="updates")


class HistoryIsAppendOnly(Exception):
    """Raised when code tries to change or remove a recorded progress update."""


@event.listens_for(ProgressUpdate, "before_update")
@event.listens_for(ProgressUpdate, "before_delete")
def _refuse_history_change(_mapper: Any, _connection: Any, target: ProgressUpdate) -> None:
    raise HistoryIsAppendOnly(
        f"progress update {target.id} is history: record a new update instead of changing it"
    )


# --- Accounts, board decisions and the audit trail (issue 5) -------------------------------


class Role(StrEnum):
    """What a signed-in person may do; see plan.auth.ROLE_PERMISSIONS."""

    ADMIN = "admin"
    OFFICER = "officer"
    CHAIR = "chair"
    OWNER = "owner"
    VIEWER = "viewer"


class User(Base):
    """A person who signs in: a local password account, or single sign-on only (no hash)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased: e-mail addresses are matched without regard to case.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_enum(Role, "user_role"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(default=False)
    # Raised by a password reset or disabling: sessions signed in before it end (auth.refresh).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    last_signed_in_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    owner_names: Mapped[list[UserOwnerName]] = relationship(
        back_populates="user", order_by="UserOwnerName.name", cascade="all, delete-orphan"
    )


class UserOwnerName(Base):
    """An owner name as plans write it ("Kylie Thornton", "Probation") that a user answers for.

    Delegation is a link too: a deputy linked to "Kylie Thornton" may update her actions.
    """

    __tablename__ = "user_owner_names"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200), index=True)
    # rulebook.owners.owner_key(name), as on ActionOwner: links match owners on it.
    name_key: Mapped[str] = mapped_column(String(200), index=True)

    user: Mapped[User] = relationship(back_populates="owner_names")


@event.listens_for(ActionOwner, "before_insert")
@event.listens_for(ActionOwner, "before_update")
@event.listens_for(UserOwnerName, "before_insert")
@event.listens_for(UserOwnerName, "before_update")
def _set_name_key(
    _mapper: Mapper[Any],
    _connection: Connection,
    target: ActionOwner | UserOwnerName | IndicatorOwner,
) -> None:
    """Whenever the ORM writes an owner name, its key is worked out again beside it."""
    target.name_key = owner_key(target.name)


class SignInThrottle(Base):
    """Failed sign-ins counted per e-mail as typed and per client address (plan.throttle).

    Kept apart from `users` so that an e-mail without an account is throttled the same way.
    """

    __tablename__ = "sign_in_throttle"

    # "pair:", "client:" or "account:" and the start of SHA-256s of the e-mail and client.
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[dt.datetime] = mapped_column(index=True)
    locked_until: Mapped[dt.datetime | None]


class SignInToken(Base):
    """One browser's sign-in that outlasts its Streamlit session (plan.sign_in_tokens).

    Only SHA-256 digests are stored: the token the browser keeps in its cookie, and the
    one-use ticket that fetches the cookie within a minute of signing in. A row is valid until
    `expires_at`, unless revoked (sign-out, the account disabled, its role changed, its
    password reset), the account is disabled, or its role or session version moved on.
    """

    __tablename__ = "sign_in_tokens"
    # A Streamlit session keeps its row's id: SQLite must never give a deleted id to another
    # sign-in (PostgreSQL sequences never do).
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 (read by SQLAlchemy)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # NULL until the ticket is redeemed (the browser has its cookie only from then on).
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    ticket_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    ticket_expires_at: Mapped[dt.datetime | None]
    # The role and session version at sign-in: a change to either ends the sign-in.
    role: Mapped[Role] = mapped_column(_enum(Role, "sign_in_token_role"))
    session_version: Mapped[int]
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
    revoked_at: Mapped[dt.datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(40))


class BoardDecision(Base):
    """A decision the board (recorded by its chair) made about an action. Append-only."""

    __tablename__ = "board_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(Text)
    meeting_date: Mapped[dt.date | None]
    author: Mapped[str] = mapped_column(String(200))
    author_email: Mapped[str] = mapped_column(String(320))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Who did what, when: sign-ins, imports, updates, deadline and role changes. Append-only."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_recorded_at_id", "recorded_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(320), index=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str | None] = mapped_column(String(500))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class UpdateReview(Base):
    """An officer's decision on a submitted update: published (with the copy appended to
    the history) or returned with a comment for the owner. One per submission; append-only."""

    __tablename__ = "update_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(
        ForeignKey("progress_updates.id", ondelete="CASCADE"), unique=True
    )
    outcome: Mapped[ReviewOutcome] = mapped_column(_enum(ReviewOutcome, "review_outcome"))
    comment: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(320))
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_update_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_updates.id", ondelete="CASCADE")
    )


@event.listens_for(BoardDecision, "before_update")
@event.listens_for(BoardDecision, "before_delete")
@event.listens_for(UpdateReview, "before_update")
@event.listens_for(UpdateReview, "before_delete")
@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_record_change(
    _mapper: Any, _connection: Any, target: BoardDecision | AuditEntry | UpdateReview
) -> None:
    raise HistoryIsAppendOnly(
        f"{type(target).__name__} {target.id} is a record: add a new one instead of changing it"
    )


# --- Indicators: the partnership's performance measures (issue 17) -------------------------


class Indicator(Base):
    """A performance measure with a target per period; its values are an append-only history."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    objective_id: Mapped[int | None] = mapped_column(
        ForeignKey("objectives.id", ondelete="SET NULL"), index=True
    )
    ref: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(500))
    definition: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(40), default="count")
    polarity: Mapped[Polarity] = mapped_column(_enum(Polarity, "polarity"))
    frequency: Mapped[Frequency] = mapped_column(_enum(Frequency, "frequency"))
    # True: each value is the financial year to date; False: a snapshot of the period.
    cumulative: Mapped[bool] = mapped_column(default=False)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_period: Mapped[str | None] = mapped_column(String(40))
    data_source: Mapped[str | None] = mapped_column(Text)
    lead_text: Mapped[str | None] = mapped_column(Text)
    # None: the plan's indicator tolerance applies.
    tolerance_kind: Mapped[ToleranceKind | None] = mapped_column(
        _enum(ToleranceKind, "tolerance_kind")
    )
    tolerance: Mapped[float | None] = mapped_column(Float)
    # "This is demo data": shown beside every figure of a demo indicator.
    demo: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    plan: Mapped[Plan] = relationship()
    objective: Mapped[Objective | None] = relationship()
    owners: Mapped[list[IndicatorOwner]] = relationship(
        back_populates="indicator",
        order_by="IndicatorOwner.position",
        cascade="all, delete-orphan",
    )
    targets: Mapped[list[IndicatorTarget]] = relationship(
        back_populates="indicator",
        order_by="IndicatorTarget.period_end",
        cascade="all, delete-orphan",
    )
    action_links: Mapped[list[IndicatorAction]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan"
    )

    @property
    def owner_names(self) -> list[str]:
        return [owner.name for owner in self.owners]


class IndicatorOwner(Base):
    """One owner of an indicator, matched on the same key as action owners."""

    __tablename__ = "indicator_owners"
    __table_args__ = (UniqueConstraint("indicator_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    position: Mapped[int] = mapped_column(default=0)

    indicator: Mapped[Indicator] = relationship(back_populates="owners")


event.listen(IndicatorOwner, "before_insert", _set_name_key)
event.listen(IndicatorOwner, "before_update", _set_name_key)


class IndicatorAction(Base):
    """An action that contributes to an indicator."""

    __tablename__ = "indicator_actions"
    __table_args__ = (UniqueConstraint("indicator_id", "action_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)

    indicator: Mapped[Indicator] = relationship(back_populates="action_links")


class IndicatorTarget(Base):
    """The target for one period. A target is a setting, not history: a new one replaces it."""

    __tablename__ = "indicator_targets"
    __table_args__ = (UniqueConstraint("indicator_id", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    target: Mapped[float] = mapped_column(Float)

    indicator: Mapped[Indicator] = relationship(back_populates="targets")

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)


class IndicatorValue(Base):
    """One entry for one period. Rows are only ever inserted: a correction is a newer entry
    for the same period, which supersedes the older one; both stay visible."""

    __tablename__ = "indicator_values"
    __table_args__ = (
        # "Newest entry for each period known on D" is the hot query.
        Index(
            "ix_indicator_values_indicator_id_period_end",
            "indicator_id",
            "period_end",
            "recorded_at",
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    status: Mapped[ValueStatus] = mapped_column(_enum(ValueStatus, "value_status"))
    value: Mapped[float | None] = mapped_column(Float)
    # What is being done about a Red value, or any note on the figure.
    note: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    author_email: Mapped[str | None] = mapped_column(String(320))
    source: Mapped[UpdateSource] = mapped_column(_enum(UpdateSource, "update_source"))
    source_detail: Mapped[str | None] = mapped_column(String(500))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)


@event.listens_for(IndicatorValue, "before_update")
@event.listens_for(IndicatorValue, "before_delete")
def _refuse_value_change(_mapper: Any, _connection: Any, target: IndicatorValue) -> None:
    raise HistoryIsAppendOnly(
        f"indicator value {target.id} is history: record a correction as a new entry"
    )


# --- Update rounds (issue 18) -----------------------------------------------------------------


class UpdateRound(Base):
    """A round of updates for a reporting period ("Q3 2026/27", due 15 Jan 2027).

    The actions it asks about are fixed when it opens (UpdateRoundAction); an update recorded
    on one of them while the round is open answers it (rulebook.rounds).
    """

    __tablename__ = "update_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    period_end: Mapped[dt.date]
    due: Mapped[dt.date]
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    opened_by: Mapped[str] = mapped_column(String(320))
    closed_at: Mapped[dt.datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(320))

    plans: Mapped[list[UpdateRoundPlan]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )


class UpdateRoundPlan(Base):
    """A plan a round covers."""

    __tablename__ = "update_round_plans"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("update_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    round: Mapped[UpdateRound] = relationship(back_populates="plans")
    plan: Mapped[Plan] = relationship()


class UpdateRoundAction(Base):
    """An action a round asks about: open when the round opened (rulebook.rounds)."""

    __tablename__ = "update_round_actions"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("update_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ReminderSend(Base):
    """One reminder e-mail to one address for one round on one day: claimed before it is
    sent (so two runs never send it twice), then marked sent or failed. Never deleted."""

    __tablename__ = "reminder_sends"
    __table_args__ = (UniqueConstraint("round_id", "email", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("update_rounds.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(320))
    sent_on: Mapped[dt.date]
    # "sending" (claimed), "sent" or "failed"
    outcome: Mapped[str] = mapped_column(String(20))
    actions: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    attempted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# --- Import mappings (issue 15) ---------------------------------------------------------------


class ImportMapping(Base):
    """The column overrides and sheet a plan's file was last imported with, so next quarter's
    file of the same shape imports without asking again. A setting: a new mapping replaces it."""

    __tablename__ = "import_mappings"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    # field name ("action", "rag") -> the column header as the file writes it
    columns: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sheet: Mapped[str | None] = mapped_column(String(200))
    updated_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
