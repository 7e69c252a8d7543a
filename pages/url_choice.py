"""A page's chosen item kept in its address (?action=12), so a link opens that item.

A link's choice is applied once, when the address names an item the page did not write itself;
after that the select box wins, and the address follows it. Applying the address on every rerun
would undo whatever the user picked after arriving by a link.
"""

from collections.abc import Collection

import streamlit as st


def _written_key(key: str) -> str:
    return f"{key}__address"


def choose_from_address(param: str, key: str, options: Collection[int]) -> None:
    """Sets the select box `key` to the item the address names, if the address is new to this
    page and names one of `options`; else keeps the current choice, or the first option."""
    wanted = st.query_params.get(param)
    if wanted != st.session_state.get(_written_key(key)):
        st.session_state[_written_key(key)] = wanted
        if wanted and wanted.isdigit() and int(wanted) in options:
            st.session_state[key] = int(wanted)
            return
    if st.session_state.get(key) not in options:
        st.session_state[key] = next(iter(options))


def keep_in_address(param: str, key: str, chosen: int) -> None:
    """Writes the chosen item into the address (a link to share, a reload that keeps it)."""
    st.query_params[param] = str(chosen)
    st.session_state[_written_key(key)] = str(chosen)
