"""A plan's own settings as pages read them: its RAG key and whether updates are reviewed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from plan.models import Action, Plan
from rulebook.rag_key import DEFAULT_KEY, RagKey, rag_key_from


@dataclass(frozen=True)
class PlanSettings:
    plan_id: int
    plan: str
    rag_key: RagKey
    review_required: bool


def plan_settings(session: Session, plan_id: int | None = None) -> list[PlanSettings]:
    """Every plan's settings (or one plan's), by name."""
    query = select(Plan.id, Plan.name, Plan.rag_key, Plan.review_required).order_by(Plan.name)
    if plan_id is not None:
        query = query.where(Plan.id == plan_id)
    return [
        PlanSettings(id_, name, rag_key_from(key), review)
        for id_, name, key, review in session.execute(query)
    ]


def settings_for_action(session: Session, action_id: int) -> PlanSettings | None:
    plan_id = session.scalar(select(Action.plan_id).where(Action.id == action_id))
    found = plan_settings(session, plan_id) if plan_id is not None else []
    return found[0] if found else None


def rag_keys_shown(settings: list[PlanSettings]) -> list[tuple[str, RagKey]]:
    """The keys to show for these plans: one per distinct key, named by its plans ("All
    plans" when they share one), the default when there are none."""
    by_key: dict[RagKey, list[str]] = {}
    for setting in settings:
        by_key.setdefault(setting.rag_key, []).append(setting.plan)
    if not by_key:
        return [("", DEFAULT_KEY)]
    if len(by_key) == 1:
        return [("", next(iter(by_key)))]
    return [(", ".join(plans), key) for key, plans in by_key.items()]
