"""The package's import graph: every module imports, and no module (or subpackage) imports itself in a cycle.

The graph is read from the source (AST), not from ``sys.modules``: function-level imports count too, because a
lazy import that closes a cycle only moves the failure from import time to the first call that needs it."""

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = "frameq_models"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE


def module_names() -> dict:
    """Dotted module name -> source file, for every module of the package (``__init__`` names its package)."""
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imported_modules(name: str, path: Path, known: set) -> set:
    """The package modules ``name`` imports anywhere in its source, with the packages whose ``__init__`` runs."""
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(name, path.name == "__init__.py", node)
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)  # ``from pkg import module``
    found = set()
    for target in targets:
        parts = target.split(".")
        found.update(".".join(parts[:i]) for i in range(1, len(parts) + 1) if ".".join(parts[:i]) in known)
    found.discard(name)  # a package's __init__ running is not a cycle through the module that asked for it
    return found


def import_graph() -> dict:
    modules = module_names()
    return {name: imported_modules(name, path, set(modules)) for name, path in modules.items()}


def find_cycles(graph: dict) -> list:
    """One cycle (a list of nodes, first == last) per strongly connected component that has one."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def connect(v):  # Tarjan; the graph is a few dozen nodes, recursion depth is no concern
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, ()):
                components.append(component)

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return [_cycle_in(graph, component) for component in components]


def _cycle_in(graph: dict, component: set) -> list:
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:  # breadth-first inside the component: the shortest way back to start
        nxt = []
        for v in frontier:
            for w in sorted(graph[v] & component):
                if w == start:
                    return paths[v] + [start]
                if w not in paths:
                    paths[w] = paths[v] + [w]
                    nxt.append(w)
        frontier = nxt
    raise AssertionError(f"no cycle through {start} in {sorted(component)}")


def subpackage(module: str) -> str:
    """``frameq_models.archs.maniqa`` -> ``archs``; top-level modules (``__main__``) stand for themselves."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _describe(cycles: list) -> str:
    return "; ".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("module", sorted(module_names()))
def test_every_module_imports(module):
    importlib.import_module(module)


def test_no_module_import_cycles():
    cycles = find_cycles(import_graph())
    assert not cycles, f"import cycles: {_describe(cycles)}"


def test_no_subpackage_import_cycles():
    """Subpackages form layers, each understood and tested from the ones below it: common < codec < archs <
    export, bench < eval < train < ``__main__``, with data (photos, distortions, labels) below eval and train.
    On the flat layout before issue 19 this test and the one above named codec_runtime <-> golden and
    train_nr <-> train_restore."""
    packages: dict = {}
    for module, targets in import_graph().items():
        deps = packages.setdefault(subpackage(module), set())
        deps.update(subpackage(t) for t in targets if t != PACKAGE)
    for name, deps in packages.items():
        deps.discard(name)
    cycles = find_cycles(packages)
    assert not cycles, f"subpackage cycles: {_describe(cycles)}"


def test_cycle_finder_names_the_modules_of_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert sorted(find_cycles(graph)) == [["a", "b", "c", "a"], ["e", "e"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_graph_sees_function_level_and_relative_imports():
    graph = import_graph()
    assert "frameq_models.archs.registry" in graph["frameq_models.export.onnx_graph"]
    assert "frameq_models.codec.rans" in graph["frameq_models.archs.wacnn"]  # imported inside compress()
    assert "frameq_models.train.cli" in graph["frameq_models.__main__"]  # imported inside parser()
