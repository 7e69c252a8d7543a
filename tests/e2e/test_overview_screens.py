"""The Overview's first screen at a laptop, a large screen and a phone, and the chart's contrast.

At 1366x768 and 1920x1080, without scrolling: where the plan stands (RAG counts with word,
symbol and colour), what is off track and late, and what changed since the comparison date.
At 390x844: figures several to a row, a chart wide enough to read, a list whose text wraps.
Screenshots: artifacts/e2e/overview-WIDTHxHEIGHT.png.
"""

from __future__ import annotations

import pytest

from rulebook.rag import RAG_COLOURS, RAG_ORDER, rag_label
from tests.e2e.conftest import ARTIFACTS, settle

RAG_BOXES = ".st-key-standing [data-testid='stMetric']"

# WCAG 2.x contrast of each text element in the chart and the off-track list against the
# nearest ancestor with an opaque background, from the browser's computed colours.
_CONTRASTS_JS = """(selector) => {
  const rgb = (text) => text.match(/[0-9.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const colour = rgb(getComputedStyle(e).backgroundColor);
      if (colour.length < 4 || colour[3] === 1) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  for (const element of document.querySelectorAll(selector)) {
    const own = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(element);
    const [a, b] = [lum(rgb(style.color).slice(0, 3)), lum(background(element))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    out.push({text: element.textContent.trim().slice(0, 40), color: style.color, ratio});
  }
  return out;
}"""


def _open(browser, server, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server.url)
    settle(page, chart=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"overview-{width}x{height}.png"))
    return context, page


def _in_view(page, locator, height: int) -> None:
    for index in range(locator.count()):
        box = locator.nth(index).bounding_box()
        assert box is not None
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, (
            locator.nth(index).inner_text()[:60],
            box,
        )


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_first_screen_answers_the_meetings_questions(browser, demo_server, width, height):
    context, page = _open(browser, demo_server, width, height)
    try:
        # Where the plan stands: each RAG's count, with its symbol and word and its colour.
        boxes = page.locator(RAG_BOXES)
        assert [
            boxes.nth(i).locator("[data-testid='stMetricLabel']").inner_text()
            for i in range(boxes.count())
        ] == [rag_label(r) for r in RAG_ORDER]
        edges = [
            boxes.nth(i).evaluate("e => getComputedStyle(e).borderLeftColor")
            for i in range(boxes.count())
        ]
        assert edges == [_css_rgb(RAG_COLOURS[r]) for r in RAG_ORDER]
        _in_view(page, boxes, height)
        # What is off track and late: the figures, the count of all and the worst few.
        _in_view(page, page.locator(".st-key-late [data-testid='stMetric']"), height)
        _in_view(page, page.get_by_text("Red or overdue actions"), height)
        items = page.locator(".off-track li")
        assert items.count() == 5
        _in_view(page, items, height)
        # What changed since the comparison date.
        _in_view(page, page.get_by_text("What changed since 31 Dec 2013"), height)
        _in_view(page, page.locator(".st-key-changes [data-testid='stMetric']"), height)
        # The chart and the table follow, below the first screen's answers.
        chart = page.locator(".rag-chart").bounding_box()
        assert chart is not None and chart["y"] > items.last.bounding_box()["y"]
    finally:
        context.close()


def test_overview_on_a_phone(browser, demo_server):
    width, height = 390, 844
    context, page = _open(browser, demo_server, width, height)
    try:
        boxes = page.locator(RAG_BOXES)
        rows = {round(boxes.nth(i).bounding_box()["y"]) for i in range(boxes.count())}
        assert len(rows) <= 3, "several figures to a row, not one box per row"
        _in_view(page, boxes, height)
        for index in range(boxes.count()):
            box = boxes.nth(index).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
        # Two figures fill a row: no third of the screen left empty beside them.
        for figures in (".st-key-standing", ".st-key-indicators"):
            row = page.locator(figures).bounding_box()
            first, second = (
                page.locator(f"{figures} [data-testid='stMetric']").nth(i).bounding_box()
                for i in (0, 1)
            )
            assert first["y"] == second["y"], figures
            assert second["x"] + second["width"] >= row["x"] + 0.95 * row["width"], figures
        # The chart's bars have most of the screen's width.
        track = page.locator(".rag-chart .rag-track").first.bounding_box()
        assert track is not None and track["width"] >= 0.75 * width
        # The action list is cards whose text wraps inside the screen: no sideways scroll.
        assert not page.locator(".st-key-overview_table").is_visible()
        cards = page.locator(".action-cards li")
        assert cards.count() == 63
        for index in (0, 31, 62):
            box = cards.nth(index).locator(".text").bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        main = page.locator("[data-testid='stMain']")
        assert main.evaluate("e => e.scrollWidth <= e.clientWidth")
    finally:
        context.close()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_chart_and_list_text_contrast_is_at_least_4_5_to_1(browser, demo_server, width, height):
    context, page = _open(browser, demo_server, width, height)
    try:
        measured = page.evaluate(_CONTRASTS_JS, ".rag-chart *, .off-track *, .action-cards *")
        texts = {m["text"] for m in measured}
        # Labels, legend, totals and the counts on the bars are all measured.
        assert "✖ Red" in texts and any(t.startswith("✖\u00a0") for t in texts)
        low = [m for m in measured if m["ratio"] < 4.5]
        assert not low, low
    finally:
        context.close()


def _css_rgb(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"
