"""A file's own printed RAG key: "Green = on target, Amber = slight slippage, Red = …".

Trackers often print what their ratings mean. When a file does, the words it defines are read
by its key (rulebook.rag.read_rag's `key`), before the common words. Key text is untrusted: the
colour words are found with a pattern of bounded width, and each definition runs to the next
separator or the next colour word, so reading takes time linear in the text.
"""

from __future__ import annotations

import re

from rulebook.rag import Rag, rating_word, read_rag

_COLOURS = {
    "red": Rag.RED,
    "amber": Rag.AMBER,
    "yellow": Rag.AMBER,
    "green": Rag.GREEN,
    "blue": Rag.BLUE,
}
# "Green =", "Amber:", "Red –", "Blue - " (a colour word, then what it means).
_DEFINES = re.compile(
    r"\b(red|amber|yellow|green|blue)[ \t]{0,3}(?:=|:|–|—|-)[ \t]{0,3}", re.IGNORECASE
)
# A definition ends at a list separator, or where an explanation starts: " – …", "(…".
_SEPARATORS = re.compile(r"[,;\n|(]|\s[–—-]\s")
# "Key:", "RAG key", "Status key:", "Legend": a line that introduces a key.
_KEY_TITLE = re.compile(r"^\W{0,3}(?:(?:rag|status|rating)\s{1,3})?(?:key|legend)\b", re.IGNORECASE)
# A definition longer than this is an explanation, not a word a status cell would hold.
_LONGEST_WORD = 40
# The other way round: "On track = Green", "Some delay: Amber", "Stalled – Red". Only a whole
# piece of text is read this way (a definition, then the colour, then nothing).
# A bracket may explain the colour: "1 = Red (off track)".
_DEFINED_AS = re.compile(
    r"(?P<word>[^=:–—]{1,40}?)[ \t]{0,3}(?:=|:|–|—|\s-\s)[ \t]{0,3}"
    r"(?P<colour>red|amber|yellow|green|blue)\W{0,3}(?:\([^()]{0,60}\)\W{0,3})?",
    re.IGNORECASE,
)
# A score standing for a rating, in a key that says which: "1 = Red, 2 = Amber, 3 = Green".
_SCORE = re.compile(r"\d{1,2}")
# A letter or score standing for a common rating word: "G = on track", "C = complete".
_ABBREVIATED = re.compile(
    r"(?P<word>[A-Za-z]{1,2}|\d{1,2})[ \t]{0,3}(?:=|:|–|—|\s-\s)[ \t]{0,3}(?P<meaning>[^=:]{1,40})"
)
_PIECES = re.compile(r"[,;\n|]")


def definitions(text: str) -> dict[str, Rag]:
    """Rating word -> RAG for each "Colour = words" in the text (the words normalised)."""
    found: dict[str, Rag] = {}
    matches = list(_DEFINES.finditer(text))
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
        meaning = _SEPARATORS.split(text[match.end() : end], maxsplit=1)[0]
        word = rating_word(meaning)
        if _is_meaning(word):
            found[word] = _COLOURS[match[1].casefold()]
    return found


def defined_as(text: str) -> dict[str, Rag]:
    """Rating word -> RAG for text that is all "words = Colour" pieces ("On track = Green,
    Some delay = Amber", "1 = Red, 2 = Amber"), after any key title; {} when any piece is
    something else. A number is read this way round only: "Green = 3" is a count."""
    title = _KEY_TITLE.match(text)
    rest = text[title.end() :].lstrip(" \t:–—-") if title else text
    found: dict[str, Rag] = {}
    for piece in _PIECES.split(rest):
        if not piece.strip():
            continue
        match = _DEFINED_AS.fullmatch(piece.strip())
        word = rating_word(match["word"]) if match else ""
        if match and (_is_meaning(word) or _SCORE.fullmatch(word)):
            found[word] = _COLOURS[match["colour"].casefold()]
        elif (abbreviated := _abbreviation(piece.strip())) is not None:
            found.update(abbreviated)
        else:
            return {}
    return found


def _abbreviation(piece: str) -> dict[str, Rag] | None:
    """{"c": Blue} for "C = complete": a letter or score for a rating word read the common
    way; None when the meaning is no rating word ("C = see comments")."""
    match = _ABBREVIATED.fullmatch(piece)
    if match is None:
        return None
    rag = read_rag(match["meaning"]).rag
    return None if rag is None else {rating_word(match["word"]): rag}


def _is_meaning(word: str) -> bool:
    """Words a status cell could hold: not too long, and not a count ("Green | 3" is a total)."""
    return 0 < len(word) <= _LONGEST_WORD and any(c.isalpha() for c in word)


def is_key_title(text: str) -> bool:
    return bool(_KEY_TITLE.match(text))


def key_of_cells(texts: list[str]) -> dict[str, Rag] | None:
    """The key a row of cells prints, or None when the row is not a key.

    A key is one cell defining two or more ratings, or one introduced as a key ("Key: Green =
    on target"), a line with one definition and nothing else, a legend row of two cells:
    a colour word and what it means ("Green | On target"), or a row of cells that each define
    a rating, either way round ("Green = on target | Amber = slight slippage", "On track =
    Green | Some delay = Amber").
    """
    filled = [t for t in texts if t]
    if not filled:
        return None
    if len(filled) == 2:
        colour = _COLOURS.get(rating_word(filled[0]))
        word = rating_word(_SEPARATORS.split(filled[1], maxsplit=1)[0])
        if colour is not None and _is_meaning(word):
            return {word: colour}
    if len(filled) >= 2:
        return _one_per_cell(filled)
    found = definitions(filled[0])
    if found and (len(found) >= 2 or is_key_title(filled[0]) or _starts_defining(filled[0])):
        return found
    found = defined_as(filled[0])
    return found if len(found) >= 2 or (found and is_key_title(filled[0])) else None


def _one_per_cell(cells: list[str]) -> dict[str, Rag] | None:
    """The key when every cell defines a rating and they define two or more; else None."""
    found: dict[str, Rag] = {}
    for cell in cells:
        forward = definitions(cell) if _starts_defining(cell) else {}
        defined = forward or defined_as(cell)
        if not defined:
            return None
        found.update(defined)
    return found if len(found) >= 2 else None


def _starts_defining(text: str) -> bool:
    match = _DEFINES.match(text.lstrip())
    return match is not None
