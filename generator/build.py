"""Stage 5 and orchestration: render every page into a fresh tree, then swap it into place.

Order: load the site (all errors at once, nothing written) -> for each invoice, take its page
and PDF from the build cache or render them (PDFs in a process pool) -> place them into a
temporary folder beside the output with the site-wide pages -> swap it in. The previous output
stays untouched until the new one is complete, and an incremental build equals a clean one.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from generator.config import SiteConfig, bundled_themes
from generator.errors import Problem, RemitError
from generator.incremental import assemble_invoices
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
                     "paper": config.paper}, "root": root}


def render_site(site: Site, today: dt.date, out: Path, jobs: int | None = None,
                pdf: bool = True) -> tuple[str, ...]:
    """Invoice files from the cache or freshly rendered, then the site-wide pages."""
    config = site.config
    rendered = assemble_invoices(site, today, out, jobs, pdf)
    dirs = template_dirs(config)
    base = site_context(config, "")
    (out / "index.html").write_text(
        html.render(dirs, config.theme_dir, "index.html", config.language, base), "utf-8")
    # Served for any missing path, at any depth: links must be absolute from the base path.
    (out / "404.html").write_text(
        html.render(dirs, config.theme_dir, "404.html", config.language,
                    {**base, "root": config.base_path}), "utf-8")
    (out / "robots.txt").write_text(ROBOTS, "utf-8")
    (out / ".nojekyll").write_text("", "utf-8")
    copy_static(config, out / "static")
    return rendered


def copy_static(config: SiteConfig, dest: Path) -> None:
    bundled = bundled_themes() / "default" / "static"
    for src in dict.fromkeys([bundled, config.theme_dir / "static"]):
        if src.is_dir():
            shutil.copytree(src, dest, dirs_exist_ok=True)
    if config.logo:
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(config.logo, dest / logo_name(config.logo))


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


def swap_into_place(tmp: Path, output: Path) -> None:
    old = None
    if output.exists():
        old = Path(tempfile.mkdtemp(prefix=".output-old-", dir=output.parent))
        os.replace(output, old / "site")
    os.replace(tmp, output)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def build(root: Path, output: Path | None = None, today: dt.date | None = None,
          base_url: str | None = None, *, jobs: int | None = None,
          pdf: bool = True) -> BuildReport:
    """Build the site; `jobs` PDF workers (default: every core); `pdf=False`: pages only."""
    started = time.perf_counter()
    site = load_site(root, base_url)
    config = site.config
    output = (output or config.output_dir).resolve()
    check_output_dir(config, output)
    day = today or today_in(config)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".output-new-", dir=output.parent))
    try:
        rendered = render_site(site, day, tmp, jobs, pdf)
        tmp.chmod(0o755)
        swap_into_place(tmp, output)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    drafts = len(site.invoices) - len(site.published)
    return BuildReport(output, len(site.published), drafts, rendered,
                       time.perf_counter() - started, site.notices)
