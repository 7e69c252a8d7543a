"""Read the tables of a web page saved with an `.xls` name, as many web systems export them.

libxml2's HTML parser (through lxml, already the xlsx reader's parser) reads the page a row at
a time: each `<tr>` is taken when it ends and then freed, so memory follows what is kept.
Rows and cells count against the file's `ReadBudget` as for every other reader; spans are
capped, so a cell claiming a million columns costs nothing. Each `<table>` is one sheet,
named "table N" as Word tables are.
"""

from __future__ import annotations

import codecs
import io
import re
from typing import Any

from lxml import etree

from importers.colours import rag_from_rgb
from importers.errors import ImportFileError
from importers.limits import MAX_COLUMNS, ReadBudget, far_cells_note
from importers.sheet import Sheet
from rulebook.rag import Rag

# lxml ships no type information here (see pyproject's mypy overrides).
Element = Any

MAX_ROW_SPAN = 1_000
_HTML_START = re.compile(rb"^\s*<(?:!doctype\s+html|html|table|head|meta|body|\?xml)", re.I)
_HEX = re.compile(r"#?([0-9a-fA-F]{6})\b")
_BACKGROUND = re.compile(
    r"background(?:-color)?\s*:\s*(?:#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b|([a-z]+))", re.IGNORECASE
)
# The colour names web systems write for a RAG cell ("bgcolor=red"), as RGB.
_NAMED_COLOURS = {
    "red": "FF0000",
    "orange": "FFA500",
    "amber": "FFC000",
    "yellow": "FFFF00",
    "gold": "FFD700",
    "green": "008000",
    "lime": "00FF00",
    "limegreen": "32CD32",
    "blue": "0000FF",
}
# A style sheet rule naming a class alone (".xl65", "td.xl65"), as Excel's own web pages do.
_CLASS_SELECTOR = re.compile(r"(?:td|th)?\.([\w-]+)")
# Tags after which a cell's text goes on a new line.
_LINE_TAGS = frozenset({"br", "p", "div", "li"})


def looks_like_html(data: bytes) -> bool:
    """A web page: it starts with an HTML tag (after any byte order mark and spaces), in UTF-8
    or in UTF-16 with its byte order mark (as some systems export it)."""
    head = data[:4096].removeprefix(b"\xef\xbb\xbf")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head[:4096].decode("utf-16", errors="replace").encode("utf-8")
    return bool(_HTML_START.match(head))


def is_xml_spreadsheet(data: bytes) -> bool:
    """Excel 2003's "XML Spreadsheet", often named .xls: XML in the spreadsheet namespace."""
    return b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096] and bool(
        re.match(rb"\s*<\?xml", data[:4096].removeprefix(b"\xef\xbb\xbf"))
    )


def read_html_sheets(data: bytes, filename: str, budget: ReadBudget | None = None) -> list[Sheet]:
    reader = _Tables(filename, budget or ReadBudget(filename))
    try:
        for _, element in etree.iterparse(
            io.BytesIO(data),
            events=("end",),
            tag=("tr", "table", "style"),
            html=True,
            recover=True,
            no_network=True,
            huge_tree=False,
        ):
            if element.tag == "tr":
                reader.row(element)
            elif element.tag == "style":
                reader.style_sheet(element)
            else:
                reader.table_ended(element)
    except etree.LxmlError as error:
        raise ImportFileError(filename, f"is a web page that could not be read ({error})") from None
    return [sheet for sheet in reader.sheets if sheet.rows]


