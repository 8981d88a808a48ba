"""A short, polite message that goes with an invoice's link, and ready links to send it.

Pure: the text is a function of the invoice, its figures on the day, its URL and the
client's language's catalog. The wording follows the status: a plain request before the
due date, a friendly reminder (never a reproach) after it, a record when nothing is due.
Amounts and dates come from view/terms.py, the same sentences the page and the PDF show.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel.support import NullTranslations

from generator.figures.derive import Figures, Status
from generator.model.invoice import Invoice
from generator.view.format import Formatter
from generator.view.terms import terms


@dataclass(frozen=True)
class ShareMessage:
    language: str
    subject: str
    text: str
    mailto: str
    whatsapp: str
    sms: str


def message(inv: Invoice, fig: Figures, url: str, t: NullTranslations,
            tz: ZoneInfo) -> ShareMessage:
    """`fig` holds at the moment the message is made; every amount in it comes with the date
    it holds until (view/terms.py), so it stays true on whichever day it is read. `tz`: the
    site's time zone, whose calendar days decide what is late."""
    _ = t.gettext
    lang = inv.language
    f = Formatter(lang, inv.currency)
    tm = terms(inv, fig, f, tz, t)
    values = {"number": inv.number, "seller": inv.seller.display_name,
              "total": f.money(fig.totals.total), "terms": tm.now if tm else ""}
    subject = _("Invoice %(number)s from %(seller)s") % values
    greeting = _("Hello %(name)s,") % {"name": inv.client.name} if inv.client.name \
        else _("Hello,")
    where = _("You can see it and pay here:")
    if fig.status is Status.VOID:
        body = _("Invoice %(number)s from %(seller)s has been cancelled: nothing is due.")
        where = _("You can see it here:")
    elif fig.status is Status.PAID or tm is None:
        body = _("Here is invoice %(number)s from %(seller)s for your records. It is paid "
                 "in full: thank you!")
        where = _("You can see it and download it here:")
    elif fig.status is Status.OVERDUE:
        body = _("A friendly reminder about invoice %(number)s from %(seller)s: "
                 "%(terms)s. If you have already paid, thank you, and please ignore this "
                 "message.")
    elif fig.due_now == fig.balance == fig.totals.total and not tm.offers:
        body = _("Here is invoice %(number)s from %(seller)s: %(terms)s.")
    else:
        body = _("Here is invoice %(number)s from %(seller)s for %(total)s: %(terms)s.")
    body = body % values
    if tm is not None and tm.next:
        body += " " + tm.next
    thanks = _("Thank you!")  # outside the f-string, where the catalog extractor sees it
    text = "\n\n".join([greeting, body, f"{where}\n{url}", f"{thanks}\n{inv.seller.name}"])
    return ShareMessage(lang, subject, text, mailto(inv.client.email, subject, text),
                        whatsapp(inv.client.phone, text), sms(inv.client.phone, text))


def _q(text: str) -> str:
    return quote(text, safe="")


def mailto(address: str | None, subject: str, body: str) -> str:
    # RFC 6068: line breaks in a body are %0D%0A; spaces are %20, never '+'.
    return (f"mailto:{quote(address or '', safe='@')}?subject={_q(subject)}"
            f"&body={_q(body.replace(chr(10), chr(13) + chr(10)))}")


def international(phone: str | None) -> str | None:
    """'+49 30 555 0101' -> '+49305550101'; a number without a country code is not usable."""
    if not phone or not phone.strip().startswith("+"):
        return None
    digits = "".join(c for c in phone if c.isdigit())
    return "+" + digits if digits else None


def whatsapp(phone: str | None, text: str) -> str:
    # wa.me wants the number as digits only; without one, WhatsApp asks whom to send it to.
    number = international(phone)
    return f"https://wa.me/{number[1:] if number else ''}?text={_q(text)}"


def sms(phone: str | None, text: str) -> str:
    # RFC 5724 form, which current iOS and Android both accept.
    return f"sms:{international(phone) or ''}?body={_q(text)}"
