"""Figures from SQL, as at a date, from the append-only history."""

import datetime as dt

from plan.models import ProgressUpdate, UpdateSource
from plan.queries import (
    ALL,
    MovementCounts,
    RagCounts,
    Selection,
    action_detail,
    action_views,
    due_soon_count,
    meeting_exceptions,
    movement,
    objective_rollups,
    objective_trends,
    overdue_actions,
    overdue_count,
    owner_options,
    owner_summaries,
    plan_options,
    plan_overview,
    plan_rollups,
    rag_counts,
    updates_between,
    worst_first,
)
from rulebook.rag import DeliveryStatus, Rag
from tests.builders import (
    Q1_END,
    Q2_END,
    Q3_END,
    add_action,
    add_plan,
    add_update,
    build_long_plans,
    build_three_quarter_plan,
    noon,
)


def test_rag_counts_differ_correctly_at_each_quarter_end(session):
    plan = build_three_quarter_plan(session)
    assert rag_counts(session, plan_id=plan.id, as_at=Q1_END) == RagCounts(
        green=1, amber=1, red=1, not_rated=1
    )
    assert rag_counts(session, plan_id=plan.id, as_at=Q2_END) == RagCounts(
        amber=1, blue=1, red=1, green=1
    )
    assert rag_counts(session, plan_id=plan.id, as_at=Q3_END) == RagCounts(
        red=1, blue=1, green=1, cancelled=1
    )
    assert rag_counts(session, plan_id=plan.id, as_at=Q3_END).total == 3


def test_overdue_at_each_quarter_end(session):
    plan = build_three_quarter_plan(session)
    # Q1: B and C are past 1 May and still open.
    assert overdue_count(session, plan_id=plan.id, as_at=Q1_END) == 2
    # Q2: B complete; C open; A (1 Aug) now late.
    assert overdue_count(session, plan_id=plan.id, as_at=Q2_END) == 2
    # Q3: C cancelled; only A.
    assert overdue_count(session, plan_id=plan.id, as_at=Q3_END) == 1
    assert overdue_count(session, plan_id=None, as_at=Q3_END) == 2


def test_actions_created_after_the_date_are_not_counted(session):
    plan = add_plan(session, "New")
    add_action(session, plan, "Later", created_at=noon(dt.date(2026, 10, 1)))
    session.commit()
    assert rag_counts(session, plan_id=plan.id, as_at=Q2_END).total == 0
    assert rag_counts(session, plan_id=plan.id, as_at=Q3_END).not_rated == 1


def test_action_views_show_latest_update_as_at(session):
    plan = build_three_quarter_plan(session)
    views = {v.ref: v for v in action_views(session, plan_id=plan.id, as_at=Q3_END)}
    assert (views["1"].rag, views["1"].latest_update, views["1"].overdue) == (
        Rag.RED,
        "Blocked",
        True,
    )
    assert (views["2"].rag, views["2"].status, views["2"].overdue) == (
        Rag.BLUE,
        DeliveryStatus.COMPLETE,
        False,
    )
    assert views["3"].status == DeliveryStatus.CANCELLED
    before = {v.ref: v for v in action_views(session, plan_id=plan.id, as_at=Q1_END)}
    assert (before["1"].rag, before["4"].rag, before["4"].status) == (
        Rag.GREEN,
        None,
        DeliveryStatus.NOT_STARTED,
    )


def test_plan_options_count_actions(session):
    build_three_quarter_plan(session)
    assert [(p.name, p.actions) for p in plan_options(session)] == [("Other", 1), ("VAWG", 4)]


def test_movement_and_updates_between_quarters(session):
    plan = build_three_quarter_plan(session)
    vawg = Selection(plan_id=plan.id)
    assert movement(session, selection=vawg, as_at=Q2_END, compared_with=Q1_END) == MovementCounts(
        worsened=1, completed=1, unchanged=2
    )
    assert movement(session, selection=vawg, as_at=Q3_END, compared_with=Q2_END) == MovementCounts(
        worsened=1, unchanged=2
    )
    assert updates_between(session, selection=vawg, start=Q1_END, end=Q2_END) == 3
    assert updates_between(session, selection=vawg, start=Q2_END, end=Q3_END) == 2


