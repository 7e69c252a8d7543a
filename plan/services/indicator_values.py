"""The one write path for indicator values, modelled on plan.services.append.

The entry form, file imports and the demo loader all call `append_values`. It locks the
indicators, validates each entry with its source's rules (`VALUE_RULES_BY_SOURCE`: a Red
value needs a corrective-action note from people, not from a historical file), refuses an
entry whose writer did not see the period's newest entry (a conflict), inserts the rest and
audits them, inside the caller's write transaction. Values are append-only: a correction is
a newer entry for the same period, and the older one stays in the history.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from plan import auth
from plan.audit import AuditEvent, record
from plan.auth import Actor, Permission, PermissionDenied
from plan.database import run_write
from plan.models import Indicator, IndicatorValue, UpdateSource, utcnow
from plan.services.append import Author
from plan.services.validation import MAX_TEXT, FieldError, InvalidUpdate
from rulebook.indicators import (
    Frequency,
    ValueStatus,
    effective_tolerance,
    indicator_rag,
)
from rulebook.periods import Period, PeriodKind
from rulebook.rag import Rag

FREQUENCY_PERIOD: dict[Frequency, PeriodKind] = {
    Frequency.MONTHLY: PeriodKind.MONTH,
    Frequency.QUARTERLY: PeriodKind.QUARTER,
    Frequency.ANNUAL: PeriodKind.YEAR,
}
# Units that cannot be below nought.
NON_NEGATIVE_UNITS = frozenset({"count", "days", "rate per 1,000", "%"})


@dataclass(frozen=True)
class ValueInput:
    """One period's entry: a figure, or why there is none, and a note."""

    period: Period
    status: ValueStatus
    value: float | None = None
    note: str = ""


@dataclass(frozen=True)
class ValueRules:
    """Which rules a source's entries must meet."""

    # A Red value says what is being done about it (the corrective action).
    note_required_for_red: bool = True
    # No figure for a period that has not started yet.
    period_checked: bool = True
    # Each entry gets its own audit entry (an import is audited once, as a whole).
    audited_each: bool = True
    # The writer names the entry it saw for the period, and a newer one is a conflict.
    conflicts_checked: bool = True


PEOPLE = ValueRules()
# A council's spreadsheet records what was reported at the time: a Red with no note is
# still Red. It may also hold periods the form would not take yet (a forecast column).
HISTORICAL_FILE = ValueRules(
    note_required_for_red=False, period_checked=False, audited_each=False, conflicts_checked=False
)
DEMO = HISTORICAL_FILE
VALUE_RULES_BY_SOURCE: dict[UpdateSource, ValueRules] = {
    UpdateSource.FORM: PEOPLE,
    UpdateSource.IMPORT: HISTORICAL_FILE,
    UpdateSource.DEMO: DEMO,
}


@dataclass(frozen=True)
class ValueRequest:
    indicator_id: int
    entry: ValueInput
    expected_latest_id: int | None  # the period's newest entry the writer saw (None: none)
    source_detail: str | None = None
    label: str = ""


@dataclass(frozen=True)
class ValueRefused:
    request: ValueRequest
    errors: tuple[FieldError, ...] = ()
    denied: str | None = None
    conflict: bool = False
    newer_id: int | None = None

    @property
    def messages(self) -> tuple[str, ...]:
        said = [error.message for error in self.errors]
        if self.denied:
            said.append(self.denied)
        if self.conflict:
            said.append("Another value was recorded for this period since this was made.")
        return tuple(said)


@dataclass
class ValuesAppended:
    saved: list[tuple[ValueRequest, int | None]] = field(default_factory=list)
    refused: list[ValueRefused] = field(default_factory=list)


class IndicatorNotFound(Exception):
    pass


class ValueConflict(Exception):
    """Someone recorded a value for the period after the form was opened; nothing was saved."""

    def __init__(self, indicator_id: int, period: Period, newer_id: int | None):
        self.indicator_id = indicator_id
        self.period = period
        self.newer_id = newer_id
        super().__init__(
            f"A value for {period.label} was recorded after you opened the form. Nothing was "
            "saved and your entry is kept: read the newer value, then save again."
        )


IndicatorCheck = Callable[[Indicator], str | None]


