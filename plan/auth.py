"""Accounts, sign-in (password or single sign-on), sign-in throttling, roles and permissions.

Every function that changes data takes the acting person (`Actor`) and checks their permission
here, in `plan/`, whatever the pages show or hide. The clock (`now`) is a parameter so the
throttling rules can be tested.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from plan.audit import AuditEvent, record
from plan.database import run_write
from plan.models import Action, Role, User, UserOwnerName, utcnow
from rulebook.owners import owner_key

__all__ = [
    "ROLE_PERMISSIONS",
    "AccountError",
    "Actor",
    "Permission",
    "PermissionDenied",
    "Role",
    "SignInFailed",
]

# Sign-in throttling: the first FREE_ATTEMPTS failures in a row cost nothing; each further one
# locks the account for a window that doubles, up to MAX_LOCK.
FREE_ATTEMPTS = 3
FIRST_LOCK = dt.timedelta(seconds=30)
MAX_LOCK = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()
_dummy_hashes: dict[str, str] = {}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Permission(StrEnum):
    VIEW = "see plans and actions"
    UPDATE_OWN_ACTIONS = "update the actions they own"
    UPDATE_ANY_ACTION = "update any action"
    BULK_UPDATE = "update many actions at once"
    BOARD_DECISION = "record a board decision"
    IMPORT = "import plans"
    EDIT_PLANS = "edit a plan's details (its period)"
    EXPORT = "export plans"
    CHASE = "chase owners for updates"
    MANAGE_USERS = "manage users"
    VIEW_AUDIT = "see the audit log"


_P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.OFFICER: frozenset(
        {
            _P.VIEW,
            _P.UPDATE_OWN_ACTIONS,
            _P.UPDATE_ANY_ACTION,
            _P.BULK_UPDATE,
            _P.IMPORT,
            _P.EDIT_PLANS,
            _P.EXPORT,
            _P.CHASE,
        }
    ),
    Role.CHAIR: frozenset({_P.VIEW, _P.EXPORT, _P.BOARD_DECISION}),
    Role.OWNER: frozenset({_P.VIEW, _P.UPDATE_OWN_ACTIONS}),
    Role.VIEWER: frozenset({_P.VIEW}),
}

ROLE_SUMMARY: dict[Role, str] = {
    Role.ADMIN: "manage users, import, everything",
    Role.OFFICER: "import, export, set plan periods, update any action, chase owners",
    Role.CHAIR: "see everything, record board decisions",
    Role.OWNER: "update the actions they own or are delegated",
    Role.VIEWER: "read only",
}


class PermissionDenied(Exception):
    """The actor may not do this; the message says why in one sentence."""


class SignInFailed(Exception):
    """Wrong e-mail or password, a disabled account, or too many recent failures."""


class AccountError(Exception):
    """An account change that cannot be made (duplicate e-mail, short password…)."""


@dataclass(frozen=True)
class Actor:
    """The signed-in person as the services see them (a snapshot; services re-read it)."""

    user_id: int
    email: str
    name: str
    role: Role
    owner_names: tuple[str, ...] = ()

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    @property
    def label(self) -> str:
        return f"{self.name} <{self.email}>"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def actor_for(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        email=user.email,
        name=user.display_name,
        role=user.role,
        owner_names=tuple(link.name for link in user.owner_names),
    )


# --- Permissions ------------------------------------------------------------------------------


def may_update(actor: Actor, action: Action) -> bool:
    return may_update_owners(actor, action.owner_names)


def may_update_owners(actor: Actor, owner_names: Iterable[str]) -> bool:
    """Officers and admins update any action; owners those with a name linked to them.

    Names match on rulebook.owners.owner_key, the key stored beside every owner name, so
    this agrees with the SQL that lists an owner's actions (plan.queries.my_actions).
    """
    if actor.can(Permission.UPDATE_ANY_ACTION):
        return True
    if not actor.can(Permission.UPDATE_OWN_ACTIONS):
        return False
    mine = {owner_key(n) for n in actor.owner_names}
    return any(owner_key(name) in mine for name in owner_names)


def require(actor: Actor | None, permission: Permission, action: Action | None = None) -> Actor:
    """Return the actor if they may; else raise PermissionDenied saying why."""
    if actor is None:
        raise PermissionDenied("Sign in first: nobody can change anything without signing in.")
    if permission in (Permission.UPDATE_OWN_ACTIONS, Permission.UPDATE_ANY_ACTION):
        if action is None:
            if actor.can(Permission.UPDATE_OWN_ACTIONS) or actor.can(permission):
                return actor
        elif may_update(actor, action):
            return actor
        elif actor.can(Permission.UPDATE_OWN_ACTIONS):
            owners = ", ".join(action.owner_names) or "no named owner"
            raise PermissionDenied(
                f"{actor.email} may only update their own actions; action "
                f"{action.ref or action.id} belongs to {owners}."
            )
        raise PermissionDenied(
            f"{actor.email} is a {actor.role.value} and cannot update actions "
            f"({ROLE_SUMMARY[actor.role]})."
        )
    if not actor.can(permission):
        raise PermissionDenied(
            f"{actor.email} is a {actor.role.value} and cannot {permission.value} "
            f"({ROLE_SUMMARY[actor.role]})."
        )
    return actor


def refresh(session: Session, actor: Actor | None) -> Actor:
    """Re-read the actor from the database: a role change or disabling applies at once."""
    if actor is None:
        raise PermissionDenied("Sign in first: nobody can change anything without signing in.")
    user = session.get(User, actor.user_id, options=[selectinload(User.owner_names)])
    if user is None or user.disabled:
        raise PermissionDenied(f"The account {actor.email} is disabled or no longer exists.")
    return actor_for(user)


# --- Passwords and sign-in ------------------------------------------------------------------


def hash_password(password: str) -> str:
    check_password_strength(password)
    return _hasher.hash(password)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if not password.strip():
        raise AccountError("A password cannot be only spaces.")


def _dummy_hash() -> str:
    # Verified against when there is no hash to check, so every failure takes the same time.
    key = f"{_hasher.time_cost}/{_hasher.memory_cost}/{_hasher.parallelism}"
    if key not in _dummy_hashes:
        _dummy_hashes[key] = _hasher.hash("not a real password, only for timing")
    return _dummy_hashes[key]


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        _hasher.verify(password_hash or _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return bool(password_hash)


def lock_window(failures: int) -> dt.timedelta:
    """How long an account waits after `failures` failed sign-ins in a row."""
    if failures < FREE_ATTEMPTS:
        return dt.timedelta(0)
    return min(FIRST_LOCK * 2 ** (failures - FREE_ATTEMPTS), MAX_LOCK)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands back naive datetimes; they are stored as UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def authenticate(
    session: Session, email: str, password: str, *, now: dt.datetime | None = None
) -> Actor:
    """Check an e-mail and password inside the caller's transaction.

    Failures are counted (and the account locked for a growing window) in the same transaction;
    the caller commits and then the SignInFailed is raised (see `sign_in`).
    """
    now = now or utcnow()
    address = normalise_email(email)
    user = session.scalar(
        select(User).where(User.email == address).options(selectinload(User.owner_names))
    )
    if user is None:
        _verify(None, password)
        record(
            session,
            actor=address or "(blank)",
            event=AuditEvent.SIGN_IN_FAILED,
            details={"reason": "unknown e-mail"},
            now=now,
        )
        raise SignInFailed("Wrong e-mail or password.")
    locked_until = _aware(user.locked_until)
    if locked_until is not None and locked_until > now:
        wait = int((locked_until - now).total_seconds()) + 1
        record(
            session,
            actor=address,
            event=AuditEvent.SIGN_IN_FAILED,
            details={"reason": "locked", "seconds_left": wait},
            now=now,
        )
        raise SignInFailed(
            f"Too many failed sign-ins for this account: try again in {_duration(wait)}."
        )
    if user.disabled:
        _verify(None, password)
        record(
            session,
            actor=address,
            event=AuditEvent.SIGN_IN_FAILED,
            details={"reason": "disabled"},
            now=now,
        )
        raise SignInFailed("This account is disabled: ask an admin.")
    if not _verify(user.password_hash, password):
        user.failed_attempts += 1
        user.last_failed_at = now
        window = lock_window(user.failed_attempts)
        user.locked_until = now + window if window else None
        record(
            session,
            actor=address,
            event=AuditEvent.SIGN_IN_FAILED,
            details={
                "reason": "wrong password" if user.password_hash else "single sign-on only",
                "failures": user.failed_attempts,
            },
            now=now,
        )
        message = "Wrong e-mail or password."
        if window:
            message += f" Too many failures: wait {_duration(int(window.total_seconds()))}."
        raise SignInFailed(message)
    if _hasher.check_needs_rehash(user.password_hash or ""):
        user.password_hash = _hasher.hash(password)
    user.failed_attempts = 0
    user.locked_until = None
    user.last_signed_in_at = now
    record(
        session, actor=address, event=AuditEvent.SIGN_IN, details={"method": "password"}, now=now
    )
    return actor_for(user)


def sso_authenticate(
    session: Session, email: str | None, *, now: dt.datetime | None = None
) -> Actor:
    """Map an e-mail proved by single sign-on (OIDC, `st.user.email`) to its account and role."""
    now = now or utcnow()
    address = normalise_email(email or "")
    user = session.scalar(
        select(User).where(User.email == address).options(selectinload(User.owner_names))
    )
    if not address or user is None or user.disabled:
        reason = "no e-mail" if not address else "no account" if user is None else "disabled"
        record(
            session,
            actor=address or "(no e-mail)",
            event=AuditEvent.SIGN_IN_FAILED,
            details={"reason": reason, "method": "single sign-on"},
            now=now,
        )
        if user is not None:
            raise SignInFailed("This account is disabled: ask an admin.")
        raise SignInFailed(
            f"Signed in as {address or 'an account without an e-mail'}, but the tracker has no "
            "account for it: ask an admin to add you (python -m plan users add)."
        )
    user.last_signed_in_at = now
    record(
        session,
        actor=address,
        event=AuditEvent.SIGN_IN,
        details={"method": "single sign-on"},
        now=now,
    )
    return actor_for(user)


def record_sign_out(session: Session, actor: Actor, *, now: dt.datetime | None = None) -> None:
    record(session, actor=actor.email, event=AuditEvent.SIGN_OUT, now=now)


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{(seconds + 59) // 60} minutes"


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


def add_user(
    session: Session,
    actor: Actor | None,
    email: str,
    *,
    name: str | None = None,
    role: Role,
    password: str | None,
    owner_names: Iterable[str] = (),
    now: dt.datetime | None = None,
) -> User:
    """A new account; password None makes a single-sign-on-only account."""
    by = _operator(session, actor)
    address = normalise_email(email)
    if not _EMAIL.match(address):
        raise AccountError(f"'{email}' is not an e-mail address.")
    if session.scalar(select(func.count(User.id)).where(User.email == address)):
        raise AccountError(f"There is already an account for {address}.")
    user = User(
        email=address,
        display_name=(name or "").strip() or address.split("@")[0],
        role=Role(role),
        password_hash=hash_password(password) if password is not None else None,
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
            "password": password is not None,
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
    record(
        session,
        actor=by,
        event=AuditEvent.USER_DISABLED if disabled else AuditEvent.USER_ENABLED,
        target=user.email,
        now=now,
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
    user.password_hash = hash_password(password)
    user.failed_attempts = 0
    user.locked_until = None
    record(session, actor=by, event=AuditEvent.PASSWORD_RESET, target=user.email, now=now)
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
            last_signed_in_at=_aware(u.last_signed_in_at),
        )
        for u in users
    ]


def count_users(session: Session) -> int:
    return session.scalar(select(func.count(User.id))) or 0


# --- Demo accounts ---------------------------------------------------------------------------

# Only ever created with the bundled demo plans (see plan.bootstrap); documented in README.md.
DEMO_PASSWORD = "try-the-tracker"
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
    for email, name, role, owners in DEMO_ACCOUNTS:
        add_user(
            session, None, email, name=name, role=role, password=DEMO_PASSWORD, owner_names=owners
        )
    return len(DEMO_ACCOUNTS)


def demo_accounts_present(session: Session) -> bool:
    """Whether this database has the documented demo accounts (so the page may list them)."""
    emails = [email for email, *_ in DEMO_ACCOUNTS]
    return session.scalar(select(User.id).where(User.email.in_(emails)).limit(1)) is not None


# --- Signing in, each attempt in its own short write transaction ------------------------------


def sign_in(
    factory: sessionmaker[Session], email: str, password: str, *, now: dt.datetime | None = None
) -> Actor:
    """Password sign-in. A failure is counted and audited (committed), then raised."""

    def attempt(session: Session) -> Actor | SignInFailed:
        try:
            return authenticate(session, email, password, now=now)
        except SignInFailed as error:
            return error

    outcome = run_write(factory, attempt)
    if isinstance(outcome, SignInFailed):
        raise outcome
    return outcome


def sso_sign_in(
    factory: sessionmaker[Session], email: str | None, *, now: dt.datetime | None = None
) -> Actor:
    def attempt(session: Session) -> Actor | SignInFailed:
        try:
            return sso_authenticate(session, email, now=now)
        except SignInFailed as error:
            return error

    outcome = run_write(factory, attempt)
    if isinstance(outcome, SignInFailed):
        raise outcome
    return outcome


def sign_out(factory: sessionmaker[Session], actor: Actor) -> None:
    run_write(factory, lambda session: record_sign_out(session, actor))
