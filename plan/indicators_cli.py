"""`python -m plan indicators import|export`: indicator tables in, indicator records out."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from plan.exporters.indicators import indicator_records, indicators_csv, indicators_json
from plan.indicator_import import import_indicator_file
from plan.models import Plan
from plan.queries.indicators import indicator_rows
from plan.queries.state import Selection


class IndicatorCommandError(Exception):
    """A problem the user can fix; printed as one sentence, exit status 2."""


def add_indicators_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("indicators", help="import or export performance indicators")
    actions = parser.add_subparsers(dest="indicators_command", required=True, metavar="ACTION")
    imp = actions.add_parser("import", help="import an indicator table (.xlsx, .csv)")
    imp.add_argument("path", type=Path, help="the indicator table, wide or long")
    imp.add_argument("--plan", help="plan name (default: from the file name)")
    imp.add_argument("--author", default=None, help="who the imported values are from")
    exp = actions.add_parser("export", help="one record per indicator and period")
    exp.add_argument("--format", choices=("json", "csv"), required=True)
    exp.add_argument("--output", type=Path, required=True, help="file to write ('-' for stdout)")
    exp.add_argument("--plan", help="only this plan (default: all plans)")
    exp.add_argument(
        "--as-at", type=dt.date.fromisoformat, default=None, help="values known on this date"
    )


def indicators_command(
    args: argparse.Namespace, factory: sessionmaker[Session], today: dt.date
) -> None:
    if args.indicators_command == "import":
        _import(args, factory)
    else:
        _export(args, factory, today)


def _import(args: argparse.Namespace, factory: sessionmaker[Session]) -> None:
    try:
        data = args.path.read_bytes()
    except FileNotFoundError as error:
        raise IndicatorCommandError(f"{args.path}: no such file") from error
    except OSError as error:
        raise IndicatorCommandError(f"{args.path}: cannot be read ({error.strerror})") from error
    author = args.author or f"{getpass.getuser()} (command line)"
    report = import_indicator_file(
        factory, data, args.path.name, plan_name=args.plan, author=author
    )
    print("\n".join(report.lines()))


def _export(args: argparse.Namespace, factory: sessionmaker[Session], today: dt.date) -> None:
    with factory() as session:
        plan_id = None
        if args.plan:
            plan_id = session.scalar(select(Plan.id).where(Plan.name == args.plan))
            if plan_id is None:
                raise IndicatorCommandError(f"there is no plan called '{args.plan}'")
        rows = indicator_rows(session, Selection(plan_id=plan_id), args.as_at or today)
    text = indicators_json(rows) if args.format == "json" else indicators_csv(rows)
    if str(args.output) == "-":
        sys.stdout.write(text)
        return
    try:
        args.output.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        raise IndicatorCommandError(
            f"{args.output}: cannot be written ({error.strerror})"
        ) from error
    count = len(indicator_records(rows))
    print(f"Wrote {count} records for {len(rows)} indicators to {args.output}", file=sys.stderr)
