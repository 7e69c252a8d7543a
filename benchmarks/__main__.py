"""`python -m benchmarks [--quick] [--only NAME ...] [--runs N] [--markdown]`.

Prints the results table and exits 1 when a target is missed (pending benchmarks, whose code
is not built yet, do not fail the run).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

from benchmarks.generate import CACHE_DIR
from benchmarks.harness import format_table
from benchmarks.suite import BENCHMARKS, FULL, QUICK, Context, run


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmarks with targets measured against floors taken in the same run.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a tenth of the scale (well under the full run)"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=list(BENCHMARKS),
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}",
    )
    parser.add_argument("--runs", type=int, help="runs per measurement (median is reported)")
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="time targets in wall-clock time (default) or this process's CPU time, which "
        "other load on the machine disturbs far less",
    )
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    scale = QUICK if options.quick else FULL
    if options.runs:
        from dataclasses import replace

        scale = replace(scale, runs=max(1, options.runs))
    started = time.perf_counter()

    def log(message: str) -> None:
        if not options.quiet:
            print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr)

    log(f"{scale.name} run; generated data is cached in {CACHE_DIR}")
    rows = run(options.only or list(BENCHMARKS), Context(scale=scale, log=log, clock=options.clock))
    elapsed = time.perf_counter() - started
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Benchmarks ({scale.name}, {scale.runs} runs, medians of {options.clock} time) "
        f"on {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {load:.1f}; took {elapsed:.0f} s\n"
    )
    print(format_table(rows, markdown=options.markdown))
    failed = [r.name for r in rows if r.failed]
    if failed:
        print(f"\n{len(failed)} target(s) missed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
