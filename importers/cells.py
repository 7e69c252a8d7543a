"""What a person reads in one cell: its text, and whether it is a heading, a ref or a ruled line."""

from __future__ import annotations

import datetime as dt
import re

from rulebook.text import clean_text

_KEYWORD = (
    r"(?:strategic\s+)?(?:objective|obj\b\.?|priority|theme|workstream|outcome|aim|goal|strand|pillar)s?"
    r"(?:\s+areas?)?"
)
# Whatever the partnership calls it: "Partnership Objective 2:", "Our Priority 1 –". At most two
# capitalised words ("Review the outcome: …" is a sentence), each followed by one space run:
# the pattern stays linear however long the text.
_PREFIX = r"(?:(?-i:[A-Z])[^\W\d_]{0,29}\s+){0,2}?"
# "Objective 2 – Communication", "Strategic Objective: Victims", "Priority 1: Prevention",
# "Obj. 1 Prevention" (the abbreviation's full stop ends the word as well as a space does).
_SECTION = re.compile(
    rf"^\s*{_KEYWORD}(?:\b|(?<=\.))\s*(?P<ref>\d+[a-z]?)?\s*(?:[:.–—-]\s*)?(?P<title>.*)$",
    re.IGNORECASE | re.DOTALL,
)
# The same, but only with a number or a separator after the keyword: safe outside the table.
# "Section A: …", "Section 2 – …" too, with its separator ("Section 17 of the Act" is a sentence).
_STRICT_SECTION = re.compile(
    rf"^\s*{_PREFIX}(?:{_KEYWORD}\s*(?:\d+[a-z]?\b\s*(?:[:.–—-]\s*)?|(?:(?-i:[A-Z])\s*)?[:.–—-]\s*)"
    r"|section\s+(?:\d+[a-z]?|(?-i:[A-Z]))\s*[:.–—-]\s*)\S",
    re.IGNORECASE,
)
# A heading that is only its keyword and number, with no title: "Obj. 2", "Objective 3",
# "Priority Area 4:". Matched against text stripped at its end, with one whitespace run before
# the optional mark: two runs side by side ("\s*[:.-]?\s*$") are tried against each other, in
# time quadratic in a long run of blank lines.
_BARE_SECTION = re.compile(
    rf"^\s*{_PREFIX}{_KEYWORD}(?:\b|(?<=\.))\s*(?P<ref>\d+[a-z]?)(?:\s*[:.–—-])?$",
    re.IGNORECASE,
)
_OBJECTIVE_REF = re.compile(
    rf"^\s*(?:{_PREFIX}(?:{_KEYWORD}|section)\s*)?(?P<ref>(?-i:[A-Z]{{0,2}})\d+[a-z]?|(?-i:[A-Z]))"
    r"\s*[:.–—-]\s*(?P<title>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
# An objective cell led by its code, then its title with no separator: "P1 Safer streets",
# "SO2 Victims". The code has letters and a number and the title a capital, so "2 campaigns"
# or "Q3 position" are no code and title.
_CODE_THEN_TITLE = re.compile(r"(?P<ref>[A-Z]{1,3}\d{1,2}[a-z]?) (?P<title>[A-Z].*)", re.DOTALL)
# "1.1", "A3", "2b", "P1.3", and a system's own codes: "VAWG-01", "CSE 2.1", "DA-3".
_REF_LIKE = re.compile(
    r"^(?:[A-Za-z]{0,3}\s?|[A-Z]{2,6}[-\s]|[A-Za-z]{1,3}-)\d+(?:\.\d+)*[a-z]?\.?$"
)
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?%?$")
# Cell text is untrusted: every pattern searched through it must take time linear in its length.
# So a whitespace run is tried from its start only, not from each of its characters, and a tag
# stops at the next "<" (with "[^>]*", "<p<p<p…" rescanned the rest of the text from every "<").
_DESCRIPTION_BREAK = re.compile(r"(?<!\s)\s{2,}(?=[A-Z])")
_TAG = re.compile(r"<[^<>]+>")
# Formatting tags that text copies of Word tables carry (<b>, <p>, <a href=…>), not "<5 days".
_HTML = re.compile(r"</?(?:p|b|i|u|em|strong|span|a|br|div|font)\b[^<>]*>", re.IGNORECASE)
# Blank lines before the mark are left for the callers, who collapse whitespace anyway:
# "^\s*#" tried from every line start of a run of blank lines, each time to its end.
_MARKDOWN_HEADING = re.compile(r"^[ \t]*#{1,6}\s+", re.MULTILINE)
_EMPHASIS = re.compile(r"\*\*|__")
_RULE = re.compile(r"^[-=_:|+\s]+$")
_SPACES = re.compile(r"[ \t]+")


def cell_text(value: object) -> str:
    """A cell as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, str):
        if "<" in value:
            value = _HTML.sub("", value)
        # Control characters (a Word cell's end mark \x07, an old system's \x01) show as
        # nothing: a cell of them alone is empty, not an action whose text cleans to "".
        return clean_text(value).strip()
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def split_objective(text: str) -> tuple[str | None, str]:
    """("2", "Communication") from "Objective 2 – Communication"; (None, text) otherwise."""
    text = _SPACES.sub(" ", text.strip())
    if bare := _BARE_SECTION.match(text.rstrip()):
        # No title to split off: the ref is read, and the heading as written stays the title
        # (an objective needs one, and the tracker never invents it): "Obj. 2" -> ("2", "Obj. 2").
        return bare["ref"], text.rstrip(":.–—- ")
    match = _OBJECTIVE_REF.match(text)
    if match:
        return match["ref"], match["title"].strip()
    section = _SECTION.match(text)
    if section and section["title"].strip():
        return section["ref"], section["title"].strip()
    if coded := _CODE_THEN_TITLE.fullmatch(text):
        return coded["ref"], coded["title"].strip()
    return None, text


# A section of a tracker by how far its actions have got, not by what they are for: "Completed
# actions", "Actions closed this quarter", "Closed items", "Live actions". It heads rows (or
# names a sheet) but is no objective.
_STATUS_SECTION = re.compile(
    r"\W{0,3}(?:(?:completed|closed|finished|achieved|archived|delivered|live|open|current"
    r"|ongoing|outstanding)\s+(?:actions?|items?|tasks?|activities|recommendations?)"
    r"|(?:actions?|items?|tasks?)\s+(?:now\s+)?(?:completed|complete|closed|achieved))"
    # Only a time may follow ("… this quarter", "… in 2017/18", "… (Q2)"): "Closed actions
    # are reviewed yearly" is a sentence, "Complete actions from the DHR" an action.
    r"(?:\s*[–—:-]?\s+(?:(?:this|last|in)\s+)?"
    r"(?:quarter|year|month|q[1-4]|\(?[\w/ -]{0,12}\d{2}\)?)"
    r"|\s*\([^()]{0,20}\))?\W{0,3}",
    re.IGNORECASE,
)


def is_status_section(text: str) -> bool:
    """A heading that groups actions by progress ("Completed actions"), not an objective."""
    return len(text) <= 80 and bool(_STATUS_SECTION.fullmatch(clean_markup(text).strip()))


def objective_of_heading(text: str) -> tuple[str | None, str | None]:
    """The objective a heading sets, and its description: none under "Completed actions"."""
    return (None, None) if is_status_section(text) else split_heading(text)


def split_heading(text: str) -> tuple[str, str | None]:
    """A heading cell's objective and the description written after it, if any.

    "Strategic Objective: Victims  To provide support…" or the same on two lines gives
    ("Strategic Objective: Victims", "To provide support…").
    """
    text = clean_markup(text)
    first, _, rest = text.partition("\n")
    section = _SECTION.match(first)
    start = section.start("title") + 1 if section else 1
    # Searched in a slice, so that a run of spaces going on from `start` counts from there.
    found = _DESCRIPTION_BREAK.search(first[start:])
    if found and len(first) - (start + found.end()) >= 12:
        rest = (first[start + found.end() :] + "\n" + rest).strip()
        first = first[: start + found.start()]
    description = re.sub(r"\s+", " ", rest).strip() or None
    return first.strip(), description


def clean_markup(text: str) -> str:
    """Text as a reader sees it: HTML tags and Markdown emphasis and heading marks removed
    (text copies of Word tables carry them); two emphasised spans glued together become two
    lines ("**Victims****To provide…**")."""
    text = _TAG.sub("", text.replace("****", "**\n**"))
    text = _MARKDOWN_HEADING.sub("", text)
    return _EMPHASIS.sub("", text).strip()


def is_strict_heading(text: str) -> bool:
    """An objective heading with a number or a separator: "Objective 2 – Communication", or
    only its keyword and number: "Obj. 2", "Objective 3"."""
    text = clean_markup(text)
    return bool(_STRICT_SECTION.match(text) or _BARE_SECTION.match(text.rstrip()))


def names_section(text: str) -> bool:
    """Starts with an objective keyword ("Priority", "Theme…"): a heading inside the table."""
    return bool(_SECTION.match(clean_markup(text)))


def is_ref_like(text: str) -> bool:
    """A reference number such as "1.1", "A3" or "2b"."""
    return bool(_REF_LIKE.match(text))


def is_rule(text: str) -> bool:
    """Dashes, equals signs and bars: a ruled line drawn in text, not data."""
    return bool(_RULE.match(text))


def looks_numeric(value: object) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return bool(_NUMBER.match(cell_text(value)))