def validate_value(
    entry: ValueInput,
    indicator: Indicator,
    target: float | None,
    *,
    today: dt.date,
    rules: ValueRules = PEOPLE,
) -> list[FieldError]:
    """Every rule an entry must meet, as sentences a person can act on."""
    errors: list[FieldError] = []
    expected = FREQUENCY_PERIOD[indicator.frequency]
    if entry.period.kind is not expected:
        errors.append(
            FieldError(
                "period",
                f"{indicator.ref} is reported {indicator.frequency.value}: "
                f"{entry.period.label} is not a {expected.value}.",
            )
        )
    if rules.period_checked and entry.period.start > today:
        errors.append(FieldError("period", f"{entry.period.label} has not started yet."))
    value_errors = _value_errors(entry, indicator)
    errors.extend(value_errors)
    if len(entry.note) > MAX_TEXT:
        errors.append(FieldError("note", f"Keep the note under {MAX_TEXT} characters."))
    if rules.note_required_for_red and not value_errors and not entry.note.strip():
        tolerance = effective_tolerance(
            indicator.tolerance_kind,
            indicator.tolerance,
            indicator.plan.indicator_tolerance_kind,
            indicator.plan.indicator_tolerance,
        )
        if indicator_rag(entry.value, target, indicator.polarity, *tolerance) == Rag.RED:
            errors.append(
                FieldError(
                    "note",
                    "This value is Red against its target: say what corrective action "
                    "is being taken.",
                )
            )
    return errors


def _value_errors(entry: ValueInput, indicator: Indicator) -> list[FieldError]:
    if entry.status is not ValueStatus.VALUE:
        if entry.value is not None:
            return [FieldError("value", f"A value that is {entry.status.value} has no figure.")]
        return []
    if entry.value is None:
        return [FieldError("value", "Give the figure, or say it is not yet available.")]
    if not math.isfinite(entry.value):
        return [FieldError("value", "The figure must be a number.")]
    if indicator.unit in NON_NEGATIVE_UNITS and entry.value < 0:
        return [FieldError("value", f"A {indicator.unit} figure cannot be below nought.")]
    return []


def lock_indicators(session: Session, indicator_ids: Sequence[int]) -> dict[int, Indicator]:
    """Load and lock the indicators (in id order, so two writers never deadlock)."""
    found = session.scalars(
        select(Indicator)
        .where(Indicator.id.in_(sorted(set(indicator_ids))))
        .order_by(Indicator.id)
        .with_for_update(of=Indicator)
        .options(
            selectinload(Indicator.owners),
            selectinload(Indicator.plan),
            selectinload(Indicator.targets),
        )
    )
    indicators = {indicator.id: indicator for indicator in found}
    for indicator_id in indicator_ids:
        if indicator_id not in indicators:
            raise IndicatorNotFound(
                f"There is no indicator {indicator_id}: it may have been removed."
            )
    return indicators


def newest_entry_ids(
    session: Session, pairs: Sequence[tuple[int, dt.date]]
) -> dict[tuple[int, dt.date], int]:
    """The newest entry id of each (indicator, period end), whatever the date: the token that
    spots a conflict."""
    found: dict[tuple[int, dt.date], int] = {}
    indicator_ids = sorted({indicator_id for indicator_id, _ in pairs})
    wanted = set(pairs)
    for start in range(0, len(indicator_ids), 5000):  # SQLite's bound-parameter limit
        chunk = indicator_ids[start : start + 5000]
        ranked = select(
            IndicatorValue.id,
            IndicatorValue.indicator_id,
            IndicatorValue.period_end,
            func.row_number()
            .over(
                partition_by=(IndicatorValue.indicator_id, IndicatorValue.period_end),
                order_by=(IndicatorValue.recorded_at.desc(), IndicatorValue.id.desc()),
            )
            .label("rank"),
        ).where(IndicatorValue.indicator_id.in_(chunk))
        newest = ranked.subquery()
        for row in session.execute(select(newest).where(newest.c.rank == 1)):
            if (row.indicator_id, row.period_end) in wanted:
                found[(row.indicator_id, row.period_end)] = row.id
    return found


