"""Import a plan or an indicator table: upload, preview what will be imported with its
warnings, confirm.

Nothing is written to the database until the officer confirms; the import is one transaction.
"""

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from importers import FIELDS, MAX_FILE_BYTES, ImportFileError, ReadResult
from importers.isolated import read_isolated
from pages.common import EARLIEST_DATE, LATEST_DATE, session_factory
from pages.failures import report_failure
from pages.import_choices import (
    EVERY_SHEET,
    MAP_KEY,
    NOT_A_FIELD,
    SHEET_KEY,
    apply_remembered,
    chosen_mapping,
    column_roles_table,
    sheet_names,
    today,
)
from pages.import_history_view import HISTORY_KEY, history_read, show_period_history
from pages.indicator_import_view import show_indicator_import
from pages.session import require_actor
from pages.text import md
from plan.auth import Permission, PermissionDenied
from plan.importing import AsAtError, default_plan_name, import_as
from plan.queries import plan_options
from rulebook.dates import deadline_display, format_uk_date
from rulebook.plan_periods import (
    PeriodError,
    check_period,
    period_after_import,
    period_from_name,
)
from rulebook.rag import rag_label

NEW_PLAN = "A new plan (name it below)"
FIELD_LABELS = {
    "objective": "Objective",
    "objective_description": "Objective description",
    "ref": "Ref",
    "action": "Action",
    "milestone": "Milestone",
    "lead": "Owner / lead",
    "deadline": "Deadline",
    "target": "Target / outcome",
    "rag": "RAG",
    "status": "Delivery status",
    "progress": "Progress update",
    "resourcing": "Resourcing",
    "indicator": "Indicator",
}
assert set(FIELD_LABELS) == set(FIELDS)
state = st.session_state

st.title("Import a plan")
actor = require_actor(Permission.IMPORT)
factory = session_factory()
ACTION_PLAN, INDICATORS = "An action plan", "An indicator table"
if st.radio("Import", [ACTION_PLAN, INDICATORS], key="import_kind", horizontal=True) == INDICATORS:
    show_indicator_import(actor, factory)
    st.stop()
st.caption(
    "Upload the action plan you already keep: an Excel workbook (.xlsx, .xlsm, or a web page "
    "saved as .xls), a Word document (.docx), or CSV or tab-separated text. You will see what "
    "will be imported, with every warning, before anything is saved."
)

uploaded = st.file_uploader(
    "Action plan file",
    type=["xlsx", "xlsm", "csv", "tsv", "txt", "docx", "xls", "doc"],
    key="import_file",
    # The uploader says the limit the importer enforces (Streamlit's own default is 200 MB).
    max_upload_size=MAX_FILE_BYTES // (1024 * 1024),
)
if uploaded is not None:
    data = uploaded.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    if state.get("import_digest") != (uploaded.name, digest):
        # A new file: forget the previous preview, mapping choices and report.
        for key in [k for k in state if str(k).startswith("import_map_")]:
            del state[key]
        for key in ("import_preview", "import_baseline", "import_report", HISTORY_KEY):
            state.pop(key, None)
        state["import_digest"] = (uploaded.name, digest)
        state["import_bytes"] = data
        state["import_plan_name"] = default_plan_name(uploaded.name)
        state["import_existing_plan"] = NEW_PLAN

if "import_report" in state:
    # Done: the report, and where to go next, not the preview and its button again.
    st.success("Imported. Report:")
    st.code("\n".join(state["import_report"]), language=None, wrap_lines=True)
    st.page_link(
        "pages/overview.py", label="See the plan on the Overview", icon=":material/dashboard:"
    )
    st.caption("To import another file, choose it above.")
    if st.button("Preview this file again", key="import_again"):
        state.pop("import_report")
        st.rerun()
    st.stop()

if "import_bytes" not in state:
    st.info("Choose a file to see a preview of its objectives and actions.")
    st.stop()

filename = state["import_digest"][0]
data = state["import_bytes"]


