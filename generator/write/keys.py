"""Cache keys: re-render only what changed.

Each invoice has two cache entries: its page and its PDF (with, once it is paid, its receipt:
made from the same invoice, so the same key). Both keys hash everything the files can
depend on:
  - the invoice: the memo's digest of its file's bytes and the settings it was read with
    (read/memo.py), or else its stable_repr; and its URL path (which carries the secret's token);
  - the site settings (the parsed Settings, base_url included, and site.toml's bytes) and
    the logo's bytes;
  - every file of the site's theme and of the bundled default theme (templates, catalogs,
    CSS, fonts);
  - the generator's own source files and the versions of Jinja2, Babel, Markdown (and for
    PDFs WeasyPrint and pydyf);
  - the build day: every page says "in N days" and figures depend on which payments are due;
  - for the page, whether it links a PDF (whose size it shows, a function of the PDF key);
  - on an encrypted site, the fingerprint of the invoice's lock (its key and passphrase):
    entries hold files as published, sealed under that key (render/seal.py).
Anything not in the key cannot change the output; when in doubt, add it to the key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.digest import code_digest, digest, files_digest, stable_repr
from generator.model.invoice import Invoice
from generator.model.settings import Settings
from generator.read.settings import SITE_FILE
from generator.render import pdf as pdf_render
from generator.theme import theme_chain


@dataclass(frozen=True)
class Keys:
    common: str  # site, theme, code, day
    theme: str
    assets: str  # theme and logo: whatever a PDF embeds besides its page

    @classmethod
    def for_build(cls, settings: Settings, today: dt.date) -> Keys:
        theme = files_digest(theme_chain(settings.theme_dir))
        logo = settings.logo.read_bytes() if settings.logo else b""
        # site.toml's bytes too: a setting another module reads directly is still an input.
        site_toml = (settings.root / SITE_FILE).read_bytes()
        common = digest(code_digest(), stable_repr(settings), site_toml, theme, logo,
                        today.isoformat())
        return cls(common, theme, digest(theme, logo))

    def page(self, data: str, path: str, with_pdf: bool, lock: str = "") -> str:
        """`data` identifies the invoice: the memo's digest of its file and settings, or its
        stable_repr (every field exactly, Decimals as written); `lock` the seal's
        fingerprint ("" when the site is not encrypted)."""
        return digest(self.common, "page", data, path, str(with_pdf), lock)

    def pdf(self, data: str, path: str, lock: str = "") -> str:
        return digest(self.common, "pdf", pdf_render.version(), data, path, lock)


def external_inputs(inv: Invoice, settings: Settings) -> list[bytes]:
    """Bytes of files outside the invoice's own file that its page or PDF copies or embeds
    (e.g. a video from content/ placed beside the page): they are inputs of its cache keys.
    A feature that reads such a file must list it here."""
    video = inv.countdown.video_file(settings.content_dir)
    return [video.read_bytes()] if video is not None and video.is_file() else []
