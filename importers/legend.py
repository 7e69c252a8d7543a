"""Rows around a plan table that are not actions: a RAG key, totals, notes and sign-off lines.

A file's own key ("Green = on target, Amber = slight slippage…") is read once for the whole
file, from any sheet, so that its rating words are read the way the file means them
(rulebook.printed_key). The same tests tell `row_kinds` which rows to report as skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from importers.cells import cell_text
from importers.sheet import Sheet
from rulebook.printed_key import is_key_title, key_of_cells
from rulebook.rag import Rag, rating_word

# Only short rows can be key rows (a title and a cell per rating, five at most); and only
# cells this long are looked at.
_KEY_CELL_CHARS = 400
_KEY_CELLS = 6
_COLOUR_HINT = re.compile(r"red|amber|yellow|green|blue", re.IGNORECASE)
_TOTAL_LABELS = frozenset(
    {"red", "amber", "green", "blue", "r", "a", "g", "b", "total", "totals", "grand total"}
)
# "Red 3 / Amber 4 / Total 9": a label and a count, two or more times.
_COUNT = re.compile(r"\b(?:red|amber|green|blue|total)s?[ \t]{0,3}[:=]?[ \t]{0,3}\d+\b", re.I)
# "Total actions: 12", "Number of actions = 9": one count of the table's rows.
_ONE_COUNT = re.compile(
    r"(?:total|number of)(?: actions?| rows?| items?)?[ \t]{0,3}[:=]?[ \t]{0,3}\d+",
    re.IGNORECASE,
)
# Lines under a table that record who and when, not what is to be done.
_NOTE = re.compile(
    r"^\W{0,3}(?:notes?\b|n\.b\.|please note|source:|sign(?:ed)?[ -]?off|approved\s+by"
    r"|agreed\s+by|prepared\s+by|completed\s+by|date\s+of\s+(?:approval|sign)"
    r"|next\s+review|last\s+(?:updated|reviewed)|page\s+\d+\s+of\s+\d+)",
    re.IGNORECASE,
)


# How a row printing the key is reported, wherever it stands (above the header or below it).
KEY_ROW_SKIPPED = "a RAG key (its words are read as this file defines them)"


_COLOUR_WORDS = frozenset({"red", "amber", "yellow", "green", "blue"})
# A key's title alone on its row: "Key", "RAG key:", "Legend" (not "Key actions").
_KEY_TITLE_LINE = re.compile(r"\W{0,3}(?:(?:rag|status|rating)\s{1,3})?(?:key|legend)\W{0,3}", re.I)


def is_key_title_line(texts: Sequence[str]) -> bool:
    """A row holding only a key's title ("RAG key"): the legend under it is no action."""
    filled = [t for t in texts if t]
    return len(filled) == 1 and len(filled[0]) <= 30 and bool(_KEY_TITLE_LINE.fullmatch(filled[0]))


def is_legend_row(texts: Sequence[str]) -> bool:
    """A colour word and what it means, however long ("Red | Off track and needs the Board's
    attention"): a legend row when it follows a key's title or another key row."""
    filled = [t for t in texts if t]
    return len(filled) == 2 and rating_word(filled[0]) in _COLOUR_WORDS


def file_rag_key(sheets: Sequence[Sheet]) -> dict[str, Rag]:
    """Every rating word the file's own key defines, from whichever sheet prints it."""
    key: dict[str, Rag] = {}
    for sheet in sheets:
        for line in sheet.key_lines:
            key.update(row_key([line]) or {})
        for row in sheet.rows:
            found = row_key(row)
            if found:
                key.update(found)
    return key


