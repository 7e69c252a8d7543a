"""RAG (Red/Amber/Green/Blue) ratings and delivery statuses, read from text as written."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, SQLColumnExpression, case, literal, null

# What the *_sql rules take: a Core column or expression, or an ORM attribute such as
# Action.deadline (an InstrumentedAttribute). SQLAlchemy types both as SQLColumnExpression.
SqlExpr: TypeAlias = SQLColumnExpression[Any]


class Rag(StrEnum):
    """A RAG rating. Blue means complete."""

    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"
    BLUE = "Blue"


class DeliveryStatus(StrEnum):
    """Where an action is in its delivery."""

    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETE = "complete"
    DEFERRED = "deferred"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class RagReading:
    """What a RAG cell says.

    ``status`` is the status the text implies, or None when it implies none.
    ``unrecognised`` holds the original (stripped) text when it could not be read.
    """

    rag: Rag | None
    status: DeliveryStatus | None
    unrecognised: str | None = None


_S = DeliveryStatus
_WORDS: dict[str, tuple[Rag | None, DeliveryStatus | None]] = {
    "r": (Rag.RED, _S.IN_PROGRESS),
    "red": (Rag.RED, _S.IN_PROGRESS),
    "off track": (Rag.RED, _S.IN_PROGRESS),
    "off target": (Rag.RED, _S.IN_PROGRESS),
    "significant slippage": (Rag.RED, _S.IN_PROGRESS),
    "major slippage": (Rag.RED, _S.IN_PROGRESS),
    "a": (Rag.AMBER, _S.IN_PROGRESS),
    "amber": (Rag.AMBER, _S.IN_PROGRESS),
    "yellow": (Rag.AMBER, _S.IN_PROGRESS),  # Smartsheet's and some councils' middle rating
    "at risk": (Rag.AMBER, _S.IN_PROGRESS),
    "slight slippage": (Rag.AMBER, _S.IN_PROGRESS),
    "minor slippage": (Rag.AMBER, _S.IN_PROGRESS),
    "some slippage": (Rag.AMBER, _S.IN_PROGRESS),
    "g": (Rag.GREEN, _S.IN_PROGRESS),
    "green": (Rag.GREEN, _S.IN_PROGRESS),
    "on track": (Rag.GREEN, _S.IN_PROGRESS),
    "on target": (Rag.GREEN, _S.IN_PROGRESS),
    "on schedule": (Rag.GREEN, _S.IN_PROGRESS),
    "b": (Rag.BLUE, _S.COMPLETE),
    "blue": (Rag.BLUE, _S.COMPLETE),
    "complete": (Rag.BLUE, _S.COMPLETE),
    "completed": (Rag.BLUE, _S.COMPLETE),
    "done": (Rag.BLUE, _S.COMPLETE),
    "achieved": (Rag.BLUE, _S.COMPLETE),
    "closed": (Rag.BLUE, _S.COMPLETE),
    "not started": (None, _S.NOT_STARTED),
    "not yet due": (None, _S.NOT_STARTED),
    "not yet started": (None, _S.NOT_STARTED),
    "deferred": (None, _S.DEFERRED),
    "on hold": (None, _S.DEFERRED),
    "cancelled": (None, _S.CANCELLED),
    "canceled": (None, _S.CANCELLED),
    "withdrawn": (None, _S.CANCELLED),
    "in progress": (None, _S.IN_PROGRESS),
    # Our own label for "no rating", so exported labels read back cleanly.
    "not rated": (None, None),
}

# A rating typed as a coloured symbol (Excel, Teams, Microsoft Lists), or as the tracker's own
# symbol for it (RAG_SYMBOL), on its own in the cell.
_SYMBOLS: dict[str, Rag] = {
    "🔴": Rag.RED,
    "🟥": Rag.RED,
    "✖": Rag.RED,
    "🟠": Rag.AMBER,
    "🟡": Rag.AMBER,
    "🟧": Rag.AMBER,
    "🟨": Rag.AMBER,
    "▲": Rag.AMBER,
    "🟢": Rag.GREEN,
    "🟩": Rag.GREEN,
    "✔": Rag.GREEN,
    "🔵": Rag.BLUE,
    "🟦": Rag.BLUE,
    "★": Rag.BLUE,
    "✅": Rag.BLUE,
}

# Hyphens and underscores inside a phrase ("on-track", "not_started") are spacing, not meaning.
_INNER_SPACING = re.compile(r"[\s\-_]+")


def _strip_edges(text: str) -> str:
    """Drop leading/trailing characters that are not letters or digits (punctuation, symbols)."""
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return text[start:end]


def rating_word(text: str) -> str:
    """How a rating phrase is matched: "On-Track." and "on track" are one word."""
    return _INNER_SPACING.sub(" ", _strip_edges(text.strip())).strip().casefold()


def status_for(rag: Rag) -> DeliveryStatus:
    """The delivery status a bare rating implies: Blue is complete, the others in progress."""
    return DeliveryStatus.COMPLETE if rag == Rag.BLUE else DeliveryStatus.IN_PROGRESS


def read_rag(text: str | None, key: Mapping[str, Rag] | None = None) -> RagReading:
    """Read a RAG rating and implied status from text as written; never guesses unknown values.

    `key` is a file's own printed key (rating word -> RAG, see rulebook.printed_key): it wins
    over the common words for that file.
    """
    if text is None:
        return RagReading(None, None, None)
    written = text.strip()
    if not written:
        return RagReading(None, None, None)
    if (symbol := _SYMBOLS.get(written)) is not None:
        return RagReading(symbol, status_for(symbol), None)
    word = rating_word(written)
    if key and word in key:
        return RagReading(key[word], status_for(key[word]), None)
    found = _WORDS.get(word)
    if found is None:
        return _explained(written, key) or RagReading(None, None, unrecognised=written)
    rag, status = found
    return RagReading(rag, status, None)


# "Green - on track", "AMBER (slippage)", "Red: no provider", "Complete (Blue)": a rating
# word, then a note on it after a dash, colon or bracket.
_EXPLAINED = re.compile(r"(?P<head>[^:(–—]{1,30}?)(?:\s+-|\s*[–—:(])\s*(?P<note>.*)", re.DOTALL)
_COLOUR_WORDS = re.compile(r"\b(?:red|amber|yellow|green|blue)\b", re.IGNORECASE)


def _explained(text: str, key: Mapping[str, Rag] | None) -> RagReading | None:
    """The rating a text leads with when the rest only explains it; None when the text is
    not one, or when its note names another colour ("Red - now Amber" is never guessed)."""
    match = _EXPLAINED.fullmatch(text)
    if match is None or is_combined_rating(text):
        return None
    head = read_rag(match["head"], key)
    if head.unrecognised is not None or (head.rag is None and head.status is None):
        return None
    note = match["note"]
    named = {read_rag(colour).rag for colour in _COLOUR_WORDS.findall(note)}
    named.add(read_rag(note.rstrip(")")).rag)  # "Red - A": a rating letter as the note
    named.discard(None)
    if named - {head.rag}:
        return None
    return head


_RATING_LETTERS = r"(?:r|a|g|b|red|amber|green|blue)"
_COMBINED = re.compile(rf"{_RATING_LETTERS}\s?[/&+-]\s?{_RATING_LETTERS}")


def is_combined_rating(text: str) -> bool:
    """ "R/A", "A/G", "Amber-Green": two ratings at once, which the tracker never splits."""
    return bool(_COMBINED.fullmatch(text.strip().casefold()))


# RAG must never be shown by colour alone, so each rating has its own shape too.
RAG_SYMBOL: dict[Rag | None, str] = {
    Rag.RED: "✖",
    Rag.AMBER: "▲",
    Rag.GREEN: "✔",
    Rag.BLUE: "★",
    None: "–",
}

_RAG_NAME: dict[Rag | None, str] = {
    Rag.RED: "Red",
    Rag.AMBER: "Amber",
    Rag.GREEN: "Green",
    Rag.BLUE: "Blue",
    None: "Not rated",
}


def rag_name(rag: Rag | None) -> str:
    """The name alone, e.g. "Red" or "Not rated", for where its symbol is shown beside it."""
    return _RAG_NAME[rag]


def rag_label(rag: Rag | None) -> str:
    """Symbol plus name, e.g. "✖ Red" or "– Not rated"."""
    return f"{RAG_SYMBOL[rag]} {rag_name(rag)}"


RAG_ORDER: tuple[Rag | None, ...] = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, None)

RAG_SEVERITY: dict[Rag | None, int] = {
    Rag.RED: 3,
    Rag.AMBER: 2,
    Rag.GREEN: 1,
    Rag.BLUE: 0,
    None: -1,
}

RAG_COLOURS: dict[Rag | None, str] = {
    Rag.RED: "#D62728",
    Rag.AMBER: "#F2A900",
    Rag.GREEN: "#2E7D32",
    Rag.BLUE: "#1F5FAD",
    None: "#9E9E9E",
}

# Each pairs with its RAG_COLOURS background at WCAG AA (contrast ratio >= 4.5:1).
RAG_TEXT_COLOURS: dict[Rag | None, str] = {
    Rag.RED: "#FFFFFF",
    Rag.AMBER: "#000000",
    Rag.GREEN: "#FFFFFF",
    Rag.BLUE: "#FFFFFF",
    None: "#000000",
}


def effective_rag(rag: Rag | None, status: DeliveryStatus | None) -> Rag | None:
    """The RAG an action shows: a complete action is Blue whatever its last rating said."""
    return Rag.BLUE if status == DeliveryStatus.COMPLETE else rag


def effective_rag_sql(rag: SqlExpr, status: SqlExpr) -> ColumnElement:
    return case(
        (status == DeliveryStatus.COMPLETE.value, literal(Rag.BLUE.value)),
        else_=rag,
    )


def rag_severity_sql(rag: SqlExpr) -> ColumnElement:
    """RAG_SEVERITY in SQL; NULL (not rated) has no severity, so it never compares."""
    return case(
        *((rag == r.value, literal(RAG_SEVERITY[r])) for r in Rag),
        else_=null(),
    )
