"""Sign-in and accounts (security issue): every test here failed before its fix.

Each database test runs on SQLite and on PostgreSQL (see tests/conftest.py).
"""

import threading
import time
from pathlib import Path

import pytest
import streamlit as st
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from plan import auth, services
from plan.auth import AccountError, Role, SignInFailed
from plan.database import run_write
from tests.builders import DEMO_TEST_PASSWORD, add_plan, add_user, cheap_hasher

APP = Path(__file__).resolve().parents[2] / "app.py"
LONG_EMAIL = "a" * 309 + "@example.org"  # 321 characters: one more than an address may have


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    monkeypatch.setattr("plan.auth._hasher", cheap_hasher())


@pytest.fixture
def new_app(database_url, monkeypatch):
    """Make AppTests of app.py on the test's database (one at a time: never from threads)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TRACKER_LOAD_DEMO", "0")
    st.cache_resource.clear()
    yield lambda: AppTest.from_file(str(APP), default_timeout=30)
    st.cache_resource.clear()


def attempt(factory, email: str, password: str, **options):
    return services.sign_in(factory, email, password, **options)


def page_sign_in(at: AppTest, email: str, password: str) -> AppTest:
    at.switch_page("pages/sign_in.py").run()
    at.text_input(key="sign_in_email").input(email)
    at.text_input(key="sign_in_password").input(password)
    at.form_submit_button[0].click().run()
    return at


# --- 7. Input lengths are checked before the database -------------------------------------------


def test_an_overlong_email_or_password_is_refused_before_the_database(factory):
    assert len(LONG_EMAIL) == 321
    with pytest.raises(SignInFailed, match="at most 320 characters"):
        attempt(factory, LONG_EMAIL, "whatever it is")
    with pytest.raises(SignInFailed, match="at most 1024 characters"):
        attempt(factory, "someone@x.org", "p" * 1025)
    with pytest.raises(SignInFailed, match="Wrong e-mail or password"):
        attempt(factory, "some\x00one@x.org", "a NUL byte is no text to PostgreSQL")
    with factory() as session:
        with pytest.raises(AccountError, match="at most 320 characters"):
            auth.add_user(session, None, LONG_EMAIL, role=Role.ADMIN, password=None)
        with pytest.raises(AccountError, match="at most 200 characters"):
            auth.add_user(session, None, "n@x.org", name="n" * 201, role=Role.OWNER, password=None)
        add_user(session, "someone@x.org")
        session.commit()
    assert attempt(factory, "someone@x.org", DEMO_TEST_PASSWORD).email == "someone@x.org"


def test_the_sign_in_page_shows_no_database_error_for_a_long_email(new_app, factory):
    at = page_sign_in(new_app().run(), LONG_EMAIL, "whatever it is")
    assert not at.exception, at.exception
    shown = " ".join(e.value for e in at.error)
    assert "at most 320 characters" in shown
    assert "sql" not in shown.lower() and "psycopg" not in shown.lower()


# --- 3. The password check holds no write lock ----------------------------------------------------


class HeldHasher(PasswordHasher):
    """A cheap hasher whose `verify` waits until the test lets it go (a slow argon2 check)."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.checking = threading.Event()
        self.release = threading.Event()

    def verify(self, hash, password):
        self.checking.set()
        self.release.wait(20)
        return super().verify(hash, password)


def test_another_writer_saves_while_a_password_is_being_checked(factory, monkeypatch):
    with factory() as session:
        add_user(session, "owner@x.org")
        session.commit()
    hasher = HeldHasher()
    monkeypatch.setattr("plan.auth._hasher", hasher)
    signed_in = []
    signer = threading.Thread(
        target=lambda: signed_in.append(attempt(factory, "owner@x.org", DEMO_TEST_PASSWORD))
    )
    signer.start()
    try:
        assert hasher.checking.wait(10), "the sign-in never reached the password check"
        started = time.monotonic()
        writer = threading.Thread(target=run_write, args=(factory, lambda s: add_plan(s, "Saved")))
        writer.start()
        writer.join(timeout=3)
        took = time.monotonic() - started
        assert not writer.is_alive(), "a writer waited for a password check to finish"
    finally:
        hasher.release.set()
        signer.join(20)
    assert took < 1.0
    assert [actor.email for actor in signed_in] == ["owner@x.org"]
