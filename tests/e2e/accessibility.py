"""Accessibility checks on the rendered page: axe-core's WCAG 2.2 AA rules, split into the app's own
content and Streamlit's chrome, and colour contrast read from Chromium's computed styles.

**The rule for "the app's own content".** A page script's output is drawn inside two containers,
and nothing else is: `[data-testid="stMainBlockContainer"]` (every element a page puts in the
main area: titles, text, tables, widgets, columns, forms) and `[data-testid="stSidebarUserContent"]`
(what a page puts in the sidebar: the filters, the "Signed in as" caption). A violation whose
element is inside either (or is either) is the app's own, and fails the test. Everything else
is Streamlit's chrome, markup the app cannot change: the header and toolbar, the sidebar's page
navigation, the sidebar's collapse control, the status widget, the document itself. Chrome
violations are not ignored: each one must be listed in `KNOWN_CHROME` (and in the README, with
the Streamlit version), so a new one fails the test until someone looks at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# WCAG 2.0, 2.1 and 2.2, levels A and AA: the tags axe-core gives those rules.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
APP_CONTAINERS = '[data-testid="stMainBlockContainer"], [data-testid="stSidebarUserContent"]'

# Violations in Streamlit 1.67's own chrome, by axe rule id: where, and why the app cannot fix it.
# Keep in step with the README ("Accessibility").
KNOWN_CHROME: dict[str, str] = {
    "list": "sidebar page menu: the sections' <ul> holds <div> section headers beside its <li>s",
    "listitem": "sidebar page menu: <li> page links inside those <div>s, not in a <ul> or <ol>",
}

_AUDIT = """
async ([tags, appContainers]) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    elementRef: true,
    resultTypes: ["violations"],
  });
  return results.violations.map((rule) => ({
    id: rule.id,
    impact: rule.impact,
    help: rule.help,
    nodes: rule.nodes.map((node) => ({
      target: JSON.stringify(node.target),
      html: node.html.slice(0, 240),
      summary: node.failureSummary,
      app: Boolean(node.element && node.element.closest(appContainers)),
    })),
  }));
}
"""


@dataclass(frozen=True)
class Finding:
    rule: str
    impact: str
    help: str
    target: str
    html: str
    summary: str

    def describe(self) -> str:
        where = f"{self.rule} ({self.impact}) at {self.target}: {self.help}"
        return f"{where}\n  {self.html}\n  {self.summary}"


@dataclass
class Audit:
    """One page's violations, split by the rule in this module's docstring."""

    url: str
    app: list[Finding] = field(default_factory=list)
    chrome: list[Finding] = field(default_factory=list)

    def unknown_chrome(self) -> list[Finding]:
        return [finding for finding in self.chrome if finding.rule not in KNOWN_CHROME]


def audit(page, axe_script: Path) -> Audit:
    """Run axe-core's WCAG 2.2 AA rules on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    result = Audit(page.url)
    for rule in page.evaluate(_AUDIT, [WCAG_22_AA, APP_CONTAINERS]):
        for node in rule["nodes"]:
            finding = Finding(
                rule["id"],
                rule["impact"] or "",
                rule["help"],
                node["target"],
                node["html"],
                node["summary"] or "",
            )
            (result.app if node["app"] else result.chrome).append(finding)
    return result


# --- Colour contrast from computed styles ------------------------------------------------------

_RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")
WHITE = (255.0, 255.0, 255.0)


def parse_colour(css: str, behind: tuple[float, ...] = WHITE) -> tuple[float, ...]:
    """A computed CSS colour ("rgb(…)" or "rgba(…)"), blended over `behind` when translucent."""
    found = _RGB.search(css)
    assert found, f"not a computed colour: {css!r}"
    red, green, blue, alpha = found.groups()
    opacity = float(alpha) if alpha is not None else 1.0
    return tuple(
        opacity * float(channel) + (1 - opacity) * under
        for channel, under in zip((red, green, blue), behind, strict=True)
    )


def _luminance(colour: tuple[float, ...]) -> float:
    def linear(channel: float) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: tuple[float, ...], second: tuple[float, ...]) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# The colour a person sees marking the focused element: its outline (or, for a radio or checkbox,
# whose input is hidden, its label's); for a text field the border of the box around it;
# otherwise a ring drawn as a box shadow. Returns null when there is no indicator at all.
_FOCUS_INDICATOR = """
() => {
  const active = document.activeElement;
  if (!active || active === document.body) return null;
  const describe = (element) => ({
    tag: active.tagName, type: active.type || "", app: Boolean(active.closest(APP)),
    grid: Boolean(active.closest('[data-testid="stDataFrame"], [data-testid="stDataEditor"]')),
    name: (active.getAttribute("aria-label") || active.innerText || "").trim().slice(0, 40),
    testid: (active.closest("[data-testid]") || {dataset: {}}).dataset.testid || "",
    element,
  });
  const outlined = (element) => {
    const style = getComputedStyle(element);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
      ? {...describe("outline"), colour: style.outlineColor} : null;
  };
  const hiddenInput = ["radio", "checkbox"].includes(active.type);
  const own = outlined(hiddenInput && active.closest("label") ? active.closest("label") : active);
  if (own) return own;
  if (["INPUT", "TEXTAREA"].includes(active.tagName)) {
    for (let box = active, i = 0; box && i < 4; box = box.parentElement, i++) {
      const style = getComputedStyle(box);
      if (style.borderTopStyle === "solid" && parseFloat(style.borderTopWidth) >= 1)
        return {...describe("border"), colour: style.borderTopColor};
    }
  }
  const ring = getComputedStyle(active).boxShadow.match(/rgba?\\([^)]*\\)/);
  return ring ? {...describe("box-shadow"), colour: ring[0]} : {...describe("none"), colour: ""};
}
"""


def focus_indicator(page) -> dict | None:
    """What marks the focused element, and its colour (see _FOCUS_INDICATOR)."""
    return page.evaluate(_FOCUS_INDICATOR.replace("APP", repr(APP_CONTAINERS)))


# The text colour of an element and the colour behind it (the first ancestor with a background).
_TEXT_COLOURS = """
(element) => {
  let behind = element;
  while (behind && getComputedStyle(behind).backgroundColor.replace(/\\s/g, "").endsWith(",0)"))
    behind = behind.parentElement;
  return {
    text: getComputedStyle(element).color,
    background: behind ? getComputedStyle(behind).backgroundColor : "rgb(255, 255, 255)",
  };
}
"""


def text_contrast(locator) -> float:
    """The contrast of an element's text against what is behind it, as Chromium computes them."""
    colours = locator.evaluate(_TEXT_COLOURS)
    background = parse_colour(colours["background"])
    return contrast(parse_colour(colours["text"], background), background)
