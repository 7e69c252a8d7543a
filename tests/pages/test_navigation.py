"""The menu by role: each role sees exactly the pages it can use, fully expanded; every other page
is still registered (hidden), so a link to it opens and the page explains the refusal."""

import pytest
import streamlit as st

from pages.navigation import PAGES, menu
from plan.auth import Actor
from plan.models import Role
from tests.builders import DEMO_TEST_PASSWORD, add_user, cheap_hasher

DASHBOARD = [
    "Overview",
    "Overdue",
    "Objectives",
    "Owners",
    "Action",
    "Meeting view",
    "Indicators",
    "Indicator",
]
OFFICER_PAGES = ["Import a plan", "Plans", "Board papers", "Review", "Returns"]
EXPECTED: dict[Role | None, dict[str, list[str]]] = {
    None: {"Dashboard": DASHBOARD, "Updates": ["Sign in"]},
    Role.VIEWER: {"Dashboard": DASHBOARD, "Updates": ["Your account", "My actions"]},
    Role.OWNER: {"Dashboard": DASHBOARD, "Updates": ["Your account", "My actions"]},
    Role.CHAIR: {
        "Dashboard": DASHBOARD,
        "Updates": ["Your account", "My actions"],
        "Officers": ["Board papers"],
    },
    Role.OFFICER: {
        "Dashboard": DASHBOARD,
        "Updates": ["Your account", "My actions", "Bulk update"],
        "Officers": OFFICER_PAGES,
    },
    Role.ADMIN: {
        "Dashboard": DASHBOARD,
        "Updates": ["Your account", "My actions", "Bulk update"],
        "Officers": [*OFFICER_PAGES, "Audit log", "Users"],
    },
}


@pytest.fixture
def recorded(monkeypatch) -> list[dict]:
    """What app.py passes to st.navigation on each run: per section, (title, visibility)."""
    calls: list[dict] = []
    real = st.navigation

    def recording(pages, **options):
        calls.append(
            {
                "options": options,
                "sections": {
                    name: [(page.title, page.visibility) for page in section]
                    for name, section in pages.items()
                },
            }
        )
        return real(pages, **options)

    monkeypatch.setattr(st, "navigation", recording)
    return calls


def shown_in_menu(call: dict) -> dict[str, list[str]]:
    shown = {
        name: [title for title, visibility in pages if visibility == "visible"]
        for name, pages in call["sections"].items()
    }
    return {name: titles for name, titles in shown.items() if titles}


@pytest.mark.parametrize("role", list(EXPECTED), ids=lambda r: r.value if r else "signed-out")
def test_the_menu_shows_exactly_what_the_role_can_use(role):
    actor = None if role is None else Actor(1, "a@b.org", "A", role)
    assert menu(actor) == EXPECTED[role]


@pytest.mark.parametrize("role", [None, Role.OWNER, Role.OFFICER], ids=str)
def test_app_registers_every_page_and_shows_the_roles(app, factory, recorded, monkeypatch, role):
    monkeypatch.setattr("plan.auth._hasher", cheap_hasher())
    with factory() as session:
        add_user(session, "someone@test.org", role.value if role else "viewer")
        session.commit()
    app.run()
    if role is not None:
        app.switch_page("pages/sign_in.py").run()
        app.text_input(key="sign_in_email").input("someone@test.org")
        app.text_input(key="sign_in_password").input(DEMO_TEST_PASSWORD)
        app.form_submit_button[0].click().run()
        # Under AppTest a page chosen with switch_page runs on its own (Streamlit's old page
        # folder routing, reset before every AppTest run): run app.py again, as a browser does.
        app.switch_page("app.py").run()
    assert not app.exception, app.exception
    last = recorded[-1]
    actor = None if role is None else Actor(1, "someone@test.org", "Someone", role)
    assert last["options"] == {"expanded": True}
    assert shown_in_menu(last) == EXPECTED[role]
    registered = [title for pages in last["sections"].values() for title, _ in pages]
    assert registered == [page.title_for(actor) for page in PAGES]


def test_a_hidden_page_still_opens_and_says_why(app, recorded):
    app.run()
    assert ("Import a plan", "hidden") in recorded[-1]["sections"]["Officers"]
    app.switch_page("pages/import_plan.py").run()
    assert not app.exception, app.exception
    assert "Sign in first" in app.info[0].value
