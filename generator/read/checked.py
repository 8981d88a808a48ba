"""The IBAN, BIC and currency checks' results kept between builds (payments/validate.py says
why that is sound): a no-op build then never imports schwifty (~50 ms) nor loads Babel's
list of currencies (~7 ms).

The file is keyed by the generator's code and the versions of schwifty and Babel: another
version of any, and every value is checked afresh. It holds only the values this build
checked, so it never grows; it is written only when it changes.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.digest import CACHE_FORMAT, code_digest, digest, version
from generator.payments import validate
from generator.read.memo import replacing

CHECKED_FILE = "checked.json"


def _stamp() -> str:
    return digest(code_digest(), version("schwifty"), version("babel"))


class CheckMemo:
    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / CACHE_FORMAT / CHECKED_FILE
        self.recalled: dict[str, str] = {}

    def recall(self) -> None:
        """Put the remembered results where validate's checks look first."""
        try:
            data = json.loads(self.path.read_bytes())
            if data["stamp"] == _stamp() and isinstance(data["checked"], dict):
                self.recalled = {k: v for k, v in data["checked"].items()
                                 if isinstance(k, str) and isinstance(v, str)}
        except (OSError, ValueError, KeyError, TypeError):
            self.recalled = {}
        validate.REMEMBERED.clear()
        validate.REMEMBERED.update(self.recalled)
        validate.USED.clear()
        validate.LEARNED.clear()

    def save(self) -> None:
        """Keep what this build checked (call after a successful load)."""
        used = {**{k: validate.REMEMBERED[k] for k in validate.USED}, **validate.LEARNED}
        if used == self.recalled:
            return
        with replacing(self.path, ".checked-") as fh:
            fh.write(json.dumps({"stamp": _stamp(), "checked": used}, sort_keys=True).encode())
        self.recalled = used
