"""Stage 5 and orchestration: build the whole site, then put it into output/ at once.

Order: load the site (all errors at once, nothing written; unchanged files come from the
memo) -> for each invoice, take its page and PDF from the build cache or render them (PDFs in
a process pool) -> render the site-wide pages -> only then write output/: either the files
that differ, when output/ is provably the last build's, or a fresh tree swapped into place
(output.py). An incremental build equals a clean one, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from generator.config import SiteConfig, bundled_themes
from generator.errors import Problem, RemitError
from generator.incremental import invoice_files, static_sources
from generator.memo import InvoiceMemo
from generator.output import Content, OutputState, write_output, write_tree
from generator.output import swap_into_place as swap_into_place  # the public name it had
from generator.pdf_settings import logo_name
from generator.render import html
from generator.site import Site, load_site, today_in
from generator.view import party_view

ROBOTS = "User-agent: *\nDisallow: /\n"


@dataclass(frozen=True)
class BuildReport:
    output: Path
    pages: int
    drafts: int
    rendered: tuple[str, ...]  # numbers of the invoices whose files were (re)rendered
    seconds: float
    notices: tuple[str, ...]


def template_dirs(config: SiteConfig) -> tuple[Path, ...]:
    dirs = [config.theme_dir / "templates", bundled_themes() / "default" / "templates"]
    return tuple(dict.fromkeys(d.resolve() for d in dirs if d.is_dir()))


def site_context(config: SiteConfig, root: str) -> dict[str, object]:
    logo = "static/" + logo_name(config.logo) if config.logo else None
    return {"site": {"title": config.title, "tagline": config.tagline,
                     "seller": party_view(config.seller), "logo": logo,
                     "paper": config.paper,
                     "hide_amounts_in_previews": config.hide_amounts_in_previews}, "root": root}


def site_files(site: Site, today: dt.date, jobs: int | None = None, pdf: bool = True,
               trusted: dict[str, int] | None = None, identities: dict[str, str] | None = None,
               ) -> tuple[dict[str, Content], tuple[str, ...]]:
    """The whole site as relative path -> content, and the invoices (re-)rendered for it."""
    config = site.config
    files: dict[str, Content] = {}
    invoices, rendered = invoice_files(site, today, jobs, pdf, trusted or {}, identities)
    dirs = template_dirs(config)
    base = site_context(config, "")
    files["index.html"] = html.render(dirs, config.theme_dir, "index.html", config.language,
                                      base).encode()
    # Served for any missing path, at any depth: links must be absolute from the base path.
    files["404.html"] = html.render(dirs, config.theme_dir, "404.html", config.language,
                                    {**base, "root": config.base_path}).encode()
    files["robots.txt"] = ROBOTS.encode()
    files[".nojekyll"] = b""
    if config.cname:  # a branch deploy's custom domain; the Actions deploy ignores it
        files["CNAME"] = (config.cname + "\n").encode()
    files.update(static_files(config))
    files.update(invoices)
    return files, rendered


def render_site(site: Site, today: dt.date, out: Path, jobs: int | None = None,
                pdf: bool = True) -> tuple[str, ...]:
    """Write the whole site into the empty folder `out`."""
    files, rendered = site_files(site, today, jobs, pdf)
    write_tree(out, files)
    return rendered


def static_files(config: SiteConfig) -> dict[str, bytes]:
    # Bytes, never hard links: an edit inside output/ must not reach the theme's own files.
    return {rel: path.read_bytes() for rel, path in static_sources(config).items()}


def check_output_dir(config: SiteConfig, output: Path) -> None:
    """Refuse an output folder whose replacement would destroy the owner's files."""
    root = config.root
    bad = output == root or root.is_relative_to(output) or any(
        output.is_relative_to(p) for p in (config.content_dir, root / "themes"))
    if not bad and output.exists() and (not output.is_dir() or (
            any(output.iterdir()) and not (output / "index.html").is_file())):
        bad = True
    if bad:
        raise RemitError([Problem(str(output), None, "--output",
                                  "refusing to replace this folder: it is not a Remit output "
                                  "(choose an empty or new folder, such as output/)")])


def build(root: Path, output: Path | None = None, today: dt.date | None = None,
          base_url: str | None = None, *, jobs: int | None = None,
          pdf: bool = True) -> BuildReport:
    """Build the site; `jobs` PDF workers (default: every core); `pdf=False`: pages only."""
    started = time.perf_counter()
    memo = InvoiceMemo()
    site = load_site(root, base_url, memo=memo)
    config = site.config
    output = (output or config.output_dir).resolve()
    check_output_dir(config, output)
    day = today or today_in(config)
    state = OutputState(config.cache_dir, output)
    # Cache files verified by output/'s stats need not be read again (a no-op stays fast).
    trusted = state.trusted_cache_files() if state.trusted() else {}
    files, rendered = site_files(site, day, jobs, pdf, trusted, memo.keys)
    write_output(output, files, state)
    memo.save()
    drafts = len(site.invoices) - len(site.published)
    return BuildReport(output, len(site.published), drafts, rendered,
                       time.perf_counter() - started, site.notices)
