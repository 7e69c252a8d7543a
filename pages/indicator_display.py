"""How indicator figures read on screen: a value in its unit, or why there is none."""

from __future__ import annotations

from plan.queries.indicators import Figure
from rulebook.indicators import ValueStatus


def number_text(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    if unit == "%":
        return f"{shown}%"
    if unit == "£":
        return f"£{shown}"
    if unit == "days":
        return f"{shown} days"
    return shown


def figure_text(figure: Figure, unit: str, *, target: bool = False) -> str:
    """ "27.5%", "Suppressed", "Not yet available"; a target, or "" when there is none."""
    if target:
        return number_text(figure.target, unit)
    if figure.status is None:
        return ""
    if figure.status is not ValueStatus.VALUE:
        return figure.status.value.capitalize()
    return number_text(figure.value, unit)
