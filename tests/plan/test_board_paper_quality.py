"""The board paper's checks and key: flags with their reasons in the Exceptions sheet, counted
per owner and per objective on the Data quality sheet; the plan's own RAG key on the Key
sheet; a paper as at a round's period end says so."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from plan.exporters.board_paper import EXCEPTIONS, SUMMARY, board_paper, board_paper_xlsx
from plan.exporters.quality_sheets import KEY, QUALITY
from plan.models import Plan
from plan.queries import Selection
from plan.services.rounds import open_round
from rulebook.flags import REASONS, Flag, reasons_text
from rulebook.rag import RAG_COLOURS, Rag
from rulebook.rag_key import make_rag_key
from tests.builders import actor_of, add_action, add_plan, add_update, add_user, cheap_hasher

AS_AT = dt.date(2026, 11, 30)
COMPARED = dt.date(2026, 9, 30)
AT = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    monkeypatch.setattr("plan.auth._hasher", cheap_hasher())


def _build(session) -> Plan:
    plan = add_plan(session, "VAWG", "Prevention")
    plan.rag_key = make_rag_key(
        {Rag.RED: "Slippage over three months", Rag.AMBER: "Up to three", Rag.GREEN: "On time"},
        uses_blue=False,
    ).stored()
    red = add_action(session, plan, "Train staff", ref="1", owners=["Kylie Thornton"])
    add_update(session, red, Rag.RED, at=AT)  # no issue, no remedy: flagged
    orphan = add_action(session, plan, "Nobody's", ref="2")
    add_update(session, orphan, Rag.GREEN, at=AT)
    session.commit()
    return plan


def _workbook(session, plan, **extra):
    paper = board_paper(
        session,
        selection=Selection(plan_id=plan.id),
        as_at=AS_AT,
        compared_with=COMPARED,
        **extra,
    )
    return paper, load_workbook(io.BytesIO(board_paper_xlsx(paper)))


def _records(sheet):
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_exceptions_give_each_actions_checks_in_words(session):
    plan = _build(session)
    _, workbook = _workbook(session, plan)
    [red] = _records(workbook[EXCEPTIONS])
    assert red["Ref"] == "1"
    assert red["Checks"] == REASONS[Flag.NO_ISSUE_OR_REMEDY]


def test_data_quality_counts_per_owner_and_objective(session):
    plan = _build(session)
    paper, workbook = _workbook(session, plan)
    assert paper.quality.flagged == 2
    rows = _records(workbook[QUALITY])
    names = [row["Owner or objective"] for row in rows]
    assert names[0] == "Per owner"
    by_name = {row["Owner or objective"]: row for row in rows}
    assert by_name["Kylie Thornton"]["Red or amber with no issue or remedy"] == 1
    assert by_name["(no owner)"]["No owner"] == 1
    assert by_name["Prevention"]["All checks"] == 2
    notes = [n for n in names if n and n.startswith(("1 ", "2 "))]
    assert notes == [
        f"1 Train staff (Kylie Thornton): {REASONS[Flag.NO_ISSUE_OR_REMEDY]}",
        f"2 Nobody's (no owner): {REASONS[Flag.NO_OWNER]}",
    ]
    summary = {row[0]: row[1] for row in workbook[SUMMARY].iter_rows(values_only=True) if row}
    assert summary["Actions with automatic checks"] == 2


def test_key_sheet_is_the_plans_own_key_with_coloured_ratings(session):
    plan = _build(session)
    _, workbook = _workbook(session, plan)
    sheet = workbook[KEY]
    rows = _records(sheet)
    assert [(r["Rating"], r["What it means"]) for r in rows] == [
        ("✖ Red", "Slippage over three months"),
        ("▲ Amber", "Up to three"),
        ("✔ Green", "On time"),
        ("Complete", "Blue is not used: complete actions are shown as complete."),
    ]
    red_cell = sheet["B2"]
    assert red_cell.fill.fgColor.type == "rgb"
    assert red_cell.fill.fgColor.rgb.endswith(RAG_COLOURS[Rag.RED].lstrip("#").upper())


def test_a_paper_as_at_a_round_names_it_and_checks_its_replies(session):
    plan = _build(session)
    add_user(session, "officer@x.org", "officer")
    session.commit()
    opened = open_round(
        session,
        actor_of(session, "officer@x.org"),
        "Q3 2026/27",
        period_end=AS_AT,
        due=AS_AT - dt.timedelta(days=5),
        now=AT + dt.timedelta(days=1),
    )
    session.commit()
    paper, workbook = _workbook(session, plan, round_id=opened.id)
    assert paper.round is not None and paper.round.name == "Q3 2026/27"
    summary = {row[0]: row[1] for row in workbook[SUMMARY].iter_rows(values_only=True) if row}
    assert summary["Update round"] == "Q3 2026/27, as at its period end"
    [red] = _records(workbook[EXCEPTIONS])
    assert red["Checks"] == reasons_text([Flag.NO_ISSUE_OR_REMEDY, Flag.NO_ROUND_UPDATE])


def test_cli_export_as_at_a_round(session, database_url, monkeypatch, tmp_path, capsys):
    from plan.cli import main

    plan = _build(session)
    add_user(session, "officer@x.org", "officer")
    session.commit()
    open_round(
        session,
        actor_of(session, "officer@x.org"),
        "Q3 2026/27",
        period_end=AS_AT,
        due=AS_AT,
        now=AT + dt.timedelta(days=1),
    )
    session.commit()
    monkeypatch.setenv("DATABASE_URL", database_url)
    out = tmp_path / "paper.xlsx"
    args = ["export", "--format", "xlsx", "--output", str(out), "--plan", plan.name]
    assert main([*args, "--round", "Q3 2026/27"]) == 0
    workbook = load_workbook(out)
    summary = {row[0]: row[1] for row in workbook[SUMMARY].iter_rows(values_only=True) if row}
    assert summary["As at"] == dt.datetime(2026, 11, 30)
    assert summary["Update round"] == "Q3 2026/27, as at its period end"
    assert main([*args, "--round", "Q9"]) == 2
    assert "no update round called 'Q9'" in capsys.readouterr().err
    assert main([*args, "--round", "Q3 2026/27", "--as-at", "2026-01-01"]) == 2
