"""RAG from a cell's fill colour, for trackers that colour the cell and type nothing."""

from __future__ import annotations

import colorsys

from openpyxl.styles.colors import COLOR_INDEX

from plan.rules.rag import Rag

# Office's default theme, in the order theme indices use (dk1, lt1, dk2, lt2, accent1..6).
_OFFICE_THEME = (
    "000000",
    "FFFFFF",
    "44546A",
    "E7E6E6",
    "4472C4",
    "ED7D31",
    "A5A5A5",
    "FFC000",
    "5B9BD5",
    "70AD47",
)


def rag_from_rgb(rgb: str) -> Rag | None:
    """The RAG family a colour belongs to, or None for greys, whites and other hues."""
    rgb = rgb[-6:]
    try:
        red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return None
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    if saturation < 0.25 or lightness < 0.12 or lightness > 0.93:
        return None
    degrees = hue * 360
    if degrees < 15 or degrees >= 330:
        return Rag.RED
    if degrees < 65:
        return Rag.AMBER  # orange, amber and yellow are all "amber" on a RAG tracker
    if degrees < 170:
        return Rag.GREEN
    if degrees < 260:
        return Rag.BLUE
    return None


def rag_from_fill(fill: object) -> Rag | None:
    """Read a solid fill's colour, whether given as RGB, an indexed colour or a theme colour."""
    if getattr(fill, "patternType", None) != "solid":
        return None
    colour = getattr(fill, "fgColor", None)
    if colour is None:
        return None
    kind = getattr(colour, "type", None)
    if kind == "rgb" and isinstance(colour.rgb, str):
        return rag_from_rgb(colour.rgb)
    if kind == "indexed" and isinstance(colour.indexed, int) and colour.indexed < len(COLOR_INDEX):
        return rag_from_rgb(COLOR_INDEX[colour.indexed])
    if kind == "theme" and isinstance(colour.theme, int) and colour.theme < len(_OFFICE_THEME):
        return rag_from_rgb(_OFFICE_THEME[colour.theme])
    return None
