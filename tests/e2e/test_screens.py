"""Every page of the app on the demo, as the role that uses it, kept as a screenshot to look at.

Each page is opened at 1366x768 (a laptop on a projector) signed out for the public pages and as
the demo chair, owner, officer or admin for the pages their roles use, waited on until Streamlit
has finished, and saved whole to `artifacts/screens/<role>-<page>.png`; Overview, My actions and
Action are also saved at 390x844 (a phone) as `phone-<role>-<page>.png`. Each must show its
heading, no exception box and no error alert, so a page that breaks fails here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import ROOT, settle
from tests.e2e.test_owner import sign_in

SCREENS = ROOT / "artifacts" / "screens"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
ACCOUNTS = {
    "chair": "chair@demo.local",
    "owner": "owner@demo.local",
    "officer": "officer@demo.local",
    "admin": "admin@demo.local",
}

# (role, address, the page's heading). "public" is a visitor who has not signed in.
PAGES = [
    ("public", "", "Overview"),
    ("public", "overdue", "Overdue actions"),
    ("public", "objectives", "Objectives"),
    ("public", "owners", "Owners"),
    ("public", "action", "Action"),
    ("public", "meeting", "Meeting view"),
    ("public", "indicators", "Indicators"),
    ("public", "indicator", "Indicator"),
    ("public", "sign_in", "Sign in"),
    ("owner", "my_actions", "My actions"),
    ("owner", "sign_in", "Your account"),
    ("chair", "meeting", "Meeting view"),
    ("chair", "my_actions", "My actions"),
    ("chair", "export", "Board papers"),
    ("officer", "bulk_update", "Bulk update"),
    ("officer", "import_plan", "Import a plan"),
    ("officer", "plans", "Plans"),
    ("officer", "export", "Board papers"),
    ("officer", "review", "Review"),
    ("officer", "returns", "Returns"),
    ("admin", "audit_log", "Audit log"),
    ("admin", "users", "Users"),
]
PHONE_PAGES = [
    ("public", "", "Overview"),
    ("owner", "my_actions", "My actions"),
    ("owner", "action", "Action"),
]


class Browsers:
    """One browser context per role and screen size, signed in once (the sign-in cookie then
    keeps each later visit signed in)."""

    def __init__(self, browser, server) -> None:
        self._browser = browser
        self._server = server
        self._contexts: dict[tuple[str, str], object] = {}

    def context(self, role: str, size: dict[str, int]):
        key = (role, f"{size['width']}x{size['height']}")
        if key not in self._contexts:
            context = self._browser.new_context(viewport=size)
            context.set_default_timeout(60_000)
            if role != "public":
                page = context.new_page()
                sign_in(page, self._server.url, ACCOUNTS[role])
                page.close()
            self._contexts[key] = context
        return self._contexts[key]

    def close(self) -> None:
        for context in self._contexts.values():
            context.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def browsers(browser, demo_server) -> Iterator[Browsers]:
    contexts = Browsers(browser, demo_server)
    yield contexts
    contexts.close()


def _meeting_checks_read_as_a_sentence(page) -> None:
    # 6.4 (Amber, overdue, left without issue or remedy in the demo) has two checks: one
    # sentence, not "; Its deadline"; its revised deadline names the one it replaced.
    two_checks = page.get_by_text(
        "Rated Red or Amber without saying what the issue is or what is being done; its "
        "deadline has been revised more than once"
    )
    following = page.get_by_role("button", name="Next ▶")
    while not two_checks.count() and following.is_enabled():
        card = page.locator('[data-testid="stMain"]').inner_text()
        following.click()
        page.wait_for_function(
            "old => document.querySelector('[data-testid=stMain]').innerText !== old", arg=card
        )
    two_checks.wait_for()
    page.get_by_text("Deadline: 31 Jan 2014, revised from").first.wait_for()


def _owner_named_once(page) -> None:
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text("Owner (as written)").count() == 0
    main.get_by_text("R Speight Named Nurse Safeguarding Children").wait_for()
    # The history chart's dates read "1 Nov 2013", not "01 Nov 2013".
    page.locator('[data-testid="stPlotlyChart"] .xtick text').first.wait_for()
    ticks = page.locator('[data-testid="stPlotlyChart"] .xtick text').all_text_contents()
    assert ticks and all(re.fullmatch(r"[1-9]\d? [A-Z][a-z]{2} \d{4}", t) for t in ticks), ticks


def _contextual_indicator_not_rated(page) -> None:
    page.get_by_text("Watched for context: no target, so not rated").wait_for()
    assert page.get_by_text("Amber within").count() == 0


def _owner_told_the_plans_ended(page) -> None:
    sidebar = page.locator('[data-testid="stSidebarUserContent"]')
    assert "Signed in as Kylie Thornton (demo owner), owner" in sidebar.inner_text()
    page.get_by_text("Their plans ended by 31 Mar 2014").wait_for()


def _chair_records_decisions(page) -> None:
    page.get_by_role("button", name="Record a decision on 1.1").wait_for()
    assert page.get_by_role("button", name="Update 1.1").count() == 0


def _every_row_without_an_inner_scroll(rows: int):
    def check(page) -> None:
        # Streamlit's rows are 35 px: the grid is as tall as its header and every row.
        box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
        assert box is not None and box["height"] >= 35 * (rows + 1), box

    return check


# What each screen must show beyond its heading, for what was fixed after looking at it.
SEEN = {
    "public-meeting": _meeting_checks_read_as_a_sentence,
    "public-action": _owner_named_once,
    "public-indicator": _contextual_indicator_not_rated,
    "public-objectives": _every_row_without_an_inner_scroll(11),  # the demo's 11 objectives
    "public-owners": _every_row_without_an_inner_scroll(20),
    "owner-my_actions": _owner_told_the_plans_ended,
    "chair-my_actions": _chair_records_decisions,
}


def screen_name(role: str, address: str) -> str:
    return f"{role}-{address or 'overview'}"


def visit(browsers: Browsers, server, role: str, address: str, heading: str, size, name: str):
    page = browsers.context(role, size).new_page()
    page.goto(f"{server.url}/{address}")
    settle(page, chart=address == "")
    save_whole(page, size, name)
    assert page.get_by_role("heading", level=1).first.inner_text().strip() == heading
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.first.inner_text()
    for unseen in ("None", "nan", "NaT"):  # what a blank looks like when it slips through
        assert page.get_by_text(unseen, exact=True).count() == 0, unseen
    if name in SEEN:
        SEEN[name](page)
    return page


def save_whole(page, size: dict[str, int], name: str) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main area, not the document,
    so a "full page" screenshot is only the window; the window is made as tall as the page."""
    tallest = page.evaluate(_TALLEST_JS)
    if tallest > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": tallest})
        settle(page)  # a taller window can rerun the page (and redraws the charts)
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


# How tall the page would be unscrolled: the main area's and the sidebar's content.
_TALLEST_JS = """() => Math.max(...['[data-testid="stMain"]', '[data-testid="stSidebarContent"]']
  .map((s) => document.querySelector(s)).filter(Boolean).map((e) => e.scrollHeight))"""


@pytest.mark.parametrize(
    ("role", "address", "heading"), PAGES, ids=[screen_name(r, a) for r, a, _ in PAGES]
)
def test_every_page_at_a_laptop(browsers, demo_server, role, address, heading):
    page = visit(browsers, demo_server, role, address, heading, LAPTOP, screen_name(role, address))
    page.close()


@pytest.mark.parametrize(
    ("role", "address", "heading"),
    PHONE_PAGES,
    ids=[screen_name(r, a) for r, a, _ in PHONE_PAGES],
)
def test_phone_pages(browsers, demo_server, role, address, heading):
    name = f"phone-{screen_name(role, address)}"
    page = visit(browsers, demo_server, role, address, heading, PHONE, name)
    page.close()
