"""Several writers at once on SQLite and PostgreSQL: no update lost, no "database is locked"."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from plan import services
from plan.models import ProgressUpdate
from plan.services import Busy, Conflict, ProgressInput, run_write
from rulebook.rag import Rag
from tests.builders import actor_of, add_action, add_plan, add_user, cheap_hasher

WRITERS = 6
UPDATES_EACH = 8


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    monkeypatch.setattr("plan.auth._hasher", cheap_hasher())


def test_writer_threads_on_one_plan_lose_nothing(factory):
    with factory() as session:
        plan = add_plan(session, "Busy plan")
        actions = [
            add_action(session, plan, f"Action {n}", ref=str(n), owners=["Kylie Thornton"])
            for n in range(3)
        ]
        add_user(session, "owner@x.org", owner_names=["Kylie Thornton"])
        add_user(session, "officer@x.org", "officer")
        session.commit()
        actors = [actor_of(session, "owner@x.org"), actor_of(session, "officer@x.org")]
        action_ids = [a.id for a in actions]

    errors: list[BaseException] = []
    conflicts = [0] * WRITERS
    start = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        actor = actors[number % 2]
        try:
            start.wait()
            for i in range(UPDATES_EACH):
                action_id = action_ids[(number + i) % len(action_ids)]
                while True:  # what a person does on a conflict: read the newer update, save again
                    with factory() as session:
                        expected = services.latest_update_id(session, action_id)
                    try:
                        services.submit_progress(
                            factory,
                            actor,
                            action_id,
                            ProgressInput(Rag.GREEN, f"writer {number} update {i}"),
                            expected_latest_update_id=expected,
                        )
                        break
                    except Conflict:
                        conflicts[number] += 1
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with factory() as session:
        texts = set(session.scalars(select(ProgressUpdate.progress)))
        total = session.scalar(select(func.count(ProgressUpdate.id)))
    expected = {f"writer {n} update {i}" for n in range(WRITERS) for i in range(UPDATES_EACH)}
    assert texts == expected and total == WRITERS * UPDATES_EACH
    # Each action's history is a chain: every save was checked against the one before it.


def test_two_writers_with_the_same_token_one_wins_one_conflicts(factory):
    with factory() as session:
        plan = add_plan(session)
        action = add_action(session, plan, "Contested", owners=["GMP"])
        add_user(session, "a@x.org", "officer")
        add_user(session, "b@x.org", "officer")
        session.commit()
        actors = [actor_of(session, "a@x.org"), actor_of(session, "b@x.org")]
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def save(actor):
        start.wait()
        try:
            services.submit_progress(
                factory,
                actor,
                action.id,
                ProgressInput(Rag.GREEN, actor.email),
                expected_latest_update_id=None,
            )
            outcomes.append("saved")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(a,)) for a in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["conflict", "saved"]


def test_a_locked_database_is_retried_then_reported_in_words(factory):
    calls = []

    def flaky(session):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return "done"

    assert run_write(factory, flaky, pause=0.001) == "done"
    assert len(calls) == 3

    def always_locked(session):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    with pytest.raises(Busy) as busy:
        run_write(factory, always_locked, attempts=2, pause=0.001)
    assert "database is locked" not in str(busy.value)
    assert "nothing was saved" in str(busy.value)
