"""The named cell styles of an exported workbook, made once per workbook.

A cell refers to a style by its array, so no font or fill is built for each cell.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray

from rulebook.rag import RAG_COLOURS, RAG_ORDER, RAG_TEXT_COLOURS, Rag, rag_label

UK_DATE_FORMAT = "d mmm yyyy"


def _hex(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()


_THIN = Side(style="thin", color="FFBFBFBF")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_BODY_FONT = Font(name="Calibri", size=10)
_BOLD_FONT = Font(name="Calibri", size=10, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="FF1F3864")
_SECTION_FILL = PatternFill("solid", fgColor="FFD9E1F2")
_ENTRY_FILL = PatternFill("solid", fgColor="FFFFF2CC")
_RAG_NAMES = {
    Rag.RED: "Red",
    Rag.AMBER: "Amber",
    Rag.GREEN: "Green",
    Rag.BLUE: "Blue",
    None: "None",
}

# name: (the workbook's style name, its parts)
_STYLES: dict[str, tuple[str, dict[str, Any]]] = {
    "title": ("BP Title", {"font": Font(name="Calibri", size=14, bold=True)}),
    "label": ("BP Label", {"font": _BOLD_FONT}),
    "header": (
        "BP Header",
        {
            "font": Font(name="Calibri", size=10, bold=True, color="FFFFFFFF"),
            "fill": _HEADER_FILL,
            "alignment": Alignment(vertical="center", wrap_text=True),
            "border": _GRID,
        },
    ),
    "section": (
        "BP Section",
        {
            "font": Font(name="Calibri", size=11, bold=True),
            "fill": _SECTION_FILL,
            "alignment": Alignment(vertical="center"),
            "border": Border(top=_THIN, bottom=_THIN),
        },
    ),
    "text": ("BP Text", {"font": _BODY_FONT, "alignment": _WRAP, "border": _GRID}),
    "plain": ("BP Plain", {"font": _BODY_FONT, "alignment": _TOP}),
    "wrapped": ("BP Wrapped", {"font": _BODY_FONT, "alignment": _WRAP}),
    "number": (
        "BP Number",
        {"font": _BODY_FONT, "alignment": _TOP, "border": _GRID, "number_format": "0"},
    ),
    "figure": (
        "BP Figure",
        {"font": _BODY_FONT, "alignment": _TOP, "border": _GRID, "number_format": "General"},
    ),
    "total": (
        "BP Total",
        {
            "font": _BOLD_FONT,
            "alignment": _TOP,
            "border": Border(left=_THIN, right=_THIN, top=Side(style="medium"), bottom=_THIN),
            "number_format": "0",
        },
    ),
    "percent": ("BP Percent", {"font": _BODY_FONT, "alignment": _TOP, "number_format": "0.0%"}),
    "date": (
        "BP Date",
        {"font": _BODY_FONT, "alignment": _TOP, "border": _GRID, "number_format": UK_DATE_FORMAT},
    ),
    "plain_date": (
        "BP Plain date",
        {
            "font": _BODY_FONT,
            "alignment": Alignment(horizontal="left"),
            "number_format": UK_DATE_FORMAT,
        },
    ),
    "entry_text": (
        "BP Entry",
        {"font": _BODY_FONT, "alignment": _WRAP, "border": _GRID, "fill": _ENTRY_FILL},
    ),
    "entry_date": (
        "BP Entry date",
        {
            "font": _BODY_FONT,
            "alignment": _TOP,
            "border": _GRID,
            "fill": _ENTRY_FILL,
            "number_format": UK_DATE_FORMAT,
        },
    ),
}


def _rag_parts(rag: Rag | None) -> dict[str, Any]:
    return {
        "font": Font(name="Calibri", size=10, bold=True, color=_hex(RAG_TEXT_COLOURS[rag])),
        "fill": PatternFill("solid", fgColor=_hex(RAG_COLOURS[rag])),
        "alignment": _WRAP,
        "border": _GRID,
    }


class Styles:
    """A workbook's named styles, as style arrays: `styles.text`, `styles.rag[Rag.RED]`, ...

    A RAG cell is coloured by its label ("✖ Red"): `styles.rag_by_label`.
    """

    title: StyleArray
    label: StyleArray
    header: StyleArray
    section: StyleArray
    text: StyleArray
    plain: StyleArray
    wrapped: StyleArray
    number: StyleArray
    figure: StyleArray
    total: StyleArray
    percent: StyleArray
    date: StyleArray
    plain_date: StyleArray
    entry_text: StyleArray
    entry_date: StyleArray

    def __init__(self, workbook: Workbook):
        self._workbook = workbook
        for attribute, (name, parts) in _STYLES.items():
            setattr(self, attribute, self._add(name, parts))
        self.rag = {
            rag: self._add(f"BP RAG {_RAG_NAMES[rag]}", _rag_parts(rag)) for rag in RAG_ORDER
        }
        self.rag_by_label = {rag_label(rag): self.rag[rag] for rag in RAG_ORDER}

    def _add(self, name: str, parts: dict[str, Any]) -> StyleArray:
        style = NamedStyle(name=name, **parts)
        self._workbook.add_named_style(style)
        return style.as_tuple()
