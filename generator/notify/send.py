"""Sending reminders over SMTP, each at most once, with a log that survives a crash.

The log is a text file of JSON lines, appended and flushed to disk (fsync) around each send:
`sending` just before the message is handed to the server, then `sent` or `failed`. A
reminder whose last line is `sent` is never sent again. One whose last line is `sending`
was interrupted (a crash, a lost connection) after the server may have taken it: it is
reported, not resent, so the client never gets it twice; delete its lines to send it again.
A `failed` one (refused by the server, which said so) is tried again by the next run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import json
import os
import smtplib
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from generator.errors import Problem, RemitError
from generator.model.settings import Smtp

PASSWORD_ENV = "REMIT_SMTP_PASSWORD"
TIMEOUT_SECONDS = 30.0
SENT, SENDING, FAILED = "sent", "sending", "failed"


class ReminderLog:
    """The states of reminders by key, read once and appended to as they change."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.states: dict[str, dict[str, str]] = {}
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                self.states[str(entry["key"])] = entry
                entry["state"] = str(entry["state"])
            except (ValueError, KeyError, TypeError):
                # Only the last line may be cut short (a crash mid-write); the line before it
                # ("sending") then stands. Anything else is a damaged log: stop, never guess.
                if n != len(lines):
                    raise RemitError([Problem(str(path), n, None, "not a reminder log line "
                                              "(JSON with key and state); fix it or remove "
                                              "it")]) from None

    def state(self, key: str) -> str | None:
        entry = self.states.get(key)
        return entry["state"] if entry else None

    def entry(self, key: str) -> dict[str, str] | None:
        return self.states.get(key)

    def record(self, key: str, state: str, **info: str) -> None:
        entry = {"key": key, "state": state,
                 "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **info}
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+b") as fh:
            fh.seek(0, os.SEEK_END)
            if fh.tell():
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":
                    line = "\n" + line  # after a line cut short by a crash
            fh.write(line.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())  # on disk before the next step, whatever happens next
        self.states[key] = entry


def password_for(smtp: Smtp) -> str | None:
    """The password from the environment; an error when the server needs one and it is unset."""
    password = os.environ.get(PASSWORD_ENV) or None
    if smtp.user and password is None:
        raise RemitError([Problem(PASSWORD_ENV, None, None,
                                  f"[smtp] user is {smtp.user!r} but no password is set: "
                                  f"export {PASSWORD_ENV}=... (on GitHub, a repository "
                                  "secret); it is never read from site.toml")])
    return password


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def connect(smtp: Smtp, password: str | None) -> smtplib.SMTP:
    """An open, authenticated session; raises OSError or smtplib.SMTPException."""
    if smtp.tls == "none" and password and not is_loopback(smtp.host):
        raise smtplib.SMTPException("refusing to send the password unencrypted to "
                                    f"{smtp.host}: set tls = \"starttls\" or \"ssl\"")
    context = ssl.create_default_context()
    session: smtplib.SMTP
    if smtp.tls == "ssl":
        session = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS,
                                   context=context)
    else:
        session = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS)
        if smtp.tls == "starttls":
            session.starttls(context=context)
    if smtp.user and password:
        session.login(smtp.user, password)
    return session


@dataclass(frozen=True)
class Result:
    key: str
    number: str
    state: str  # SENT, FAILED or SENDING (interrupted: may have been sent)
    detail: str = ""


# Refusals the server stated: the message was not taken, so trying again later is safe.
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
           smtplib.SMTPNotSupportedError)


def send_all(items: Iterable[tuple[str, str, EmailMessage]], smtp: Smtp, password: str | None,
             log: ReminderLog,
             opener: Callable[[Smtp, str | None], smtplib.SMTP] = connect) -> list[Result]:
    """Send (key, invoice number, message) in order; one result each, in the same order."""
    results: list[Result] = []
    session: smtplib.SMTP | None = None
    try:
        for key, number, mail in items:
            if session is None:
                try:
                    session = opener(smtp, password)
                except (OSError, smtplib.SMTPException) as exc:
                    why = f"cannot connect to {smtp.host}:{smtp.port}: {describe(exc)}"
                    log.record(key, FAILED, number=number, error=why)
                    results.append(Result(key, number, FAILED, why))
                    continue
            try:
                # Envelope first: a refusal or a crash before DATA leaves no doubt that the
                # client has nothing, so the log says "sending" only for the DATA step itself.
                envelope(session, mail)
                log.record(key, SENDING, number=number, to=str(mail["To"]))
                session.data(mail.as_bytes())
            except REFUSED as exc:
                with contextlib.suppress(Exception):
                    session.rset()
                log.record(key, FAILED, number=number, error=describe(exc))
                results.append(Result(key, number, FAILED, describe(exc)))
                continue
            except (OSError, smtplib.SMTPException) as exc:
                # The connection broke: if in DATA, the server may have the message. The log
                # then stays at "sending" (not resent); the next message gets a new session.
                if log.state(key) != SENDING:
                    log.record(key, FAILED, number=number, error=describe(exc))
                    state = FAILED
                else:
                    state = SENDING
                results.append(Result(key, number, state, describe(exc)))
                with contextlib.suppress(Exception):
                    session.close()
                session = None
                continue
            log.record(key, SENT, number=number)
            results.append(Result(key, number, SENT))
    finally:
        if session is not None:
            with contextlib.suppress(Exception):
                session.quit()
    return results


def envelope(session: smtplib.SMTP, mail: EmailMessage) -> None:
    """MAIL FROM and RCPT TO for `mail`; raises a REFUSED error when the server says no."""
    sender = mail["From"].addresses[0].addr_spec
    session.ehlo_or_helo_if_needed()
    code, resp = session.mail(sender)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, resp, sender)
    refused = {}
    for rcpt in mail["To"].addresses:
        code, resp = session.rcpt(rcpt.addr_spec)
        if code not in (250, 251):
            refused[rcpt.addr_spec] = (code, resp)
    if refused:
        raise smtplib.SMTPRecipientsRefused(refused)


def describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{addr} refused: {code} {msg.decode(errors='replace')}"
                         for addr, (code, msg) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        shown = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{exc.smtp_code} {shown}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
