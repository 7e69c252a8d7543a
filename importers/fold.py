"""Fold classified rows, top to bottom, into actions.

Rows mean things for the rows around them: a heading sets the objective of the actions below
it, a continuation row is joined onto the action above, a new header changes the columns.
"""

from __future__ import annotations

from importers.action_row import PendingAction
from importers.cells import (
    cell_text,
    clean_markup,
    is_ref_like,
    is_status_section,
    is_strict_heading,
    objective_of_heading,
    split_objective,
)
from importers.headers import map_columns
from importers.legend import KEY_ROW_SKIPPED, is_legend_row
from importers.period_headers import period_rag_columns
from importers.row_kinds import (
    OBJECTIVE_FIELDS,
    Columns,
    RowKind,
    RowView,
    TableTraits,
    continues_above,
)
from importers.sheet import Sheet, SheetIssues
from rulebook.rag import Rag


class ActionFold:
    """The actions read so far, and the objective and columns in force for the next row."""

    def __init__(
        self,
        sheet: Sheet,
        columns: Columns,
        heading: tuple[str | None, str | None],
        issues: SheetIssues,
        traits: TableTraits,
    ) -> None:
        self.sheet = sheet
        self.columns = columns
        self.objective, self.description = heading
        self.issues = issues
        self.traits = traits
        self.pending: list[PendingAction] = []
        # The last heading's row, and how many actions came before it.
        self.heading_at: tuple[int, int] | None = None
        # The header or title of a table that is not an action table, while in its rows.
        self.other_table: str | None = None
        # The row before was a RAG key (or its title): a legend may go on below it.
        self.after_key = False
        # The columns in force when the period RAG columns were last found, and those columns.
        self._fill_columns: tuple[Columns | None, list[tuple[int, str]]] = (None, [])

    def section(self, heading: tuple[str, str | None]) -> None:
        """A heading given outside the table (a Word paragraph above it)."""
        status_section = is_status_section(heading[0])
        self.objective, self.description = (None, None) if status_section else heading

    def take(self, row: RowView, kind: RowKind) -> None:
        """Fold in one row that is neither blank nor a ruled line."""
        if self.other_table is not None and kind != RowKind.OTHER_TABLE:
            if kind not in _ACTION_TABLE_AGAIN or (
                kind == RowKind.HEADING and not is_strict_heading(row.first_text[1])
            ):
                self._skip(row, f"in a table that is not an action table ('{self.other_table}')")
                return
            self.other_table = None
        if self._legend_goes_on(row, kind):
            return
        if kind in _TABLE_ROWS:
            self._objective_cells(row)
        step = _STEPS.get(kind)
        if step is not None:
            step(self, row)

    def _legend_goes_on(self, row: RowView, kind: RowKind) -> bool:
        """Under a key's title or a key row, "Red | <what red means>" is the legend's next row
        even when its meaning is too long to be a rating word (so it is no key word)."""
        after_key, self.after_key = self.after_key, kind == RowKind.KEY
        first = row.first_text[0]
        if not after_key or kind not in _TABLE_ROWS or not is_legend_row(row.real):
            return False
        if self.columns.mapping.get(first) in ("rag", "status"):
            return False  # an action's rating and its text, under a key: an action
        self._key(row)
        self.after_key = True
        return True

    def finish(self) -> list[PendingAction]:
        """The actions read, handed over: the fold keeps none of them."""
        self._unused_heading()
        pending, self.pending = self.pending, []
        return pending

    def _unused_heading(self) -> None:
        """The last heading, if no action came under it: reported, not silently replaced."""
        if self.heading_at is not None and self.heading_at[1] == len(self.pending):
            self.issues.add(
                self.heading_at[0],
                "a line with no actions under it: not an action, skipped",
                skipped=True,
            )
        self.heading_at = None

    def _objective_cells(self, row: RowView) -> None:
        """An objective typed in its own column applies from its row down."""
        objective = self.columns.text(row, "objective")
        described = self.columns.text(row, "objective_description")
        if objective:
            self.objective, self.description = objective, described or None
        elif described:
            self.description = described

    def _new_header(self, row: RowView) -> None:
        self.columns = Columns(map_columns(row.cells, self.traits.override), row.texts)
        self.issues.add(
            row.index, "a different header row: the rows below it are read by its columns"
        )

    def _skip(self, row: RowView, what: str) -> None:
        self.issues.add(row.index, f"{what}: not an action, skipped", skipped=True)

    def _other_table(self, row: RowView) -> None:
        self.other_table = " | ".join(t for t in row.real if t)
        self._skip(row, f"the start of a table that is not an action table ('{self.other_table}')")

    def _key(self, row: RowView) -> None:
        self._skip(row, KEY_ROW_SKIPPED)

    def _totals(self, row: RowView) -> None:
        self._skip(row, "a totals row")

    def _note(self, row: RowView) -> None:
        self._skip(row, "a note or sign-off line")

    def _numbered_heading(self, row: RowView) -> None:
        ref = self.columns.text(row, "ref").rstrip(".").removesuffix(".0")
        self._unused_heading()
        self.objective = f"{ref}. {_without_own_prefix(ref, self.columns.text(row, 'action'))}"
        self.description = None
        self.heading_at = (row.index, len(self.pending))

    def _heading(self, row: RowView) -> None:
        self._unused_heading()
        self.objective, self.description = objective_of_heading(row.first_text[1])
        self.heading_at = (row.index, len(self.pending))

    def _text_line(self, row: RowView) -> None:
        text = row.real[0]
        just_under_heading = self.heading_at is not None and self.heading_at[1] == len(self.pending)
        if just_under_heading and not self.description:
            self.description = " ".join(clean_markup(text).split())
        elif is_ref_like(text):
            self._only_a_ref(row.index, text)
        else:
            self.issues.add(row.index, "a line of text outside the table: skipped", skipped=True)

    def _ref_only(self, row: RowView) -> None:
        self._only_a_ref(row.index, self.columns.text(row, "ref"))

    def _only_a_ref(self, index: int, ref: str) -> None:
        self.issues.add(
            index, f"only a ref ('{ref}') and nothing else: not an action, skipped", skipped=True
        )

    def _no_action(self, row: RowView) -> None:
        ref = self.columns.text(row, "ref")
        self.issues.add(
            row.index, f"no action text (ref '{ref}'): not an action, skipped", skipped=True
        )

    def _continuation(self, row: RowView) -> None:
        if not self.pending:
            self.issues.add(row.index, "no action text: not an action, skipped", skipped=True)
            return
        previous = self.pending[-1]
        for i, field_name in self.columns.mapping.items():
            text = row.real[i] if i < len(row.real) else ""
            if text and field_name not in OBJECTIVE_FIELDS:
                before = cell_text(previous.values.get(field_name))
                previous.values[field_name] = _joined(before, text)
        for key, text in self._extra(row).items():
            previous.extra[key] = _joined(previous.extra.get(key), text)
        label, number = self.sheet.where(previous.index)
        same = label == self.sheet.where(row.index)[0]
        where = f"row {number}" if same else f"{label} row {number}"
        why = (
            "only action text, in lower case, with no ref"
            if continues_above(row, self.columns)
            else "no action text"
        )
        self.issues.add(row.index, f"{why}: read as the continuation of {where} and joined")

    def _action(self, row: RowView) -> None:
        columns = self.columns
        rag_column = columns.column("rag")
        fill_rag = self.sheet.fill_rag(row.index, rag_column) if rag_column is not None else None
        label, number = self.sheet.where(row.index)
        deadline = columns.column("deadline")
        # The texts already made, but the deadline raw: a date cell or a serial number.
        values: dict[str, object] = {
            f: row.texts[i] if i < len(row.texts) else "" for i, f in columns.mapping.items()
        }
        values["deadline"] = (
            row.cells[deadline] if deadline is not None and deadline < len(row.cells) else None
        )
        self.pending.append(
            PendingAction(
                index=row.index,
                row=number,
                label=label,
                values=values,
                extra=self._extra(row),
                objective=self.objective,
                objective_description=self.description,
                fill_rag=fill_rag,
                fills=self._period_fills(row),
            )
        )

    def _period_fills(self, row: RowView) -> dict[str, Rag]:
        """The fill colours of the row's period RAG cells ("Q1 RAG" coloured red, no text),
        by header as in the extra fields: the period pass reads them as that period's RAG."""
        if self._fill_columns[0] is not self.columns:
            headers = self.columns.header_texts
            wanted = period_rag_columns(headers)
            self._fill_columns = (
                self.columns,
                [(i, headers[i]) for i in wanted if i not in self.columns.mapping],
            )
        fills = {}
        for column, header in self._fill_columns[1]:
            if (rag := self.sheet.fill_rag(row.index, column)) is not None:
                fills[header] = rag
        return fills

    def _extra(self, row: RowView) -> dict[str, str]:
        """Columns that are no plan field, kept by their header text."""
        headers = self.columns.header_texts
        return {
            (headers[i] if i < len(headers) else "") or f"Column {i + 1}": text
            for i, text in enumerate(row.texts)
            if i not in self.columns.mapping and text
        }


