"""Each client's statement page (opt-in): every published invoice of the client, as of the
build's day, at a private token URL like an invoice's. (write/statements.py caches them.)"""

from __future__ import annotations

import datetime as dt

from generator.figures.clients import client_key
from generator.figures.statement import statement
from generator.model.invoice import Invoice
from generator.model.site import Site
from generator.theme import template_dirs
from generator.view.site import site_view
from generator.view.statement import statement_view


def clients_with_statements(site: Site) -> dict[str, tuple[Invoice, ...]]:
    """Statement folder -> the published invoices of its client."""
    clients: dict[str, list[Invoice]] = {}
    for inv in site.published:
        clients.setdefault(client_key(inv), []).append(inv)
    return {folder: tuple(clients[key]) for key, folder in site.statements.items()}


def render_statement(site: Site, folder: str, invoices: tuple[Invoice, ...],
                     today: dt.date, theme_digest: str) -> bytes:
    """A client's statement page; `theme_digest` as for render/site.py's site_wide_files."""
    from generator.render import html  # here: a build that renders nothing imports no Jinja

    html.fresh_theme(theme_digest)
    settings = site.settings
    view = statement_view(statement(invoices, today, settings.tz), site.paths,
                          folder.rstrip("/"))
    context = {**site_view(settings, "../"), **view}
    return html.render(template_dirs(settings.theme_dir), settings.theme_dir, "statement.html",
                       view["language"], context, settings.cache_dir).encode("utf-8")
