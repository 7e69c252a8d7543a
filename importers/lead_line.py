"""An action cell that names its lead on its own last line ("…protocol\nLead: Board Manager").

Word plans with no owner column often write the lead under the action, in the same cell.
That line is the action's owner, not part of what is to be done, when no owner column gives
one. Its label is any owner header word ("Lead", "Lead officer", "Responsible agency",
"Owner(s)", importers.headers), so the two never disagree.
"""

from __future__ import annotations

from importers.headers import field_for

# A label is a header's length: "Lead:" yes, a sentence with a colon in it no.
_MAX_LABEL = 40


def split_lead_line(action: str) -> tuple[str, str | None]:
    """(the action without its last line, the lead that line names), or (action, None) when
    its last line names no lead. Only a line under some action text counts."""
    body, newline, last = action.rpartition("\n")
    label, colon, lead = last.partition(":")
    body, lead = body.strip(), lead.strip()
    if not (newline and colon and body and lead) or len(label) > _MAX_LABEL:
        return action, None
    if field_for(label) != "lead":
        return action, None
    return body, lead
