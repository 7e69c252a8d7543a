"""The demo: both Trafford plans, imported last quarter, with later demo updates."""

import datetime as dt

from plan.bootstrap import load_demo_plans
from plan.queries import MovementCounts, Selection, meeting_exceptions, movement, plan_options
from rulebook.dates import previous_quarter_end
from rulebook.rag import Rag

TODAY = dt.date(2026, 11, 25)


def test_demo_loads_every_transcribed_action_with_history(factory):
    reports = load_demo_plans(factory, today=TODAY)
    assert [(r.plan, r.actions_created, len(r.issues)) for r in reports] == [
        ("Reducing Violence Against Women and Children Delivery Plan 2011/14", 29, 1),
        ("Domestic Abuse Steering Group Action Plan", 34, 0),
    ]
    compared_with = previous_quarter_end(TODAY)
    with factory() as session:
        assert [p.actions for p in plan_options(session)] == [34, 29]
        moved = movement(session, selection=Selection(), as_at=TODAY, compared_with=compared_with)
        assert moved == MovementCounts(improved=3, worsened=3, completed=1, unchanged=56)
        exceptions = meeting_exceptions(
            session, selection=Selection(), as_at=TODAY, compared_with=compared_with
        )
        worsened = [v.action for v in exceptions if v.movement == "worsened"]
        assert worsened == [
            "Deliver at least 2 campaigns per year to raise awareness of attitude",
            "Inputs to be provided in relation to Honour Based Violence and Female Genital "
            "Mutilation.",
            "Continue to support and evaluate the Independent Domestic Violence Advisors.",
        ]
        assert exceptions[0].rag == Rag.RED