# Rows of the table proper, whose objective columns set the objective.
_TABLE_ROWS = frozenset(
    (
        RowKind.REF_ONLY,
        RowKind.OBJECTIVE,
        RowKind.CONTINUATION,
        RowKind.NO_ACTION,
        RowKind.ACTION,
    )
)
# Repeated headers and rows with only an objective change nothing more.
_STEPS = {
    RowKind.NEW_HEADER: ActionFold._new_header,
    RowKind.HEADING: ActionFold._heading,
    RowKind.TEXT_LINE: ActionFold._text_line,
    RowKind.REF_ONLY: ActionFold._ref_only,
    RowKind.CONTINUATION: ActionFold._continuation,
    RowKind.NO_ACTION: ActionFold._no_action,
    RowKind.ACTION: ActionFold._action,
    RowKind.NUMBERED_HEADING: ActionFold._numbered_heading,
    RowKind.KEY: ActionFold._key,
    RowKind.TOTALS: ActionFold._totals,
    RowKind.NOTE: ActionFold._note,
    RowKind.OTHER_TABLE: ActionFold._other_table,
}
# Rows that end a table that is not an action table: an action header, or an objective heading.
_ACTION_TABLE_AGAIN = frozenset((RowKind.NEW_HEADER, RowKind.REPEATED_HEADER, RowKind.HEADING))


def _without_own_prefix(ref: str, text: str) -> str:
    """ "Prevention" from "Priority 1: Prevention" beside the ref 1: the number is said once.
    A heading naming another number ("Objective 2: …" beside 1) is kept whole."""
    own_ref, title = split_objective(text)
    return title if own_ref is not None and own_ref.lower() == ref.lower() and title else text


def _joined(before: str | None, text: str) -> str:
    return f"{before} {text}" if before else text
