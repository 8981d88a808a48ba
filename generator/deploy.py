"""`remit deploy`: publish a fresh build to a gh-pages branch with ghp-import.

For owners who keep their invoice sources private (a local or private repository) and push
only the built site. Checks come first and name what to do: the site must be in a git
repository, its sources committed (so every publication matches a commit), the remote must
exist. The build is always a fresh, complete one: an invalid invoice stops everything before
anything is published, and drafts never reach output/, so they cannot be published.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.build import BuildReport, build
from generator.errors import Problem, RemitError
from generator.read.settings import SITE_FILE
from generator.theme import SITE_THEMES

# The inputs of a build; anything else in the repository (output/, notes) may be dirty.
SOURCES = (SITE_FILE, "content", SITE_THEMES)


@dataclass(frozen=True)
class DeployReport:
    build: BuildReport
    branch: str
    remote: str | None  # None when not pushed
    commit: str  # the source commit the publication was built from


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              check=False)
    except FileNotFoundError:
        raise RemitError([Problem("deploy", None, None, "git is not installed: remit deploy "
                                  "needs git to publish the gh-pages branch")]) from None


def fail(root: Path, message: str) -> RemitError:
    return RemitError([Problem(str(root), None, None, message)])


def check_repository(root: Path, remote: str | None) -> tuple[Path, str]:
    """Return (repository top folder, short commit) or raise with what the owner should do."""
    top = git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise fail(root, "not inside a git repository: remit deploy publishes to a gh-pages "
                         "branch of the site's repository (run `git init`, commit your "
                         "sources, and add your GitHub repository as a remote)")
    head = git(root, "rev-parse", "--short", "HEAD")
    if head.returncode != 0:
        raise fail(root, "the repository has no commit yet: commit your sources first "
                         "(git add -A && git commit -m 'Invoices')")
    status = git(root, "status", "--porcelain", "--untracked-files=all", "--",
                 *[s for s in SOURCES if (root / s).exists()])
    changed = sorted({line[3:] for line in status.stdout.splitlines() if line.strip()})
    if changed:
        shown = ", ".join(changed[:8]) + (f" and {len(changed) - 8} more" if len(changed) > 8
                                          else "")
        raise fail(root, f"uncommitted changes to publish: {shown}. Commit them first "
                         "(git add -A && git commit) so that the published site matches a "
                         "commit")
    if remote is not None and git(root, "remote", "get-url", remote).returncode != 0:
        raise fail(root, f"no git remote named '{remote}': add your GitHub repository with "
                         f"`git remote add {remote} URL`, choose another with --remote, or "
                         "pass --no-push to only update the local gh-pages branch")
    return Path(top.stdout.strip()), head.stdout.strip()


def deploy(root: Path, remote: str | None = "origin", branch: str = "gh-pages",
           today: dt.date | None = None, base_url: str | None = None) -> DeployReport:
    """Build `root` afresh, commit output/ as the whole of `branch`, push unless remote is None."""
    root = root.resolve()
    top, commit = check_repository(root, remote)
    report = build(root, None, today, base_url, keep_workers=False)
    message = f"Publish invoices from {commit} (remit {__version__})"
    if remote is not None:
        # ghp-import builds on <remote>/<branch>: bring it up to date so the push is a
        # fast-forward. A remote without the branch yet is fine.
        git(top, "fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
    args = [sys.executable, "-m", "ghp_import", "--no-jekyll", "--message", message,
            "--branch", branch, "--remote", remote or "origin"]
    if remote is not None:
        args.append("--push")
    run = subprocess.run([*args, str(report.output)], cwd=top, capture_output=True, text=True,
                         check=False)
    published = git(top, "log", "-1", "--format=%s", branch)
    if run.returncode != 0:
        detail = (run.stderr or run.stdout).strip().splitlines()
        raise fail(root, f"could not publish to the {branch} branch"
                         + (f": {detail[-1]}" if detail else ""))
    if published.stdout.strip() != message:
        # ghp-import reports a failed commit on stdout and still exits 0.
        raise fail(root, f"git could not commit to the {branch} branch: set your identity "
                         "with git config user.name and git config user.email")
    return DeployReport(report, branch, remote, commit)
