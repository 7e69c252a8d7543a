"""Sign-in throttling, counted in the database so that parallel attempts, many browser sessions
and several app instances all share one count.

Every password attempt passes through three counters ("buckets"), each with its own policy:

- PAIR, this e-mail from this client: the lock-out a person sees after a few wrong passwords,
  growing to 15 minutes. It is keyed by the client too, so a stranger guessing at someone's
  account locks out only themselves;
- CLIENT, this client, whatever e-mail it tries, so one address cannot spread its guesses
  over many accounts (nor multiply them with many browser sessions);
- ACCOUNT, this e-mail from any client: a guesser with many addresses is still slowed down,
  but the wait is capped at a minute so that it never locks the real person out for long.

Buckets are keyed by the e-mail as typed, whether or not it has an account, so the answers
never tell which e-mails have one.

An attempt is counted as a failure *before* its password is checked (`reserve`, in a short
write transaction that locks the bucket rows), and given back when it succeeds (`succeeded`).
So parallel attempts cannot all pass the check before any of them is counted: once a bucket
is locked, further attempts are refused without checking the password at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, cast, overload

from sqlalchemy import CursorResult, delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from plan.models import SignInThrottle

# Rows untouched for this long are forgotten (every policy forgets sooner).
FORGET_ALL = dt.timedelta(days=1)


@dataclass(frozen=True)
class Policy:
    """The first `free - 1` failures cost nothing; failure number `free` and each further one
    lock the bucket for a window that doubles from `first_lock` up to `max_lock`. A bucket with
    no failure for `forget_after` starts again from nothing."""

    scope: str
    free: int
    first_lock: dt.timedelta
    max_lock: dt.timedelta
    forget_after: dt.timedelta

    def window(self, failures: int) -> dt.timedelta:
        if failures < self.free:
            return dt.timedelta(0)
        return min(self.first_lock * 2 ** (failures - self.free), self.max_lock)


_MINUTE = dt.timedelta(minutes=1)
PAIR = Policy("pair", 3, dt.timedelta(seconds=30), 15 * _MINUTE, FORGET_ALL)
CLIENT = Policy("client", 20, dt.timedelta(seconds=30), 15 * _MINUTE, 60 * _MINUTE)
ACCOUNT = Policy("account", 10, dt.timedelta(seconds=15), _MINUTE, 60 * _MINUTE)


@dataclass(frozen=True)
class Verdict:
    """`reserve`'s answer. Allowed: `wait` is the lock this attempt starts if it fails.
    Refused: `wait` is how long until the next attempt may be made."""

    allowed: bool
    wait: dt.timedelta
    failures: int  # this e-mail's failures in a row from this client (this one included)


@overload
def aware(moment: dt.datetime) -> dt.datetime: ...
@overload
def aware(moment: None) -> None: ...
def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; they are stored as UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def _digest(text: str) -> str:
    # Fixed length whatever was typed (the e-mail as typed is in the audit log, not here).
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def bucket_keys(email: str, client: str) -> dict[Policy, str]:
    return {
        PAIR: f"pair:{_digest(email)}:{_digest(client)}",
        CLIENT: f"client:{_digest(client)}",
        ACCOUNT: f"account:{_digest(email)}",
    }


def _locked_rows(
    session: Session, keys: dict[Policy, str], now: dt.datetime
) -> dict[Policy, SignInThrottle]:
    """The buckets' rows, created if new, locked until commit (always in key order)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    ordered = sorted(keys.values())
    fresh = [{"key": key, "failures": 0, "last_failed_at": now} for key in ordered]
    session.execute(
        dialect.insert(SignInThrottle).values(fresh).on_conflict_do_nothing(index_elements=["key"])
    )
    rows = session.scalars(
        select(SignInThrottle)
        .where(SignInThrottle.key.in_(ordered))
        .order_by(SignInThrottle.key)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    by_key = {row.key: row for row in rows}
    return {policy: by_key[key] for policy, key in keys.items()}


def _lock_left(row: SignInThrottle, now: dt.datetime) -> dt.timedelta:
    until = aware(row.locked_until)
    return until - now if until is not None and until > now else dt.timedelta(0)


def reserve(session: Session, email: str, client: str, now: dt.datetime) -> Verdict:
    """Count this attempt as a failure in every bucket, unless one of them is locked."""
    rows = _locked_rows(session, bucket_keys(email, client), now)
    left = max(_lock_left(row, now) for row in rows.values())
    if left:
        return Verdict(allowed=False, wait=left, failures=rows[PAIR].failures)
    lock = dt.timedelta(0)
    for policy, row in rows.items():
        if aware(row.last_failed_at) < now - policy.forget_after:
            row.failures = 0
        row.failures += 1
        row.last_failed_at = now
        window = policy.window(row.failures)
        row.locked_until = now + window if window else None
        lock = max(lock, window)
    return Verdict(allowed=True, wait=lock, failures=rows[PAIR].failures)


def succeeded(session: Session, email: str, client: str, now: dt.datetime) -> None:
    """The right password: the e-mail starts again from nothing; the client gets its one back."""
    rows = _locked_rows(session, bucket_keys(email, client), now)
    session.delete(rows[PAIR])
    session.delete(rows[ACCOUNT])
    row = rows[CLIENT]
    row.failures = max(row.failures - 1, 0)
    if not CLIENT.window(row.failures):
        row.locked_until = None


def forget_email(session: Session, email: str) -> None:
    """Lift every lock-out of this e-mail, from any client (a password reset does)."""
    session.execute(
        delete(SignInThrottle).where(
            or_(
                SignInThrottle.key == f"account:{_digest(email)}",
                SignInThrottle.key.startswith(f"pair:{_digest(email)}:", autoescape=True),
            )
        )
    )


def forget_stale(session: Session, now: dt.datetime) -> int:
    """Delete buckets with no failure for a day and no lock left (run in its own transaction)."""
    stale = delete(SignInThrottle).where(
        SignInThrottle.last_failed_at < now - FORGET_ALL,
        or_(SignInThrottle.locked_until.is_(None), SignInThrottle.locked_until < now),
    )
    # A bulk DELETE's result is a CursorResult (Session.execute is typed as any Result).
    return cast(CursorResult[Any], session.execute(stale)).rowcount


def failures(session: Session, email: str, client: str) -> int:
    """This e-mail's failed attempts in a row from this client (0 when none are remembered)."""
    key = bucket_keys(email, client)[PAIR]
    row = session.get(SignInThrottle, key)
    return row.failures if row is not None else 0
