"""Control characters (a pasted Word line break is \\x0b) are cleaned on the way in, and the
workbook writers cope with any that are already stored: no export ever fails on them."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook
from sqlalchemy import select, update

from plan.exporters.board_paper import board_paper, board_paper_xlsx
from plan.exporters.update_return import RETURN_SHEET, export_return
from plan.importing import import_file
from plan.models import Action, Objective, Plan, ProgressUpdate
from plan.queries import Selection
from plan.services import ProgressInput, submit_progress
from rulebook.rag import Rag
from tests.builders import NOW, actor_of, add_user, csv_bytes
from tests.pages.conftest import app  # noqa: F401 (the AppTest fixture)
from tests.security.test_error_details import _signed_in

PASTED = "Refuge places\x0bfunded\x1f until March\x07"
AS_AT, COMPARED = dt.date(2026, 11, 30), dt.date(2026, 9, 30)
ROWS = [
    ["Objective", "Ref", "Action", "Lead", "RAG", "Progress"],
    [f"Safety{chr(0x0B)}first", "1.1", PASTED, "Kylie Thornton", "Amber", PASTED],
]


def test_imported_text_is_cleaned_on_the_way_in(factory):
    import_file(factory, csv_bytes(ROWS), "plan.csv", plan_name="VAWG\x0b", author="Jo", now=NOW)
    with factory() as session:
        action = session.scalar(select(Action))
        update_ = session.scalar(select(ProgressUpdate))
        assert action.text == "Refuge places\nfunded until March"
        assert update_.progress == "Refuge places\nfunded until March"
        assert session.scalar(select(Objective.title)) == "Safety\nfirst"
        assert session.scalar(select(Plan.name)) == "VAWG"


def test_a_forms_text_is_cleaned_on_the_way_in(factory):
    import_file(factory, csv_bytes(ROWS), "plan.csv", plan_name="VAWG", author="Jo", now=NOW)
    with factory() as session:
        add_user(session, "officer@x.org", "officer")
        session.commit()
        officer = actor_of(session, "officer@x.org")
        action = session.scalar(select(Action))
        latest = session.scalar(select(ProgressUpdate.id))
    entry = ProgressInput(rag=Rag.GREEN, progress="Done\x0bnext\x1b[31m")
    saved = submit_progress(
        factory, officer, action.id, entry, expected_latest_update_id=latest, now=NOW
    )
    assert saved.progress == "Done\nnext[31m"


def _stored_raw(factory) -> None:
    """Text stored before cleaning existed (or by another tool), straight into the tables."""
    import_file(factory, csv_bytes(ROWS), "plan.csv", plan_name="VAWG", author="Jo", now=NOW)
    with factory() as session, session.begin():
        session.execute(update(Action).values(text=PASTED, lead_text="Kylie\x0bThornton"))
        session.execute(update(Objective).values(title="Safety\x0bfirst"))


def test_the_board_paper_and_the_return_are_written_whatever_text_is_stored(factory):
    _stored_raw(factory)
    with factory() as session:
        paper = board_paper(session, selection=Selection(), as_at=AS_AT, compared_with=COMPARED)
        workbook = load_workbook(io.BytesIO(board_paper_xlsx(paper)))
        made = export_return(session, owner=None, as_at=AS_AT, made_by="o@x.org")
    texts = [c for row in workbook["Actions"].iter_rows(values_only=True) for c in row]
    assert "Refuge placesfunded until March" in texts
    returned = load_workbook(io.BytesIO(made.data))[RETURN_SHEET]
    assert "Refuge placesfunded until March" in [c.value for c in returned[2]]


def test_the_board_papers_page_shows_for_everyone_whatever_text_is_stored(app, factory):  # noqa: F811
    _stored_raw(factory)
    with factory() as session:
        add_user(session, "officer@x.org", "officer")
        session.commit()
    at = _signed_in(app, factory, "officer@x.org", "pages/export.py")
    at.date_input(key="as_at").set_value(AS_AT).run()
    assert not at.exception, at.exception
    assert [b.proto.label for b in at.get("download_button")][:2] == [
        "Board paper (Excel)",
        "Actions (CSV)",
    ]
