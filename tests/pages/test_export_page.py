"""The Board papers page: figures and download buttons for the filters, returns in and out."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from pages.session import ACTOR_KEY, SIGNED_IN_AT_KEY
from plan.exporters.board_paper import board_paper
from plan.exporters.update_return import (
    ISSUE,
    NEW_RAG,
    NEW_UPDATE,
    REMEDY,
    RETURN_SHEET,
    export_return,
)
from plan.models import AuditEntry, ProgressUpdate, UpdateSource
from plan.queries import Selection
from rulebook.dates import format_uk_date
from rulebook.rag import Rag
from tests.builders import actor_of, add_action, add_plan, add_update, add_user
from tests.pages.conftest import PAGES_NOW, downloaded, metrics, shown

pytestmark = pytest.mark.time_machine(PAGES_NOW)
PAGE = "pages/export.py"
AS_AT, COMPARED = dt.date(2026, 11, 30), dt.date(2026, 9, 30)
HOSTILE = '=HYPERLINK("http://evil","x")'
TODAY = PAGES_NOW.date()


def _seed(factory):
    with factory() as session:
        plan = add_plan(session, "VAWG")
        red = add_action(
            session,
            plan,
            "Late and red",
            ref="1",
            deadline=AS_AT - dt.timedelta(days=20),
            owners=["Kylie Thornton"],
        )
        add_update(
            session, red, Rag.RED, at=dt.datetime(2026, 11, 28, 10, tzinfo=dt.UTC), progress=HOSTILE
        )
        add_action(session, plan, "Unrated", ref="2", owners=["Ian Peet"])
        add_action(session, add_plan(session, "Other"), "Elsewhere", owners=["Kylie Thornton"])
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


def _officer(app, factory):
    """Signed in as the officer, the page's dates set to AS_AT and COMPARED."""
    _signed_in(app, factory, "officer@test.org")
    app.date_input(key="as_at").set_value(AS_AT).run()
    app.date_input(key="compared_with").set_value(COMPARED).run()
    assert not app.exception, app.exception
    return app


def test_officer_sees_the_figures_and_every_download(app, factory):
    plan_id = _seed(factory)
    _officer(app, factory)
    assert app.title[0].value == "Board papers"
    with factory() as session:
        paper = board_paper(session, selection=Selection(), as_at=AS_AT, compared_with=COMPARED)
    shown = metrics(app)
    assert shown["Actions"] == paper.overview.rag.total == 3
    assert shown["⚠ Overdue"] == paper.overview.overdue == 1
    assert shown["Exceptions"] == len(paper.exceptions) == 1
    assert shown[f"Changes since {format_uk_date(COMPARED)}"] == len(paper.changes)
    assert app.caption[0].value.endswith(". No filters: every action.")
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Board paper (Excel)", "Actions (CSV)"]  # a return is made on request
    assert app.get("file_uploader")  # officers may import returns
    app.button(key="make_return").click().run()
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels[2] == "Update return for all owners (3 actions)"

    app.selectbox(key="plan").set_value("VAWG").run()
    app.selectbox(key="return_owner").set_value("Kylie Thornton").run()
    app.button(key="make_return").click().run()
    assert not app.exception
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels[2] == "Update return for Kylie Thornton (1 action)"
    with factory() as session:  # each return made is recorded: what it was made for
        made = session.scalars(select(AuditEntry).where(AuditEntry.event == "update return made"))
        assert [e.details["owner"] for e in made] == [None, "Kylie Thornton"]
    assert plan_id


def test_the_pages_actions_csv_is_the_command_lines(app, factory, downloads, tmp_path):
    from plan.cli import main

    _seed(factory)
    _officer(app, factory)
    app.selectbox(key="plan").set_value("VAWG").run()
    app.multiselect(key="owners").set_value(["Kylie Thornton"]).run()
    assert not app.exception, app.exception
    page_csv = downloaded(app, "download_actions_csv", downloads)

    out = tmp_path / "actions.csv"
    filters = ["--plan", "VAWG", "--owner", "Kylie Thornton"]
    dates = ["--as-at", AS_AT.isoformat(), "--compared-with", COMPARED.isoformat()]
    assert main(["export", "--format", "csv", "--output", str(out), *filters, *dates]) == 0
    assert page_csv == out.read_bytes()
    rows = list(csv.DictReader(io.StringIO(page_csv.decode("utf-8-sig"))))
    assert [(r["plan"], r["ref"], r["owner"], r["rag"]) for r in rows] == [
        ("VAWG", "1", "Kylie Thornton", "✖ Red")
    ]
    assert rows[0]["latest_update"] == "'" + HOSTILE


def test_viewers_cannot_export(app, factory):
    _seed(factory)
    _signed_in(app, factory, "viewer@test.org")
    assert not app.get("download_button")
    assert "cannot export plans" in app.warning[0].value


def test_importing_a_filled_return_on_the_page_records_the_update(app, factory):
    _seed(factory)
    with factory() as session:
        made = export_return(session, owner="Kylie Thornton", as_at=AS_AT, made_by="o@x.org")
        session.commit()
    workbook = load_workbook(io.BytesIO(made.data))
    sheet = workbook[RETURN_SHEET]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index(NEW_RAG) + 1).value = "Amber"
    sheet.cell(2, header.index(NEW_UPDATE) + 1).value = "Funding found"
    sheet.cell(2, header.index(ISSUE) + 1).value = "Grant late"
    sheet.cell(2, header.index(REMEDY) + 1).value = "Bridging funds"
    buffer = io.BytesIO()
    workbook.save(buffer)

    _officer(app, factory)
    app.file_uploader(key="return_upload").set_value(
        ("kylie.xlsx", buffer.getvalue(), "application/octet-stream")
    ).run()
    app.button(key="import_return").click().run()
    assert not app.exception, app.exception
    assert shown(app.success[0].value).startswith(
        "Update return kylie.xlsx from Kylie Thornton: 1 applied"
    )
    with factory() as session:
        newest = session.query(ProgressUpdate).order_by(ProgressUpdate.id.desc()).first()
        assert (newest.rag, newest.progress, newest.author, newest.source) == (
            Rag.AMBER,
            "Funding found",
            "officer for Kylie Thornton",
            UpdateSource.RETURN,
        )


def test_the_return_uploader_says_the_size_the_import_enforces(app, factory):
    from plan.services.returns import MAX_RETURN_BYTES

    _seed(factory)
    _officer(app, factory)
    uploader = app.get("file_uploader")[0].proto
    assert uploader.max_upload_size_mb == MAX_RETURN_BYTES // (1024 * 1024) == 20
