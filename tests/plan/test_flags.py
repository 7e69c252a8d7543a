"""The automatic checks on the data: each flag on the action it should be on, and nowhere else;
counted per owner and per objective; the round checks against one round and the one before."""

from __future__ import annotations

import datetime as dt

from plan.models import ProgressUpdate, UpdateSource
from plan.queries.flags import action_flags, flags_by_objective, flags_by_owner
from plan.queries.rounds import NO_OWNER
from plan.queries.state import Selection
from plan.services.rounds import open_round
from rulebook.flags import Flag
from rulebook.rag import DeliveryStatus, Rag
from tests.builders import add_action, add_plan, add_update, noon

AS_AT = dt.date(2026, 11, 30)
PAST = dt.date(2026, 10, 1)


def _update(session, action, rag, *, at, **fields):
    update = ProgressUpdate(
        action=action,
        rag=rag,
        status=fields.pop("status", DeliveryStatus.IN_PROGRESS),
        progress="update",
        author="Test",
        source=UpdateSource.FORM,
        recorded_at=at,
        **fields,
    )
    session.add(update)
    session.flush()


def _seed(session):
    plan = add_plan(session, "VAWG", "Prevention", "Protection")
    prevention, protection = plan.objectives
    made = {}

    def action(text, objective, owners, deadline=None):
        made[text] = add_action(
            session, plan, text, objective=objective, owners=owners, deadline=deadline
        )
        return made[text]

    day = noon(dt.date(2026, 6, 1))
    add_update(
        session, action("green late", prevention, ["Kylie Thornton"], PAST), Rag.GREEN, at=day
    )
    _update(
        session,
        action("red no remedy", prevention, ["Kylie Thornton"]),
        Rag.RED,
        at=day,
        issue="Funding cut",
        remedy=" ",
    )
    _update(
        session,
        action("red explained", protection, ["Ian Peet"]),
        Rag.RED,
        at=day,
        issue="Funding cut",
        remedy="Bid to the PCC",
    )
    revised = action("revised twice", protection, ["Ian Peet"])
    _update(session, revised, Rag.GREEN, at=day, revised_deadline=dt.date(2027, 1, 1))
    _update(
        session,
        revised,
        Rag.GREEN,
        at=day + dt.timedelta(days=30),
        revised_deadline=dt.date(2027, 6, 1),
    )
    _update(
        session,
        action("done undated", protection, ["Ian Peet"]),
        None,
        at=day,
        status=DeliveryStatus.COMPLETE,
    )
    add_update(session, action("nobody's", protection, []), Rag.GREEN, at=day)
    add_update(
        session, action("fine", prevention, ["Kylie Thornton"]), Rag.AMBER, at=day, progress="x"
    )
    session.commit()
    return made


def test_each_flag_is_on_its_action_only(session):
    made = _seed(session)
    found = action_flags(session, Selection(), AS_AT)
    by_text = {text: found.get(action.id, ()) for text, action in made.items()}
    assert by_text == {
        "green late": (Flag.GREEN_BUT_OVERDUE,),
        "red no remedy": (Flag.NO_ISSUE_OR_REMEDY,),
        "red explained": (),
        "revised twice": (Flag.DEADLINE_REVISED,),
        "done undated": (Flag.COMPLETE_WITHOUT_DATE,),
        "nobody's": (Flag.NO_OWNER,),
        # Amber from an import-like update with no issue or remedy written.
        "fine": (Flag.NO_ISSUE_OR_REMEDY,),
    }


def test_flags_as_at_an_earlier_date(session):
    made = _seed(session)
    found = action_flags(session, Selection(), dt.date(2026, 6, 15))
    # Only one revision by then, and the Green action's deadline had not passed.
    assert Flag.DEADLINE_REVISED not in found.get(made["revised twice"].id, ())
    assert made["green late"].id not in found


def test_flags_counted_per_owner_and_objective(session):
    _seed(session)
    owners = {c.name: c for c in flags_by_owner(session, Selection(), AS_AT)}
    assert owners["Kylie Thornton"].counts[Flag.NO_ISSUE_OR_REMEDY] == 2
    assert owners["Kylie Thornton"].counts[Flag.GREEN_BUT_OVERDUE] == 1
    assert owners["Kylie Thornton"].total == 3
    assert owners["Ian Peet"].counts[Flag.DEADLINE_REVISED] == 1
    assert owners["Ian Peet"].counts[Flag.COMPLETE_WITHOUT_DATE] == 1
    assert owners[NO_OWNER].counts[Flag.NO_OWNER] == 1
    objectives = [(c.name, c.total) for c in flags_by_objective(session, Selection(), AS_AT)]
    assert objectives == [("Prevention", 3), ("Protection", 3)]


def test_round_checks_look_at_the_round_and_the_one_before(session):
    from tests.builders import actor_of, add_user

    made = _seed(session)
    add_user(session, "officer@x.org", "officer")
    session.commit()
    officer = actor_of(session, "officer@x.org")
    first = open_round(
        session,
        officer,
        "Q2",
        period_end=dt.date(2026, 9, 30),
        due=dt.date(2026, 10, 15),
        plan_names=["VAWG"],
        now=noon(dt.date(2026, 10, 1)),
    )
    second = open_round(
        session,
        officer,
        "Q3",
        period_end=dt.date(2026, 12, 31),
        due=dt.date(2027, 1, 15),
        plan_names=["VAWG"],
        now=noon(dt.date(2027, 1, 2)),
    )
    session.commit()
    # "red explained" answered the first round; "fine" answers the second.
    add_update(session, made["red explained"], Rag.RED, at=noon(dt.date(2026, 10, 5)))
    add_update(session, made["fine"], Rag.GREEN, at=noon(dt.date(2027, 1, 5)))
    session.commit()
    after = dt.date(2027, 1, 20)
    found = action_flags(session, Selection(), after, round_id=second.id)
    assert Flag.NO_UPDATE_TWO_ROUNDS in found[made["nobody's"].id]
    assert Flag.NO_ROUND_UPDATE in found[made["red explained"].id]
    assert made["fine"].id not in found
    # "done undated" was complete before either round: neither asked about it.
    assert not {Flag.NO_ROUND_UPDATE, Flag.NO_UPDATE_TWO_ROUNDS} & set(
        found[made["done undated"].id]
    )
    # Before the round's due date nothing is missed yet.
    early = action_flags(session, Selection(), dt.date(2027, 1, 10), round_id=second.id)
    assert all(Flag.NO_ROUND_UPDATE not in flags for flags in early.values())
    assert all(Flag.NO_UPDATE_TWO_ROUNDS not in flags for flags in early.values())
    # Looking at the first round alone: there is no round before it.
    at_first = action_flags(session, Selection(), after, round_id=first.id)
    assert Flag.NO_ROUND_UPDATE in at_first[made["nobody's"].id]
    # Its answer to the first round was Red with no issue or remedy: flagged for that only.
    assert at_first[made["red explained"].id] == (Flag.NO_ISSUE_OR_REMEDY,)
