"""When an Office file was last saved, from its own core properties (docProps/core.xml).

An import uses it to tell an old copy of a plan from a newer one: rows in a file saved before
an action's newest update are not applied over it (see plan.importing).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

_CORE = "docProps/core.xml"
_MAX_CORE_BYTES = 64 * 1024  # a real core.xml is a few hundred bytes
_OPEN = "<dcterms:modified"
_CLOSE = "</dcterms:modified>"


def saved_at(data: bytes) -> dt.datetime | None:
    """The file's "last modified" time (UTC when it names no zone), or None when it has none.

    It is what the file says: the loader does not trust a time in the future.
    """
    text = _core_xml(data)
    if text is None:
        return None
    start = text.find(_OPEN)
    end = text.find(_CLOSE, start)
    if start < 0 or end < 0:
        return None
    value = text[text.find(">", start) + 1 : end].strip()
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _core_xml(data: bytes) -> str | None:
    if not data.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(_CORE)
            if info.file_size > _MAX_CORE_BYTES:
                return None
            with archive.open(info) as member:
                return member.read(_MAX_CORE_BYTES).decode("utf-8", errors="replace")
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
        return None
