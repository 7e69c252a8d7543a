"""The harness's bookkeeping: child processes, medians, ratios, slopes and the results table.

Nothing here knows about plans; `benchmarks.suite` says what to measure.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULT_MARKER = "BENCHMARK-RESULT "

PASS, FAIL, PENDING = "pass", "FAIL", "pending"


class ChildFailed(RuntimeError):
    """A measuring child process crashed or reported no result."""


@dataclass(frozen=True)
class Row:
    """One line of the results table."""

    name: str
    measured: str
    floor: str
    ratio: str
    target: str
    status: str
    note: str = ""

    @property
    def failed(self) -> bool:
        return self.status == FAIL


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("no values to take the median of")
    return statistics.median(values)


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction 0.95 for p95)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def loglog_slope(sizes: Sequence[float], times: Sequence[float]) -> float:
    """Least-squares slope of log(time) against log(size): 1 is linear, 2 quadratic."""
    if len(sizes) != len(times) or len(sizes) < 2:
        raise ValueError("need at least two (size, time) points")
    xs = [math.log(s) for s in sizes]
    ys = [math.log(t) for t in times]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        raise ValueError("sizes must differ")
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def seconds(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.2f} s"


def megabytes(kilobytes: float) -> str:
    return f"{kilobytes / 1024:.0f} MB"


def ratio_row(
    name: str,
    measured: float,
    floor: float,
    limit: float,
    *,
    unit: Callable[[float], str] = seconds,
    note: str = "",
) -> Row:
    """measured / floor against `limit` ("at most limit x the floor")."""
    ratio = measured / floor if floor > 0 else math.inf
    return Row(
        name=name,
        measured=unit(measured),
        floor=unit(floor),
        ratio=f"{ratio:.2f}x",
        target=f"<= {limit:g}x",
        status=PASS if ratio <= limit else FAIL,
        note=note,
    )


def absolute_row(
    name: str,
    measured: float,
    limit: float,
    *,
    unit: Callable[[float], str] = seconds,
    note: str = "",
    floor: float | None = None,
) -> Row:
    """An absolute target ("under limit"); a `floor`, if given, is shown with its ratio for
    information only."""
    return Row(
        name=name,
        measured=unit(measured),
        floor="-" if floor is None else unit(floor),
        ratio="-" if not floor else f"{measured / floor:.2f}x",
        target=f"< {unit(limit)}",
        status=PASS if measured < limit else FAIL,
        note=note,
    )


def slope_row(name: str, sizes: Sequence[int], times: Sequence[float], limit: float) -> Row:
    slope = loglog_slope(sizes, times)
    per_action = ", ".join(
        f"{size // 1000 if size >= 1000 else size}{'k' if size >= 1000 else ''}: "
        f"{time / size * 1e6:.0f} us"
        for size, time in zip(sizes, times, strict=True)
    )
    return Row(
        name=name,
        measured=f"slope {slope:.2f}",
        floor="-",
        ratio="-",
        target=f"slope <= {limit:g}",
        status=PASS if slope <= limit else FAIL,
        note=f"per action: {per_action}",
    )


def pending_row(name: str, target: str, why: str) -> Row:
    return Row(name, "-", "-", "-", target, PENDING, why)


def failed_row(name: str, target: str, why: str) -> Row:
    return Row(name, "-", "-", "-", target, FAIL, why)


HEADERS = ("benchmark", "measured", "floor", "ratio", "target", "result")


def format_table(rows: Sequence[Row], *, markdown: bool = False) -> str:
    """The results as a fixed-width table (or Markdown), notes listed underneath."""
    cells = [(r.name, r.measured, r.floor, r.ratio, r.target, r.status) for r in rows]
    if markdown:
        lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
        lines += ["| " + " | ".join(c) + " |" for c in cells]
    else:
        widths = [max(len(str(c[i])) for c in [HEADERS, *cells]) for i in range(len(HEADERS))]

        def line(values):
            return "  ".join(str(v).ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

        lines = [line(HEADERS), line("-" * w for w in widths), *(line(c) for c in cells)]
    notes = [f"- {r.name}: {r.note}" for r in rows if r.note]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def run_child(task: str, args: dict, *, timeout: float = 1800) -> dict:
    """Run `python -m benchmarks.worker TASK ARGS` in a fresh process; return its JSON result.

    One process per measurement: the child reports its own peak RSS (ru_maxrss of
    RUSAGE_SELF), which a parent cannot separate per child.
    """
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PROJECT_ROOT), environment.get("PYTHONPATH", "")) if p
    )
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.worker", task, json.dumps(args)],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    for output_line in reversed(completed.stdout.splitlines()):
        if output_line.startswith(RESULT_MARKER):
            return json.loads(output_line[len(RESULT_MARKER) :])
    lines = (completed.stderr or completed.stdout).strip().splitlines()
    last = lines[-1] if lines else "(no output)"
    raise ChildFailed(f"{task} exited {completed.returncode} without a result: {last[:400]}")
