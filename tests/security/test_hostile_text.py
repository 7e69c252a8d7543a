"""Text from plan files and from users is shown as text on every page: never a link, an image,
HTML or formatting. Only a https evidence link is a link, and it shows its own address."""

from __future__ import annotations

import datetime as dt
import html
import re
import string

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pages.session import ACTOR_KEY, SIGNED_IN_AT_KEY
from pages.text import WORD_JOINER, md, md_link
from plan.models import BoardDecision, ProgressUpdate, UpdateSource
from rulebook.rag import DeliveryStatus, Rag
from tests.builders import actor_of, add_action, add_plan, add_user, csv_bytes
from tests.pages.conftest import APP, chart_bars, html_of, shown

LINK = "[click](https://evil.example)"
IMAGE = "![x](https://evil.example/p.png)"
TAG = "<img src=x onerror=alert(1)>"
BOLD = "**bold**"


def hostile(what: str) -> str:
    return f"{what} {TAG} {LINK} {IMAGE} {BOLD}"


PLAN = hostile("Plan")
OBJECTIVE = hostile("Objective")
ACTION = hostile("Action")
OWNER = hostile("Owner")
PROGRESS = hostile("Progress")
ISSUE = hostile("Issue")
AUTHOR = hostile("Author")
DECISION = hostile("Decision")
EXTRA_COLUMN = "[Notes](https://evil.example)"
EXTRA_VALUE = hostile("Note")
REF = "[R1](https://evil.example)"
SOURCE = "[file](https://evil.example).xlsx"
EVIDENCE = "https://evidence.example/report?id=7"
PLAIN_HTTP = "http://evil.example/x"

AS_AT = dt.date(2026, 11, 30)
COMPARED_WITH = dt.date(2026, 9, 30)
UPDATED = dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC)

MARKDOWN_ELEMENTS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "info",
    "warning",
    "error",
    "success",
    "toast",
)
LABELLED = (
    "selectbox",
    "multiselect",
    "radio",
    "text_input",
    "text_area",
    "date_input",
    "number_input",
    "button",
    "form_submit_button",
    "download_button",
    "metric",
    "expander",
    "tabs",
)


@pytest.fixture
def action_id(factory):
    """One Red, overdue action whose every text came from a hostile file or user."""
    with factory() as session:
        plan = add_plan(session, PLAN, OBJECTIVE)
        action = add_action(
            session,
            plan,
            ACTION,
            ref=REF,
            deadline=dt.date(2026, 8, 1),
            owners=[OWNER],
        )
        action.extra = {EXTRA_COLUMN: EXTRA_VALUE}
        action.milestone = hostile("Milestone")
        for rag, days, more in (
            (Rag.AMBER, 0, {"source_detail": SOURCE, "evidence_link": PLAIN_HTTP}),
            (Rag.RED, 1, {"issue": ISSUE, "remedy": hostile("Remedy"), "evidence_link": EVIDENCE}),
        ):
            session.add(
                ProgressUpdate(
                    action=action,
                    rag=rag,
                    status=DeliveryStatus.IN_PROGRESS,
                    progress=PROGRESS,
                    author=AUTHOR,
                    source=UpdateSource.IMPORT if days == 0 else UpdateSource.FORM,
                    recorded_at=UPDATED + dt.timedelta(days=days),
                    **more,
                )
            )
        session.add(
            BoardDecision(
                action_id=action.id,
                decision=DECISION,
                meeting_date=dt.date(2026, 10, 5),
                author=AUTHOR,
                author_email="chair@test.org",
            )
        )
        add_user(session, "owner@test.org", "owner", owner_names=[OWNER], name=hostile("Name"))
        session.commit()
        return action.id


@pytest.fixture
def app(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TRACKER_LOAD_DEMO", "0")
    monkeypatch.setattr("pages.common.today", lambda: AS_AT)
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=30)
    yield at
    st.cache_resource.clear()


def _dashboard(at: AppTest, page: str, *, with_comparison: bool = True) -> AppTest:
    at.run()
    at.switch_page(page).run()
    at.selectbox(key="plan").set_value(PLAN)
    at.date_input(key="as_at").set_value(AS_AT)
    if with_comparison:
        at.date_input(key="compared_with").set_value(COMPARED_WITH)
    at.run()
    assert not at.exception, at.exception
    return at


