"""site.toml's [reminders] and [smtp]: when reminders go out, and the mail server they go to.

The SMTP password is never read from a file: a `password` key is an error that says where it
belongs (the REMIT_SMTP_PASSWORD environment variable, a repository secret on GitHub).
"""

from __future__ import annotations

import re
from typing import Any

from generator.fields import MISSING, Reader, shown
from generator.model.settings import DEFAULT_REMINDER_DAYS, Party, Reminders, Smtp

REMINDER_FIELDS = ("days", "reply_to", "log", "attach_pdf")
SMTP_FIELDS = ("host", "port", "user", "from", "tls")
TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
MAX_DAYS = 366
# An address as it may stand in a header: no spaces, quotes, brackets or line breaks.
ADDRESS = re.compile(r"[^\s@\"<>(),;:\\\[\]]+@[^\s@\"<>(),;:\\\[\]]+\.[^\s@\"<>(),;:\\\[\]]+")
HOST = re.compile(r"[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\]")


def valid_address(text: str | None) -> bool:
    return bool(text) and bool(ADDRESS.fullmatch(text or ""))


def read_days(r: Reader) -> tuple[int, ...]:
    value: Any = r.raw("days")
    if value is MISSING:
        return DEFAULT_REMINDER_DAYS
    if not isinstance(value, list) or not all(type(v) is int for v in value):
        r.error("days", "expected a list of whole numbers of days relative to the due date, "
                        f"such as [-3, 0, 7, 14, 30] (got {shown(value)})")
        return DEFAULT_REMINDER_DAYS
    if any(abs(v) > MAX_DAYS for v in value):
        r.error("days", f"each day must be within {MAX_DAYS} days of the due date")
    if len(set(value)) != len(value):
        r.error("days", "a day is listed twice")
    return tuple(sorted(set(value)))


def read_reminders(r: Reader | None, seller: Party) -> Reminders:
    if r is None:
        return Reminders(reply_to=seller.email)
    days = read_days(r)
    reply_to = r.str("reply_to")
    if reply_to is not None and not valid_address(reply_to):
        r.error("reply_to", f"expected an e-mail address such as you@example.com "
                            f"(got {reply_to!r})")
    log = r.str("log", default="reminders.log") or "reminders.log"
    if log.startswith(("/", "\\")) or ".." in log.replace("\\", "/").split("/"):
        r.error("log", f"expected a file name inside the site folder (got {log!r})")
    attach = r.bool("attach_pdf", default=True)
    r.finish(REMINDER_FIELDS)
    return Reminders(days, reply_to or seller.email, log, attach)


def read_smtp(r: Reader | None, seller: Party) -> Smtp | None:
    if r is None:
        return None
    if r.has("password"):
        r.raw("password")
        r.error("password", "never write the SMTP password in site.toml (it would be "
                            "committed): set the REMIT_SMTP_PASSWORD environment variable, "
                            "on GitHub a repository secret")
    host = r.str("host", required=True) or ""
    if host and not HOST.fullmatch(host):
        r.error("host", f"expected a host name such as smtp.example.com (got {host!r})")
    tls = r.choice("tls", TLS_MODES, default="starttls")
    port = r.int("port", default=DEFAULT_PORTS[tls], minimum=1)
    if port > 65535:
        r.error("port", f"must be at most 65535 (got {port})")
    user = r.str("user")
    sender = r.str("from") or seller.email or ""
    if not valid_address(sender):
        r.error("from", "expected the sender's e-mail address such as you@example.com "
                        f"(got {sender!r}); it defaults to [seller] email")
    r.finish((*SMTP_FIELDS, "password"))
    return Smtp(host, port, user, sender, tls)
