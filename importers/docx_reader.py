"""Read action plans from Word documents (.docx): every table, objectives from the text around.

A plan in Word is usually one table broken across pages (or several tables, one per page or per
objective), with the objective written as a heading or paragraph above the table, or as a row
merged across it. Consecutive tables with the same header (or none) are read as one table, so a
row continued on the next page is joined onto the action it belongs to.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterator

from docx.oxml.ns import qn

from importers.cells import cell_text, is_status_section, is_strict_heading, split_heading
from importers.colours import rag_from_rgb
from importers.errors import ImportFileError
from importers.headers import find_header, map_columns
from importers.legend import row_key
from importers.limits import MAX_COLUMNS, ReadBudget, far_cells_note
from importers.sheet import Sheet
from importers.xlsx import check_archive

MAX_NESTING = 5
_W_P, _W_TBL, _W_SDT, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:tr"), qn("w:tc")
_W_R, _W_T, _W_BR, _W_TAB, _W_CR = qn("w:r"), qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:cr")


def read_docx_sheets(
    data: bytes,
    filename: str,
    progress: Callable[[float, str], None] | None = None,
    budget: ReadBudget | None = None,
) -> list[Sheet]:
    check_archive(data, filename, "word/document.xml", ".docx document")
    try:
        import docx

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as error:  # python-docx and lxml raise many types for damaged parts
        raise ImportFileError(
            filename, f"is not a readable .docx document ({type(error).__name__})"
        ) from error
    try:
        return _Builder(filename, progress, budget or ReadBudget(filename)).build(body)
    except ImportFileError:
        raise
    except RecursionError as error:
        raise ImportFileError(filename, "is nested too deeply to read") from error


def _blocks(parent) -> Iterator:
    """Paragraphs and tables in document order, looking inside content controls."""
    for child in parent.iterchildren():
        if child.tag in (_W_P, _W_TBL):
            yield child
        elif child.tag == _W_SDT:
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)


def _run_text(run) -> str:
    out = []
    for node in run.iterchildren():
        if node.tag == _W_T:
            out.append(node.text or "")
        elif node.tag in (_W_BR, _W_CR):
            out.append("\n")
        elif node.tag == _W_TAB:
            out.append("\t")
    return "".join(out)


def _runs(paragraph) -> list:
    return list(paragraph.iter(_W_R))


def _is_bold(run) -> bool:
    properties = run.find(qn("w:rPr"))
    if properties is None:
        return False
    bold = properties.find(qn("w:b"))
    return bold is not None and bold.get(qn("w:val"), "true") not in ("0", "false", "off")


def paragraph_text(paragraph, *, heading: bool = False) -> str:
    """A paragraph's text; for headings, a bold run glued to the next ("VictimsTo provide…")
    is split onto two lines, the way the author saw it."""
    pieces: list[str] = []
    for run in _runs(paragraph):
        text = _run_text(run)
        if not text:
            continue
        if (
            heading
            and pieces
            and pieces[-1][-1:].islower()
            and text[:1].isupper()
            and not pieces[-1].endswith("\n")
        ):
            pieces.append("\n")
        pieces.append(text)
    return "".join(pieces)


def _paragraph_is_heading(paragraph) -> tuple[str, str | None] | None:
    text = paragraph_text(paragraph)
    if not text.strip() or not (is_strict_heading(text.strip()) or is_status_section(text)):
        return None
    return split_heading(paragraph_text(paragraph, heading=True))


class _Builder:
    def __init__(self, filename: str, progress, budget: ReadBudget) -> None:
        self.filename = filename
        self.progress = progress
        self.budget = budget
        self.sheets: list[Sheet] = []
        self.current: Sheet | None = None
        self.current_fields: frozenset[tuple[int, str]] | None = None
        self.current_width = 0
        # Paragraphs printing a RAG key ("Green = on target, Amber = …"), for the whole file.
        self.key_lines: list[str] = []

    def build(self, body) -> list[Sheet]:
        blocks = list(_blocks(body))
        heading: tuple[str, str | None] | None = None
        needs_description = False
        tables = 0
        for position, block in enumerate(blocks):
            if block.tag == _W_P:
                self._key_line(block)
                found = _paragraph_is_heading(block)
                if found is not None:
                    heading, needs_description = found, found[1] is None
                elif needs_description and heading is not None:
                    text = " ".join(paragraph_text(block).split())
                    if text:
                        heading, needs_description = (heading[0], text), False
                continue
            tables += 1
            if self.progress is not None:
                self.progress(position / len(blocks), f"Reading table {tables}")
            self._add_table(block, tables, heading)
            heading, needs_description = None, False
        if self.sheets:
            self.sheets[0].key_lines.extend(self.key_lines)
        return self.sheets

    def _key_line(self, paragraph) -> None:
        text = paragraph_text(paragraph).strip()
        if text and row_key([text]) is not None:
            self.key_lines.append(text)

    def _add_table(self, tbl, number: int, heading: tuple[str, str | None] | None) -> None:
        label = f"table {number}"
        grid = _Grid(tbl, depth=0, filename=self.filename, budget=self.budget)
        header_index = find_header(grid.rows[:6]) if grid.rows else None
        fields = (
            frozenset(map_columns(grid.rows[header_index]).items())
            if header_index is not None
            else None
        )
        width = max((len(r) for r in grid.rows), default=0)
        # A table broken across pages keeps its columns; a table of another width after it
        # (a glossary, a list of contacts) is another table, header or none.
        joins = (
            self.current is not None
            and (fields is None or fields == self.current_fields)
            and width == self.current_width
        )
        if not joins:
            self.current = Sheet(name=label, rows=[], locations=[])
            self.current_fields = fields
            self.current_width = width
            self.sheets.append(self.current)
        sheet = self.current
        assert sheet is not None and sheet.locations is not None
        if heading is not None:
            sheet.sections[len(sheet.rows)] = heading
            sheet.rows.append([heading[0]])
            sheet.locations.append((label, 1))
        offset = len(sheet.rows)
        sheet.rows.extend(grid.rows)
        sheet.locations.extend((label, r + 1) for r in range(len(grid.rows)))
        sheet.merges.extend((r0 + offset, c0, r1 + offset, c1) for r0, c0, r1, c1 in grid.merges)
        sheet.bold_rows.update(r + offset for r in grid.bold_rows)
        sheet.fill_rags.update(((r + offset, c), rag) for (r, c), rag in grid.fill_rags.items())
        sheet.notes.extend((r + offset, message) for r, message in grid.notes)


class _Grid:
    """One Word table as a rectangular grid of texts, with its merges, bold rows and fills.

    Grid positions come from the file (`gridBefore`, `gridSpan`) and are capped: cells right of
    MAX_COLUMNS are not read, so a row claiming to start a hundred million columns in costs
    nothing. Rows and cells count against the file's budget as they are read.
    """

    def __init__(self, tbl, *, depth: int, filename: str, budget: ReadBudget) -> None:
        if depth > MAX_NESTING:
            raise ImportFileError(filename, "has tables nested too deeply to read")
        self.filename = filename
        self.depth = depth
        self.budget = budget
        self.rows: list[list[object]] = []
        self.merges: list[tuple[int, int, int, int]] = []
        self.bold_rows: set[int] = set()
        self.fill_rags: dict[tuple[int, int], object] = {}
        self.notes: list[tuple[int, str]] = []
        self.far_cells_noted = False
        self.open_merges: dict[int, list[int]] = {}  # column -> [first row, last row, last column]
        for r, tr in enumerate(tbl.iterchildren(_W_TR)):
            self._add_row(tr, r)
        for column, merge in self.open_merges.items():
            self._close(merge, column)

    def _add_row(self, tr, r: int) -> None:
        self.budget.scan_row()
        column = _grid_before(tr)
        values: list[object] = [None] * min(column, MAX_COLUMNS)
        bold_cells: list[bool] = []
        for tc in tr.iterchildren(_W_TC):
            span = max(1, min(_int(tc.xpath("./w:tcPr/w:gridSpan/@w:val"), 1), 64))
            if column >= MAX_COLUMNS:
                self._far_cell(tc, r)
                continue
            values.extend([None] * min(span, MAX_COLUMNS - column))
            read = self._add_cell(tc, r, column, min(column + span, MAX_COLUMNS) - 1)
            if read is not None:
                text, bold = read
                values[column] = text or None
                if text:
                    bold_cells.append(bold)
            column += span
        if any(values):
            self.budget.keep_row(len(values))
        else:
            self.budget.keep_cells(len(values))
        self.rows.append(values)
        if len(bold_cells) == 1 and bold_cells[0]:
            self.bold_rows.add(r)

    def _add_cell(self, tc, r: int, column: int, last: int) -> tuple[str, bool] | None:
        """The cell's text and boldness, or None for the continuation of a merge above."""
        vmerge = tc.xpath("./w:tcPr/w:vMerge")
        continues = bool(vmerge) and vmerge[0].get(qn("w:val"), "continue") == "continue"
        if continues and column in self.open_merges:
            self.open_merges[column][1] = r
            return None
        text, bold = self._cell(tc, r)
        self._close(self.open_merges.pop(column, None), column)
        if vmerge:
            self.open_merges[column] = [r, r, last]
        if last > column:
            self.merges.append((r, column, r, last))
        fill = tc.xpath("./w:tcPr/w:shd/@w:fill")
        if fill and len(fill[0]) == 6 and fill[0].lower() != "auto":
            rag = rag_from_rgb(fill[0])
            if rag is not None:
                self.fill_rags[(r, column)] = rag
        return text, bold

    def _far_cell(self, tc, r: int) -> None:
        if not self.far_cells_noted and "".join(tc.itertext()).strip():
            self.far_cells_noted = True
            self.notes.append((r, far_cells_note()))

    def _close(self, merge: list[int] | None, column: int) -> None:
        if merge is not None and merge[1] > merge[0]:
            self.merges.append((merge[0], column, merge[1], merge[2]))

    def _cell(self, tc, r: int) -> tuple[str, bool]:
        parts: list[str] = []
        runs = []
        for block in _blocks(tc):
            if block.tag == _W_P:
                parts.append(paragraph_text(block))
                runs.extend(run for run in _runs(block) if _run_text(run).strip())
            else:
                nested = _Grid(
                    block, depth=self.depth + 1, filename=self.filename, budget=self.budget
                )
                lines = [" ".join(cell_text(v) for v in row if cell_text(v)) for row in nested.rows]
                parts.append("\n".join(line for line in lines if line))
                self.notes.append((r, "a table inside a cell: its text was read into the cell"))
        text = "\n".join(parts).strip()
        return text, bool(runs) and all(_is_bold(run) for run in runs)


def _grid_before(tr) -> int:
    return _int(tr.xpath("./w:trPr/w:gridBefore/@w:val"), 0)


def _int(values, default: int) -> int:
    try:
        return int(values[0]) if values else default
    except (TypeError, ValueError):
        return default
