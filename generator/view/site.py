"""What every page of the site sees: the site's title, seller and logo."""

from __future__ import annotations

from generator.model.settings import Settings
from generator.theme import static_files
from generator.urls import logo_name
from generator.view.format import party_view


def site_view(settings: Settings, root: str) -> dict[str, object]:
    """The context every page shares: `site` (title, seller, logo, ...) and `root`, the
    relative way back to the site's root from the page."""
    logo = "static/" + logo_name(settings.logo) if settings.logo else None
    return {"site": {"title": settings.title, "tagline": settings.tagline,
                     "seller": party_view(settings.seller), "logo": logo,
                     "paper": settings.paper,
                     "hide_amounts_in_previews": settings.hide_amounts_in_previews},
            "root": root}


def published_urls(settings: Settings) -> frozenset[str]:
    """The public address of every file under static/: the theme's files and the logo."""
    names = set(static_files(settings.theme_dir))
    if settings.logo:
        names.add("static/" + logo_name(settings.logo))
    return frozenset(settings.base_url + name for name in names)
