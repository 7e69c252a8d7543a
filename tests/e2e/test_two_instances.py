"""Two app instances on one PostgreSQL database: a change through one shows through the other."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import text

from plan.database import make_engine
from tests.conftest import _postgres_schema_url
from tests.e2e.conftest import AppServer, metric_values, set_date, settle, snapshot
from tests.e2e.test_owner import choose, sign_in


@pytest.fixture(scope="module")
def two_instances(tmp_path_factory, postgres_server):
    schema = f"e2e_{uuid.uuid4().hex[:10]}"
    admin = make_engine(postgres_server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _postgres_schema_url(postgres_server, schema)
    folder = tmp_path_factory.mktemp("instances")
    first = AppServer(url, folder / "first.log")
    second = AppServer(url, folder / "second.log")
    yield first, second
    first.stop()
    second.stop()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_update_through_one_instance_shows_on_the_other(browser, two_instances):
    first, second = two_instances
    owner = browser.new_page(viewport={"width": 1600, "height": 1000})
    chair = browser.new_page(viewport={"width": 1600, "height": 1000})
    for tab in (owner, chair):
        tab.set_default_timeout(60_000)
    # Both instances start on the empty database together: one migrates and loads the demo.
    owner.goto(first.url)
    chair.goto(second.url)
    settle(owner, chart=True)
    settle(chair, chart=True)
    # The demo plans have ended, so pages open as at their end; today shows the new update.
    for tab in (owner, chair):
        set_date(tab, "As at", dt.date.today())
    red_before = metric_values(chair)["✖ Red"]
    assert metric_values(owner)["✖ Red"] == red_before

    sign_in(owner, first.url, "owner@demo.local")
    owner.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="My actions").click()
    settle(owner)
    choose(owner, "Action to update", "Ensure effective links are made")
    owner.get_by_role("radiogroup", name="RAG rating (required)").get_by_text("Red").click()
    owner.get_by_label("Progress since the last update (required)").fill("Two-instance test.")
    owner.get_by_label("If Red or Amber: what is the issue?").fill("Forum seat withdrawn.")
    owner.get_by_label("If Red or Amber: what is being done about it?").fill("Escalated.")
    owner.get_by_role("button", name="Save update").click()
    owner.get_by_text("Saved: ✖ Red").first.wait_for()
    settle(owner)

    # The chair's next rerun on the other instance shows it.
    chair.get_by_role("link", name="Overdue").click()
    settle(chair)
    chair.get_by_role("link", name="Overview").click()
    settle(chair, chart=True)
    snapshot(chair, "second-instance-overview")
    assert metric_values(chair)["✖ Red"] == red_before + 1
