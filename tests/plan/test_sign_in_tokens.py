"""Sign-in that lasts: tokens issued, redeemed once, checked on every run, revoked (issue 16.4)."""

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from plan import accounts, auth, services, sign_in_tokens
from plan.auth import Role
from plan.models import AuditEntry, SignInToken, User
from plan.sign_in_tokens import TICKET_LIFETIME, TOKEN_LIFETIME, by_id, by_token, redeem
from tests.builders import DEMO_TEST_PASSWORD, actor_of, add_user, cheap_hasher

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
IP = "192.0.2.1"


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    monkeypatch.setattr("plan.auth._hasher", cheap_hasher())


@pytest.fixture
def frozen():
    """The whole test at T0 (datetime.now() too): nothing depends on the day it runs."""
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def _signed_in(factory, email="owner@x.org", role="owner", *, now=T0):
    """Add the account, sign in with its password and redeem the ticket: (grant, token)."""
    with factory() as session:
        add_user(session, email, role, owner_names=["Kylie Thornton"])
        if session.scalar(select(User.id).where(User.email == "admin@x.org")) is None:
            add_user(session, "admin@x.org", "admin")
        session.commit()
    actor = services.sign_in(factory, email, DEMO_TEST_PASSWORD, client=IP, now=now)
    grant = auth.start_browser_sign_in(factory, actor, now=now)
    with factory.begin() as session:
        redeemed = redeem(session, grant.ticket, now=now + dt.timedelta(seconds=2))
    assert redeemed is not None and redeemed.token_id == grant.token_id
    return grant, redeemed.token


def _check(factory, token, now):
    with factory() as session:
        return by_token(session, token, now=now)


def test_a_token_signs_the_browser_in_until_it_expires(factory, frozen):
    grant, token = _signed_in(factory)
    assert grant.expires_at == T0 + TOKEN_LIFETIME == T0 + dt.timedelta(hours=12)
    signed_in = _check(factory, token, T0 + dt.timedelta(hours=11, minutes=59))
    assert signed_in is not None
    assert (signed_in.actor.email, signed_in.actor.role) == ("owner@x.org", Role.OWNER)
    assert signed_in.actor.owner_names == ("Kylie Thornton",)
    assert signed_in.token_id == grant.token_id
    assert _check(factory, token, T0 + TOKEN_LIFETIME) is None
    assert _check(factory, token + "x", T0) is None
    assert _check(factory, "", T0) is None
    with factory() as session:
        assert by_id(session, grant.token_id, now=T0).actor.email == "owner@x.org"
        assert by_id(session, grant.token_id, now=T0 + TOKEN_LIFETIME) is None


def test_only_digests_are_stored(factory, frozen):
    grant, token = _signed_in(factory)
    with factory() as session:
        row = session.get(SignInToken, grant.token_id)
        assert row.token_hash == sign_in_tokens.digest(token)
        assert len(row.token_hash) == 64
        assert row.ticket_hash is None  # redeemed
        stored = " ".join(str(v) for v in vars(row).values())
    assert token not in stored and grant.ticket not in stored
    assert len(token) >= 40  # 32 random bytes


def test_a_ticket_is_redeemed_once_and_within_its_minute(factory, frozen):
    with factory() as session:
        add_user(session, "owner@x.org")
        session.commit()
    actor = services.sign_in(factory, "owner@x.org", DEMO_TEST_PASSWORD, client=IP, now=T0)
    late = auth.start_browser_sign_in(factory, actor, now=T0)
    with factory.begin() as session:
        assert (
            redeem(session, late.ticket, now=T0 + TICKET_LIFETIME + dt.timedelta(seconds=1)) is None
        )
    with factory.begin() as session:  # and a refused ticket is gone, not tried again
        assert redeem(session, late.ticket, now=T0) is None
    grant = auth.start_browser_sign_in(factory, actor, now=T0)
    with factory.begin() as session:
        assert redeem(session, grant.ticket, now=T0) is not None
    with factory.begin() as session:
        assert redeem(session, grant.ticket, now=T0) is None
    with factory.begin() as session:
        assert redeem(session, "not a ticket", now=T0) is None
    # The session that signed in stays signed in by its row, cookie or not.
    with factory() as session:
        assert by_id(session, late.token_id, now=T0) is not None


