"""Shared builders: small workbooks, CSV bytes and plans made in the test."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from sqlalchemy.orm import Session

from plan.models import Action, ActionOwner, Objective, Plan, ProgressUpdate, UpdateSource
from rulebook.rag import DeliveryStatus, Rag

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def xlsx_bytes(*sheets: tuple[str, Sequence[Sequence[object]]]) -> bytes:
    """A workbook with the given (sheet name, rows) sheets."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[object]], *, delimiter: str = ",", encoding="utf-8") -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def add_plan(session: Session, name: str = "Test plan", *objectives: str) -> Plan:
    plan = Plan(name=name)
    session.add(plan)
    for position, title in enumerate(objectives or ("Objective A",), start=1):
        session.add(Objective(plan=plan, title=title, position=position))
    session.flush()
    return plan


def add_action(
    session: Session,
    plan: Plan,
    text: str,
    *,
    ref: str | None = None,
    objective: Objective | None = None,
    deadline: dt.date | None = None,
    owners: Sequence[str] = (),
    created_at: dt.datetime = NOW - dt.timedelta(days=365),
) -> Action:
    action = Action(
        plan=plan,
        objective=objective if objective is not None else (plan.objectives or [None])[0],
        ref=ref,
        text=text,
        lead_text=" / ".join(owners) or None,
        deadline=deadline,
        deadline_text=deadline.strftime("%d/%m/%Y") if deadline else None,
        created_at=created_at,
        owners=[ActionOwner(name=n, position=i) for i, n in enumerate(owners)],
    )
    session.add(action)
    session.flush()
    return action


def add_update(
    session: Session,
    action: Action,
    rag: Rag | None,
    *,
    at: dt.datetime,
    status: DeliveryStatus = DeliveryStatus.IN_PROGRESS,
    progress: str = "update",
    author: str = "Test Author",
) -> ProgressUpdate:
    update = ProgressUpdate(
        action=action,
        rag=rag,
        status=status,
        progress=progress,
        author=author,
        source=UpdateSource.FORM,
        recorded_at=at,
    )
    session.add(update)
    session.flush()
    return update


# --- Accounts (issue 5) -------------------------------------------------------------------------

DEMO_TEST_PASSWORD = "correct horse battery"


def add_user(
    session: Session,
    email: str,
    role: str = "owner",
    *,
    owner_names: Sequence[str] = (),
    password: str | None = DEMO_TEST_PASSWORD,
    name: str | None = None,
):
    """A committed-later account (flushed) with the given role and linked owner names."""
    from plan.accounts import add_user as create
    from plan.models import Role

    user = create(
        session, None, email, name=name, role=Role(role), password=None, owner_names=owner_names
    )
    if password is not None:
        # Hashing once per password keeps the suite fast (argon2 is slow on purpose).
        user.password_hash = _test_hash(password)
    session.flush()
    return user


_HASHES: dict[str, str] = {}


