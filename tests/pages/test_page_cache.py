"""Dashboard figures come from Streamlit's cache, keyed by a data version read once per page run."""

import datetime as dt
import functools
import pickle

import pytest

from plan import queries
from plan.services import ProgressInput, submit_progress
from rulebook.rag import Rag
from tests.builders import (
    NOW,
    Q2_END,
    Q3_END,
    actor_of,
    add_action,
    add_plan,
    add_user,
    build_three_quarter_plan,
)
from tests.pages.conftest import metrics

AS_AT = dt.date(2026, 11, 30)  # after NOW, when the test's update is saved


@pytest.fixture
def one_action(factory):
    """A plan with one unrated action, and an officer who may update it."""
    with factory() as session:
        plan = add_plan(session, "P")
        action = add_action(session, plan, "Open the refuge", deadline=dt.date(2027, 3, 31))
        add_user(session, "officer@test.org", "officer")
        session.commit()
        return action.id


def _overview(at, *, as_at=AS_AT, compared_with=Q2_END):
    at.run()
    at.date_input(key="as_at").set_value(as_at)
    at.date_input(key="compared_with").set_value(compared_with)
    at.run()
    assert not at.exception, at.exception
    return at


def _save_red(factory, action_id: int, text: str) -> None:
    with factory() as session:
        actor = actor_of(session, "officer@test.org")
    submit_progress(
        factory,
        actor,
        action_id,
        ProgressInput(rag=Rag.RED, progress=text, issue="No funding", remedy="Bid again"),
        expected_latest_update_id=None,
        now=NOW,
    )


def test_an_update_saved_through_the_service_shows_on_the_next_run(app, factory, one_action):
    _overview(app)
    assert metrics(app)["– Not rated"] == 1
    assert list(app.dataframe[0].value["Latest update"]) == [""]

    _save_red(factory, one_action, "Funding withdrawn")
    app.run()

    assert metrics(app)["✖ Red"] == 1 and metrics(app)["– Not rated"] == 0
    assert list(app.dataframe[0].value["Latest update"]) == ["Funding withdrawn"]


def test_the_data_version_is_read_once_per_page_run(app, factory, monkeypatch):
    with factory() as session:
        build_three_quarter_plan(session)
        session.commit()
    reads = []

    def counted(session):
        reads.append(1)
        return queries.data_version(session)

    monkeypatch.setattr("pages.common.data_version", counted)
    _overview(app, as_at=Q3_END)
    for page in ("pages/overview.py", "pages/objectives.py", "pages/meeting.py"):
        app.switch_page(page)
        reads.clear()
        app.run()
        assert not app.exception, app.exception
        # The overview alone asks for five cached figures (three of them for the filters).
        assert len(reads) == 1, page


def test_unchanged_data_reuses_the_figures_and_a_change_does_not(
    app, factory, one_action, monkeypatch
):
    calls = []

    original = queries.plan_overview

    @functools.wraps(original)
    def counted(session, **arguments):
        calls.append(arguments["as_at"])
        return original(session, **arguments)

    monkeypatch.setattr("plan.queries.plan_overview", counted)
    _overview(app)
    calls.clear()
    app.run()
    app.run()
    assert calls == []

    _save_red(factory, one_action, "Funding withdrawn")
    app.run()
    app.run()
    assert calls == [AS_AT]


def test_the_cache_can_be_cleared(app, factory, one_action, monkeypatch):
    """Benchmarks clear it to time the first load after a change."""
    from pages.common import clear_query_cache

    calls = []

    original = queries.plan_overview

    @functools.wraps(original)
    def counted(session, **arguments):
        calls.append(1)
        return original(session, **arguments)

    monkeypatch.setattr("plan.queries.plan_overview", counted)
    _overview(app)
    calls.clear()
    clear_query_cache()
    app.run()
    assert calls == [1]


def test_every_cached_figure_pickles(factory):
    """Streamlit keeps a pickled copy of each cached result."""
    with factory() as session:
        build_three_quarter_plan(session)
        session.commit()
    everything = queries.Selection()
    dated = {"selection": everything, "as_at": Q3_END}
    compared = {**dated, "compared_with": Q2_END}
    paged = {"limit": 100, "offset": 0}
    with factory() as session:
        for query, arguments in (
            (queries.plan_options, {}),
            (queries.objective_options, {"plan_id": None}),
            (queries.owner_options, {"plan_id": None}),
            (queries.action_options, dated),
            (queries.plan_overview, {**compared, "action_limit": 0}),
            (queries.action_views, {**compared, **paged}),
            (queries.overdue_counts, dated),
            (queries.overdue_actions, {**dated, **paged}),
            (queries.objective_trends, compared),
            (queries.owner_summaries, compared),
            (queries.meeting_exceptions, compared),
        ):
            result = query(session, **arguments)
            assert pickle.loads(pickle.dumps(result)) == result, query.__name__
