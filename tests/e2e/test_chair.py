"""As a chair: the demo opens as its plans ended, figures match the database, overdue, an
earlier date, today, meeting view."""

import datetime as dt

from plan.database import make_engine, make_session_factory
from plan.demo import DEMO_AS_AT
from plan.queries import Selection, overdue_actions, plan_overview
from rulebook.dates import previous_quarter_end
from rulebook.rag import RAG_ORDER, rag_label
from tests.e2e.conftest import metric_values, set_date, settle, snapshot


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


def test_chair_reviews_the_plan(page, demo_server):
    page.goto(demo_server.url)
    settle(page, chart=True)
    snapshot(page, "chair-overview")
    # Both demo plans ended on 31 Mar 2014: the overview opens as at that day and says so.
    assert page.get_by_text("Every plan shown ended by 31 Mar 2014").count() == 1
    assert page.get_by_text("as at 31 Mar 2014, compared with 31 Dec 2013").count() == 1
    overview, late = _figures(demo_server.database_url, DEMO_AS_AT)
    shown = metric_values(page)
    assert {rag_label(r): shown[rag_label(r)] for r in RAG_ORDER} == {
        rag_label(r): overview.rag.of(r) for r in RAG_ORDER
    }
    # The demo's figures as at its end (data/README.md): late by weeks or months, not years.
    assert shown["⚠ Overdue"] == overview.overdue == 5
    assert shown["↘ Worsened"] == overview.movement.worsened == 4
    assert shown["↗ Improved"] == overview.movement.improved == 7
    assert shown["★ Completed"] == overview.movement.completed == 7

    page.get_by_role("link", name="Overdue").click()
    settle(page)
    snapshot(page, "chair-overdue")
    shown = metric_values(page)
    assert shown["⚠ Overdue"] + shown["Deadline passed, marked ongoing"] == len(late)
    assert page.get_by_text("4,631").count() == 0

    page.get_by_role("link", name="Overview").click()
    settle(page, chart=True)
    earlier = previous_quarter_end(DEMO_AS_AT)
    set_date(page, "As at", earlier)
    then, _ = _figures(demo_server.database_url, earlier)
    shown = metric_values(page)
    assert shown[rag_label(RAG_ORDER[0])] == then.rag.of(RAG_ORDER[0])
    assert shown["⚠ Overdue"] == then.overdue
    assert page.get_by_text("Every plan shown ended by").count() == 0
    snapshot(page, "chair-overview-earlier")
    # The picker reaches today too, years after the plans ended.
    today = dt.date.today()
    set_date(page, "As at", today)
    now, _ = _figures(demo_server.database_url, today)
    assert metric_values(page)["⚠ Overdue"] == now.overdue
    set_date(page, "As at", DEMO_AS_AT)

    page.get_by_role("link", name="Meeting view").click()
    settle(page)
    snapshot(page, "chair-meeting")
    # 8 action exceptions, then the demo's one Red indicator (VAWG4).
    assert page.get_by_text("Exception 1 of 9").count() == 1
    page.get_by_role("button", name="Next ▶").click()
    settle(page)
    assert page.get_by_text("Exception 2 of 9").count() == 1
    page.get_by_role("button", name="◀ Previous").click()
    settle(page)
    assert page.get_by_text("Exception 1 of 9").count() == 1
