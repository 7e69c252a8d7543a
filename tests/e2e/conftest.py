"""End-to-end: the real app (`streamlit run`) driven by Debian's headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppServer:
    """`streamlit run server.py` (as `./tracker app`) on a free loopback port, with its own
    database."""

    def __init__(
        self,
        database_url: str,
        log: Path,
        *,
        load_demo: bool = True,
        port: int | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.database_url = database_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "TRACKER_LOAD_DEMO": "1" if load_demo else "0",
            **(env or {}),
        }
        self._log = log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "server.py",
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(self.port),
                "--browser.gatherUsageStats",
                "false",
                # A source file saved while the tests run (a merge, an editor) must not stop
                # the app for Streamlit's "source changed" prompt mid-test.
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_healthy(log)

    def _wait_healthy(self, log: Path, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not become healthy:\n{log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: apt-get install chromium "
            "(./tracker test and .ci/run install it when run as root)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[AppServer]:
    folder = tmp_path_factory.mktemp("e2e")
    server = AppServer(f"sqlite:///{folder / 'tracker.db'}", folder / "streamlit.log")
    yield server
    server.stop()


@pytest.fixture
def page(browser, request):
    """A fresh browser tab; a screenshot of what it shows is kept as a test artifact."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    tab.screenshot(path=str(ARTIFACTS / f"{name}-last.png"), full_page=True)
    context.close()


def settle(page, *, chart: bool = False) -> None:
    """Wait until Streamlit has finished running the page, then fail on any exception box."""
    # A rerun can leave the main area empty for a moment: wait for content.
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stElementContainer"]')
    for _ in range(2):
        page.wait_for_timeout(400)
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=90_000)
    if chart:  # the Overview's RAG chart (HTML, pages/charts.py)
        page.wait_for_selector(".rag-chart .rag-row")
    exceptions = page.locator('[data-testid="stException"]')
    _keep_screenshot(page)
    assert exceptions.count() == 0, exceptions.first.inner_text()


_visits = {"count": 0}


def _keep_screenshot(page) -> None:
    """Every page state a test waits for is kept: artifacts/e2e/visit-NNN-<path>.png."""
    _visits["count"] += 1
    path = re.sub(r"^https?://[^/]+/?", "", page.url).split("?")[0] or "overview"
    snapshot(page, f"visit-{_visits['count']:03d}-{re.sub(r'[^A-Za-z0-9_-]+', '_', path)}")


def snapshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def set_date(page, label: str, day) -> None:
    """Type into the date field's day, month and year segments; it commits on blur."""
    page.locator(f'[aria-label="day, {label}"]').click()
    page.keyboard.type(day.strftime("%d%m%Y"))
    page.get_by_role("heading", level=1).click()
    page.wait_for_timeout(300)
    settle(page)


def metric_values(page) -> dict[str, int]:
    values = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        value = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
        values[label] = int(value.replace(",", ""))
    return values


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's script, the pinned release from the npm registry (cached in .cache/)."""
    from tests.e2e.axe_core import AxeInstallError, ensure_axe

    try:
        return ensure_axe()
    except AxeInstallError as problem:
        pytest.fail(str(problem), pytrace=False)
