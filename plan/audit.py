"""The audit trail: who changed what, and when. Entries are written in the same transaction as
the change they describe, and never edited or deleted (see plan.models.AuditEntry)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from plan.exporters.safe_cells import neutralise
from plan.models import AuditEntry, utcnow
from rulebook.dates import format_uk_date

if TYPE_CHECKING:
    from plan.auth import Actor


class AuditEvent(StrEnum):
    SIGN_IN = "sign in"
    SIGN_IN_FAILED = "sign in failed"
    SIGN_OUT = "sign out"
    SIGN_INS_ENDED = "sign-ins ended"
    USER_ADDED = "user added"
    ROLE_CHANGED = "role changed"
    USER_DISABLED = "user disabled"
    USER_ENABLED = "user enabled"
    PASSWORD_RESET = "password reset"
    OWNER_LINKED = "owner name linked"
    OWNER_UNLINKED = "owner name unlinked"
    PROGRESS_RECORDED = "progress recorded"
    DEADLINE_REVISED = "deadline revised"
    BOARD_DECISION = "board decision"
    BULK_UPDATE = "bulk update"
    IMPORT = "import"
    PLAN_PERIOD_SET = "plan period set"
    RETURN_MADE = "update return made"
    INDICATOR_VALUE_RECORDED = "indicator value recorded"
    INDICATOR_IMPORT = "indicator import"
    ROUND_OPENED = "update round opened"
    ROUND_CLOSED = "update round closed"
    REMINDER_SENT = "reminder sent"
    REMINDER_FAILED = "reminder failed"
    REVIEW_SWITCHED = "review switched"
    UPDATE_PUBLISHED = "update published"
    UPDATE_RETURNED = "update returned"
    RAG_KEY_SET = "plan RAG key set"


def record(
    session: Session,
    *,
    actor: str,
    event: AuditEvent,
    target: str | None = None,
    details: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> AuditEntry:
    """Add an entry to the caller's transaction: it lands with the change, or not at all."""
    entry = AuditEntry(
        recorded_at=now or utcnow(),
        actor=actor[:320],
        event=event.value,
        target=(target or None) and target[:500],
        details=_jsonable(details or {}),
    )
    session.add(entry)
    return entry


def _jsonable(details: dict[str, Any]) -> dict[str, Any]:
    # Dates and enums become their text so the JSON column stores them on every backend.
    return json.loads(json.dumps(details, default=str))


@dataclass(frozen=True)
class AuditFilter:
    events: tuple[str, ...] = ()
    actor: str | None = None  # part of the e-mail, any case
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive
    target: str | None = None  # part of the target, any case
    limit: int | None = 1000


def entries(session: Session, where: AuditFilter | None = None) -> list[AuditEntry]:
    """Newest first. Callers showing this to a person check Permission.VIEW_AUDIT first."""
    where = where or AuditFilter()
    query = select(AuditEntry).order_by(AuditEntry.recorded_at.desc(), AuditEntry.id.desc())
    if where.events:
        query = query.where(AuditEntry.event.in_(where.events))
    if where.actor:
        query = query.where(AuditEntry.actor.icontains(where.actor.strip(), autoescape=True))
    if where.target:
        query = query.where(AuditEntry.target.icontains(where.target.strip(), autoescape=True))
    if where.since:
        query = query.where(AuditEntry.recorded_at >= _start_of_day(where.since))
    if where.until:
        query = query.where(AuditEntry.recorded_at < _start_of_day(where.until, days=1))
    if where.limit:
        query = query.limit(where.limit)
    return list(session.scalars(query))


def _start_of_day(day: dt.date, days: int = 0) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=days), dt.time(), tzinfo=dt.UTC)


AUDIT_COLUMNS = ("when", "who", "event", "target", "details")


def entry_record(entry: AuditEntry) -> dict[str, str]:
    when = entry.recorded_at
    if when.tzinfo is None:  # SQLite hands back naive UTC
        when = when.replace(tzinfo=dt.UTC)
    return {
        "when": when.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "who": entry.actor,
        "event": entry.event,
        "target": entry.target or "",
        "details": json.dumps(entry.details, ensure_ascii=False, sort_keys=True),
    }


def entry_shown(entry: AuditEntry) -> dict[str, str]:
    """The entry as the Audit log page shows it: a UK date and time (UTC), details in words."""
    record = entry_record(entry)
    when = dt.datetime.fromisoformat(record["when"])
    return {
        **record,
        "when": f"{format_uk_date(when.date())} {when:%H:%M:%S}",
        "details": details_text(entry.details),
    }


def details_text(details: dict[str, object] | None) -> str:
    """{"actions_created": 34, "owner_names": ["A", "B"]} -> "actions created: 34; owner
    names: A, B" (the CSV keeps the JSON, for other programs)."""
    return "; ".join(
        f"{key.replace('_', ' ')}: {_value_text(value)}"
        for key, value in sorted((details or {}).items())
    )


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "none"
    if isinstance(value, list | tuple):
        return ", ".join(_value_text(item) for item in value) or "none"
    if isinstance(value, dict):
        return "(" + details_text(value) + ")"
    if isinstance(value, str) and ISO_DAY.match(value):  # dates are kept as ISO text
        return _uk_moment(value)
    return str(value)


ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?(\.\d+)?([+-]\d\d:\d\d|Z)?)?$")


def _uk_moment(iso: str) -> str:
    """ "2013-10-15" -> "15 Oct 2013"; "2013-10-15T09:00:00+00:00" -> "15 Oct 2013 09:00"."""
    moment = dt.datetime.fromisoformat(iso)
    day = format_uk_date(moment.date())
    return day if len(iso) == 10 else f"{day} {moment:%H:%M}"


def entries_to_csv(rows: list[AuditEntry]) -> str:
    """CSV of the entries; cells that would start a spreadsheet formula are neutralised."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=AUDIT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for entry in rows:
        writer.writerow({k: neutralise(v) for k, v in entry_record(entry).items()})
    return buffer.getvalue()


# --- Reading the log (admins) --------------------------------------------------------------


def audit_log(
    session: Session, actor: Actor | None, where: AuditFilter | None = None
) -> list[AuditEntry]:
    from plan import auth  # auth records to this module: import it here, not at the top

    actor = auth.refresh(session, actor)
    auth.require(actor, auth.Permission.VIEW_AUDIT)
    return entries(session, where)


def audit_events(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.event).distinct().order_by(AuditEntry.event)))
