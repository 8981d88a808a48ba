"""The site-wide files (home page, 404 page, robots.txt, static files, CNAME), kept in the
build cache like an invoice's: a build that changes none of their inputs (the site's
settings and site.toml, the theme, the logo, the generator, the day: Keys.common) renders
nothing and reads nothing for them, and so imports no template engine at all."""

from __future__ import annotations

from urllib.parse import quote, unquote

from generator.digest import digest
from generator.model.settings import Settings
from generator.write.cache import Cache, CacheFile
from generator.write.keys import Keys


def site_files(settings: Settings, keys: Keys, store: Cache,
               trusted: dict[str, dict[str, int]]) -> dict[str, CacheFile]:
    """Relative path -> cache file of every site-wide file (a new entry is indexed when the
    caller saves `store`)."""
    key = digest(keys.common, "site")
    entry = store.get("site", key, trusted)
    if entry is None:
        from generator.render.site import site_wide_files

        # An entry's files lie flat: "static/css/site.css" is kept as <key>.static%2Fcss%2F...
        rendered = site_wide_files(settings, keys.theme)
        files = {quote(rel, safe=""): data for rel, data in rendered.items()}
        entry = store.put("site", key, files)
    return {unquote(name): entry.path(name) for name in entry.sizes}
