"""Reading an uploaded file in a child process with memory and time limits.

Action plans (importers.read_plan_file) and indicator tables (importers.indicators) alike.
The readers bound what they read, but an upload comes from anyone with the import page open:
if a file still finds a way to take gigabytes or minutes, it must fail alone, not take the
app (every user's session) down with it. The child is a fresh interpreter (spawn: forking a
server with threads is unsafe), limited by the operating system (address space and CPU
time), and the parent also stops waiting after a wall-clock deadline and kills it.
"""

from __future__ import annotations

import functools
import multiprocessing
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from importers import read_plan_file
from importers.errors import ImportFileError
from importers.rows import ReadResult

if TYPE_CHECKING:
    from importers.indicators import IndicatorRead


@dataclass(frozen=True)
class Limits:
    """What one read may use. The defaults leave room for a 50 MB, 200,000-row workbook."""

    memory_bytes: int = 2 * 1024**3
    cpu_seconds: int = 120
    wall_seconds: float = 180.0


Progress = Callable[[float, str], Any]
# A reader run in the child: (data, filename, mapping override, progress) -> its result.
Reader = Callable[[bytes, str, dict[str, str] | None, Progress], Any]


def _read_plan(
    data: bytes,
    filename: str,
    mapping_override: dict[str, str] | None,
    progress: Progress,
    sheet: str | None = None,
) -> ReadResult:
    return read_plan_file(data, filename, mapping_override, progress=progress, sheet=sheet)


def _read_indicators(
    data: bytes, filename: str, mapping_override: dict[str, str] | None, progress: Progress
) -> IndicatorRead:
    # Imported here, in the child only: the plan reader's child loads what it always did.
    from importers.indicators import read_indicator_file

    return read_indicator_file(data, filename)


def read_isolated(
    data: bytes,
    filename: str,
    mapping_override: dict[str, str] | None = None,
    *,
    progress: Progress | None = None,
    limits: Limits = Limits(),
    sheet: str | None = None,
) -> ReadResult:
    """`importers.read_plan_file` in a limited child process; the same result or error."""
    reader = functools.partial(_read_plan, sheet=sheet)
    result: ReadResult = _isolated(reader, data, filename, mapping_override, progress, limits)
    return result


def read_indicators_isolated(
    data: bytes,
    filename: str,
    *,
    progress: Progress | None = None,
    limits: Limits = Limits(),
) -> IndicatorRead:
    """`importers.indicators.read_indicator_file` in a limited child process, likewise."""
    result: IndicatorRead = _isolated(_read_indicators, data, filename, None, progress, limits)
    return result


def _isolated(
    reader: Reader,
    data: bytes,
    filename: str,
    mapping_override: dict[str, str] | None,
    progress: Progress | None,
    limits: Limits,
) -> Any:
    name = PurePath(filename).name or filename or "file"
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_read_in_child,
        args=(sender, reader, data, filename, mapping_override, limits),
        daemon=True,
    )
    child.start()
    sender.close()
    try:
        return _outcome(receiver, child, name, progress, limits)
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()


def _outcome(
    receiver: Connection,
    child: Any,
    name: str,
    progress: Progress | None,
    limits: Limits,
) -> Any:
    deadline = time.monotonic() + limits.wall_seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not receiver.poll(left):
            raise ImportFileError(name, _TOO_SLOW.format(seconds=round(limits.wall_seconds)))
        try:
            kind, *payload = receiver.recv()
        except EOFError as error:  # the child died: the operating system stopped it
            raise ImportFileError(name, _TOO_BIG) from error
        if kind == "progress" and progress is not None:
            progress(*payload)
        elif kind == "error":
            raise ImportFileError(*payload)
        elif kind == "done":
            return payload[0]


_TOO_SLOW = (
    "took more than {seconds} s to read and was stopped; split the plan into smaller files, "
    "or save it again as a plain .xlsx"
)
_TOO_BIG = (
    "needs more memory or time than an import may use and was stopped; split the plan into "
    "smaller files, or save it again as a plain .xlsx"
)


def _read_in_child(
    sender: Connection,
    reader: Reader,
    data: bytes,
    filename: str,
    mapping_override: dict[str, str] | None,
    limits: Limits,
) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds))
    try:
        result = reader(
            data,
            filename,
            mapping_override,
            lambda fraction, message: sender.send(("progress", fraction, message)),
        )
    except ImportFileError as error:
        sender.send(("error", error.filename, error.problem))
    else:
        sender.send(("done", result))
    finally:
        sender.close()
