"""A date cell's text as Excel shows it, when its number format shows only a month and a year.

A deadline typed as "Mar-17" in Excel is stored as 1 March 2017 and shown through a format
such as `mmm-yy`: the author means the month, so the cell is read as the text it shows
("Mar-17", the end of that month as a deadline), not as its first day.
"""

from __future__ import annotations

import datetime as dt

from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, builtin_format_code

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Excel allows 255 characters; a longer code is not read.
_LONGEST_CODE = 255


def format_code(book: object, style_id: int) -> str | None:
    """The number format code of a cell style in an openpyxl workbook's styles."""
    styles = getattr(book, "_cell_styles", None)
    if styles is None or not 0 <= style_id < len(styles):
        return None
    number_format = styles[style_id].numFmtId
    if number_format < BUILTIN_FORMATS_MAX_SIZE:
        return builtin_format_code(number_format)
    custom = getattr(book, "_number_formats", [])
    index = number_format - BUILTIN_FORMATS_MAX_SIZE
    return custom[index] if 0 <= index < len(custom) else None


def _tokens(code: str) -> list[str] | None:
    """The code's first section as letters runs and literal text; quoted text and escaped
    characters are literal, bracketed parts (locale, colour) are dropped."""
    out: list[str] = []
    index = 0
    section = code.split(";", 1)[0]
    while index < len(section):
        char = section[index]
        if char == '"':
            end = section.find('"', index + 1)
            end = len(section) if end < 0 else end
            out.append(section[index + 1 : end])
            index = end + 1
        elif char == "\\":
            out.append(section[index + 1 : index + 2])
            index += 2
        elif char == "[":
            end = section.find("]", index)
            index = len(section) if end < 0 else end + 1
        elif char.isalpha():
            end = index
            while end < len(section) and section[end].lower() == char.lower():
                end += 1
            out.append(section[index:end].lower())
            index = end
        else:
            out.append(char)
            index += 1
    return out


def month_year_text(code: str | None, value: dt.date) -> str | None:
    """The text a month-and-year format shows for `value` ("Mar-17"), or None for any other
    format (one showing a day or a time)."""
    if not code or len(code) > _LONGEST_CODE:
        return None
    tokens = _tokens(code) or []
    letters = {t[0] for t in tokens if t.isalpha() and t == t.lower() and t[0] in "dhmsyeb"}
    if letters != {"m", "y"}:
        return None
    return "".join(_shown(token, value) for token in tokens)


def _shown(token: str, value: dt.date) -> str:
    if token.startswith("m") and token == "m" * len(token):
        name = _MONTHS[value.month - 1]
        if len(token) >= 4:
            return name
        return name[:3] if len(token) == 3 else f"{value.month:0{len(token)}d}"
    if token.startswith("y") and token == "y" * len(token):
        return f"{value.year}" if len(token) >= 3 else f"{value.year % 100:02d}"
    return token
