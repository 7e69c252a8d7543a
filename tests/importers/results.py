"""What the importer tests compare: a read file's rows, column roles and issues as tuples."""

from __future__ import annotations

import io

from openpyxl import Workbook


def summary(result):
    """Each row as (objective ref, objective, ref, action, owners, ISO deadline, RAG, progress)."""
    return [
        (
            r.objective_ref,
            r.objective,
            r.ref,
            r.action,
            r.owners,
            r.deadline.isoformat() if r.deadline else None,
            r.rag,
            r.progress,
        )
        for r in result.rows
    ]


def issues(result):
    return [(i.row, i.message, i.skipped) for i in result.issues]


def roles(result):
    return [(c.header, c.role, c.reason) for c in result.column_roles]


def save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
