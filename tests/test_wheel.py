"""Remit as a user installs it: a wheel built from this checkout, installed into a fresh
virtual environment, builds a site folder that holds only content/ and site.toml.

The fresh environment borrows the third-party libraries of the test's own (a .pth line), so
the test needs no network; Remit itself comes from the wheel alone.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import REPO, SECRET

SOURCES = ("pyproject.toml", "README.md", "generator", "themes")


def run(*args: object, **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True,
                            timeout=300, **kwargs)  # type: ignore[call-overload]
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def build_wheel(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    for name in SOURCES:
        item = REPO / name
        if item.is_dir():
            shutil.copytree(item, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            src.mkdir(exist_ok=True)
            shutil.copy(item, src / name)
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "--wheel-dir", dist, src)
    return next(dist.glob("remit-*.whl"))


def test_the_wheel_carries_every_module_and_the_bundled_theme(tmp_path):
    names = set(zipfile.ZipFile(build_wheel(tmp_path)).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "generator").rglob("*.py")}
    theme = {"generator/" + p.relative_to(REPO).as_posix()
             for p in (REPO / "themes").rglob("*") if p.is_file()}
    assert modules <= names, sorted(modules - names)  # a package missing from pyproject.toml
    assert theme <= names, sorted(theme - names)
    assert not [n for n in names if n.startswith(("tests/", "content/"))]


def test_a_plain_install_builds_a_site_that_has_no_themes_folder(tmp_path):
    wheel = build_wheel(tmp_path)
    venv = tmp_path / "fresh"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
        "--no-index", wheel)
    purelib = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
                   .stdout.strip())
    (purelib / "borrowed-libraries.pth").write_text(sysconfig.get_path("purelib") + "\n")

    site = tmp_path / "elsewhere" / "site"
    site.mkdir(parents=True)
    shutil.copy(REPO / "site.toml", site / "site.toml")
    shutil.copytree(REPO / "content", site / "content")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "REMIT_SECRET": SECRET}
    where = run(python, "-c", "import generator.theme as t; print(t.bundled_themes())",
                cwd=site, env=env).stdout.strip()
    assert Path(where).is_relative_to(purelib), where

    result = run(venv / "bin" / "remit", "build", "--today", "2026-11-23", cwd=site, env=env)
    assert "Built 10 invoice pages" in result.stdout
    out = site / "output"
    assert (out / "static" / "style.css").read_bytes() == \
        (REPO / "themes" / "default" / "static" / "style.css").read_bytes()
    pages = sorted(out.glob("*/index.html"))
    assert len(pages) == 10 and len(sorted(out.glob("*/*.pdf"))) == 11  # one receipt
    assert (out / "static" / "letter.css").is_file()  # the printed invoice's own stylesheet
    russian = [p for p in pages if 'lang="ru"' in p.read_text(encoding="utf-8")]
    soup = BeautifulSoup(russian[0].read_text(encoding="utf-8"), "html.parser")
    assert "Счёт" in soup.get_text()  # the bundled theme's catalogs came along too
    assert sorted(p.name for p in site.iterdir()) == [".remit-cache", "content", "output",
                                                      "site.toml"]
