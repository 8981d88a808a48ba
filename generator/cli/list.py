"""`remit list`: every invoice with its status, amounts and private URL."""

from __future__ import annotations

import argparse
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
            "status": fig.status.value, "due": inv.due.isoformat(),
            "url": None if inv.draft else site.url(inv), "file": inv.source,
            "passphrase_required": inv.passphrase is not None,
        })
    if args.json:
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    lang = site.settings.language
    for row, inv in zip(rows, sorted(site.invoices, key=lambda i: (i.issued, i.number)),
                        strict=True):
        total = money(Decimal(row["total"]), inv.currency, lang)
        balance = money(Decimal(row["balance"]), inv.currency, lang)
        print(f"{row['number']:<12} {row['status']:<15} due {row['due']}  "
              f"total {total:>14}  balance {balance:>14}  {row['client']}")
        lock = "  (and its passphrase)" if row["passphrase_required"] else ""
        print(f"{'':<12} {row['url'] or '(draft: not published)'}{lock}")
    return 0
