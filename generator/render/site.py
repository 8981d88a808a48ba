"""The site-wide files: home page, 404 page, robots.txt, the theme's static files, CNAME."""

from __future__ import annotations

from pathlib import Path

from generator.model.settings import Settings
from generator.theme import static_files, template_dirs
from generator.urls import logo_name
from generator.view.site import site_view

ROBOTS = "User-agent: *\nDisallow: /\n"


def static_sources(settings: Settings) -> dict[str, Path]:
    """Everything published under static/ (relative path -> local file): the theme's files
    and the logo."""
    sources = static_files(settings.theme_dir)
    if settings.logo:
        sources["static/" + logo_name(settings.logo)] = settings.logo
    return sources


def static_assets(settings: Settings) -> dict[str, str]:
    """Public URL -> local file for everything under static/, for the PDF's URL fetcher."""
    return {settings.base_url + rel: str(path) for rel, path in static_sources(settings).items()}


def site_wide_files(settings: Settings, theme_digest: str) -> dict[str, bytes]:
    """Everything but the invoices, relative path -> bytes; `theme_digest`: the theme's
    files' digest (write/keys.py), so that an edited catalog is never translated stale."""
    from generator.render import html  # here: a build that renders nothing imports no Jinja

    html.fresh_theme(theme_digest)
    html.recheck_templates()  # once a build: watch mode picks up an edited template
    dirs = template_dirs(settings.theme_dir)
    base = site_view(settings, "")
    files = {
        "index.html": html.render(dirs, settings.theme_dir, "index.html", settings.language,
                                  base, settings.cache_dir).encode(),
        # Served for any missing path, at any depth: links must be absolute from the base path.
        "404.html": html.render(dirs, settings.theme_dir, "404.html", settings.language,
                                {**base, "root": settings.base_path},
                                settings.cache_dir).encode(),
        "robots.txt": ROBOTS.encode(),
        ".nojekyll": b"",
    }
    if settings.cname:  # a branch deploy's custom domain; the Actions deploy ignores it
        files["CNAME"] = (settings.cname + "\n").encode()
    # Bytes, never hard links: an edit inside output/ must not reach the theme's own files.
    files.update({rel: path.read_bytes() for rel, path in static_sources(settings).items()})
    return files
