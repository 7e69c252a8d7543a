"""In a real browser, an imported action full of Markdown, HTML and web addresses shows as text on
the public Action page and the meeting view: no link out, no image, no request to its sites."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from plan.database import make_engine, make_session_factory, migrate
from plan.models import ProgressUpdate, UpdateSource
from rulebook.rag import DeliveryStatus, Rag
from tests.builders import add_action, add_plan
from tests.e2e.conftest import AppServer, settle
from tests.security.test_hostile_text import ACTION, OWNER, PLAN, PROGRESS, REF, hostile

# Bare addresses, e-mail, shortcodes, arrows, LaTeX and colour directives must stay as typed too.
MORE = "see https://evil.example/bare www.evil.example me@evil.example :smile: a -> b $x^2$ :red[r]"
LONG_AGO = dt.datetime(2001, 3, 1, 12, tzinfo=dt.UTC)  # whatever today is, this is history


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory) -> Iterator[tuple[AppServer, int]]:
    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'tracker.db'}"
    engine = make_engine(url)
    migrate(engine)
    with make_session_factory(engine)() as session:
        plan = add_plan(session, PLAN, hostile("Objective"))
        action = add_action(
            session,
            plan,
            f"{ACTION} {MORE}",
            ref=REF,
            deadline=dt.date(2001, 6, 1),
            owners=[OWNER],
            created_at=LONG_AGO - dt.timedelta(days=30),
        )
        action.extra = {"[Notes](https://evil.example)": hostile("Note")}
        session.add(
            ProgressUpdate(
                action=action,
                rag=Rag.RED,
                status=DeliveryStatus.IN_PROGRESS,
                progress=PROGRESS,
                author=hostile("Author"),
                source=UpdateSource.IMPORT,
                source_detail="[file](https://evil.example).xlsx",
                recorded_at=LONG_AGO,
            )
        )
        session.commit()
        action_id = action.id
    engine.dispose()
    server = AppServer(url, folder / "streamlit.log", load_demo=False)
    yield server, action_id
    server.stop()


def _visit(page, url: str) -> dict:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    settle(page)
    origin = url.split("/", 3)[:3]
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    return {
        "text": page.inner_text("body").replace("\u2060", ""),
        "links out": [h for h in links if h.split("/", 3)[:3] != origin],
        "images": page.eval_on_selector_all("img", "images => images.map(i => i.src)"),
        "maths": page.locator(".katex").count(),
        "requests": [r for r in requests if "evil" in r],
    }


@pytest.mark.parametrize("path", ["action?action={id}", "meeting"])
def test_hostile_text_is_only_text(page, hostile_server, path):
    server, action_id = hostile_server
    seen = _visit(page, f"{server.url}/{path.format(id=action_id)}")
    assert seen["links out"] == []
    assert not any("evil" in src for src in seen["images"])
    assert seen["maths"] == 0 and seen["requests"] == []
    for written in (ACTION, MORE, OWNER, PROGRESS):
        assert written in seen["text"], written
