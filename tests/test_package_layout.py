"""The package's layout is its architecture: layers that import only downwards, and no import cycle.

The import graph is read from the source (every ``import``, including those inside functions and under
``TYPE_CHECKING``), so a cycle hidden in a function body is found as surely as one at the top of a file.
"""

from __future__ import annotations

import ast
import graphlib
import shutil
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "coursekit"

#: Lowest first. A module may import its own layer and the layers before it, never one after it.
LAYERS = ("core", "data", "render", "topics", "grading", "analysis", "participant", "book", "tabletop", "hub")
TOP = len(LAYERS)  # coursekit/__init__.py (the public API) and cli.py sit above every layer


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Each coursekit module and the coursekit modules it imports (relative and absolute, anywhere in the file)."""
    modules = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                # "from pkg import sub" imports the sub-module when there is one, else a name from pkg
                targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in modules else module for a in node.names]
            else:
                continue
            edges |= {t for t in targets if t in modules and t != name}
        graph[name] = edges
    return graph


def layer_of(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "cli":
        return TOP
    if parts[1] not in LAYERS:
        raise AssertionError(f"{module} is in no layer: add its folder to LAYERS in this test, in its place")
    return LAYERS.index(parts[1])


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} imports {b}" for a, deps in graph.items() for b in deps if layer_of(b) > layer_of(a))


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as err:
        return list(err.args[1])
    return None


def test_the_package_has_no_import_cycle():
    found = cycle(import_graph(PACKAGE))
    assert found is None, "import cycle: " + " -> ".join(found or [])


def test_no_layer_imports_a_higher_one():
    assert layer_violations(import_graph(PACKAGE)) == []


def test_every_module_sits_in_a_layer_and_the_core_imports_nothing_above_it():
    graph = import_graph(PACKAGE)
    assert {m.split(".")[1] for m in graph if "." in m} - {"cli"} == set(LAYERS)
    core = {m: deps for m, deps in graph.items() if m.startswith("coursekit.core")}
    assert core and all(d.startswith("coursekit.core") for deps in core.values() for d in deps)


def test_the_checks_see_a_cycle_hidden_in_a_function_and_an_upward_import(tmp_path):
    """The checks themselves, on a copy of the package with two planted faults."""
    root = tmp_path / "coursekit"
    shutil.copytree(PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__", "static", "*.csv"))
    exercises = root / "core" / "exercises.py"
    exercises.write_text(exercises.read_text(encoding="utf-8") + "\n\ndef _late():\n    from ..book import build\n")
    graph = import_graph(root)
    assert "coursekit.core.exercises imports coursekit.book.build" in layer_violations(graph)
    assert cycle(graph) is not None  # build imports the exercises
