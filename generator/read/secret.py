"""The site secret that invoice URLs derive from (urls.py): from the environment, or from a
git-ignored file made on first use."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from generator.errors import Problem, RemitError

SECRET_ENV = "REMIT_SECRET"
SECRET_FILE = ".remit-secret"
REQUIRE_ENV = "REMIT_REQUIRE_SECRET"


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
    if path.is_symlink() or path.is_file():  # empty, or a link: replaced, never written through
        path.unlink()
    # Created 0600 from the start (O_EXCL: never through an existing file or link): written
    # and then chmod'ed, it would be readable by everyone for a moment under umask 022.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o600)
    except FileExistsError:
        raise RemitError([Problem(SECRET_FILE, None, None,
                                  "exists but is empty, unreadable or not a regular file: put "
                                  "the site's secret in it, or remove it to make a new one")]
                         ) from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value + "\n")
    return value, (f"created {SECRET_FILE} (git-ignored): invoice URLs derive from it, so "
                   f"back it up and give it to CI as {SECRET_ENV}")
