"""Text from plan files and from people, shown as text: never a link, an image, HTML or formatting.

Streamlit renders Markdown (GitHub-flavoured, plus emoji and icon shortcodes, coloured-text
directives and LaTeX) in `st.markdown`, `st.subheader`, `st.caption`, `st.info` and the like, in
toasts, in tooltips (`help=`) and in the labels of widgets and buttons. Text from a plan file or
typed by a user goes into any of them through `md()`. Select box and multiselect options,
`st.text`, `st.code` and dataframe cells are plain text already: give them the text as it is.
"""

from __future__ import annotations

import html
import re
import string
from urllib.parse import urlsplit

# CommonMark lets any ASCII punctuation character be backslash-escaped, and an escaped
# character is always shown as itself. That covers [ ] ( ) ! < > * _ ` # | ~ $ \ & : and the
# list, heading, table, quote and line-break markers.
_ESCAPED = {ord(c): "\\" + c for c in string.punctuation}

# Invisible and not a space: it keeps the escaped text from forming a bare-URL, www. or e-mail
# autolink, which GitHub-flavoured Markdown makes from plain text after the escapes are read,
# and an emoji or icon shortcode (":name:") or a typographic arrow ("->").
WORD_JOINER = "\u2060"
_JOIN_AFTER = re.compile(r"(?<=[:@])|(?<=\bwww)(?=\.)|(?<=[<>~-])(?=[<>=-])", re.IGNORECASE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def md(text: object) -> str:
    """`text` as Markdown that shows exactly what was written (None shows as nothing).

    Each line keeps its line break; leading spaces are dropped (an indented line would
    otherwise become a code block).
    """
    if text is None:
        return ""
    lines = _LINE_BREAK.split(str(text))
    return "  \n".join(
        _JOIN_AFTER.sub(WORD_JOINER, line.lstrip()).translate(_ESCAPED) for line in lines
    )


# In an HTML block Markdown is not read, but these stay inert even if text ever lands outside one:
# HTML's own characters, the Markdown link, image, emphasis, code, heading, table, strike-through
# and LaTeX characters, and ":" and "@" (autolinks, shortcodes).
_HTML_ESCAPED = {ord(c): f"&#{ord(c)};" for c in "&<>\"'[]()!*_`#|~$\\:@"}


def html_text(text: object) -> str:
    """`text` for an HTML block shown with `unsafe_allow_html=True`: tags, entities and Markdown
    shown as written, each line break as <br> (a blank line would end the HTML block)."""
    if text is None:
        return ""
    return _LINE_BREAK.sub("<br>", str(text).translate(_HTML_ESCAPED))


def chart_text(text: object) -> str:
    """`text` for a Plotly label or hover text: Plotly reads <a href>, <b>, <br>… in them."""
    return html.escape("" if text is None else str(text), quote=False)


def https_url(text: str | None) -> str | None:
    """`text` if it is a plain https address (what an evidence link must be), else None."""
    if not text:
        return None
    link = text.strip()
    if any(c.isspace() or c in '<>"`\\' or ord(c) < 32 for c in link):
        return None
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or not parts.hostname:
        return None
    return link


def md_link(url: str | None) -> str:
    """An evidence link: a https address shown as itself (a CommonMark autolink, so the text
    read is the address opened); anything else shown as text, not a link."""
    link = https_url(url)
    return f"<{link}>" if link else md(url)
