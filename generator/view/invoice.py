"""An invoice page's view: every figure formatted, every state named."""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator import i18n
from generator.errors import Problem, RemitError
from generator.figures.derive import Figures, Status
from generator.model.invoice import Invoice
from generator.model.settings import Settings
from generator.payments.reference import part_reference
from generator.view.countdown import countdown_view
from generator.view.format import Formatter, party_view
from generator.view.markdown import NoteImageError, render_markdown
from generator.view.segments import received_from, segments_view
from generator.view.site import published_urls


def invoice_view(inv: Invoice, fig: Figures, settings: Settings, path: str,
                 today: dt.date) -> dict[str, Any]:
    f = Formatter(inv.language, inv.currency)
    t = fig.totals
    seg = segments_view(inv, fig, settings, f)
    has_line_discounts = any(i.discount_percent for i in inv.items)
    rates = {i.tax_rate for i in inv.items}
    return {
        "lang": inv.language,
        "number": inv.number,
        "title": inv.title,
        "po_number": inv.po_number,
        "path": path,
        "url": settings.base_url + path,
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
                "quantity_text": i18n.quantity(item.quantity, item.unit, inv.language,
                                               settings.theme_dir),
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
                # Its own reference, so that any part can be paid ahead of its turn.
                "reference": part_reference(inv, p.kind, p.index) if p.remaining > 0 else None,
                "states": states,
            }
            for p, states in zip(fig.parts, seg.parts, strict=True)
        ],
        "show_schedule": len(fig.parts) > 1,
        # A payment dated after the build day shows from its date on, with the totals it
        # changes (a client may announce a transfer that the owner records ahead).
        "payments": [
            {"date": f.date(p.date), "amount": f.money(p.amount), "method": p.method,
             "reference": p.reference, "segs": received_from(seg.blocks, p.date)}
            for p in inv.payments
        ],
        "totals_rows": seg.totals,
        "received_segs": received_from(seg.blocks, min((p.date for p in inv.payments),
                                                       default=dt.date.max)),
        "terms": inv.terms,
        "note_html": note_html(inv, settings, path),
        # One block per state the page may pass through, one payment section per amount.
        "segments": seg.blocks,
        "pays": seg.pays,
        "now": seg.blocks[0],
        "generator": "Remit",
        "countdown": countdown_view(inv, fig, settings, f, seg.moments, seg.block_of,
                                    seg.said),
    }


def note_html(inv: Invoice, settings: Settings, path: str) -> str:
    """The note, sanitised; images only from the site's own static/ files."""
    if not inv.note.strip():
        return ""
    maybe_image = "![" in inv.note or "<img" in inv.note.lower()
    images = published_urls(settings) if maybe_image else frozenset()
    try:
        return render_markdown(inv.note, settings.base_url + path,
                               settings.base_url + "static/", images)
    except NoteImageError as exc:
        raise RemitError([Problem(inv.source, None, "note", str(exc))]) from None
