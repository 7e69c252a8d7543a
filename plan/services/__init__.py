"""Writes that people make, each checked against the actor's permission here (not only in
the pages), with its audit entries in the same transaction.

`append` is the one path every progress update takes; `validation` holds what an update must
say and how sources differ; `updates` (the form), `bulk` (the grid) and `decisions` (board
decisions) are the writers people use; `history` reads updates back as people see them.
"""

from plan.audit import audit_log
from plan.auth import sign_in, sign_out, sso_sign_in
from plan.database import Busy, run_write
from plan.services.append import ActionNotFound
from plan.services.bulk import BulkRejected, BulkRow, RowProblem, record_bulk, submit_bulk
from plan.services.decisions import record_board_decision, submit_board_decision
from plan.services.history import (
    ActionHistory,
    DecisionSummary,
    UpdateSummary,
    action_history,
    latest_update,
    latest_update_id,
)
from plan.services.updates import Conflict, may_update_action, record_progress, submit_progress
from plan.services.validation import FieldError, InvalidUpdate, ProgressInput, validate_progress

__all__ = [
    "ActionHistory",
    "ActionNotFound",
    "BulkRejected",
    "BulkRow",
    "Busy",
    "Conflict",
    "DecisionSummary",
    "FieldError",
    "InvalidUpdate",
    "ProgressInput",
    "RowProblem",
    "UpdateSummary",
    "action_history",
    "audit_log",
    "latest_update",
    "latest_update_id",
    "may_update_action",
    "record_board_decision",
    "record_bulk",
    "record_progress",
    "run_write",
    "sign_in",
    "sign_out",
    "sso_sign_in",
    "submit_board_decision",
    "submit_bulk",
    "submit_progress",
    "validate_progress",
]
