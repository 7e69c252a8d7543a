"""An update round from end to end: an officer opens a round and sends the reminders; the
e-mail arrives at a real SMTP server (aiosmtpd); its link opens the update form for that
action; the owner submits (the plan is under review); the officer publishes; the overview
changes only then."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from plan.auth import actor_for
from plan.database import make_engine, make_session_factory
from plan.models import Action, Plan, ProgressUpdate, User
from plan.queries import Selection, rag_counts
from plan.services.review import set_review_required
from tests.e2e.conftest import AppServer, free_port, metric_values, set_date, settle, snapshot
from tests.e2e.test_owner import sign_in
from tests.smtp_server import smtp_server

ACTION = "Ensure effective links are made"


@pytest.fixture(scope="module")
def mail():
    with smtp_server() as (handler, port):
        yield handler, port


@pytest.fixture(scope="module")
def server(tmp_path_factory, mail):
    _, smtp_port = mail
    folder = tmp_path_factory.mktemp("e2e-round")
    port = free_port()
    env = {
        "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "MAIL_FROM": "tracker@demo.local",
        "TRACKER_URL": f"http://127.0.0.1:{port}",
    }
    app = AppServer(
        f"sqlite:///{folder / 'tracker.db'}", folder / "streamlit.log", port=port, env=env
    )
    yield app
    app.stop()


class Database:
    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.factory = make_session_factory(self.engine)

    def red_today(self) -> int:
        with self.factory() as session:
            return rag_counts(session, selection=Selection(), as_at=dt.date.today()).red

    def action(self) -> Action:
        with self.factory() as session:
            return session.scalars(select(Action).where(Action.text.startswith(ACTION))).one()

    def review_on(self, plan_id: int) -> None:
        with self.factory() as session:
            officer = session.scalars(select(User).where(User.email == "officer@demo.local")).one()
            set_review_required(session, actor_for(officer), plan_id, True)
            session.commit()

    def newest(self, action_id: int) -> ProgressUpdate:
        with self.factory() as session:
            return session.scalars(
                select(ProgressUpdate)
                .where(ProgressUpdate.action_id == action_id)
                .order_by(ProgressUpdate.id.desc())
            ).first()

    def plan_name(self, plan_id: int) -> str:
        with self.factory() as session:
            return session.get(Plan, plan_id).name


def go_to(page, name: str) -> None:
    """Click a page in the sidebar, first showing every page when the list is folded."""
    navigation = page.locator('[data-testid="stSidebarNav"]')
    more = navigation.get_by_text(re.compile(r"^View \d+ more$"))
    if more.count():
        more.click()
    navigation.get_by_role("link", name=name, exact=True).click()
    settle(page)


def _open_round_and_remind(page, base_url: str) -> None:
    go_to(page, "Returns")
    page.get_by_role("textbox", name="Name").fill("E2E round")
    set_date(page, "Updates due by", dt.date.today() + dt.timedelta(days=7))
    page.get_by_role("button", name="Open the round").click()
    settle(page)
    page.get_by_text("Opened E2E round").wait_for()
    snapshot(page, "round-opened")
    page.get_by_role("button", name="Send reminders now").click()
    settle(page)
    snapshot(page, "round-reminded")


def test_round_reminder_link_submit_publish(browser, page, server, mail):
    handler, _ = mail
    # The first visit loads the demo plans (a while): wait for the Overview before signing in.
    page.goto(server.url)
    page.get_by_role("heading", name="Overview").wait_for(timeout=120_000)
    settle(page)
    sign_in(page, server.url, "officer@demo.local")
    db = Database(server.database_url)
    action = db.action()
    db.review_on(action.plan_id)
    red_before = db.red_today()

    _open_round_and_remind(page, server.url)
    [message] = [m for m in handler.received if m.recipients == ["owner@demo.local"]]
    assert message.message["Subject"].startswith("Update due by")
    assert ACTION in message.body
    link = f"{server.url}/my_actions?action={action.id}"
    assert link in message.body
    assert re.search(rf"{re.escape(link)}\b", message.body)

    # The owner follows the link in a browser of their own, signs in, and lands on the form.
    owner_context = browser.new_context(viewport={"width": 1600, "height": 1000})
    owner = owner_context.new_page()
    owner.set_default_timeout(60_000)
    try:
        owner.goto(link)
        settle(owner)
        # My actions signs in on the page itself, then opens the link's action.
        owner.get_by_role("textbox", name="E-mail").fill("owner@demo.local")
        owner.get_by_role("textbox", name="Password").fill("try-the-tracker")
        owner.get_by_role("button", name="Sign in").click()
        owner.get_by_text("This plan's updates are reviewed").wait_for()
        settle(owner)
        assert owner.get_by_text(ACTION).count() >= 1
        owner.get_by_role("radiogroup", name="RAG rating (required)").get_by_text("Red").click()
        owner.get_by_label("Progress since the last update (required)").fill("E2E: forum ended.")
        owner.get_by_label("If Red or Amber: what is the issue?").fill("No forum seat.")
        owner.get_by_label("If Red or Amber: what is being done about it?").fill("Writing.")
        owner.get_by_role("button", name="Save update").click()
        owner.get_by_text("Submitted for review: ✖ Red").first.wait_for()
        settle(owner)
        snapshot(owner, "round-owner-submitted")
    finally:
        owner_context.close()
    submitted = db.newest(action.id)
    assert (submitted.review_state.value, submitted.author_email) == (
        "submitted",
        "owner@demo.local",
    )
    assert db.red_today() == red_before  # not on the dashboard until published

    go_to(page, "Review")
    page.get_by_text(re.compile(r"RAG:\W*Green\W+Red")).wait_for()
    snapshot(page, "round-review-queue")
    page.get_by_role("button", name="Publish").first.click()
    settle(page)
    page.get_by_text("Nothing is waiting for review.").wait_for()
    assert db.newest(action.id).review_state.value == "published"

    go_to(page, "Overview")
    settle(page, chart=True)
    set_date(page, "As at", dt.date.today())
    snapshot(page, "round-overview-published")
    assert metric_values(page)["✖ Red"] == red_before + 1 == db.red_today()
    db.engine.dispose()
