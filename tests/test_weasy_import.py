"""render/weasy.py imports WeasyPrint without find_library's subprocesses, and loads exactly
the libraries the usual import does, from the same files (a different HarfBuzz, or none for
subsetting, would print different PDFs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import ctypes.util, json, sys
calls = []
original = ctypes.util.find_library
def counting(name):
    calls.append(name)
    return original(name)
ctypes.util.find_library = counting
if sys.argv[1] == "fast":
    from generator.render import weasy
    weasy.load()
else:
    import weasyprint
import weasyprint.text.ffi as ffi
import os
maps = open("/proc/self/maps").read().split("\\n") if os.path.exists("/proc/self/maps") else []
libs = sorted({line.split()[-1] for line in maps if ".so" in line and any(
    name in line for name in ("pango", "harfbuzz", "fontconfig", "gobject", "glib"))})
print(json.dumps({"calls": len(calls), "libs": libs,
                  "restored": ctypes.util.find_library is counting,
                  "optional": [ffi.harfbuzz_subset is None, ffi.harfbuzz_vector is None]}))
"""


def probe(kind: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, kind], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    assert out.stdout.count("\n") == 1, out.stdout  # WeasyPrint printed no install hint
    return json.loads(out.stdout)


def test_fast_import_loads_the_same_libraries_without_searching() -> None:
    stock, fast = probe("stock"), probe("fast")
    assert fast["optional"] == stock["optional"]
    assert fast["restored"]  # find_library is put back after the import
    if not sys.platform.startswith("linux"):  # render/weasy.py imports the usual way there
        assert fast["calls"] == stock["calls"]
        return
    assert stock["calls"] > 0  # the usual import does search (else this test proves nothing)
    assert fast["calls"] == 0
    # The same files mapped into the process (Linux's /proc/self/maps).
    assert fast["libs"] == stock["libs"] and any("pango" in lib for lib in fast["libs"])


def test_load_falls_back_to_the_usual_import() -> None:
    """Should the loader alone fail, the import is retried the usual way, and what the
    failed attempt left in sys.modules is not reused."""
    script = """
import sys, ctypes.util
import _cffi_backend
from generator.render import weasy
real = _cffi_backend.load_library
failed = []
def picky(name, flags=0):
    # As if no library could be opened by its soname: only find_library's paths work.
    if isinstance(name, str) and not name.startswith("/") and "find" not in failed:
        failed.append(name)
        raise OSError("cannot open " + name)
    return real(name, flags)
for mod in [m for m in sys.modules if m.startswith("weasyprint")]:
    del sys.modules[mod]
_cffi_backend.load_library = picky
def searching(name, original=ctypes.util.find_library):
    failed.append("find")
    return original(name)
ctypes.util.find_library = searching
wp = weasy.load()
print(wp.HTML(string="<p>x</p>").write_pdf()[:5], len(failed) > 1)
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "b'%PDF-' True"


SUBSET = """
import hashlib, json, os, sys
os.environ["SOURCE_DATE_EPOCH"] = "946684800"
if sys.argv[1] == "fast":
    from generator.render import weasy
    wp = weasy.load()
else:
    import weasyprint as wp
deferred = ("fontTools.subset", "fontTools.varLib.instancer")
before = [name in sys.modules for name in deferred]
from weasyprint.pdf import fonts
fonts.harfbuzz_subset = None  # as without libharfbuzz-subset0: fontTools subsets the fonts
pdf = wp.HTML(string="<p>Subset me: <b>bold</b> <i>ÄÖÜ ёж</i></p>").write_pdf()
try:
    fonts.instantiateVariableFont(None, {})
    error = None
except Exception as exc:
    error = type(exc).__module__ + "." + type(exc).__name__
from fontTools import subset
from fontTools.varLib import instancer
print(json.dumps({"before": before, "sha": hashlib.sha256(pdf).hexdigest(),
                  "subset": fonts.subset.Subsetter is subset.Subsetter,
                  "instancer": instancer.__file__ is not None, "error": error,
                  "real": [type(sys.modules[n]).__name__ for n in deferred]}))
"""


def test_font_subsetting_modules_are_imported_on_first_use() -> None:
    """render/weasy.py defers fontTools' subsetter and instancer (HarfBuzz subsets the
    fonts): they are not imported by load(), and when WeasyPrint does use them they are the
    real modules, printing the very bytes of the usual import."""
    runs = {}
    for kind in ("stock", "fast"):
        out = subprocess.run([sys.executable, "-c", SUBSET, kind], cwd=ROOT,
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        runs[kind] = json.loads(out.stdout.strip().splitlines()[-1])
    stock, fast = runs["stock"], runs["fast"]
    assert stock["before"] == [True, True]  # else this test proves nothing
    assert fast["before"] == [False, False]
    assert fast["sha"] == stock["sha"]
    assert fast["subset"] and fast["instancer"]
    assert fast["real"] == ["module", "module"]
    # The stand-in called the real instancer, which rejected the bogus font as usual.
    assert fast["error"] == stock["error"] and fast["error"] is not None
