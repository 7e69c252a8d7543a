"""Typed read queries. Every figure is aggregated in SQL, and "today" is always a parameter.

Split by purpose: `state` (each action as at a date, the shared selection), `rollups`
(counts, movement, objectives, owners, trends), `action_lists` (tables, one action, the
meeting's exceptions), `overview`, `changes`, `options` (filter choices) and `version`.
"""

from plan.queries.action_lists import (
    ActionDetail,
    ActionView,
    HistoryEntry,
    ListOptions,
    OffTrack,
    OverdueCounts,
    action_detail,
    action_views,
    exceptions_of,
    meeting_exceptions,
    off_track_actions,
    overdue_actions,
    overdue_counts,
)
from plan.queries.changes import ChangeRow, changes_between
from plan.queries.options import (
    ObjectiveOption,
    PlanOption,
    action_options,
    objective_options,
    owner_options,
    plan_options,
)
from plan.queries.overview import Overview, plan_overview
from plan.queries.rollups import (
    MovementCounts,
    ObjectiveRollup,
    ObjectiveTrend,
    OwnerSummary,
    PlanRollup,
    RagCounts,
    due_soon_count,
    movement,
    objective_rollups,
    objective_trends,
    overdue_count,
    owner_summaries,
    plan_rollups,
    rag_counts,
    updates_between,
    worst_first,
)
from plan.queries.state import (
    ALL,
    Selection,
    end_of_day,
    latest_updates,
    newest_import_ids,
    newest_update_ids,
    newest_updates,
)
from plan.queries.version import data_version
from rulebook.overdue import DUE_SOON_DAYS

__all__ = [
    "ALL",
    "DUE_SOON_DAYS",
    "ActionDetail",
    "ActionView",
    "ChangeRow",
    "HistoryEntry",
    "ListOptions",
    "MovementCounts",
    "ObjectiveOption",
    "ObjectiveRollup",
    "ObjectiveTrend",
    "OffTrack",
    "OverdueCounts",
    "Overview",
    "OwnerSummary",
    "PlanOption",
    "PlanRollup",
    "RagCounts",
    "Selection",
    "action_detail",
    "action_options",
    "action_views",
    "changes_between",
    "data_version",
    "due_soon_count",
    "end_of_day",
    "exceptions_of",
    "latest_updates",
    "meeting_exceptions",
    "movement",
    "newest_import_ids",
    "newest_update_ids",
    "newest_updates",
    "objective_options",
    "objective_rollups",
    "objective_trends",
    "off_track_actions",
    "overdue_actions",
    "overdue_count",
    "overdue_counts",
    "owner_options",
    "owner_summaries",
    "plan_options",
    "plan_overview",
    "plan_rollups",
    "rag_counts",
    "updates_between",
    "worst_first",
]
