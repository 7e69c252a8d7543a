"""Managing accounts: adding them, roles, disabling, password resets, owner names, and the
demo accounts. Admins do this (`Permission.MANAGE_USERS`); the command line acts as the
server's operator. Every change is audited, and a change that should end someone's sign-ins
(disabling, a new role, a reset password) revokes their lasting sign-in tokens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from plan import sign_in_tokens, throttle
from plan.audit import AuditEvent, record
from plan.auth import (
    _EMAIL,
    DEMO_PASSWORD,
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    AccountError,
    Actor,
    Permission,
    hash_password,
    normalise_email,
    published_password_hash,
    refresh,
    require,
)
from plan.models import Role, User, UserOwnerName, utcnow
from plan.throttle import aware
from rulebook.owners import owner_key

# --- Managing accounts (admins; the CLI acts as the operator of the server) ----------------------

CLI_OPERATOR = "command line"


def _by_email(session: Session, email: str) -> User:
    address = normalise_email(email)
    user = session.scalar(
        select(User).where(User.email == address).options(selectinload(User.owner_names))
    )
    if user is None:
        raise AccountError(f"There is no account for {address}.")
    return user


def _operator(session: Session, actor: Actor | None) -> str:
    """Who is managing accounts: an admin, or (actor None) the server's command line."""
    if actor is None:
        return CLI_OPERATOR
    return require(refresh(session, actor), Permission.MANAGE_USERS).email


@dataclass(frozen=True)
class PresetHash:
    """An argon2 hash made elsewhere (the demo accounts' published password)."""

    hash: str


def add_user(
    session: Session,
    actor: Actor | None,
    email: str,
    *,
    name: str | None = None,
    role: Role,
    password: str | PresetHash | None,
    owner_names: Iterable[str] = (),
    now: dt.datetime | None = None,
) -> User:
    """A new account; password None makes a single-sign-on-only account.

    A PresetHash (instead of a password) is for the demo accounts only: their password is
    published, so the password rules would refuse it.
    """
    by = _operator(session, actor)
    address = normalise_email(email)
    if len(address) > MAX_EMAIL_LENGTH:
        raise AccountError(f"An e-mail address has at most {MAX_EMAIL_LENGTH} characters.")
    if not _EMAIL.match(address):
        raise AccountError(f"'{email}' is not an e-mail address.")
    if len((name or "").strip()) > MAX_NAME_LENGTH:
        raise AccountError(f"A name has at most {MAX_NAME_LENGTH} characters.")
    if session.scalar(select(func.count(User.id)).where(User.email == address)):
        raise AccountError(f"There is already an account for {address}.")
    display_name = (name or "").strip() or address.split("@")[0]
    password_hash = password.hash if isinstance(password, PresetHash) else None
    if isinstance(password, str):
        password_hash = hash_password(password, email=address, name=display_name)
    user = User(
        email=address,
        display_name=display_name,
        role=Role(role),
        password_hash=password_hash,
        created_at=now or utcnow(),
    )
    session.add(user)
    links = _clean_names(owner_names)
    user.owner_names = [UserOwnerName(name=n) for n in links]
    session.flush()
    record(
        session,
        actor=by,
        event=AuditEvent.USER_ADDED,
        target=address,
        details={
            "role": user.role.value,
            "password": password_hash is not None,
            "owner_names": links,
        },
        now=now,
    )
    return user


