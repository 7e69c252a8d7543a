"""One measurement in a fresh process: `python -m benchmarks.worker TASK 'JSON ARGS'`.

The child times only the work (not interpreter start-up or imports) and prints one line
`BENCHMARK-RESULT {json}` with the times and its own peak RSS (ru_maxrss of RUSAGE_SELF, in KB
on Linux). A task whose code is not built yet reports {"pending": "why"}.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.harness import PROJECT_ROOT, RESULT_MARKER

if TYPE_CHECKING:
    from multiprocessing.queues import Queue
    from multiprocessing.synchronize import Barrier

    from sqlalchemy.orm import Session, sessionmaker
    from streamlit.testing.v1 import AppTest

    from plan.auth import Actor

AUTHOR = "Benchmark"


class Stopwatch:
    """Wall-clock and CPU (process) time of each timed span.

    CPU time counts every thread of this process and nothing else, so it is far less
    disturbed than wall time when other work shares the machine.
    """

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    @contextmanager
    def span(self) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(time.process_time() - cpu)

    def result(self, prefix: str = "") -> dict:
        return {f"{prefix}seconds": self.wall, f"{prefix}cpu": self.cpu}


def _rss_now_kb() -> int:
    """Current resident set size, for the baseline before the timed work."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _peak_rss_kb() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS reports bytes


def _preload_import_modules() -> None:
    """What the import child has loaded before its clock starts; the floor loads it too."""
    import openpyxl  # noqa: F401

    import importers
    import importers.table
    import importers.xlsx  # noqa: F401
    import plan.importing  # noqa: F401


# ----------------------------------------------------------------------------- import


def task_import_floor(args: dict) -> dict:
    """openpyxl read-only mode iterating every cell value of the file: the import's floor."""
    from openpyxl import load_workbook

    _preload_import_modules()
    baseline = _rss_now_kb()
    watch = Stopwatch()
    with watch.span():
        data = Path(args["xlsx"]).read_bytes()
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        cells = 0
        for worksheet in workbook.worksheets:
            for row in worksheet.iter_rows(values_only=True):
                for _value in row:
                    cells += 1
        workbook.close()
    return {**watch.result(), "baseline_rss_kb": baseline, "cells": cells}


def task_import(args: dict) -> dict:
    """Read, validate and load the workbook into a fresh (migrated) SQLite file.

    With "runs" > 1 the import is repeated, each time into a new database.
    """
    from plan.database import make_engine, make_session_factory, migrate
    from plan.importing import import_file

    _preload_import_modules()
    path = Path(args["xlsx"])
    baseline = _rss_now_kb()
    watch = Stopwatch()
    reports = []
    for _ in range(max(1, args.get("runs", 1))):
        directory = Path(tempfile.mkdtemp(prefix="bench-import-"))
        try:
            engine = make_engine(f"sqlite:///{directory / 'tracker.db'}")
            migrate(engine)
            factory = make_session_factory(engine)
            with watch.span():
                report = import_file(
                    factory, path.read_bytes(), path.name, plan_name="Benchmark plan", author=AUTHOR
                )
            reports.append(report)
            engine.dispose()
        finally:
            shutil.rmtree(directory, ignore_errors=True)
    return {
        **watch.result(),
        "baseline_rss_kb": baseline,
        "actions": reports[-1].actions_created,
        "warnings": len(reports[-1].issues),
    }


# ----------------------------------------------------------------------------- dashboard


def task_dashboard(args: dict) -> dict:
    """Full AppTest reruns of each page variant on each database, each after a warm-up run;
    then first loads ("cold_"): the same run after the figures cache is emptied, as a new
    update (a new data version) would leave it, so every figure is queried again.

    args: {"databases": [path, ...], "runs": n,
           "variants": [{"page": "pages/x.py", "days_back": 0}, ...]}.
    One AppTest session per database serves every variant, as one browser tab would.
    """
    os.environ["TRACKER_LOAD_DEMO"] = "0"
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    results = {}
    for database in args["databases"]:
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
        st.cache_resource.clear()  # the engine is cached per process
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=600)
        at.run()
        _raise_on_exception(at, "app.py")
        results[database] = [
            _page_variant(at, v["page"], v.get("days_back", 0), args) for v in args["variants"]
        ]
    return {"results": results}


