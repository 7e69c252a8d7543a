"""A failure nobody expected (the database refusing, a bug): the log gets the whole error under a
short reference; the page shows one sentence with that reference and never the error's own text.

Errors written for users (a refused permission, a form to fix, a busy database) are shown as
they are; `client.showErrorDetails = "none"` (.streamlit/config.toml) redacts anything uncaught.
"""

from __future__ import annotations

import logging
import secrets

import streamlit as st

LOGGER = logging.getLogger("tracker.pages")
if not logging.getLogger("tracker").handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("tracker").addHandler(_handler)


def new_reference() -> str:
    """Six hex characters: short enough to read out, enough to find the line in the log."""
    return secrets.token_hex(3)


def report_failure(doing: str, *, outcome: str = "Nothing was saved.") -> str:
    """Log the exception being handled under a new reference, show only the reference.

    Call it in an `except` block; `doing` says what failed in the log ("Saving an update").
    """
    reference = new_reference()
    LOGGER.exception("%s failed (ref %s)", doing, reference)
    st.error(
        f"Something went wrong (ref {reference}). {outcome} Please try again; if it happens "
        "again, give the reference to the person who runs the tracker."
    )
    return reference
