"""The benchmarks of issue 7 and their targets. Each returns rows for the results table."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from benchmarks.generate import cached_database, cached_xlsx, scaled
from benchmarks.harness import (
    FAIL,
    PASS,
    ChildFailed,
    Row,
    absolute_row,
    failed_row,
    median,
    megabytes,
    pending_row,
    percentile,
    ratio_row,
    run_child,
    seconds,
    slope_row,
)

RATIO_LIMIT = 2.0
DASHBOARD_LIMIT_S = 1.5
UPDATE_P95_LIMIT_S = 0.020
SLOPE_LIMIT = 1.1
SMALL_ACTIONS = 100
PAGES = ("pages/overview.py", "pages/objectives.py", "pages/overdue.py")
YEAR_BACK = 365


@dataclass(frozen=True)
class Scale:
    name: str
    actions: int  # the import, dashboard, export and update benchmarks' size
    growth: tuple[int, ...]
    runs: int
    update_count: int
    writer_seconds: float
    writers: int = 8
    # Growth points above this size are measured once (a 100k import takes minutes);
    # the import at `actions` reuses the import benchmark's median when both run.
    single_run_above: int = 20_000
    indicators: int = 1_000  # each with 40 quarters of targets and values


FULL = Scale("full", 20_000, (1_000, 5_000, 20_000, 100_000), 5, 200, 10)
QUICK = Scale(
    "quick", 2_000, (100, 500, 2_000, 10_000), 3, 50, 3, single_run_above=0, indicators=200
)


@dataclass
class Context:
    scale: Scale
    log: Callable[[str], None]
    import_times: dict[int, float] = field(default_factory=dict)
    dashboard_times: dict[int, float] = field(default_factory=dict)
    first_load_times: dict[int, float] = field(default_factory=dict)
    generated: dict = field(default_factory=dict)
    clock: str = "wall"  # or "cpu": see Stopwatch in benchmarks.worker

    def times(self, result: dict, prefix: str = "") -> list[float]:
        return result[f"{prefix}{'cpu' if self.clock == 'cpu' else 'seconds'}"]

    def database(self, actions: int) -> Path:
        if actions not in self.generated:
            started = time.perf_counter()
            self.generated[actions] = cached_database(**scaled(actions))
            took = time.perf_counter() - started
            if took > 1:
                self.log(f"generated the {actions}-action database in {took:.0f} s (cached)")
        return self.generated[actions]


# ----------------------------------------------------------------------------- 1. import


def _import(xlsx: Path, expected: int, runs: int = 1) -> dict:
    result = run_child("import", {"xlsx": str(xlsx), "runs": runs})
    if result.get("actions") != expected:
        raise ChildFailed(f"imported {result.get('actions')} actions, expected {expected}")
    return result


def bench_import(ctx: Context) -> list[Row]:
    n = ctx.scale.actions
    xlsx = cached_xlsx(actions=n)
    measured, floors = [], []
    for run in range(ctx.scale.runs):  # alternate, so drift in machine load hits both
        ctx.log(f"import {n}: run {run + 1}/{ctx.scale.runs}")
        floors.append(run_child("import_floor", {"xlsx": str(xlsx)}))
        measured.append(_import(xlsx, n))
    time_measured = median([ctx.times(r)[0] for r in measured])
    ctx.import_times[n] = time_measured
    warnings = measured[0].get("warnings", 0)
    return [
        ratio_row(
            f"import {n // 1000}k actions: time",
            time_measured,
            median([ctx.times(r)[0] for r in floors]),
            RATIO_LIMIT,
            note=f"floor: openpyxl read-only iterating every cell value; "
            f"{warnings} import warnings (messy deadlines)",
        ),
        ratio_row(
            f"import {n // 1000}k actions: peak RSS",
            median([r["peak_rss_kb"] for r in measured]),
            median([r["peak_rss_kb"] for r in floors]),
            RATIO_LIMIT,
            unit=megabytes,
            note="both children load the same modules first (library baseline "
            f"{megabytes(median([r['baseline_rss_kb'] for r in floors]))})",
        ),
    ]


# ----------------------------------------------------------------------------- 2. dashboard


def _variants() -> list[dict]:
    return [{"page": page, "days_back": back} for page in PAGES for back in (0, YEAR_BACK)]


def _variant_name(variant: dict) -> str:
    page = variant["page"].removeprefix("pages/").removesuffix(".py")
    return page + (", as at a year back" if variant["days_back"] else "")


def _dashboard(databases: list, variants: list[dict], runs: int) -> dict[str, list[dict]]:
    args = {"databases": [str(d) for d in databases], "variants": variants, "runs": runs}
    return run_child("dashboard", args)["results"]


def bench_dashboard(ctx: Context) -> list[Row]:
    n = ctx.scale.actions
    shape = scaled(n)
    large, small = ctx.database(n), ctx.database(SMALL_ACTIONS)
    variants = _variants()
    ctx.log(f"dashboard: {len(variants)} page variants on {n} actions and on {SMALL_ACTIONS}")
    results = _dashboard([large, small], variants, ctx.scale.runs)
    big, little = results[str(large)], results[str(small)]
    rows = []
    size = f"{shape['plans']} plans/{n // 1000}k actions/{shape['updates'] // 1000}k updates"
    for variant, on_large, on_small in zip(variants, big, little, strict=True):
        name = f"dashboard {_variant_name(variant)}"
        if "pending" in on_large:
            rows.append(pending_row(name, f"<= {RATIO_LIMIT:g}x", on_large["pending"]))
            continue
        if variant == variants[0]:
            ctx.dashboard_times[n] = median(ctx.times(on_large))
            ctx.dashboard_times[SMALL_ACTIONS] = median(ctx.times(on_small))
            ctx.first_load_times[n] = median(ctx.times(on_large, "cold_"))
            ctx.first_load_times[SMALL_ACTIONS] = median(ctx.times(on_small, "cold_"))
        rows.extend(
            _page_rows(
                ctx,
                (name, f"{n // 1000}k", f"{SMALL_ACTIONS}"),
                on_large,
                on_small,
                f"AppTest rerun median on {size}; floor: the same page on {SMALL_ACTIONS} actions",
            )
        )
    return rows


def _page_rows(
    ctx: Context, names: tuple[str, str, str], on_large: dict, on_small: dict, note: str
) -> list[Row]:
    """A page's rerun against the same page on the small data, its rerun time, and its first
    load after a data change (the ratio shown, not judged)."""
    name, large, small = names
    measured, floor = median(ctx.times(on_large)), median(ctx.times(on_small))
    cold = median(ctx.times(on_large, "cold_"))
    cold_floor = median(ctx.times(on_small, "cold_"))
    return [
        ratio_row(f"{name}: {large} vs {small}", measured, floor, RATIO_LIMIT, note=note),
        absolute_row(f"{name}: {large} absolute", measured, DASHBOARD_LIMIT_S),
        absolute_row(
            f"{name}: {large} first load",
            cold,
            DASHBOARD_LIMIT_S,
            floor=cold_floor,
            note="the run after a data change, every figure queried again; the ratio to "
            f"the same on {small} is shown, not judged",
        ),
    ]


# ----------------------------------------------------------------------------- 2b. indicators

SMALL_INDICATORS = 50  # one page of the Indicators page
INDICATOR_PERIODS = 40
INDICATOR_PAGES = {"pages/indicators.py": "Indicators page", "pages/indicator.py": "Indicator page"}


def bench_indicators(ctx: Context) -> list[Row]:
    """The Indicators and Indicator pages on `indicators` x 40 quarters against the same
    pages on 50 x 40 (one page of the list), with the dashboard's targets."""
    from benchmarks.generate_indicators import cached_indicator_database

    n = ctx.scale.indicators
    large = cached_indicator_database(indicators=n, periods=INDICATOR_PERIODS)
    small = cached_indicator_database(indicators=SMALL_INDICATORS, periods=INDICATOR_PERIODS)
    variants = [{"page": p, "days_back": back} for p in INDICATOR_PAGES for back in (0, YEAR_BACK)]
    ctx.log(f"indicators: {len(variants)} page variants on {n} and on {SMALL_INDICATORS}")
    results = _dashboard([large, small], variants, ctx.scale.runs)
    rows = []
    size = f"{n:,} indicators x {INDICATOR_PERIODS} quarters (5% corrected)"
    for variant, on_large, on_small in zip(
        variants, results[str(large)], results[str(small)], strict=True
    ):
        name = INDICATOR_PAGES[str(variant["page"])] + (
            ", as at a year back" if variant["days_back"] else ""
        )
        rows.extend(
            _page_rows(
                ctx,
                (name, f"{n:,}", f"{SMALL_INDICATORS}"),
                on_large,
                on_small,
                f"AppTest rerun median on {size}; floor: the same page on "
                f"{SMALL_INDICATORS} indicators",
            )
        )
    return rows


