"""site.toml's PDF settings: paper size and an optional logo file inside the site folder."""

from __future__ import annotations

import re
from pathlib import Path

from generator.fields import Reader

PDF_SETTINGS = ("paper", "logo")
PAPERS = ("A4", "Letter")
# What WeasyPrint and every browser can show; other formats would silently vanish from PDFs.
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


def read_pdf_settings(r: Reader, root: Path) -> tuple[str, Path | None]:
    paper = r.choice("paper", PAPERS, default="A4")
    rel = r.str("logo")
    logo = None
    if rel is not None:
        path = (root / rel).resolve()
        if not path.is_relative_to(root):
            r.error("logo", f"{rel!r} is outside the site folder; put the image inside it, "
                            "e.g. logo = \"images/logo.png\"")
        elif path.suffix.lower() not in LOGO_SUFFIXES:
            r.error("logo", f"{rel!r} is not an image Remit can embed; expected one of: "
                            f"{', '.join(LOGO_SUFFIXES)}")
        elif not path.is_file():
            r.error("logo", f"{rel!r} not found in the site folder")
        else:
            try:
                with path.open("rb") as fh:
                    fh.read(1)
                logo = path
            except OSError as exc:
                r.error("logo", f"{rel!r} cannot be read ({exc.strerror})")
    return paper, logo


def logo_name(logo: Path) -> str:
    """Where the logo is published, under static/: one fixed name per format."""
    return "site-logo" + logo.suffix.lower()


def pdf_name(number: str) -> str:
    """`<number>.pdf`; characters a file name cannot hold become '-'."""
    return re.sub(r"[/\\\s]", "-", number) + ".pdf"
