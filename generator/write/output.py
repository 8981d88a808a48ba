"""Write the built site: a fresh tree swapped into place, or, when output/ is provably the
previous build's, only the files that differ.

The desired site is a map of relative path -> content, where content is bytes or a file of
the build cache (placed as a hard link). After every build the cache records each output
file's origin and its (size, mtime, ctime, inode), and the same stats of every folder that
holds them. The next build trusts output/ only if every one of those files and folders
still has exactly those stats: ctime changes on any write, and a folder's on any entry
added, removed or renamed in it (a new folder changes its parent's), so an edited, added or
removed file anywhere makes the build write a complete fresh tree instead. (One stat a
file and folder: listing every folder as well cost a no-op build twice that.)
When trusted, every changed file is replaced atomically (temporary name, then rename) after
all rendering is done, and files no longer wanted are removed: the result is byte for byte
the fresh tree, without copying 1000 unchanged files to get there.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from generator.digest import CACHE_FORMAT, digest
from generator.errors import Problem, RemitError
from generator.interrupt import signals_deferred
from generator.model.settings import Settings
from generator.read.memo import replacing
from generator.theme import SITE_THEMES
from generator.write.cache import CacheFile, place

Content = bytes | CacheFile  # bytes, or a build-cache file to hard-link
Stat = list[int]


def origin(content: Content) -> str:
    if isinstance(content, str):  # a CacheFile
        return "cache:" + content
    return "sha256:" + hashlib.sha256(content).hexdigest()


def file_stat(path: str) -> Stat:
    st = os.lstat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def folder_stats(output: Path, files: Iterable[str]) -> dict[str, Stat]:
    """Every folder holding `files` (relative paths with '/'), output/ itself as "", with its
    stat as `file_stat` has it."""
    folders = {""}
    for rel in files:
        folder = rel.rpartition("/")[0]
        while folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return {folder: file_stat(folder_path(output, folder)) for folder in sorted(folders)}


def folder_path(output: Path, rel: str) -> str:
    """A folder of output/ by its relative path ("" is output/ itself)."""
    return f"{output}{os.sep}{rel}" if rel else str(output)


class OutputState:
    """What the last build left in one output folder, kept in the build cache."""

    def __init__(self, cache_dir: Path, output: Path) -> None:
        self.path = cache_dir / CACHE_FORMAT / f"output-{digest(str(output))[:20]}.json"
        self.output = output
        self.files: dict[str, list] = {}  # rel -> [origin, *stat]
        self.folders: dict[str, Stat] = {}  # rel ("" for output/ itself) -> stat
        self._trusted: bool | None = None
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError, KeyError):
            data = json.loads(self.path.read_bytes())
            if data.get("output") == str(output) and isinstance(data["files"], dict):
                self.folders = dict(data["folders"])
                self.files = data["files"]  # (lists from JSON: as file_stat's, compared whole)

    def trusted(self) -> bool:
        """Is output/ exactly what the last build wrote? (Scanned once, before writing.)"""
        if self._trusted is None:
            self._trusted = self._check()
        return self._trusted

    def _check(self) -> bool:
        if not self.files or "" not in self.folders:
            return False
        top = f"{self.output}{os.sep}"
        try:
            return all(file_stat(folder_path(self.output, rel)) == st
                       for rel, st in self.folders.items()) and \
                all(file_stat(top + rel) == entry[1:] for rel, entry in self.files.items())
        except OSError:
            return False

    def trusted_cache_files(self) -> dict[str, dict[str, int]]:
        """Cache files whose bytes are verified by the output's stats, by cache entry:
        Entry.base ("<cache>/<kind>/<shard>/<key>.") -> {file name: size}. Every file of an
        entry is placed in output/, so an entry listed here is listed whole."""
        found: dict[str, dict[str, int]] = {}
        sep = os.sep
        for entry in self.files.values():
            source = entry[0]
            if source.startswith("cache:"):
                cut = source.index(".", source.rindex(sep)) + 1  # a key holds no "."
                found.setdefault(source[6:cut], {})[source[cut:]] = entry[1]
        return found

    def save(self, files: dict[str, list], folders: dict[str, Stat]) -> None:
        # dumps, not dump: json.dump encodes in Python, chunk by chunk (0.5 s for 20,000 files)
        data = json.dumps({"output": str(self.output), "files": files,
                           "folders": folders}).encode()
        with replacing(self.path, ".state-") as fh:
            fh.write(data)


def put(dest: str, content: Content) -> None:
    """A new file `dest` (there must be none yet) with `content`."""
    if isinstance(content, str):  # a CacheFile
        place(content, dest)
    else:
        with open(dest, "xb") as fh:
            fh.write(content)


def write_tree(root: Path, files: dict[str, Content], made: set[str] | None = None) -> None:
    """Every file into the new tree `root`: one mkdir a folder, one link (or write) a file.
    `made`: the folders already made there (updated)."""
    made = {""} if made is None else made
    top = f"{root}{os.sep}"
    for rel, content in files.items():
        folder = rel.rpartition("/")[0]
        if folder not in made:
            try:
                os.mkdir(top + folder)
            except FileExistsError:
                pass
            except FileNotFoundError:  # a folder in a new folder (static/css)
                os.makedirs(top + folder, exist_ok=True)
            made.add(folder)
        put(top + rel, content)


class StagedTree:
    """The new output tree of a build that writes a fresh one (a first build, or output/
    changed by hand), filled while the build runs: each invoice's files are linked in as
    soon as they are rendered, while the workers render the next ones. write_output adds
    the rest and swaps it into place; a failed build removes it (a killed one leaves it
    for the next build to remove, as any temporary tree)."""

    def __init__(self, output: Path) -> None:
        remove_stale_trees(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f".output-new-{os.getpid()}-",
                                          dir=output.parent))
        self.placed: dict[str, Content] = {}
        self.made = {""}

    def add(self, files: dict[str, Content]) -> None:
        write_tree(self.root, files, self.made)
        self.placed.update(files)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def swap_into_place(tmp: Path, output: Path) -> None:
    """output/ becomes `tmp`: one atomic exchange where the system has one (Linux), so that
    even a build killed at this instant leaves a whole old or a whole new tree."""
    if output.exists() and exchange(tmp, output):
        shutil.rmtree(tmp, ignore_errors=True)  # now the old tree
        return
    old = None
    if output.exists():
        old = Path(tempfile.mkdtemp(prefix=f".output-old-{os.getpid()}-", dir=output.parent))
        os.replace(output, old / "site")
    os.replace(tmp, output)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (renameat2 RENAME_EXCHANGE); False where unsupported."""
    if sys.platform != "linux":
        return False
    import ctypes  # here: a no-op build swaps nothing (~5 ms to import)

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def remove_stale_trees(output: Path) -> None:
    """Remove temporary trees that a killed build left beside output/ (their names carry the
    builder's process id; a tree of a build still running is left alone)."""
    for prefix in (".output-new-", ".output-old-"):
        for tree in output.parent.glob(prefix + "*"):
            pid = tree.name.removeprefix(prefix).split("-", 1)[0]
            if pid.isdigit() and int(pid) != os.getpid() and alive(int(pid)):
                continue
            shutil.rmtree(tree, ignore_errors=True)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def update_in_place(output: Path, files: dict[str, Content], state: OutputState) -> set[str]:
    """Replace what differs; return the relative paths written (to stat afterwards). Each
    file is written beside under a temporary name, then renamed over the old one: a link
    and a rename (a new day replaces every file)."""
    written = set()
    top = f"{output}{os.sep}"
    for rel, content in files.items():
        old = state.files.get(rel)
        if old is not None and old[0] == origin(content):
            continue
        folder, _, name = rel.rpartition("/")
        tmp = f"{top}{folder}{'/' if folder else ''}.{name}.remit-new"
        try:
            put(tmp, content)
        except FileExistsError:  # left by a build killed here
            os.unlink(tmp)
            put(tmp, content)
        except FileNotFoundError:  # a new folder
            os.makedirs(top + folder, exist_ok=True)
            put(tmp, content)
        os.replace(tmp, top + rel)
        written.add(rel)
    for rel in state.files.keys() - files.keys():
        gone = output / rel
        gone.unlink()
        folder = gone.parent
        while folder != output and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return written


