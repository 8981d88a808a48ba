"""Load, validate and check a whole site: everything a build needs before it writes a byte."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from generator.confine import confined_file, described
from generator.errors import Problem, RemitError
from generator.figures.checks import check_unique, invoice_warnings
from generator.figures.clients import client_key, wants_statement
from generator.figures.trust import foreign_beneficiaries
from generator.model.invoice import Invoice
from generator.model.settings import Settings
from generator.model.site import Site
from generator.read.files import Source, find_invoice_files, read_source
from generator.read.memo import InvoiceMemo
from generator.read.secret import load_secret
from generator.read.settings import SITE_FILE, load_settings
from generator.theme import available_languages, theme_problems
from generator.toml import Locator
from generator.urls import invoice_path, link_key, statement_path

if TYPE_CHECKING:
    from generator.read.parse import Parse, Parsed


def site_locator(settings: Settings) -> Locator | None:
    """site.toml's lines, for problems that belong there (an e-invoice's seller fields)."""
    try:
        return Locator((settings.root / "site.toml").read_text(encoding="utf-8"), 1)
    except OSError:
        return None


def today_in(settings: Settings) -> dt.date:
    return dt.datetime.now(settings.tz).date()


def load_site(root: Path, base_url: str | None = None, create_secret: bool = True,
              memo: InvoiceMemo | None = None, parse: Parse | None = None) -> Site:
    """Raise RemitError with every problem of every file, or return a site that is fit to build.

    With a memo (the build cache), files unchanged since a valid earlier read are not parsed
    again; the memo returns their Invoice in place of their path. `parse` reads the other
    files (parse_files, here; or render/pool.py's parse_in_pool, in the worker pool).
    """
    settings = load_settings(root, base_url)
    if memo:
        items, problems = memo.load(settings)
    else:
        paths, problems = find_invoice_files(settings.content_dir, settings.root)
        items = list(paths)
    pending = [item for item in items if isinstance(item, Path)]
    parsed: Iterator[Parsed] = iter(())
    if pending:  # (a build whose files all come from the memo never imports the parser)
        if parse is None:
            from generator.read.parse import parse_files as parse
        parsed = parse(pending, settings, available_languages(settings.theme_dir),
                       site_locator(settings))
    invoices: list[Invoice] = []
    for item in items:
        if isinstance(item, Invoice):
            invoices.append(item)
            continue
        inv, found = next(parsed)
        problems.extend(found)
        if inv is not None:
            invoices.append(inv)
            if memo:
                memo.remember(item.relative_to(settings.root).as_posix(), inv)
    # The memo skips re-reading unchanged invoice files, never checking the files they
    # publish: a video swapped for a link to /etc/passwd is refused on every build.
    for inv in invoices:
        video = inv.countdown.video_file(settings.content_dir)
        wrong = confined_file(video, settings.content_dir) if video is not None else None
        if video is not None and wrong:
            rel = video.relative_to(settings.content_dir).as_posix()
            problems.append(Problem(inv.source, None, "video", described(f"content/{rel}", wrong)))
    problems.extend(theme_problems(settings.theme_dir, settings.root))
    # A site whose invoices all have explicit slugs needs no secret (nor does CI need one),
    # unless it has statement pages, whose URLs are tokens; an encrypted site always does:
    # its keys derive from it.
    statement_clients = clients_with_statements(invoices, settings.statements)
    if statement_clients and settings.encrypted:
        # A statement page lists a client's invoices in plain text: it would publish what
        # encryption keeps private. Until statements are sealed too, the two exclude each other.
        problems.append(Problem("site.toml", None, "statements",
                                "statement pages are not sealed yet, so they cannot be "
                                "published on a site with privacy = \"encrypted\"; set "
                                "statements = false and remove 'statement' from [client]"))
    needs_secret = settings.encrypted or any(inv.slug is None for inv in invoices) \
        or bool(statement_clients)
    secret, notice = load_secret(settings.root, create=create_secret and needs_secret)
    sealed = settings.encrypted
    paths = {inv.source: invoice_path(secret, inv.number, inv.slug, sealed) for inv in invoices}
    keys = {inv.source: link_key(secret, inv.number) for inv in invoices} if sealed else {}
    problems.extend(check_unique(invoices, paths))
    if problems:
        raise RemitError(problems)
    return Site(settings, tuple(invoices), paths, (notice,) if notice else (),
                statements={key: statement_path(secret, key) for key in statement_clients},
                warnings=tuple(site_warnings(invoices, settings)), keys=keys)


def clients_with_statements(invoices: list[Invoice], site_wide: bool) -> list[str]:
    """The keys of the clients who get a statement page, sorted."""
    clients: dict[str, list[Invoice]] = {}
    for inv in invoices:
        if not inv.draft:
            clients.setdefault(client_key(inv), []).append(inv)
    return [key for key, mine in sorted(clients.items()) if wants_statement(mine, site_wide)]


def site_warnings(invoices: list[Invoice], settings: Settings) -> list[Problem]:
    """Every invoice's warnings, remembered or not; the file is read again (for line
    numbers) only when it has one. A site.toml method that pays someone other than the
    seller is told once, on site.toml; an invoice's, on the invoice."""
    found: list[Problem] = []
    site_wide = foreign_beneficiaries(settings.payment.methods, settings.seller)
    if site_wide:
        text = (settings.root / SITE_FILE).read_text(encoding="utf-8")
        found += [Problem(SITE_FILE, Locator(text, 1).line_of(field), field, message)
                  for field, message in site_wide]
    inherited = {m.name: m.fields for m in settings.payment.methods}
    for inv in invoices:
        own = [m for m in inv.payment_methods if inv.seller != settings.seller
               or inherited.get(m.name) != m.fields]
        foreign = foreign_beneficiaries(own, inv.seller)
        if foreign or invoice_warnings(inv, None):
            src = read_source(settings.root / inv.source, settings.root)
            locator = src.locator if isinstance(src, Source) else None
            found.extend(invoice_warnings(inv, locator))
            found += [Problem(inv.source, locator and (locator.line_of(field)
                                                       or locator.line_of("seller")),
                              field, message) for field, message in foreign]
    return sorted(found)
