"""`python -m plan`: import and export action plans from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from importers import ImportFileError
from plan import import_mappings
from plan.bootstrap import load_demo_plans
from plan.database import database_url, make_engine, make_session_factory, migrate, run_write
from plan.exporters.actions_csv import actions_csv
from plan.exporters.records import actions_json
from plan.importing import AsAtError, default_plan_name, load_result
from plan.indicators_cli import (
    IndicatorCommandError,
    add_indicators_parser,
    indicators_command,
)
from plan.queries import action_views, plan_options
from plan.rounds_cli import add_rounds_parser, rounds_command
from plan.services.append import Author
from plan.users_cli import add_users_parser, users_command
from rulebook.dates import format_uk_date, previous_quarter_end
from rulebook.plan_periods import PeriodError, check_period

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from plan.exporters.update_return import ReturnExport
    from plan.queries import Selection

# Files this big (compressed) take a few seconds to read: say how far along it is.
LARGE_FILE_BYTES = 50_000


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
    imp.add_argument(
        "--period-start",
        type=_parse_date,
        metavar="DATE",
        help="the first day the plan covers (default: from a name such as '... 2011/14')",
    )
    imp.add_argument(
        "--period-end",
        type=_parse_date,
        metavar="DATE",
        help="the last day the plan covers (default: from a name such as '... 2013-14')",
    )
    imp.add_argument(
        "--as-at",
        type=_parse_date,
        metavar="DATE",
        help="the day the file describes (default today): its updates are history as at then",
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="read COLUMN as FIELD (e.g. action=Commitment); repeatable; remembered per plan",
    )
    imp.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="COLUMN",
        help="keep COLUMN as an extra column, not a plan field, whatever its header suggests; "
        "repeatable; remembered per plan",
    )
    imp.add_argument("--sheet", metavar="NAME", help="read only this sheet; remembered per plan")

    exp = commands.add_parser(
        "export", help="export the actions chosen as JSON or CSV, or a board paper (xlsx)"
    )
    exp.add_argument("--format", choices=("json", "csv", "xlsx"), required=True)
    exp.add_argument("--output", type=Path, required=True, help="file to write ('-' for stdout)")
    _add_export_filters(exp)
    _add_return_parser(commands)

    commands.add_parser("plans", help="list the plans in the database")
    commands.add_parser("migrate", help="create or upgrade the database schema")
    commands.add_parser("demo", help="load the bundled demo plans (Trafford)")
    add_users_parser(commands)
    add_indicators_parser(commands)
    add_rounds_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except (CommandError, IndicatorCommandError, ImportFileError, PeriodError) as error:
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


def _progress_printer(name: str) -> Callable[[float, str], None]:
    """Progress on stderr for large files: one line, rewritten in a terminal."""
    last = {"percent": -10}

    def show(fraction: float, message: str) -> None:
        percent = int(fraction * 100)
        if percent >= last["percent"] + 10 or percent == 100:
            last["percent"] = percent
            end = "\r" if sys.stderr.isatty() and percent < 100 else "\n"
            print(f"Reading {name}: {percent}% {message}".rstrip(), end=end, file=sys.stderr)

    return show


def _safe_url() -> str:
    from sqlalchemy import make_url

    return make_url(database_url()).render_as_string(hide_password=True)


Command = Callable[[argparse.Namespace, "sessionmaker[Session]", dt.date], int | None]


def _run(args: argparse.Namespace) -> int:
    engine = make_engine()
    migrate(engine)
    factory = make_session_factory(engine)
    return _COMMANDS[args.command](args, factory, dt.date.today()) or 0


def _migrate_command(*_: object) -> None:
    print(f"Database {_safe_url()} is at the newest schema.")


def _demo_command(
    _args: argparse.Namespace, factory: sessionmaker[Session], _today: object
) -> None:
    for report in load_demo_plans(factory):
        print("\n".join(report.lines()[:5]))


def _import_command(
    args: argparse.Namespace, factory: sessionmaker[Session], _today: object = None
) -> None:
    try:
        data = args.path.read_bytes()
    except FileNotFoundError as error:
        raise CommandError(f"{args.path}: no such file") from error
    except IsADirectoryError as error:
        raise CommandError(f"{args.path}: is a folder, not a file") from error
    except OSError as error:
        raise CommandError(f"{args.path}: cannot be read ({error.strerror})") from error
    author = args.author or f"{getpass.getuser()} (command line)"
    check_period(args.period_start, args.period_end)
    try:
        fields = import_mappings.parse_map(args.map)
    except ValueError as error:
        raise CommandError(f"--map: {error}") from error
    extra = [column.strip() for column in args.extra]
    if not all(extra):
        raise CommandError("--extra: give a column's header as the file writes it")
    try:
        now_given = import_mappings.given(fields, args.sheet, extra)
    except ValueError as error:
        raise CommandError(f"--extra: {error}") from error
    plan_name = args.plan or default_plan_name(args.path.name)
    with factory() as session:
        choice = import_mappings.combined(import_mappings.remembered(session, plan_name), now_given)
    progress = _progress_printer(args.path.name) if len(data) > LARGE_FILE_BYTES else None
    reader = import_mappings.file_reader(data, args.path.name, progress)
    result, choice = import_mappings.read_with(choice, reader)
    try:
        report = load_result(
            factory,
            result,
            plan_name=plan_name,
            author=Author(author),
            period=(args.period_start, args.period_end),
            as_at=args.as_at,
            mapping=choice,
        )
    except AsAtError as error:
        raise CommandError(f"--as-at: {error}") from error
    print("\n".join(report.lines()))


def _plans_command(
    _args: argparse.Namespace, factory: sessionmaker[Session], _today: object = None
) -> None:
    with factory() as session:
        options = plan_options(session)
    if not options:
        print("No plans yet. Import one with: python -m plan import PATH")
    for option in options:
        period = ""
        if option.period_start or option.period_end:
            start, end = (format_uk_date(d) or "?" for d in option.period)
            period = f", {start} to {end}"
        print(f"{option.name}: {option.actions} actions{period}")


# --- Board papers and update returns (issue 6) ------------------------------------------------


def _add_export_filters(exp: argparse.ArgumentParser) -> None:
    """The dashboard's filters; every format exports the same actions for them."""
    filters = exp.add_argument_group("filters (every format)")
    filters.add_argument("--plan", help="only this plan (default: all plans)")
    filters.add_argument("--objective", action="append", default=[], help="objective (repeat)")
    filters.add_argument("--owner", action="append", default=[], help="owner name (repeat)")
    filters.add_argument(
        "--rag", action="append", default=[], help="Red, Amber, Green, Blue or 'not rated' (repeat)"
    )
    filters.add_argument(
        "--as-at", type=_parse_date, default=None, help="figures as at this date (default today)"
    )
    filters.add_argument(
        "--compared-with",
        type=_parse_date,
        default=None,
        help="compare with this date (default: the end of the previous quarter); only the "
        "board paper has comparison columns",
    )
    filters.add_argument(
        "--round",
        default=None,
        metavar="NAME",
        help="as at this update round's period end (instead of --as-at); the board paper "
        "then checks the round's replies too",
    )


