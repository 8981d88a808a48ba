"""WeasyPrint, imported without half a second of library searching (its import is the
largest part of a fresh build that prints one PDF).

WeasyPrint opens Pango, HarfBuzz and fontconfig through cffi, trying several names per
library; cffi hands every name that the loader cannot open as given to
ctypes.util.find_library, which on Linux runs `ldconfig -p` and then gcc for each: 22
lookups, ~0.4 s of the ~0.8 s import (measured on Debian 12 with WeasyPrint 70). Every
list of names also holds the Linux soname (libpango-1.0.so.0 ...), which the dynamic loader
opens directly, searching exactly where it would for any program (LD_LIBRARY_PATH, the
ldconfig cache, the system folders). So on Linux the import runs with find_library
answering "not found" and the loader deciding; should that fail (a library only gcc knows
where to find), the import is retried the usual way.

Import WeasyPrint through `load()` (or this module): once it is in sys.modules, every
other `import weasyprint` is free.
"""

from __future__ import annotations

import contextlib
import io
import sys
from types import ModuleType


def load() -> ModuleType:
    loaded = sys.modules.get("weasyprint")
    if loaded is not None:
        return loaded
    if sys.platform.startswith("linux"):
        import ctypes.util

        original = ctypes.util.find_library
        ctypes.util.find_library = _not_found
        # WeasyPrint prints an installation hint to stdout before it raises; the usual
        # import below prints it again, should the libraries be missing indeed. Whatever
        # else is printed meanwhile (another thread) is passed on after a success.
        held = io.StringIO()
        try:
            with contextlib.redirect_stdout(held):
                import weasyprint
            sys.stdout.write(held.getvalue())
            return weasyprint
        except OSError:
            for name in [m for m in sys.modules if m == "weasyprint"
                         or m.startswith("weasyprint.")]:
                del sys.modules[name]
        finally:
            ctypes.util.find_library = original
    import weasyprint

    return weasyprint


def _not_found(name: str) -> None:
    return None


load()
