"""Each client's statement page (opt-in): every published invoice of the client, as of the
build's day, at a private token URL like an invoice's."""

from __future__ import annotations

import datetime as dt

from generator.figures.ledger import client_key
from generator.figures.statement import statement
from generator.model.invoice import Invoice
from generator.model.site import Site
from generator.render import html
from generator.theme import template_dirs
from generator.view.site import site_view
from generator.view.statement import statement_view


def statement_files(site: Site, today: dt.date) -> dict[str, bytes]:
    """Statement folder + "index.html" -> page, for every client with a statement."""
    if not site.statements:
        return {}
    settings = site.settings
    clients: dict[str, list[Invoice]] = {}
    for inv in site.published:
        clients.setdefault(client_key(inv), []).append(inv)
    dirs = template_dirs(settings.theme_dir)
    files = {}
    for key, folder in site.statements.items():
        view = statement_view(statement(clients[key], today, settings.tz), site.paths,
                              folder.rstrip("/"))
        context = {**site_view(settings, "../"), **view}
        files[folder + "index.html"] = html.render(dirs, settings.theme_dir, "statement.html",
                                                   view["language"], context).encode("utf-8")
    return files
