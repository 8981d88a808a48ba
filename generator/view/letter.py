"""What the printed invoice and receipt see: a business letter, not the web page.

Built on the page's own view (the same formatted figures, so page and paper never disagree),
plus what only paper needs: the envelope window's geometry for the paper size, the recipient's
address block and the seller's one-line return address, the details box, tax per rate with its
base (0% lines with the reason's standard wording), the payments received, the terms sentence,
the legal footer, and the item rows split into pages with carried-forward subtotals.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

from generator.figures.derive import Figures, Status
from generator.i18n import translations
from generator.model.invoice import Invoice
from generator.model.settings import Settings
from generator.view.format import Formatter
from generator.view.payment_terms import terms_sentence

# Where the address shows through a window envelope, in mm from the page's top-left corner.
# A4: DIN 5008 address field (85 x 45 mm at 20 mm from the left; form A at 27 mm from the top,
# form B at 45 mm): the top 17.7 mm hold the return address, the recipient the lower 27.3 mm.
# Letter: a US #10 envelope's window (4.5 x 1.125 in, 7/8 in from the left, 1/2 in above the
# bottom) over a letter folded in thirds that rests at the envelope's bottom: 2.04-3.17 in.
GEOMETRY: dict[str, dict[str, float]] = {
    "A4-A": {"width": 210, "height": 297, "left": 25, "right": 20, "top": 10, "bottom": 30,
             "return_top": 27 + 12.7, "address_top": 27 + 17.7, "address_bottom": 27 + 45,
             "address_left": 25, "address_width": 80, "info_left": 118, "info_top": 32,
             "body_top": 27 + 45 + 8.5, "folds": (105, 210), "hole": 148.5},
    "A4-B": {"width": 210, "height": 297, "left": 25, "right": 20, "top": 12, "bottom": 30,
             "return_top": 45 + 12.7, "address_top": 45 + 17.7, "address_bottom": 45 + 45,
             "address_left": 25, "address_width": 80, "info_left": 118, "info_top": 50,
             "body_top": 45 + 45 + 8.5, "folds": (105, 210), "hole": 148.5},
    "Letter": {"width": 215.9, "height": 279.4, "left": 25.4, "right": 19, "top": 12.7,
               "bottom": 30, "return_top": 52.5, "address_top": 57.0, "address_bottom": 80.0,
               "address_left": 25.4, "address_width": 104, "info_left": 140, "info_top": 52,
               "body_top": 88, "folds": (93.1, 186.3), "hole": 139.7},
}

# A note is printed (with site.toml's print_note = "short") when its text is this short.
SHORT_NOTE = 320


def geometry(settings: Settings) -> dict[str, float]:
    return GEOMETRY["Letter" if settings.paper == "Letter" else f"A4-{settings.address_form}"]


def css_string(text: str) -> str:
    """A CSS string literal (for the running header of printed pages), safe inside <style>:
    a seller's name such as 'A </style> B' must neither end the string nor the element."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return '"' + out.replace("<", "\\3c ").replace(">", "\\3e ") + '"'


def zero_rate_text(reason: str | None, _: Any) -> str:
    return {
        "reverse-charge": _("Reverse charge: the customer accounts for the VAT (Article 196, "
                            "Council Directive 2006/112/EC)."),
        "small-business": _("No VAT charged: small-business exemption (Article 284, Council "
                            "Directive 2006/112/EC)."),
        "export": _("Export outside the EU: exempt from VAT (Article 146, Council Directive "
                    "2006/112/EC)."),
        "not-taxable": _("Not subject to VAT in the seller's country (place of supply "
                         "outside it)."),
        "intra-community": _("Intra-community supply: exempt from VAT (Article 138, Council "
                             "Directive 2006/112/EC)."),
    }.get(reason or "", "")


def grouped(iban: str) -> str:
    """An IBAN in groups of four, as banks print it."""
    plain = "".join(iban.split())
    return " ".join(plain[i:i + 4] for i in range(0, len(plain), 4))


def one_line(*parts: str | None) -> str:
    return " · ".join(p for p in parts if p)


