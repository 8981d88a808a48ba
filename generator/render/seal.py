"""Encrypted invoice files (privacy = "encrypted"): what a public folder may safely hold.

Every file published for an invoice goes through `Sealer.seal` (name -> bytes in, name ->
bytes out), so any new kind of file is encrypted by passing it through the same function:
- a page (`*.html`) becomes a small shell under the same name: a neutral title, the site's
  name, "Opening your invoice..." in the client's language, the page sealed inside it, and
  a script that opens it with WebCrypto (themes/default/templates/shell.html);
- any other file becomes `<opaque>.bin` beside it; the opened page fetches it and hands it
  to the client as a download under its real name.

Keys: HKDF-SHA256 derives separate keys for encryption, nonces and file names from the key
the link carries (urls.link_key) and, when the invoice has a passphrase, the passphrase
stretched by PBKDF2-SHA256 (600,000 iterations). All of it is the `cryptography` package
(OpenSSL); nothing here is a cipher of our own.

Nonces are never random (builds are reproducible) and never reused for different plaintexts
under one key: each is an HMAC of the file's name and bytes under its own derived key (a
synthetic IV), so the same file seals to the same bytes and any change gives a new nonce.

A sealed file: version byte 1 | 12-byte nonce | AES-256-GCM ciphertext and 16-byte tag,
with "remit/v1" NUL <real name> as associated data, so no file passes for another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from generator.render import html

VERSION = 1
NONCE_BYTES = 12
OVERHEAD = 1 + NONCE_BYTES + 16  # version, nonce, GCM tag: a sealed file's extra bytes
HKDF_SALT = b"remit/v1"
AAD_PREFIX = b"remit/v1\0"
PBKDF2_ITERATIONS = 600_000  # OWASP's 2023 figure for PBKDF2-HMAC-SHA256
SEALED_SUFFIX = ".bin"


def _hkdf(ikm: bytes, info: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=HKDF_SALT,
                info=info).derive(ikm)


@dataclass(frozen=True)
class Lock:
    """What opens one invoice's files: the link's key, and an optional passphrase."""

    key: bytes  # 32 bytes; travels in the link's fragment
    passphrase: str | None = None

    @property
    def salt(self) -> bytes:
        """PBKDF2's salt, published in the shell: fixed per invoice, so builds repeat."""
        return _hkdf(self.key, b"passphrase salt", 16)

    @property
    def check(self) -> bytes:
        """Published beside a passphrase form: tells a wrong link from a wrong passphrase."""
        return _hkdf(self.key, b"link check", 16)

    def fingerprint(self) -> str:
        """For cache keys: changes with the key or the passphrase, reveals neither."""
        secret = (self.passphrase or "").encode()
        return hashlib.sha256(b"remit-lock/v1\0" + self.key + b"\0" + secret).hexdigest()

    def name(self, real: str) -> str:
        """The opaque name a file is published under (the browser derives the same)."""
        key = _hkdf(self.key, b"names")
        return hmac.new(key, real.encode(), hashlib.sha256).hexdigest()[:32] + SEALED_SUFFIX


@dataclass(frozen=True)
class _Keys:
    aes: bytes
    nonces: bytes


@cache
def _keys(lock: Lock) -> _Keys:
    ikm = lock.key
    if lock.passphrase is not None:
        # NFC: the same passphrase typed on any keyboard gives the same bytes (the browser
        # normalises too).
        secret = unicodedata.normalize("NFC", lock.passphrase).encode()
        ikm += PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=lock.salt,
                          iterations=PBKDF2_ITERATIONS).derive(secret)
    return _Keys(_hkdf(ikm, b"aes-256-gcm"), _hkdf(ikm, b"nonces"))


def seal_bytes(lock: Lock, name: str, data: bytes) -> bytes:
    """One file encrypted under the invoice's key; `name` is its real name."""
    keys = _keys(lock)
    aad = AAD_PREFIX + name.encode()
    mac = hmac.new(keys.nonces, len(aad).to_bytes(4, "big") + aad, hashlib.sha256)
    mac.update(data)
    nonce = mac.digest()[:NONCE_BYTES]
    return bytes([VERSION]) + nonce + AESGCM(keys.aes).encrypt(nonce, data, aad)


def open_bytes(lock: Lock, name: str, sealed: bytes) -> bytes:
    """The inverse of seal_bytes (for tests and tools); raises InvalidTag on a wrong key."""
    if not sealed or sealed[0] != VERSION:
        raise ValueError("not a sealed Remit file")
    nonce = sealed[1:1 + NONCE_BYTES]
    return AESGCM(_keys(lock).aes).decrypt(nonce, sealed[1 + NONCE_BYTES:],
                                           AAD_PREFIX + name.encode())


@dataclass(frozen=True)
class Shell:
    """What a page's shell is rendered with: the theme, the client's language, the site."""

    template_dirs: tuple[Path, ...]
    theme_dir: Path
    language: str
    site_view: dict[str, object]  # view/site.py, with `root` for the page's depth


@dataclass(frozen=True)
class Sealer:
    lock: Lock
    shell: Shell

    def name(self, real: str) -> str:
        return real if is_page(real) else self.lock.name(real)

    def seal(self, files: Mapping[str, bytes]) -> dict[str, bytes]:
        """Every file of one invoice's folder (real name -> bytes), as published."""
        return {self.name(n): self.shell_page(n, d) if is_page(n) else
                seal_bytes(self.lock, n, d) for n, d in files.items()}

    def shell_page(self, name: str, page: bytes) -> bytes:
        lock, shell = self.lock, self.shell
        sealed = base64.b64encode(seal_bytes(lock, name, page)).decode()
        gate = None
        if lock.passphrase is not None:
            gate = {"salt": base64.b64encode(lock.salt).decode(),
                    "check": base64.b64encode(lock.check).decode(),
                    "iterations": PBKDF2_ITERATIONS}
        return html.render(shell.template_dirs, shell.theme_dir, "shell.html", shell.language,
                           {**shell.site_view, "sealed": {"name": name, "data": sealed,
                                                          "gate": gate}}).encode()


def is_page(name: str) -> bool:
    return name.endswith(".html")


def plain_size(sealed_size: int) -> int:
    """The size of a file before sealing (what a page states beside its download link)."""
    return sealed_size - OVERHEAD