def test_new_actions_and_improvement_are_counted(session):
    plan = build_three_quarter_plan(session)
    late = add_action(session, plan, "Late arrival", created_at=noon(dt.date(2026, 8, 1)))
    add_update(session, late, Rag.AMBER, at=noon(dt.date(2026, 8, 2)))
    a = next(x for x in plan.actions if x.ref == "1")
    add_update(session, a, Rag.GREEN, at=noon(dt.date(2026, 12, 1)))
    session.commit()
    vawg = Selection(plan_id=plan.id)
    assert movement(session, selection=vawg, as_at=Q2_END, compared_with=Q1_END).new == 1
    assert movement(session, selection=vawg, as_at=Q3_END, compared_with=Q2_END) == MovementCounts(
        improved=1, unchanged=3
    )


def test_filters_by_objective_owner_and_rag(session):
    plan = build_three_quarter_plan(session)
    protection = plan.objectives[1]
    by_objective = Selection(plan_id=plan.id, objective_ids=(protection.id,))
    assert rag_counts(session, selection=by_objective, as_at=Q2_END) == RagCounts(red=1, green=1)
    by_owner = Selection(owners=("Kylie Thornton",))
    assert rag_counts(session, selection=by_owner, as_at=Q2_END) == RagCounts(amber=1, red=1)
    assert overdue_count(session, selection=by_owner, as_at=Q2_END) == 2
    red_or_unrated = Selection(rags=(Rag.RED, None))
    views = action_views(session, selection=red_or_unrated, as_at=Q2_END)
    assert [(v.plan, v.ref) for v in views] == [("Other", None), ("VAWG", "3")]


def test_owner_filter_matches_names_whatever_their_case_or_spacing(session):
    """Owners chosen in the sidebar are names as written; they select on the stored key."""
    plan = build_three_quarter_plan(session)
    add_action(session, plan, "E", ref="5", owners=["Åsa Öberg"])
    session.commit()
    as_written = Selection(owners=("Kylie Thornton",))
    for other_spelling in ("kylie  THORNTON", " Kylie Thornton "):
        chosen = Selection(owners=(other_spelling,))
        assert rag_counts(session, selection=chosen, as_at=Q2_END) == rag_counts(
            session, selection=as_written, as_at=Q2_END
        )
    asa = action_views(session, selection=Selection(owners=("ÅSA ÖBERG",)), as_at=Q3_END)
    assert [v.action for v in asa] == ["E"]
    summaries = owner_summaries(
        session, selection=Selection(owners=("kylie thornton",)), as_at=Q2_END, compared_with=Q1_END
    )
    assert [s.owner for s in summaries] == ["Kylie Thornton"]


def test_an_owner_spelt_two_ways_is_one_owner_in_the_summaries_and_the_choices(session):
    plan = build_three_quarter_plan(session)
    add_action(session, plan, "E", ref="5", owners=["providers"])
    add_action(session, plan, "F", ref="6", owners=["Providers "])
    add_action(session, plan, "G", ref="7", owners=["PROVIDERS"])
    session.commit()
    summaries = owner_summaries(session, selection=ALL, as_at=Q2_END, compared_with=Q1_END)
    providers = [s for s in summaries if s.owner.casefold() == "providers"]
    assert [(s.owner, s.rag.total) for s in providers] == [("PROVIDERS", 3)]
    choices = owner_options(session, plan_id=None)
    assert [c for c in choices if c.casefold() == "providers"] == ["PROVIDERS"]
    assert choices == sorted(choices, key=str.casefold)


def test_due_soon_counts_open_actions_due_within_30_days(session):
    plan = build_three_quarter_plan(session)
    vawg = Selection(plan_id=plan.id)
    assert due_soon_count(session, selection=vawg, as_at=dt.date(2026, 7, 15)) == 1  # A, 1 Aug
    assert due_soon_count(session, selection=vawg, as_at=dt.date(2026, 4, 15)) == 2  # B, C
    assert due_soon_count(session, selection=vawg, as_at=Q3_END) == 0


