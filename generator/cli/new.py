"""`remit new [--client NAME | --like NUMBER]`: write the next invoice file, print its path."""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path

from generator.errors import Problem, RemitError
from generator.figures.numbering import next_number
from generator.model.invoice import Invoice
from generator.model.site import Site
from generator.read.site import load_site, today_in
from generator.scaffold.invoice import new_invoice_text
from generator.urls import slugify


def client_keys(inv: Invoice) -> set[str]:
    """What --client may say: name, company, e-mail, or the folder the invoice is in."""
    c = inv.client
    folder = Path(inv.source).parent.name
    return {k.casefold() for k in (c.name, c.company, c.email, slugify(c.display_name),
                                   folder if folder != "content" else None) if k}


def model_invoice(site: Site, client: str | None, like: str | None) -> Invoice | None:
    """The invoice to copy from: --like's, or --client's latest (by issue date)."""
    invoices = sorted(site.invoices, key=lambda i: (i.issued, i.number))
    if like is not None:
        found = [i for i in invoices if i.number == like]
        if found:
            return found[0]
        close = difflib.get_close_matches(like, [i.number for i in invoices], n=1)
        hint = f"did you mean {close[0]}?" if close else "`remit list` shows every number"
        raise RemitError([Problem("--like", None, None, f"no invoice numbered {like!r}; {hint}")])
    if client is None:
        return None
    wanted = client.casefold()
    found = [i for i in invoices if wanted in client_keys(i)]
    if not found:  # a part of a name, if it names one client only
        found = [i for i in invoices if any(wanted in k for k in client_keys(i))]
        if len({i.client.display_name for i in found}) > 1:
            names = sorted({i.client.display_name for i in found})
            raise RemitError([Problem("--client", None, None,
                                      f"{client!r} matches several clients: "
                                      f"{', '.join(names)}; give more of the name")])
    if found:
        return found[-1]
    names = sorted({i.client.display_name for i in invoices})
    close = difflib.get_close_matches(client, names, n=3, cutoff=0.4)
    hint = f"did you mean {', '.join(close)}?" if close else (
        f"known clients: {', '.join(names)}" if names else "the site has no invoices yet")
    raise RemitError([Problem("--client", None, None,
                              f"no invoice for a client named {client!r} (name, company or "
                              f"e-mail); {hint}")])


def run(args: argparse.Namespace) -> int:
    site = load_site(args.site, create_secret=False)
    settings = site.settings
    today = args.today or today_in(settings)
    model = model_invoice(site, args.client, args.like)
    number = next_number(((i.number, i.issued) for i in site.invoices), today)
    folder = (settings.root / model.source).parent if model else settings.content_dir
    path = folder / f"{slugify(number)}.md"
    if path.exists():
        raise RemitError([Problem(path.relative_to(settings.root).as_posix(), None, None,
                                  f"already exists; the next number {number} would overwrite "
                                  "it: give it another name or number first")])
    folder.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as fh:  # "x": never overwrite a file raced in
        fh.write(new_invoice_text(number, today, settings, model))
    shown = Path(args.site) / path.relative_to(settings.root)
    print(shown)
    return 0
