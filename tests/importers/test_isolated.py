"""Uploads are read in a child process with memory and time limits: a bad file fails alone."""

import time

import pytest

from importers import ImportFileError, read_plan_file
from importers.isolated import Limits, read_isolated
from tests.builders import csv_bytes

PLAN = csv_bytes(
    [
        ["Ref", "Action", "Lead", "Deadline", "RAG"],
        ["1.1", "Support IDVAs", "Kylie Thornton", "March 2027", "Green"],
        ["1.2", "Train staff", "Ian Peet", "Summer", "Amber"],
    ]
)


def test_the_child_reads_exactly_what_the_reader_reads_with_progress():
    seen: list[float] = []
    isolated = read_isolated(PLAN, "plan.csv", progress=lambda f, _m: seen.append(f))
    assert isolated.model_dump() == read_plan_file(PLAN, "plan.csv").model_dump()
    assert seen and seen[-1] == 1.0


def test_a_file_the_reader_refuses_is_refused_with_the_same_sentence():
    with pytest.raises(ImportFileError) as direct:
        read_plan_file(b"\x00\x01binary", "plan.csv")
    with pytest.raises(ImportFileError) as isolated:
        read_isolated(b"\x00\x01binary", "plan.csv")
    assert str(isolated.value) == str(direct.value)


def test_a_read_that_needs_more_memory_than_allowed_fails_alone():
    # Out of memory shows in different places of the child (the reader's MemoryError, or an
    # interpreter that cannot start): whichever, the parent gets one sentence naming the file.
    started = time.monotonic()
    with pytest.raises(ImportFileError, match=r"^plan\.csv: "):
        read_isolated(PLAN, "plan.csv", limits=Limits(memory_bytes=64 * 1024**2))
    assert time.monotonic() - started < 30
    assert read_isolated(PLAN, "plan.csv").rows  # and the next read, with room, works


def test_a_read_that_runs_past_the_deadline_is_stopped():
    started = time.monotonic()
    with pytest.raises(ImportFileError, match=r"took more than 0 s to read and was stopped"):
        read_isolated(PLAN, "plan.csv", limits=Limits(wall_seconds=0.2))
    assert time.monotonic() - started < 10


def test_indicator_tables_are_read_in_the_child_too():
    from importers.indicators import read_indicator_file
    from importers.isolated import read_indicators_isolated

    table = csv_bytes([["Indicator", "Q1 2026/27", "Q2 2026/27"], ["IDVA caseload", 80, "x"]])
    isolated = read_indicators_isolated(table, "indicators.csv")
    assert isolated == read_indicator_file(table, "indicators.csv")
    assert [i.name for i in isolated.indicators] == ["IDVA caseload"]
    with pytest.raises(ImportFileError) as refused:
        read_indicators_isolated(PLAN, "plan.csv")
    assert "holds no indicator table" in str(refused.value)
    with pytest.raises(ImportFileError, match="took more than"):
        read_indicators_isolated(table, "indicators.csv", limits=Limits(wall_seconds=0.01))