def test_objective_rollups_and_trends(session):
    plan = build_three_quarter_plan(session)
    vawg = Selection(plan_id=plan.id)
    rollups = objective_rollups(session, selection=vawg, as_at=Q2_END)
    assert [(r.title, r.rag, r.overdue, r.rag.percent_complete, r.rag.worst) for r in rollups] == [
        ("Prevention", RagCounts(amber=1, blue=1), 1, 50.0, Rag.AMBER),
        ("Protection", RagCounts(red=1, green=1), 1, 0.0, Rag.RED),
    ]
    at_q3 = objective_rollups(session, selection=vawg, as_at=Q3_END)
    # Cancelled C is left out of Protection's percentages.
    assert [(r.title, r.rag, r.rag.percent_complete) for r in at_q3] == [
        ("Prevention", RagCounts(red=1, blue=1), 50.0),
        ("Protection", RagCounts(green=1, cancelled=1), 0.0),
    ]
    trends = objective_trends(session, selection=vawg, as_at=Q3_END, compared_with=Q2_END)
    assert [(t.rollup.title, t.since_comparison, t.since_year_earlier) for t in trends] == [
        ("Prevention", "worsening", "new"),
        ("Protection", "improving", "new"),
    ]


def test_overdue_actions_sorted_by_days_overdue(session):
    build_three_quarter_plan(session)
    late = overdue_actions(session, selection=ALL, as_at=Q2_END)
    assert [(v.action, v.days_overdue) for v in late] == [
        ("Elsewhere", (Q2_END - dt.date(2020, 1, 1)).days),
        ("C", 152),
        ("A", 60),
    ]


def test_owner_summaries_show_who_to_chase(session):
    build_three_quarter_plan(session)
    summaries = owner_summaries(session, selection=ALL, as_at=Q2_END, compared_with=Q1_END)
    assert [(s.owner, s.rag, s.overdue, s.not_updated_since) for s in summaries] == [
        ("Kylie Thornton", RagCounts(amber=1, red=1), 2, 1),  # C not updated since Q1
        ("GMP", RagCounts(not_rated=1), 1, 1),
        ("Ian Peet", RagCounts(blue=1, red=1), 1, 1),
    ]


def test_action_detail_has_history_up_to_the_date(session):
    plan = build_three_quarter_plan(session)
    a = next(x for x in plan.actions if x.ref == "1")
    detail = action_detail(session, action_id=a.id, as_at=Q2_END)
    assert [(h.rag, h.progress) for h in detail.history] == [
        (Rag.GREEN, "Started"),
        (Rag.AMBER, "Slipping"),
    ]
    assert detail.view.rag == Rag.AMBER
    assert action_detail(session, action_id=10**6, as_at=Q2_END) is None


def test_meeting_exceptions_are_red_overdue_or_worsened(session):
    plan = build_three_quarter_plan(session)
    vawg = Selection(plan_id=plan.id)
    found = meeting_exceptions(session, selection=vawg, as_at=Q3_END, compared_with=Q2_END)
    assert [(v.ref, v.rag, v.movement) for v in found] == [("1", Rag.RED, "worsened")]
    found = meeting_exceptions(session, selection=vawg, as_at=Q2_END, compared_with=Q1_END)
    assert [(v.ref, v.rag, v.movement, v.days_overdue) for v in found] == [
        ("3", Rag.RED, "unchanged", 152),
        ("1", Rag.AMBER, "worsened", 60),
    ]


def test_revised_deadline_is_current_and_baseline_is_kept(session):
    plan = build_three_quarter_plan(session)
    a = next(x for x in plan.actions if x.ref == "1")
    session.add(
        ProgressUpdate(
            action=a,
            rag=Rag.AMBER,
            status=DeliveryStatus.IN_PROGRESS,
            progress="Re-baselined",
            author="Officer",
            source=UpdateSource.FORM,
            revised_deadline=dt.date(2027, 3, 31),
            revised_deadline_reason="Funding delayed",
            recorded_at=noon(dt.date(2026, 11, 10)),
        )
    )
    session.commit()
    vawg = Selection(plan_id=plan.id)
    (view,) = [v for v in action_views(session, selection=vawg, as_at=Q3_END) if v.ref == "1"]
    assert (view.deadline, view.baseline_deadline, view.overdue) == (
        dt.date(2027, 3, 31),
        dt.date(2026, 8, 1),
        False,
    )
    # Before the revision was recorded, the baseline applied.
    (before,) = [v for v in action_views(session, selection=vawg, as_at=Q2_END) if v.ref == "1"]
    assert (before.deadline, before.overdue) == (dt.date(2026, 8, 1), True)
    assert overdue_count(session, selection=vawg, as_at=Q3_END) == 0


def test_exceptions_filtered_in_sql_match_the_rule_applied_to_every_action(session):
    from plan.queries import exceptions_of

    build_three_quarter_plan(session)
    for as_at, compared_with in ((Q2_END, Q1_END), (Q3_END, Q2_END), (Q3_END, Q1_END)):
        every = action_views(session, selection=ALL, as_at=as_at, compared_with=compared_with)
        assert meeting_exceptions(
            session, selection=ALL, as_at=as_at, compared_with=compared_with
        ) == exceptions_of(every)


