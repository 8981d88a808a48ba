"""`remit deploy`: a fresh build committed as the whole gh-pages branch of a (bare) remote."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator.cli.main import main
from tests.conftest import INVOICE


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repo(site, tmp_path, monkeypatch):
    """The site as a committed git repository whose origin is a local bare repository."""
    for var in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{var}_NAME", "Anna Lindqvist")
        monkeypatch.setenv(f"GIT_{var}_EMAIL", "anna@studio.example")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))  # no user settings
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    site.invoice()
    site.invoice("draft.md", INVOICE.replace('number = "T-1"', 'number = "T-2"\ndraft = true'))
    site.write(".gitignore", "/output/\n/.remit-secret\n")
    git(site.root, "init", "-q", "-b", "main")
    git(site.root, "config", "user.name", "Anna Lindqvist")
    git(site.root, "config", "user.email", "anna@studio.example")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "Invoices")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(site.root, "remote", "add", "origin", str(remote))
    return site, remote


def published(remote: Path, branch: str = "gh-pages") -> set[str]:
    return set(git(remote, "ls-tree", "-r", "--name-only", branch).split())


def test_deploy_pushes_the_built_site_to_gh_pages(repo, capsys):
    site, remote = repo
    assert main(["deploy", str(site.root), "--today", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    head = git(site.root, "rev-parse", "--short", "HEAD").strip()
    assert f"Published 1 invoice page from commit {head} to branch gh-pages" in out
    files = published(remote)
    (page,) = [f for f in files if f.endswith("/index.html")]
    folder = page.split("/")[0]
    assert {".nojekyll", "index.html", "404.html", "robots.txt", "static/style.css",
            f"{folder}/t-1.ics"} <= files
    # Only the built site: no sources, and the draft's page never leaves the machine.
    assert not any(f.startswith("content/") or f == "site.toml" for f in files)
    assert len([f for f in files if f.endswith("/index.html")]) == 1
    assert git(remote, "show", f"gh-pages:{page}") == \
        (site.output / page).read_text(encoding="utf-8")
    assert git(remote, "log", "-1", "--format=%s", "gh-pages").startswith(
        f"Publish invoices from {head}")
    # main (the sources) was not pushed.
    assert git(remote, "branch", "--list", "main").strip() == ""


def test_deploy_again_adds_a_commit_on_top(repo):
    site, remote = repo
    assert main(["deploy", str(site.root)]) == 0
    site.invoice("t-3.md", INVOICE.replace('"T-1"', '"T-3"'))
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "T-3")
    assert main(["deploy", str(site.root)]) == 0
    assert git(remote, "rev-list", "--count", "gh-pages").strip() == "2"
    assert len([f for f in published(remote) if f.endswith("/index.html")]) == 2


def test_deploy_no_push_only_updates_the_local_branch(repo):
    site, remote = repo
    assert main(["deploy", str(site.root), "--no-push", "--branch", "site"]) == 0
    assert "index.html" in git(site.root, "ls-tree", "--name-only", "site")
    assert git(remote, "branch", "--list").strip() == ""


def test_deploy_outside_a_git_repository_is_a_clear_error(site, capsys, monkeypatch):
    # Even if the temporary folder happened to sit inside some repository, stop looking there.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(site.root.parent))
    site.invoice()
    assert main(["deploy", str(site.root)]) == 1
    err = capsys.readouterr().err
    assert "not inside a git repository" in err and "git init" in err
    assert not site.output.exists()


def test_deploy_with_uncommitted_sources_is_a_clear_error(repo, capsys):
    site, remote = repo
    site.invoice("new.md", INVOICE.replace('"T-1"', '"T-9"'))
    (site.root / "site.toml").write_text((site.root / "site.toml").read_text() + "\n")
    assert main(["deploy", str(site.root)]) == 1
    err = capsys.readouterr().err
    assert "uncommitted changes to publish: content/new.md, site.toml" in err
    assert "git add -A && git commit" in err
    assert git(remote, "branch", "--list").strip() == ""


def test_deploy_without_the_remote_is_a_clear_error(repo, capsys):
    site, _ = repo
    assert main(["deploy", str(site.root), "--remote", "github"]) == 1
    assert "no git remote named 'github'" in capsys.readouterr().err


def test_deploy_refuses_a_site_with_errors_and_publishes_nothing(repo, capsys):
    site, remote = repo
    site.invoice(text=INVOICE.replace("quantity = 2", "quantity = -2"))
    git(site.root, "commit", "-q", "-am", "broken")
    assert main(["deploy", str(site.root)]) == 1
    assert "items[0].quantity: must be greater than 0" in capsys.readouterr().err
    assert git(remote, "branch", "--list").strip() == ""
