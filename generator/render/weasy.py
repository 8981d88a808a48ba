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

Also deferred: fontTools' subsetter and variable-font instancer (~0.1 s of the import, a
quarter), which WeasyPrint imports up front but calls only for what HarfBuzz-subset does not
do (a variable or bitmap font, or no libharfbuzz-subset at all). During the import they are
stand-ins that import the real module on first use; the PDF bytes are the same either way.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

# Imported by WeasyPrint's PDF writer, used only in cases HarfBuzz-subset leaves to it.
DEFERRED = ("fontTools.subset", "fontTools.varLib.instancer")


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
            with contextlib.redirect_stdout(held), _deferred():
                import weasyprint
            sys.stdout.write(held.getvalue())
            return weasyprint
        except OSError:
            for name in [m for m in sys.modules if m == "weasyprint"
                         or m.startswith("weasyprint.")]:
                del sys.modules[name]
        finally:
            ctypes.util.find_library = original
    with _deferred():
        import weasyprint

    return weasyprint


class _Later(ModuleType):
    """A module imported on first use of any of its attributes."""

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):  # what the import system asks of a module
            raise AttributeError(attribute)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attribute)


def _instantiate_variable_font(*args: Any, **kwargs: Any) -> Any:
    from fontTools.varLib.instancer import instantiateVariableFont

    return instantiateVariableFont(*args, **kwargs)


@contextlib.contextmanager
def _deferred() -> Iterator[None]:
    """The DEFERRED modules as stand-ins while WeasyPrint is imported (those that are not
    imported yet); taken out of sys.modules after, so that any other import gets the real one.
    `from ... import instantiateVariableFont` takes the name at once: a function that imports
    and calls the real one."""
    stand_ins = {}
    for name in DEFERRED:
        if name not in sys.modules:
            stand_ins[name] = sys.modules[name] = _Later(name)
    if "fontTools.varLib.instancer" in stand_ins:
        stand_ins["fontTools.varLib.instancer"].instantiateVariableFont = \
            _instantiate_variable_font
    try:
        yield
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


def _not_found(name: str) -> None:
    return None


load()
