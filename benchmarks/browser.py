"""In the browser: from navigation to the first figure, against a bare Streamlit app.

Both apps run with `streamlit run` in this run, on loopback; Debian's Chromium (headless,
through Playwright) opens each in a fresh browser context per visit, alternating the two, and
times `page.goto` to the first `[data-testid="stMetric"]`. Moving between pages is timed from
the click on a sidebar link to that page's first figure or table.

For each visit the browser's timeline is kept too (navigation timing, when the WebSocket
opened, how many messages and bytes arrived before the first figure), so the table's note
says where the time goes.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1366, "height": 768}
FIRST_FIGURE = '[data-testid="stMetric"]'
# The Overview's last part, below the first screen: its table of actions, drawn.
TABLE_DRAWN = '[data-testid="stDataFrame"] canvas'
BARE_APP = 'import streamlit as st\n\nst.metric("Actions", "63", border=True)\n'
# Sidebar moves: (link text, what shows the page is there: its heading).
MOVES = (("Overdue", "Overdue"), ("Objectives", "Objectives"), ("Overview", "Overview"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """`streamlit run SCRIPT` on a free loopback port, in `folder` (its .streamlit config);
    its output goes to a log in `logs`."""

    def __init__(self, script: Path, folder: Path, env: dict[str, str], logs: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (logs / f"streamlit-{self.port}.log").open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.headless=true",
                "--server.address=127.0.0.1",
                f"--server.port={self.port}",
                "--browser.gatherUsageStats=false",
            ],
            cwd=folder,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not start: see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@dataclass
class Visit:
    seconds: float
    timeline: dict[str, float] = field(default_factory=dict)


_TIMELINE_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const scripts = performance.getEntriesByType('resource')
    .filter(r => r.initiatorType === 'script' || r.name.endsWith('.js'));
  return {
    html: nav.responseEnd,
    dom_ready: nav.domContentLoadedEventEnd,
    scripts_done: Math.max(0, ...scripts.map(r => r.responseEnd)),
    script_kb: scripts.reduce((s, r) => s + (r.encodedBodySize || 0), 0) / 1024,
  };
}"""


def visit(browser: Any, url: str, *, table: bool = False) -> Visit:
    """A fresh context: navigation to the first figure, with the timeline of the visit (and,
    with `table`, when the page's table was drawn)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(120_000)
    frames = {"count": 0, "bytes": 0, "opened": 0.0, "first": 0.0}
    started = time.perf_counter()

    def on_socket(socket: Any) -> None:
        frames["opened"] = time.perf_counter() - started

        def received(payload: Any) -> None:
            frames["count"] += 1
            frames["bytes"] += len(payload)
            frames["first"] = frames["first"] or time.perf_counter() - started

        socket.on("framereceived", received)

    page.on("websocket", on_socket)
    page.goto(url, wait_until="commit")
    page.wait_for_selector(FIRST_FIGURE)
    took = time.perf_counter() - started
    before_figure = dict(frames)
    table_drawn = took
    if table:
        page.wait_for_selector(TABLE_DRAWN)
        table_drawn = time.perf_counter() - started
    timeline = {k: v / 1000 for k, v in page.evaluate(_TIMELINE_JS).items() if k != "script_kb"}
    timeline.update(
        socket_open=frames["opened"],
        first_message=frames["first"],
        messages=float(before_figure["count"]),
        message_kb=before_figure["bytes"] / 1024,
        table_drawn=table_drawn,
    )
    context.close()
    return Visit(took, timeline)


def page_moves(browser: Any, url: str) -> list[float]:
    """Click each sidebar link in turn; the time to that page's first figure or table."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(url)
    page.wait_for_selector(FIRST_FIGURE)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached")
    times = []
    for link, heading in MOVES:
        started = time.perf_counter()
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=link).click()
        page.get_by_role("heading", name=heading, level=1).wait_for()
        page.locator(
            '[data-testid="stMain"] [data-testid="stMetric"], '
            '[data-testid="stMain"] [data-testid="stDataFrame"]'
        ).first.wait_for()
        times.append(time.perf_counter() - started)
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached")
    context.close()
    return times


@dataclass
class Measured:
    app: list[Visit]
    bare: list[Visit]
    moves: list[float]

    @property
    def app_median(self) -> float:
        return statistics.median(v.seconds for v in self.app)

    @property
    def bare_median(self) -> float:
        return statistics.median(v.seconds for v in self.bare)

    def where(self) -> str:
        """The medians of the app's timeline: where the time to the first figure goes."""
        keys = ("html", "dom_ready", "scripts_done", "socket_open", "first_message")
        app = {k: statistics.median(v.timeline[k] for v in self.app) for k in keys}
        bare = {k: statistics.median(v.timeline[k] for v in self.bare) for k in keys}
        count = statistics.median(v.timeline["messages"] for v in self.app)
        size = statistics.median(v.timeline["message_kb"] for v in self.app)
        bare_count = statistics.median(v.timeline["messages"] for v in self.bare)
        table = statistics.median(v.timeline["table_drawn"] for v in self.app)
        return (
            "app (bare): DOM ready {:.2f} ({:.2f}) s, socket open {:.2f} ({:.2f}) s, first "
            "message {:.2f} ({:.2f}) s; {:.0f} ({:.0f}) messages, {:.0f} kB before the "
            "first figure; the app's table drawn at {:.2f} s".format(
                app["dom_ready"],
                bare["dom_ready"],
                app["socket_open"],
                bare["socket_open"],
                app["first_message"],
                bare["first_message"],
                count,
                bare_count,
                size,
                table,
            )
        )


@contextmanager
def _browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def measure(database: Path, runs: int, *, moves: bool) -> Measured:
    """Start the app on a copy of `database` and a bare app; alternate fresh visits."""
    with tempfile.TemporaryDirectory(prefix="browser-bench-") as scratch:
        folder = Path(scratch)
        shutil.copytree(ROOT / ".streamlit", folder / ".streamlit")
        (folder / "bare.py").write_text(BARE_APP)
        copy = folder / "tracker.db"
        shutil.copy(database, copy)
        env = {"DATABASE_URL": f"sqlite:///{copy}", "TRACKER_LOAD_DEMO": "0"}
        app = Server(ROOT / "server.py", ROOT, env, folder)
        bare = Server(folder / "bare.py", folder, {}, folder)
        try:
            with _browser() as browser:
                visit(browser, app.url)  # warm: each server's first session imports its code
                visit(browser, bare.url)
                measured = Measured([], [], [])
                for _ in range(runs):
                    measured.app.append(visit(browser, app.url, table=True))
                    measured.bare.append(visit(browser, bare.url))
                if moves:
                    for _ in range(max(1, runs // 2)):
                        measured.moves.extend(page_moves(browser, app.url))
                return measured
        finally:
            app.stop()
            bare.stop()


def demo_database(folder: Path) -> Path:
    """A SQLite file with the demo loaded, as the app's first start makes it."""
    from plan.bootstrap import prepare_database
    from plan.database import make_engine

    path = folder / "demo.db"
    if not path.exists():
        engine = make_engine(f"sqlite:///{path}")
        prepare_database(engine, load_demo=True)
        engine.dispose()
    return path


def chromium_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed (a development tool: ./tracker test installs it)"
    return None
