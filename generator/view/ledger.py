"""The owner's figures as the dashboard and `remit report` show them: formatted, labelled.

One view for both, so the terminal table and the browser page say the same thing. Money is
in the site's language; each row keeps its exact amount as text too (for CSV and tests).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.figures.ledger import AGING, SOON, Ledger
from generator.i18n import money
from generator.model.site import Site

STATUS_LABELS = {"draft": "draft", "open": "open", "partially_paid": "partially paid",
                 "paid": "paid", "overdue": "overdue", "void": "void"}


def aging_labels() -> list[str]:
    return [f"{first}–{last} days" if last else f"over {first - 1} days"
            for first, last in AGING]


def soon_labels() -> list[str]:
    return [f"next {days} days" for days in SOON]


def week_label(monday: dt.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d} (from {monday.isoformat()})"


def ledger_view(site: Site, led: Ledger) -> dict[str, Any]:
    lang = site.settings.language

    def m(amount: Any, currency: str) -> str:
        return money(amount, currency, lang)

    currencies = [{
        "currency": c.currency, "outstanding": m(c.outstanding, c.currency),
        "overdue": m(c.overdue, c.currency), "open_invoices": c.open_invoices,
        "aging": [m(a, c.currency) for a in c.aging],
        "due_soon": [m(a, c.currency) for a in c.due_soon],
        "exact": {"outstanding": str(c.outstanding), "overdue": str(c.overdue),
                  "aging": [str(a) for a in c.aging], "due_soon": [str(a) for a in c.due_soon]},
    } for c in led.currencies]
    weeks = [{"week": week_label(w.monday), "monday": w.monday.isoformat(),
              "currency": w.currency, "amount": m(w.amount, w.currency), "exact": str(w.amount)}
             for w in led.weeks]
    statements = {key: site.settings.base_url + path for key, path in site.statements.items()}
    clients = [{"client": c.client, "currency": c.currency, "balance": m(c.balance, c.currency),
                "overdue": m(c.overdue, c.currency), "invoices": c.invoices,
                "statement_url": statements.get(c.key),
                "exact": {"balance": str(c.balance), "overdue": str(c.overdue)}}
               for c in led.clients]
    invoices = []
    for e in led.entries:
        inv, fig = e.invoice, e.figures
        published = not inv.draft
        invoices.append({
            "number": inv.number, "client": inv.client.display_name,
            "status": fig.status.value, "status_label": STATUS_LABELS[fig.status.value],
            "currency": inv.currency, "total": m(fig.totals.total, inv.currency),
            "balance": m(fig.balance, inv.currency),
            "due_now": m(fig.due_now, inv.currency) if e.counted else "",
            "next_date": e.next_date.isoformat() if e.next_date else "",
            "days_overdue": e.days_overdue, "issued": inv.issued.isoformat(),
            "due": inv.due.isoformat(), "file": inv.source,
            "url": site.url(inv) if published else None,
            "path": site.paths[inv.source] if published else None,
            "exact": {"total": str(fig.totals.total), "balance": str(fig.balance),
                      "due_now": str(fig.due_now) if e.counted else "0"},
        })
    return {"today": led.today.isoformat(), "title": site.settings.title,
            "aging_labels": aging_labels(), "soon_labels": soon_labels(),
            "currencies": currencies, "weeks": weeks, "clients": clients,
            "invoices": invoices}