def read(override: dict[str, str] | None, sheet: str | None = None) -> ReadResult | ImportFileError:
    bar = st.progress(0.0, text=f"Reading {md(filename)}…")

    def show(fraction: float, message: str) -> None:
        bar.progress(fraction, text=md(message))

    try:
        # In a child process with memory and time limits: a hostile upload fails alone.
        return read_isolated(data, filename, mapping_override=override, progress=show, sheet=sheet)
    except ImportFileError as error:
        return error
    finally:
        bar.empty()


if "import_baseline" not in state:
    state["import_baseline"] = read(None)
baseline = state["import_baseline"]
if isinstance(baseline, ImportFileError):
    st.error(md(baseline))
    st.stop()

guessed = {h: f for h, f in baseline.columns.items() if not h.startswith("(column ")}
headers = list(guessed) + list(baseline.unmapped_columns)
sheets = sheet_names(baseline.sheets_read, [s.sheet for s in baseline.sheets_skipped])
with factory() as session:
    options = {option.name: option for option in plan_options(session)}
existing = list(options)
if state.get("import_remembered_for") != state["import_digest"]:
    # Once per file: a plan of this name imported before presets the mapping it used.
    state["import_remembered_for"] = state["import_digest"]
    if state["import_plan_name"] in options:
        apply_remembered(state, factory, state["import_plan_name"], headers, sheets)
choices = [NOT_A_FIELD, *FIELDS]
override = {}
for header in headers:
    state.setdefault(MAP_KEY + header, guessed.get(header, NOT_A_FIELD))
    chosen = state[MAP_KEY + header]
    if chosen != guessed.get(header, NOT_A_FIELD):
        override[header] = "" if chosen == NOT_A_FIELD else chosen
sheet = None
if len(sheets) > 1:
    state.setdefault(SHEET_KEY, EVERY_SHEET)
    picked = st.selectbox("Sheet to import", [EVERY_SHEET, *sheets], key=SHEET_KEY)
    sheet = None if picked == EVERY_SHEET else picked

preview_key = (tuple(sorted(override.items())), sheet)
if state.get("import_preview", (None, None))[0] != preview_key:
    fresh = read(override or None, sheet) if override or sheet else baseline
    state["import_preview"] = (preview_key, fresh)
result = state["import_preview"][1]
if isinstance(result, ImportFileError):
    st.error(md(result))
    result = None
# The as-at date and plan period chosen below (as this run's widgets hold them): they date the
# period columns' history, shown with the preview as the import will write it.
as_at_day: dt.date = state.get("import_as_at") or today()
chosen_name = str(state.get("import_plan_name", "")).strip()
plan_period, _ = period_after_import(
    (state.get("import_period_start"), state.get("import_period_end")),
    options[chosen_name].period if chosen_name in options else (None, None),
    chosen_name,
)
if result is not None:
    result = history_read(
        state, (state["import_digest"], preview_key), result, as_at_day, plan_period
    )

if result is not None:
    by_row: dict[tuple[str | None, int | None], list[str]] = {}
    for issue in result.issues:
        by_row.setdefault((issue.sheet, issue.row), []).append(
            (f"{issue.field}: " if issue.field else "") + issue.message
        )
    action_rows = {(r.sheet, r.row) for r in result.rows}
    columns = st.columns(4)
    columns[0].metric("Objectives", len(result.objectives))
    columns[1].metric("Actions", len(result.rows))
    columns[2].metric("Rows skipped", len(result.rows_skipped))
    columns[3].metric("Warnings", len(result.issues))
    st.subheader("What will be imported")
    preview = pd.DataFrame(
        [
            {
                "Where": f"{r.sheet}, row {r.row}",
                "Objective": r.objective or "",
                "Ref": r.ref or "",
                "Action": r.action,
                "Owners": ", ".join(r.owners) or (r.lead or ""),
                "Deadline": deadline_display(r.deadline, r.deadline_text or None),
                "RAG": rag_label(r.rag),
                "Warnings": "; ".join(by_row.get((r.sheet, r.row), [])),
            }
            for r in result.rows
        ]
    )
    st.dataframe(preview, hide_index=True, width="stretch")
    others = [
        {"Where": str(issue).split(": ", 1)[0], "Warning": issue.message}
        for issue in result.issues
        if (issue.sheet, issue.row) not in action_rows
    ]
    if others:
        st.subheader("Rows not imported and other warnings")
        st.dataframe(pd.DataFrame(others), hide_index=True, width="stretch")
    show_period_history(result, as_at_day)
    if result.column_roles:
        st.subheader("How each column was read")
        st.dataframe(column_roles_table(result, FIELD_LABELS), hide_index=True, width="stretch")
    skipped = [f"{s.sheet}: {s.reason}" for s in result.sheets_skipped]
    if skipped:
        st.caption("Sheets or tables skipped: " + md("; ".join(skipped)))

