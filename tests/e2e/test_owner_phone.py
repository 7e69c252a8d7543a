"""As an owner on a phone (390x844) and on a laptop (1366x768): open the reminder e-mail's link,
sign in, record an Amber update with its issue and remedy, see the confirmation.

Every control used must be on screen after at most one scroll, and the task's cost (clicks or
taps, and keystrokes, counted by the page itself) is kept in artifacts/e2e/task-cost-*.json
(the README's "Owners on phones" table)."""

import json
import time

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from plan.database import make_engine, make_session_factory
from plan.models import Action, ProgressUpdate
from plan.services.reminders import action_link
from rulebook.rag import Rag, rag_label
from tests.e2e.conftest import ARTIFACTS, settle, snapshot
from tests.e2e.task_cost import count_task_cost, reset_task_cost, task_cost, type_text

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
PROGRESS = "Venue booked; two of five sessions delivered."
ISSUE = "Trainer off sick in March."
REMEDY = "Second trainer booked for April."
MAX_CLICKS = 8
HEADER = 80  # px: Streamlit's header bar covers the top of the page


class Screen:
    """Checks each control is on screen before it is used; one scroll allowed per screen."""

    def __init__(self, page, name: str) -> None:
        self.page, self.name, self.scrolls = page, name, 0

    def new_screen(self) -> None:
        self.scrolls = 0

    def on_screen(self, locator) -> bool:
        box = locator.bounding_box()
        size = self.page.viewport_size
        return bool(
            box
            and box["x"] >= 0
            and box["y"] >= (HEADER if self.scrolls else 0)
            and box["x"] + box["width"] <= size["width"]
            and box["y"] + box["height"] <= size["height"]
        )

    def reach(self, locator, what: str):
        locator.wait_for()
        if not self.on_screen(locator):
            self.scrolls += 1
            assert self.scrolls <= 1, f"{self.name}: a second scroll to reach {what}"
            # One swipe: the control comes up to just under the app's header.
            self.page.mouse.wheel(0, locator.bounding_box()["y"] - HEADER)
            self.page.wait_for_timeout(400)
            snapshot(self.page, f"owner-{self.name}-scrolled-to-{what}")
        assert self.on_screen(locator), f"{self.name}: {what} is not wholly on screen"
        return locator


def _action_id(url: str, starts: str, timeout: float = 120) -> int:
    """The demo action's id, once the server has loaded the demo (after its first visit)."""
    engine = make_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while True:
            with make_session_factory(engine)() as session:
                found = session.scalars(
                    select(Action.id).where(Action.text.startswith(starts))
                ).first()
            if found is not None:
                return found
            assert time.monotonic() < deadline, "the demo plans were not loaded"
            time.sleep(0.5)
    except OperationalError:  # no tables yet
        time.sleep(0.5)
        return _action_id(url, starts, deadline - time.monotonic())
    finally:
        engine.dispose()


def _newest_update(url: str) -> ProgressUpdate:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        newest = session.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id.desc())).first()
        session.expunge(newest)
    engine.dispose()
    return newest


