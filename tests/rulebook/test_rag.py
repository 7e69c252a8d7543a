import pytest

from rulebook.rag import (
    RAG_COLOURS,
    RAG_ORDER,
    RAG_SEVERITY,
    RAG_SYMBOL,
    RAG_TEXT_COLOURS,
    DeliveryStatus,
    Rag,
    RagReading,
    rag_label,
    read_rag,
)

S = DeliveryStatus


@pytest.mark.parametrize(
    ("text", "rag", "status"),
    [
        ("R", Rag.RED, S.IN_PROGRESS),
        ("r", Rag.RED, S.IN_PROGRESS),
        ("Red", Rag.RED, S.IN_PROGRESS),
        ("RED", Rag.RED, S.IN_PROGRESS),
        ("  red  ", Rag.RED, S.IN_PROGRESS),
        ("Red.", Rag.RED, S.IN_PROGRESS),
        ("(Red)", Rag.RED, S.IN_PROGRESS),
        ("Off track", Rag.RED, S.IN_PROGRESS),
        ("off-track", Rag.RED, S.IN_PROGRESS),
        ("A", Rag.AMBER, S.IN_PROGRESS),
        ("Amber", Rag.AMBER, S.IN_PROGRESS),
        ("amber\n", Rag.AMBER, S.IN_PROGRESS),
        ("At risk", Rag.AMBER, S.IN_PROGRESS),
        ("AT  RISK", Rag.AMBER, S.IN_PROGRESS),
        ("G", Rag.GREEN, S.IN_PROGRESS),
        ("Green", Rag.GREEN, S.IN_PROGRESS),
        ("*Green*", Rag.GREEN, S.IN_PROGRESS),
        ("On track", Rag.GREEN, S.IN_PROGRESS),
        ("On Track!", Rag.GREEN, S.IN_PROGRESS),
        ("B", Rag.BLUE, S.COMPLETE),
        ("Blue", Rag.BLUE, S.COMPLETE),
        ("Complete", Rag.BLUE, S.COMPLETE),
        ("Completed", Rag.BLUE, S.COMPLETE),
        ("completed.", Rag.BLUE, S.COMPLETE),
        ("Done", Rag.BLUE, S.COMPLETE),
        ("Not started", None, S.NOT_STARTED),
        ("not-started", None, S.NOT_STARTED),
        ("Deferred", None, S.DEFERRED),
        ("On hold", None, S.DEFERRED),
        ("Cancelled", None, S.CANCELLED),
        ("Canceled", None, S.CANCELLED),
        ("Withdrawn", None, S.CANCELLED),
        ("In progress", None, S.IN_PROGRESS),
        ("In Progress", None, S.IN_PROGRESS),
        ("Yellow", Rag.AMBER, S.IN_PROGRESS),
        # a rating, then a note on it
        ("Green - on track", Rag.GREEN, S.IN_PROGRESS),
        ("AMBER (slippage)", Rag.AMBER, S.IN_PROGRESS),
        ("Red: no provider", Rag.RED, S.IN_PROGRESS),
        ("Complete (Blue)", Rag.BLUE, S.COMPLETE),
        ("Not started – awaiting funding", None, S.NOT_STARTED),
        # a coloured symbol, or the tracker's own symbol, on its own
        ("🔴", Rag.RED, S.IN_PROGRESS),
        ("🟠", Rag.AMBER, S.IN_PROGRESS),
        ("🟢", Rag.GREEN, S.IN_PROGRESS),
        ("✅", Rag.BLUE, S.COMPLETE),
        ("▲", Rag.AMBER, S.IN_PROGRESS),
    ],
)
def test_read_rag_recognised(text, rag, status):
    assert read_rag(text) == RagReading(rag, status, None)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Red/Amber", "Red/Amber"),
        ("Amber/Green", "Amber/Green"),
        ("Purple", "Purple"),
        ("x", "x"),
        ("  Purple  ", "Purple"),
        ("Red Amber", "Red Amber"),
        ("Greenish", "Greenish"),
        ("-", "-"),
        ("?", "?"),
        # a note naming another rating, or two ratings at once: never guessed
        ("Red - now Amber", "Red - now Amber"),
        ("Red (was Amber)", "Red (was Amber)"),
        ("A - G", "A - G"),
        ("Red - A", "Red - A"),
        ("Key: Green", "Key: Green"),
    ],
)
def test_read_rag_unknown_is_not_guessed(text, kept):
    assert read_rag(text) == RagReading(None, None, unrecognised=kept)


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t"])
def test_read_rag_blank(text):
    assert read_rag(text) == RagReading(None, None, None)


def test_unrecognised_defaults_to_none():
    assert RagReading(Rag.RED, S.IN_PROGRESS).unrecognised is None


@pytest.mark.parametrize(
    ("rag", "label"),
    [
        (Rag.RED, "✖ Red"),
        (Rag.AMBER, "▲ Amber"),
        (Rag.GREEN, "✔ Green"),
        (Rag.BLUE, "★ Blue"),
        (None, "– Not rated"),
    ],
)
def test_rag_label(rag, label):
    assert rag_label(rag) == label


@pytest.mark.parametrize("rag", RAG_ORDER)
def test_labels_read_back(rag):
    reading = read_rag(rag_label(rag))
    assert reading.rag == rag
    assert reading.unrecognised is None


def test_symbols_are_distinct_and_cover_every_rating():
    assert set(RAG_SYMBOL) == {*Rag, None}
    assert len(set(RAG_SYMBOL.values())) == len(RAG_SYMBOL)


def test_rag_order():
    assert RAG_ORDER == (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, None)


def test_severity_ranks_worst_first():
    assert [RAG_SEVERITY[r] for r in RAG_ORDER] == [3, 2, 1, 0, -1]
    assert max([Rag.GREEN, Rag.RED, None, Rag.AMBER], key=RAG_SEVERITY.__getitem__) == Rag.RED


def test_enum_values():
    assert [str(r) for r in Rag] == ["Red", "Amber", "Green", "Blue"]
    assert [str(s) for s in DeliveryStatus] == [
        "not started",
        "in progress",
        "complete",
        "deferred",
        "cancelled",
    ]


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_helper_matches_wcag_extremes():
    assert _contrast("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert _contrast("#777777", "#777777") == pytest.approx(1.0)


@pytest.mark.parametrize("rag", RAG_ORDER)
def test_text_on_rag_colour_meets_wcag_aa(rag):
    assert _contrast(RAG_COLOURS[rag], RAG_TEXT_COLOURS[rag]) >= 4.5


def test_colours_cover_every_rating_and_are_distinct():
    assert set(RAG_COLOURS) == set(RAG_TEXT_COLOURS) == {*Rag, None}
    assert len(set(RAG_COLOURS.values())) == len(RAG_COLOURS)
