"""Accounts, sign-in (password or single sign-on), sign-in throttling, roles and permissions.

Every function that changes data takes the acting person (`Actor`) and checks their permission
here, in `plan/`, whatever the pages show or hide. The clock (`now`) is a parameter so the
throttling rules can be tested.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from plan import passwords, sign_in_tokens, throttle
from plan.audit import AuditEvent, record
from plan.database import run_write
from plan.models import Action, Role, User, utcnow
from plan.throttle import Verdict
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

MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH  # why 15: see plan/passwords.py
# Longer input is refused before it reaches the database (RFC 5321 allows 320 characters).
MAX_EMAIL_LENGTH = 320
MAX_PASSWORD_LENGTH = passwords.MAX_LENGTH
MAX_NAME_LENGTH = 200
WRONG_CREDENTIALS = "Wrong e-mail or password."

_hasher = PasswordHasher()
_dummy_hashes: dict[str, str] = {}
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")


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
    REVIEW = "review owners' updates: switch review on, publish or return submissions"
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
            _P.REVIEW,
        }
    ),
    Role.CHAIR: frozenset({_P.VIEW, _P.EXPORT, _P.BOARD_DECISION}),
    Role.OWNER: frozenset({_P.VIEW, _P.UPDATE_OWN_ACTIONS}),
    Role.VIEWER: frozenset({_P.VIEW}),
}

ROLE_SUMMARY: dict[Role, str] = {
    Role.ADMIN: "manage users, import, everything",
    Role.OFFICER: "import, export, set plan periods, update any action, chase owners, "
    "review and publish owners' updates",
    Role.CHAIR: "see everything, record board decisions",
    Role.OWNER: "update the actions they own or are delegated",
    Role.VIEWER: "read only",
}


class PermissionDenied(Exception):
    """The actor may not do this; the message says why in one sentence."""


class SignInFailed(Exception):
    """Wrong e-mail or password (one answer, whatever the reason), or too many failures."""


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
    # The account's session version at sign-in: a reset password or disabling raises it.
    session_version: int = 0

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
        session_version=user.session_version,
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
    """Re-read the actor from the database: a role change or disabling applies at once, and a
    password reset ends the sessions signed in before it."""
    if actor is None:
        raise PermissionDenied("Sign in first: nobody can change anything without signing in.")
    user = session.get(User, actor.user_id, options=[selectinload(User.owner_names)])
    if user is None or user.disabled:
        raise PermissionDenied(f"The account {actor.email} is disabled or no longer exists.")
    if user.session_version != actor.session_version:
        raise PermissionDenied(
            f"The password of {actor.email} was reset or the account disabled since it signed "
            "in: sign in again."
        )
    return actor_for(user)


# --- Passwords and sign-in ------------------------------------------------------------------


# The demo accounts' password: published in the README, so no real account may use it.
DEMO_PASSWORD = "try-the-tracker"


def hash_password(password: str, *, email: str = "", name: str = "") -> str:
    check_password_strength(password, email=email, name=name)
    return _hasher.hash(password)


def published_password_hash(password: str) -> str:
    """A hash without the password rules, for the demo accounts' published password only."""
    return _hasher.hash(password)


def check_password_strength(password: str, *, email: str = "", name: str = "") -> None:
    """Refuse a password that is short, common or made of the account's own e-mail or name."""
    why = passwords.problem(password, email=email, name=name, banned=(DEMO_PASSWORD,))
    if why is not None:
        raise AccountError(why)


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


