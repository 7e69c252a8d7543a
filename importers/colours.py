"""RAG from a cell's fill colour, for trackers that colour the cell and type nothing."""

from __future__ import annotations

import colorsys
import re

from lxml import etree
from openpyxl.styles.colors import COLOR_INDEX

from rulebook.rag import Rag

# Office's default theme, in the order theme indices use (lt1, dk1, lt2, dk2, accent1..6).
_OFFICE_THEME = (
    "FFFFFF",
    "000000",
    "E7E6E6",
    "44546A",
    "4472C4",
    "ED7D31",
    "A5A5A5",
    "FFC000",
    "5B9BD5",
    "70AD47",
)

# Excel's theme indices put the light colours first: lt1, dk1, lt2, dk2, accents.
_THEME_ORDER = ("lt1", "dk1", "lt2", "dk2", *(f"accent{i}" for i in range(1, 7)))
# A theme part is about 10 KB; one far larger is not a theme to read colours from.
_MAX_THEME_BYTES = 1024 * 1024
_HEX_COLOUR = re.compile(r"[0-9A-Fa-f]{6}")


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


def theme_colours(theme_xml: bytes | str | None) -> tuple[str, ...]:
    """The workbook theme's colours in theme-index order, or Office's defaults.

    The theme part is parsed as XML (lazy regular expressions over it took time growing with
    the square of its size when an opening tag was never closed).
    """
    if not theme_xml or len(theme_xml) > _MAX_THEME_BYTES:
        return _OFFICE_THEME
    data = theme_xml.encode("utf-8") if isinstance(theme_xml, str) else theme_xml
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return _OFFICE_THEME
    scheme = next(root.iter("{*}clrScheme"), None)
    found: dict[str, str] = {}
    for slot in scheme if scheme is not None else ():
        name = etree.QName(slot).localname if isinstance(slot.tag, str) else ""
        colour = _slot_colour(slot) if name in _THEME_ORDER else None
        if colour:
            found[name] = colour
    if len(found) < len(_THEME_ORDER):
        return _OFFICE_THEME
    return tuple(found[name] for name in _THEME_ORDER)


def _slot_colour(slot) -> str | None:
    """The first RGB colour given in a theme slot: <srgbClr val=…> or <sysClr lastClr=…>."""
    for element in slot.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname == "srgbClr":
            value = element.get("val", "")
            if _HEX_COLOUR.fullmatch(value):
                return value
        value = element.get("lastClr", "")
        if _HEX_COLOUR.fullmatch(value):
            return value
    return None


def _tinted(rgb: str, tint: float) -> str:
    """Excel's tint: lighten (positive) or darken (negative) a colour's HLS lightness."""
    if not tint:
        return rgb
    try:
        red, green, blue = (int(rgb[-6:][i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return rgb
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    lightness = lightness * (1 + tint) if tint < 0 else lightness * (1 - tint) + tint
    out = colorsys.hls_to_rgb(hue, min(max(lightness, 0.0), 1.0), saturation)
    return "".join(f"{round(v * 255):02X}" for v in out)


def rag_from_fill(fill: object, theme: tuple[str, ...] = _OFFICE_THEME) -> Rag | None:
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
    if kind == "theme" and isinstance(colour.theme, int) and 0 <= colour.theme < len(theme):
        tint = getattr(colour, "tint", 0.0) or 0.0
        return rag_from_rgb(_tinted(theme[colour.theme], float(tint)))
    return None
