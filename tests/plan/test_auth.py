"""Accounts, password sign-in, throttling, single sign-on mapping and every permission rule."""

import datetime as dt
import io

import pytest
from sqlalchemy import select

from plan import accounts, auth, services, throttle
from plan.auth import AccountError, Permission, PermissionDenied, Role, SignInFailed
from plan.cli import main
from plan.models import AuditEntry
from tests.builders import (
    DEMO_TEST_PASSWORD,
    actor_of,
    add_action,
    add_plan,
    add_user,
    cheap_hasher,
)

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
IP = "192.0.2.1"


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    monkeypatch.setattr("plan.auth._hasher", cheap_hasher())


def _events(session) -> list[tuple[str, str, str | None]]:
    return [
        (e.actor, e.event, e.target)
        for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    ]


def test_role_permissions_match_the_issue():
    can = {role: auth.ROLE_PERMISSIONS[role] for role in Role}
    assert can[Role.ADMIN] == frozenset(Permission)
    assert {
        Permission.IMPORT,
        Permission.EXPORT,
        Permission.UPDATE_ANY_ACTION,
        Permission.CHASE,
    } <= can[Role.OFFICER]
    assert Permission.MANAGE_USERS not in can[Role.OFFICER]
    assert can[Role.CHAIR] >= {Permission.VIEW, Permission.BOARD_DECISION}
    assert Permission.UPDATE_OWN_ACTIONS not in can[Role.CHAIR]
    assert can[Role.OWNER] == {Permission.VIEW, Permission.UPDATE_OWN_ACTIONS}
    assert can[Role.VIEWER] == {Permission.VIEW}


def test_passwords_are_argon2_hashed_never_stored(session):
    user = accounts.add_user(
        session, None, "A@X.org", role=Role.ADMIN, password="long enough passphrase"
    )
    assert user.email == "a@x.org"
    assert user.password_hash.startswith("$argon2")
    assert "long enough passphrase" not in user.password_hash


def test_sign_in_checks_the_password_and_audits(factory):
    with factory() as session:
        add_user(session, "owner@x.org", owner_names=["Kylie Thornton"])
        session.commit()
    actor = services.sign_in(factory, " OWNER@x.org ", DEMO_TEST_PASSWORD, client=IP, now=T0)
    assert (actor.email, actor.role, actor.owner_names) == (
        "owner@x.org",
        Role.OWNER,
        ("Kylie Thornton",),
    )
    with pytest.raises(SignInFailed, match="Wrong e-mail or password"):
        services.sign_in(factory, "owner@x.org", "wrong", client=IP, now=T0)
    with pytest.raises(SignInFailed, match="Wrong e-mail or password"):
        services.sign_in(factory, "nobody@x.org", "wrong", client=IP, now=T0)
    with factory() as session:
        assert [(a, e) for a, e, _ in _events(session)][-3:] == [
            ("owner@x.org", "sign in"),
            ("owner@x.org", "sign in failed"),
            ("nobody@x.org", "sign in failed"),
        ]


def test_repeated_failures_are_slowed_down_with_a_growing_lock(factory):
    with factory() as session:
        add_user(session, "o@x.org")
        session.commit()
    for attempt in range(throttle.PAIR.free - 1):
        with pytest.raises(SignInFailed) as failure:
            services.sign_in(
                factory, "o@x.org", "wrong", client=IP, now=T0 + dt.timedelta(seconds=attempt)
            )
        assert "wait" not in str(failure.value)
    with pytest.raises(SignInFailed, match="wait 30 seconds"):
        services.sign_in(factory, "o@x.org", "wrong", client=IP, now=T0)
    # Locked: even the right password is refused until the window passes.
    with pytest.raises(SignInFailed, match="try again in 20 seconds"):
        services.sign_in(
            factory, "o@x.org", DEMO_TEST_PASSWORD, client=IP, now=T0 + dt.timedelta(seconds=10)
        )
    later = T0 + dt.timedelta(seconds=31)
    with pytest.raises(SignInFailed, match="wait 60 seconds"):
        services.sign_in(factory, "o@x.org", "wrong", client=IP, now=later)
    assert throttle.PAIR.window(20) == throttle.PAIR.max_lock
    actor = services.sign_in(
        factory, "o@x.org", DEMO_TEST_PASSWORD, client=IP, now=later + dt.timedelta(seconds=61)
    )
    assert actor.email == "o@x.org"
    with factory() as session:
        assert throttle.failures(session, "o@x.org", IP) == 0


