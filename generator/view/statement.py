"""What the statement page sees: a client's invoices per currency, in the client's language."""

from __future__ import annotations

import posixpath
from typing import Any

from generator.figures.statement import Statement
from generator.view.format import Formatter, party_view


def statement_view(st: Statement, paths: dict[str, str], folder: str) -> dict[str, Any]:
    """`paths`: invoice source -> its folder; `folder`: the statement's own folder."""
    latest = st.client
    lang = latest.language

    def href(source: str) -> str:
        return posixpath.relpath(paths[source], folder) + "/"

    sections = []
    for sec in st.sections:
        f = Formatter(lang, sec.currency)
        rows = [{
            "number": e.invoice.number, "href": href(e.invoice.source),
            "issued": f.date(e.invoice.issued, "medium"),
            "due": f.date(e.invoice.due, "medium"),
            "next_date": f.date(e.next_date, "medium") if e.next_date else None,
            "status": e.figures.status.value, "total": f.money(e.figures.totals.total),
            "paid": f.money(e.figures.paid), "balance": f.money(e.figures.balance),
        } for e in sec.entries]
        sections.append({
            "currency": sec.currency, "rows": rows, "outstanding": f.money(sec.outstanding),
            "next_date": f.date(sec.next_date) if sec.next_date else None,
            "next_amount": f.money(sec.next_amount),
            "overdue": f.money(sec.overdue) if sec.overdue else None,
        })
    return {"st": {"client": party_view(latest.client), "seller": party_view(latest.seller),
                   "date": Formatter(lang, latest.currency).date(st.today),
                   "sections": sections},
            "language": lang}
