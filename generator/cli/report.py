"""`remit report`: the owner's dashboard as terminal tables (what is owed, when, by whom)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from generator.figures.ledger import ledger
from generator.read.site import load_site, today_in
from generator.view.ledger import ledger_view


def table(headers: Sequence[str], rows: Sequence[Sequence[object]],
          right: Sequence[int] = ()) -> str:
    """A plain text table; columns in `right` are right-aligned (amounts)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip()
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def report_text(view: dict) -> str:
    out = [f"{view['title']} — as of {view['today']}", ""]
    if not view["currencies"]:
        out.append("Nothing is owed: no published invoice has a balance.")
    else:
        heads = ["currency", "outstanding", "overdue", *view["aging_labels"],
                 *(f"due {x}" for x in view["soon_labels"]), "open"]
        rows = [[c["currency"], c["outstanding"], c["overdue"], *c["aging"], *c["due_soon"],
                 c["open_invoices"]] for c in view["currencies"]]
        out += ["What is owed", table(heads, rows, range(1, len(heads)))]
    if view["weeks"]:
        out += ["", "Expected cash-in by week (parts not yet late)",
                table(["week", "currency", "amount"],
                      [[w["week"], w["currency"], w["amount"]] for w in view["weeks"]], [2])]
    if view["clients"]:
        out += ["", "Balance per client",
                table(["client", "currency", "balance", "overdue", "open"],
                      [[c["client"], c["currency"], c["balance"], c["overdue"], c["invoices"]]
                       for c in view["clients"]], [2, 3, 4])]
    links = sorted({(c["client"], c["statement_url"]) for c in view["clients"]
                    if c["statement_url"]})
    if links:
        out += ["", "Statement pages (private: share each with its client only)",
                table(["client", "link"], [list(x) for x in links])]
    if view["invoices"]:
        out += ["", "Invoices",
                table(["number", "client", "status", "total", "balance", "due now", "next date",
                       "late"],
                      [[i["number"], i["client"], i["status_label"], i["total"], i["balance"],
                        i["due_now"], i["next_date"],
                        f"{i['days_overdue']} d" if i["days_overdue"] else ""]
                       for i in view["invoices"]], [3, 4, 5, 7])]
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    site = load_site(args.site, args.base_url)
    today = args.today or today_in(site.settings)
    view = ledger_view(site, ledger(site.invoices, today, site.settings.tz))
    if args.json:
        json.dump(view, sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print(report_text(view))
    return 0
