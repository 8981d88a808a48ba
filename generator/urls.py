"""Where things are published: private, stable, unguessable invoice URLs and file names.

An invoice lives at `<number>-<token>/`, where the token is an HMAC of the number under a
site secret kept out of git: the same on every machine that has the secret, and impossible
to guess from the number alone. An explicit `slug` overrides it.

With privacy = "encrypted" the folder is a token alone (`<token>/`, no number), and the link
carries the invoice's key in its fragment (`#k=...`), which browsers never send to a server.
Folder and key are separate HMACs of the number, so one tells nothing about the other.
"""

from __future__ import annotations

import base64
import hmac
import re
import unicodedata
from pathlib import Path

TOKEN_CHARS = 20  # 100 bits of base32
_B32_BYTES = -(-TOKEN_CHARS * 5 // 40) * 5  # whole 5-byte groups holding those bits (15)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-") or "invoice"


def token(secret: str, number: str) -> str:
    return _b32_prefix(hmac.digest(secret.encode(), f"invoice:{number}".encode(), "sha256"))


def _b32_prefix(digest: bytes) -> str:
    """The first TOKEN_CHARS base32 characters of `digest`: base32 turns each 5 bytes into
    8 characters on their own, so only the bytes those characters come from are encoded
    (a build makes a token for each invoice, the no-op build included)."""
    return base64.b32encode(digest[:_B32_BYTES]).decode().lower()[:TOKEN_CHARS]


def invoice_path(secret: str, number: str, slug: str | None, sealed: bool = False) -> str:
    """The invoice's folder, relative to the site root, ending with '/'."""
    if sealed:
        return f"{token(secret, 'sealed-folder:' + number)}/"
    return f"{slug or slugify(number) + '-' + token(secret, number)}/"


def statement_path(secret: str, client_key: str) -> str:
    """A client's statement folder: a token only, so that the link names nobody."""
    digest = hmac.digest(secret.encode(), f"statement:{client_key}".encode(), "sha256")
    return f"statement-{_b32_prefix(digest)}/"
def link_key(secret: str, number: str) -> bytes:
    """The 32-byte key an encrypted invoice's link carries: stable for a secret and number."""
    return hmac.digest(secret.encode(), f"remit-link-key/v1:{number}".encode(), "sha256")


def fragment(key: bytes) -> str:
    """`#k=<base64url of the key>`, the part of a link that never reaches a server."""
    return "#k=" + base64.urlsafe_b64encode(key).decode().rstrip("=")


def pdf_name(number: str) -> str:
    """`<number>.pdf`; characters a file name cannot hold become '-'."""
    return re.sub(r"[/\\\s]", "-", number) + ".pdf"


def xrechnung_name(number: str) -> str:
    """`<number>-xrechnung.xml`, the standalone XRechnung beside the invoice's PDF."""
    return pdf_name(number)[:-4] + "-xrechnung.xml"


def receipt_name(number: str) -> str:
    """`<number>-receipt.pdf`, beside the invoice's PDF."""
    return pdf_name(number)[:-4] + "-receipt.pdf"


def logo_name(logo: Path) -> str:
    """Where the logo is published, under static/: one fixed name per format."""
    return "site-logo" + logo.suffix.lower()


def calendar_name(number: str) -> str:
    return f"{slugify(number)}.ics"