@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_owner_updates_from_the_reminder_link(browser, demo_server, name, viewport):
    phone = viewport == PHONE
    context = browser.new_context(viewport=viewport, has_touch=phone, is_mobile=phone)
    count_task_cost(context)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{demo_server.url}/sign_in")  # a new server's first visit loads the demo
        page.get_by_role("textbox", name="E-mail").wait_for()
        action_id = _action_id(demo_server.database_url, "Ensure effective links are made")
        screen = Screen(page, name)

        # The reminder's link, signed out: the sign-in page, saying where it will go next.
        page.goto(action_link(demo_server.url, action_id))
        settle(page)
        page.get_by_role("textbox", name="E-mail").wait_for()
        assert page.get_by_text("its update form opens next").count() == 1
        snapshot(page, f"owner-{name}-1-sign-in")
        reset_task_cost(page)
        type_text(
            page,
            screen.reach(page.get_by_role("textbox", name="E-mail"), "e-mail"),
            "owner@demo.local",
        )
        type_text(
            page,
            screen.reach(page.get_by_role("textbox", name="Password"), "password"),
            "try-the-tracker",
        )
        screen.reach(page.get_by_role("button", name="Sign in"), "sign-in").click()

        # Straight back to that action's form.
        page.get_by_role("button", name="Save update").wait_for()
        settle(page)
        assert page.url.endswith(f"/my_actions?action={action_id}"), page.url
        snapshot(page, f"owner-{name}-2-form")
        page.screenshot(path=str(ARTIFACTS / f"owner-{name}-2-form-viewport.png"))
        screen.new_screen()
        assert screen.on_screen(page.get_by_text("Ensure effective links are made").first)
        rag = page.locator('[class*="st-key-rag_"] [role="radiogroup"] label')
        assert rag.all_inner_texts() == [
            rag_label(r) + (" (complete)" if r == Rag.BLUE else "") for r in Rag
        ]
        screen.reach(rag.filter(has_text="Amber"), "rag").click()  # one tap, no drop-down
        for label, text, what in (
            ("Progress since the last update (required)", PROGRESS, "progress"),
            ("If Red or Amber: what is the issue?", ISSUE, "issue"),
            ("If Red or Amber: what is being done about it?", REMEDY, "remedy"),
        ):
            type_text(page, screen.reach(page.get_by_label(label), what), text)
        page.screenshot(path=str(ARTIFACTS / f"owner-{name}-3-filled-viewport.png"))
        screen.reach(page.get_by_role("button", name="Save update"), "save").click()

        # The confirmation is on screen, where the form was, and stays.
        confirmation = page.get_by_text(f"Saved: {rag_label(Rag.AMBER)}")
        confirmation.first.wait_for()
        settle(page)
        cost = task_cost(page)
        page.screenshot(path=str(ARTIFACTS / f"owner-{name}-4-saved-viewport.png"))
        assert screen.on_screen(confirmation.first), "the confirmation is off screen"
        page.wait_for_timeout(7_000)  # longer than a toast lasts
        assert screen.on_screen(confirmation.first), "the confirmation did not stay"
        newest = _newest_update(demo_server.database_url)
        assert (newest.action_id, newest.rag.value, newest.issue, newest.remedy) == (
            action_id,
            "Amber",
            ISSUE,
            REMEDY,
        )
        assert newest.author_email == "owner@demo.local"

        typed = len("owner@demo.local" + "try-the-tracker" + PROGRESS + ISSUE + REMEDY)
        (ARTIFACTS / f"task-cost-reminder-{name}.json").write_text(
            json.dumps(
                {
                    "viewport": viewport,
                    "clicks": cost.clicks,
                    "keys": cost.keys,
                    "typed_characters": typed,
                }
            )
        )
        assert cost.clicks <= MAX_CLICKS, cost
        assert cost.keys == typed, cost  # nothing but the words themselves
    finally:
        snapshot(page, f"owner-{name}-last")
        context.close()


@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_owner_updates_from_my_actions(browser, demo_server, name, viewport):
    """The same update chosen from the list, already signed in (the README's second row)."""
    phone = viewport == PHONE
    context = browser.new_context(viewport=viewport, has_touch=phone, is_mobile=phone)
    count_task_cost(context)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{demo_server.url}/sign_in")
        page.get_by_role("textbox", name="E-mail").fill("owner@demo.local")
        page.get_by_role("textbox", name="Password").fill("try-the-tracker")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Go to my actions").click()
        settle(page)
        snapshot(page, f"owner-{name}-list")
        action_id = _action_id(demo_server.database_url, "Ensure effective links are made")
        reset_task_cost(page)
        page.locator(f".st-key-card_{action_id}").get_by_role("button").click()
        page.get_by_role("button", name="Save update").wait_for()
        settle(page)
        screen = Screen(page, f"{name}-list")
        # Shown from its top, however far down the card was.
        assert screen.on_screen(page.get_by_role("button", name="All my actions"))
        rag = page.locator('[class*="st-key-rag_"] [role="radiogroup"] label')
        screen.reach(rag.filter(has_text="Amber"), "rag").click()
        for label, text, what in (
            ("Progress since the last update (required)", PROGRESS, "progress"),
            ("If Red or Amber: what is the issue?", ISSUE, "issue"),
            ("If Red or Amber: what is being done about it?", REMEDY, "remedy"),
        ):
            type_text(page, screen.reach(page.get_by_label(label), what), text)
        screen.reach(page.get_by_role("button", name="Save update"), "save").click()
        confirmation = page.get_by_text(f"Saved: {rag_label(Rag.AMBER)}")
        confirmation.first.wait_for()
        settle(page)
        cost = task_cost(page)
        assert screen.on_screen(confirmation.first)
        typed = len(PROGRESS + ISSUE + REMEDY)
        (ARTIFACTS / f"task-cost-my-actions-{name}.json").write_text(
            json.dumps({"viewport": viewport, "clicks": cost.clicks, "keys": cost.keys})
        )
        assert cost.clicks <= MAX_CLICKS and cost.keys == typed, cost
    finally:
        snapshot(page, f"owner-{name}-last")
        context.close()
