"""Password rules, after the NCSC's password guidance and NIST SP 800-63B.

- At least 15 characters. NIST SP 800-63B-4 asks for 15 when the password is the only factor,
  as it is here (people who need a second factor sign in through their organisation's single
  sign-on), and 8 only as part of multi-factor sign-in. Three random words, as the NCSC
  advises, make 15 easily ("granite ladder sunrise").
- At most 1024 characters (NIST: allow at least 64); any characters, spaces included.
- Not a common or breached password (common_passwords.txt beside this file), nor one with
  only digits or symbols added around it; not a run of repeated or sequential characters
  ("aaaa…", "abcabc…", "123456…", "qwerty…").
- Not made of the account's own e-mail or name, or the tracker's name, plus digits.
- No composition rules (a capital, a digit, a symbol) and no forced expiry: both make
  passwords weaker in practice, say NCSC and NIST. A password that leaks is reset by an admin.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

MIN_LENGTH = 15
MAX_LENGTH = 1024
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
# Words anyone would try against this service.
SERVICE_WORDS = ("delivery", "plan", "tracker", "demo", "password", "admin")
_SEQUENCES = (
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "q1w2e3r4t5y6u7i8o9p0",
    "qazwsxedcrfvtgbyhnujmikolp",
)
# Each forwards and backwards, repeated so that runs may wrap round ("7890123").
_RUNS = tuple(run * 3 for seq in _SEQUENCES for run in (seq, seq[::-1]))


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _folded(text: str) -> str:
    """Lower case, letters and digits only: "Kylie.Thornton!" -> "kyliethornton"."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def problem(
    password: str, *, email: str = "", name: str = "", banned: Iterable[str] = ()
) -> str | None:
    """Why this password may not be used, in one sentence; None when it may."""
    if len(password) < MIN_LENGTH:
        return (
            f"A password needs at least {MIN_LENGTH} characters: three or four random words "
            "make a good one."
        )
    if len(password) > MAX_LENGTH:
        return f"A password has at most {MAX_LENGTH} characters."
    if _is_common(password, banned):
        return (
            "This is one of the most common passwords (or one with numbers added): choose another."
        )
    if _is_pattern(_folded(password)):
        return "This password is a repeated or sequential run of characters: choose another."
    if _is_own_words(_folded(password), email, name):
        return (
            "This password is made of the account's e-mail or name, or the tracker's name: "
            "choose another."
        )
    return None


def _is_common(password: str, banned: Iterable[str]) -> bool:
    lower = " ".join(password.lower().split())
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lower)
    candidates = {lower, core, _folded(password)} - {""}
    known = common_passwords() | {_folded(b) for b in banned} | {b.lower() for b in banned}
    return bool(candidates & known)


def _is_pattern(folded: str) -> bool:
    if len(set(folded)) <= 3:  # also "" (only spaces or symbols)
        return True
    if folded in (folded + folded)[1:-1]:  # a repeated unit: "abcabcabc"
        return True
    return _run_count(folded) <= 3


def _run_count(folded: str) -> int:
    """How many sequential runs ("12345", "qwerty", "zyx") cover the text, longest first."""
    count, start = 0, 0
    while start < len(folded):
        end = start + 1
        while end < len(folded) and any(folded[start : end + 1] in run for run in _RUNS):
            end += 1
        count, start = count + 1, end
    return count


def _is_own_words(folded: str, email: str, name: str) -> bool:
    words = re.split(r"[^a-z0-9]+", f"{email} {name}".lower()) + list(SERVICE_WORDS)
    rest = folded
    for word in sorted({w for w in words if len(w) >= 3}, key=len, reverse=True):
        rest = rest.replace(word, "")
    if rest == folded:
        return False
    return len(rest) < 6 or rest.isdigit() or _is_pattern(rest)
