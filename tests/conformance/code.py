"""Read an integration's Python code without running it: modules, classes, functions, strings.

``Source`` parses every module once and resolves an expression to the strings it can evaluate
to: a literal, a constant (the integration's, or one imported from Home Assistant), a
conditional, a local variable (also one unpacked from a returned tuple), what a function of the
integration returns, or a lookup in a module-level dict. Functions are found by name: good
enough for one integration's own code, and it keeps this reader small. ``keys.Code`` builds on
it to find the translation keys the code uses.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
import enum
import importlib
from pathlib import Path
from typing import Any

from homeassistant import config_entries
from homeassistant.const import Platform

type Func = ast.FunctionDef | ast.AsyncFunctionDef

PLATFORMS = frozenset(platform.value for platform in Platform)


def call_name(node: ast.AST | None) -> str:
    """``f`` for ``f`` or ``a.b.f``; empty for anything else."""
    return node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")


def kwargs(call: ast.Call) -> dict[str, ast.expr]:
    return {kw.arg: kw.value for kw in call.keywords if kw.arg is not None}


@dataclass(slots=True)
class Module:
    rel: str  # relative to the integration, for messages
    tree: ast.Module
    assigned: dict[str, ast.expr] = field(default_factory=dict)  # module-level NAME = value
    imported: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # (from, level, name)

    def __post_init__(self) -> None:
        for stmt in self.tree.body:
            if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
                for target in stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]:
                    if isinstance(target, ast.Name):
                        self.assigned[target.id] = stmt.value
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    self.imported[alias.asname or alias.name] = (
                        node.module or "",
                        node.level,
                        alias.name,
                    )


@dataclass(frozen=True, slots=True)
class Ctx:
    """Where a node sits: its module, innermost class and function."""

    module: Module
    cls: ast.ClassDef | None = None
    func: Func | None = None

    def at(self, node: ast.AST) -> str:
        return f"{self.module.rel}:{getattr(node, 'lineno', '?')}"


class Source:
    """Every module under one integration directory, parsed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.modules = {
            rel: Module(rel, ast.parse(path.read_bytes()))
            for path in sorted(directory.rglob("*.py"))
            if (rel := path.relative_to(directory).as_posix())
        }
        self.nodes = [pair for module in self.modules.values() for pair in self._walk(module)]
        self.classes: dict[str, tuple[ast.ClassDef, Module]] = {}
        self.functions: dict[str, list[tuple[Func, Ctx]]] = {}
        for node, ctx in self.nodes:
            if isinstance(node, ast.ClassDef):
                self.classes[node.name] = (node, ctx.module)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = Ctx(ctx.module, ctx.cls, node)
                self.functions.setdefault(node.name, []).append((node, inner))
        self._kinds: dict[str, str | None] = {}

    @staticmethod
    def _walk(module: Module) -> Iterator[tuple[ast.AST, Ctx]]:
        stack: list[tuple[ast.AST, Ctx]] = [(module.tree, Ctx(module))]
        while stack:
            node, ctx = stack.pop()
            yield node, ctx
            if isinstance(node, ast.ClassDef):
                ctx = Ctx(module, node)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                ctx = Ctx(module, ctx.cls, node)
            stack.extend((child, ctx) for child in ast.iter_child_nodes(node))

    def string_constants(self) -> set[str]:
        """Every string literal of the code, docstrings and other bare expressions left out."""
        bare = {id(node.value) for node, _ in self.nodes if isinstance(node, ast.Expr)}
        return {
            node.value
            for node, _ in self.nodes
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in bare
        }

    # -- resolving expressions to strings ----------------------------------------------------

    def value_of(self, module: Module, name: str, depth: int = 0) -> tuple[ast.expr, Ctx] | None:
        """What a module-level name is bound to, following the integration's relative imports."""
        if name in module.assigned:
            return module.assigned[name], Ctx(module)
        source, level, original = module.imported.get(name, ("", 0, ""))
        if not level or depth > 5:
            return None
        base = Path(module.rel).parents[level - 1]
        rel = base.joinpath(*source.split(".")).as_posix() if source else base.as_posix()
        target = self.modules.get(f"{rel}.py") or self.modules.get(f"{rel}/__init__.py")
        return None if target is None else self.value_of(target, original, depth + 1)

    def origin(self, module: Module | None, name: str) -> str:
        """The absolute module a name is imported from; empty for the integration's own."""
        source, level, _ = module.imported.get(name, ("", 1, "")) if module else ("", 1, "")
        return "" if level else source

    def _foreign(self, module: Module, name: str, attr: str | None = None) -> set[str]:
        """A string constant imported from Home Assistant (``CONF_HOST``, ``Platform.CAMERA``)."""
        source = self.origin(module, name)
        if not source.startswith("homeassistant"):
            return set()
        found: Any = getattr(importlib.import_module(source), module.imported[name][2], None)
        found = getattr(found, attr, None) if attr else found
        found = found.value if isinstance(found, enum.Enum) else found
        return {found} if isinstance(found, str) else set()

    def strings(self, node: ast.expr | None, ctx: Ctx, index: int | None = None) -> set[str]:
        """The strings an expression can evaluate to (its element ``index`` when a tuple)."""
        return self._strings(node, ctx, index, 0) - {""}

    def _strings(self, node: ast.expr | None, ctx: Ctx, index: int | None, depth: int) -> set[str]:
        if node is None or depth > 10:
            return set()
        down = depth + 1
        if isinstance(node, ast.Await):
            return self._strings(node.value, ctx, index, down)
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            elements = node.elts if index is None else node.elts[index : index + 1]
            return set().union(*(self._strings(e, ctx, None, down) for e in elements))
        if isinstance(node, ast.Constant) and index is None:
            return {node.value} if isinstance(node.value, str) else set()
        if isinstance(node, ast.IfExp):
            return self._strings(node.body, ctx, index, down) | self._strings(
                node.orelse, ctx, index, down
            )
        if isinstance(node, ast.Name):
            if ctx.func is not None and (local := self._locals(node.id, ctx, index, down)):
                return local
            bound = self.value_of(ctx.module, node.id)
            return (
                self._foreign(ctx.module, node.id)
                if bound is None
                else self._strings(*bound, index, down)
            )
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            return self._foreign(ctx.module, node.value.id, node.attr)
        if isinstance(node, ast.Subscript | ast.Call) and (table := self._table(node, ctx)):
            return set().union(
                *(self._strings(value, table[1], None, down) for value in table[0].values)
            )
        if isinstance(node, ast.Call):
            if call_name(node.func) in {"list", "tuple", "set", "frozenset"} and node.args:
                return self._strings(node.args[0], ctx, index, down)
            returned = [
                (r.value, inner)
                for f, inner in self.targets(node.func)
                for r in ast.walk(f)
                if isinstance(r, ast.Return)
            ]
            return set().union(
                *(self._strings(value, inner, index, down) for value, inner in returned)
            )
        return set()

    def _locals(self, name: str, ctx: Ctx, index: int | None, depth: int) -> set[str]:
        """Strings assigned to a local variable, also by unpacking a tuple."""
        found: set[str] = set()
        for node in ast.walk(ctx.func) if ctx.func else ():
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr) and node.value:
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Name) and target.id == name:
                        found |= self._strings(node.value, ctx, index, depth)
                    for position, element in enumerate(getattr(target, "elts", [])):
                        if isinstance(element, ast.Name) and element.id == name:
                            found |= self._strings(node.value, ctx, position, depth)
        return found

    def _table(self, node: ast.Subscript | ast.Call, ctx: Ctx) -> tuple[ast.Dict, Ctx] | None:
        """The module-level dict indexed here (``TABLE[k]``, ``TABLE.get(k)``)."""
        holder = node.value if isinstance(node, ast.Subscript) else None
        if isinstance(node, ast.Call) and call_name(node.func) == "get":
            holder = getattr(node.func, "value", None)
        bound = self.value_of(ctx.module, holder.id) if isinstance(holder, ast.Name) else None
        return (
            (bound[0], bound[1]) if bound is not None and isinstance(bound[0], ast.Dict) else None
        )

    def targets(self, func: ast.expr) -> list[tuple[Func, Ctx]]:
        """The integration's functions a call may reach (``Class(...)`` reaches its __init__)."""
        name = call_name(func)
        if name not in self.classes:
            return self.functions.get(name, [])
        return [
            (f, c) for f, c in self.functions.get("__init__", []) if c.cls is self.classes[name][0]
        ]

    # -- classes ---------------------------------------------------------------------------------

    def ancestors(self, name: str) -> list[tuple[str, Module]]:
        """A class's bases, transitively: (name, module that names it)."""
        found: list[tuple[str, Module]] = []
        stack = [name]
        while stack:
            cls, module = self.classes.get(stack.pop(), (None, None))
            for base in cls.bases if cls and module else ():
                if (base_name := call_name(base)) and base_name not in [n for n, _ in found]:
                    found.append((base_name, module))  # type: ignore[arg-type]
                    stack.append(base_name)
        return found

    def platform(self, name: str | None) -> str:
        """The entity platform of a class or entity description class; ``*`` when none."""
        home = next((m for m in self.modules.values() if name in m.imported), None)
        for base, module in [(name or "", home), *(self.ancestors(name) if name else [])]:
            source = self.origin(module, base).split(".")
            if (
                source[:2] == ["homeassistant", "components"]
                and source[2:3]
                and source[2] in PLATFORMS
            ):
                return source[2]
        return "*"

    def flow_kind(self, cls: ast.ClassDef | None) -> str | None:
        """``config`` or ``options`` for a flow class or a mixin of one."""
        if cls is None:
            return None
        if cls.name not in self._kinds:
            built_on = [cls.name] + [c for c in self.classes if cls.name in dict(self.ancestors(c))]
            self._kinds[cls.name] = None
            for name in built_on:
                for base, module in self.ancestors(name):
                    found = (
                        getattr(config_entries, base, None)
                        if self.origin(module, base) == "homeassistant.config_entries"
                        else None
                    )
                    for kind, flow in (
                        ("config", config_entries.ConfigFlow),
                        ("options", config_entries.OptionsFlow),
                    ):
                        if isinstance(found, type) and issubclass(found, flow):
                            self._kinds[cls.name] = kind
        return self._kinds[cls.name]

    def fields(
        self, node: ast.expr | None, ctx: Ctx, depth: int = 0
    ) -> dict[str, list[str] | None]:
        """A voluptuous schema's fields; a ``section`` maps to its own fields."""
        found: dict[str, list[str] | None] = {}
        down = depth + 1
        if node is None or depth > 8:
            return found
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if key is None:  # {**OTHER_SCHEMA, ...}
                    found |= self.fields(value, ctx, down)
                    continue
                marker = isinstance(key, ast.Call) and call_name(key.func) in {
                    "Required",
                    "Optional",
                    "Exclusive",
                    "Inclusive",
                }
                section = (
                    value.args[0]
                    if isinstance(value, ast.Call)
                    and call_name(value.func) == "section"
                    and value.args
                    else None
                )
                inner = list(self.fields(section, ctx, down)) if section else None
                found |= dict.fromkeys(self.strings(key.args[0] if marker else key, ctx), inner)  # type: ignore[attr-defined]
        elif isinstance(node, ast.IfExp):
            found = self.fields(node.body, ctx, down) | self.fields(node.orelse, ctx, down)
        elif isinstance(node, ast.Call):
            if call_name(node.func) in {"Schema", "add_suggested_values_to_schema"} and node.args:
                found = self.fields(node.args[0], ctx, down)
            if call_name(node.func) == "extend" and node.args:
                found = self.fields(getattr(node.func, "value", None), ctx, down) | self.fields(
                    node.args[0], ctx, down
                )
            for func, inner_ctx in self.targets(node.func):
                for ret in (r for r in ast.walk(func) if isinstance(r, ast.Return)):
                    found |= self.fields(ret.value, inner_ctx, down)
        elif isinstance(node, ast.Name):
            for stmt in ast.walk(ctx.func) if ctx.func else ():
                if isinstance(stmt, ast.Assign) and node.id in [call_name(t) for t in stmt.targets]:
                    found |= self.fields(stmt.value, ctx, down)
            if not found and (bound := self.value_of(ctx.module, node.id)):
                found = self.fields(*bound, down)
        return found