def _page_variant(at: AppTest, page: str, days_back: int, args: dict) -> dict:
    if not (PROJECT_ROOT / page).exists():
        return {"pending": f"{page} does not exist yet"}
    try:
        at.switch_page(page)
    except ValueError:
        return {"pending": f"{page} is not in app.py's navigation yet"}
    at.run()
    _raise_on_exception(at, page)
    try:
        widget = at.date_input(key="as_at")
    except KeyError:
        if days_back:
            return {"pending": f"{page} has no date input with key 'as_at'"}
        widget = None
    wanted = dt.date.today() - dt.timedelta(days=days_back)
    if widget is not None and widget.value != wanted:
        widget.set_value(wanted)
        at.run()  # the warm-up run for this variant
        _raise_on_exception(at, page)
    from pages.common import clear_query_cache

    watch, cold = Stopwatch(), Stopwatch()
    for _ in range(args.get("runs", 3)):
        with watch.span():
            at.run()
        _raise_on_exception(at, page)
    for _ in range(args.get("runs", 3)):
        clear_query_cache()
        with cold.span():
            at.run()
        _raise_on_exception(at, page)
    return {**watch.result(), **cold.result("cold_")}


def _raise_on_exception(at: AppTest, page: str) -> None:
    if at.exception:
        messages = "; ".join(str(e.message) for e in at.exception)
        raise RuntimeError(f"{page} raised: {messages}")


# ----------------------------------------------------------------------------- export


def _board_paper_ready() -> str | None:
    try:
        module = importlib.import_module("plan.board_paper")
    except ModuleNotFoundError:
        return "plan/board_paper.py is not built yet (issue 6)"
    if not all(hasattr(module, n) for n in ("board_paper", "board_paper_xlsx")):
        return "plan/board_paper.py has no board_paper/board_paper_xlsx yet (issue 6)"
    return None


def task_export(args: dict) -> dict:
    """The board paper for every action (figures read, then the styled workbook written),
    and its floor: openpyxl write-only mode writing the same cell values with no formatting.

    The floor's values are read back from the board paper's own workbook, sheet by sheet.
    """
    why = _board_paper_ready()
    if why:
        return {"pending": why}
    from openpyxl import Workbook, load_workbook

    from plan.board_paper import board_paper, board_paper_xlsx
    from plan.database import make_engine, make_session_factory
    from plan.queries import Selection
    from rulebook.dates import previous_quarter_end

    engine = make_engine(f"sqlite:///{args['db']}")
    factory = make_session_factory(engine)
    as_at = dt.date.today()
    compared_with = previous_quarter_end(as_at)
    total, reading, writing, floor = Stopwatch(), Stopwatch(), Stopwatch(), Stopwatch()
    sheets: list[tuple[str, list[tuple]]] = []
    for run in range(args.get("runs", 1)):
        with factory() as session, total.span():
            with reading.span():
                paper = board_paper(
                    session, selection=Selection(), as_at=as_at, compared_with=compared_with
                )
            with writing.span():
                data = board_paper_xlsx(paper)
        if run == 0:
            workbook = load_workbook(io.BytesIO(data), read_only=True)
            sheets = [
                (sheet.title, [tuple(row) for row in sheet.iter_rows(values_only=True)])
                for sheet in workbook.worksheets
            ]
            workbook.close()
        with floor.span():
            plain = Workbook(write_only=True)
            for title, rows in sheets:
                sheet = plain.create_sheet(title)
                for row in rows:
                    sheet.append(row)
            plain.save(io.BytesIO())
    engine.dispose()
    return {
        **total.result(),
        **reading.result("reading_"),
        **writing.result("writing_"),
        **floor.result("floor_"),
        "cells": sum(len(row) for _, rows in sheets for row in rows),
        "rows": {title: len(rows) for title, rows in sheets},
    }


# ----------------------------------------------------------------------------- updates


def _updates_ready() -> str | None:
    try:
        services = importlib.import_module("plan.services")
    except ModuleNotFoundError:
        return "plan/services.py is not built yet (issue 5)"
    if not hasattr(services, "submit_progress"):
        return "plan/services.py has no submit_progress yet (issue 5)"
    return None


def _owner_actor(factory: sessionmaker[Session], name: str, email: str) -> tuple[Actor, list[int]]:
    """An account with the owner role linked to `name`, and the ids of the actions it owns."""
    from sqlalchemy import select

    from plan.auth import actor_for
    from plan.models import ActionOwner, Role, User, UserOwnerName

    with factory() as session, session.begin():
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, display_name=name, role=Role.OWNER)
            user.owner_names = [UserOwnerName(name=name)]
            session.add(user)
            session.flush()
        actor = actor_for(user)
        owned = list(session.scalars(select(ActionOwner.action_id).where(ActionOwner.name == name)))
    return actor, owned


def _copy_database(source: str) -> Path:
    directory = Path(tempfile.mkdtemp(prefix="bench-updates-"))
    target = directory / "tracker.db"
    shutil.copyfile(source, target)
    return target


