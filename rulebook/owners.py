"""Owner (lead) names split out of the lead text as written in a plan."""

from __future__ import annotations

import re
import unicodedata

_PARENTHETICAL = re.compile(r"\([^()]*\)")
_SEPARATOR = re.compile(r"[/,;&\n]|\band\b|\bplus\b", re.IGNORECASE)
_LED_BY = re.compile(r"^(?:to\s+be\s+led\s+by|lead\s+by|led\s+by)\b\s*", re.IGNORECASE)
# Lists pasted from documents often keep their bullet marks.
_BULLET = re.compile(r"^[-•·*–—]+\s*")


def split_owners(lead: str | None) -> list[str]:
    """Split lead text into owner names, in order, without case-insensitive duplicates."""
    if not lead:
        return []
    text = _PARENTHETICAL.sub(" ", lead)
    owners: list[str] = []
    seen: set[str] = set()
    for part in _SEPARATOR.split(text):
        name = " ".join(part.split())
        name = _BULLET.sub("", name)
        name = _LED_BY.sub("", name)
        # Only trailing full stops go: "Safe. Strong partnership" is one name.
        name = name.rstrip(" .")
        key = owner_key(name)
        if name and key not in seen:
            seen.add(key)
            owners.append(name)
    return owners


def owner_key(name: str) -> str:
    """How owner names are matched: "KYLIE  thornton" and "Kylie Thornton" are one owner.

    Unicode-aware (NFKC, then case-folded), so "ÅSA ÖBERG" matches "Åsa Öberg" everywhere.
    Stored beside each name (`name_key` columns), so SQL matches on equality with the same
    key that Python computes: there is no SQL twin to drift (SQLite's lower() is ASCII-only).
    Changing it needs a migration that recomputes the stored keys (as 0004 filled them).
    """
    collapsed = " ".join(name.split())
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", collapsed).casefold())
