"""System tools some tests need (Chromium, poppler's pdftoppm): found on PATH, else the test
is skipped with a reason that names the Debian package, so `make test` passes on a fresh
machine without root and its summary says what did not run and why. With
REMIT_REQUIRE_SYSTEM_TOOLS=1 (which .ci/run sets) a missing tool fails the test instead:
CI never skips."""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE_ENV = "REMIT_REQUIRE_SYSTEM_TOOLS"

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
    if required():
        pytest.fail(f"{reason}, which is missing, and {REQUIRE_ENV}=1 requires it",
                    pytrace=False)
    pytest.skip(reason)
    raise AssertionError("unreachable")
