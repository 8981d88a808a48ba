"""A reminder as an e-mail: the share message's text and an HTML twin, the invoice's link,
the PDF attached, from the owner with a reply-to, to the client.

Every header value that comes from an invoice (names, the subject with the number and the
seller's name) is reduced to one line of printable text before it reaches a header, and
addresses must be plain `local@domain`: nothing in content/ can add a header or a recipient.
Non-ASCII names and subjects are encoded by the `email` package (RFC 2047), never by hand.
"""

from __future__ import annotations

import html
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from generator.model.invoice import Invoice
from generator.notify.share import ShareMessage
from generator.read.notify import valid_address

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
KEY_HEADER = "X-Remit-Reminder"  # which reminder this is, for the owner's mail filters


class NotSendable(ValueError):
    """This invoice cannot be e-mailed (no usable client address, say); others still can."""


def one_line(text: str | None) -> str:
    """Header-safe: line breaks and other control characters become single spaces."""
    return " ".join(CONTROL.sub(" ", text or "").split())


def address(name: str | None, addr: str | None, what: str) -> Address:
    if not valid_address(addr):
        raise NotSendable(f"{what} {addr!r} is not a usable e-mail address" if addr
                          else f"{what}: no e-mail address")
    local, domain = (addr or "").rsplit("@", 1)
    return Address(display_name=one_line(name), username=local, domain=domain)


def html_body(text: str, url: str) -> str:
    """The plain text as HTML paragraphs, with the link made clickable; all of it escaped."""
    paras = []
    for block in text.split("\n\n"):
        lines = [html.escape(line) if line != url else
                 f'<a href="{html.escape(url)}">{html.escape(url)}</a>'
                 for line in block.split("\n")]
        paras.append("<p>" + "<br>\n".join(lines) + "</p>")
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>"
            "<body style=\"font-family:sans-serif;line-height:1.5\">\n"
            + "\n".join(paras) + "\n</body></html>\n")


def compose(inv: Invoice, msg: ShareMessage, url: str, sender: str, reply_to: str | None,
            key: str, when: object, pdf: tuple[str, bytes] | None = None) -> EmailMessage:
    """The reminder for `inv`; `when` (an aware datetime) goes in the Date header."""
    mail = EmailMessage(policy=SMTP)
    mail["From"] = address(inv.seller.display_name, sender, "the sender ([smtp] from)")
    mail["To"] = address(inv.client.name or inv.client.display_name, inv.client.email,
                         f"the client of {inv.number}")
    if reply_to:
        mail["Reply-To"] = address(inv.seller.display_name, reply_to, "reply_to")
    mail["Subject"] = one_line(msg.subject)
    mail["Date"] = format_datetime(when)  # type: ignore[arg-type]
    mail["Message-ID"] = make_msgid("remit", domain=sender.rsplit("@", 1)[1])
    mail[KEY_HEADER] = one_line(key)
    mail["Content-Language"] = msg.language
    mail.set_content(msg.text)
    mail.add_alternative(html_body(msg.text, url), subtype="html")
    if pdf is not None:
        mail.add_attachment(pdf[1], maintype="application", subtype="pdf", filename=pdf[0])
    return mail
