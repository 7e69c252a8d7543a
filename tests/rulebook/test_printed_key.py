"""UK status words, a file's own printed key and combined ratings (rulebook.rag, printed_key)."""

from __future__ import annotations

import pytest

from rulebook.deadlines import read_deadline
from rulebook.printed_key import definitions, key_of_cells
from rulebook.rag import DeliveryStatus, Rag, is_combined_rating, read_rag

S = DeliveryStatus


@pytest.mark.parametrize(
    ("text", "rag", "status"),
    [
        ("On target", Rag.GREEN, S.IN_PROGRESS),
        ("on-track", Rag.GREEN, S.IN_PROGRESS),
        ("Slight slippage", Rag.AMBER, S.IN_PROGRESS),
        ("Significant slippage", Rag.RED, S.IN_PROGRESS),
        ("Off target", Rag.RED, S.IN_PROGRESS),
        ("Achieved", Rag.BLUE, S.COMPLETE),
        ("Completed", Rag.BLUE, S.COMPLETE),
        ("Closed", Rag.BLUE, S.COMPLETE),
        ("Not yet due", None, S.NOT_STARTED),
    ],
)
def test_uk_status_words(text, rag, status):
    assert (read_rag(text).rag, read_rag(text).status) == (rag, status)


def test_a_files_key_wins_and_defines_its_own_words():
    key = definitions("Green = on target, Amber = some concerns; Red – off track (see notes)")
    assert key == {"on target": Rag.GREEN, "some concerns": Rag.AMBER, "off track": Rag.RED}
    assert read_rag("Some concerns", key).rag == Rag.AMBER
    assert read_rag("Some concerns").unrecognised == "Some concerns"
    assert read_rag("On track", {"on track": Rag.AMBER}).rag == Rag.AMBER  # the file's key wins


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["Key: Green = achieved"], {"achieved": Rag.GREEN}),
        (["Green", "On target – progressing as planned"], {"on target": Rag.GREEN}),
        (["Green = on target"], {"on target": Rag.GREEN}),
        (["Run the green spaces project - phase 2"], None),
        (["1.1", "Green", "Ann"], None),
        (["Deliver", "Ann"], None),
        # a definition per cell, either way round
        (
            ["Green = on target", "Amber = slight slippage"],
            {"on target": Rag.GREEN, "slight slippage": Rag.AMBER},
        ),
        (
            ["On track = Green", "Some delay: Amber", "Stalled – Red"],
            {"on track": Rag.GREEN, "some delay": Rag.AMBER, "stalled": Rag.RED},
        ),
        (
            ["On track = Green, Some delay = Amber"],
            {"on track": Rag.GREEN, "some delay": Rag.AMBER},
        ),
        (["RAG key: done = Blue"], {"done": Rag.BLUE}),
        (["Green = on target", "Ann"], None),
        (["Status - Green"], None),
        (["Campaign launched = Green light from the board"], None),
    ],
)
def test_key_rows(cells, expected):
    assert key_of_cells(cells) == expected


def test_combined_ratings_are_never_split():
    assert [is_combined_rating(t) for t in ("R/A", "A/G", "Red/Amber", "Amber-Green")] == [True] * 4
    assert not is_combined_rating("Red") and not is_combined_rating("On target")
    assert read_rag("R/A").rag is None


def test_key_text_takes_linear_time():
    assert definitions("green =" * 20_000 + "x")  # returns quickly; many short definitions
    assert key_of_cells(["Green " + " " * 100_000 + "= x"]) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [("Mar-16", "2016-03-31"), ("Mar 16", "2016-03-31"), ("Feb-2016", "2016-02-29"),
     ("by Mar-17", "2017-03-31"), ("By end of 2016/17", "2017-03-31")],
)  # fmt: skip
def test_month_and_short_year(text, iso):
    assert read_deadline(text).date.isoformat() == iso
