"""System tools some tests need (Chromium, poppler's pdftoppm): found on PATH, else the test
is skipped with a reason that names the Debian package, so `make test` passes on a fresh
machine without root and its summary says what did not run and why. With
REMIT_REQUIRE_SYSTEM_TOOLS=1 (which .ci/run sets) a missing tool fails the test instead:
CI never skips."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REQUIRE_ENV = "REMIT_REQUIRE_SYSTEM_TOOLS"
# Where `npm ci` puts the test tools of tests/js/package.json; a test may point it elsewhere.
NODE_MODULES_ENV = "REMIT_NODE_MODULES"
NODE_MODULES = Path(__file__).resolve().parent / "js" / "node_modules"

# tool -> (other names it goes by, Debian package)
TOOLS = {
    "chromium": (("chromium-browser",), "chromium"),
    "pdftoppm": ((), "poppler-utils"),
    "pdfinfo": ((), "poppler-utils"),
}


def required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0")


def system_tool(name: str) -> str:
    """The tool's path; skips (or, under REMIT_REQUIRE_SYSTEM_TOOLS=1, fails) the calling
    test when it is not installed."""
    others, package = TOOLS[name]
    for candidate in (name, *others):
        path = shutil.which(candidate)
        if path:
            return path
    # A skip inside a test body is reported where pytest.skip is called: name the test.
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0]
    reason = (f"{test + ': ' if test else ''}needs the system tool `{name}` (Debian package "
              f"{package}: sudo apt-get install {package}; see README, Running the tests)")
    _missing(reason)
    raise AssertionError("unreachable")


def node_module(package: str, file: str) -> Path:
    """A file of an npm package from tests/js/package.json (installed by `make test` and
    .ci/run with `npm ci`); skips (or, under REMIT_REQUIRE_SYSTEM_TOOLS=1, fails) the calling
    test when it is not installed."""
    root = Path(os.environ.get(NODE_MODULES_ENV) or NODE_MODULES)
    path = root / package / file
    if path.is_file():
        return path
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0]
    how = ("`make test` installs it with `npm ci` in tests/js" if shutil.which("npm") else
           "install npm, Debian package npm: sudo apt-get install npm; then `make test` "
           "installs it with `npm ci` in tests/js")
    _missing(f"{test + ': ' if test else ''}needs the npm package `{package}` in {root} "
             f"({how}; see README, Running the tests)")
    raise AssertionError("unreachable")


def _missing(reason: str) -> None:
    if required():
        pytest.fail(f"{reason}, which is missing, and {REQUIRE_ENV}=1 requires it",
                    pytrace=False)
    pytest.skip(reason)