def task_updates_latency(args: dict) -> dict:
    """Record progress updates one at a time as the update form does; time each."""
    why = _updates_ready()
    if why:
        return {"pending": why}
    from plan.database import make_engine, make_session_factory, migrate
    from plan.services import ProgressInput, latest_update_id, submit_progress
    from rulebook.rag import Rag

    db = _copy_database(args["db"])
    try:
        engine = make_engine(f"sqlite:///{db}")
        migrate(engine)
        factory = make_session_factory(engine)
        actor, owned = _owner_actor(factory, "Kylie Thornton", "kylie.thornton@example.org")
        rng = random.Random(3)
        watch = Stopwatch()
        for _ in range(args.get("count", 200)):
            action_id = rng.choice(owned)
            with factory() as session:
                token = latest_update_id(session, action_id)
            entry = ProgressInput(
                rag=rng.choice((Rag.GREEN, Rag.AMBER)),
                progress="Benchmark update: on track with the agreed milestones.",
                issue="Staffing gap",
                remedy="Cover agreed",
                percent_complete=50,
            )
            with watch.span():
                submit_progress(factory, actor, action_id, entry, expected_latest_update_id=token)
        engine.dispose()
    finally:
        shutil.rmtree(db.parent, ignore_errors=True)
    return watch.result()


def _writer(
    db: str,
    index: int,
    actor: Actor,
    action_ids: list[int],
    duration: float,
    start: Barrier,
    queue: Queue[dict[str, Any]],
) -> None:
    """One concurrent writer: update its own actions until `until`; count outcomes."""
    from plan.database import make_engine, make_session_factory
    from plan.services import ProgressInput, latest_update_id, submit_progress
    from rulebook.rag import Rag

    engine = make_engine(f"sqlite:///{db}")
    factory = make_session_factory(engine)
    saved, errors = 0, []
    rng = random.Random(index)
    start.wait()  # every writer starts together, once all have loaded their modules
    until = time.monotonic() + duration
    while time.monotonic() < until:
        action_id = rng.choice(action_ids)
        try:
            with factory() as session:
                token = latest_update_id(session, action_id)
            entry = ProgressInput(rag=Rag.GREEN, progress=f"Writer {index} update {saved + 1}")
            submit_progress(factory, actor, action_id, entry, expected_latest_update_id=token)
            saved += 1
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}"[:200])
    engine.dispose()
    queue.put({"index": index, "saved": saved, "errors": errors})


def task_updates_concurrency(args: dict) -> dict:
    """N writer processes for S seconds; every reported save must be in the database."""
    why = _updates_ready()
    if why:
        return {"pending": why}
    import multiprocessing

    from sqlalchemy import func, select

    from benchmarks.generate import PEOPLE
    from plan.database import make_engine, make_session_factory, migrate
    from plan.models import AuditEntry, ProgressUpdate

    writers, duration = args.get("writers", 8), args.get("seconds", 10)
    db = _copy_database(args["db"])
    try:
        engine = make_engine(f"sqlite:///{db}")
        migrate(engine)
        factory = make_session_factory(engine)
        accounts = [
            _owner_actor(factory, name, f"writer{i}@example.org")
            for i, name in enumerate(PEOPLE[:writers])
        ]
        # Each writer updates only actions no other writer owns: two people saving the same
        # action at once is a Conflict by design (optimistic locking), not a lost update.
        owners_of: dict[int, int] = {}
        for _, owned in accounts:
            for action_id in set(owned):
                owners_of[action_id] = owners_of.get(action_id, 0) + 1
        accounts = [(a, [i for i in owned if owners_of[i] == 1]) for a, owned in accounts]
        with factory() as session:
            before = session.execute(select(func.count(ProgressUpdate.id))).scalar_one()
            audits_before = session.execute(select(func.count(AuditEntry.id))).scalar_one()
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        start = context.Barrier(writers)
        processes = [
            context.Process(target=_writer, args=(str(db), i, actor, owned, duration, start, queue))
            for i, (actor, owned) in enumerate(accounts)
        ]
        for process in processes:
            process.start()
        outcomes = [queue.get(timeout=duration + 300) for _ in processes]
        for process in processes:
            process.join()
        with factory() as session:
            after = session.execute(select(func.count(ProgressUpdate.id))).scalar_one()
            audits_after = session.execute(select(func.count(AuditEntry.id))).scalar_one()
        engine.dispose()
    finally:
        shutil.rmtree(db.parent, ignore_errors=True)
    saved = sum(o["saved"] for o in outcomes)
    errors = [e for o in outcomes for e in o["errors"]]
    return {
        "seconds": [duration],
        "cpu": [duration],
        "saved": saved,
        "inserted": after - before,
        "audited": audits_after - audits_before,
        "errors": errors[:5],
        "error_count": len(errors),
    }


TASKS = {
    "import_floor": task_import_floor,
    "import": task_import,
    "dashboard": task_dashboard,
    "export": task_export,
    "updates_latency": task_updates_latency,
    "updates_concurrency": task_updates_concurrency,
}


def main(argv: list[str]) -> int:
    task, args = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    result = TASKS[task](args)
    result["peak_rss_kb"] = _peak_rss_kb()
    sys.stdout.write(RESULT_MARKER + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
