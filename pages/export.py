"""Board papers: the formatted workbook and CSV for the filters chosen, and update returns."""

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from pages.common import page_data, session_factory
from pages.failures import report_failure
from pages.filters import filter_bar
from pages.session import require_actor
from pages.text import md
from plan.auth import Permission, PermissionDenied
from plan.database import run_write
from plan.exporters.actions_csv import actions_csv
from plan.exporters.board_paper import board_paper, board_paper_xlsx, file_name
from plan.exporters.update_return import ReturnFileError, export_return
from plan.queries import owner_options
from plan.services.returns import MAX_RETURN_BYTES, import_return
from rulebook.dates import format_uk_date
from rulebook.rag import Rag, rag_label

RETURN_KEY = "update_return_made"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALL_OWNERS = "All owners"

actor = require_actor(Permission.EXPORT)
st.title("Board papers")
chosen = filter_bar(page_data())
if chosen is None:
    st.stop()
filters = chosen  # bound after the None check, so the return's lambda below sees a Filters
factory = session_factory()

with factory() as session:
    paper = board_paper(
        session,
        selection=filters.selection,
        as_at=filters.as_at,
        compared_with=filters.compared_with,
        round_id=filters.round.id if filters.round else None,
    )
    owners = owner_options(session, filters.selection.plan_id)

narrowed = f"Filters: {md(paper.filters_text)}" if paper.filters else "No filters: every action"
st.caption(f"{filters.describe()}. {narrowed}.")
figures = st.columns([1, 1, 1, 1, 1.6])  # room for "Changes since 31 Dec 2013" whole
figures[0].metric("Actions", f"{paper.overview.rag.total:,}")
figures[1].metric(rag_label(Rag.RED), f"{paper.overview.rag.red:,}")
figures[2].metric("⚠ Overdue", f"{paper.overview.overdue:,}")
figures[3].metric("Exceptions", f"{len(paper.exceptions):,}")
figures[4].metric(
    f"Changes since {format_uk_date(filters.compared_with)}", f"{len(paper.changes):,}"
)

left, right = st.columns(2)
left.download_button(
    "Board paper (Excel)",
    board_paper_xlsx(paper),
    file_name=file_name(paper),
    mime=XLSX,
    icon=":material/download:",
    key="download_board_paper",
    help="Summary with chart, Actions, Exceptions and Changes sheets, set up for A4 printing.",
)
right.download_button(
    "Actions (CSV)",
    actions_csv(paper.overview.actions),
    file_name=file_name(paper, "csv"),
    mime="text/csv",
    icon=":material/download:",
    key="download_actions_csv",
)

st.subheader("Update returns")
st.caption(
    "A workbook listing an owner's open actions with empty columns for the new RAG, update "
    "and revised deadline. E-mail it; import it here when it comes back."
)
owner = st.selectbox("Return for", [ALL_OWNERS, *owners], key="return_owner")
# Each return made is recorded (its id and actions), so it is made on request, not per rerun.
if st.button("Make the update return", key="make_return"):
    st.session_state[RETURN_KEY] = run_write(
        factory,
        lambda session: export_return(
            session,
            owner=None if owner == ALL_OWNERS else owner,
            as_at=filters.as_at,
            made_by=actor.email,
            selection=filters.selection,
            plan_title=paper.title,
        ),
    )
made = st.session_state.get(RETURN_KEY)
if made is not None:
    st.download_button(
        f"Update return for {md(made.owner) if made.owner else 'all owners'} "
        f"({made.actions} action{'s' if made.actions != 1 else ''})",
        made.data,
        file_name=made.file_name,
        mime=XLSX,
        icon=":material/download:",
        key="download_return",
    )

if actor.can(Permission.IMPORT):
    uploaded = st.file_uploader(
        "Import a filled return",
        type=["xlsx"],
        key="return_upload",
        # The uploader says the limit the import enforces (Streamlit's own default is 200 MB).
        max_upload_size=MAX_RETURN_BYTES // (1024 * 1024),
    )
    if uploaded is not None and st.button("Record the updates", key="import_return"):
        try:
            report = import_return(factory, uploaded.getvalue(), uploaded.name, actor=actor)
        except (ReturnFileError, PermissionDenied) as error:
            st.error(md(f"{uploaded.name}: {error}"))
        except SQLAlchemyError:
            report_failure("Importing an update return")
        else:
            summary, *details = report.lines()
            (st.warning if report.conflicts or report.errors else st.success)(md(summary))
            for line in details:
                st.markdown(f"- {md(line)}")
