"""Sign-in and accounts (security issue): every test here failed before its fix.

Each database test runs on SQLite and on PostgreSQL (see tests/conftest.py).
"""

import datetime as dt
import io
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from argon2 import PasswordHasher
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from plan import accounts, auth, bootstrap, services
from plan.auth import AccountError, PermissionDenied, Role, SignInFailed
from plan.cli import main
from plan.database import run_write
from plan.models import Plan, User
from tests.builders import DEMO_TEST_PASSWORD, add_plan, add_user, cheap_hasher

APP = Path(__file__).resolve().parents[2] / "app.py"
T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
CLIENT = "203.0.113.9"  # documentation addresses (RFC 5737)
NEW_PASSWORD = "granite ladder sunrise"
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
    options.setdefault("client", CLIENT)
    return services.sign_in(factory, email, password, **options)


class CountingHasher(PasswordHasher):
    """A cheap hasher that counts the passwords it checks (each check is a guess tried)."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.checks = 0
        self._lock = threading.Lock()

    def verify(self, hash, password):
        with self._lock:
            self.checks += 1
        time.sleep(0.02)  # as slow as it takes for the other attempts to catch up
        return super().verify(hash, password)


def in_parallel(count: int, work: Callable[[int], object]) -> list[str]:
    """Run work(0..count-1) in threads released together; the sign-in failures' messages."""
    start = threading.Barrier(count)
    failures: list[str] = []
    errors: list[BaseException] = []

    def run(number: int) -> None:
        start.wait()
        try:
            work(number)
        except SignInFailed as failure:
            failures.append(str(failure))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    return failures


def page_sign_in(at: AppTest, email: str, password: str) -> AppTest:
    at.switch_page("pages/sign_in.py").run()
    at.text_input(key="sign_in_email").input(email)
    at.text_input(key="sign_in_password").input(password)
    at.form_submit_button[0].click().run()
    return at


# --- 1. Parallel guesses are all counted, per account and per client ----------------------------


@pytest.fixture
def counting(monkeypatch) -> CountingHasher:
    hasher = CountingHasher()
    monkeypatch.setattr("plan.auth._hasher", hasher)
    return hasher


def test_parallel_guesses_at_one_account_are_counted_before_they_are_checked(factory, counting):
    with factory() as session:
        add_user(session, "owner@x.org")
        session.commit()
    failures = in_parallel(
        30, lambda n: attempt(factory, "owner@x.org", f"guess number {n}", now=T0)
    )
    assert len(failures) == 30
    assert counting.checks <= 3  # all 30 were checked before, and the count stayed at 1
    with pytest.raises(SignInFailed, match="try again in"):
        attempt(factory, "owner@x.org", DEMO_TEST_PASSWORD, now=T0 + dt.timedelta(seconds=1))


def test_one_client_cannot_spread_many_guesses_over_many_addresses(factory, counting):
    failures = in_parallel(
        30, lambda n: attempt(factory, f"person{n}@x.org", "a common password", now=T0)
    )
    assert len(failures) == 30
    assert counting.checks <= 20  # a client's free failures, whatever the e-mail
    with pytest.raises(SignInFailed, match="try again in"):
        attempt(factory, "someone.else@x.org", "another guess", now=T0 + dt.timedelta(seconds=1))
    # Another client is not held up by this one.
    with pytest.raises(SignInFailed, match=r"^Wrong e-mail or password\.$"):
        attempt(factory, "someone.else@x.org", "another guess", client="198.51.100.7", now=T0)


# --- 2. Failed attempts say nothing about which accounts exist -----------------------------------


def test_every_failed_attempt_gets_the_same_answer_and_the_same_work(factory, counting):
    with factory() as session:
        add_user(session, "admin@x.org", "admin")
        add_user(session, "owner@x.org")
        add_user(session, "off@x.org")
        add_user(session, "off2@x.org")
        add_user(session, "sso@x.org", password=None)
        accounts.set_disabled(session, None, "off@x.org")
        accounts.set_disabled(session, None, "off2@x.org")
        session.commit()
    cases = {
        "unknown e-mail": ("nobody@x.org", "a guessed password"),
        "wrong password": ("owner@x.org", "a guessed password"),
        "disabled, right password": ("off@x.org", DEMO_TEST_PASSWORD),
        "disabled, wrong password": ("off2@x.org", "a guessed password"),
        "single sign-on only": ("sso@x.org", "a guessed password"),
    }
    answers = {}
    for number, (case, (email, password)) in enumerate(cases.items()):
        before = counting.checks
        for attempt_number in range(3):  # the third failure in a row starts a lock-out
            with pytest.raises(SignInFailed) as failure:
                attempt(factory, email, password, client=f"192.0.2.{number}", now=T0)
            answers.setdefault(case, []).append(str(failure.value))
            assert counting.checks == before + attempt_number + 1, case  # one argon2 check each
    assert len({tuple(a) for a in answers.values()}) == 1, answers
    assert answers["unknown e-mail"][0] == "Wrong e-mail or password."