def _add_return_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ret = commands.add_parser("return", help="update returns: export for owners, import filled")
    actions = ret.add_subparsers(dest="return_command", required=True, metavar="ACTION")
    out = actions.add_parser("export", help="write an update return workbook")
    out.add_argument("--owner", help="the owner it is for (default: every owner)")
    out.add_argument("--plan", help="only this plan (default: all plans)")
    out.add_argument("--output", type=Path, required=True, help="the .xlsx file to write")
    out.add_argument("--by", default=None, help="who is making it (for the audit log)")
    back = actions.add_parser("import", help="record the updates in a filled return")
    back.add_argument("path", type=Path, help="the filled .xlsx return")
    back.add_argument("--by", default=None, help="who is importing (for the audit log)")


def _selection_from(args: argparse.Namespace, session: Session) -> tuple[Selection, str]:
    from sqlalchemy import select

    from plan.models import Objective
    from plan.queries import Selection, owner_options
    from rulebook.rag import read_rag

    plans = {option.name: option.id for option in plan_options(session)}
    plan_name = getattr(args, "plan", None)
    if plan_name and plan_name not in plans:
        raise CommandError(
            f"there is no plan called '{plan_name}'; plans: {', '.join(sorted(plans))}"
        )
    plan_id = plans.get(plan_name) if plan_name else None
    objectives: list[int] = []
    for title in getattr(args, "objective", None) or []:
        query = select(Objective.id).where(Objective.title == title)
        if plan_id is not None:
            query = query.where(Objective.plan_id == plan_id)
        found = list(session.scalars(query))
        if not found:
            raise CommandError(f"there is no objective called '{title}'")
        objectives.extend(found)
    named = getattr(args, "owner", None) or []
    owners = [named] if isinstance(named, str) else list(named)
    unknown = set(owners) - set(owner_options(session, plan_id))
    if unknown:
        raise CommandError(f"no action is owned by {', '.join(sorted(unknown))}")
    rags = []
    for word in getattr(args, "rag", None) or []:
        reading = read_rag(word)
        if reading.unrecognised or (reading.rag is None and word.strip().lower() != "not rated"):
            raise CommandError(f"'{word}' is not a RAG: use Red, Amber, Green, Blue or 'not rated'")
        rags.append(reading.rag)
    selection = Selection(
        plan_id=plan_id, objective_ids=tuple(objectives), owners=tuple(owners), rags=tuple(rags)
    )
    return selection, plan_name or "All plans"


