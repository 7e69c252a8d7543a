"""Every page of the app on the demo, as the role that uses it, kept as a screenshot to look at.

Each page is opened at 1366x768 (a laptop on a projector) signed out for the public pages and as
the demo chair, owner, officer or admin for the pages their roles use, waited on until Streamlit
has finished, and saved whole to `artifacts/screens/<role>-<page>.png`; Overview, My actions and
Action are also saved at 390x844 (a phone) as `phone-<role>-<page>.png`. Each must show its
heading, no exception box and no error alert, so a page that breaks fails here.
"""

from __future__ import annotations

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
    ("owner", "sign_in", "Signed in"),
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
    return page


def save_whole(page, size: dict[str, int], name: str) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main area, not the document,
    so a "full page" screenshot is only the window; the window is made as tall as the page."""
    tallest = page.evaluate(_TALLEST_JS)
    if tallest > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": tallest})
        page.wait_for_timeout(500)
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
    page = visit(
        browsers, demo_server, role, address, heading, LAPTOP, screen_name(role, address)
    )
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
