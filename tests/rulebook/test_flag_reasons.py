"""An action's checks read as one sentence wherever several are listed together."""

from rulebook.flags import Flag, reasons_text


def test_several_checks_read_as_one_sentence():
    assert reasons_text([Flag.NO_ISSUE_OR_REMEDY, Flag.DEADLINE_REVISED]) == (
        "Rated Red or Amber without saying what the issue is or what is being done; "
        "its deadline has been revised more than once"
    )


def test_one_check_or_none():
    assert reasons_text([Flag.NO_OWNER]) == "Nobody is named as its owner"
    assert reasons_text([]) == ""