def append_values(
    session: Session,
    author: Author,
    requests: Sequence[ValueRequest],
    *,
    source: UpdateSource,
    now: dt.datetime,
    check: IndicatorCheck | None = None,
    all_or_nothing: bool = False,
) -> ValuesAppended:
    """Append each acceptable entry; report the refused ones with their reasons."""
    rules = VALUE_RULES_BY_SOURCE[source]
    indicators = lock_indicators(session, [r.indicator_id for r in requests])
    newest = (
        newest_entry_ids(session, [(r.indicator_id, r.entry.period.end) for r in requests])
        if rules.conflicts_checked
        else {}
    )
    outcome = ValuesAppended()
    for request in requests:
        indicator = indicators[request.indicator_id]
        target = {t.period_end: t.target for t in indicator.targets}.get(request.entry.period.end)
        errors = tuple(
            validate_value(request.entry, indicator, target, today=now.date(), rules=rules)
        )
        denied = check(indicator) if check is not None else None
        latest = newest.get((request.indicator_id, request.entry.period.end))
        conflict = rules.conflicts_checked and latest != request.expected_latest_id
        if errors or denied or conflict:
            outcome.refused.append(
                ValueRefused(request, errors, denied, conflict, latest if conflict else None)
            )
    if outcome.refused and all_or_nothing:
        return outcome
    refused = {id(r.request) for r in outcome.refused}
    accepted = [r for r in requests if id(r) not in refused]
    if rules.audited_each:
        outcome.saved = [
            (r, _insert_audited(session, author, indicators[r.indicator_id], r, source, now))
            for r in accepted
        ]
    elif accepted:
        session.execute(insert(IndicatorValue), [_values(r, author, source, now) for r in accepted])
        outcome.saved = [(r, None) for r in accepted]
    return outcome


def _values(
    request: ValueRequest, author: Author, source: UpdateSource, now: dt.datetime
) -> dict[str, object]:
    entry = request.entry
    return {
        "indicator_id": request.indicator_id,
        "period_start": entry.period.start,
        "period_end": entry.period.end,
        "status": entry.status.value,
        "value": entry.value if entry.status is ValueStatus.VALUE else None,
        "note": entry.note.strip() or None,
        "author": author.name[:200],
        "author_email": author.email,
        "source": source.value,
        "source_detail": (request.source_detail or f"{source.value} by {author.audit_name}")[:500],
        "recorded_at": now,
    }


def _insert_audited(
    session: Session,
    author: Author,
    indicator: Indicator,
    request: ValueRequest,
    source: UpdateSource,
    now: dt.datetime,
) -> int:
    values = _values(request, author, source, now)
    entry = IndicatorValue(**values)
    session.add(entry)
    session.flush()
    record(
        session,
        actor=author.audit_name,
        event=AuditEvent.INDICATOR_VALUE_RECORDED,
        target=f"{indicator.plan.name} / indicator {indicator.ref}: {indicator.name[:120]}",
        details={
            "indicator_id": indicator.id,
            "value_id": entry.id,
            "period": request.entry.period.label,
            "status": request.entry.status.value,
            "value": values["value"],
            "supersedes": request.expected_latest_id,
            "source": source.value,
        },
        now=now,
    )
    return entry.id


# --- One person's entry (the form) --------------------------------------------------------


def may_enter_values(actor: Actor, indicator: Indicator) -> bool:
    """Officers and admins enter any indicator's values; owners those with a linked name."""
    return auth.may_update_owners(actor, indicator.owner_names)


def record_indicator_value(
    session: Session,
    actor: Actor | None,
    indicator_id: int,
    entry: ValueInput,
    *,
    expected_latest_id: int | None,
    now: dt.datetime | None = None,
) -> int:
    """Append one period's entry for an indicator; returns the new entry's id.

    Raises PermissionDenied (not signed in, disabled, not an owner of the indicator),
    InvalidUpdate (with every broken rule) or ValueConflict.
    """
    now = now or utcnow()
    actor = auth.refresh(session, actor)
    auth.require(actor, Permission.UPDATE_OWN_ACTIONS)

    def owner_check(indicator: Indicator) -> str | None:
        if may_enter_values(actor, indicator):
            return None
        owners = ", ".join(indicator.owner_names) or "no named owner"
        raise PermissionDenied(
            f"{actor.email} may only enter values for their own indicators; indicator "
            f"{indicator.ref} belongs to {owners}."
        )

    request = ValueRequest(indicator_id, entry, expected_latest_id)
    outcome = append_values(
        session,
        Author(actor.name, actor.email),
        [request],
        source=UpdateSource.FORM,
        now=now,
        check=owner_check,
    )
    if outcome.refused:
        refused = outcome.refused[0]
        if refused.errors:
            raise InvalidUpdate(refused.errors)
        raise ValueConflict(indicator_id, entry.period, refused.newer_id)
    entry_id = outcome.saved[0][1]
    assert entry_id is not None  # the form's entries are audited one by one, so have ids
    return entry_id


def submit_indicator_value(
    factory: sessionmaker[Session],
    actor: Actor | None,
    indicator_id: int,
    entry: ValueInput,
    *,
    expected_latest_id: int | None,
    now: dt.datetime | None = None,
) -> int:
    """`record_indicator_value` in its own retried write transaction (what the form calls)."""
    return run_write(
        factory,
        lambda session: record_indicator_value(
            session, actor, indicator_id, entry, expected_latest_id=expected_latest_id, now=now
        ),
    )
