"""Loading an indicator table (read by importers.indicators) in one write transaction.

Indicators match by ref, else by name, within the plan; their details and targets are set
from the file; each period's figure goes through the one write path for values
(plan.services.indicator_values) and only when it differs from the period's current entry,
so importing the same file twice changes nothing. All of it lands, or none of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from importers.indicators import IndicatorRead, IndicatorRecord, read_indicator_file
from importers.rows import RowIssue
from plan import audit
from plan.auth import Actor, Permission, refresh, require
from plan.database import run_write
from plan.importing import _locked_plan, default_plan_name
from plan.models import (
    Indicator,
    IndicatorOwner,
    IndicatorTarget,
    Objective,
    Plan,
    UpdateSource,
    utcnow,
)
from plan.queries.indicators import current_values
from plan.services.append import Author
from plan.services.indicator_values import ValueInput, ValueRequest, append_values
from rulebook.owners import split_owners
from rulebook.periods import Period


@dataclass
class IndicatorImportReport:
    plan: str
    file: str
    layout: str
    plan_created: bool = False
    objectives_created: int = 0
    indicators_created: int = 0
    indicators_updated: int = 0
    indicators_unchanged: int = 0
    targets_set: int = 0
    values_recorded: int = 0
    values_unchanged: int = 0
    issues: list[RowIssue] = field(default_factory=list)
    sheets_skipped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"Plan: {self.plan}" + (" (new)" if self.plan_created else ""),
            f"File: {self.file} ({self.layout} layout)",
            f"Objectives: {self.objectives_created} new",
            f"Indicators: {self.indicators_created} created, {self.indicators_updated} updated, "
            f"{self.indicators_unchanged} unchanged",
            f"Targets set: {self.targets_set}",
            f"Values recorded: {self.values_recorded} ({self.values_unchanged} unchanged)",
        ]
        if self.sheets_skipped:
            out.append("Sheets skipped: " + "; ".join(self.sheets_skipped))
        if self.issues:
            out.append(f"Warnings ({len(self.issues)}):")
            out.extend(f"  - {issue}" for issue in self.issues)
        return out


def _key(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def load_indicators(
    session: Session,
    read: IndicatorRead,
    *,
    plan_name: str | None,
    author: Author,
    now: dt.datetime,
) -> IndicatorImportReport:
    """Create or update the plan's indicators from `read` inside the caller's transaction."""
    name = (plan_name or default_plan_name(read.file)).strip()
    plan, created = _locked_plan(session, name)
    report = IndicatorImportReport(
        plan=name,
        file=read.file,
        layout=read.layout,
        plan_created=created,
        issues=list(read.issues),
        sheets_skipped=list(read.sheets_skipped),
    )
    existing = list(
        session.scalars(
            select(Indicator)
            .where(Indicator.plan_id == plan.id)
            .options(selectinload(Indicator.owners), selectinload(Indicator.targets))
        )
    )
    by_ref = {_key(i.ref): i for i in existing}
    by_name = {_key(i.name): i for i in existing}
    objectives = {_key(o.title): o for o in plan.objectives}
    position = max((i.position for i in existing), default=0)
    requests: list[ValueRequest] = []
    for record in read.indicators:
        indicator = by_ref.get(_key(record.ref)) if record.ref else by_name.get(_key(record.name))
        objective = _objective(session, plan, objectives, record.objective, report)
        if indicator is None:
            position += 1
            indicator = Indicator(plan=plan, ref=record.ref or str(position), position=position)
            _apply(indicator, record, objective)
            session.add(indicator)
            by_ref[_key(indicator.ref)] = by_name[_key(record.name)] = indicator
            report.indicators_created += 1
        elif _apply(indicator, record, objective):
            report.indicators_updated += 1
        else:
            report.indicators_unchanged += 1
        report.targets_set += _set_targets(indicator, record.targets)
        session.flush()
        requests.extend(_value_requests(indicator, record, read.file))
    requests = _changed_only(session, requests, report)
    append_values(session, author, requests, source=UpdateSource.IMPORT, now=now)
    report.values_recorded = len(requests)
    return report


def _objective(
    session: Session,
    plan: Plan,
    objectives: dict[str, Objective],
    title: str | None,
    report: IndicatorImportReport,
) -> Objective | None:
    if not title:
        return None
    found = objectives.get(_key(title))
    if found is None:
        position = max((o.position for o in objectives.values()), default=0) + 1
        found = Objective(plan=plan, title=title[:500], position=position)
        session.add(found)
        objectives[_key(title)] = found
        report.objectives_created += 1
    return found


def _apply(indicator: Indicator, record: IndicatorRecord, objective: Objective | None) -> bool:
    """Set the indicator's details from the file; True when anything changed."""
    wanted = {
        "name": record.name[:500],
        "unit": record.unit,
        "polarity": record.polarity,
        "frequency": record.frequency,
        "cumulative": record.cumulative,
        "definition": record.definition,
        "data_source": record.data_source,
        "baseline_value": record.baseline_value,
        "baseline_period": record.baseline_period,
        "lead_text": record.owner,
    }
    if objective is not None:
        wanted["objective"] = objective
    changed = False
    for attribute, value in wanted.items():
        if getattr(indicator, attribute, None) != value:
            setattr(indicator, attribute, value)
            changed = True
    owners = split_owners(record.owner)
    if [o.name for o in indicator.owners] != owners:
        indicator.owners = [IndicatorOwner(name=n, position=i) for i, n in enumerate(owners)]
        changed = True
    return changed


