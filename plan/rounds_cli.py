"""`python -m plan rounds ...`: open, list, close update rounds and see who has replied.

The command line acts as the server's operator (audited as "command line").
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from sqlalchemy.orm import Session, sessionmaker

from plan.mail import MailError, mail_settings, tracker_url
from plan.queries.rounds import RoundNotFound, RoundSummary, replies_by_owner, round_named, rounds
from plan.services.reminders import reminders_text, send_reminders
from plan.services.rounds import RoundError, submit_close_round, submit_open_round
from rulebook.dates import format_uk_date


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2027-01-15") from error


def add_rounds_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "rounds",
        help="update rounds: open, list, close, status",
        description="An update round asks the owner of every open action in its plans for an "
        "update by its due date.",
    )
    sub = parser.add_subparsers(dest="rounds_command", required=True, metavar="ROUNDS_COMMAND")
    opened = sub.add_parser("open", help="open a round for a reporting period")
    opened.add_argument("name", help="e.g. 'Q3 2026/27'")
    opened.add_argument("--period-end", type=_date, required=True, help="e.g. 2026-12-31")
    opened.add_argument("--due", type=_date, required=True, help="updates due by, e.g. 2027-01-15")
    opened.add_argument(
        "--plan", action="append", default=[], help="a plan it covers (repeat; default: all)"
    )
    sub.add_parser("list", help="list the rounds, newest period first")
    sub.add_parser("close", help="close a round").add_argument("name")
    sub.add_parser("status", help="received / outstanding per owner").add_argument("name")

    remind = commands.add_parser(
        "remind",
        help="e-mail each owner the actions a round still waits for (for cron)",
        description="Sends each address one e-mail listing its owners' actions that the round "
        "still waits for, through SMTP_URL from MAIL_FROM, with links to TRACKER_URL. A rerun "
        "on the same day sends nothing twice. Exit status 1 when a message failed or mail is "
        "not set up.",
    )
    remind.add_argument("--round", required=True, dest="round_name", help="the round's name")
    remind.add_argument(
        "--dry-run", action="store_true", help="print the reminders instead of sending them"
    )


def rounds_command(args: argparse.Namespace, factory: sessionmaker[Session], today: dt.date) -> int:
    try:
        if args.command == "remind":
            return _remind(args, factory, today)
        _run(args, factory, today)
    except (RoundError, RoundNotFound, MailError) as error:
        message = str(error)
        print(f"Error: {message[0].upper()}{message[1:]}", file=sys.stderr)
        return 2
    return 0


def _run(args: argparse.Namespace, factory: sessionmaker[Session], today: dt.date) -> None:
    command = args.rounds_command
    if command == "open":
        summary = submit_open_round(
            factory,
            None,
            args.name,
            period_end=args.period_end,
            due=args.due,
            plan_names=args.plan,
        )
        print(
            f"Opened '{summary.name}' (period ending {format_uk_date(summary.period_end)}, "
            f"due {format_uk_date(summary.due)}): {summary.actions} actions in "
            f"{', '.join(summary.plans)}."
        )
    elif command == "list":
        with factory() as session:
            found = rounds(session)
        if not found:
            print("No update rounds yet. Open one with: python -m plan rounds open NAME ...")
        for summary in found:
            print(_line(summary))
    elif command == "close":
        summary = submit_close_round(factory, None, args.name)
        print(
            f"Closed '{summary.name}': {summary.received} of {summary.actions} updates "
            f"received, {summary.outstanding} outstanding."
        )
    elif command == "status":
        _status(factory, args.name, today)


def _line(summary: RoundSummary) -> str:
    state = "open" if summary.is_open else "closed"
    return (
        f"{summary.name} ({state}): period ending {format_uk_date(summary.period_end)}, "
        f"due {format_uk_date(summary.due)}; {summary.received} of {summary.actions} "
        f"received; plans: {', '.join(summary.plans)}"
    )


def _status(factory: sessionmaker[Session], name: str, today: dt.date) -> None:
    with factory() as session:
        summary = round_named(session, name)
        owners = replies_by_owner(session, summary.id, today)
    print(_line(summary))
    print(f"As at {format_uk_date(today)}, per owner (received / outstanding / overdue):")
    width = max((len(o.name) for o in owners), default=5)
    for owner in owners:
        counts = f"{owner.received:>4}  {owner.outstanding:>4}  {owner.overdue:>4}"
        print(f"  {owner.name:<{width}}  {counts}")


def _remind(args: argparse.Namespace, factory: sessionmaker[Session], today: dt.date) -> int:
    settings = mail_settings()
    base_url = tracker_url()
    dry_run = args.dry_run or settings is None
    found, outcomes = send_reminders(
        factory,
        None,
        args.round_name,
        settings=settings,
        base_url=base_url,
        today=today,
        dry_run=dry_run,
    )
    if dry_run:
        print(reminders_text(found))
    if settings is None:
        print(
            "SMTP_URL is not set: nothing was sent. The reminders are above; send them by hand.",
            file=sys.stderr,
        )
    if base_url is None:
        print("TRACKER_URL is not set: the reminders have no links.", file=sys.stderr)
    for outcome in outcomes:
        detail = f": {outcome.detail}" if outcome.detail else ""
        print(f"{outcome.email}: {outcome.outcome} ({outcome.actions} actions){detail}")
    for name, count in found.no_address:
        print(f"{name}: no address ({count} actions): chase by hand")
    failed = any(outcome.outcome == "failed" for outcome in outcomes)
    return 1 if failed or settings is None else 0