def test_action_views_pages_follow_plan_order_without_gaps_or_repeats(session):
    build_long_plans(session, plans=2, objectives=3, actions_per_objective=5)
    every = [v.action for v in action_views(session, selection=ALL, as_at=Q3_END)]
    pages = [
        [v.action for v in action_views(session, selection=ALL, as_at=Q3_END, limit=7, offset=o)]
        for o in range(0, 30, 7)
    ]
    assert [len(p) for p in pages] == [7, 7, 7, 7, 2]
    assert [action for page in pages for action in page] == every
    assert every[:2] == ["P1-01-1", "P1-01-2"] and every[-1] == "P2-03-5"


def test_overdue_actions_page_from_an_offset(session):
    build_long_plans(session, plans=1, objectives=2, actions_per_objective=10)
    every = overdue_actions(session, selection=ALL, as_at=Q3_END)
    assert len(every) == 10
    assert overdue_actions(session, selection=ALL, as_at=Q3_END, limit=4, offset=8) == every[8:]


def test_plan_rollups_sum_each_plans_objectives(session):
    build_long_plans(session, plans=2, objectives=3, actions_per_objective=4)
    overview = plan_overview(session, selection=ALL, as_at=Q3_END, action_limit=0)
    assert overview.actions == []
    assert [
        (r.plan, r.objectives, r.rag.red, r.rag.green, r.overdue) for r in overview.by_plan
    ] == [
        ("Plan 1", 3, 3, 9, 6),
        ("Plan 2", 3, 3, 9, 6),
    ]
    assert plan_rollups(overview.by_objective) == overview.by_plan
    assert sum(r.rag.total for r in overview.by_plan) == overview.rag.total == 24


def test_objective_trends_worst_first(session):
    plans = build_long_plans(session, plans=2, objectives=3, actions_per_objective=2)
    late = next(a for a in plans[1].actions if a.text == "P2-02-2")
    add_update(session, late, Rag.RED, at=noon(Q1_END))
    session.commit()
    in_plan_order = objective_trends(session, selection=ALL, as_at=Q3_END, compared_with=Q2_END)
    worst = worst_first(in_plan_order)
    assert [t.rollup.title for t in in_plan_order][:2] == ["P1 objective 01", "P1 objective 02"]
    assert worst[0].rollup.title == "P2 objective 02"
    assert sorted(t.rollup.title for t in worst) == sorted(t.rollup.title for t in in_plan_order)


def test_changes_between_compare_with_the_update_just_before_even_at_the_same_moment(session):
    from plan.queries import changes_between

    plan = add_plan(session, "Plan")
    action = add_action(session, plan, "A", ref="1")
    add_update(session, action, Rag.GREEN, at=noon(Q1_END))  # before the window
    moment = noon(Q2_END)
    add_update(session, action, Rag.AMBER, at=moment)
    add_update(session, action, Rag.RED, at=moment)  # same timestamp: ordered by id
    add_update(session, action, None, at=noon(Q3_END), status=DeliveryStatus.COMPLETE)
    session.commit()
    changes = changes_between(session, selection=ALL, start=Q1_END, end=Q3_END)
    assert [(c.previous_rag, c.rag, c.change) for c in changes] == [
        (Rag.GREEN, Rag.AMBER, "worsened"),
        (Rag.AMBER, Rag.RED, "worsened"),
        (Rag.RED, Rag.BLUE, "improved"),
    ]


def test_owners_read_by_selection_for_long_lists_match_those_read_by_id(session, monkeypatch):
    import plan.queries.action_lists

    build_long_plans(session, plans=2, objectives=2, actions_per_objective=3)
    kylie = Selection(owners=("Kylie Thornton",))
    by_id = action_views(session, selection=kylie, as_at=Q3_END, compared_with=Q2_END)
    monkeypatch.setattr(plan.queries.action_lists, "_OWNERS_BY_ID_LIMIT", 2)
    by_selection = action_views(session, selection=kylie, as_at=Q3_END, compared_with=Q2_END)
    assert len(by_id) == 6
    assert [v.owners for v in by_selection] == [v.owners for v in by_id]
    assert {v.owners for v in by_id} == {("Kylie Thornton",)}