def letter_view(inv: Invoice, fig: Figures, settings: Settings, page: dict[str, Any],
                today: dt.date) -> dict[str, Any]:
    """`page` is the invoice page's view (view/invoice.py), QR codes drawn."""
    f = Formatter(inv.language, inv.currency)
    _ = translations(settings.theme_dir, inv.language).gettext
    seller, client = page["seller"], page["client"]
    tax_invoice = inv.seller.country == "ZA" and bool(inv.seller.tax_id)
    title = _("Tax invoice") if tax_invoice else _("Invoice")
    reason = zero_rate_text(inv.zero_rate_reason, _)
    supply = None
    if inv.service_period is not None:
        supply = (_("Service period"), _("%(start)s to %(end)s") % {
            "start": f.date(inv.service_period.start, "medium"),
            "end": f.date(inv.service_period.end, "medium")})
    elif inv.delivered is not None:
        supply = (_("Date of supply"), f.date(inv.delivered))
    details = [(_("Invoice number"), inv.number), (_("Issue date"), f.date(inv.issued)),
               supply, (_("Due date"), f.date(inv.due)),
               (_("Your reference"), inv.customer_reference) if inv.customer_reference
               else None,
               (_("Purchase order"), inv.po_number) if inv.po_number else None,
               (_("Your VAT number"), inv.client.tax_id) if inv.client.tax_id else None,
               (_("Our VAT number"), inv.seller.tax_id) if tax_invoice else None]
    t = fig.totals
    taxes = [{"rate": f.percent(x.rate), "base": f.money(x.base), "tax": f.money(x.tax),
              "reason": reason if not x.rate else ""} for x in t.taxes]
    plain_note = " ".join(inv.note.split())
    show_note = bool(plain_note) and (settings.print_note == "always" or (
        settings.print_note == "short" and len(plain_note) <= SHORT_NOTE and "![" not in
        inv.note))
    recipient = [client["display_name"]]
    if client["company"] and client["name"]:
        recipient.append(client["name"])
    recipient += client["address_lines"]
    geo = geometry(settings)
    return {
        "title": title,
        "tax_invoice": tax_invoice,
        "name": one_line(f"{title} {inv.number}", seller["display_name"]),
        "running_header": css_string(one_line(seller["display_name"], f"{title} {inv.number}")),
        "return_line": one_line(seller["display_name"], *seller["address_lines"]),
        "recipient": recipient,
        "details": [d for d in details if d],
        "taxes": taxes,
        "untaxed": not any(x.rate for x in t.taxes),
        "zero_rate_reason": reason,
        "tax_note": inv.tax_note,
        "terms_sentence": terms_sentence(inv, fig, f, today, settings.theme_dir),
        "paid_in_full": fig.status is Status.PAID,
        "note_html": page["note_html"] if show_note else "",
        "footer": footer_lines(inv, page, _),
        "paper": settings.paper,
        "geo": geo,
        "page_size": "letter" if settings.paper == "Letter" else "A4",
    }


def footer_lines(inv: Invoice, page: dict[str, Any], _: Any) -> list[str]:
    """The seller's legal details: name, address, tax number, register, bank, contact."""
    s = page["seller"]
    bank = next((m for m in inv.payment_methods if m.type in ("sepa", "bank", "swiss")), None)
    bank_line = one_line(
        bank.get("bank"), f"IBAN {grouped(bank.get('iban'))}" if bank.get("iban") else None,
        f"BIC {bank.get('bic')}" if bank.get("bic") else None,
        f"{_('Account number')} {bank.get('account_number')}" if bank.get("account_number")
        else None,
        f"{_('Branch code')} {bank.get('branch_code')}" if bank.get("branch_code") else None,
    ) if bank else ""
    return [line for line in (
        one_line(s["display_name"], s["name"] if s["company"] else None, *s["address_lines"]),
        one_line(f"{_('Tax ID')} {s['tax_id']}" if s["tax_id"] else None, inv.seller.register),
        bank_line,
        one_line(s["email"], s["phone"], s["website"]),
    ) if line]


def item_pages(nets: tuple[Decimal, ...], breaks: tuple[int, ...], f: Formatter,
               ) -> list[dict[str, Any]]:
    """Item rows split before each index in `breaks`, each page's running subtotal beside
    it: carried forward at its foot, brought forward at the next one's head."""
    edges = [0, *breaks, len(nets)]
    pages = []
    for n, (start, end) in enumerate(pairwise(edges)):
        pages.append({
            "rows": range(start, end),
            "brought": f.money(sum(nets[:start], Decimal(0))) if n else None,
            "carried": f.money(sum(nets[:end], Decimal(0))) if end < len(nets) else None,
        })
    return pages


def receipt_view(inv: Invoice, fig: Figures, settings: Settings, page: dict[str, Any],
                 today: dt.date) -> dict[str, Any]:
    """The receipt of a paid invoice: every payment, the invoice it settles."""
    f = Formatter(inv.language, inv.currency)
    _ = translations(settings.theme_dir, inv.language).gettext
    received = [p for p in inv.payments if p.date <= today]
    last = max(p.date for p in received)
    letter = letter_view(inv, fig, settings, page, today)
    number = f"{inv.number}-R"
    return {
        **letter,
        "title": _("Receipt"),
        "number": number,
        "name": one_line(f"{_('Receipt')} {number}", page["seller"]["display_name"]),
        "running_header": css_string(one_line(page["seller"]["display_name"],
                                              f"{_('Receipt')} {number}")),
        "details": [(_("Receipt number"), number), (_("Date"), f.date(last)),
                    (_("Invoice number"), inv.number), (_("Invoice date"), f.date(inv.issued))],
        "paid_on": f.date(last),
        "settles": _("This receipt confirms payment of invoice %(number)s of %(date)s, total "
                     "%(total)s.") % {"number": inv.number, "date": f.date(inv.issued),
                                      "total": f.money(fig.totals.total)},
    }


def paid_note(inv: Invoice, today: dt.date, f: Formatter, theme_dir: Path) -> str:
    """'Paid in full on 20 October 2026 by PayPal.' for the top of a paid invoice's page."""
    _ = translations(theme_dir, inv.language).gettext
    received = [p for p in inv.payments if p.date <= today]
    if not received:
        return ""
    last = max(received, key=lambda p: p.date)
    methods = sorted({p.method for p in received if p.method})
    if methods:
        return _("Paid in full on %(date)s by %(method)s.") % {
            "date": f.date(last.date), "method": ", ".join(methods)}
    return _("Paid in full on %(date)s.") % {"date": f.date(last.date)}