# ----------------------------------------------------------------------------- 3. export


def bench_export(ctx: Context) -> list[Row]:
    n = ctx.scale.actions
    name = f"export board paper {n // 1000}k actions"
    database = str(ctx.database(n))
    ctx.log(f"export: board paper for {n} actions")
    result = run_child("export", {"db": database, "runs": ctx.scale.runs})
    if "pending" in result:
        return [pending_row(name, f"<= {RATIO_LIMIT:g}x", result["pending"])]
    floor = median(ctx.times(result, "floor_"))
    sheets = ", ".join(f"{title} {rows}" for title, rows in result["rows"].items())
    return [
        ratio_row(
            f"{name}: end to end",
            median(ctx.times(result)),
            floor,
            RATIO_LIMIT,
            note=f"figures read {seconds(median(ctx.times(result, 'reading_')))} + workbook "
            f"written {seconds(median(ctx.times(result, 'writing_')))}; floor: openpyxl "
            f"write-only writing the same {result['cells']} cell values unformatted "
            f"(rows: {sheets})",
        ),
        ratio_row(
            f"{name}: workbook only", median(ctx.times(result, "writing_")), floor, RATIO_LIMIT
        ),
    ]


# ----------------------------------------------------------------------------- 4. updates


def bench_updates(ctx: Context) -> list[Row]:
    n = ctx.scale.actions
    database = str(ctx.database(n))
    ctx.log(f"updates: {ctx.scale.update_count} single updates, then concurrent writers")
    latency = run_child("updates_latency", {"db": database, "count": ctx.scale.update_count})
    name = "update: record one progress update, p95"
    if "pending" in latency:
        return [pending_row(name, f"< {seconds(UPDATE_P95_LIMIT_S)}", latency["pending"])]
    each = ctx.times(latency)
    rows = [
        absolute_row(
            name,
            percentile(each, 0.95),
            UPDATE_P95_LIMIT_S,
            note=f"{len(each)} updates via submit_progress on {n // 1000}k "
            f"actions (median {seconds(median(each))})",
        )
    ]
    writers, duration = ctx.scale.writers, ctx.scale.writer_seconds
    concurrent = run_child(
        "updates_concurrency", {"db": database, "writers": writers, "seconds": duration}
    )
    saved, inserted = concurrent["saved"], concurrent["inserted"]
    audited, errors = concurrent["audited"], concurrent["error_count"]
    ok = errors == 0 and saved > 0 and inserted == saved and audited >= saved
    rows.append(
        Row(
            f"update: {writers} writers x {duration:g} s",
            f"{saved} saved, {inserted} stored",
            "-",
            "-",
            "none lost, no errors",
            PASS if ok else FAIL,
            f"{audited} audit entries, {errors} errors"
            + (f" (first: {concurrent['errors'][0]})" if errors else ""),
        )
    )
    return rows


