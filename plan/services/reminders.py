"""Reminder e-mails for an update round: one message per address, listing every action the
round still waits for from the owner names that address answers for, each with a link that
opens the update form for that action (TRACKER_URL + /my_actions?action=ID).

Sending is idempotent per day: each address is claimed for the day (a unique row) before the
message goes, so a rerun, or two runs at once, never send the same reminder twice in a day. A
failure is logged, audited and reported; an address that failed on MAX_FAILED_DAYS days of a
round is not tried again for it. Owners with no account (or only disabled ones) are listed as
"no address" for the officer to chase by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from plan.audit import AuditEvent, record
from plan.auth import Actor
from plan.database import run_write
from plan.mail import MailError, MailSettings, send
from plan.models import ReminderSend, User, UserOwnerName, utcnow
from plan.queries.rounds import NO_OWNER, ChaseItem, RoundSummary, round_named, to_chase
from plan.services.rounds import RoundError, operator
from rulebook.dates import format_uk_date
from rulebook.owners import owner_key
from rulebook.rounds import Reply

LOGGER = logging.getLogger("tracker.reminders")
MAX_FAILED_DAYS = 3


@dataclass(frozen=True)
class Reminder:
    email: str
    name: str
    items: tuple[ChaseItem, ...]
    subject: str
    body: str


@dataclass(frozen=True)
class Reminders:
    round: RoundSummary
    reminders: tuple[Reminder, ...]
    no_address: tuple[tuple[str, int], ...]  # owner name as written, actions waited for
    links: bool  # False when TRACKER_URL is not set


@dataclass(frozen=True)
class Outcome:
    email: str
    actions: int
    outcome: str  # sent, failed, already sent today, given up, would send
    detail: str = ""


def action_link(base_url: str, action_id: int) -> str:
    """The address that opens the update form for an action (see README, "Reminders")."""
    return f"{base_url}/my_actions?action={action_id}"


def reminders_for(
    session: Session, round_name: str, as_at: dt.date, *, base_url: str | None
) -> Reminders:
    """What each address would be sent for the round as at `as_at`, and who has none."""
    summary = round_named(session, round_name)
    waiting = to_chase(session, summary.id, as_at)
    accounts = _accounts_by_owner_key(session)
    per_address: dict[str, list[ChaseItem]] = {}
    names: dict[str, str] = {}
    no_address: dict[str, int] = {}
    for item in waiting:
        addresses: set[str] = set()
        for owner in item.owners or (NO_OWNER,):
            found = accounts.get(owner_key(owner), []) if item.owners else []
            if not found:
                no_address[owner] = no_address.get(owner, 0) + 1
            for email, name in found:
                addresses.add(email)
                names[email] = name
        for email in addresses:
            per_address.setdefault(email, []).append(item)
    reminders = tuple(
        _reminder(summary, email, names[email], tuple(items), base_url)
        for email, items in sorted(per_address.items())
    )
    return Reminders(
        round=summary,
        reminders=reminders,
        no_address=tuple(sorted(no_address.items(), key=lambda pair: pair[0].casefold())),
        links=base_url is not None,
    )


def _accounts_by_owner_key(session: Session) -> dict[str, list[tuple[str, str]]]:
    query = (
        select(UserOwnerName.name_key, User.email, User.display_name)
        .join(User, User.id == UserOwnerName.user_id)
        .where(User.disabled.is_(False))
        .order_by(User.email)
    )
    found: dict[str, list[tuple[str, str]]] = {}
    for row in session.execute(query).mappings():
        found.setdefault(row["name_key"], []).append((row["email"], row["display_name"]))
    return found


def _reminder(
    summary: RoundSummary,
    email: str,
    name: str,
    items: tuple[ChaseItem, ...],
    base_url: str | None,
) -> Reminder:
    due = format_uk_date(summary.due)
    count = f"{len(items)} action{'s' if len(items) != 1 else ''}"
    lines = [
        f"Dear {name},",
        "",
        f"The update round {summary.name} (period ending {format_uk_date(summary.period_end)}) "
        f"asks for an update on {'this action' if len(items) == 1 else 'these actions'} "
        f"by {due}:",
        "",
    ]
    for item in items:
        late = " (overdue)" if item.reply is Reply.OVERDUE else ""
        ref = f" {item.ref}" if item.ref else ""
        lines.append(f"- {item.plan}{ref}: {item.action}{late}")
        if base_url:
            lines.append(f"  Update it: {action_link(base_url, item.action_id)}")
    lines += [
        "",
        "Sign in to the Delivery Plan Tracker to record each update"
        + ("." if base_url else " (My actions)."),
        "If an action is not yours, please tell the partnership officer.",
    ]
    return Reminder(
        email=email,
        name=name,
        items=items,
        subject=f"Update due by {due}: {summary.name} ({count})",
        body="\n".join(lines) + "\n",
    )


def reminders_text(found: Reminders) -> str:
    """Every reminder as plain text (to send by hand when mail is not set up)."""
    parts = [f"To: {r.name} <{r.email}>\nSubject: {r.subject}\n\n{r.body}" for r in found.reminders]
    if found.no_address:
        listed = "\n".join(f"- {name}: {count} actions" for name, count in found.no_address)
        parts.append(f"No address (chase by hand):\n{listed}\n")
    return "\n" + ("-" * 70 + "\n").join(parts) if parts else "Nothing to remind anyone of.\n"


def message_of(reminder: Reminder) -> EmailMessage:
    message = EmailMessage()
    message["To"] = reminder.email
    message["Subject"] = reminder.subject
    message.set_content(reminder.body)
    return message


def send_reminders(
    factory: sessionmaker[Session],
    actor: Actor | None,
    round_name: str,
    *,
    settings: MailSettings | None,
    base_url: str | None,
    today: dt.date,
    dry_run: bool = False,
) -> tuple[Reminders, list[Outcome]]:
    """Send the round's reminders (officers, or actor None: the command line)."""
    with factory() as session:
        by = operator(session, actor)
        found = reminders_for(session, round_name, today, base_url=base_url)
    if not found.round.is_open:
        raise RoundError(f"The round '{found.round.name}' is closed: nobody is reminded.")
    if settings is None and not dry_run:
        raise RoundError(
            "Mail is not set up (SMTP_URL): nothing was sent; download the reminders and send "
            "them by hand."
        )
    outcomes = []
    for reminder in found.reminders:
        if dry_run or settings is None:
            outcomes.append(Outcome(reminder.email, len(reminder.items), "would send"))
        else:
            outcomes.append(_send_one(factory, by, found.round, reminder, settings, today))
    return found, outcomes


