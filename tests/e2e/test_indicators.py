"""As an owner: enter a quarter's value for an indicator you own and see its RAG change on the
Indicator and Indicators pages; a Red value without a corrective-action note is refused."""

import datetime as dt

from sqlalchemy import select

from plan.database import make_engine, make_session_factory
from plan.models import Indicator, IndicatorValue
from tests.e2e.conftest import metric_values, set_date, settle, snapshot
from tests.e2e.test_owner import sign_in

RED_WITHOUT_NOTE = (
    "This value is Red against its target: say what corrective action is being taken."
)


def pick(page, label: str, text: str) -> None:
    """Choose an option of the select box labelled exactly `label` by typing part of it."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.keyboard.type(text)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    settle(page)


def open_page(page, name: str, *, chart: bool = False) -> None:
    navigation = page.locator('[data-testid="stSidebarNav"]')
    navigation.get_by_role("link", name=name, exact=True).click()
    settle(page)
    if chart:  # the Indicator page's Plotly line chart
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')


def rag_badge(page) -> str:
    """The RAG word (with its symbol) shown large above the indicator's name."""
    shown = [
        word
        for word in ("✖ Red", "▲ Amber", "✔ Green", "– Not rated")
        if page.locator('[data-testid="stMarkdownContainer"] span', has_text=word).count()
    ]
    assert len(shown) == 1, shown
    return shown[0]


def test_owner_enters_a_value_and_the_rag_changes(page, demo_server):
    # The server's first visit loads the demo (and routes a deep link by a rerun): let the
    # overview take it, so signing in starts on a settled app.
    page.goto(demo_server.url)
    settle(page, chart=True)
    sign_in(page, demo_server.url, "owner@demo.local")
    open_page(page, "Indicators")
    # The demo plans have ended: the page is as at 31 Mar 2014, VAWG2 Amber at Q3 2013/14.
    before = metric_values(page)
    assert (before["Indicators ▲ Amber"], before["Indicators ✔ Green"]) == (1, 3)

    open_page(page, "Indicator", chart=True)
    pick(page, "Indicator", "VAWG2")
    engine = make_engine(demo_server.database_url)
    with make_session_factory(engine)() as session:
        vawg2 = session.scalars(select(Indicator.id).where(Indicator.ref == "VAWG2")).one()
    # The select box and the address agree.
    page.wait_for_url(f"**/indicator?indicator={vawg2}")
    assert rag_badge(page) == "▲ Amber"
    snapshot(page, "indicator-owner-before")

    # Q4 2013/14's figure arrives late: 33% is Red against 28%, and needs a note.
    pick(page, "Period", "Q4 2013/14")
    page.get_by_label("Value (%)").fill("33")
    page.get_by_role("button", name="Save value").click()
    settle(page)
    assert page.get_by_text(RED_WITHOUT_NOTE).count() == 1
    snapshot(page, "indicator-owner-red-refused")
    with make_session_factory(engine)() as session:
        mine = select(IndicatorValue).where(IndicatorValue.author_email == "owner@demo.local")
        assert session.scalars(mine).all() == []

    # The corrected figure, 27.5%, is Green.
    page.get_by_label("Value (%)").fill("27.5")
    page.get_by_role("button", name="Save value").click()
    settle(page)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
    assert page.get_by_text("Saved Q4 2013/14 for VAWG2.").count() == 1
    with make_session_factory(engine)() as session:
        saved = session.scalars(mine).one()
        assert (saved.value, saved.period_end) == (27.5, dt.date(2014, 3, 31))
    engine.dispose()

    # It was recorded today: as at today the latest figure is Q4 2013/14's, Green.
    set_date(page, "As at", dt.date.today())
    assert rag_badge(page) == "✔ Green"
    assert page.get_by_text("Latest: Q4 2013/14").count() == 1
    snapshot(page, "indicator-owner-green")
    open_page(page, "Indicators")
    after = metric_values(page)
    assert (after["Indicators ▲ Amber"], after["Indicators ✔ Green"]) == (0, 4)