def _signed_in(at: AppTest, factory) -> AppTest:
    with factory() as session:
        at.session_state[ACTOR_KEY] = actor_of(session, "owner@test.org")
    at.session_state[SIGNED_IN_AT_KEY] = dt.datetime.now(dt.UTC)
    at.run()
    at.switch_page("pages/my_actions.py").run()
    assert not at.exception, at.exception
    return at


def markdown_shown(at: AppTest) -> list[str]:
    """The body or label of every element Streamlit renders as Markdown, and tooltips."""
    bodies = [e.value for kind in MARKDOWN_ELEMENTS for e in getattr(at, kind)]
    for kind in LABELLED:
        for element in getattr(at, kind):
            bodies.append(element.label)
            bodies.append(getattr(element.proto, "help", "") or "")
    bodies += [option for radio in at.radio for option in radio.options]
    return bodies


def assert_nothing_live(at: AppTest) -> str:
    """No Markdown body holds a live link, image, tag, bold or autolink; returns all of them."""
    bodies = markdown_shown(at)
    for body in bodies:
        assert "](http" not in body, body
        assert not re.search(r"(?<!\\)<img", body), body
        assert "**bold**" not in body, body
        assert "://evil" not in body, body
        assert "www.evil" not in body, body
    return "\n".join(bodies)


def visible(bodies: str) -> str:
    """Roughly what a reader sees: Markdown escapes undone, HTML character references read."""
    return html.unescape(shown(bodies))


def test_md_escapes_every_markdown_character_and_breaks_autolinks():
    escaped = md(string.punctuation)
    assert escaped.replace(WORD_JOINER, "") == "".join("\\" + c for c in string.punctuation)
    for text in ("see https://evil.example", "www.evil.example", "me@evil.example", ":smile:"):
        assert WORD_JOINER in md(text)
        assert shown(md(text)) == text
    assert md("one\n\n    two\r\nthree") == "one  \n  \ntwo  \nthree"
    assert md(None) == ""


def test_only_a_https_evidence_link_becomes_a_link():
    assert md_link(EVIDENCE) == f"<{EVIDENCE}>"
    for not_https in (PLAIN_HTTP, "javascript:alert(1)", "https://a.example/>x", "https:///x", ""):
        assert not md_link(not_https).startswith("<"), not_https


@pytest.mark.parametrize(
    ("page", "with_comparison"),
    [
        ("pages/overview.py", True),
        ("pages/overdue.py", False),
        ("pages/objectives.py", True),
        ("pages/owners.py", True),
    ],
)
def test_dashboard_pages_show_names_as_text(app, action_id, page, with_comparison):
    _dashboard(app, page, with_comparison=with_comparison)
    bodies = assert_nothing_live(app)
    assert f"{PLAN}: as at 30 Nov 2026" in visible(bodies)
    # Tables are plain text: the text as written, unescaped.
    cells = {str(v) for frame in app.dataframe for v in frame.value.to_numpy().ravel()}
    assert {
        "pages/overview.py": ACTION,
        "pages/overdue.py": ACTION,
        "pages/objectives.py": PLAN,
        "pages/owners.py": OWNER,
    }[page] in cells
    # Filter options are plain text too.
    assert app.selectbox(key="plan").options == ["All plans", PLAN]
    assert app.multiselect(key="owners").options == [OWNER]


def test_overview_chart_and_off_track_list_show_names_as_text(app, action_id):
    _dashboard(app, "pages/overview.py")
    for marker in ('class="rag-chart"', 'class="off-track"', 'class="action-cards"'):
        body = html_of(app, marker)
        assert "<img" not in body and "<script" not in body and "<a " not in body, marker
    assert any("Objective <img src=x onerror=alert(1)>" in label for label in chart_bars(app))


def test_action_page_shows_every_field_as_text(app, action_id):
    app.query_params["action"] = str(action_id)
    _dashboard(app, "pages/action.py", with_comparison=False)
    bodies = assert_nothing_live(app)
    seen = visible(bodies)
    assert visible(app.subheader[0].value) == ACTION
    for text in (PLAN, OBJECTIVE, OWNER, EXTRA_COLUMN, EXTRA_VALUE, hostile("Milestone")):
        assert text in seen, text
    assert f"by {AUTHOR} · from {SOURCE}" in seen
    assert [t.value for t in app.text] == [PROGRESS, PROGRESS]  # st.text: plain already
    assert f"{REF} {ACTION[:30]}" in app.selectbox(key="action_id").options[0]  # plain text