with st.expander("Columns: change a guess", expanded=bool(override)):
    st.caption("How each column of the file is read. Change one that was guessed wrong.")
    for header in headers:
        st.selectbox(
            md(header),
            choices,
            format_func=lambda f: FIELD_LABELS.get(f, f),
            key=MAP_KEY + header,
        )

if result is None:
    st.stop()


def _use_existing() -> None:
    if state["import_existing_plan"] != NEW_PLAN:
        state["import_plan_name"] = state["import_existing_plan"]
        apply_remembered(state, factory, state["import_plan_name"], headers, sheets)


st.subheader("Plan")
st.selectbox(
    "Update an existing plan, or make a new one",
    [NEW_PLAN, *existing],
    key="import_existing_plan",
    on_change=_use_existing,
)
plan_name = st.text_input("Plan name", key="import_plan_name").strip()
if plan_name in existing:
    st.caption(f"'{md(plan_name)}' exists: its actions are matched by ref (or text) and updated.")
else:
    st.caption(f"A new plan '{md(plan_name)}' will be created.")

start_column, end_column = st.columns(2)
period_start = start_column.date_input(
    "Period start",
    value=None,
    format="DD/MM/YYYY",
    min_value=EARLIEST_DATE,
    max_value=LATEST_DATE,
    key="import_period_start",
)
period_end = end_column.date_input(
    "Period end",
    value=None,
    format="DD/MM/YYYY",
    min_value=EARLIEST_DATE,
    max_value=LATEST_DATE,
    key="import_period_end",
)
recorded = options[plan_name].period if plan_name in options else (None, None)
named = period_from_name(plan_name) if plan_name not in options else None
if period_start is None and period_end is None and any(recorded):
    st.caption(
        "Left empty: the plan keeps its period, " + " to ".join(map(format_uk_date, recorded))
    )
elif period_start is None and period_end is None and named:
    st.caption("Left empty: the period its name says, " + " to ".join(map(format_uk_date, named)))
elif period_start is None and period_end is None:
    st.caption("Optional: the dates the plan covers. Once it has ended it is shown as it ended.")
period_problem = None
try:
    check_period(period_start, period_end)
except PeriodError as error:
    period_problem = f"Period: {error}."
    st.error(period_problem)

as_at = st.date_input(
    "As at",
    value=today(),
    format="DD/MM/YYYY",
    min_value=EARLIEST_DATE,
    max_value=today(),
    key="import_as_at",
    help="The day the file describes. Load last quarter's file with its quarter end: its "
    "updates go into the history behind the newer ones.",
)

if st.button(
    f"Import {len(result.rows)} actions",
    key="import_confirm",
    type="primary",
    disabled=not plan_name or period_problem is not None,
):
    try:
        report = import_as(
            factory,
            actor,
            result,
            plan_name=plan_name,
            period=(period_start, period_end),
            as_at=as_at,
            mapping=chosen_mapping(override, sheet),
        )
    except (PermissionDenied, AsAtError) as error:
        st.error(md(error))
    except SQLAlchemyError:
        report_failure("Importing a plan")
    else:
        state["import_report"] = report.lines()
        st.rerun()