def _write_bytes(path: Path, data: bytes) -> None:
    if str(path) == "-":
        raise CommandError("a workbook cannot be written to the terminal: give a file name")
    try:
        path.write_bytes(data)
    except OSError as error:
        raise CommandError(f"{path}: cannot be written ({error.strerror})") from error


def _write_text(path: Path, text: str) -> None:
    if str(path) == "-":
        sys.stdout.write(text)
        return
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        raise CommandError(f"{path}: cannot be written ({error.strerror})") from error


def _export_command(
    args: argparse.Namespace, factory: sessionmaker[Session], today: dt.date
) -> None:
    """The actions the filters choose, as JSON records, the actions CSV or a board paper."""
    round_id, as_at = _as_at_round(args, factory, today)
    compared_with = args.compared_with or previous_quarter_end(as_at)
    if args.format == "xlsx":
        _export_board_paper(args, factory, as_at, compared_with, round_id)
        return
    with factory() as session:
        selection, _ = _selection_from(args, session)
        views = action_views(session, selection=selection, as_at=as_at, compared_with=compared_with)
    _write_text(args.output, actions_json(views) if args.format == "json" else actions_csv(views))
    if str(args.output) != "-":
        print(f"Wrote {len(views)} actions to {args.output}", file=sys.stderr)
    if args.compared_with:
        print(
            f"Note: --compared-with changes only the board paper; {args.format.upper()} "
            "records have no comparison columns.",
            file=sys.stderr,
        )


def _as_at_round(
    args: argparse.Namespace, factory: sessionmaker[Session], today: dt.date
) -> tuple[int | None, dt.date]:
    """`--round NAME`: the round and its period end as the as-at date; else --as-at or today."""
    if args.round is None:
        return None, args.as_at or today
    if args.as_at is not None:
        raise CommandError("give --round or --as-at, not both: a round sets the as-at date")
    from plan.queries.rounds import RoundNotFound, round_named

    with factory() as session:
        try:
            chosen = round_named(session, args.round)
        except RoundNotFound as error:
            raise CommandError(str(error)) from error
    return chosen.id, chosen.period_end


def _export_board_paper(
    args: argparse.Namespace,
    factory: sessionmaker[Session],
    as_at: dt.date,
    compared_with: dt.date,
    round_id: int | None = None,
) -> None:
    from plan.exporters.board_paper import board_paper, board_paper_xlsx

    with factory() as session:
        selection, _ = _selection_from(args, session)
        paper = board_paper(
            session,
            selection=selection,
            as_at=as_at,
            compared_with=compared_with,
            round_id=round_id,
        )
    _write_bytes(args.output, board_paper_xlsx(paper))
    print(
        f"Wrote the board paper for {paper.title} ({len(paper.overview.actions)} actions, "
        f"{len(paper.exceptions)} exceptions, {len(paper.changes)} changes) to {args.output}",
        file=sys.stderr,
    )


def _return_command(
    args: argparse.Namespace, factory: sessionmaker[Session], today: dt.date
) -> None:
    from plan.exporters.update_return import ReturnFileError, export_return
    from plan.services.returns import import_return

    by = args.by or f"{getpass.getuser()} (command line)"
    if args.return_command == "export":

        def make(session: Session) -> ReturnExport:
            selection, title = _selection_from(args, session)
            return export_return(
                session,
                owner=args.owner,
                as_at=today,
                made_by=by,
                selection=selection,
                plan_title=title,
            )

        made = run_write(factory, make)
        _write_bytes(args.output, made.data)
        print(
            f"Wrote an update return for {args.owner or 'every owner'} "
            f"({made.actions} actions) to {args.output}",
            file=sys.stderr,
        )
        return
    try:
        data = args.path.read_bytes()
    except OSError as error:
        raise CommandError(f"{args.path}: cannot be read ({error.strerror})") from error
    try:
        report = import_return(factory, data, args.path.name, imported_by=by)
    except ReturnFileError as error:
        raise CommandError(f"{args.path}: {error}") from error
    print("\n".join(report.lines()))


_COMMANDS: dict[str, Command] = {
    "migrate": _migrate_command,
    "import": _import_command,
    "export": _export_command,
    "return": _return_command,
    "plans": _plans_command,
    "users": lambda args, factory, _today: users_command(args, factory),
    "indicators": indicators_command,
    "rounds": rounds_command,
    "remind": rounds_command,
    "demo": _demo_command,
}
