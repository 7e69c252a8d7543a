"""The board paper's Data quality and Key sheets: the automatic checks (rulebook.flags) counted
per owner and per objective with each flagged action and its reasons in words; and the plans'
own RAG keys (rulebook.rag_key)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from openpyxl import Workbook

from plan.exporters.styles import Styles
from plan.exporters.table import Column, Footer, Table
from plan.queries import ActionView
from plan.queries.flags import FlagCount
from rulebook.flags import Flag, reasons_text
from rulebook.rag_key import RagKey

QUALITY, KEY = "Data quality", "Key"


@dataclass(frozen=True)
class Quality:
    """The checks for a board paper's actions."""

    flags: dict[int, tuple[Flag, ...]]  # per action id, its flags
    by_owner: list[FlagCount]
    by_objective: list[FlagCount]

    def reasons(self, action_id: int) -> str:
        """The action's flags as sentences, or nothing."""
        return reasons_text(self.flags.get(action_id, ()))

    @property
    def flagged(self) -> int:
        return len(self.flags)


def _count_of(flag: Flag) -> Callable[[FlagCount], int]:
    return lambda count: count.counts[flag]


def _count_columns(first: Column) -> tuple[Column, ...]:
    return (
        first,
        Column("Plan", 20, "text", attrgetter("plan")),
        *(Column(flag.value.capitalize(), 13, "number", _count_of(flag)) for flag in Flag),
        Column("All checks", 10, "number", attrgetter("total")),
    )


def quality_sheet(
    workbook: Workbook,
    styles: Styles,
    quality: Quality,
    actions: Sequence[ActionView],
    footer: Footer,
) -> None:
    """Per owner, then per objective, how many actions carry each flag (the most flagged
    owners first), then every flagged action with its reasons."""
    owner_column = Column("Owner or objective", 44, "text", attrgetter("name"))
    table = Table(workbook, styles, QUALITY, _count_columns(owner_column), footer)
    table.add_section("Per owner")
    owners = [count for count in quality.by_owner if count.total]
    for count in owners:
        table.add(count)
    if not owners:
        table.add_note("No action carries a flag.")
    table.add_section("Per objective")
    for count in quality.by_objective:
        if count.total:
            table.add(count)
    table.add_section("Flagged actions: ref, action, owner, the reasons")
    for view in actions:
        if view.id in quality.flags:
            table.add_note(
                f"{view.ref or ''} {view.action[:120]} ({view.owner or 'no owner'}): "
                f"{quality.reasons(view.id)}".strip()
            )
    table.finish()


@dataclass(frozen=True)
class KeyRow:
    plans: str
    rating: str
    meaning: str


def key_sheet(
    workbook: Workbook, styles: Styles, keys: Sequence[tuple[str, RagKey]], footer: Footer
) -> None:
    """Each RAG key the paper's plans use: the rating (symbol and word, in its colour) and what
    it means for that plan."""
    columns = (
        Column("Plans", 24, "text", attrgetter("plans")),
        Column("Rating", 14, "rag", attrgetter("rating")),
        Column("What it means", 80, "text", attrgetter("meaning")),
    )
    table = Table(workbook, styles, KEY, columns, footer)
    for plans, key in keys:
        for rating, meaning in key.lines():
            table.add(KeyRow(plans or "Every plan in this paper", rating, meaning))
    table.finish()
