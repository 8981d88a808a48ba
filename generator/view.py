"""What a template sees: every figure formatted, every state named. No arithmetic here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import markdown

from generator import i18n
from generator.config import Party, SiteConfig
from generator.countdown_view import countdown_view
from generator.derive import Figures, PartState, Status
from generator.model import Invoice
from generator.payments.view import pay_view

_md = markdown.Markdown(extensions=["extra", "sane_lists", "smarty"], output_format="html")


def render_markdown(text: str) -> str:
    # One instance, reset between documents: footnotes and abbreviations must not leak.
    _md.reset()
    return _md.convert(text)


@dataclass(frozen=True)
class Formatter:
    language: str
    currency: str

    def money(self, amount: Decimal) -> str:
        return i18n.money(amount, self.currency, self.language)

    def date(self, value: dt.date | None, style: str = "long") -> str:
        return i18n.date(value, self.language, style) if value else ""

    def number(self, value: Decimal) -> str:
        return i18n.number(value, self.language)

    def percent(self, value: Decimal) -> str:
        return i18n.percent(value, self.language)


def party_view(p: Party) -> dict[str, Any]:
    return {
        "name": p.name, "company": p.company if p.company != p.name else None,
        "display_name": p.display_name,
        "address_lines": [line.strip() for line in (p.address or "").splitlines() if line.strip()],
        "email": p.email, "phone": p.phone, "website": p.website, "tax_id": p.tax_id,
        "phone_href": "tel:" + "".join(c for c in p.phone if c.isdigit() or c == "+")
        if p.phone else None,
    }


def invoice_view(inv: Invoice, fig: Figures, site: SiteConfig, path: str,
                 today: dt.date) -> dict[str, Any]:
    f = Formatter(inv.language, inv.currency)
    t = fig.totals
    has_line_discounts = any(i.discount_percent for i in inv.items)
    rates = {i.tax_rate for i in inv.items}
    return {
        "lang": inv.language,
        "number": inv.number,
        "title": inv.title,
        "po_number": inv.po_number,
        "path": path,
        "url": site.base_url + path,
        "root": "../" * path.count("/"),
        "currency": inv.currency,
        "issued": f.date(inv.issued), "issued_iso": inv.issued.isoformat(),
        "due": f.date(inv.due), "due_iso": inv.due.isoformat(),
        "today_iso": today.isoformat(),
        "seller": party_view(inv.seller),
        "client": party_view(inv.client),
        "items": [
            {
                "description": item.description,
                "quantity": f.number(item.quantity),
                "unit": item.unit,
                "unit_price": f.money(item.unit_price),
                "tax_rate": f.percent(item.tax_rate),
                "discount": f.percent(item.discount_percent) if item.discount_percent else "",
                "net": f.money(net),
            }
            for item, net in zip(inv.items, t.lines, strict=True)
        ],
        "show_line_discounts": has_line_discounts,
        "show_tax_column": len(rates) > 1,
        "subtotal": f.money(t.subtotal),
        "discount": f.money(-t.discount) if t.discount else None,
        "discount_label": inv.discount.label if inv.discount else None,
        "discount_percent": f.percent(inv.discount.percent)
        if inv.discount and inv.discount.percent else None,
        "taxes": [{"rate": f.percent(x.rate), "base": f.money(x.base), "tax": f.money(x.tax)}
                  for x in t.taxes if x.rate],
        "total": f.money(t.total),
        "paid": f.money(fig.paid) if fig.paid else None,
        "balance": f.money(fig.balance),
        "overpaid": f.money(fig.overpaid) if fig.overpaid else None,
        "due_now": f.money(fig.due_now) if fig.due_now else None,
        "due_now_date": f.date(fig.due_now_date),
        "due_now_iso": fig.due_now_date.isoformat() if fig.due_now_date else None,
        "due_now_is_balance": fig.due_now == fig.balance,
        "days_left": fig.days_left,
        "status": fig.status.value,
        "is_payable": fig.status not in (Status.PAID, Status.VOID, Status.DRAFT),
        "void_reason": inv.void_reason,
        "parts": [
            {
                "kind": p.kind, "index": p.index, "label": p.label,
                "due": f.date(p.due), "due_iso": p.due.isoformat(),
                "amount": f.money(p.amount), "paid": f.money(p.paid) if p.paid else None,
                "remaining": f.money(p.remaining), "state": p.state.value,
            }
            for p in fig.parts
        ],
        "show_schedule": len(fig.parts) > 1,
        "payments": [
            {"date": f.date(p.date), "amount": f.money(p.amount), "method": p.method,
             "reference": p.reference}
            for p in inv.payments if p.date <= today
        ],
        "terms": inv.terms,
        "note_html": render_markdown(inv.note) if inv.note.strip() else "",
        "pay": pay_view(inv, fig, f.money, site.cache_dir),
        "generator": "Remit",
        "countdown": countdown_view(inv, fig, site, f.money, f.date),
    }


PART_STATES = [s.value for s in PartState]
