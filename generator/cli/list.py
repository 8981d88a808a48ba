"""`remit list`: every invoice with its status, amounts and private URL."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from decimal import Decimal

from generator.figures.derive import derive
from generator.i18n import money
from generator.read.site import load_site, today_in


def run(args: argparse.Namespace) -> int:
    site = load_site(args.site, args.base_url)
    today = args.today or today_in(site.settings)
    rows = []
    for inv in sorted(site.invoices, key=lambda i: (i.issued, i.number)):
        fig = derive(inv, today, site.settings.tz)
        rows.append({
            "number": inv.number, "client": inv.client.display_name,
            "currency": inv.currency, "total": str(fig.totals.total),
            "balance": str(fig.balance), "due_now": str(fig.due_now),
            "paid": str(fig.paid), "credit": str(fig.overpaid),
            "status": fig.status.value, "due": inv.due.isoformat(),
            "url": None if inv.draft else site.url(inv), "file": inv.source,
            "issued": inv.issued.isoformat(),
            "passphrase_required": inv.passphrase is not None,
        })
    if args.csv:
        # Exact decimals and ISO dates: a spreadsheet or accounting import reads them as is.
        fields = ["number", "issued", "due", "client", "currency", "total", "paid", "balance",
                  "due_now", "status", "url", "file"]
        out = csv.DictWriter(sys.stdout, fields, extrasaction="ignore", lineterminator="\r\n")
        out.writeheader()
        for row in rows:
            out.writerow({**row, "url": row["url"] or "", "client": cell(row["client"]),
                          "number": cell(row["number"]), "file": cell(row["file"])})
        return 0
    if args.json:
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    lang = site.settings.language
    for row, inv in zip(rows, sorted(site.invoices, key=lambda i: (i.issued, i.number)),
                        strict=True):
        total = money(Decimal(row["total"]), inv.currency, lang)
        balance = money(Decimal(row["balance"]), inv.currency, lang)
        # An overpayment (or a payment on a void invoice) is the client's credit, not a balance.
        credit = Decimal(row["credit"])
        owed = f"credit  {money(credit, inv.currency, lang):>14}" if credit else \
            f"balance {balance:>14}"
        print(f"{row['number']:<12} {row['status']:<15} due {row['due']}  "
              f"total {total:>14}  {owed}  {row['client']}")
        lock = "  (and its passphrase)" if row["passphrase_required"] else ""
        print(f"{'':<12} {row['url'] or '(draft: not published)'}{lock}")
    return 0


def cell(text: str) -> str:
    """Text a spreadsheet would run as a formula (=, +, -, @ first) is kept as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
