"""The statement pages of a build: from the build cache when nothing they show has changed
(the client's invoices, their URLs, the settings, theme, code and day), else rendered and
stored there first, so that a no-op rebuild does not re-derive every invoice."""

from __future__ import annotations

import datetime as dt

from generator.digest import digest, stable_repr
from generator.model.site import Site
from generator.write.cache import Cache, CacheFile
from generator.write.keys import Keys


def statement_files(site: Site, today: dt.date, trusted: dict[str, dict[str, int]],
                    identities: dict[str, str] | None = None,
                    store: Cache | None = None, keys: Keys | None = None,
                    ) -> dict[str, CacheFile]:
    """Statement folder + "index.html" -> its cache file, for every client with one. New
    entries are indexed when the caller saves `store` (without one, before this returns).
    `keys`: the build's, when the caller has them (they hash every theme file)."""
    if not site.statements:
        return {}
    if store is None:
        store = Cache(site.settings.cache_dir)
        files = statement_files(site, today, trusted, identities, store, keys)
        store.save()
        return files
    # Here: a site without statements never imports the view (Babel's catalogs, ~10 ms).
    from generator.render.statement import clients_with_statements, render_statement

    keys = keys or Keys.for_build(site.settings, today)
    known = identities or {}
    files: dict[str, CacheFile] = {}
    for folder, invoices in clients_with_statements(site).items():
        data = digest("statement", *(known.get(i.source) or stable_repr(i) for i in invoices),
                      *(site.paths[i.source] for i in invoices))
        key = keys.page(data, folder, False)
        entry = store.get("page", key, trusted)
        if entry is None:
            entry = store.put("page", key, {
                "index.html": render_statement(site, folder, invoices, today,
                                                keys.theme)})
        files[folder + "index.html"] = entry.path("index.html")
    return files
