"""Overdue, objectives, owners, action and meeting pages show what the database holds."""

import datetime as dt
import html
import json

from tests.builders import (
    Q1_END,
    Q2_END,
    Q3_END,
    add_indicator,
    add_value,
    build_three_quarter_plan,
    noon,
)
from tests.pages.conftest import metrics, shown


def _open(at, page, *, as_at, compared_with=None, plan="All plans"):
    at.run()
    at.switch_page(page).run()
    at.selectbox(key="plan").set_value(plan)
    at.date_input(key="as_at").set_value(as_at)
    if compared_with is not None:
        at.date_input(key="compared_with").set_value(compared_with)
    at.run()
    assert not at.exception
    return at


def test_overdue_page_sorts_by_days_and_lists_ongoing_apart(app, factory):
    with factory() as session:
        plan = build_three_quarter_plan(session)
        ongoing = next(a for a in plan.actions if a.ref == "2")
        ongoing.ongoing = True  # "May 2026 and ongoing"
        ongoing.deadline_text = "May 2026 and ongoing"
        session.commit()
    _open(app, "pages/overdue.py", as_at=Q1_END)
    assert metrics(app) == {"⚠ Overdue": 2, "Deadline passed, marked ongoing": 1}
    dated, marked = (frame.value for frame in app.dataframe)
    # How late, and against what deadline, come first: a laptop shows them without scrolling.
    assert list(dated.columns)[:7] == [
        "Ref",
        "RAG",
        "Days overdue",
        "Deadline",
        "Action",
        "Owner",
        "Details",
    ]
    assert list(dated["Action"]) == ["Elsewhere", "C"]
    assert list(dated["Days overdue"]) == [(Q1_END - dt.date(2020, 1, 1)).days, 60]
    assert list(dated["Owner"]) == ["GMP", "Kylie Thornton / Ian Peet"]
    assert list(marked["Action"]) == ["B"]
    assert list(marked["Deadline"]) == ["1 May 2026 (May 2026 and ongoing)"]

    app.multiselect(key="owners").set_value(["Kylie Thornton"]).run()
    assert list(app.dataframe[0].value["Action"]) == ["C"]
    app.date_input(key="as_at").set_value(dt.date(2019, 1, 1)).run()
    assert "Nothing is overdue" in app.success[0].value


def test_objectives_page_rollups_and_direction(app, factory):
    with factory() as session:
        build_three_quarter_plan(session)
    _open(app, "pages/objectives.py", as_at=Q3_END, compared_with=Q2_END, plan="VAWG")
    frame = app.dataframe[0].value
    assert list(frame["Objective"]) == ["Prevention", "Protection"]
    assert list(frame["✖ Red"]) == [1, 0]
    assert list(frame["★ Blue"]) == [1, 0]
    assert list(frame["✔ Green"]) == [0, 1]
    assert list(frame["Cancelled"]) == [0, 1]
    assert list(frame["% complete"]) == [50.0, 0.0]
    assert list(frame["Overdue"]) == [1, 0]
    assert list(frame["Worst RAG"]) == ["✖ Red", "✔ Green"]
    assert list(frame["Since comparison"]) == ["↘ Worsening", "↗ Improving"]
    assert list(frame["Since a year ago"]) == ["• New", "• New"]


def test_owners_page_shows_who_to_chase(app, factory):
    with factory() as session:
        build_three_quarter_plan(session)
    _open(app, "pages/owners.py", as_at=Q2_END, compared_with=Q1_END)
    frame = app.dataframe[0].value
    assert list(frame["Owner"]) == ["Kylie Thornton", "GMP", "Ian Peet"]
    assert list(frame["No update since 30 Jun 2026"]) == [1, 1, 1]
    assert list(frame["⚠ Overdue"]) == [2, 1, 1]
    assert list(frame["Actions"]) == [2, 1, 2]


def test_action_page_shows_history_as_at(app, factory):
    with factory() as session:
        plan = build_three_quarter_plan(session)
        action_id = next(a.id for a in plan.actions if a.ref == "1")
    app.query_params["action"] = str(action_id)
    _open(app, "pages/action.py", as_at=Q3_END)
    assert app.selectbox(key="action_id").value == action_id
    # Written just as matched, the owner is said once.
    owner_lines = [shown(m.value) for m in app.markdown if m.value.startswith("**Owner")]
    assert owner_lines == ["**Owner:** Kylie Thornton"]
    history = " ".join(m.value for m in app.markdown)
    assert "by Test Author" in history
    assert [t.value for t in app.text] == ["Blocked", "Slipping", "Started"]
    chart = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert chart["data"][0]["text"] == ["✔ Green", "▲ Amber", "✖ Red"]
    app.date_input(key="as_at").set_value(Q1_END).run()
    assert [t.value for t in app.text] == ["Started"]


