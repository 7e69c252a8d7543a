"""The few style rules the theme (.streamlit/config.toml) cannot set, each for a measured reason.

Streamlit draws keyboard focus as a ring of the theme's primary colour at 50% opacity, which is
2.27:1 against white (WCAG 2.2 asks at least 3:1 of a focus indicator), and Streamlit 1.67 has no
theme option for it. `focus_style` draws the ring in the primary colour itself (6.4:1 on white,
5.8:1 on the sidebar's grey) as an outline, which forced-colours modes keep. Text fields already
show focus by their border in the opaque primary colour, so they are left alone.
"""

from __future__ import annotations

import streamlit as st

DEFAULT_PRIMARY = "#1F5FAD"
FOCUSABLE = (
    'button, a, summary, [role="button"], [role="tab"], [role="radio"], [role="checkbox"], '
    '[role="option"], [tabindex]:not(input):not(textarea)'
)
# Radios and checkboxes take focus on a visually hidden input: outline the label around it.
HIDDEN_INPUT_LABEL = 'label:has(input:is([type="radio"], [type="checkbox"]):focus-visible)'


def focus_css(primary: str) -> str:
    ring = (
        f"outline: 3px solid {primary} !important; outline-offset: 2px; "
        "box-shadow: none !important;"
    )
    return f":is({FOCUSABLE}):focus-visible, {HIDDEN_INPUT_LABEL} {{ {ring} }}"


def focus_style() -> None:
    """Every page: an opaque focus ring (see the module docstring)."""
    primary = st.get_option("theme.primaryColor") or DEFAULT_PRIMARY
    st.html(f"<style>{focus_css(str(primary))}</style>")


def hide(*keys: str) -> None:
    """Hide the elements with these widget or container keys: out of sight and out of the
    accessibility tree (display: none), still on the page (a button's shortcut still works)."""
    selectors = ", ".join(f".st-key-{key}" for key in keys)
    st.html(f"<style>{selectors} {{ display: none !important; }}</style>")