def _send_one(
    factory: sessionmaker[Session],
    by: str,
    summary: RoundSummary,
    reminder: Reminder,
    settings: MailSettings,
    today: dt.date,
) -> Outcome:
    count = len(reminder.items)
    claimed = _claim(factory, summary.id, reminder.email, today, count)
    if claimed is not None:
        return Outcome(reminder.email, count, claimed)
    try:
        send(settings, message_of(reminder))
    except MailError as error:
        LOGGER.warning("Reminder for %s to %s failed: %s", summary.name, reminder.email, error)
        _finish(factory, by, summary, reminder, today, error=str(error))
        return Outcome(reminder.email, count, "failed", str(error))
    LOGGER.info("Reminder for %s sent to %s (%d actions)", summary.name, reminder.email, count)
    _finish(factory, by, summary, reminder, today, error=None)
    return Outcome(reminder.email, count, "sent")


def _claim(
    factory: sessionmaker[Session], round_id: int, email: str, today: dt.date, count: int
) -> str | None:
    """Claim the address for today; the reason not to send when it cannot be claimed."""

    def claim(session: Session) -> str | None:
        failed_days = session.scalar(
            select(func.count()).where(
                ReminderSend.round_id == round_id,
                ReminderSend.email == email,
                ReminderSend.outcome == "failed",
            )
        )
        if failed_days and failed_days >= MAX_FAILED_DAYS:
            return f"given up after {failed_days} failed days"
        session.add(
            ReminderSend(
                round_id=round_id, email=email, sent_on=today, outcome="sending", actions=count
            )
        )
        session.flush()
        return None

    try:
        return run_write(factory, claim)
    except IntegrityError:
        return "already sent today"


def _finish(
    factory: sessionmaker[Session],
    by: str,
    summary: RoundSummary,
    reminder: Reminder,
    today: dt.date,
    *,
    error: str | None,
) -> None:
    def finish(session: Session) -> None:
        row = session.scalar(
            select(ReminderSend).where(
                ReminderSend.round_id == summary.id,
                ReminderSend.email == reminder.email,
                ReminderSend.sent_on == today,
            )
        )
        if row is not None:
            row.outcome = "failed" if error else "sent"
            row.error = error
            row.attempted_at = utcnow()
        record(
            session,
            actor=by,
            event=AuditEvent.REMINDER_FAILED if error else AuditEvent.REMINDER_SENT,
            target=f"{summary.name} to {reminder.email}",
            details={
                "round": summary.name,
                "email": reminder.email,
                "actions": [item.action_id for item in reminder.items],
                **({"error": error} if error else {}),
            },
        )

    run_write(factory, finish)
