"""`python -m plan`: import and export action plans from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from importers import ImportFileError
from plan.bootstrap import load_demo_plans
from plan.database import database_url, make_engine, make_session_factory, migrate
from plan.exporting import action_records, records_to_csv, records_to_json
from plan.importing import import_file
from plan.queries import plan_options


class CommandError(Exception):
    """A problem the user can fix; printed as one sentence, exit status 2."""


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-03-31") from error


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m plan",
        description="Delivery Plan Tracker: import and export partnership action plans. "
        "The database is DATABASE_URL, or data/tracker.db when that is not set.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    imp = commands.add_parser(
        "import", help="import an action plan (.xlsx, .csv) and print a report"
    )
    imp.add_argument("path", type=Path, help="the action-plan file")
    imp.add_argument("--plan", help="plan name (default: from the file name)")
    imp.add_argument("--author", default=None, help="who the imported updates are from")

    exp = commands.add_parser("export", help="export every action as JSON or CSV")
    exp.add_argument("--format", choices=("json", "csv"), required=True)
    exp.add_argument("--output", type=Path, required=True, help="file to write ('-' for stdout)")
    exp.add_argument("--plan", help="only this plan (default: all plans)")
    exp.add_argument(
        "--as-at", type=_parse_date, default=None, help="figures as at this date (default today)"
    )

    commands.add_parser("plans", help="list the plans in the database")
    commands.add_parser("migrate", help="create or upgrade the database schema")
    commands.add_parser("demo", help="load the bundled demo plans (Trafford)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except (CommandError, ImportFileError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    except OperationalError as error:
        print(
            f"Error: cannot use the database {_safe_url()}: {error.orig or error}".splitlines()[0],
            file=sys.stderr,
        )
        return 3
    except SQLAlchemyError as error:
        print(
            f"Error: the database refused the change ({type(error).__name__}); nothing was saved.",
            file=sys.stderr,
        )
        return 3


def _safe_url() -> str:
    from sqlalchemy import make_url

    return make_url(database_url()).render_as_string(hide_password=True)


def _run(args: argparse.Namespace) -> int:
    engine = make_engine()
    migrate(engine)
    factory = make_session_factory(engine)
    today = dt.date.today()

    if args.command == "migrate":
        print(f"Database {_safe_url()} is at the newest schema.")
    elif args.command == "import":
        try:
            data = args.path.read_bytes()
        except FileNotFoundError as error:
            raise CommandError(f"{args.path}: no such file") from error
        except IsADirectoryError as error:
            raise CommandError(f"{args.path}: is a folder, not a file") from error
        except OSError as error:
            raise CommandError(f"{args.path}: cannot be read ({error.strerror})") from error
        author = args.author or f"{getpass.getuser()} (command line)"
        report = import_file(factory, data, args.path.name, plan_name=args.plan, author=author)
        print("\n".join(report.lines()))
    elif args.command == "export":
        with factory() as session:
            known = {option.name for option in plan_options(session)}
            if args.plan and args.plan not in known:
                raise CommandError(
                    f"there is no plan called '{args.plan}'; plans: {', '.join(sorted(known))}"
                )
            records = action_records(session, plan_name=args.plan, as_at=args.as_at or today)
        text = records_to_json(records) if args.format == "json" else records_to_csv(records)
        if str(args.output) == "-":
            sys.stdout.write(text)
        else:
            try:
                args.output.write_text(text, encoding="utf-8", newline="")
            except OSError as error:
                raise CommandError(
                    f"{args.output}: cannot be written ({error.strerror})"
                ) from error
            print(f"Wrote {len(records)} actions to {args.output}", file=sys.stderr)
    elif args.command == "plans":
        with factory() as session:
            options = plan_options(session)
        if not options:
            print("No plans yet. Import one with: python -m plan import PATH")
        for option in options:
            print(f"{option.name}: {option.actions} actions")
    elif args.command == "demo":
        for report in load_demo_plans(factory):
            print("\n".join(report.lines()[:5]))
    return 0
