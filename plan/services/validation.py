"""What a progress update must say, and how sources differ: the rules as data.

Every write of progress (the update form, the bulk grid, an update return, a file import,
the demo loader) is validated here by `validate_progress`, with the `EntryRules` of its source.
A source that legitimately differs (an imported historical file may carry a Red rating with no
remedy text) says so in RULES_BY_SOURCE, next to the rule, never in a code path of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from plan.models import UpdateSource
from rulebook.rag import DeliveryStatus, Rag
from rulebook.text import clean_optional, clean_text

MAX_TEXT = 5000


@dataclass(frozen=True, slots=True)  # an import makes one per entry: 20k at once
class ProgressInput:
    """What the update form (or one row of the bulk grid) asks for."""

    rag: Rag | None
    progress: str
    issue: str = ""
    remedy: str = ""
    percent_complete: int | None = None
    revised_deadline: dt.date | None = None
    revised_deadline_reason: str = ""
    evidence_link: str = ""
    completed_on: dt.date | None = None
    # Files may say more than a rating: a status without one ("Deferred"), or a rating that
    # could not be read, kept as written. The form leaves these empty.
    status: DeliveryStatus | None = None
    rag_text: str | None = None
    reporting_period: str | None = None

    def __post_init__(self) -> None:
        # Text is cleaned once, on its way in (rulebook.text): forms, grids, returns, files.
        for name in ("progress", "issue", "remedy", "revised_deadline_reason", "evidence_link"):
            object.__setattr__(self, name, clean_text(getattr(self, name)))
        object.__setattr__(self, "rag_text", clean_optional(self.rag_text))

    @property
    def delivery_status(self) -> DeliveryStatus:
        """The status given, else the one the rating implies."""
        if self.status is not None:
            return self.status
        return DeliveryStatus.COMPLETE if self.rag == Rag.BLUE else DeliveryStatus.IN_PROGRESS


@dataclass(frozen=True)
class EntryRules:
    """Which of the form's rules a source's updates must meet."""

    rating_required: bool = True
    progress_required: bool = True
    # Red/Amber say what the issue is and what is being done; Blue says when it completed.
    reasons_required: bool = True
    # A revised deadline is not in the past; a completion date is not in the future.
    dates_checked: bool = True
    # Each update gets its own audit entry (an import is audited once, as a whole).
    audited_each: bool = True
    # The writer names the update it saw, and a newer one is a conflict.
    conflicts_checked: bool = True


PEOPLE = EntryRules()
# A file records what the partnership wrote at the time: a Red with no remedy is still Red.
# The import report lists the rows the form would have asked more of.
HISTORICAL_FILE = EntryRules(
    rating_required=False,
    progress_required=False,
    reasons_required=False,
    dates_checked=False,
    audited_each=False,
)
DEMO = EntryRules(
    rating_required=False,
    progress_required=False,
    reasons_required=False,
    dates_checked=False,
    audited_each=False,
    conflicts_checked=False,
)
# A published submission was checked when it was submitted; publishing it later must not
# refuse a revised deadline that has since passed.
REVIEWED = EntryRules(dates_checked=False)
RULES_BY_SOURCE: dict[UpdateSource, EntryRules] = {
    UpdateSource.REVIEW: REVIEWED,
    UpdateSource.FORM: PEOPLE,
    UpdateSource.BULK: PEOPLE,
    UpdateSource.RETURN: PEOPLE,
    UpdateSource.IMPORT: HISTORICAL_FILE,
    UpdateSource.DEMO: DEMO,
}


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


class InvalidUpdate(Exception):
    """The update breaks one or more rules; nothing was saved."""

    def __init__(self, errors: Sequence[FieldError]):
        self.errors = list(errors)
        super().__init__(" ".join(e.message for e in self.errors))


def validate_progress(
    entry: ProgressInput, *, today: dt.date, rules: EntryRules = PEOPLE
) -> list[FieldError]:
    """Every rule an update must meet, as sentences a person can act on."""
    errors: list[FieldError] = []
    for check in _CHECKS:
        errors.extend(check(entry, today, rules))
    return errors


def _rating_and_text(
    entry: ProgressInput, _today: dt.date, rules: EntryRules
) -> Iterator[FieldError]:
    if rules.rating_required and entry.rag is None:
        yield FieldError("rag", "Choose a RAG rating.")
    if rules.progress_required and not entry.progress.strip():
        yield FieldError("progress", "Say what progress has been made.")
    for name in ("progress", "issue", "remedy", "revised_deadline_reason"):
        if len(getattr(entry, name)) > MAX_TEXT:
            label = name.replace("_", " ")
            yield FieldError(name, f"Keep the {label} under {MAX_TEXT} characters.")


def _reasons(entry: ProgressInput, _today: dt.date, rules: EntryRules) -> Iterator[FieldError]:
    if not rules.reasons_required:
        return
    if entry.rag in (Rag.RED, Rag.AMBER):
        if not entry.issue.strip():
            yield FieldError("issue", f"For {entry.rag.value}, say what the issue is.")
        if not entry.remedy.strip():
            yield FieldError("remedy", f"For {entry.rag.value}, say what is being done about it.")
    if entry.rag == Rag.BLUE and entry.completed_on is None:
        yield FieldError("completed_on", "Blue means complete: give the date it was completed.")


def _percent(entry: ProgressInput, _today: dt.date, _rules: EntryRules) -> Iterator[FieldError]:
    if entry.percent_complete is not None and not 0 <= entry.percent_complete <= 100:
        yield FieldError("percent_complete", "Percent complete must be between 0 and 100.")


def _revised_deadline(
    entry: ProgressInput, today: dt.date, rules: EntryRules
) -> Iterator[FieldError]:
    reason = entry.revised_deadline_reason.strip()
    if entry.revised_deadline is None:
        if reason:
            yield FieldError(
                "revised_deadline", "Give the revised deadline date, or clear the reason."
            )
        return
    if not reason:
        yield FieldError("revised_deadline_reason", "Give a reason for the revised deadline.")
    if rules.dates_checked and entry.revised_deadline < today:
        yield FieldError("revised_deadline", "A revised deadline cannot be in the past.")


def _completion(entry: ProgressInput, today: dt.date, rules: EntryRules) -> Iterator[FieldError]:
    if entry.completed_on is None:
        return
    if entry.rag != Rag.BLUE:
        yield FieldError("completed_on", "Only a Blue (complete) update has a completion date.")
    if rules.dates_checked and entry.completed_on > today:
        yield FieldError("completed_on", "The completion date cannot be in the future.")


def _evidence(entry: ProgressInput, _today: dt.date, _rules: EntryRules) -> Iterator[FieldError]:
    link = entry.evidence_link.strip()
    if not link:
        return
    if not link.lower().startswith("https://") or any(c.isspace() for c in link):
        yield FieldError(
            "evidence_link", "The evidence link must be a web address starting https://."
        )
    if len(link) > 2000:
        yield FieldError("evidence_link", "The evidence link is too long.")


def missing_reasons(entry: ProgressInput) -> bool:
    """Whether the form would ask this update for more: an issue and remedy, a completion date."""
    return any(True for _ in _reasons(entry, dt.date.min, PEOPLE))


_CHECKS = (_rating_and_text, _reasons, _percent, _revised_deadline, _completion, _evidence)
