"""The house rules of generator/: each layer imports only the layers below it, nothing imports
in a circle, the top folder stays small and no module grows past 400 lines.

Imports are read with `ast`, wherever they stand (a function-level import counts), except
those under `if TYPE_CHECKING:`, which never run.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from tests.conftest import REPO

# Lowest first. A module may import its own layer and those before it.
LAYERS: tuple[frozenset[str], ...] = tuple(frozenset(names.split()) for names in (
    "__init__ errors confine interrupt money urls digest theme toml fields i18n",  # ground floor
    "model",
    "payments",
    "figures",
    "read",
    "view",
    "render",
    "write",
    "build",
    "deploy serve notify scaffold",
    "cli",
    "__main__",
))
MAX_TOP_MODULES = 15
MAX_LINES = 400


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and isinstance(test, ast.Name) and \
        test.id == "TYPE_CHECKING"


def imported(tree: ast.AST) -> list[str]:
    """Every name imported, with `from a import b` as both a and a.b (b may be a module)."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if type_checking_only(node):
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports."""
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        targets = {t for t in imported(ast.parse(path.read_text(encoding="utf-8")))
                   if t in files and t != name}
        graph[name] = targets
    return graph


def part(module: str) -> str:
    """The node a module belongs to: its package under generator/, or itself on the top."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def layer(module: str) -> int:
    name = part(module)
    return next(n for n, names in enumerate(LAYERS) if name in names)


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle per strongly connected group of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def violations(root: Path) -> list[str]:
    graph = import_graph(root)
    found = []
    for source, targets in sorted(graph.items()):
        for target in sorted(targets):
            if layer(target) > layer(source):
                found.append(f"{source} imports {target}, a layer above its own")
    parts: dict[str, set[str]] = {}
    for source, targets in graph.items():
        parts.setdefault(part(source), set()).update(
            part(t) for t in targets if part(t) != part(source))
    found += [f"modules import each other in a circle: {', '.join(c)}" for c in circles(graph)]
    found += [f"parts import each other in a circle: {', '.join(c)}" for c in circles(parts)]
    return found


def test_every_module_imports_only_layers_below_it_and_nothing_in_a_circle():
    assert violations(REPO / "generator") == []


def test_every_part_of_the_package_has_a_layer():
    parts = {part(m) for m in import_graph(REPO / "generator")}
    assert parts <= set().union(*LAYERS)


def copy_of_package(tmp_path: Path) -> Path:
    copy = tmp_path / "generator"
    shutil.copytree(REPO / "generator", copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_check_fails_when_the_ground_floor_reaches_up(tmp_path):
    copy = copy_of_package(tmp_path)
    errors = copy / "errors.py"
    errors.write_text(errors.read_text(encoding="utf-8") + "\nimport generator.cli.main\n",
                      encoding="utf-8")
    assert "generator.errors imports generator.cli.main, a layer above its own" in \
        violations(copy)


def test_the_check_fails_on_a_circle_inside_a_layer_and_ignores_type_checking(tmp_path):
    copy = copy_of_package(tmp_path)
    settings = copy / "model" / "settings.py"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text + "\nif TYPE_CHECKING:\n    from generator.model.site import Site\n",
                        encoding="utf-8")
    assert violations(copy) == []
    settings.write_text(text + "\n\ndef f():\n    from generator.model.site import Site\n",
                        encoding="utf-8")
    assert violations(copy) == ["modules import each other in a circle: generator.model.invoice, "
                                "generator.model.settings, generator.model.site"]


def test_the_top_folder_stays_small_and_no_module_is_long_or_undocumented():
    top = sorted(p.name for p in (REPO / "generator").glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top
    for path in sorted((REPO / "generator").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= MAX_LINES, f"{path}: over {MAX_LINES} lines"
        assert ast.get_docstring(ast.parse(text)), f"{path}: no docstring says what it is for"
