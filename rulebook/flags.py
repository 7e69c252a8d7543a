"""Automatic checks on the data ("flags"): each is a rule written once, with its SQL twin beside
it (tests/rulebook/test_sql_twins.py checks they agree), and a reason in words.

A flag never blocks anything: it tells the officer and the chair where the picture may be
wrong or incomplete.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, func, literal, or_

from rulebook.overdue import CLOSED_STATUSES
from rulebook.rag import DeliveryStatus, Rag

# A deadline revised this many times or more is flagged.
REVISIONS_FLAGGED = 2
# Missing this many rounds in a row is "no update for two rounds".
ROUNDS_FLAGGED = 2


class Flag(StrEnum):
    GREEN_BUT_OVERDUE = "green but overdue"
    NO_ISSUE_OR_REMEDY = "red or amber with no issue or remedy"
    DEADLINE_REVISED = "deadline revised more than once"
    COMPLETE_WITHOUT_DATE = "complete with no completion date"
    NO_OWNER = "no owner"
    NO_ROUND_UPDATE = "no update in this round"
    NO_UPDATE_TWO_ROUNDS = "no update for two rounds"


REASONS: dict[Flag, str] = {
    Flag.GREEN_BUT_OVERDUE: "Rated Green but its deadline has passed",
    Flag.NO_ISSUE_OR_REMEDY: "Rated Red or Amber without saying what the issue is or what is "
    "being done",
    Flag.DEADLINE_REVISED: "Its deadline has been revised more than once",
    Flag.COMPLETE_WITHOUT_DATE: "Marked complete without a completion date",
    Flag.NO_OWNER: "Nobody is named as its owner",
    Flag.NO_ROUND_UPDATE: "No update came in the round, which is past its due date",
    Flag.NO_UPDATE_TWO_ROUNDS: "No update came in this round or the one before",
}


def reasons_text(flags: Iterable[Flag]) -> str:
    """The flags' reasons as one sentence: "Rated Green but its deadline has passed; its
    deadline has been revised more than once" (each reason after the first in lower case)."""
    said = [REASONS[flag] for flag in flags]
    return "; ".join([*said[:1], *(reason[0].lower() + reason[1:] for reason in said[1:])])


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _blank_sql(text: ColumnElement) -> ColumnElement[bool]:
    return or_(text.is_(None), func.trim(text) == literal(""))


def green_but_overdue(rag: Rag | None, overdue: bool) -> bool:
    return rag is Rag.GREEN and overdue


def green_but_overdue_sql(rag: ColumnElement, overdue: ColumnElement[bool]) -> ColumnElement[bool]:
    return and_(rag.is_not(None), rag == Rag.GREEN.value, overdue)


def no_issue_or_remedy(rag: Rag | None, issue: str | None, remedy: str | None) -> bool:
    return rag in (Rag.RED, Rag.AMBER) and (_blank(issue) or _blank(remedy))


def no_issue_or_remedy_sql(
    rag: ColumnElement, issue: ColumnElement, remedy: ColumnElement
) -> ColumnElement[bool]:
    return and_(
        rag.is_not(None),
        rag.in_((Rag.RED.value, Rag.AMBER.value)),
        or_(_blank_sql(issue), _blank_sql(remedy)),
    )


def deadline_revised_too_often(revisions: int) -> bool:
    return revisions >= REVISIONS_FLAGGED


def deadline_revised_too_often_sql(revisions: ColumnElement) -> ColumnElement[bool]:
    return revisions >= REVISIONS_FLAGGED


def complete_without_date(status: DeliveryStatus | None, completed_on: object) -> bool:
    return status is DeliveryStatus.COMPLETE and completed_on is None


def complete_without_date_sql(
    status: ColumnElement, completed_on: ColumnElement
) -> ColumnElement[bool]:
    return and_(
        status.is_not(None), status == DeliveryStatus.COMPLETE.value, completed_on.is_(None)
    )


def no_owner(owners: int, status: DeliveryStatus | None) -> bool:
    """An open action with nobody named (closed ones need nobody any more)."""
    return owners == 0 and status not in CLOSED_STATUSES


def no_owner_sql(owners: ColumnElement, status: ColumnElement) -> ColumnElement[bool]:
    closed = tuple(sorted(s.value for s in CLOSED_STATUSES))
    return and_(owners == 0, or_(status.is_(None), status.not_in(closed)))


def missed_round(missed: int) -> bool:
    """`missed`: rounds missed in a row, counting back from the round looked at (0, 1, 2)."""
    return missed == 1


def missed_round_sql(missed: ColumnElement) -> ColumnElement[bool]:
    return missed == 1


def missed_two_rounds(missed: int) -> bool:
    return missed >= ROUNDS_FLAGGED


def missed_two_rounds_sql(missed: ColumnElement) -> ColumnElement[bool]:
    return missed >= ROUNDS_FLAGGED