def row_key(row: Sequence[object]) -> dict[str, Rag] | None:
    """The key a row prints, or None; cheap for the rows that cannot be one (a row of three
    or more cells stops at the first that names no colour)."""
    texts = [c for c in row if c is not None and c != ""]
    if not texts or len(texts) > _KEY_CELLS:
        return None
    cells = [cell_text(texts[0])]
    if len(texts) >= 3 and is_key_title(cells[0]) and not _COLOUR_HINT.search(cells[0]):
        # "Key | Green | On target", "Key: | Green = on target | Amber = …": the key's title
        # in a cell of its own, then a legend pair or a definition per cell.
        cells = []
    # Three or more cells left: a definition per cell, each naming its colour.
    every = len(cells) + len(texts) - 1 >= 3
    for value in texts[1:]:
        if every and cells and not _COLOUR_HINT.search(cells[-1]):
            return None
        cells.append(cell_text(value))
    # A line titled as a key may name no colour: "Key: G = on track, C = complete".
    titled = len(cells) == 1 and is_key_title(cells[0])
    if any(len(t) > _KEY_CELL_CHARS for t in cells):
        return None
    if not titled and not any(map(_COLOUR_HINT.search, cells)):
        return None
    if every and not _COLOUR_HINT.search(cells[-1]):
        return None
    return key_of_cells(cells)


def is_totals_row(texts: Sequence[str]) -> bool:
    """A count per rating and a total: one cell "Red 3 / Amber 4", or cells "Red | 3",
    "Red | 3 | Amber | 4 | Total | 7", "Total | Red 0 | Amber 1": every cell a rating or total
    label, a count, or both, the first no bare count."""
    filled = [t for t in texts if t]
    if len(filled) == 1:
        text = filled[0][:_KEY_CELL_CHARS]
        return len(_COUNT.findall(text)) >= 2 or _ONE_COUNT.fullmatch(text) is not None
    if not filled or filled[0].isdigit():
        return False
    counted = False
    for text in filled:  # stops at the first cell that is neither: an action row's text
        if text.isdigit() or _COUNT.fullmatch(text[:_KEY_CELL_CHARS]):
            counted = True
        elif rating_word(text) not in _TOTAL_LABELS:
            return False
    return counted


def is_note_row(texts: Sequence[str]) -> bool:
    """A note or sign-off line ("Notes: …", "Signed off by …"), in at most two cells."""
    filled = [t for t in texts if t]
    return 0 < len(filled) <= 2 and bool(_NOTE.match(filled[0]))


# Header words of the tables that follow an action plan but hold no actions.
_OTHER_HEADER_WORDS = frozenset(
    {
        "term",
        "terms",
        "abbreviation",
        "abbreviations",
        "acronym",
        "acronyms",
        "meaning",
        "definition",
        "definitions",
        "description",
        "full name",
        "full title",
        "stands for",
        "contact",
        "contacts",
        "name",
        "role",
        "job title",
        "organisation",
        "email",
        "e mail",
        "email address",
        "telephone",
        "phone",
        "tel",
        "version",
        "version no",
        "date",
        "author",
        "authors",
        "change",
        "changes",
        "summary of changes",
        "changes made",
        "reason for change",
    }
)
# Titles of such tables: "Glossary", "Abbreviations used", "Version control", "Key contacts".
_OTHER_TITLE = re.compile(
    r"^\W{0,3}(?:appendix\s{1,3}\w{1,3}\W{0,3}\s{0,3})?(?:glossary|abbreviations|acronyms"
    r"|definitions|key\s{1,3}contacts|contacts|contact\s{1,3}details|version\s{1,3}control"
    r"|document\s{1,3}(?:control|history)|revision\s{1,3}history|change\s{1,3}log)\b",
    re.IGNORECASE,
)
_HEADER_CELL_CHARS = 30


def starts_other_table(texts: Sequence[str]) -> bool:
    """The title or header row of a table that is not an action table (a glossary, a list of
    abbreviations or contacts, version control)."""
    filled = [t for t in texts if t]
    if len(filled) == 1:
        return len(filled[0]) <= 80 and bool(_OTHER_TITLE.match(filled[0]))
    if any(len(t) > _HEADER_CELL_CHARS for t in filled):
        return False
    words = sum(1 for t in filled if _header_key(t) in _OTHER_HEADER_WORDS)
    return words >= 2 and words >= len(filled) - 1


def _header_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())
