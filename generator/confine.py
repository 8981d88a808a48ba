"""Files a build may read and publish from the owner's folders: regular files whose real path
stays inside their folder (content/, the theme's folder, output/ for the preview server).

A symbolic link that leaves its folder, points nowhere or loops is refused with a message
naming it; so is anything but a regular file, and a file over the size GitHub Pages accepts.
Every build checks every such file again, whatever the build cache holds: a link swapped to
/etc/passwd after a good build is caught the same way as in a clean build.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

# GitHub Pages (and a git push to it) refuses files over 100 MB; nothing larger is published.
MAX_PUBLISHED_BYTES = 100 * 1000 * 1000
MISSING = "does not exist"


def described(shown: str, problem: str) -> str:
    """`problem` (from confined_file) as a sentence about the file shown as `shown`."""
    return f"no such file {shown}" if problem == MISSING else f"{shown} {problem}"


def confined_file(path: Path, folder: Path, max_bytes: int | None = MAX_PUBLISHED_BYTES,
                  where: str | None = None) -> str | None:
    """None when `path` is a regular file whose real path is inside `folder`; else what is
    wrong with it, as the end of a sentence that starts with the file's name."""
    real = real_path(path, folder, where)
    if isinstance(real, str):
        return real
    try:
        st = real.stat()
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file"
    if max_bytes is not None and st.st_size > max_bytes:
        return (f"is {st.st_size / 1e6:.0f} MB; files over {max_bytes / 1e6:.0f} MB cannot be "
                "published (GitHub Pages refuses them)")
    return None


def real_path(path: Path, folder: Path, where: str | None = None) -> Path | str:
    """The real path of `path` if it exists inside `folder`; else what is wrong."""
    try:
        real = Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        return "is a symbolic link to a file that does not exist" if is_link(path) \
            else MISSING
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link that loops back on itself"
        return f"cannot be read ({exc.strerror})"
    if not real.is_relative_to(os.path.realpath(folder)):
        return (f"is a symbolic link to {real}, outside {where or folder.name + '/'}; copy the "
                "file in instead")
    return real


def is_link(path: Path) -> bool:
    try:
        return path.is_symlink()
    except OSError:
        return False


def walk(folder: Path, skip: Callable[[str], bool] = lambda name: False,
         where: str | None = None) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Every file under `folder` whose name `skip` does not reject (no link followed out of
    it, none followed into a folder), and (entry, problem) for each link that leaves it,
    loops or dangles. (os.scandir: whether an entry is a link comes with its name, where
    os.walk and Path.is_symlink would ask the disk once a file.)"""
    files: list[Path] = []
    problems: list[tuple[Path, str]] = []
    todo = [folder]
    while todo:
        here = todo.pop()
        try:
            with os.scandir(here) as found:
                entries = sorted((e for e in found if not skip(e.name)), key=lambda e: e.name)
        except OSError:  # as os.walk: a folder that cannot be listed has nothing to give
            continue
        for entry in entries:
            path = here / entry.name
            if entry.is_symlink():  # no folder descended into: a file is found where it lives
                real = real_path(path, folder, where)
                if isinstance(real, str):
                    problems.append((path, real))
                elif not _is_dir(entry):
                    files.append(path)
            elif _is_dir(entry):
                todo.append(path)
            else:
                files.append(path)
    return sorted(files), problems


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False
