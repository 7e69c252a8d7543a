"""As an owner: sign in, update an action Red with a note, see it on the overview."""

import datetime as dt

from sqlalchemy import select

from plan.database import make_engine, make_session_factory
from plan.models import ProgressUpdate
from plan.queries import Selection, rag_counts
from tests.e2e.conftest import metric_values, set_date, settle, snapshot


def sign_in(page, base_url: str, email: str, password: str = "try-the-tracker") -> None:
    page.goto(f"{base_url}/sign_in")
    # A fresh server's first visit may still be loading the demo plans (a busy machine takes
    # a while): wait for the form itself before looking at the navigation.
    page.get_by_role("textbox", name="E-mail").wait_for(timeout=120_000)
    settle(page)
    # A deep link, even as a restarted server's first visit, is routed by app.py.
    navigation = page.locator('[data-testid="stSidebarNav"]')
    # (Until app.py has routed, a restarted server shows Streamlit's folder menu: wait for it.)
    navigation.get_by_text("Dashboard", exact=True).wait_for()
    assert navigation.get_by_text("Dashboard", exact=True).count() == 1
    page.get_by_role("textbox", name="E-mail").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    settle(page)
    page.get_by_text("You are signed in as").wait_for()


def choose(page, label: str, text: str) -> None:
    """Pick an option in a select box by typing part of it, as a keyboard user would."""
    # The combobox itself: a label with a help icon also names the icon's button.
    box = page.get_by_role("combobox", name=label)
    box.click()
    page.keyboard.type(text)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    settle(page)


def _red_count(url: str) -> int:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        red = rag_counts(session, selection=Selection(), as_at=dt.date.today()).red
    engine.dispose()
    return red


def test_owner_updates_an_action_and_the_overview_shows_it(page, demo_server):
    sign_in(page, demo_server.url, "owner@demo.local")
    before = _red_count(demo_server.database_url)  # the first page load created the demo
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="My actions").click()
    settle(page)
    snapshot(page, "owner-my-actions")

    # "Ensure effective links are made..." is Green and owned by Kylie Thornton.
    choose(page, "Action to update", "Ensure effective links are made")
    page.get_by_role("button", name="Save update").wait_for()
    page.get_by_role("radiogroup", name="RAG rating (required)").get_by_text("Red").click()
    page.get_by_label("Progress since the last update (required)").fill(
        "E2E: GM forum places withdrawn."
    )
    page.get_by_label("If Red or Amber: what is the issue?").fill("No Trafford seat at GM.")
    page.get_by_label("If Red or Amber: what is being done about it?").fill("Chair writing to GM.")
    page.get_by_role("button", name="Save update").click()
    page.get_by_text("Saved: ✖ Red").first.wait_for()
    settle(page)
    snapshot(page, "owner-saved")

    engine = make_engine(demo_server.database_url)
    with make_session_factory(engine)() as session:
        newest = session.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id.desc())).first()
        assert (newest.rag.value, newest.progress, newest.author_email) == (
            "Red",
            "E2E: GM forum places withdrawn.",
            "owner@demo.local",
        )
    engine.dispose()

    page.get_by_role("link", name="Overview").click()
    settle(page, chart=True)
    # The demo plans have ended, so the overview opens as at their end; today shows the update.
    set_date(page, "As at", dt.date.today())
    assert metric_values(page)["✖ Red"] == before + 1 == _red_count(demo_server.database_url)


def test_owner_cannot_update_someone_elses_action(page, demo_server):
    sign_in(page, demo_server.url, "owner@demo.local")
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="My actions").click()
    settle(page)
    page.get_by_label("Action to update").click()
    options = page.get_by_role("option").all_inner_texts()
    # Richard Roe's housing action is not Kylie Thornton's or Ian Peet's: it is not offered.
    assert options and not any("housing letting legislation" in o for o in options)
    page.keyboard.press("Escape")


def test_signed_out_nobody_changes_anything(page, demo_server):
    page.goto(f"{demo_server.url}/my_actions")
    page.get_by_text("Sign in first").wait_for()
    settle(page)
    snapshot(page, "signed-out-my-actions")
    assert page.get_by_text("Sign in first").count() == 1
    assert page.get_by_role("button", name="Save update").count() == 0
    page.goto(f"{demo_server.url}/bulk_update")
    settle(page)
    assert page.get_by_role("button", name="Save").count() == 0