def test_meeting_view_shows_the_exception_as_text(app, action_id):
    _dashboard(app, "pages/meeting.py")
    bodies = assert_nothing_live(app)
    card = next(m.value for m in app.markdown if "Why it is here" in m.value)
    assert "\n\n" not in card  # a blank line would end the HTML block
    for text in (REF, ACTION, OWNER, PROGRESS):
        assert text in html.unescape(card), text
    assert PLAN in visible(bodies)


def test_my_actions_and_the_history_show_text_and_only_the_https_evidence_link(
    app, factory, action_id
):
    _signed_in(app, factory)
    # The list: each action a card (an HTML block, every text through html_text()).
    bodies = assert_nothing_live(app)
    card = next(m.value for m in app.markdown if 'class="owner-card"' in m.value)
    assert "\n\n" not in card  # a blank line would end the HTML block
    for text in (REF, ACTION, PLAN):
        assert text in html.unescape(card), text
    assert not re.search(r"<(?!/?(div|span|strong)\b)", card.replace("<br>", "")), card
    # Plain-text places get the text as written.
    assert ACTION in app.dataframe[0].value["Action"].iloc[0]
    assert any(ACTION[:30] in option for option in app.selectbox(key="chosen_action").options)

    app.selectbox(key="chosen_action").set_value(action_id).run()
    assert not app.exception, app.exception
    bodies = assert_nothing_live(app)
    seen = visible(bodies)
    for text in (PLAN, OWNER, hostile("Name"), DECISION, AUTHOR, PROGRESS, ISSUE, PLAIN_HTTP):
        assert text in seen, text
    assert f"{REF} {ACTION}" in html.unescape(
        bodies.replace("<strong>", "").replace("</strong>", "")
    )
    # The one link: the https evidence link, written out as its own address.
    assert f"Evidence: <{EVIDENCE}>" in bodies
    assert re.findall(r"<https?:[^>]*>", bodies) == [f"<{EVIDENCE}>"]


def test_update_form_confirms_and_lists_a_hostile_update_as_text(app, factory, action_id):
    _signed_in(app, factory)
    app.selectbox(key="chosen_action").set_value(action_id).run()
    app.radio(key=f"rag_{action_id}").set_value(Rag.AMBER)
    app.text_area(key=f"progress_{action_id}").input(hostile("Typed"))
    app.text_area(key=f"issue_{action_id}").input(hostile("Typed issue"))
    app.text_area(key=f"remedy_{action_id}").input(hostile("Typed remedy"))
    next(b for b in app.button if b.label == "Save update").click().run()
    assert not app.exception, app.exception
    bodies = assert_nothing_live(app)
    assert visible(app.success[0].value) == f"Saved: ▲ Amber for {REF} ({ACTION})."
    assert not app.toast  # the lasting message stands where the form was
    for text in (hostile("Typed"), hostile("Typed issue"), hostile("Typed remedy")):
        assert text in visible(bodies), text


def test_import_preview_shows_a_hostile_file_as_text(app, factory):
    with factory() as session:
        add_user(session, "officer@test.org", "officer")
        session.commit()
        app.session_state[ACTOR_KEY] = actor_of(session, "officer@test.org")
    app.session_state[SIGNED_IN_AT_KEY] = dt.datetime.now(dt.UTC)
    app.run()
    app.switch_page("pages/import_plan.py").run()
    rows = [
        ["Objective", "Ref", "Action", "Owner", "Deadline", EXTRA_COLUMN],
        [OBJECTIVE, "1.1", ACTION, OWNER, "Nov 2026", EXTRA_VALUE],
    ]
    upload = ("**Plan** [a](javascript:x) ![i](p.png).csv", csv_bytes(rows), "text/csv")
    app.file_uploader(key="import_file").set_value(upload).run()
    assert not app.exception, app.exception
    bodies = assert_nothing_live(app)
    # The extra column's header labels its mapping box; the plan is named after the file.
    assert EXTRA_COLUMN in visible(bodies)
    assert "A new plan '**Plan** [a](javascript:x) ![i](p.png)' will be created." in visible(bodies)
    assert "](javascript" not in bodies and "![i]" not in bodies
    assert list(app.dataframe[0].value["Action"]) == [ACTION]