def _clean_names(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        tidy = " ".join(name.split())
        if tidy:
            seen.setdefault(owner_key(tidy), tidy)
    return list(seen.values())


def set_role(
    session: Session, actor: Actor | None, email: str, role: Role, *, now: dt.datetime | None = None
) -> User:
    by = _operator(session, actor)
    user = _by_email(session, email)
    old = user.role
    if old == role:
        return user
    if old == Role.ADMIN and _other_active_admins(session, user) == 0:
        raise AccountError("This is the last active admin: make another admin first.")
    user.role = Role(role)
    record(
        session,
        actor=by,
        event=AuditEvent.ROLE_CHANGED,
        target=user.email,
        details={"from": old.value, "to": user.role.value},
        now=now,
    )
    # Browsers signed in with the old role sign in again, so they never keep its rights.
    sign_in_tokens.revoke_all(
        session, user, reason=sign_in_tokens.Revoked.ROLE_CHANGED, by=by, now=now
    )
    return user


def _other_active_admins(session: Session, user: User) -> int:
    count = session.scalar(
        select(func.count(User.id)).where(
            User.role == Role.ADMIN, User.disabled.is_(False), User.id != user.id
        )
    )
    return count or 0


def set_disabled(
    session: Session,
    actor: Actor | None,
    email: str,
    disabled: bool = True,
    *,
    now: dt.datetime | None = None,
) -> User:
    by = _operator(session, actor)
    user = _by_email(session, email)
    if user.disabled == disabled:
        return user
    if disabled and user.role == Role.ADMIN and _other_active_admins(session, user) == 0:
        raise AccountError("This is the last active admin: make another admin first.")
    user.disabled = disabled
    user.session_version += 1
    record(
        session,
        actor=by,
        event=AuditEvent.USER_DISABLED if disabled else AuditEvent.USER_ENABLED,
        target=user.email,
        now=now,
    )
    if disabled:
        sign_in_tokens.revoke_all(
            session, user, reason=sign_in_tokens.Revoked.DISABLED, by=by, now=now
        )
    return user


def reset_password(
    session: Session,
    actor: Actor | None,
    email: str,
    password: str,
    *,
    now: dt.datetime | None = None,
) -> User:
    by = _operator(session, actor)
    user = _by_email(session, email)
    user.password_hash = hash_password(password, email=user.email, name=user.display_name)
    user.session_version += 1
    throttle.forget_email(session, user.email)
    record(session, actor=by, event=AuditEvent.PASSWORD_RESET, target=user.email, now=now)
    sign_in_tokens.revoke_all(
        session, user, reason=sign_in_tokens.Revoked.PASSWORD_RESET, by=by, now=now
    )
    return user


def link_owner_names(
    session: Session,
    actor: Actor | None,
    email: str,
    names: Iterable[str],
    *,
    now: dt.datetime | None = None,
) -> User:
    """Let the account update actions whose owner (as written in plans) is one of `names`."""
    by = _operator(session, actor)
    user = _by_email(session, email)
    have = {owner_key(link.name) for link in user.owner_names}
    added = [n for n in _clean_names(names) if owner_key(n) not in have]
    for name in added:
        user.owner_names.append(UserOwnerName(name=name))
    if added:
        record(
            session,
            actor=by,
            event=AuditEvent.OWNER_LINKED,
            target=user.email,
            details={"names": added},
            now=now,
        )
    return user


def unlink_owner_names(
    session: Session,
    actor: Actor | None,
    email: str,
    names: Iterable[str],
    *,
    now: dt.datetime | None = None,
) -> User:
    by = _operator(session, actor)
    user = _by_email(session, email)
    drop = {owner_key(n) for n in names}
    removed = [link.name for link in user.owner_names if owner_key(link.name) in drop]
    user.owner_names = [link for link in user.owner_names if owner_key(link.name) not in drop]
    if removed:
        record(
            session,
            actor=by,
            event=AuditEvent.OWNER_UNLINKED,
            target=user.email,
            details={"names": removed},
            now=now,
        )
    return user


@dataclass(frozen=True)
class UserRow:
    email: str
    name: str
    role: Role
    disabled: bool
    password: bool
    owner_names: tuple[str, ...]
    last_signed_in_at: dt.datetime | None


def list_users(session: Session, actor: Actor | None) -> list[UserRow]:
    _operator(session, actor)
    users = session.scalars(
        select(User).order_by(User.email).options(selectinload(User.owner_names))
    )
    return [
        UserRow(
            email=u.email,
            name=u.display_name,
            role=u.role,
            disabled=u.disabled,
            password=u.password_hash is not None,
            owner_names=tuple(link.name for link in u.owner_names),
            last_signed_in_at=aware(u.last_signed_in_at),
        )
        for u in users
    ]


def count_users(session: Session) -> int:
    return session.scalar(select(func.count(User.id))) or 0


# --- Demo accounts ---------------------------------------------------------------------------

# Only ever created with the bundled demo plans (see plan.bootstrap); documented in README.md.
DEMO_ACCOUNTS: tuple[tuple[str, str, Role, tuple[str, ...]], ...] = (
    ("admin@demo.local", "Demo Admin", Role.ADMIN, ()),
    ("officer@demo.local", "Demo Officer", Role.OFFICER, ()),
    ("chair@demo.local", "Demo Chair", Role.CHAIR, ()),
    ("owner@demo.local", "Kylie Thornton (demo owner)", Role.OWNER, ("Kylie Thornton", "Ian Peet")),
    ("viewer@demo.local", "Demo Viewer", Role.VIEWER, ()),
)


def add_demo_accounts(session: Session) -> int:
    """One account per role, all with DEMO_PASSWORD, into a database that has no accounts."""
    if count_users(session):
        return 0
    demo_hash = published_password_hash(DEMO_PASSWORD)
    for email, name, role, owners in DEMO_ACCOUNTS:
        add_user(
            session,
            None,
            email,
            name=name,
            role=role,
            password=PresetHash(demo_hash),
            owner_names=owners,
        )
    return len(DEMO_ACCOUNTS)


def enabled_demo_accounts(session: Session) -> list[str]:
    """The demo accounts in this database that can still sign in with DEMO_PASSWORD."""
    emails = [email for email, *_ in DEMO_ACCOUNTS]
    return list(
        session.scalars(
            select(User.email)
            .where(User.email.in_(emails), User.disabled.is_(False))
            .order_by(User.email)
        )
    )


def demo_accounts_present(session: Session) -> bool:
    """Whether demo accounts can sign in here (so the sign-in page may list them)."""
    return bool(enabled_demo_accounts(session))


def disable_demo_accounts(session: Session, actor: Actor | None) -> list[str]:
    """Disable the demo accounts still enabled (a real admin must exist); returns them."""
    emails = enabled_demo_accounts(session)
    for email in emails:
        set_disabled(session, actor, email)
    return emails
