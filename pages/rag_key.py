"""The plans' own RAG key, shown small under the Overview's figures and in the update form."""

from __future__ import annotations

import streamlit as st

from pages.common import PageData
from pages.text import md
from plan.queries.plan_settings import plan_settings, rag_keys_shown
from rulebook.rag_key import RagKey


def key_markdown(key: RagKey) -> str:
    return "  \n".join(f"**{label}**: {md(meaning)}" for label, meaning in key.lines())


def show_rag_key(data: PageData, plan_id: int | None) -> None:
    """A small "RAG key" section: the key of each plan shown (one when they share it)."""
    keys = rag_keys_shown(data.query(plan_settings, plan_id=plan_id))
    with st.expander("RAG key: what each rating means", icon=":material/info:"):
        for plans, key in keys:
            if plans:
                st.markdown(f"*{md(plans)}*")
            st.markdown(key_markdown(key))
