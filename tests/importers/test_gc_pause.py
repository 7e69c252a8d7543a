import gc
import threading

import pytest

from importers.gc_pause import collector_paused


@pytest.fixture(autouse=True)
def collector_enabled():
    gc.enable()
    yield
    gc.enable()


def test_collection_is_paused_inside_and_resumes_after():
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_pauses_resume_only_when_the_outer_one_ends():
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_resumes_after_an_error():
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_overlapping_pauses_in_two_threads_resume_when_both_end():
    first_in, second_done = threading.Event(), threading.Event()
    seen = {}

    def first():
        with collector_paused():
            first_in.set()
            second_done.wait(5)
            seen["after second ended"] = gc.isenabled()

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with collector_paused():
        pass
    second_done.set()
    thread.join(5)
    assert seen == {"after second ended": False}
    assert gc.isenabled()


def test_reading_a_file_leaves_the_collector_as_it_was():
    from importers import read_plan_file
    from tests.builders import csv_bytes

    result = read_plan_file(csv_bytes([["Action", "Lead"], ["Train staff", "Kylie"]]), "p.csv")
    assert [row.action for row in result.rows] == ["Train staff"]
    assert gc.isenabled()
