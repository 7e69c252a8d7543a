"""A header written over two rows: a group row above the real sub-headers.

"Delivery" and "Progress report Q2 2018/19" above "Lead | Deadline" and "RAG | Update", the
group cells often merged across their columns, and some cells (Ref, Action) merged down over
both rows: read as one header whose labels are joined ("Progress report Q2 2018/19 / RAG"),
not as a header followed by a junk row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from importers.cells import cell_text, is_strict_heading, looks_numeric
from importers.headers import Override, header_score, lookup_field, normalise_header
from importers.sheet import Sheet

# Header cells are short labels; a longer cell is data.
_LABEL_CHARS = 60
JOIN = " / "


@dataclass(frozen=True)
class HeaderRows:
    """The header's rows (first to last, inclusive) and each column's label."""

    first: int
    last: int
    labels: list[str]  # what each column is called, group and sub-header joined
    keys: list[str]  # the label that names a field, for matching header words


def single_row(rows: Sequence[Sequence[object]], index: int) -> HeaderRows:
    labels = [" ".join(cell_text(c).split()) for c in rows[index]]
    return HeaderRows(index, index, labels, labels)


def header_rows(sheet: Sheet, index: int, override: Override | None) -> HeaderRows:
    """The header at `index`, joined with the row above or below when they are one header."""
    rows = sheet.rows
    alone = single_row(rows, index)
    best, best_score = alone, header_score(alone.keys, override)
    for top in (index - 1, index):
        if top < 0 or top + 1 >= len(rows):
            continue
        other = top if top != index else top + 1
        if not _labels_only(rows[other]):
            continue
        joined = _joined(sheet, top, override)
        score = header_score(joined.keys, override)
        # An equal score may still join: a group row "RAG rating" over "Jun-17 | Sep-17"
        # names no new field but dates the columns (_is_better).
        if score >= best_score > 0 and _is_better(joined, alone, override):
            best, best_score = joined, score
    return best


def label_row(rows: Sequence[Sequence[object]], scan: int = 30) -> int | None:
    """The first of the first `scan` non-empty rows made of three or more short labels (and
    not the header of a glossary, contacts or version table): a header in unknown words."""
    from importers.legend import starts_other_table

    seen = 0
    for index, row in enumerate(rows):
        texts = [cell_text(c) for c in row]
        if not any(texts):
            continue
        seen += 1
        if seen > scan:
            return None
        if sum(1 for t in texts if t) >= 3 and _labels_only(row) and not starts_other_table(texts):
            return index
    return None


def _labels_only(row: Sequence[object]) -> bool:
    texts = [cell_text(c) for c in row if cell_text(c)]
    return bool(texts) and all(
        len(t) <= _LABEL_CHARS and not looks_numeric(t) and not is_strict_heading(t) for t in texts
    )


def _is_better(joined: HeaderRows, alone: HeaderRows, override: Override | None) -> bool:
    """Joining must name more fields than the row alone, the action among them, or name
    period columns the row alone does not ("RAG rating" over "Jun-17 | Sep-17")."""
    from importers.headers import map_columns
    from importers.period_headers import period_columns

    fields = set(map_columns(joined.keys, override).values())
    if "action" not in fields:
        return False
    alone_fields = set(map_columns(alone.keys, override).values())
    return len(fields) > len(alone_fields) or (
        fields >= alone_fields
        and len(period_columns(joined.labels)) > len(period_columns(alone.labels))
    )


def _joined(sheet: Sheet, top: int, override: Override | None) -> HeaderRows:
    rows = sheet.rows
    upper = [" ".join(cell_text(c).split()) for c in rows[top]]
    lower = [" ".join(cell_text(c).split()) for c in rows[top + 1]]
    width = max(len(upper), len(lower))
    upper += [""] * (width - len(upper))
    lower += [""] * (width - len(lower))
    groups = _group_labels(sheet, top, upper, lower)
    labels, keys = [], []
    for column in range(width):
        group, sub = groups[column], lower[column]
        labels.append(JOIN.join(t for t in (group, sub) if t))
        keys.append(_key(group, sub, override))
    return HeaderRows(top, top + 1, labels, keys)


def _group_labels(sheet: Sheet, top: int, upper: list[str], lower: list[str]) -> list[str]:
    """Each column's group label: a cell merged across its columns, or (with no merges, as
    in a CSV) the label carried right over the empty cells above further sub-headers."""
    groups = list(upper)
    across = [m for m in sheet.merges if m[0] == top and m[3] > m[1]]
    for _, first_col, _, last_col in across:
        for column in range(first_col + 1, min(last_col, len(groups) - 1) + 1):
            groups[column] = groups[column] or upper[first_col]
    if not across:
        for column in range(1, len(groups)):
            if not upper[column] and lower[column] and lower[column - 1] and groups[column - 1]:
                groups[column] = groups[column - 1]
    return groups


def _key(group: str, sub: str, override: Override | None) -> str:
    """The label that names the column's field: the sub-header's own words when they name one,
    else the joined label, else the group's (a cell merged down both rows has no sub-header)."""
    for text in (sub, f"{group} {sub}".strip(), group if not sub else ""):
        key = normalise_header(text)
        if key and ((override and key in override) or lookup_field(key)):
            return text
    return JOIN.join(t for t in (group, sub) if t)