def test_a_stranger_cannot_lock_the_real_person_out(factory):
    with factory() as session:
        add_user(session, "owner@x.org")
        session.commit()
    moment = T0
    for guess in range(60):  # half an hour of guesses from forty addresses
        moment += dt.timedelta(seconds=30)
        client = f"198.51.100.{guess % 40}"
        with pytest.raises(SignInFailed):
            attempt(factory, "owner@x.org", "a guess", client=client, now=moment)
    # The real person, from their own address, waits a minute at most.
    later = moment + dt.timedelta(seconds=61)
    assert attempt(factory, "owner@x.org", DEMO_TEST_PASSWORD, now=later).email == "owner@x.org"


def test_guesses_from_many_addresses_at_one_account_are_still_limited(factory, counting):
    with factory() as session:
        add_user(session, "owner@x.org")
        session.commit()
    failures = in_parallel(
        30,
        lambda n: attempt(factory, "owner@x.org", "guess", client=f"198.51.100.{n}", now=T0),
    )
    assert len(failures) == 30
    assert counting.checks <= 10  # an e-mail's free failures, from any address


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
        saved = []
        writer = threading.Thread(
            target=lambda: saved.append(run_write(factory, lambda s: add_plan(s, "Saved").name))
        )
        writer.start()
        writer.join(timeout=3)  # it waited for the check to end (15 s busy timeout) before
        assert saved == ["Saved"], "a writer waited for a password check to finish"
    finally:
        hasher.release.set()
        signer.join(20)
    assert [actor.email for actor in signed_in] == ["owner@x.org"]


# --- 4. Demo data and accounts only where someone asked for them ---------------------------------


@pytest.mark.parametrize(
    ("environment", "wanted"),
    [
        ({}, True),  # ./tracker app on the bundled SQLite file
        ({"DATABASE_URL": "postgresql://tracker@db/tracker"}, False),
        ({"DATABASE_URL": "sqlite:///elsewhere.db"}, False),
        ({"DATABASE_URL": "postgresql://tracker@db/tracker", "TRACKER_LOAD_DEMO": "1"}, True),
        ({"TRACKER_LOAD_DEMO": "0"}, False),
        ({"TRACKER_LOAD_DEMO": "perhaps"}, False),
    ],
)
def test_demo_data_is_loaded_only_when_asked_for(environment, wanted):
    assert bootstrap.demo_requested(environment) is wanted


def test_a_database_named_by_database_url_gets_no_demo_unless_asked(
    database_url, monkeypatch, factory
):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("TRACKER_LOAD_DEMO", raising=False)
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(APP), default_timeout=60).run()
        at.switch_page("pages/sign_in.py").run()
    finally:
        st.cache_resource.clear()
    assert not at.exception, at.exception
    assert not at.expander  # no demo accounts to list
    with factory() as session:
        assert accounts.count_users(session) == 0
        assert session.scalar(select(func.count(Plan.id))) == 0


