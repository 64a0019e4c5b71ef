"""The simulator's shape: no import circle, files of a readable size.

The simulator once had one 23-module import circle (config → personas → persona → services →
state → config), closed in part by imports made only for type checking. Those count here too:
a circle of annotations is still a circle of meaning, and the next runtime import along it
fails at import time. The walk reads every ``import`` of every module under ``simulator/``
wherever it stands (module level, ``if TYPE_CHECKING:``, inside a function), and an edge goes
to the module named: ``from .x import y`` is an edge to ``x``, or to ``x.y`` when ``y`` is a
submodule. Importing a submodule also runs its parent packages' ``__init__``; those implicit
edges are left out, as import checkers leave them out, since every module would otherwise
reach the package's façade (``simulator/__init__.py``), which imports the camera.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path
import textwrap

import pytest

from simulator import PERSONAS
from simulator.personas.generic import GENERIC
from simulator.registry import DEFAULT_PERSONA

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400
"""The house's guideline for a file (the brief says "under ~400 lines")."""


def modules(package: Path) -> dict[str, tuple[Path, bool]]:
    """Every module of ``package`` by dotted name: its file, and whether it is a package."""
    found: dict[str, tuple[Path, bool]] = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = (path, is_package)
    return found


def _absolute(module: str, is_package: bool, level: int, name: str | None) -> str:
    base = module.split(".")
    if not is_package:
        base.pop()
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, *([name] if name else [])])


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module → the modules of the same package it imports, every import statement counted."""
    known = modules(package)
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, (path, is_package) in known.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                graph[name].update(alias.name for alias in node.names if alias.name in known)
            elif isinstance(node, ast.ImportFrom):
                target = (
                    _absolute(name, is_package, node.level, node.module)
                    if node.level
                    else node.module or ""
                )
                for alias in node.names:
                    if f"{target}.{alias.name}" in known:
                        graph[name].add(f"{target}.{alias.name}")
                    elif target in known:
                        graph[name].add(target)
    return graph


def circles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        # Tarjan's algorithm without recursion: (module, iterator over its imports).
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            module, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[module] = min(low[module], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1 or module in graph[module]:
                    found.append(sorted(group))
    return found


def a_path(graph: Mapping[str, Iterable[str]], group: list[str]) -> list[str]:
    """One circle through the first module of ``group``, for a readable failure."""
    members = set(group)
    start = group[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        module = queue.pop(0)
        for target in sorted(graph[module]):
            if target == start:
                return [*paths[module], start]
            if target in members and target not in paths:
                paths[target] = [*paths[module], target]
                queue.append(target)
    return group


def test_the_simulator_has_no_import_circle() -> None:
    graph = import_graph(ROOT / "simulator")
    assert len(graph) > 40, "the walk found too few modules to mean anything"
    found = circles(graph)
    assert not found, "import circles:\n" + "\n".join(
        " → ".join(a_path(graph, group)) for group in found
    )


def test_the_walk_finds_a_circle_closed_by_type_checking_imports(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "services").mkdir(parents=True)
    files = {
        "__init__.py": "from .camera import Camera\n",
        "camera.py": "from .config import Config\nclass Camera: ...\n",
        "config.py": "from .personas import get\nclass Config: ...\n",
        "personas.py": "def get():\n    from .services import base\n",
        "services/__init__.py": "",
        "services/base.py": """
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from ..state import State
        """,
        "state.py": """
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from .config import Config
        """,
        "leaf.py": "import pkg.state\n",
    }
    for name, text in files.items():
        (package / name).write_text(textwrap.dedent(text))
    graph = import_graph(package)
    assert graph["pkg.leaf"] == {"pkg.state"}
    assert graph["pkg.services.base"] == {"pkg.state"}
    found = circles(graph)
    assert found == [["pkg.config", "pkg.personas", "pkg.services.base", "pkg.state"]]
    assert a_path(graph, found[0]) == [
        "pkg.config",
        "pkg.personas",
        "pkg.services.base",
        "pkg.state",
        "pkg.config",
    ]
    assert circles({"a": {"a"}, "b": set()}) == [["a"]]


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "simulator").rglob("*.py")),
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_simulator_files_stay_readable(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines; split it by what it does"


def test_the_default_persona_is_registered() -> None:
    assert GENERIC.name == DEFAULT_PERSONA
    assert PERSONAS[DEFAULT_PERSONA] is GENERIC
