"""The dashboard's RAG chart: each RAG named once in its legend, with its symbol."""

import html
import re

from pages.charts import rag_bars
from plan.queries import RagCounts
from rulebook.rag import RAG_ORDER, rag_label


def _legend_keys(chart: str) -> list[str]:
    legend = re.search(r'class="rag-legend">(.*?)</div>', chart)
    assert legend
    keys = re.findall(r'<span class="rag-key">(.*?)</span>(?=<span class="rag-key">|$)', legend[1])
    return [html.unescape(re.sub(r"<[^>]+>", " ", key)).split() for key in keys]


def test_the_legend_shows_each_rags_symbol_and_word_once():
    chart = rag_bars(["Prevention"], [RagCounts(red=1, amber=2, green=3)])
    keys = _legend_keys(chart)
    assert [" ".join(key) for key in keys[: len(RAG_ORDER)]] == [rag_label(r) for r in RAG_ORDER]
    assert keys[len(RAG_ORDER)] == ["Bar", "length:", "actions"]
