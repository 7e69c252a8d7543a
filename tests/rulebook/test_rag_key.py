import pytest

from rulebook.rag import Rag
from rulebook.rag_key import (
    DEFAULT_DEFINITIONS,
    DEFAULT_KEY,
    RagKeyError,
    make_rag_key,
    rag_key_from,
)


def test_no_stored_key_is_the_common_uk_definitions():
    key = rag_key_from(None)
    assert key == DEFAULT_KEY and key.is_default
    assert [label for label, _ in key.lines()] == ["✖ Red", "▲ Amber", "✔ Green", "★ Blue"]
    assert key.meaning(Rag.AMBER) == DEFAULT_DEFINITIONS[Rag.AMBER]


def test_a_plan_key_round_trips_and_can_leave_out_blue():
    key = make_rag_key(
        {
            Rag.RED: "Slippage of more than three months",
            Rag.AMBER: "Slippage of up to  three months",
            Rag.GREEN: "On time",
        },
        uses_blue=False,
    )
    assert key.meaning(Rag.AMBER) == "Slippage of up to three months"
    assert rag_key_from(key.stored()) == key
    assert Rag.BLUE not in key.ratings
    assert key.lines()[-1][0] == "Complete"


@pytest.mark.parametrize(
    ("definitions", "message"),
    [
        ({Rag.RED: "x", Rag.AMBER: "", Rag.GREEN: "y", Rag.BLUE: "z"}, "Amber"),
        ({Rag.RED: "x" * 501, Rag.AMBER: "a", Rag.GREEN: "y", Rag.BLUE: "z"}, "under 500"),
    ],
)
def test_every_used_rating_needs_a_short_definition(definitions, message):
    with pytest.raises(RagKeyError, match=message):
        make_rag_key(definitions, uses_blue=True)
