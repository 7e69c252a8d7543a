"""The Board papers page: figures and download buttons for the filters, returns in and out."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from pages.session import ACTOR_KEY, SIGNED_IN_AT_KEY
from plan.board_paper import board_paper
from plan.models import ProgressUpdate, UpdateSource
from plan.queries import Selection
from plan.update_return import NEW_RAG, NEW_UPDATE, RETURN_SHEET, export_return
from rulebook.dates import previous_quarter_end
from rulebook.rag import Rag
from tests.builders import actor_of, add_action, add_plan, add_update, add_user
from tests.pages.conftest import PAGES_NOW, metrics

pytestmark = pytest.mark.time_machine(PAGES_NOW)
PAGE = "pages/export.py"
TODAY = PAGES_NOW.date()


def _seed(factory):
    with factory() as session:
        plan = add_plan(session, "VAWG")
        red = add_action(
            session,
            plan,
            "Late and red",
            ref="1",
            deadline=TODAY - dt.timedelta(days=20),
            owners=["Kylie Thornton"],
        )
        add_update(
            session,
            red,
            Rag.RED,
            at=PAGES_NOW - dt.timedelta(hours=2),
            progress='=HYPERLINK("http://evil","x")',
        )
        add_action(session, plan, "Unrated", ref="2", owners=["Ian Peet"])
        for role in ("officer", "viewer"):
            add_user(session, f"{role}@test.org", role)
        session.commit()
        return plan.id


def _signed_in(app, factory, email):
    with factory() as session:
        app.session_state[ACTOR_KEY] = actor_of(session, email)
    app.session_state[SIGNED_IN_AT_KEY] = dt.datetime.now(dt.UTC)
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    return app


def test_officer_sees_the_figures_and_every_download(app, factory):
    plan_id = _seed(factory)
    _signed_in(app, factory, "officer@test.org")
    assert app.title[0].value == "Board papers"
    with factory() as session:
        paper = board_paper(
            session,
            selection=Selection(),
            as_at=TODAY,
            compared_with=previous_quarter_end(TODAY),
        )
    shown = metrics(app)
    assert shown["Actions"] == paper.overview.rag.total == 2
    assert shown["⚠ Overdue"] == paper.overview.overdue == 1
    assert shown["Exceptions"] == len(paper.exceptions) == 1
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels[:2] == ["Board paper (Excel)", "Actions (CSV)"]
    assert labels[2] == "Update return for all owners (2 actions)"
    assert app.get("file_uploader")  # officers may import returns

    app.selectbox(key="plan").set_value("VAWG").run()
    app.selectbox(key="return_owner").set_value("Kylie Thornton").run()
    assert not app.exception
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels[2] == "Update return for Kylie Thornton (1 actions)"
    assert plan_id


def test_viewers_cannot_export(app, factory):
    _seed(factory)
    _signed_in(app, factory, "viewer@test.org")
    assert not app.get("download_button")
    assert "cannot export plans" in app.warning[0].value


def test_importing_a_filled_return_on_the_page_records_the_update(app, factory):
    _seed(factory)
    with factory() as session:
        made = export_return(session, owner="Kylie Thornton", as_at=TODAY)
    workbook = load_workbook(io.BytesIO(made.data))
    sheet = workbook[RETURN_SHEET]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index(NEW_RAG) + 1).value = "Amber"
    sheet.cell(2, header.index(NEW_UPDATE) + 1).value = "Funding found"
    buffer = io.BytesIO()
    workbook.save(buffer)

    _signed_in(app, factory, "officer@test.org")
    app.file_uploader(key="return_upload").set_value(
        ("kylie.xlsx", buffer.getvalue(), "application/octet-stream")
    ).run()
    app.button(key="import_return").click().run()
    assert not app.exception, app.exception
    assert app.success[0].value.startswith(
        "Update return kylie.xlsx from Kylie Thornton: 1 applied"
    )
    with factory() as session:
        newest = session.query(ProgressUpdate).order_by(ProgressUpdate.id.desc()).first()
        assert (newest.rag, newest.progress, newest.author, newest.source) == (
            Rag.AMBER,
            "Funding found",
            "Kylie Thornton",
            UpdateSource.RETURN,
        )