def test_disabled_and_sso_only_accounts_cannot_sign_in_with_a_password(factory):
    with factory() as session:
        add_user(session, "off@x.org")
        add_user(session, "sso@x.org", password=None)
        add_user(session, "admin@x.org", "admin")
        accounts.set_disabled(session, None, "off@x.org")
        session.commit()
    with pytest.raises(SignInFailed, match="Wrong e-mail or password"):
        services.sign_in(factory, "off@x.org", DEMO_TEST_PASSWORD, client=IP)
    with pytest.raises(SignInFailed, match="Wrong"):
        services.sign_in(factory, "sso@x.org", "", client=IP)


def test_single_sign_on_maps_the_email_to_an_account(factory):
    with factory() as session:
        add_user(session, "chair@x.org", "chair", password=None)
        session.commit()
    actor = services.sso_sign_in(factory, {"email": "Chair@X.org", "email_verified": True})
    assert actor.role == Role.CHAIR
    with pytest.raises(SignInFailed, match="no account"):
        services.sso_sign_in(factory, {"email": "stranger@x.org", "email_verified": True})
    with pytest.raises(SignInFailed):
        services.sso_sign_in(factory, {"email": None})
    with factory() as session:
        events = [e for _, e, _ in _events(session)]
    assert events[-3:] == ["sign in", "sign in failed", "sign in failed"]


def test_owner_may_update_only_actions_with_a_linked_name(session):
    plan = add_plan(session)
    mine = add_action(session, plan, "Mine", owners=["Kylie Thornton", "GMP"])
    theirs = add_action(session, plan, "Theirs", owners=["Ian Peet"])
    add_user(session, "o@x.org", owner_names=["KYLIE  thornton"])
    owner = actor_of(session, "o@x.org")
    assert auth.require(owner, Permission.UPDATE_OWN_ACTIONS, mine) == owner
    with pytest.raises(PermissionDenied, match=r"only update their own actions.*Ian Peet"):
        auth.require(owner, Permission.UPDATE_OWN_ACTIONS, theirs)
    with pytest.raises(PermissionDenied, match="Sign in first"):
        auth.require(None, Permission.VIEW)
    for role in (Role.VIEWER, Role.CHAIR):
        add_user(session, f"{role.value}@x.org", role.value, owner_names=["Ian Peet"])
        with pytest.raises(PermissionDenied, match="cannot update actions"):
            auth.require(
                actor_of(session, f"{role.value}@x.org"), Permission.UPDATE_OWN_ACTIONS, theirs
            )
    add_user(session, "officer@x.org", "officer")
    assert auth.may_update(actor_of(session, "officer@x.org"), theirs)


def test_only_admins_manage_users(session):
    add_user(session, "admin@x.org", "admin")
    add_user(session, "officer@x.org", "officer")
    officer = actor_of(session, "officer@x.org")
    with pytest.raises(PermissionDenied, match="cannot manage users"):
        accounts.add_user(
            session, officer, "new@x.org", role=Role.ADMIN, password="long enough passphrase"
        )
    with pytest.raises(PermissionDenied):
        accounts.set_role(session, officer, "officer@x.org", Role.ADMIN)
    admin = actor_of(session, "admin@x.org")
    accounts.set_role(session, admin, "officer@x.org", Role.CHAIR)
    assert [(a, e, t) for a, e, t in _events(session)][-1] == (
        "admin@x.org",
        "role changed",
        "officer@x.org",
    )