# ----------------------------------------------------------------------------- 5. growth


def bench_growth(ctx: Context) -> list[Row]:
    sizes = ctx.scale.growth
    for n in sizes:
        if n not in ctx.import_times:
            runs = 1 if n > ctx.scale.single_run_above else ctx.scale.runs
            ctx.log(f"growth: import {n} actions x {runs}")
            ctx.import_times[n] = median(ctx.times(_import(cached_xlsx(actions=n), n, runs)))
    crashed: dict[int, str] = {}
    missing = [n for n in sizes if n not in ctx.dashboard_times]
    for n in missing:  # one child per size, so a page that breaks at one size shows which
        runs = 1 if n > ctx.scale.single_run_above else ctx.scale.runs
        ctx.log(f"growth: dashboard overview on {n} actions x {runs}")
        database = ctx.database(n)
        try:
            results = _dashboard([database], [{"page": PAGES[0], "days_back": 0}], runs)
            ctx.dashboard_times[n] = median(ctx.times(results[str(database)][0]))
            ctx.first_load_times[n] = median(ctx.times(results[str(database)][0], "cold_"))
        except ChildFailed as error:
            crashed[n] = str(error)
    rows = [
        slope_row(
            "growth: import time vs actions",
            sizes,
            [ctx.import_times[n] for n in sizes],
            SLOPE_LIMIT,
        )
    ]
    measured = [n for n in sizes if n in ctx.dashboard_times]
    name = "growth: dashboard time vs actions"
    if len(measured) < 2:
        rows.append(failed_row(name, f"slope <= {SLOPE_LIMIT:g}", "; ".join(crashed.values())))
        return rows
    for name, times in (
        ("growth: dashboard time vs actions", ctx.dashboard_times),
        ("growth: dashboard first load vs actions", ctx.first_load_times),
    ):
        row = slope_row(name, measured, [times[n] for n in measured], SLOPE_LIMIT)
        if crashed:
            failures = "; ".join(f"at {n} actions: {why}" for n, why in crashed.items())
            row = replace(row, status=FAIL, note=f"{row.note}; FAILED {failures}")
        rows.append(row)
    return rows