def test_action_page_names_owners_as_written_and_as_matched_when_they_differ(app, factory):
    with factory() as session:
        plan = build_three_quarter_plan(session)
        action_id = next(a.id for a in plan.actions if a.ref == "3")
    app.query_params["action"] = str(action_id)
    _open(app, "pages/action.py", as_at=Q3_END)
    assert [shown(m.value) for m in app.markdown if m.value.startswith("**Owner")] == [
        "**Owner (as written):** Kylie Thornton / Ian Peet",
        "**Owners:** Kylie Thornton, Ian Peet",
    ]


def test_meeting_view_steps_through_exceptions(app, factory):
    with factory() as session:
        build_three_quarter_plan(session)
    _open(app, "pages/meeting.py", as_at=Q2_END, compared_with=Q1_END, plan="VAWG")

    def current():
        return next(m.value for m in app.markdown if "Why it is here" in m.value)

    assert "Exception 1 of 2" in " ".join(m.value for m in app.markdown)
    assert "</b> C</p>" in current() and "Red, overdue by 152 days" in current()
    app.button[1].click().run()
    assert "</b> A</p>" in current()
    assert "overdue by 60 days, worse than at the comparison date" in current()
    assert app.button[1].disabled
    app.button[0].click().run()
    assert "</b> C</p>" in current()
    # A presentation clicker's keys: → and ← on the buttons shown, Page Down and Page Up on the
    # same steps kept out of sight (tests/e2e/test_accessibility.py presses them).
    shortcuts = {button.key: button.proto.shortcut for button in app.button}
    assert shortcuts == {
        "meeting_previous": "left",
        "meeting_next": "right",
        "meeting_page_down": "pagedown",
        "meeting_page_up": "pageup",
    }
    app.button(key="meeting_page_down").click().run()
    assert "</b> A</p>" in current()
    app.button(key="meeting_page_up").click().run()
    assert "</b> C</p>" in current()


def test_meeting_view_steps_on_to_red_indicators(app, factory):
    with factory() as session:
        plan = build_three_quarter_plan(session)
        targets = {"Q1 2026/27": 100.0, "Q2 2026/27": 100.0}
        red = add_indicator(
            session,
            plan,
            "DA1",
            "Repeat <b>MARAC</b> referrals",
            owners=["Ian Peet"],
            targets=targets,
        )
        green = add_indicator(session, plan, "DA2", "IDVA caseload", targets=targets)
        add_value(session, red, "Q1 2026/27", 90.0, at=noon(Q1_END))
        add_value(session, red, "Q2 2026/27", 80.0, at=noon(Q2_END), note="Extra outreach")
        add_value(session, green, "Q2 2026/27", 101.0, at=noon(Q2_END))
        session.commit()
    _open(app, "pages/meeting.py", as_at=Q2_END, compared_with=Q1_END, plan="VAWG")

    def current():
        return next(m.value for m in app.markdown if "Owner:" in m.value)

    assert "Exception 1 of 3" in " ".join(m.value for m in app.markdown)
    assert "actions (2), then Red indicators (1)" in app.caption[0].value
    app.button[1].click().run()
    app.button[1].click().run()
    assert "Exception 3 of 3" in " ".join(m.value for m in app.markdown)
    card = html.unescape(current())
    assert "<b>MARAC</b>" not in current()  # the name is shown as text, not as HTML
    assert "✖ Red" in card and "Indicator" in card
    assert "<b>DA1</b> Repeat <b>MARAC</b> referrals" in card
    assert "Q2 2026/27:\n  80 against a target of\n  100" in card
    assert "Owner: Ian Peet" in card
    assert "against last period: ↘ Worsening" in card
    assert "Corrective action: Extra outreach" in card
    assert app.button[1].disabled
    # As at Q1 the indicator was Red too (90 against 100) and the actions' exceptions differ.
    app.date_input(key="as_at").set_value(Q1_END).run()
    assert "Red indicators (1)" in app.caption[0].value


def test_action_page_keeps_the_action_chosen_after_a_link(app, factory):
    with factory() as session:
        plan = build_three_quarter_plan(session)
        first, second = (next(a.id for a in plan.actions if a.ref == ref) for ref in ("1", "2"))
    app.query_params["action"] = str(first)
    _open(app, "pages/action.py", as_at=Q3_END)
    app.selectbox(key="action_id").set_value(second).run()
    assert app.selectbox(key="action_id").value == second
    assert app.query_params["action"] == str(second)


def test_meeting_view_shows_checks_and_data_quality(app, factory):
    """The chair sees each exception's automatic checks in words, and the counts per owner
    and per objective at a glance."""
    with factory() as session:
        build_three_quarter_plan(session)
    _open(app, "pages/meeting.py", as_at=Q2_END, compared_with=Q1_END, plan="VAWG")
    expander = next(e for e in app.expander if e.label.startswith("Data quality"))
    text = " ".join(m.value for m in expander.markdown)
    assert "**Per owner**" in text and "**Per objective**" in text
    card = next(m.value for m in app.markdown if "Why it is here" in m.value)
    assert "Red, overdue by 152 days" in card
    # C is Red with no issue or remedy recorded: its check says so in words.
    assert "⚑ Checks: Rated Red or Amber without saying what the issue is" in card