def cheap_hasher():
    """Argon2 with tiny costs: tests patch `plan.auth._hasher` with it to stay fast."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _test_hash(password: str) -> str:
    if password not in _HASHES:
        _HASHES[password] = cheap_hasher().hash(password)
    return _HASHES[password]


def actor_of(session: Session, email: str):
    """The `Actor` for an account, as a signed-in session would hold it."""
    from sqlalchemy import select

    from plan.auth import actor_for
    from plan.models import User

    return actor_for(session.scalar(select(User).where(User.email == email.lower())))


# A plan with updates across three quarters of 2026/27, used by query and page tests.
Q1_END = dt.date(2026, 6, 30)
Q2_END = dt.date(2026, 9, 30)
Q3_END = dt.date(2026, 12, 31)


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def build_three_quarter_plan(session: Session) -> Plan:
    """VAWG: A worsens Green→Amber→Red; B Amber→complete; C Red→cancelled; D Green from Q2.

    Also "Other", a second plan with one long-overdue unrated action.
    """
    plan = add_plan(session, "VAWG", "Prevention", "Protection")
    other = add_plan(session, "Other")
    prevention, protection = plan.objectives
    a = add_action(
        session,
        plan,
        "A",
        ref="1",
        objective=prevention,
        deadline=dt.date(2026, 8, 1),
        owners=["Kylie Thornton"],
    )
    b = add_action(
        session,
        plan,
        "B",
        ref="2",
        objective=prevention,
        deadline=dt.date(2026, 5, 1),
        owners=["Ian Peet"],
    )
    c = add_action(
        session,
        plan,
        "C",
        ref="3",
        objective=protection,
        deadline=dt.date(2026, 5, 1),
        owners=["Kylie Thornton", "Ian Peet"],
    )
    d = add_action(session, plan, "D", ref="4", objective=protection)
    add_action(session, other, "Elsewhere", deadline=dt.date(2020, 1, 1), owners=["GMP"])
    add_update(session, a, Rag.GREEN, at=noon(dt.date(2026, 5, 1)), progress="Started")
    add_update(session, a, Rag.AMBER, at=noon(dt.date(2026, 8, 15)), progress="Slipping")
    add_update(session, a, Rag.RED, at=noon(dt.date(2026, 11, 1)), progress="Blocked")
    add_update(session, b, Rag.AMBER, at=noon(dt.date(2026, 4, 10)), progress="Scoping")
    add_update(
        session,
        b,
        None,
        at=noon(dt.date(2026, 9, 1)),
        status=DeliveryStatus.COMPLETE,
        progress="Delivered",
    )
    add_update(session, c, Rag.RED, at=noon(dt.date(2026, 6, 1)), progress="No funding")
    add_update(
        session,
        c,
        None,
        at=noon(dt.date(2026, 10, 1)),
        status=DeliveryStatus.CANCELLED,
        progress="Withdrawn by the board",
    )
    add_update(session, d, Rag.GREEN, at=noon(dt.date(2026, 9, 30)), progress="Fine")
    session.commit()
    return plan


def docx_bytes(*blocks: object) -> bytes:
    """A Word document made of the given blocks, in order.

    A block is a paragraph (`str`), a heading (`("heading", text)`), a paragraph of runs
    (`("runs", [(text, bold), ...])`) or a table: a list of rows, where a row is a list of cell
    texts (`"a\\nb"` is two paragraphs in the cell), or a `str` for one bold cell merged across
    the table, or `("runs", [(text, bold), ...])` for a merged cell made of those runs. Cells
    can be `(text, "FF0000")` to shade them. The first row of a table is marked as a repeating
    header row when it names "Action".
    """
    from docx import Document

    document = Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        elif isinstance(block, tuple) and block[0] == "heading":
            document.add_heading(block[1], level=2)
        elif isinstance(block, tuple) and block[0] == "runs":
            _add_runs(document.add_paragraph(), block[1])
        else:
            _add_table(document, list(block))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_runs(paragraph, runs) -> None:
    for text, bold in runs:
        paragraph.add_run(text).bold = bold


def _add_table(document, rows: list) -> None:
    from docx.oxml import OxmlElement

    width = max(len(r) for r in rows if isinstance(r, list))
    table = document.add_table(rows=0, cols=width)
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, list):
            for cell, value in zip(cells, row, strict=False):
                _fill_cell(cell, value)
        else:  # one cell merged across the table
            runs = row[1] if isinstance(row, tuple) else [(row, True)]
            _add_runs(cells[0].merge(cells[-1]).paragraphs[0], runs)
    first = rows[0]
    if isinstance(first, list) and any(str(c).strip() == "Action" for c in first):
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _fill_cell(cell, value) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fill = None
    if isinstance(value, tuple):
        value, fill = value
    lines = ("" if value is None else str(value)).split("\n")
    cell.paragraphs[0].add_run(lines[0])
    for line in lines[1:]:
        cell.add_paragraph(line)
    if fill:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shading)


def build_long_plans(
    session: Session, *, plans: int = 3, objectives: int = 10, actions_per_objective: int = 5
) -> list[Plan]:
    """Plans "Plan 1".. with objectives "P1 objective 01".. and actions "P1-01-1".. in plan
    order. Each objective's first action is Red; the rest are Green. Deadlines are long past
    on every second action, and owners alternate Kylie Thornton / Ian Peet."""
    made = []
    count = 0
    for p in range(1, plans + 1):
        titles = [f"P{p} objective {o:02d}" for o in range(1, objectives + 1)]
        plan = add_plan(session, f"Plan {p}", *titles)
        for objective in plan.objectives:
            o = objective.position
            for a in range(1, actions_per_objective + 1):
                count += 1
                action = add_action(
                    session,
                    plan,
                    f"P{p}-{o:02d}-{a}",
                    ref=f"{o}.{a}",
                    objective=objective,
                    deadline=dt.date(2020, 1, 1) + dt.timedelta(days=count) if count % 2 else None,
                    owners=["Kylie Thornton" if count % 2 else "Ian Peet"],
                )
                rag = Rag.RED if a == 1 else Rag.GREEN
                add_update(session, action, rag, at=noon(dt.date(2026, 4, 1)))
        made.append(plan)
    session.commit()
    return made


def saved_on(data: bytes, moment: dt.datetime) -> bytes:
    """An .xlsx/.docx as if last saved at `moment` (its core properties' modified time)."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "docProps/core.xml":
                stamp = moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    content,
                )
            target.writestr(item, content)
    return out.getvalue()


