"""A machine without Chromium, poppler or npm's axe-core: `make test` passes, and its summary
names each skipped test and the package it needs; under REMIT_REQUIRE_SYSTEM_TOOLS=1 (CI) it
fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.systools import NODE_MODULES_ENV, REQUIRE_ENV

REPO = Path(__file__).resolve().parent.parent
NEEDING_TOOLS = [
    "tests/test_countdown_browser.py::test_video_loads_nothing_from_youtube_until_clicked",
    "tests/test_pdf.py::test_payment_qr_code_decodes_from_page_one_of_the_printed_pdf",
    "tests/test_axe.py::test_axe_reports_what_it_finds",
]


def run_without_tools(tmp_path: Path, require: bool) -> subprocess.CompletedProcess[str]:
    empty = tmp_path / "bin"  # a PATH on which neither chromium nor pdftoppm is found
    empty.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != REQUIRE_ENV}
    env["PATH"] = str(empty)
    env[NODE_MODULES_ENV] = str(empty)  # nor axe-core
    if require:
        env[REQUIRE_ENV] = "1"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                           *NEEDING_TOOLS], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)


def test_missing_tools_skip_with_a_reason_in_the_summary(tmp_path):
    run = run_without_tools(tmp_path, require=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 skipped" in run.stdout
    skipped = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED")]
    assert any("`chromium` (Debian package chromium" in line for line in skipped), skipped
    assert any("test_payment_qr_code_decodes_from_page_one_of_the_printed_pdf: needs the "
               "system tool `pdftoppm` (Debian package poppler-utils" in line
               for line in skipped), skipped
    assert any("test_axe_reports_what_it_finds: needs the npm package `axe-core`" in line
               and "Debian package npm" in line for line in skipped), skipped


def test_missing_tools_fail_when_required(tmp_path):
    run = run_without_tools(tmp_path, require=True)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "skipped" not in run.stdout
    assert f"{REQUIRE_ENV}=1 requires it" in run.stdout
    assert "1 failed, 2 errors" in run.stdout


def test_ci_requires_the_tools():
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert f"export {REQUIRE_ENV}=1" in script
    assert script.index(f"export {REQUIRE_ENV}=1") < script.index("make test")
