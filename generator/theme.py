"""Themes: where a site's theme and the bundled ones are, and which of their files win.

The one place that finds themes. A site may have its own theme in `themes/NAME/`; any file it
lacks comes from the bundled default theme, which ships inside the package (a wheel carries
it in `generator/themes/`; a checkout keeps its source in the repository's `themes/`)."""

from __future__ import annotations

from pathlib import Path

from generator.confine import confined_file, walk
from generator.errors import Problem

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT = "default"
SITE_THEMES = "themes"  # a site's own themes, in a folder beside content/


def bundled_themes() -> Path:
    """The folder of the themes that ship with Remit."""
    installed = PACKAGE_DIR / "themes"  # where pyproject.toml puts them in a wheel
    return installed if installed.is_dir() else PACKAGE_DIR.parent / "themes"


def find_theme(root: Path, name: str) -> Path | None:
    """The site's own `themes/NAME/` if it exists, else the bundled theme of that name."""
    for folder in (root / SITE_THEMES / name, bundled_themes() / name):
        if folder.is_dir():
            return folder
    return None


def theme_chain(theme_dir: Path) -> tuple[Path, ...]:
    """The site's theme first, then the bundled default: the order in which a file is looked
    up, so that a theme may override one template, catalog or static file and no more."""
    return tuple(dict.fromkeys(d.resolve() for d in (theme_dir, bundled_themes() / DEFAULT)))


def template_dirs(theme_dir: Path) -> tuple[Path, ...]:
    return tuple(d / "templates" for d in theme_chain(theme_dir) if (d / "templates").is_dir())


def catalog(theme_dir: Path, language: str) -> Path | None:
    """The first `messages.po` for `language` along the chain."""
    for d in theme_chain(theme_dir):
        po = d / "locales" / language / "LC_MESSAGES" / "messages.po"
        if po.is_file():
            return po
    return None


def static_files(theme_dir: Path) -> dict[str, Path]:
    """Everything published under static/ (relative path -> local file), the site theme's
    files over the bundled default's. A link leaving its theme is never published (the
    build reports it first: theme_problems)."""
    found: dict[str, Path] = {}
    for theme in reversed(theme_chain(theme_dir)):  # the site's theme last: its files win
        static = theme / "static"
        if static.is_dir():
            for path in walk(static)[0]:
                if confined_file(path, theme) is None:
                    found["static/" + path.relative_to(static).as_posix()] = path
    return found


def theme_problems(theme_dir: Path, root: Path) -> list[Problem]:
    """Every file of the site's own theme that a build must not read or publish: a symbolic
    link leaving the theme's folder, looping or dangling; a static file too large."""
    if not theme_dir.is_relative_to(root / SITE_THEMES) or not theme_dir.is_dir():
        return []  # a bundled theme ships inside the package
    where = f"{SITE_THEMES}/{theme_dir.name}/"
    files, bad = walk(theme_dir, where=where)
    static = theme_dir / "static"
    bad += [(p, wrong) for p in files if p.is_relative_to(static)
            for wrong in [confined_file(p, theme_dir, where=where)] if wrong]
    return [Problem(p.relative_to(root).as_posix(), None, None, message)
            for p, message in bad]


def available_languages(theme_dir: Path) -> frozenset[str]:
    """Every language with a catalog along the chain (a theme that overrides one template
    still speaks every language of the bundled default)."""
    found = {"en"}
    for d in theme_chain(theme_dir):
        locales = d / "locales"
        if locales.is_dir():
            found.update(p.name for p in locales.iterdir() if (p / "LC_MESSAGES").is_dir())
    return frozenset(found)
