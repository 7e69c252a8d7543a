"""Text as it is kept: one normal form for everything typed or imported.

A pasted Word line break can arrive as a vertical tab (\\x0b); other control characters come
from old systems' exports. None of them means anything in a plan, several cannot be written
to a workbook at all, and a decomposed "é" would not match a composed one. So text is cleaned
once on the way in (imports and forms), and the workbook writers drop what they cannot write
anyway (plan.exporters.safe_cells).
"""

from __future__ import annotations

import unicodedata

# Line-breaking controls become a line break; every other C0 or C1 control goes, except tab.
_LINE_BREAKS = {0x0B: "\n", 0x0C: "\n", 0x0D: "\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n"}
_DROPPED = {c: None for c in (*range(0x20), *range(0x7F, 0xA0)) if c not in (0x09, 0x0A)}
_CLEAN = str.maketrans({**_DROPPED, **_LINE_BREAKS})
# What a workbook cannot hold (XML 1.0 forbids these), for writers handed text from elsewhere.
_UNWRITABLE = str.maketrans({c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)})


def clean_text(text: str) -> str:
    """NFC, Windows line ends as "\\n", no control characters but tab and line break, and no
    lone surrogates (which no file format can store)."""
    if text.isascii():
        # Most text: nothing to normalise, and printable ASCII has no control characters.
        return text if text.isprintable() else text.replace("\r\n", "\n").translate(_CLEAN)
    text = text.replace("\r\n", "\n")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    cleaned = text.translate(_CLEAN)
    try:
        cleaned.encode("utf-8")
    except UnicodeEncodeError:
        cleaned = cleaned.encode("utf-8", "replace").decode("utf-8")
    return cleaned


def clean_optional(text: str | None) -> str | None:
    return None if text is None else clean_text(text)


def writable(text: str) -> str:
    """Text a workbook can hold: the XML-forbidden control characters removed."""
    return text.translate(_UNWRITABLE)