def test_account_rules(session):
    add_user(session, "admin@x.org", "admin")
    with pytest.raises(AccountError, match="already an account"):
        accounts.add_user(session, None, "ADMIN@x.org", role=Role.OWNER, password=None)
    with pytest.raises(AccountError, match="not an e-mail"):
        accounts.add_user(session, None, "not-an-email", role=Role.OWNER, password=None)
    with pytest.raises(AccountError, match="at least 15"):
        accounts.add_user(session, None, "b@x.org", role=Role.OWNER, password="short")
    with pytest.raises(AccountError, match="last active admin"):
        accounts.set_role(session, None, "admin@x.org", Role.VIEWER)
    with pytest.raises(AccountError, match="last active admin"):
        accounts.set_disabled(session, None, "admin@x.org")
    with pytest.raises(AccountError, match="no account"):
        accounts.reset_password(session, None, "ghost@x.org", "long enough passphrase")


def test_a_role_change_applies_to_a_signed_in_actor_at_once(session):
    add_user(session, "o@x.org", "officer")
    actor = actor_of(session, "o@x.org")
    accounts.set_role(session, None, "o@x.org", Role.VIEWER)
    assert auth.refresh(session, actor).role == Role.VIEWER
    accounts.set_disabled(session, None, "o@x.org")
    with pytest.raises(PermissionDenied, match="disabled"):
        auth.refresh(session, actor)


def test_link_and_unlink_owner_names(session):
    add_user(session, "o@x.org")
    accounts.link_owner_names(
        session, None, "o@x.org", ["Kylie Thornton", " kylie thornton ", "Probation"]
    )
    user = accounts.link_owner_names(session, None, "o@x.org", ["PROBATION"])
    assert [n.name for n in user.owner_names] == ["Kylie Thornton", "Probation"]
    user = accounts.unlink_owner_names(session, None, "o@x.org", ["probation"])
    assert [n.name for n in user.owner_names] == ["Kylie Thornton"]
    assert [e for _, e, _ in _events(session)][-2:] == ["owner name linked", "owner name unlinked"]


def test_demo_accounts_one_per_role_only_into_an_empty_database(session):
    assert accounts.add_demo_accounts(session) == 5
    rows = accounts.list_users(session, None)
    assert sorted(r.role for r in rows) == sorted(Role)
    owner = next(r for r in rows if r.role == Role.OWNER)
    assert owner.email == "owner@demo.local"
    assert set(owner.owner_names) == {"Kylie Thornton", "Ian Peet"}
    assert accounts.add_demo_accounts(session) == 0


def test_real_deployment_has_no_accounts(engine):
    from plan.bootstrap import prepare_database

    factory = prepare_database(engine, load_demo=False)
    with factory() as session:
        assert accounts.count_users(session) == 0


def test_cli_users_commands(database_url, monkeypatch, capsys, factory):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("first admin passphrase\n"))
    assert main(["users", "add", "Boss@x.org", "--role", "admin", "--password-stdin"]) == 0
    assert (
        main(
            [
                "users",
                "add",
                "k@x.org",
                "--role",
                "owner",
                "--sso-only",
                "--owner",
                "Kylie Thornton",
            ]
        )
        == 0
    )
    assert main(["users", "link", "k@x.org", "Probation"]) == 0
    assert main(["users", "set-role", "k@x.org", "officer"]) == 0
    assert main(["users", "disable", "k@x.org"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a new passphrase!\n"))
    assert main(["users", "reset-password", "boss@x.org", "--password-stdin"]) == 0
    capsys.readouterr()
    assert main(["users", "list"]) == 0
    listing = capsys.readouterr().out
    assert "boss@x.org (boss): admin; last sign-in never" in listing
    assert "k@x.org (k): officer, disabled, single sign-on only" in listing
    assert "owner names: Kylie Thornton, Probation" in listing
    assert main(["users", "set-role", "boss@x.org", "viewer"]) == 2
    assert "last active admin" in capsys.readouterr().err
    assert main(["users", "add", "boss@x.org", "--role", "owner", "--sso-only"]) == 2
    assert (
        services.sign_in(factory, "boss@x.org", "a new passphrase!", client=IP).role == Role.ADMIN
    )
    with factory() as session:
        events = [(a, e) for a, e, _ in _events(session)]
    assert events[:2] == [("command line", "user added"), ("command line", "user added")]
    assert ("command line", "password reset") in events
