"""A plan's own RAG key: what each rating means as that partnership writes it.

Default: the definitions most UK partnership plans use. A plan may say it does not use Blue
(complete actions are then described as complete, not as a colour of their own).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rulebook.rag import Rag, rag_label

MAX_DEFINITION = 500

DEFAULT_DEFINITIONS: dict[Rag, str] = {
    Rag.RED: "Off track: the action will not be delivered on time or as planned without "
    "intervention; the board needs to act.",
    Rag.AMBER: "At risk: there is slippage or a risk to delivery, but a remedy is in hand.",
    Rag.GREEN: "On track: progressing as planned and expected to be delivered on time.",
    Rag.BLUE: "Complete: delivered.",
}


@dataclass(frozen=True)
class RagKey:
    definitions: Mapping[Rag, str] = field(default_factory=lambda: dict(DEFAULT_DEFINITIONS))
    uses_blue: bool = True

    def __hash__(self) -> int:  # the definitions are a mapping: hash its items
        return hash((tuple(sorted(self.definitions.items())), self.uses_blue))

    @property
    def ratings(self) -> tuple[Rag, ...]:
        """The ratings the plan uses, worst first."""
        return tuple(r for r in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE) if self.uses(r))

    def uses(self, rag: Rag) -> bool:
        return rag is not Rag.BLUE or self.uses_blue

    def meaning(self, rag: Rag) -> str:
        return self.definitions.get(rag) or DEFAULT_DEFINITIONS[rag]

    def lines(self) -> list[tuple[str, str]]:
        """(the rating as shown, with symbol and word; its definition), worst first."""
        shown = [(rag_label(rag), self.meaning(rag)) for rag in self.ratings]
        if not self.uses_blue:
            shown.append(("Complete", "Blue is not used: complete actions are shown as complete."))
        return shown

    @property
    def is_default(self) -> bool:
        return self == RagKey()

    def stored(self) -> dict[str, Any]:
        return {
            "definitions": {rag.value: self.meaning(rag) for rag in Rag},
            "uses_blue": self.uses_blue,
        }


DEFAULT_KEY = RagKey()


class RagKeyError(ValueError):
    """A key that cannot be saved; the message says why in one sentence."""


def rag_key_from(stored: Mapping[str, Any] | None) -> RagKey:
    """The key as the database holds it (JSON), or the default for none."""
    if not stored:
        return DEFAULT_KEY
    written = stored.get("definitions") or {}
    definitions = {
        rag: str(written[rag.value]).strip() or DEFAULT_DEFINITIONS[rag]
        for rag in Rag
        if written.get(rag.value)
    }
    return RagKey({**DEFAULT_DEFINITIONS, **definitions}, bool(stored.get("uses_blue", True)))


def make_rag_key(definitions: Mapping[Rag, str], uses_blue: bool) -> RagKey:
    """A key from what an officer typed: every used rating needs a definition."""
    cleaned = {rag: " ".join(str(text).split()) for rag, text in definitions.items()}
    for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE):
        if rag is Rag.BLUE and not uses_blue:
            continue
        if not cleaned.get(rag):
            raise RagKeyError(f"Say what {rag.value} means for this plan.")
        if len(cleaned[rag]) > MAX_DEFINITION:
            raise RagKeyError(f"Keep the {rag.value} definition under {MAX_DEFINITION} characters.")
    return RagKey({**DEFAULT_DEFINITIONS, **{r: t for r, t in cleaned.items() if t}}, uses_blue)
