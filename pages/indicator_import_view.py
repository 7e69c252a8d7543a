"""The Import page's indicator half: upload an indicator table, preview every indicator, value
and target with its warnings, choose the plan, confirm. Nothing is written before the officer
confirms; the import is one transaction (plan.indicator_import.import_indicators_as).
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from importers import MAX_FILE_BYTES, ImportFileError
from importers.indicators import IndicatorRead, IndicatorRecord
from importers.isolated import read_indicators_isolated
from pages.failures import report_failure
from pages.text import md
from plan.auth import Actor, PermissionDenied
from plan.importing import default_plan_name
from plan.indicator_import import import_indicators_as
from plan.queries import plan_options

NEW_PLAN = "A new plan (name it below)"
PREFIX = "indicator_import_"
state = st.session_state


def show_indicator_import(actor: Actor, factory: sessionmaker[Session]) -> None:
    st.caption(
        "Upload an indicator table (.xlsx or .csv): one row per indicator with a column per "
        "period (Q1 2016/17, Apr-16, Target 2016/17), or one row per indicator and period "
        "(Indicator, Period, Value). You will see every figure before anything is saved."
    )
    uploaded = st.file_uploader(
        "Indicator table",
        type=["xlsx", "xlsm", "csv", "txt", "tsv"],
        key=f"{PREFIX}file",
        # The same limit as an action plan's (Streamlit's own default is 200 MB).
        max_upload_size=MAX_FILE_BYTES // (1024 * 1024),
    )
    if uploaded is not None:
        _remember(uploaded.name, uploaded.getvalue())
    if f"{PREFIX}report" in state:
        st.success("Imported. Report:")
        st.code("\n".join(state[f"{PREFIX}report"]), language=None, wrap_lines=True)
    if f"{PREFIX}read" not in state:
        st.info("Choose a file to see a preview of its indicators, values and targets.")
        return
    read = state[f"{PREFIX}read"]
    if isinstance(read, ImportFileError):
        st.error(md(read))
        return
    _preview(read)
    _confirm(actor, factory, read)


def _remember(filename: str, data: bytes) -> None:
    """A new file: read it (in a limited child process) and forget the last preview."""
    digest = hashlib.sha256(data).hexdigest()
    if state.get(f"{PREFIX}digest") == (filename, digest):
        return
    state.pop(f"{PREFIX}report", None)
    state[f"{PREFIX}digest"] = (filename, digest)
    state[f"{PREFIX}plan_name"] = default_plan_name(filename)
    state[f"{PREFIX}existing_plan"] = NEW_PLAN
    bar = st.progress(0.0, text=f"Reading {md(filename)}…")
    try:
        state[f"{PREFIX}read"] = read_indicators_isolated(data, filename)
    except ImportFileError as error:
        state[f"{PREFIX}read"] = error
    finally:
        bar.empty()


def _span(record: IndicatorRecord) -> str:
    periods = sorted({*record.values, *record.targets}, key=lambda p: p.end)
    if not periods:
        return ""
    first, last = periods[0].label, periods[-1].label
    return first if first == last else f"{first} to {last}"


def _preview(read: IndicatorRead) -> None:
    by_row: dict[tuple[str | None, int | None], list[str]] = {}
    for issue in read.issues:
        by_row.setdefault((issue.sheet, issue.row), []).append(
            (f"{issue.field}: " if issue.field else "") + issue.message
        )
    columns = st.columns(4)
    columns[0].metric("Indicators", len(read.indicators))
    columns[1].metric("Values", sum(len(r.values) for r in read.indicators))
    columns[2].metric("Targets", sum(len(r.targets) for r in read.indicators))
    columns[3].metric("Warnings", len(read.issues))
    st.subheader("What will be imported")
    st.caption(f"{md(read.file)}: {md(read.layout)} layout.")
    frame = pd.DataFrame(
        [
            {
                "Where": f"{r.sheet}, row {r.row}",
                "Ref": r.ref or "",
                "Indicator": r.name,
                "Objective": r.objective or "",
                "Unit": r.unit,
                "Polarity": r.polarity.value,
                "Frequency": r.frequency.value,
                "Periods": _span(r),
                "Values": len(r.values),
                "Targets": len(r.targets),
                "Warnings": "; ".join(by_row.get((r.sheet, r.row), [])),
            }
            for r in read.indicators
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    listed = {(r.sheet, r.row) for r in read.indicators}
    others = [
        {"Where": str(issue).split(": ", 1)[0], "Warning": issue.message}
        for issue in read.issues
        if (issue.sheet, issue.row) not in listed
    ]
    if others:
        st.subheader("Cells left out and other warnings")
        st.dataframe(pd.DataFrame(others), hide_index=True, width="stretch")
    if read.sheets_skipped:
        st.caption("Sheets skipped: " + md("; ".join(read.sheets_skipped)))


def _use_existing() -> None:
    if state[f"{PREFIX}existing_plan"] != NEW_PLAN:
        state[f"{PREFIX}plan_name"] = state[f"{PREFIX}existing_plan"]


def _confirm(actor: Actor, factory: sessionmaker[Session], read: IndicatorRead) -> None:
    with factory() as session:
        existing = [option.name for option in plan_options(session)]
    st.subheader("Plan")
    st.selectbox(
        "Add to an existing plan, or make a new one",
        [NEW_PLAN, *existing],
        key=f"{PREFIX}existing_plan",
        on_change=_use_existing,
    )
    plan_name = st.text_input("Plan name", key=f"{PREFIX}plan_name").strip()
    if plan_name in existing:
        st.caption(f"'{md(plan_name)}' exists: its indicators are matched by ref (or name).")
    else:
        st.caption(f"A new plan '{md(plan_name)}' will be created.")
    if not st.button(
        f"Import {len(read.indicators)} indicators",
        key=f"{PREFIX}confirm",
        type="primary",
        disabled=not plan_name,
    ):
        return
    try:
        report = import_indicators_as(factory, actor, read, plan_name=plan_name)
    except PermissionDenied as error:
        st.error(md(error))
    except SQLAlchemyError:
        report_failure("Importing indicators")
    else:
        state[f"{PREFIX}report"] = report.lines()
        st.rerun()