def check_sign_in_input(address: str, password: str) -> None:
    """Refuse, before any database work, what no account can match (the same for everyone)."""
    if len(address) > MAX_EMAIL_LENGTH:
        raise SignInFailed(f"An e-mail address has at most {MAX_EMAIL_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise SignInFailed(f"A password has at most {MAX_PASSWORD_LENGTH} characters.")
    if not _EMAIL.match(address):
        raise SignInFailed(WRONG_CREDENTIALS)


@dataclass(frozen=True)
class _Found:
    """What a password sign-in reads about an account before checking the password."""

    user_id: int
    password_hash: str | None
    disabled: bool


def _find(factory: sessionmaker[Session], address: str) -> _Found | None:
    """Read the account in a read-only session: no write lock while argon2 works."""
    with factory() as session:
        row = session.execute(
            select(User.id, User.password_hash, User.disabled).where(User.email == address)
        ).one_or_none()
    return None if row is None else _Found(row.id, row.password_hash, row.disabled)


def _audit_failure(session: Session, address: str, now: dt.datetime, **details: object) -> None:
    record(session, actor=address, event=AuditEvent.SIGN_IN_FAILED, details=details, now=now)


def _reserve(session: Session, address: str, client: str, now: dt.datetime) -> Verdict:
    """Count the attempt before its password is checked; refuse it if a bucket is locked."""
    verdict = throttle.reserve(session, address, client, now)
    if not verdict.allowed:
        wait = _seconds(verdict.wait)
        _audit_failure(session, address, now, reason="locked", seconds_left=wait, client=client)
    return verdict


def _record_attempt(
    session: Session,
    attempt: _Attempt,
    found: _Found | None,
    verified: bool,
    new_hash: str | None,
) -> Actor | SignInFailed:
    """Record a checked password's outcome in a short write transaction (the row locked)."""
    user = None
    if found is not None:
        user = session.get(
            User, found.user_id, with_for_update=True, options=[selectinload(User.owner_names)]
        )
    reason = _failure_reason(user, found, verified)
    if reason is not None:
        return _failed(session, attempt, reason)
    assert user is not None
    if new_hash is not None:
        user.password_hash = new_hash
    user.last_signed_in_at = attempt.now
    throttle.succeeded(session, attempt.address, attempt.client, attempt.now)
    details = {"method": "password", "client": attempt.client}
    record(
        session, actor=attempt.address, event=AuditEvent.SIGN_IN, details=details, now=attempt.now
    )
    return actor_for(user)


def _failure_reason(user: User | None, found: _Found | None, verified: bool) -> str | None:
    if user is None or found is None:
        return "unknown e-mail"
    if user.disabled:
        return "disabled"
    if user.password_hash is None:
        return "single sign-on only"
    if not verified or user.password_hash != found.password_hash:
        return "wrong password"
    return None


def _failed(session: Session, attempt: _Attempt, reason: str) -> SignInFailed:
    verdict = attempt.verdict
    _audit_failure(
        session,
        attempt.address,
        attempt.now,
        reason=reason,
        failures=verdict.failures,
        client=attempt.client,
    )
    # The same answer whatever the reason: it must not tell which e-mails have an account.
    message = WRONG_CREDENTIALS
    if verdict.wait:
        message += f" Too many failures: wait {_duration(_seconds(verdict.wait))}."
    return SignInFailed(message)


def _rehash(found: _Found, password: str) -> str | None:
    """A new hash when the stored one used weaker settings than the hasher's (else None)."""
    if found.password_hash and _hasher.check_needs_rehash(found.password_hash):
        return _hasher.hash(password)
    return None


def _seconds(wait: dt.timedelta) -> int:
    return int(wait.total_seconds() + 0.999)


def sso_authenticate(
    session: Session, claims: Mapping[str, object], *, now: dt.datetime | None = None
) -> Actor:
    """Map the e-mail single sign-on proved (OIDC claims, `st.user`) to its account and role.

    The e-mail counts only if the identity provider says it verified it (`email_verified`):
    otherwise anyone who can set an unverified e-mail at the provider could take the account.
    """
    now = now or utcnow()
    email = claims.get("email")
    address = normalise_email(email) if isinstance(email, str) else ""
    if len(address) > MAX_EMAIL_LENGTH:
        raise SignInFailed(f"An e-mail address has at most {MAX_EMAIL_LENGTH} characters.")
    user = None
    reason = _sso_claims_refusal(address, claims)
    if reason is None:
        user = session.scalar(
            select(User).where(User.email == address).options(selectinload(User.owner_names))
        )
        reason = "no account" if user is None else "disabled" if user.disabled else None
    if reason is not None or user is None:
        details = {"reason": reason, "method": "single sign-on"}
        record(
            session,
            actor=address or "(no e-mail)",
            event=AuditEvent.SIGN_IN_FAILED,
            details=details,
            now=now,
        )
        raise SignInFailed(_sso_refusal_message(reason, address))
    user.last_signed_in_at = now
    details = {"method": "single sign-on"}
    record(session, actor=address, event=AuditEvent.SIGN_IN, details=details, now=now)
    return actor_for(user)


def _sso_claims_refusal(address: str, claims: Mapping[str, object]) -> str | None:
    if not address:
        return "no e-mail"
    verified = claims.get("email_verified")
    # OIDC says a boolean; a few providers send the string "true".
    if verified is not True and not (isinstance(verified, str) and verified.lower() == "true"):
        return "e-mail not verified"
    return None


def _sso_refusal_message(reason: str | None, address: str) -> str:
    if reason == "e-mail not verified":
        return (
            f"Your identity provider has not verified the e-mail {address} (its email_verified "
            "claim is not true), so the tracker cannot sign you in with it: ask the provider's "
            "administrator to verify it."
        )
    if reason == "disabled":
        return "This account is disabled: ask an admin."
    return (
        f"Signed in as {address or 'an account without an e-mail'}, but the tracker has no "
        "account for it: ask an admin to add you (python -m plan users add)."
    )


def record_sign_out(
    session: Session,
    actor: Actor,
    *,
    token_id: int | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Sign out: the browser's lasting sign-in (if any) is revoked, so all its tabs sign out."""
    details: dict[str, object] = {}
    if token_id is not None:
        reason = sign_in_tokens.Revoked.SIGNED_OUT
        details["browser_signed_out"] = sign_in_tokens.revoke(
            session, token_id, reason=reason, now=now
        )
    record(session, actor=actor.email, event=AuditEvent.SIGN_OUT, details=details, now=now)


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{(seconds + 59) // 60} minutes"


# --- Signing in, each attempt in its own short write transaction ------------------------------


@dataclass(frozen=True)
class _Attempt:
    address: str
    client: str
    now: dt.datetime
    verdict: Verdict


def sign_in(
    factory: sessionmaker[Session],
    email: str,
    password: str,
    *,
    client: str,
    now: dt.datetime | None = None,
) -> Actor:
    """Password sign-in from `client` (the browser's address). A failure is counted and
    audited (committed), then raised.

    The attempt is counted first, in a short write transaction that also refuses it while the
    e-mail or the client is locked out (see plan.throttle). The password is then checked with
    no write lock held (argon2 takes 64 MiB and about 0.1 s; on SQLite a write transaction
    stops every other writer), and the outcome recorded in a second short write transaction.
    """
    now = now or utcnow()
    address = normalise_email(email)
    check_sign_in_input(address, password)
    client = client.strip()[:100] or "unknown"
    verdict = run_write(factory, lambda s: _reserve(s, address, client, now))
    if not verdict.allowed:
        wait = _duration(_seconds(verdict.wait))
        raise SignInFailed(f"Too many failed sign-ins: try again in {wait}.")
    found = _find(factory, address)
    usable = found.password_hash if found is not None and not found.disabled else None
    verified = _verify(usable, password)
    new_hash = _rehash(found, password) if verified and found is not None else None
    attempt = _Attempt(address, client, now, verdict)
    outcome = run_write(factory, lambda s: _record_attempt(s, attempt, found, verified, new_hash))
    if isinstance(outcome, SignInFailed):
        raise outcome
    run_write(factory, lambda s: throttle.forget_stale(s, now))
    return outcome


def sso_sign_in(
    factory: sessionmaker[Session],
    claims: Mapping[str, object],
    *,
    now: dt.datetime | None = None,
) -> Actor:
    """Single sign-on with the identity provider's claims (`st.user`): e-mail, email_verified."""

    def attempt(session: Session) -> Actor | SignInFailed:
        try:
            return sso_authenticate(session, claims, now=now)
        except SignInFailed as error:
            return error

    outcome = run_write(factory, attempt)
    if isinstance(outcome, SignInFailed):
        raise outcome
    return outcome


def sign_out(
    factory: sessionmaker[Session],
    actor: Actor,
    *,
    token_id: int | None = None,
    now: dt.datetime | None = None,
) -> None:
    run_write(factory, lambda s: record_sign_out(s, actor, token_id=token_id, now=now))


def start_browser_sign_in(
    factory: sessionmaker[Session], actor: Actor, *, now: dt.datetime | None = None
) -> sign_in_tokens.Grant:
    """A lasting sign-in for the actor who just signed in (see plan.sign_in_tokens)."""
    return run_write(factory, lambda session: sign_in_tokens.grant(session, actor, now=now))
