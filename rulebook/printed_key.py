"""A file's own printed RAG key: "Green = on target, Amber = slight slippage, Red = …".

Trackers often print what their ratings mean. When a file does, the words it defines are read
by its key (rulebook.rag.read_rag's `key`), before the common words. Key text is untrusted: the
colour words are found with a pattern of bounded width, and each definition runs to the next
separator or the next colour word, so reading takes time linear in the text.
"""

from __future__ import annotations

import re

from rulebook.rag import Rag, rating_word

_COLOURS = {"red": Rag.RED, "amber": Rag.AMBER, "green": Rag.GREEN, "blue": Rag.BLUE}
# "Green =", "Amber:", "Red –", "Blue - " (a colour word, then what it means).
_DEFINES = re.compile(r"\b(red|amber|green|blue)[ \t]{0,3}(?:=|:|–|—|-)[ \t]{0,3}", re.IGNORECASE)
# A definition ends at a list separator, or where an explanation starts: " – …", "(…".
_SEPARATORS = re.compile(r"[,;\n|(]|\s[–—-]\s")
# "Key:", "RAG key", "Status key:", "Legend": a line that introduces a key.
_KEY_TITLE = re.compile(r"^\W{0,3}(?:(?:rag|status|rating)\s{1,3})?(?:key|legend)\b", re.IGNORECASE)
# A definition longer than this is an explanation, not a word a status cell would hold.
_LONGEST_WORD = 40


def definitions(text: str) -> dict[str, Rag]:
    """Rating word -> RAG for each "Colour = words" in the text (the words normalised)."""
    found: dict[str, Rag] = {}
    matches = list(_DEFINES.finditer(text))
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
        meaning = _SEPARATORS.split(text[match.end() : end], maxsplit=1)[0]
        word = rating_word(meaning)
        if word and len(word) <= _LONGEST_WORD:
            found[word] = _COLOURS[match[1].casefold()]
    return found


def is_key_title(text: str) -> bool:
    return bool(_KEY_TITLE.match(text))


def key_of_cells(texts: list[str]) -> dict[str, Rag] | None:
    """The key a row of cells prints, or None when the row is not a key.

    A key is one cell defining two or more ratings, or one introduced as a key ("Key: Green =
    on target"), a line with one definition and nothing else, or a legend row of two cells:
    a colour word and what it means ("Green | On target").
    """
    filled = [t for t in texts if t]
    if not filled or len(filled) > 2:
        return None
    if len(filled) == 2:
        colour = _COLOURS.get(rating_word(filled[0]))
        word = rating_word(_SEPARATORS.split(filled[1], maxsplit=1)[0])
        if colour is not None and word and len(word) <= _LONGEST_WORD:
            return {word: colour}
        return None
    found = definitions(filled[0])
    if found and (len(found) >= 2 or is_key_title(filled[0]) or _starts_defining(filled[0])):
        return found
    return None


def _starts_defining(text: str) -> bool:
    match = _DEFINES.match(text.lstrip())
    return match is not None