@pytest.fixture
def demo_database(database_url, monkeypatch, factory):
    """A database with the demo accounts, which the CLI is pointed at."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    with factory() as session:
        accounts.add_demo_accounts(session)
        session.commit()
    return factory


def _enabled_demo_accounts(factory) -> list[str]:
    emails = [email for email, *_ in accounts.DEMO_ACCOUNTS]
    with factory() as session:
        return list(
            session.scalars(
                select(User.email).where(User.email.in_(emails), User.disabled.is_(False))
            )
        )


def test_adding_a_real_admin_warns_about_enabled_demo_accounts(demo_database, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW_PASSWORD + "\n"))
    assert main(["users", "add", "boss@council.gov.uk", "--role", "admin", "--password-stdin"]) == 0
    assert "demo accounts" in capsys.readouterr().err
    assert len(_enabled_demo_accounts(demo_database)) == len(accounts.DEMO_ACCOUNTS)


def test_adding_a_real_admin_can_disable_the_demo_accounts(demo_database, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW_PASSWORD + "\n"))
    command = ["users", "add", "boss@council.gov.uk", "--role", "admin", "--password-stdin"]
    assert main([*command, "--disable-demo-accounts"]) == 0
    assert "Disabled the demo accounts" in capsys.readouterr().out
    assert _enabled_demo_accounts(demo_database) == []
    with pytest.raises(SignInFailed):
        attempt(demo_database, "admin@demo.local", auth.DEMO_PASSWORD)
    with demo_database() as session:
        assert not accounts.demo_accounts_present(session)  # the sign-in page lists them no more


def test_adding_a_real_admin_at_a_terminal_asks_to_disable_them(demo_database, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt="": "y")
    assert main(["users", "add", "boss@council.gov.uk", "--role", "admin"]) == 0
    assert _enabled_demo_accounts(demo_database) == []


# --- 5. Password rules: long, not common, not the account's own name ---------------------------

WEAK_PASSWORDS = [
    "aaaaaaaaaa",  # the old rule's minimum
    "aaaaaaaaaaaaaaaaaaaa",
    "try-the-tracker",  # the published demo password
    "               ",
    "password12345678",
    "Password123456789!",
    "iloveyou!!!!!!!!",
    "qwertyuiopasdfgh",
    "1q2w3e4r5t6y7u8i9o0p",
    "123456789012345678",
    "zyxwvutsrqponmlk",
    "abcdef123456qwerty",
    "abcabcabcabcabcabc",
    "iloveyou iloveyou",
    "Kylie.Thornton1985",
    "k.thornton@council.gov.uk",
    "thornton council 2026",
    "Delivery Plan Tracker",
    "my delivery tracker",
]
GOOD_PASSWORDS = [
    "correct horse battery staple",
    "granite ladder sunrise",
    "tea at brighton pier 4pm",
    "xK3#tZ9!pQw2@Lm",
]


def _refusal(session, password: str) -> str | None:
    """Why setting this password for an admin is refused (None: it is accepted)."""
    nested = session.begin_nested()
    try:
        accounts.add_user(
            session,
            None,
            "k.thornton@council.gov.uk",
            name="Kylie Thornton",
            role=Role.ADMIN,
            password=password,
        )
    except AccountError as error:
        return str(error)
    finally:
        nested.rollback()
    return None


def test_weak_passwords_are_refused_and_good_ones_kept(session):
    accepted = [p for p in WEAK_PASSWORDS if _refusal(session, p) is None]
    assert accepted == []
    assert [_refusal(session, p) for p in GOOD_PASSWORDS] == [None] * len(GOOD_PASSWORDS)
    assert "at least 15 characters" in _refusal(session, "aaaaaaaaaa")
    assert "common" in _refusal(session, "Password123456789!")


def test_a_reset_password_follows_the_same_rules(session):
    add_user(session, "owner@x.org", name="Ian Peet")
    with pytest.raises(AccountError, match="e-mail or name"):
        accounts.reset_password(session, None, "owner@x.org", "ian peet 1234567890")
    accounts.reset_password(session, None, "owner@x.org", NEW_PASSWORD)


def test_demo_accounts_keep_their_published_password(session):
    assert accounts.add_demo_accounts(session) == len(accounts.DEMO_ACCOUNTS)
    user = session.scalar(select(User).where(User.email == "admin@demo.local"))
    assert auth._hasher.verify(user.password_hash, auth.DEMO_PASSWORD)


# --- 6. A password reset ends the account's sessions --------------------------------------------


def test_a_password_reset_ends_the_sessions_signed_in_before_it(factory):
    with factory() as session:
        add_user(session, "owner@x.org")
        add_user(session, "other@x.org")
        session.commit()
    before = attempt(factory, "owner@x.org", DEMO_TEST_PASSWORD)
    other = attempt(factory, "other@x.org", DEMO_TEST_PASSWORD)
    with factory() as session:
        accounts.reset_password(session, None, "owner@x.org", NEW_PASSWORD)
        session.commit()
        with pytest.raises(PermissionDenied, match="sign in again"):
            auth.refresh(session, before)
        assert auth.refresh(session, other) == other
    after = attempt(factory, "owner@x.org", NEW_PASSWORD)
    with factory() as session:
        assert auth.refresh(session, after).email == "owner@x.org"


def test_a_password_reset_lifts_the_accounts_lock_outs(factory):
    with factory() as session:
        add_user(session, "owner@x.org")
        session.commit()
    for _ in range(3):
        with pytest.raises(SignInFailed):
            attempt(factory, "owner@x.org", "forgotten it", now=T0)
    with factory() as session:
        accounts.reset_password(session, None, "owner@x.org", NEW_PASSWORD)
        session.commit()
    assert attempt(factory, "owner@x.org", NEW_PASSWORD, now=T0).email == "owner@x.org"


def test_disabling_then_enabling_does_not_bring_old_sessions_back(factory):
    with factory() as session:
        add_user(session, "owner@x.org")
        session.commit()
    before = attempt(factory, "owner@x.org", DEMO_TEST_PASSWORD)
    with factory() as session:
        accounts.set_disabled(session, None, "owner@x.org")
        accounts.set_disabled(session, None, "owner@x.org", disabled=False)
        session.commit()
        with pytest.raises(PermissionDenied, match="sign in again"):
            auth.refresh(session, before)


def test_the_pages_sign_out_a_session_whose_password_was_reset(new_app, factory):
    with factory() as session:
        add_user(session, "owner@x.org", owner_names=["Kylie Thornton"])
        session.commit()
    at = page_sign_in(new_app().run(), "owner@x.org", DEMO_TEST_PASSWORD)
    assert "role **owner**" in at.success[0].value
    with factory() as session:
        accounts.reset_password(session, None, "owner@x.org", NEW_PASSWORD)
        session.commit()
    at.switch_page("pages/my_actions.py").run()
    assert not at.exception, at.exception
    assert "Sign in first" in at.info[0].value


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
            accounts.add_user(session, None, LONG_EMAIL, role=Role.ADMIN, password=None)
        with pytest.raises(AccountError, match="at most 200 characters"):
            accounts.add_user(
                session, None, "n@x.org", name="n" * 201, role=Role.OWNER, password=None
            )
        add_user(session, "someone@x.org")
        session.commit()
    assert attempt(factory, "someone@x.org", DEMO_TEST_PASSWORD).email == "someone@x.org"


def test_the_sign_in_page_shows_no_database_error_for_a_long_email(new_app, factory):
    at = page_sign_in(new_app().run(), LONG_EMAIL, "whatever it is")
    assert not at.exception, at.exception
    shown = " ".join(e.value for e in at.error)
    assert "at most 320 characters" in shown
    assert "sql" not in shown.lower() and "psycopg" not in shown.lower()


# --- 8. Single sign-on needs an e-mail the identity provider verified ----------------------------


def test_single_sign_on_refuses_an_email_the_provider_has_not_verified(factory):
    with factory() as session:
        add_user(session, "chair@x.org", "chair", password=None)
        session.commit()
    for unverified in ({"email_verified": False}, {}, {"email_verified": "yes"}):
        with pytest.raises(SignInFailed, match="has not verified"):
            services.sso_sign_in(factory, {"email": "chair@x.org", **unverified})
    actor = services.sso_sign_in(factory, {"email": "Chair@x.org", "email_verified": True})
    assert actor.role == Role.CHAIR


SSO_SECRETS = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test only",
    "client_id": "tracker",
    "client_secret": "test only",
    "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
}


def test_the_sign_in_page_refuses_an_unverified_single_sign_on_email(new_app, factory):
    with factory() as session:
        add_user(session, "chair@x.org", "chair", password=None)
        session.commit()
    at = new_app()
    at.secrets["auth"] = SSO_SECRETS
    at.user = {"is_logged_in": True, "email": "chair@x.org", "email_verified": False}
    at.switch_page("pages/sign_in.py").run()
    assert not at.exception, at.exception
    assert "has not verified" in " ".join(e.value for e in at.error)
    assert not at.success  # not signed in

    at = new_app()
    at.secrets["auth"] = SSO_SECRETS
    at.user = {"is_logged_in": True, "email": "chair@x.org", "email_verified": True}
    at.switch_page("pages/sign_in.py").run()
    assert not at.exception, at.exception
    assert "role **chair**" in at.success[0].value
