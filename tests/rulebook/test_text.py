"""Text is cleaned once on the way in: one normal form, no control characters."""

import pytest

from rulebook.text import clean_text, writable


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("Line one\x0bline two", "Line one\nline two"),  # a pasted Word line break
        ("Windows\r\nline", "Windows\nline"),
        ("Old Mac\rline", "Old Mac\nline"),
        ("Page\x0cbreak", "Page\nbreak"),
        ("Tab\tstays", "Tab\tstays"),
        ("Bell\x07 and null\x00 go", "Bell and null go"),
        ("C1\x85next", "C1\nnext"),
        ("C1 \x9b escape", "C1  escape"),
        ("Caf\u0065\u0301", "Caf\u00e9"),  # decomposed é becomes the composed one
        ("Lone \ud800 surrogate", "Lone ? surrogate"),
        ("£ and “quotes” stay", "£ and “quotes” stay"),
        ("", ""),
    ],
)
def test_clean_text(written, kept):
    assert clean_text(written) == kept


def test_writable_removes_only_what_a_workbook_cannot_hold():
    assert writable("a\x0bb\x00c\td\ne\rf") == "abc\td\ne\rf"