# --- Indicators (issue 17) ----------------------------------------------------------------------


_INDICATOR_DEFAULTS = {
    "polarity": "higher is better",
    "frequency": "quarterly",
    "unit": "count",
    "cumulative": False,
    "objective": None,
    "tolerance": None,
}


def add_indicator(
    session: Session,
    plan: Plan,
    ref: str,
    name: str = "",
    *,
    owners: Sequence[str] = (),
    targets: dict[str, float] | None = None,
    **settings: object,
):
    """An indicator with its targets by period label ("Q1 2016/17": 100); `settings` may be
    any of _INDICATOR_DEFAULTS (polarity and frequency as their words, tolerance a pair)."""
    from plan.models import Indicator, IndicatorOwner, IndicatorTarget
    from rulebook.indicators import Frequency, Polarity, ToleranceKind
    from rulebook.periods import read_period

    unknown = set(settings) - set(_INDICATOR_DEFAULTS)
    assert not unknown, unknown
    given: dict[str, Any] = {**_INDICATOR_DEFAULTS, **settings}
    objective, tolerance = given["objective"], given["tolerance"]
    indicator = Indicator(
        plan=plan,
        objective=objective if objective is not None else (plan.objectives or [None])[0],
        ref=ref,
        name=name or f"Indicator {ref}",
        unit=given["unit"],
        polarity=Polarity(given["polarity"]),
        frequency=Frequency(given["frequency"]),
        cumulative=given["cumulative"],
        lead_text=" / ".join(owners) or None,
        owners=[IndicatorOwner(name=n, position=i) for i, n in enumerate(owners)],
        tolerance_kind=ToleranceKind(tolerance[0]) if tolerance else None,
        tolerance=tolerance[1] if tolerance else None,
        position=int(session.info.setdefault("indicators", 0)),
    )
    session.info["indicators"] = indicator.position + 1
    for label, target in (targets or {}).items():
        period = read_period(label)
        assert period is not None, label
        indicator.targets.append(
            IndicatorTarget(period_start=period.start, period_end=period.end, target=target)
        )
    session.add(indicator)
    session.flush()
    return indicator


def add_value(
    session: Session,
    indicator,
    period: str,
    value: float | None,
    *,
    at: dt.datetime,
    status: str = "value",
    note: str | None = None,
    author: str = "Test Author",
):
    """An entry recorded at `at` (directly, as history: not through the write path)."""
    from plan.models import IndicatorValue
    from rulebook.indicators import ValueStatus
    from rulebook.periods import read_period

    found = read_period(period)
    assert found is not None, period
    entry = IndicatorValue(
        indicator_id=indicator.id,
        period_start=found.start,
        period_end=found.end,
        status=ValueStatus(status),
        value=value,
        note=note,
        author=author,
        source=UpdateSource.IMPORT,
        recorded_at=at,
    )
    session.add(entry)
    session.flush()
    return entry
