"""Review before publication: which progress entries count, written once with its SQL twin.

When a plan's review is on, an owner's update is recorded as *submitted*; an officer then
publishes it (a published copy is appended to the history) or returns it with a comment. An
entry is one of:

- published: an update from anyone who may publish (officers, imports, returns, the demo),
  from a plan without review, or the published copy of a submission;
- submitted: an owner's update waiting for review (or returned: the review said no).

The dashboard and board papers count published entries only; an officer may ask to include
the submissions still waiting ("include submitted"); the owner's own view and the conflict
check see every entry.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ColumnElement, and_, or_

from rulebook.rag import SqlExpr


class ReviewState(StrEnum):
    PUBLISHED = "published"
    SUBMITTED = "submitted"


class ReviewOutcome(StrEnum):
    PUBLISHED = "published"
    RETURNED = "returned"


class Entries(StrEnum):
    """Which history entries a reading counts."""

    PUBLISHED = "published"  # the dashboard and board papers
    WITH_SUBMITTED = "with submitted"  # an officer's "include submitted": waiting ones too
    ALL = "all"  # every entry: the owner's own view and the conflict check


def state_for(review_required: bool, may_publish: bool) -> ReviewState:
    """How a new update is recorded: submitted only on a reviewed plan by someone who may
    not publish (an owner)."""
    return ReviewState.SUBMITTED if review_required and not may_publish else ReviewState.PUBLISHED


def counts(state: ReviewState, returned: bool, entries: Entries) -> bool:
    """Whether an entry in `state` (returned: its review said no) counts in `entries`."""
    if entries is Entries.ALL or state is ReviewState.PUBLISHED:
        return True
    return entries is Entries.WITH_SUBMITTED and not returned


def counts_sql(state: SqlExpr, returned: SqlExpr, entries: Entries) -> ColumnElement[bool]:
    """The SQL twin of `counts`. `returned` is a boolean expression (an EXISTS); with
    Entries.PUBLISHED it is not used, so the hot query stays one column compare."""
    if entries is Entries.ALL:
        return state.is_not(None)  # the column is never empty: every entry
    published = state == ReviewState.PUBLISHED.value
    if entries is Entries.PUBLISHED:
        return published
    # Entries.WITH_SUBMITTED: the submissions still waiting count too.
    return or_(published, and_(state == ReviewState.SUBMITTED.value, ~returned))
