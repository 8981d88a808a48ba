"""Screenshots of every example page for review (`make screenshots`).

Builds the shipped examples (site.toml and content/) once per language into a scratch folder,
every invoice, each client's statement page, the home page and the 404 page in that language,
and writes full-page PNGs at a small phone (375×667), a large phone (390×844) and a laptop
(1280×800), in light and dark mode, as

    screenshots/<language>/<page>-<width>x<height>-<light|dark>.png

where <page> is the invoice number (2026-001), statement-N, "index" or "404". Nothing
is written into the site or into output/; the folder is replaced on every run. Chromium is
Debian's (/usr/bin/chromium), driven through Playwright, as in the browser tests.

    python tools/screenshots.py [--out screenshots] [--languages en,ru,af] [--today 2026-11-23]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the project's packages come from its root
    sys.path.insert(0, str(ROOT))

LANGUAGES = ("en", "ru", "af")
SIZES = ((375, 667), (390, 844), (1280, 800))
SCHEMES = ("light", "dark")
# The day the examples are shown for: every status (due soon, overdue, paid) appears.
TODAY = dt.date(2026, 11, 23)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

_LANGUAGE_LINE = re.compile(r'^(language\s*=\s*)"[^"]*"', re.MULTILINE)


@dataclass(frozen=True)
class Built:
    """A built site, served to the browser at its own base path on a made-up origin, as
    GitHub Pages would: the 404 page's absolute links (/invoices/static/...) resolve too."""

    output: Path
    base: str  # the origin and the base URL's path, ending in "/"
    today: dt.date  # the day it was built for: the browser's clock is held at its noon (UTC)

    def pages(self) -> dict[str, str]:
        """Every HTML page's URL by a readable name: the invoice number (or its slug), the
        folder's name without its private token; statement-1, -2, ... (one per client, in
        the folders' order); "index" and "404"."""
        found = {}
        statements = 0
        for page in sorted(self.output.glob("*/index.html")):
            name = page.parent.name.rsplit("-", 1)[0]
            if name == "statement":  # one per client, named by no one: numbered
                statements += 1
                name = f"statement-{statements}"
            found[name] = self.base + page.parent.name + "/"
        found["index"] = self.base
        found["404"] = self.base + "404.html"
        return found

    def serve(self, context, blocked: list[str] | None = None) -> None:
        """Answer the context's requests from output/ (a missing file with 404.html and
        status 404, as Pages does); any other request is refused, and noted in `blocked`."""

        def handle(route) -> None:
            url = route.request.url
            if not url.startswith(self.base):
                if blocked is not None:
                    blocked.append(url)
                route.abort()
                return
            rel = unquote(urlsplit(url).path[len(urlsplit(self.base).path):])
            target = (self.output / rel).resolve()
            if target.is_dir():
                target = target / "index.html"
            if target.is_relative_to(self.output.resolve()) and target.is_file():
                route.fulfill(path=target)
            else:
                route.fulfill(path=self.output / "404.html", status=404)

        context.route("**/*", handle)

    def new_page(self, context, blocked: list[str] | None = None):
        """A page of `context` that loads this site only, its clock held on the build's day:
        the pages' script would otherwise move them on to the real today's state."""
        self.serve(context, blocked)
        page = context.new_page()
        page.clock.set_fixed_time(dt.datetime.combine(self.today, dt.time(12),
                                                      tzinfo=dt.UTC))
        return page


def examples_in(language: str, dest: Path, source: Path = ROOT, today: dt.date = TODAY,
                ) -> Built:
    """Build a copy of `source`'s examples with every page in `language` (the site's
    language and each invoice's or client's own), with statement pages."""
    from generator.build import build
    from generator.read.settings import load_settings

    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "site.toml", dest / "site.toml")
    shutil.copytree(source / "content", dest / "content", dirs_exist_ok=True)
    # Every client's statement page too (statements are off unless the owner asks).
    site = dest / "site.toml"
    text = site.read_text(encoding="utf-8")
    if not re.search(r"^statements\s*=", text, re.MULTILINE):
        site.write_text("statements = true\n" + text, encoding="utf-8")
    for path in [site, *sorted((dest / "content").rglob("*"))]:
        if path.suffix in (".toml", ".md") and path.is_file():
            text = path.read_text(encoding="utf-8")
            changed = _LANGUAGE_LINE.sub(rf'\1"{language}"', text)
            if changed != text:
                path.write_text(changed, encoding="utf-8")
    # Private URLs derive from a secret; screenshots need none of the owner's (an
    # environment's REMIT_SECRET still wins: no matter here).
    (dest / ".remit-secret").write_text("screenshots-only\n", encoding="utf-8")
    output = build(dest, today=today, pdf=False).output
    path = urlsplit(load_settings(dest).base_url).path.rstrip("/") + "/"
    return Built(output, "https://remit.invalid" + path, today)


def shoot(browser, built: Built, pages: dict[str, str], folder: Path,
          sizes: Iterable[tuple[int, int]] = SIZES, schemes: Iterable[str] = SCHEMES,
          ) -> list[Path]:
    """Full-page PNGs of each page at each size and colour scheme into `folder`; one browser
    context per size, the scheme switched on the loaded page (no second load)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for width, height in sizes:
        ctx = browser.new_context(viewport={"width": width, "height": height})
        page = built.new_page(ctx)
        try:
            for name, url in pages.items():
                page.goto(url)
                for scheme in schemes:
                    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
                    target = folder / f"{name}-{width}x{height}-{scheme}.png"
                    page.screenshot(path=str(target), full_page=True)
                    written.append(target)
        finally:
            ctx.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots",
                        help="folder to write into (replaced); default: screenshots/")
    parser.add_argument("--languages", default=",".join(LANGUAGES),
                        help="comma-separated; default: " + ",".join(LANGUAGES))
    parser.add_argument("--today", type=dt.date.fromisoformat, default=TODAY,
                        help=f"the day the pages are built for; default: {TODAY}")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if out == (ROOT / "output").resolve() or (ROOT / "output").resolve() in out.parents:
        print("screenshots are for review, not for publishing: choose a folder outside "
              "output/", file=sys.stderr)
        return 1
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("screenshots need Chromium: sudo apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    languages = [lang.strip() for lang in args.languages.split(",") if lang.strip()]
    shutil.rmtree(out, ignore_errors=True)
    total = 0
    with tempfile.TemporaryDirectory(prefix="remit-screenshots-") as scratch, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for lang in languages:
                built = examples_in(lang, Path(scratch) / lang, today=args.today)
                total += len(shoot(browser, built, built.pages(), out / lang))
        finally:
            browser.close()
    print(f"Wrote {total} screenshots into {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