def _set_targets(indicator: Indicator, targets: dict[Period, float]) -> int:
    """Targets are settings: a new figure for a period replaces the old one."""
    current = {t.period_end: t for t in indicator.targets}
    changed = 0
    for period, target in targets.items():
        found = current.get(period.end)
        if found is None:
            indicator.targets.append(
                IndicatorTarget(period_start=period.start, period_end=period.end, target=target)
            )
            changed += 1
        elif found.target != target:
            found.target = target
            changed += 1
    return changed


def _value_requests(indicator: Indicator, record: IndicatorRecord, file: str) -> list[ValueRequest]:
    return [
        ValueRequest(
            indicator.id,
            ValueInput(period, status, number, note or ""),
            expected_latest_id=None,
            source_detail=f"{file}, sheet '{record.sheet}', row {record.row}"[:500],
            label=f"{record.ref or record.name} {period.label}",
        )
        for period, (status, number, note) in sorted(record.values.items())
    ]


def _changed_only(
    session: Session, requests: list[ValueRequest], report: IndicatorImportReport
) -> list[ValueRequest]:
    """Drop the figures the tracker already holds as the period's current entry."""
    ids = sorted({r.indicator_id for r in requests})
    current = current_values(None)
    held: dict[tuple[int, dt.date], tuple[str, float | None, str | None]] = {}
    for start in range(0, len(ids), 5000):  # SQLite's bound-parameter limit
        chunk = ids[start : start + 5000]
        query = select(
            current.c.indicator_id,
            current.c.period_end,
            current.c.status,
            current.c.value,
            current.c.note,
        ).where(current.c.indicator_id.in_(chunk))
        for row in session.execute(query):
            held[(row.indicator_id, row.period_end)] = (row.status, row.value, row.note)
    changed = []
    for request in requests:
        entry = request.entry
        now_held = held.get((request.indicator_id, entry.period.end))
        if now_held == (entry.status.value, entry.value, entry.note.strip() or None):
            report.values_unchanged += 1
        else:
            changed.append(request)
    return changed


def load_indicator_file(
    factory: sessionmaker[Session],
    read: IndicatorRead,
    *,
    plan_name: str | None,
    author: Author | Callable[[Session], Author],
    now: dt.datetime | None = None,
) -> IndicatorImportReport:
    """Load a read file and its audit entry in one retried write transaction."""
    moment = now or utcnow()

    def load(session: Session) -> IndicatorImportReport:
        who = author(session) if callable(author) else author
        report = load_indicators(session, read, plan_name=plan_name, author=who, now=moment)
        audit.record(
            session,
            actor=who.audit_name,
            event=audit.AuditEvent.INDICATOR_IMPORT,
            target=report.plan,
            details={
                "file": read.file,
                "indicators_created": report.indicators_created,
                "indicators_updated": report.indicators_updated,
                "targets_set": report.targets_set,
                "values_recorded": report.values_recorded,
                "warnings": len(report.issues),
            },
            now=moment,
        )
        return report

    return run_write(factory, load)


def import_indicator_file(
    factory: sessionmaker[Session],
    data: bytes,
    filename: str,
    *,
    plan_name: str | None = None,
    author: str,
    now: dt.datetime | None = None,
) -> IndicatorImportReport:
    """Read and load a file (the command line: the machine owner's authority)."""
    read = read_indicator_file(data, filename)
    return load_indicator_file(factory, read, plan_name=plan_name, author=Author(author), now=now)


def import_indicators_as(
    factory: sessionmaker[Session],
    actor: Actor | None,
    read: IndicatorRead,
    *,
    plan_name: str,
    now: dt.datetime | None = None,
) -> IndicatorImportReport:
    """Load a previewed file for a signed-in user who may import (checked in the transaction)."""

    def signed_in_author(session: Session) -> Author:
        current = require(refresh(session, actor), Permission.IMPORT)
        return Author(current.name, current.email)

    return load_indicator_file(factory, read, plan_name=plan_name, author=signed_in_author, now=now)
