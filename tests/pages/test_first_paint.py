"""The first screen's head start: once per browser tab (session), never on later runs."""

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from pages.first_paint import head_start

    st.write("paused" if head_start(pause=0) else "no pause")


def _said(at: AppTest) -> str:
    return at.markdown[0].value


def test_only_a_tabs_first_run_pauses():
    at = AppTest.from_function(_script).run()
    assert _said(at) == "paused"
    at.run()
    assert _said(at) == "no pause"
    at.run()
    assert _said(at) == "no pause"


def test_a_new_tab_pauses_again():
    assert _said(AppTest.from_function(_script).run()) == "paused"
    assert _said(AppTest.from_function(_script).run()) == "paused"