def test_signing_out_revokes_the_browser_everywhere(factory, frozen):
    grant, token = _signed_in(factory)
    actor = _check(factory, token, T0).actor
    services.sign_out(factory, actor, token_id=grant.token_id, now=T0)
    assert _check(factory, token, T0) is None
    with factory() as session:
        assert by_id(session, grant.token_id, now=T0) is None
        row = session.get(SignInToken, grant.token_id)
        assert row.revoked_reason == "signed out"
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.event, entry.actor, entry.details) == (
            "sign out",
            "owner@x.org",
            {"browser_signed_out": True},
        )


def test_disabling_the_account_signs_its_browsers_out(factory, frozen):
    _grant, token = _signed_in(factory)
    _other, second = _signed_in_again(factory)
    with factory.begin() as session:
        accounts.set_disabled(session, None, "owner@x.org", now=T0)
    assert _check(factory, token, T0) is None
    assert _check(factory, second, T0) is None
    with factory() as session:
        assert sign_in_tokens.live_count(session, _grant_user(session), now=T0) == 0
        ended = session.scalars(select(AuditEntry).where(AuditEntry.event == "sign-ins ended"))
        assert [(e.actor, e.target, e.details) for e in ended] == [
            ("command line", "owner@x.org", {"reason": "account disabled", "browsers": 2})
        ]
    # Enabling it again does not bring old sign-ins back.
    with factory.begin() as session:
        accounts.set_disabled(session, None, "owner@x.org", False, now=T0)
    assert _check(factory, token, T0) is None


def _signed_in_again(factory):
    actor = services.sign_in(factory, "owner@x.org", DEMO_TEST_PASSWORD, client=IP, now=T0)
    grant = auth.start_browser_sign_in(factory, actor, now=T0)
    with factory.begin() as session:
        return grant, redeem(session, grant.ticket, now=T0).token


def _grant_user(session) -> int:
    return session.scalar(select(SignInToken.user_id).limit(1))


def test_a_role_change_signs_its_browsers_out(factory, frozen):
    _grant, token = _signed_in(factory)
    with factory.begin() as session:
        admin = actor_of(session, "admin@x.org")
        accounts.set_role(session, admin, "owner@x.org", Role.OFFICER, now=T0)
    assert _check(factory, token, T0) is None
    with factory() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.event == "sign-ins ended")
        ).one()
        assert (entry.actor, entry.target, entry.details["reason"]) == (
            "admin@x.org",
            "owner@x.org",
            "role changed",
        )
    # Signing in again gives the new role.
    _other, again = _signed_in_again(factory)
    assert _check(factory, again, T0).actor.role == Role.OFFICER


def test_a_role_changed_behind_the_services_back_still_ends_the_sign_in(factory, frozen):
    """Validation compares the role at issue with the account's, revoked or not."""
    grant, token = _signed_in(factory)
    with factory.begin() as session:
        user = accounts._by_email(session, "owner@x.org")
        user.role = Role.VIEWER  # no set_role: no revocation
    assert _check(factory, token, T0) is None
    with factory() as session:
        assert sign_in_tokens.reason_invalid(session, grant.token_id, now=T0) == "role changed"


def test_a_password_reset_signs_its_browsers_out(factory, frozen):
    grant, token = _signed_in(factory)
    with factory.begin() as session:
        accounts.reset_password(session, None, "owner@x.org", "a brand new long passphrase", now=T0)
    assert _check(factory, token, T0) is None
    with factory() as session:
        assert session.get(SignInToken, grant.token_id).revoked_reason == "password reset"


def test_a_disabled_account_cannot_start_a_lasting_sign_in(factory, frozen):
    with factory() as session:
        add_user(session, "owner@x.org")
        add_user(session, "admin@x.org", "admin")
        session.commit()
    actor = services.sign_in(factory, "owner@x.org", DEMO_TEST_PASSWORD, client=IP, now=T0)
    grant = auth.start_browser_sign_in(factory, actor, now=T0)
    with factory.begin() as session:
        accounts.set_disabled(session, None, "owner@x.org", now=T0)
    with factory.begin() as session:  # disabled between signing in and fetching the cookie
        assert redeem(session, grant.ticket, now=T0) is None
    with pytest.raises(ValueError, match="disabled"):
        auth.start_browser_sign_in(factory, actor, now=T0)


def test_long_expired_rows_are_forgotten_when_a_new_one_is_issued(factory, frozen):
    grant, _token = _signed_in(factory)
    later = T0 + TOKEN_LIFETIME + sign_in_tokens.FORGET_AFTER + dt.timedelta(seconds=1)
    _other, _second = _signed_in(factory, "chair@x.org", "chair", now=later)
    with factory() as session:
        assert session.get(SignInToken, grant.token_id) is None
        assert session.scalar(select(SignInToken.id)) is not None