# ----------------------------------------------------------------------------- 6. browser

BROWSER_RATIO_LIMIT = 1.5
PAGE_MOVE_LIMIT_S = 1.0


def _moves_note(moves: list[float], links: list[str]) -> str:
    """The median move to each page, and the first one after the server started (its page's
    code not yet imported), which the medians leave out."""
    medians = [median(moves[i :: len(links)]) for i in range(len(links))]
    return (
        "medians of "
        + ", ".join(f"{link} {seconds(t)}" for link, t in zip(links, medians, strict=True))
        + "; the first pass, just after the server started: "
        + ", ".join(seconds(t) for t in moves[: len(links)])
    )


def bench_browser(ctx: Context) -> list[Row]:
    """First figure in Chromium against a bare Streamlit app, on the demo and at scale."""
    from benchmarks import browser
    from benchmarks.generate import CACHE_DIR

    missing = browser.chromium_missing()
    if missing:
        return [pending_row("browser: first figure", f"<= {BROWSER_RATIO_LIMIT:g}x", missing)]
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    rows = []
    runs = max(3, ctx.scale.runs * 2)
    for label, database, moves in (
        ("demo", browser.demo_database(CACHE_DIR), False),
        (f"{ctx.scale.actions // 1000}k actions", ctx.database(ctx.scale.actions), True),
    ):
        ctx.log(f"browser: {label}, {runs} visits to each app")
        measured = browser.measure(database, runs, moves=moves)
        rows.append(
            ratio_row(
                f"browser first figure: {label}",
                measured.app_median,
                measured.bare_median,
                BROWSER_RATIO_LIMIT,
                note=measured.where(),
            )
        )
        if moves:
            rows.append(
                absolute_row(
                    f"browser page move by the sidebar: {label}",
                    max(median(measured.moves[i :: len(browser.MOVES)]) for i in range(3)),
                    PAGE_MOVE_LIMIT_S,
                    note=_moves_note(measured.moves, [link for link, _ in browser.MOVES]),
                )
            )
    return rows


BENCHMARKS: dict[str, Callable[[Context], list[Row]]] = {
    "import": bench_import,
    "dashboard": bench_dashboard,
    "indicators": bench_indicators,
    "export": bench_export,
    "updates": bench_updates,
    "growth": bench_growth,
    "browser": bench_browser,
}


def run(names: list[str], ctx: Context) -> list[Row]:
    rows: list[Row] = []
    for name in names:
        started = time.perf_counter()
        try:
            rows.extend(BENCHMARKS[name](ctx))
        except ChildFailed as error:
            rows.append(failed_row(name, "-", str(error)[:300]))
        ctx.log(f"{name} done in {time.perf_counter() - started:.0f} s")
    return rows
