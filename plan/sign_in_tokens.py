"""Sign-in that lasts: an opaque random token per browser, kept hashed in the database.

After a password sign-in the page asks for a `Grant`: a new row whose token does not exist
yet, and a one-use ticket. The browser is sent to the tracker's own route with the ticket
(a minute to use it, once); the route `redeem`s it for a fresh token and puts that in an
HttpOnly, SameSite=Strict cookie. So the token itself never appears in a URL, and the cookie
holds nothing but random bytes: not the e-mail, not the role.

Every page run checks the browser's sign-in again (`by_token` from the cookie, `by_id` for the
Streamlit session that signed in): the row must exist, be unrevoked and unexpired, and its
account enabled with the same role and session version as when it was issued. Only digests
(SHA-256) are stored, so a copy of the database cannot be used to sign in.

Signing out revokes the row, so every tab of that browser is signed out on its next run;
disabling an account, changing its role or resetting its password revokes all its rows
(`revoke_all`, called by plan.auth), each with an audit entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from plan.audit import AuditEvent, record
from plan.models import SignInToken, User, utcnow
from plan.throttle import aware

if TYPE_CHECKING:
    from plan.auth import Actor

# How long a browser stays signed in after signing in, whatever it does in between.
TOKEN_LIFETIME = dt.timedelta(hours=12)
# How long the browser has to fetch its cookie after signing in (it is sent at once).
TICKET_LIFETIME = dt.timedelta(minutes=1)
# Rows expired this long ago are deleted when a new one is issued (the audit log keeps the
# sign-ins and sign-outs).
FORGET_AFTER = dt.timedelta(days=30)
_TOKEN_BYTES = 32  # 256 bits of randomness: unguessable, and each digest unique


class Revoked:
    """Why a sign-in ended early (stored in `revoked_reason`)."""

    SIGNED_OUT = "signed out"
    DISABLED = "account disabled"
    ROLE_CHANGED = "role changed"
    PASSWORD_RESET = "password reset"


@dataclass(frozen=True)
class Grant:
    """A new sign-in: its row, and the ticket the browser redeems for its cookie."""

    token_id: int
    ticket: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class Redeemed:
    """What the cookie is set to, and until when."""

    token_id: int
    token: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class BrowserSignIn:
    """A valid sign-in: which row, who, and until when."""

    token_id: int
    actor: Actor
    expires_at: dt.datetime


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def grant(session: Session, actor: Actor, *, now: dt.datetime | None = None) -> Grant:
    """Start a lasting sign-in for `actor`, who has just proved who they are."""
    now = now or utcnow()
    user = session.get(User, actor.user_id)
    if user is None or user.disabled:
        raise ValueError(f"The account {actor.email} is disabled or no longer exists.")
    session.execute(delete(SignInToken).where(SignInToken.expires_at < now - FORGET_AFTER))
    ticket = secrets.token_urlsafe(_TOKEN_BYTES)
    row = SignInToken(
        user_id=user.id,
        ticket_hash=digest(ticket),
        ticket_expires_at=now + TICKET_LIFETIME,
        role=user.role,
        session_version=user.session_version,
        created_at=now,
        expires_at=now + TOKEN_LIFETIME,
    )
    session.add(row)
    session.flush()
    return Grant(row.id, ticket, row.expires_at)


def redeem(session: Session, ticket: str, *, now: dt.datetime | None = None) -> Redeemed | None:
    """Exchange a ticket, once and within its minute, for the token the cookie holds."""
    now = now or utcnow()
    row = session.scalar(
        select(SignInToken).where(SignInToken.ticket_hash == digest(ticket)).with_for_update()
    )
    if row is None:
        return None
    # Used or not, a ticket goes: it can never be tried twice.
    ticket_expires_at = aware(row.ticket_expires_at)
    row.ticket_hash = None
    row.ticket_expires_at = None
    if ticket_expires_at is None or ticket_expires_at < now:
        return None
    if _invalid(session, row, now) is not None:
        return None
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    row.token_hash = digest(token)
    return Redeemed(row.id, token, aware(row.expires_at))


def by_token(
    session: Session, token: str, *, now: dt.datetime | None = None
) -> BrowserSignIn | None:
    """The sign-in a cookie's token stands for, if it is still valid (a read: nothing changes)."""
    if not token or len(token) > 200:
        return None
    row = session.scalar(select(SignInToken).where(SignInToken.token_hash == digest(token)))
    return _valid(session, row, now or utcnow())


def by_id(
    session: Session, token_id: int, *, now: dt.datetime | None = None
) -> BrowserSignIn | None:
    """The sign-in this Streamlit session started, if it is still valid."""
    return _valid(session, session.get(SignInToken, token_id), now or utcnow())


def _valid(session: Session, row: SignInToken | None, now: dt.datetime) -> BrowserSignIn | None:
    if row is None or _invalid(session, row, now) is not None:
        return None
    from plan.auth import actor_for  # auth revokes through this module: import it here

    user = session.get(User, row.user_id, options=[selectinload(User.owner_names)])
    assert user is not None  # _invalid found it
    return BrowserSignIn(row.id, actor_for(user), aware(row.expires_at))


def _invalid(session: Session, row: SignInToken, now: dt.datetime) -> str | None:
    """Why the sign-in is no longer valid, or None when it is."""
    if row.revoked_at is not None:
        return f"revoked: {row.revoked_reason}"
    if aware(row.expires_at) <= now:
        return "expired"
    user = session.get(User, row.user_id, options=[selectinload(User.owner_names)])
    if user is None or user.disabled:
        return "account disabled"
    if user.role != row.role:
        return "role changed"
    if user.session_version != row.session_version:
        return "password reset"
    return None


def reason_invalid(
    session: Session, token_id: int, *, now: dt.datetime | None = None
) -> str | None:
    """Why this sign-in is not valid (for tests and the log), or None when it is."""
    row = session.get(SignInToken, token_id)
    return "unknown" if row is None else _invalid(session, row, now or utcnow())


def revoke(session: Session, token_id: int, *, reason: str, now: dt.datetime | None = None) -> bool:
    """End one sign-in (signing out): every tab of that browser is signed out on its next run."""
    ended = session.execute(
        update(SignInToken)
        .where(SignInToken.id == token_id, SignInToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow(), revoked_reason=reason, ticket_hash=None)
    )
    return cast(CursorResult[Any], ended).rowcount > 0


def revoke_all(
    session: Session, user: User, *, reason: str, by: str, now: dt.datetime | None = None
) -> int:
    """End every live sign-in of `user`, in the caller's transaction, with an audit entry."""
    now = now or utcnow()
    ended = session.execute(
        update(SignInToken)
        .where(
            SignInToken.user_id == user.id,
            SignInToken.revoked_at.is_(None),
            SignInToken.expires_at > now,
        )
        .values(revoked_at=now, revoked_reason=reason, ticket_hash=None)
    )
    count = cast(CursorResult[Any], ended).rowcount
    if count:
        record(
            session,
            actor=by,
            event=AuditEvent.SIGN_INS_ENDED,
            target=user.email,
            details={"reason": reason, "browsers": count},
            now=now,
        )
    return count


def live_count(session: Session, user_id: int, *, now: dt.datetime | None = None) -> int:
    """How many browsers this account is signed in on (unrevoked, unexpired rows)."""
    live = select(func.count(SignInToken.id)).where(
        SignInToken.user_id == user_id,
        SignInToken.revoked_at.is_(None),
        SignInToken.expires_at > (now or utcnow()),
    )
    return session.scalar(live) or 0
