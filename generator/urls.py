"""Private, stable, unguessable invoice URLs.

An invoice lives at `<number>-<token>/`, where the token is an HMAC of the number under a
site secret kept out of git: the same on every machine that has the secret, and impossible
to guess from the number alone. An explicit `slug` overrides it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from pathlib import Path

from generator.errors import Problem, RemitError

SECRET_ENV = "REMIT_SECRET"
SECRET_FILE = ".remit-secret"
REQUIRE_ENV = "REMIT_REQUIRE_SECRET"
TOKEN_CHARS = 20  # 100 bits of base32


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "invoice"


def token(secret: str, number: str) -> str:
    digest = hmac.new(secret.encode(), f"invoice:{number}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:TOKEN_CHARS]


def invoice_path(secret: str, number: str, slug: str | None) -> str:
    """The invoice's folder, relative to the site root, ending with '/'."""
    return f"{slug or slugify(number) + '-' + token(secret, number)}/"


def load_secret(root: Path, create: bool = True) -> tuple[str, str | None]:
    """Return (secret, notice). The notice tells the owner when a new secret was made."""
    env = os.environ.get(SECRET_ENV, "").strip()
    if env:
        return env, None
    path = root / SECRET_FILE
    if path.is_file():
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value, None
    if not create:
        # Validation alone must not write; any secret checks uniqueness equally well.
        return secrets.token_urlsafe(32), None
    if os.environ.get(REQUIRE_ENV):
        raise RemitError([Problem(SECRET_FILE, None, None,
                                  f"no site secret: set the {SECRET_ENV} environment variable "
                                  f"(on GitHub, a repository secret) to the contents of your "
                                  f"local {SECRET_FILE}; without it every invoice URL would "
                                  "change")])
    value = secrets.token_urlsafe(32)
    path.write_text(value + "\n", encoding="utf-8")
    path.chmod(0o600)
    return value, (f"created {SECRET_FILE} (git-ignored): invoice URLs derive from it, so "
                   f"back it up and give it to CI as {SECRET_ENV}")
