"""`remit share NUMBER`: a polite message with the invoice's link, and links to send it."""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import sys

from generator.errors import Problem, RemitError
from generator.figures.derive import derive
from generator.i18n import translations
from generator.model.invoice import Invoice
from generator.model.site import Site
from generator.notify.share import message
from generator.read.site import load_site, today_in


def run(args: argparse.Namespace) -> int:
    site = load_site(args.site, args.base_url)
    inv = find_invoice(site, args.number)
    fig = derive(inv, args.today or today_in(site.settings), site.settings.tz)
    msg = message(inv, fig, site.url(inv), translations(site.settings.theme_dir, inv.language),
                  site.settings.tz)
    if args.json:
        data = {**dataclasses.asdict(msg), "passphrase_required": inv.passphrase is not None}
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    print(msg.text)
    print()
    print(f"E-mail:   {msg.mailto}")
    print(f"WhatsApp: {msg.whatsapp}")
    print(f"SMS:      {msg.sms}")
    if inv.passphrase is not None:
        # For the owner only: the message never carries the passphrase.
        print("\nThis invoice also asks for its passphrase: tell the client another way than "
              "this message (by phone, say).")
    return 0


def find_invoice(site: Site, number: str) -> Invoice:
    found = [i for i in site.invoices if i.number == number]
    if not found:
        numbers = sorted(i.number for i in site.invoices)
        close = difflib.get_close_matches(number, numbers, n=1)
        hint = f"did you mean {close[0]}?" if close else \
            "`remit list` shows every invoice number"
        raise RemitError([Problem("share", None, None, f"no invoice numbered {number!r}; {hint}")])
    if found[0].draft:
        raise RemitError([Problem(found[0].source, None, "draft",
                                  f"invoice {number} is a draft and not published, so its link "
                                  "leads nowhere; remove `draft = true` and build first")])
    return found[0]
