"""As a chair: overview figures match the database, overdue, an earlier date, meeting view."""

import datetime as dt

from plan.database import make_engine, make_session_factory
from plan.queries import Selection, overdue_actions, plan_overview
from rulebook.dates import previous_quarter_end
from rulebook.rag import RAG_ORDER, rag_label
from tests.e2e.conftest import metric_values, settle, snapshot


def _figures(url: str, as_at: dt.date):
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        overview = plan_overview(
            session,
            selection=Selection(),
            as_at=as_at,
            compared_with=previous_quarter_end(as_at),
        )
        late = overdue_actions(session, selection=Selection(), as_at=as_at)
    engine.dispose()
    return overview, late


def _set_date(page, label: str, day: dt.date) -> None:
    """Type into the date field's day, month and year segments; it commits on blur."""
    page.locator(f'[aria-label="day, {label}"]').click()
    page.keyboard.type(day.strftime("%d%m%Y"))
    page.get_by_role("heading", level=1).click()
    page.wait_for_timeout(300)
    settle(page)


def test_chair_reviews_the_plan(page, demo_server):
    today = dt.date.today()
    page.goto(demo_server.url)
    settle(page, chart=True)
    snapshot(page, "chair-overview")
    overview, late = _figures(demo_server.database_url, today)
    shown = metric_values(page)
    assert {rag_label(r): shown[rag_label(r)] for r in RAG_ORDER} == {
        rag_label(r): overview.rag.of(r) for r in RAG_ORDER
    }
    assert shown["⚠ Overdue"] == overview.overdue
    assert shown["↘ Worsened"] == overview.movement.worsened > 0

    page.get_by_role("link", name="Overdue").click()
    settle(page)
    snapshot(page, "chair-overdue")
    shown = metric_values(page)
    assert shown["⚠ Overdue"] + shown["Deadline passed, marked ongoing"] == len(late)

    page.get_by_role("link", name="Overview").click()
    settle(page, chart=True)
    earlier = previous_quarter_end(today)
    _set_date(page, "As at", earlier)
    then, _ = _figures(demo_server.database_url, earlier)
    shown = metric_values(page)
    assert shown[rag_label(RAG_ORDER[0])] == then.rag.of(RAG_ORDER[0])
    assert shown["⚠ Overdue"] == then.overdue
    snapshot(page, "chair-overview-earlier")
    _set_date(page, "As at", today)

    page.get_by_role("link", name="Meeting view").click()
    settle(page)
    snapshot(page, "chair-meeting")
    assert page.get_by_text("Exception 1 of").count() == 1
    page.get_by_role("button", name="Next ▶").click()
    settle(page)
    assert page.get_by_text("Exception 2 of").count() == 1
    page.get_by_role("button", name="◀ Previous").click()
    settle(page)
    assert page.get_by_text("Exception 1 of").count() == 1