def write_output(output: Path, files: dict[str, Content], state: OutputState,
                 staged: StagedTree | None = None) -> None:
    """output/ becomes `files`: changed files replaced in place when output/ is provably the
    last build's, else a fresh tree (`staged`, if the build began one) swapped in."""
    if staged is None:
        remove_stale_trees(output)
    if state.trusted() and staged is None:
        with signals_deferred():
            written = update_in_place(output, files, state)
            top = f"{output}{os.sep}"
            new = {rel: [origin(c), *(file_stat(top + rel) if rel in written
                                      else state.files[rel][1:])]
                   for rel, c in files.items()}
            # Writing or removing a file changed its folder's stats; else they stand.
            changed = bool(written) or new.keys() != state.files.keys()
            folders = folder_stats(output, new) if changed else state.folders
            if new != state.files or folders != state.folders:  # a no-op writes nothing
                state.save(new, folders)
        return
    if staged is None:
        staged = StagedTree(output)
    tmp = staged.root
    try:
        assert all(files.get(rel) == content for rel, content in staged.placed.items())
        write_tree(tmp, {rel: c for rel, c in files.items() if rel not in staged.placed},
                   staged.made)
        tmp.chmod(0o755)
        with signals_deferred():
            swap_into_place(tmp, output)
            # Stat after the old tree is gone: unlinking it changed the shared inodes' ctimes.
            top = f"{output}{os.sep}"
            new = {rel: [origin(c), *file_stat(top + rel)] for rel, c in files.items()}
            folders = folder_stats(output, new)
            if new != state.files or folders != state.folders:
                state.save(new, folders)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def check_output_dir(settings: Settings, output: Path) -> None:
    """Refuse an output folder whose replacement would destroy the owner's files."""
    root = settings.root
    bad = output == root or root.is_relative_to(output) or any(
        output.is_relative_to(p) for p in (settings.content_dir, root / SITE_THEMES))
    if not bad and output.exists() and (not output.is_dir() or (
            any(output.iterdir()) and not (output / "index.html").is_file())):
        bad = True
    if bad:
        raise RemitError([Problem(str(output), None, "--output",
                                  "refusing to replace this folder: it is not a Remit output "
                                  "(choose an empty or new folder, such as output/)")])