class _Tables:
    """The page's tables read so far, one sheet each."""

    def __init__(self, filename: str, budget: ReadBudget) -> None:
        self.filename = filename
        self.budget = budget
        self.sheets: list[Sheet] = []
        # id of an open <table> element -> (the element, its sheet). The element is held, so
        # that its id stays its own while the table is read.
        self.tables: dict[int, tuple[Element, Sheet]] = {}
        self.spans: dict[
            int, dict[int, tuple[int, object]]
        ] = {}  # sheet -> column -> (rows, value)
        self.far_noted = False
        # class name -> RAG of the background a <style> rule gives it
        self.class_rags: dict[str, Rag] = {}

    def style_sheet(self, style: Element) -> None:
        """Excel's "Web Page" and some exports colour a cell by its class (`<td class=xl65>`
        with `.xl65 {background:#FF0000}` in the page's style sheet): keep each class's RAG."""
        for rule in (style.text or "").split("}"):
            selectors, _, declarations = rule.partition("{")
            if (rag := _background_rag(declarations)) is None:
                continue
            for selector in selectors.split(","):
                if match := _CLASS_SELECTOR.fullmatch(selector.strip()):
                    self.class_rags[match[1]] = rag
        _drop(style)

    def _sheet_of(self, tr: Element) -> Sheet:
        table = tr.getparent()
        while table is not None and table.tag != "table":
            table = table.getparent()
        key = id(table)
        if key not in self.tables:
            sheet = Sheet(name=f"table {len(self.sheets) + 1}", rows=[])
            self.tables[key] = (table, sheet)
            self.sheets.append(sheet)
        return self.tables[key][1]

    def table_ended(self, table: Element) -> None:
        self.tables.pop(id(table), None)
        _drop(table)

    def row(self, tr: Element) -> None:
        self.budget.scan_row()
        sheet = self._sheet_of(tr)
        index = len(sheet.rows)
        down = self.spans.setdefault(id(sheet), {})
        values: list[object] = []
        for cell in tr.iterchildren("td", "th"):
            column = _next_free(values, down)
            if column >= MAX_COLUMNS:
                self._far(cell)
                continue
            across = min(_span(cell.get("colspan"), MAX_COLUMNS), MAX_COLUMNS - column)
            rows = _span(cell.get("rowspan"), MAX_ROW_SPAN)
            values.extend([None] * (column + across - len(values)))
            values[column] = _text(cell) or None
            self._fill(sheet, index, column, cell)
            if across > 1 or rows > 1:
                sheet.merges.append((index, column, index + rows - 1, column + across - 1))
            for covered in range(column, column + across) if rows > 1 else ():
                down[covered] = (rows, None)  # aged once at the end of this row
        _age(down)
        if any(values):
            self.budget.keep_row(len(values))
        else:
            self.budget.keep_cells(len(values))
        sheet.rows.append(values)
        _drop(tr)

    def _fill(self, sheet: Sheet, index: int, column: int, cell: Element) -> None:
        """A cell's background as a RAG: its style, its bgcolor (a hex or a colour's name),
        else its class's in the page's style sheet."""
        rag = _background_rag(cell.get("style") or "") or _colour_rag(cell.get("bgcolor") or "")
        if rag is None:
            classes = (cell.get("class") or "").split()
            rag = next((self.class_rags[c] for c in classes if c in self.class_rags), None)
        if rag is not None:
            sheet.fill_rags[(index, column)] = rag

    def _far(self, cell: Element) -> None:
        if not self.far_noted and "".join(cell.itertext()).strip():
            self.far_noted = True
            self.sheets[-1].notes.append((None, far_cells_note()))


def _background_rag(declarations: str) -> Rag | None:
    match = _BACKGROUND.search(declarations)
    if match is None:
        return None
    return _colour_rag(match[1] or match[2])


def _colour_rag(colour: str) -> Rag | None:
    """ "#FF0000", "FF0000", "#F00" or "red" as a RAG, if it is a RAG colour."""
    written = colour.strip().lstrip("#")
    rgb = _NAMED_COLOURS.get(written.lower())
    if rgb is None and len(written) == 3:
        written = "".join(ch * 2 for ch in written)
    if rgb is None and _HEX.fullmatch(written):
        rgb = written
    return rag_from_rgb(rgb) if rgb else None


def _drop(element: Element) -> None:
    """Free an element once read: the tree holds little more than the row being read."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _next_free(values: list[object], down: dict[int, tuple[int, object]]) -> int:
    """The next column of the row not covered by a cell spanning down from a row above."""
    column = len(values)
    while column in down and column < MAX_COLUMNS:
        values.append(None)
        column += 1
    return column


def _age(down: dict[int, tuple[int, object]]) -> None:
    for column, (rows, value) in list(down.items()):
        if rows <= 1:
            del down[column]
        else:
            down[column] = (rows - 1, value)


def _span(text: str | None, most: int) -> int:
    try:
        return max(1, min(int(text or 1), most))
    except ValueError:
        return 1


def _text(cell: Element) -> str:
    """A cell's text, with a line break where the page breaks the line."""
    for node in cell.iter():
        if node is not cell and node.tag in _LINE_TAGS:
            node.tail = "\n" + (node.tail or "")
    return "\n".join(
        " ".join(line.split()) for line in "".join(cell.itertext()).split("\n")
    ).strip()
