"""The owner's dashboard at /_remit/ on the local preview: what is owed, by whom, and when.

Served by `remit serve` only, never written to output/: it shows every client and amount on
one page, so it answers only requests from this machine (a loopback peer, and a loopback
Host header against DNS rebinding), even when the preview listens on another address.
Figures come from figures/ledger.py through view/ledger.py, the same as `remit report`;
the page is computed once per rebuild and carries the live-reload script like any page.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from html import escape
from typing import Any

from generator.errors import RemitError
from generator.figures.derive import derive
from generator.figures.ledger import ledger
from generator.i18n import translations
from generator.model.site import Site
from generator.notify.share import message
from generator.read.site import load_site, today_in
from generator.view.ledger import ledger_view

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def is_local(peer: str, host_header: str | None) -> bool:
    """The request comes from this machine and names this machine."""
    try:
        if not ipaddress.ip_address(peer.split("%")[0]).is_loopback:
            return False
    except ValueError:
        return False
    host = (host_header or "").strip().lower()
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return name in LOOPBACK_HOSTS or name.startswith("127.")


def dashboard_data(site: Site, today: dt.date) -> dict[str, Any]:
    """The view plus, per published invoice, the share message in the client's language."""
    view = ledger_view(site, ledger(site.invoices, today, site.settings.tz))
    by_number = {i.number: i for i in site.invoices}
    for row in view["invoices"]:
        inv = by_number[row["number"]]
        if inv.draft:
            continue
        fig = derive(inv, today, site.settings.tz)
        msg = message(inv, fig, site.url(inv),
                      translations(site.settings.theme_dir, inv.language), site.settings.tz)
        row["share"] = {"subject": msg.subject, "text": msg.text, "mailto": msg.mailto,
                        "whatsapp": msg.whatsapp, "sms": msg.sms}
    return view


def load_dashboard(root: Any, base_url: str | None, today: dt.date | None) -> dict[str, Any]:
    """The dashboard's data, or {"problems": [...]} when the site does not load."""
    try:
        site = load_site(root, base_url, create_secret=False)
    except RemitError as exc:
        return {"problems": [str(p) for p in exc.problems]}
    data = dashboard_data(site, today or today_in(site.settings))
    data["base_path"] = site.settings.base_path
    return data


STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:78rem;padding:1rem 1.25rem;
color:#1b1b1f;background:#fafafa}
h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{padding:.35rem .6rem;border-bottom:1px solid #e3e3e8;text-align:left;vertical-align:top}
th{font-weight:600;background:#f0f0f4}td.num,th.num{text-align:right;white-space:nowrap}
.status-overdue{color:#a4141c;font-weight:600}.status-paid{color:#1d6b33}
.status-void,.status-draft{color:#6b6b75}
button{font:inherit;padding:.15rem .55rem;border:1px solid #b8b8c4;border-radius:4px;
background:#fff;cursor:pointer}details{display:inline-block}
.problems{background:#fff5f5;border:1px solid #c0262d;padding:.5rem 1rem;color:#5c0b0b}
.muted{color:#6b6b75}
"""

SCRIPT = """<script>
document.addEventListener("click", function (ev) {
  var b = ev.target.closest("button[data-copy]");
  if (b) {
    var done = function () { b.textContent = "Copied"; b.setAttribute("data-copied", "1"); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(b.getAttribute("data-copy")).then(done, function () {
        window.prompt("Copy the link:", b.getAttribute("data-copy")); });
    } else { window.prompt("Copy the link:", b.getAttribute("data-copy")); }
    return;
  }
  var s = ev.target.closest("button[data-share]");
  if (s) {
    var d = JSON.parse(s.getAttribute("data-share"));
    if (navigator.share) {
      navigator.share({title: d.subject, text: d.text}).catch(function () {});
    } else { location.href = d.mailto; }
  }
});
</script>"""


def _table(headers: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    head = "".join(f'<th{" class=num" if i in numeric else ""}>{escape(h)}</th>'
                   for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{c}</td>'
                                    for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _invoice_row(i: dict[str, Any], base_path: str) -> list[str]:
    number = escape(i["number"])
    if i["path"]:
        number = f'<a href="{escape(base_path + i["path"])}">{number}</a>'
    actions = ""
    if i["url"]:
        share = i["share"]
        actions = (f'<button type="button" data-copy="{escape(i["url"])}">Copy link</button> '
                   f'<button type="button" data-share="{escape(json.dumps(share))}">Share'
                   f'</button> <details><summary>send…</summary>'
                   f'<a href="{escape(share["mailto"])}">e-mail</a> · '
                   f'<a href="{escape(share["whatsapp"])}" rel="noreferrer">WhatsApp</a> · '
                   f'<a href="{escape(share["sms"])}">SMS</a></details>')
    late = f'{i["days_overdue"]} d late' if i["days_overdue"] else ""
    return [number, escape(i["client"]),
            f'<span class="status-{escape(i["status"])}">{escape(i["status_label"])}</span>',
            escape(i["total"]), escape(i["balance"]), escape(i["due_now"]),
            escape(i["next_date"]) + (f' <span class="muted">{late}</span>' if late else ""),
            actions]


def dashboard_html(data: dict[str, Any]) -> str:
    parts = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
             '<meta name="robots" content="noindex">',
             "<title>Remit · what is owed</title>", f"<style>{STYLE}</style></head><body>"]
    if "problems" in data:
        items = "".join(f"<li>{escape(p)}</li>" for p in data["problems"])
        parts.append(f'<h1>Remit dashboard</h1><div class="problems" role="alert"><p>The site '
                     f"does not load; fix these and save:</p><ul>{items}</ul></div>")
        return "".join(parts) + "</body></html>"
    parts.append(f'<h1>{escape(data["title"])} <span class="muted">· as of '
                 f'{escape(data["today"])}</span></h1>')
    parts.append('<section id="owed"><h2>What is owed</h2>')
    if data["currencies"]:
        heads = ["Currency", "Outstanding", "Overdue", *data["aging_labels"],
                 *(f"Due {s}" for s in data["soon_labels"]), "Open invoices"]
        rows = [[escape(c["currency"]), escape(c["outstanding"]), escape(c["overdue"]),
                 *(escape(a) for a in c["aging"]), *(escape(a) for a in c["due_soon"]),
                 str(c["open_invoices"])] for c in data["currencies"]]
        parts.append(_table(heads, rows, set(range(1, len(heads)))))
    else:
        parts.append("<p>Nothing is owed.</p>")
    parts.append('</section><section id="weeks"><h2>Expected cash-in by week</h2>')
    parts.append(_table(["Week", "Currency", "Amount"],
                        [[escape(w["week"]), escape(w["currency"]), escape(w["amount"])]
                         for w in data["weeks"]], {2}) if data["weeks"]
                 else "<p>No payment is scheduled ahead.</p>")
    parts.append('</section><section id="clients"><h2>Balance per client</h2>')
    parts.append(_table(["Client", "Currency", "Balance", "Overdue", "Open invoices", ""],
                        [[escape(c["client"]), escape(c["currency"]), escape(c["balance"]),
                          escape(c["overdue"]), str(c["invoices"]),
                          f'<button type="button" data-copy="{escape(c["statement_url"])}">'
                          "Copy statement link</button>" if c["statement_url"] else ""]
                         for c in data["clients"]], {2, 3, 4}))
    parts.append('</section><section id="invoices"><h2>Invoices</h2>')
    parts.append(_table(["Number", "Client", "Status", "Total", "Balance", "Due now",
                         "Next date", ""],
                        [_invoice_row(i, data["base_path"]) for i in data["invoices"]],
                        {3, 4, 5}))
    parts.append("</section>" + SCRIPT + "</body></html>")
    return "".join(parts)
