"""Sending e-mail through the partnership's SMTP server, configured from the environment.

`SMTP_URL`: `smtp://user:pass@host:587` (STARTTLS, then sign in), `smtps://user:pass@host:465`
(TLS from the start) or `smtp://host:25` (neither: a relay on a trusted network). `MAIL_FROM`:
the sender's address. `TRACKER_URL`: the app's public address, for links in the messages.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

TIMEOUT_SECONDS = 30


class MailError(Exception):
    """Mail settings that cannot be used, or a message the server would not take."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    tls: bool  # TLS from the start (smtps)
    starttls: bool
    username: str | None
    password: str | None
    sender: str

    @property
    def described(self) -> str:
        """Where mail goes, without the password (for logs and pages)."""
        how = "TLS" if self.tls else "STARTTLS" if self.starttls else "no encryption"
        return f"{self.host}:{self.port} ({how}) from {self.sender}"


def tracker_url(environ: Mapping[str, str] | None = None) -> str | None:
    """TRACKER_URL without a trailing slash, or None when it is not set."""
    value = (environ if environ is not None else os.environ).get("TRACKER_URL", "").strip()
    return value.rstrip("/") or None


def mail_settings(environ: Mapping[str, str] | None = None) -> MailSettings | None:
    """The settings from the environment; None when SMTP_URL is not set (mail is off)."""
    environ = environ if environ is not None else os.environ
    url = environ.get("SMTP_URL", "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise MailError("SMTP_URL must start with smtp:// or smtps://, e.g. smtp://host:587.")
    try:
        port = parts.port
    except ValueError as error:
        raise MailError("SMTP_URL has a port that is not a number.") from error
    if not parts.hostname:
        raise MailError("SMTP_URL names no server, e.g. smtp://mail.example.org:587.")
    sender = environ.get("MAIL_FROM", "").strip()
    if "@" not in sender:
        raise MailError("MAIL_FROM must be the address reminders come from, e.g. tracker@x.gov.uk.")
    username = unquote(parts.username) if parts.username else None
    tls = parts.scheme == "smtps"
    return MailSettings(
        host=parts.hostname,
        port=port or (465 if tls else 587 if username else 25),
        tls=tls,
        starttls=not tls and username is not None,
        username=username,
        password=unquote(parts.password) if parts.password else None,
        sender=sender,
    )


def send(settings: MailSettings, message: EmailMessage) -> None:
    """Send one message; MailError says why the server refused it or could not be reached."""
    message["From"] = settings.sender
    context = ssl.create_default_context()
    try:
        if settings.tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        with client:
            if settings.starttls:
                client.starttls(context=context)
            if settings.username:
                client.login(settings.username, settings.password or "")
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        refused = "; ".join(f"{a}: {c} {_text(m)}" for a, (c, m) in error.recipients.items())
        raise MailError(f"the server refused the address ({refused})") from error
    except smtplib.SMTPResponseException as error:
        raise MailError(f"the server said {error.smtp_code} {_text(error.smtp_error)}") from error
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(f"cannot send through {settings.host}:{settings.port} ({error})") from error


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
