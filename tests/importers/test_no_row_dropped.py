"""Property: a row with action text is never silently dropped. It becomes an action, the
objective heading of the actions under it, or a skip reported with its row number."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers import ImportFileError, read_plan_file
from tests.builders import csv_bytes, xlsx_bytes

# No text starts with "=": openpyxl would write it as a formula.
HEADER = ["Ref", "Action", "Lead", "Deadline", "RAG"]
WORDS = [
    "Green", "Amber", "Red", "Green = on target", "Total", "3", "Notes:", "Signed off by",
    "Glossary", "Term", "Meaning", "Objective 2:", "Prevention", "campaign", "review",
    "Mar-17", "R/A", "–", "Key:", "Name", "Role", "1.1", "Version", "Closed", "deliver",
    "the", "IDVA",
]  # fmt: skip
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
optional = st.one_of(st.just(""), texts)
refs = st.sampled_from(["", "1", "1.1", "1.2", "1.2a", "2", "2.1", "A2", "P1.3", "Term"])
action_rows = st.tuples(refs, texts, optional, optional, optional).map(list)
other_rows = st.one_of(
    st.tuples(texts).map(list),  # a line of text in the first column
    st.tuples(st.just(""), texts).map(list),  # a line of text in the action column
    st.tuples(refs, st.just(""), optional, optional, optional).map(list),  # no action text
    st.just([]),
)
tables = st.lists(st.one_of(action_rows, action_rows, other_rows), min_size=1, max_size=25)


def accounted(kind: str, rows: list[list[str]]) -> None:
    data = xlsx_bytes(("Plan", [HEADER, *rows])) if kind == "xlsx" else csv_bytes([HEADER, *rows])
    try:
        result = read_plan_file(data, f"plan.{kind}")
    except ImportFileError as error:
        # Refused whole, with a sentence: nothing is dropped silently.
        assert "no action rows" in str(error) or "no recognisable" in str(error)
        return
    actions = {r.row for r in result.rows}
    skipped = {i.row for i in result.issues if i.skipped}
    objectives = {r.objective for r in result.rows if r.objective}
    # A heading "Objective 2: Green" is objective 2 named "Green": its prefix is not kept.
    titles = {r.objective for r in result.rows if r.objective and r.objective_ref}
    objectives |= {f"{r.objective_ref}. {r.objective}" for r in result.rows if r.objective_ref}
    joined = {i.row for i in result.issues if "continuation" in i.message}
    for number, row in enumerate(rows, start=2):
        action = row[1].strip() if len(row) > 1 else ""
        if not action:
            continue
        # A heading with no title ("Objective 2:") is objective 2 titled "Objective 2".
        heading = action.rstrip(":.–—- ")
        as_objective = any(heading in objective for objective in objectives) or any(
            action.endswith(title) for title in titles
        )
        assert number in actions | skipped | joined or as_objective, (number, row, result.issues)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_no_row_with_action_text_is_silently_dropped_xlsx(rows):
    accounted("xlsx", rows)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_no_row_with_action_text_is_silently_dropped_csv(rows):
    accounted("csv", rows)
