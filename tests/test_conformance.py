"""Our own hassfest / HACS / quality-scale checks.

hassfest skips the quality-scale validators for custom integrations and checks only part of a
custom integration's translations; HACS checks a handful of manifest keys. The checks here do
the equivalent for Homebound, on the real files.

Every check is a function that returns a list of problems (empty when the files conform). The
``test_repository_*`` tests run each check on the repository. The fixture tests build a small
integration in a temporary directory, show that it passes every check, then break it one way at
a time to show that each check can fail.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
import enum
import importlib
import json
from pathlib import Path
import re
import shutil
import subprocess
import sys
from typing import Any, Literal

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from homeassistant import const as ha_const
from homeassistant.const import Platform
from PIL import Image
import pytest
import yaml  # type: ignore[import-untyped]

from devtools import make_brand, sync_dhcp

REPO = Path(__file__).resolve().parent.parent
DOMAIN = "homebound"


def integration_dir(root: Path) -> Path:
    """Return the integration's directory inside a repository root."""
    return root / "custom_components" / DOMAIN


# --------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------

# hassfest's base manifest schema plus its custom-integration extension (2026).
MANIFEST_KEYS = frozenset(
    {
        "domain",
        "name",
        "after_dependencies",
        "bluetooth",
        "codeowners",
        "config_flow",
        "dependencies",
        "dhcp",
        "disabled",
        "documentation",
        "homekit",
        "import_executor",
        "integration_type",
        "iot_class",
        "issue_tracker",
        "loggers",
        "mqtt",
        "preview_features",
        "quality_scale",
        "requirements",
        "single_config_entry",
        "ssdp",
        "usb",
        "version",
        "zeroconf",
    }
)
MANIFEST_REQUIRED = (
    "domain",
    "name",
    "codeowners",
    "config_flow",
    "dhcp",
    "documentation",
    "integration_type",
    "iot_class",
    "issue_tracker",
    "loggers",
    "requirements",
    "version",
)
# hassfest accepts more types, but only these describe a camera integration.
INTEGRATION_TYPES = frozenset({"device", "hub", "service"})
VERSION_STRATEGIES = frozenset(
    {
        AwesomeVersionStrategy.CALVER,
        AwesomeVersionStrategy.SEMVER,
        AwesomeVersionStrategy.SIMPLEVER,
        AwesomeVersionStrategy.BUILDVER,
        AwesomeVersionStrategy.PEP440,
    }
)
DISCOVERY_KEYS = ("bluetooth", "dhcp", "homekit", "mqtt", "ssdp", "usb", "zeroconf")
REQUIREMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9_,.-]+\])?==[A-Za-z0-9._+!-]+")
HTTPS_URL = re.compile(r"https://([A-Za-z0-9.-]+\.[A-Za-z]{2,})(:\d+)?(/\S*)?")

# hacs/integration HACS_MANIFEST_JSON_SCHEMA (extra keys are rejected).
HACS_KEYS: dict[str, tuple[type, ...]] = {
    "name": (str,),
    "content_in_root": (bool,),
    "zip_release": (bool,),
    "filename": (str,),
    "hide_default_branch": (bool,),
    "country": (str, list),
    "homeassistant": (str,),
    "hacs": (str,),
    "persistent_directory": (str,),
    "render_readme": (bool,),
}

# Brand images Home Assistant 2026.3+ serves from custom_components/<domain>/brand/.
BRAND_ICON_SIZES = {
    "icon.png": 256,
    "icon@2x.png": 512,
    "dark_icon.png": 256,
    "dark_icon@2x.png": 512,
}
BRAND_LOGO_SHORT_SIDE = {
    "logo.png": (128, 256),
    "logo@2x.png": (256, 512),
    "dark_logo.png": (128, 256),
    "dark_logo@2x.png": (256, 512),
}
BRAND_REQUIRED = ("icon.png", "icon@2x.png")

# script/hassfest/quality_scale.py ALL_RULES, newest version (54 rules).
QUALITY_RULES: dict[str, tuple[str, ...]] = {
    "bronze": (
        "action-setup",
        "appropriate-polling",
        "brands",
        "common-modules",
        "config-flow-test-coverage",
        "config-flow",
        "dependency-transparency",
        "docs-actions",
        "docs-triggers",
        "docs-conditions",
        "docs-high-level-description",
        "docs-installation-instructions",
        "docs-removal-instructions",
        "entity-event-setup",
        "entity-unique-id",
        "has-entity-name",
        "runtime-data",
        "test-before-configure",
        "test-before-setup",
        "unique-config-entry",
    ),
    "silver": (
        "action-exceptions",
        "config-entry-unloading",
        "docs-configuration-parameters",
        "docs-installation-parameters",
        "entity-unavailable",
        "integration-owner",
        "log-when-unavailable",
        "parallel-updates",
        "reauthentication-flow",
        "test-coverage",
    ),
    "gold": (
        "devices",
        "diagnostics",
        "discovery-update-info",
        "discovery",
        "docs-data-update",
        "docs-examples",
        "docs-known-limitations",
        "docs-supported-devices",
        "docs-supported-functions",
        "docs-troubleshooting",
        "docs-use-cases",
        "dynamic-devices",
        "entity-category",
        "entity-device-class",
        "entity-disabled-by-default",
        "entity-translations",
        "exception-translations",
        "icon-translations",
        "reconfiguration-flow",
        "repair-issues",
        "stale-devices",
    ),
    "platinum": ("async-dependency", "inject-websession", "strict-typing"),
}
ALL_RULES = frozenset(rule for rules in QUALITY_RULES.values() for rule in rules)

PLATFORMS = frozenset(platform.value for platform in Platform)
PURE_SUBPACKAGES = ("device", "events", "firewall", "catalog")
ENTRY_ANNOTATION = re.compile(r"[A-Za-z]+ConfigEntry")
ENTRY_FUNCTIONS = {
    "__init__.py": (
        "async_setup_entry",
        "async_unload_entry",
        "async_migrate_entry",
        "async_remove_entry",
        "async_remove_config_entry_device",
    ),
    "diagnostics.py": ("async_get_config_entry_diagnostics", "async_get_device_diagnostics"),
}
SETUP_EXCEPTIONS = frozenset({"ConfigEntryNotReady", "ConfigEntryAuthFailed", "ConfigEntryError"})
EXCEPTION_CALL = re.compile(r"(Error|Exception|NotReady|AuthFailed|Failed|Invalid)$")
ISSUE_CALLS = frozenset({"async_create_issue", "create_issue"})
STEP_CALLS = frozenset(
    {"async_show_form", "async_show_menu", "async_show_progress", "async_external_step"}
)
CONFIG_FLOW_BASES = frozenset({"ConfigFlow"})
OPTIONS_FLOW_BASES = frozenset(
    {"OptionsFlow", "OptionsFlowWithReload", "OptionsFlowWithConfigEntry"}
)
MACHINE_PATH = re.compile(r"(^|[^A-Za-z0-9_.])/(tmp|root|work|farm)/[A-Za-z0-9_.-]", re.MULTILINE)


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def read_json(path: Path, problems: list[str]) -> Any:
    """Return the parsed JSON file, or None after adding a problem."""
    if not path.is_file():
        problems.append(f"{path.name} is missing")
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        problems.append(f"{path.name} is not valid JSON: {err}")
        return None


class _UniqueKeyLoader(yaml.SafeLoader):  # type: ignore[misc]
    """A YAML loader that refuses repeated mapping keys (PyYAML keeps the last one silently)."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: Any, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"repeated key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def read_yaml(path: Path, problems: list[str]) -> Any:
    """Return the parsed YAML file, or None after adding a problem."""
    if not path.is_file():
        problems.append(f"{path.name} is missing")
        return None
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    except yaml.YAMLError as err:
        problems.append(f"{path.name} is not valid YAML: {err}")
        return None


def call_name(func: ast.expr) -> str:
    """Return the called name: ``f`` for ``f()``, ``g`` for ``a.b.g()``."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def keywords(call: ast.Call) -> dict[str, ast.expr]:
    """Return the named arguments of a call."""
    return {kw.arg: kw.value for kw in call.keywords if kw.arg is not None}


def top_functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """Return the module-level functions by name."""
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def assigns_name(tree: ast.Module, name: str) -> bool:
    """Return whether the module assigns ``name`` at module level."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return True
        if isinstance(node, ast.AnnAssign | ast.AugAssign) and (
            isinstance(node.target, ast.Name) and node.target.id == name
        ):
            return True
    return False


def string_values(tree: Any) -> Iterator[tuple[str, str]]:
    """Yield (dotted key, value) for every string in a JSON-like tree."""
    stack: list[tuple[str, Any]] = [("", tree)]
    while stack:
        prefix, node = stack.pop()
        if isinstance(node, dict):
            stack.extend((f"{prefix}.{k}" if prefix else str(k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((f"{prefix}[{i}]", v) for i, v in enumerate(node))
        elif isinstance(node, str):
            yield prefix, node


def lookup(tree: Any, path: tuple[str, ...]) -> Any:
    """Return the value at ``path`` in nested dicts, or None."""
    for part in path:
        if not isinstance(tree, dict) or part not in tree:
            return None
        tree = tree[part]
    return tree


@dataclass(frozen=True, slots=True)
class Need:
    """Keys of which at least one must hold a non-empty string, and why."""

    paths: tuple[tuple[str, ...], ...]
    why: str

    @classmethod
    def one(cls, *path: str, why: str) -> Need:
        return cls((path,), why)


def unmet(needs: Iterable[Need], data: Any, file: str) -> list[str]:
    """Return a problem for every need ``data`` does not meet."""
    problems = set()
    for need in needs:
        if not any(
            isinstance(value := lookup(data, path), str) and value.strip() for path in need.paths
        ):
            keys = " or ".join(".".join(path) for path in need.paths)
            problems.add(f"{file}: {keys} missing ({need.why})")
    return sorted(problems)


# --------------------------------------------------------------------------------------------
# Reading the integration's Python code
# --------------------------------------------------------------------------------------------

type Fields = dict[str, Fields | None]  # form field -> None, or section -> its fields
type FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(slots=True)
class Module:
    """One parsed Python file of the integration."""

    path: Path
    rel: str  # path relative to the integration directory, for messages
    tree: ast.Module


@dataclass(frozen=True, slots=True)
class Ctx:
    """Where an expression sits: module, class and function (for name resolution)."""

    module: Module
    cls: ast.ClassDef | None = None
    func: FunctionNode | None = None

    def at(self, node: ast.AST) -> str:
        return f"{self.module.rel}:{getattr(node, 'lineno', '?')}"


@dataclass
class Integration:
    """The integration's sources, with just enough name resolution for the checks."""

    directory: Path
    problems: list[str] = field(default_factory=list)
    _cache: dict[Path, Module | None] = field(default_factory=dict)

    def module(self, rel: str) -> Module | None:
        """Return the parsed module at ``rel`` (relative to the integration), if it exists."""
        path = self.directory / rel
        if path not in self._cache:
            self._cache[path] = None
            if path.is_file():
                try:
                    tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
                except SyntaxError as err:
                    self.problems.append(f"{rel} does not parse: {err}")
                else:
                    self._cache[path] = Module(path, rel, tree)
        return self._cache[path]

    def top_modules(self) -> list[Module]:
        """Return the modules directly in the integration directory."""
        found = (self.module(p.name) for p in sorted(self.directory.glob("*.py")))
        return [m for m in found if m is not None]

    def all_modules(self) -> list[Module]:
        """Return every module of the integration, subpackages included."""
        rels = sorted(
            p.relative_to(self.directory).as_posix() for p in self.directory.rglob("*.py")
        )
        found = (self.module(rel) for rel in rels)
        return [m for m in found if m is not None]

    def platform_modules(self) -> list[Module]:
        """Return the entity platform modules (camera.py, binary_sensor.py, ...)."""
        return [m for m in self.top_modules() if m.path.stem in PLATFORMS]

    # -- constants ----------------------------------------------------------------------------

    def _relative_module(self, ctx_module: Module, level: int, name: str | None) -> Module | None:
        base = Path(ctx_module.rel).parent
        for _ in range(level - 1):
            base = base.parent
        parts = name.split(".") if name else []
        rel = (base.joinpath(*parts)).as_posix()
        return self.module(f"{rel}.py") or self.module(f"{rel}/__init__.py")

    def strings(self, node: ast.expr | None, ctx: Ctx, depth: int = 0) -> set[str] | None:
        """Return the strings an expression can evaluate to, or None when unknown."""
        if node is None or depth > 12:
            return None
        if isinstance(node, ast.Constant):
            return {node.value} if isinstance(node.value, str) else None
        if isinstance(node, ast.IfExp):
            body, orelse = (
                self.strings(node.body, ctx, depth + 1),
                self.strings(node.orelse, ctx, depth + 1),
            )
            return None if body is None or orelse is None else body | orelse
        if isinstance(node, ast.Name):
            if ctx.func is not None:
                local = self._local_strings(node.id, ctx, depth)
                if local is not False:
                    return local
            return self._module_strings(ctx.module, node.id, depth + 1)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            return self._attribute_strings(ctx.module, node.value.id, node.attr, depth + 1)
        if isinstance(node, ast.Call | ast.Await):
            return self.returned_strings(node, ctx, None, depth + 1)
        return None

    def _local_strings(self, name: str, ctx: Ctx, depth: int) -> set[str] | Literal[False] | None:
        """Strings assigned to a local name; False when the function never binds it."""
        assert ctx.func is not None
        arguments = ctx.func.args
        params = {a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}
        if name in params:
            return None
        values: list[tuple[ast.expr, int | None]] = []  # value, index in an unpacked tuple
        bound = False
        for node in ast.walk(ctx.func):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == name:
                        values.append((node.value, None))
                    elif isinstance(target, ast.Tuple) and any(
                        isinstance(e, ast.Name) and e.id == name for e in target.elts
                    ):
                        index = next(
                            i
                            for i, e in enumerate(target.elts)
                            if isinstance(e, ast.Name) and e.id == name
                        )
                        starred = any(isinstance(e, ast.Starred) for e in target.elts)
                        values.append((node.value, None if starred else index))
                        bound = bound or starred
                    elif _binds(target, name):
                        bound = True
            elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and _binds(node.target, name):
                if node.value is None:
                    continue
                values.append((node.value, None))
            elif isinstance(node, ast.For | ast.AsyncFor | ast.With | ast.AsyncWith) and any(
                _binds(t, name) for t in _loop_targets(node)
            ):
                bound = True
        if bound:
            return None
        if not values:
            return False
        result: set[str] = set()
        for value, position in values:
            found = (
                self.strings(value, ctx, depth + 1)
                if position is None
                else self.returned_strings(value, ctx, position, depth + 1)
            )
            if found is None:
                return None
            result |= found
        return result

    def returned_strings(
        self, node: ast.expr, ctx: Ctx, index: int | None, depth: int
    ) -> set[str] | None:
        """Strings a call to a local helper returns (element ``index`` of a returned tuple)."""
        if isinstance(node, ast.Await):
            node = node.value
        if isinstance(node, ast.Tuple) and index is not None:
            return (
                self.strings(node.elts[index], ctx, depth + 1) if index < len(node.elts) else None
            )
        if not isinstance(node, ast.Call) or depth > 12:
            return None
        helper = self.find_function(node.func, ctx)
        if helper is None:
            return None
        function, inner = helper
        result: set[str] = set()
        for ret in ast.walk(function):
            if not isinstance(ret, ast.Return) or ret.value is None:
                continue
            value: ast.expr | None = ret.value
            if index is not None:
                elts = ret.value.elts if isinstance(ret.value, ast.Tuple) else []
                value = elts[index] if index < len(elts) else None
            found = self.strings(value, inner, depth + 1)
            if found is None:
                return None
            result |= found
        return result or None

    def _module_strings(self, module: Module, name: str, depth: int) -> set[str] | None:
        for stmt in module.tree.body:
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in stmt.targets
            ):
                return self.strings(stmt.value, Ctx(module), depth + 1)
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and stmt.target.id == name
            ):
                return self.strings(stmt.value, Ctx(module), depth + 1)
            if isinstance(stmt, ast.ImportFrom):
                for alias in stmt.names:
                    if (alias.asname or alias.name) != name:
                        continue
                    if stmt.level:
                        target = self._relative_module(module, stmt.level, stmt.module)
                        return (
                            None
                            if target is None
                            else self._module_strings(target, alias.name, depth + 1)
                        )
                    return _foreign_string(stmt.module or "", [alias.name])
        return None

    def _attribute_strings(
        self, module: Module, base: str, attr: str, depth: int
    ) -> set[str] | None:
        for stmt in module.tree.body:
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if (alias.asname or alias.name) == base:
                        return _foreign_string(alias.name, [attr])
            elif isinstance(stmt, ast.ImportFrom):
                for alias in stmt.names:
                    if (alias.asname or alias.name) != base:
                        continue
                    if stmt.level:
                        dotted = f"{stmt.module}.{alias.name}" if stmt.module else alias.name
                        target = self._relative_module(module, stmt.level, dotted)
                        return None if target is None else self._module_strings(target, attr, depth)
                    return _foreign_string(stmt.module or "", [alias.name, attr])
        return None

    # -- functions and schemas ----------------------------------------------------------------

    def find_function(self, func: ast.expr, ctx: Ctx) -> tuple[FunctionNode, Ctx] | None:
        """Return the local function (or method of the same class) a call refers to."""
        if isinstance(func, ast.Name):
            found = top_functions(ctx.module.tree).get(func.id)
            if found is not None:
                return found, Ctx(ctx.module, None, found)
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in {"self", "cls"}
            and ctx.cls is not None
        ):
            for item in ctx.cls.body:
                if (
                    isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                    and item.name == func.attr
                ):
                    return item, Ctx(ctx.module, ctx.cls, item)
        return None

    def schema_fields(self, node: ast.expr | None, ctx: Ctx, depth: int = 0) -> Fields | None:
        """Return the fields of a voluptuous schema expression, or None when unknown."""
        if node is None or depth > 12:
            return None
        if isinstance(node, ast.Constant) and node.value is None:
            return {}
        if isinstance(node, ast.Dict):
            return self._dict_fields(node, ctx, depth)
        if isinstance(node, ast.IfExp):
            return _merge(
                self.schema_fields(node.body, ctx, depth + 1),
                self.schema_fields(node.orelse, ctx, depth + 1),
            )
        if isinstance(node, ast.Call):
            name = call_name(node.func)
            if name == "Schema" and node.args:
                return self.schema_fields(node.args[0], ctx, depth + 1)
            if name == "add_suggested_values_to_schema" and node.args:
                return self.schema_fields(node.args[0], ctx, depth + 1)
            if name == "extend" and isinstance(node.func, ast.Attribute) and node.args:
                return _merge(
                    self.schema_fields(node.func.value, ctx, depth + 1),
                    self.schema_fields(node.args[0], ctx, depth + 1),
                )
            helper = self.find_function(node.func, ctx)
            if helper is None:
                return None
            function, inner = helper
            returns = [n.value for n in ast.walk(function) if isinstance(n, ast.Return) and n.value]
            if not returns:
                return None
            result: Fields | None = {}
            for value in returns:
                result = _merge(result, self.schema_fields(value, inner, depth + 1))
            return result
        if isinstance(node, ast.Name):
            return self._name_fields(node.id, ctx, depth)
        return None

    def _name_fields(self, name: str, ctx: Ctx, depth: int) -> Fields | None:
        if ctx.func is not None:
            values: list[ast.expr] = []
            added: Fields | None = {}
            for node in ast.walk(ctx.func):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name) and target.id == name:
                            values.append(node.value)
                        elif (
                            isinstance(target, ast.Subscript)
                            and isinstance(target.value, ast.Name)
                            and target.value.id == name
                        ):
                            added = _merge(
                                added, self._key_fields(target.slice, node.value, ctx, depth)
                            )
                elif (
                    isinstance(node, ast.AnnAssign)
                    and isinstance(node.target, ast.Name)
                    and node.target.id == name
                    and node.value is not None
                ):
                    values.append(node.value)
            if values:
                result: Fields | None = added
                for value in values:
                    result = _merge(result, self.schema_fields(value, ctx, depth + 1))
                return result
        for stmt in ctx.module.tree.body:
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in stmt.targets
            ):
                return self.schema_fields(stmt.value, Ctx(ctx.module), depth + 1)
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and stmt.target.id == name
            ):
                return self.schema_fields(stmt.value, Ctx(ctx.module), depth + 1)
        return None

    def _dict_fields(self, node: ast.Dict, ctx: Ctx, depth: int) -> Fields | None:
        result: Fields | None = {}
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:  # {**OTHER, ...}
                result = _merge(result, self.schema_fields(value, ctx, depth + 1))
            else:
                result = _merge(result, self._key_fields(key, value, ctx, depth))
        return result

    def _key_fields(self, key: ast.expr, value: ast.expr, ctx: Ctx, depth: int) -> Fields | None:
        if isinstance(key, ast.Call) and call_name(key.func) in {
            "Required",
            "Optional",
            "Exclusive",
            "Inclusive",
        }:
            key = key.args[0] if key.args else ast.Constant(None)
        names = self.strings(key, ctx, depth + 1)
        if names is None:
            return None
        nested: Fields | None = None
        if isinstance(value, ast.Call) and call_name(value.func) == "section":
            nested = self.schema_fields(value.args[0] if value.args else None, ctx, depth + 1)
            if nested is None:
                return None
        return dict.fromkeys(names, nested)


def _binds(target: ast.expr, name: str) -> bool:
    return any(
        isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
        for n in ast.walk(target)
    )


def _loop_targets(node: ast.For | ast.AsyncFor | ast.With | ast.AsyncWith) -> list[ast.expr]:
    if isinstance(node, ast.For | ast.AsyncFor):
        return [node.target]
    return [item.optional_vars for item in node.items if item.optional_vars is not None]


def _foreign_string(module: str, attrs: list[str]) -> set[str] | None:
    """Resolve a constant imported from Home Assistant by importing it."""
    if module.split(".")[0] != "homeassistant":
        return None
    try:
        obj: Any = importlib.import_module(module)
        for attr in attrs:
            obj = getattr(obj, attr)
    except (ImportError, AttributeError):
        return None
    if isinstance(obj, enum.Enum):
        obj = obj.value
    return {str.__str__(obj)} if isinstance(obj, str) else None


def _merge(a: Fields | None, b: Fields | None) -> Fields | None:
    if a is None or b is None:
        return None
    merged: Fields = dict(a)
    for key, value in b.items():
        old = merged.get(key)
        merged[key] = (
            _merge(old, value) if old is not None and value is not None else (old or value)
        )
    return merged


# --------------------------------------------------------------------------------------------
# What the code asks of translations/en.json and icons.json
# --------------------------------------------------------------------------------------------


def _flow_kind(
    cls: ast.ClassDef, classes: dict[str, ast.ClassDef], seen: frozenset[str]
) -> str | None:
    for base in cls.bases:
        name = call_name(base)
        if name in CONFIG_FLOW_BASES:
            return "config"
        if name in OPTIONS_FLOW_BASES:
            return "options"
        if name in classes and name not in seen:
            kind = _flow_kind(classes[name], classes, seen | {name})
            if kind is not None:
                return kind
    return None


def flow_classes(integration: Integration) -> list[tuple[Module, ast.ClassDef, str]]:
    """Return the config and options flow classes in the top-level modules."""
    modules = integration.top_modules()
    classes = {
        node.name: node
        for module in modules
        for node in module.tree.body
        if isinstance(node, ast.ClassDef)
    }
    found = []
    for module in modules:
        for node in module.tree.body:
            if isinstance(node, ast.ClassDef):
                kind = _flow_kind(node, classes, frozenset({node.name}))
                if kind is not None:
                    found.append((module, node, kind))
    return found


def _is_errors_name(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and (node.id == "errors" or node.id.endswith("_errors"))


def _error_needs(integration: Integration, node: ast.AST, ctx: Ctx, kind: str) -> Iterator[Need]:
    """Needs for error keys set in an ``errors`` dict by an assignment."""
    targets: list[ast.expr] = []
    value: ast.expr | None = None
    if isinstance(node, ast.Assign):
        targets, value = node.targets, node.value
    elif isinstance(node, ast.AnnAssign):
        targets, value = [node.target], node.value
    if value is None:
        return
    for target in targets:
        values: list[ast.expr] = []
        if isinstance(target, ast.Subscript) and _is_errors_name(target.value):
            values = [value]
        elif _is_errors_name(target) and isinstance(value, ast.Dict):
            values = list(value.values)
        for item in values:
            keys = integration.strings(item, ctx)
            if keys is None:
                integration.problems.append(
                    f"{ctx.at(node)}: cannot tell which error key is set here; use a string literal"
                    " or a constant"
                )
                continue
            for key in keys - {""}:  # "" stands for "no error" in helpers that return a key
                yield Need.one(kind, "error", key, why=f"error set at {ctx.at(node)}")


def _call_needs(integration: Integration, call: ast.Call, ctx: Ctx, kind: str) -> Iterator[Need]:
    name = call_name(call.func)
    kw = keywords(call)
    where = ctx.at(call)

    def resolve(expr: ast.expr | None, what: str) -> set[str]:
        found = integration.strings(expr, ctx)
        if found is None:
            integration.problems.append(
                f"{where}: cannot tell the {what}; use a literal or constant"
            )
            return set()
        return found

    def abort(reasons: set[str]) -> Iterator[Need]:
        for reason in reasons:
            yield Need.one(kind, "abort", reason, why=f"abort at {where}")

    if name in STEP_CALLS:
        if "step_id" in kw:
            steps = resolve(kw["step_id"], "step_id")
        elif ctx.func is not None and ctx.func.name.startswith("async_step_"):
            steps = {ctx.func.name.removeprefix("async_step_")}
        else:
            integration.problems.append(f"{where}: {name} without step_id outside an async_step_")
            steps = set()
        for step in steps:
            yield Need(
                ((kind, "step", step, "title"), (kind, "step", step, "description")),
                f"step shown at {where}",
            )
            if name == "async_show_form" and "data_schema" in kw:
                fields = integration.schema_fields(kw["data_schema"], ctx)
                if fields is None:
                    integration.problems.append(
                        f"{where}: cannot read the form fields of step {step!r}"
                    )
                else:
                    yield from _field_needs(fields, (kind, "step", step), where)
            if name == "async_show_menu":
                options = kw.get("menu_options")
                if isinstance(options, ast.List | ast.Tuple | ast.Set):
                    for option in options.elts:
                        for value in resolve(option, "menu option"):
                            yield Need.one(
                                kind, "step", step, "menu_options", value, why=f"menu at {where}"
                            )
                elif not isinstance(options, ast.Dict):
                    integration.problems.append(f"{where}: cannot read the menu options")
            if name == "async_show_progress" and "progress_action" in kw:
                for action in resolve(kw["progress_action"], "progress_action"):
                    yield Need.one(kind, "progress", action, why=f"progress at {where}")
        errors = kw.get("errors")
        if isinstance(errors, ast.Dict):
            for item in errors.values:
                for key in resolve(item, "error key"):
                    yield Need.one(kind, "error", key, why=f"error shown at {where}")
    elif name == "async_abort":
        yield from abort(resolve(kw.get("reason"), "abort reason"))
    elif name == "AbortFlow":
        reason = kw.get("reason", call.args[0] if call.args else None)
        yield from abort(resolve(reason, "abort reason"))
    elif name == "_abort_if_unique_id_configured":
        yield from abort(
            resolve(kw["error"], "abort reason") if "error" in kw else {"already_configured"}
        )
    elif name == "_async_abort_entries_match":
        yield from abort({"already_configured"})
    elif name == "_abort_if_unique_id_mismatch":
        yield from abort(
            resolve(kw["reason"], "abort reason") if "reason" in kw else {"unique_id_mismatch"}
        )
    elif name in {"async_update_reload_and_abort", "async_update_and_abort"}:
        if "reason" in kw:
            yield from abort(resolve(kw["reason"], "abort reason"))
        else:
            method = ctx.func.name if ctx.func is not None else ""
            if "reauth" in method:
                yield from abort({"reauth_successful"})
            elif "reconfigure" in method:
                yield from abort({"reconfigure_successful"})
            else:
                yield from abort({"reauth_successful", "reconfigure_successful"})


def _field_needs(fields: Fields, prefix: tuple[str, ...], where: str) -> Iterator[Need]:
    for name, nested in fields.items():
        if nested is None:
            yield Need.one(*prefix, "data", name, why=f"form field at {where}")
            yield Need.one(*prefix, "data_description", name, why=f"form field at {where}")
        else:
            section = (*prefix, "sections", name)
            yield Need.one(*section, "name", why=f"form section at {where}")
            yield from _field_needs(nested, section, where)


def flow_needs(integration: Integration) -> list[Need]:
    """Translations the config and options flows use."""
    needs: list[Need] = []
    for module, cls, kind in flow_classes(integration):
        for item in cls.body:
            if not isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            ctx = Ctx(module, cls, item)
            for node in ast.walk(item):
                if isinstance(node, ast.Call):
                    needs.extend(_call_needs(integration, node, ctx, kind))
                else:
                    needs.extend(_error_needs(integration, node, ctx, kind))
    flow_module = integration.module("config_flow.py")
    if flow_module is not None:  # helpers outside the classes report errors of the config flow
        for function in top_functions(flow_module.tree).values():
            ctx = Ctx(flow_module, None, function)
            for node in ast.walk(function):
                needs.extend(_error_needs(integration, node, ctx, "config"))
    return needs


def _is_exception_call(call: ast.Call, raised: set[int]) -> bool:
    return id(call) in raised or bool(EXCEPTION_CALL.search(call_name(call.func)))


def _description_keys(call: ast.Call) -> list[str]:
    """Keywords of a call that name further translation keys (``*_translation_key``)."""
    return [k for k in keywords(call) if k.endswith("_translation_key")]


def _from_description(value: ast.expr) -> bool:
    """``self.entity_description.<something>_translation_key``."""
    return (
        isinstance(value, ast.Attribute)
        and value.attr.endswith("translation_key")
        and isinstance(value.value, ast.Attribute)
        and value.value.attr == "entity_description"
    )


def code_translation_keys(
    integration: Integration,
) -> tuple[list[Need], list[tuple[str, str, str]]]:
    """Return the exception/issue needs and the entity keys (platform, key, where) in code."""
    needs: list[Need] = []
    entities: list[tuple[str, str, str]] = []
    platforms = {m.rel for m in integration.platform_modules()}
    for module in integration.all_modules():
        ctx = Ctx(module)
        raised = {
            id(node.exc)
            for node in ast.walk(module.tree)
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
        }
        for node in ast.walk(module.tree):
            keys: set[str] | None
            if isinstance(node, ast.Call) and (
                "translation_key" in keywords(node) or _description_keys(node)
            ):
                kw = keywords(node)
                # An entity description's further keys (``where_translation_key``).
                for extra in _description_keys(node):
                    found = integration.strings(kw[extra], ctx)
                    if found is None:
                        integration.problems.append(
                            f"{ctx.at(node)}: cannot tell the {extra}; use a literal"
                        )
                    elif module.rel in platforms:
                        entities.extend((module.path.stem, k, ctx.at(node)) for k in found)
                if "translation_key" not in kw:
                    continue
                keys = integration.strings(kw["translation_key"], ctx)
                where = ctx.at(node)
                if keys is None:
                    integration.problems.append(
                        f"{where}: cannot tell the translation_key; use a literal or constant"
                    )
                    continue
                name = call_name(node.func)
                if name in ISSUE_CALLS:
                    needs.extend(
                        Need.one("issues", k, "title", why=f"issue at {where}") for k in keys
                    )
                elif _is_exception_call(node, raised):
                    if "translation_domain" not in kw:
                        integration.problems.append(f"{where}: {name} has no translation_domain")
                    needs.extend(
                        Need.one("exceptions", k, "message", why=f"raised at {where}") for k in keys
                    )
                elif module.rel in platforms:
                    entities.extend((module.path.stem, k, where) for k in keys)
            elif module.rel in platforms and isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(call_name(t) == "_attr_translation_key" for t in targets):
                    if node.value is not None and _from_description(node.value):
                        continue  # checked where the description is made
                    keys = integration.strings(node.value, ctx)
                    if keys is None:
                        integration.problems.append(
                            f"{ctx.at(node)}: cannot tell the translation_key; use a literal"
                        )
                        continue
                    entities.extend((module.path.stem, k, ctx.at(node)) for k in keys)
    return needs, entities


def service_definitions(integration: Integration, problems: list[str]) -> dict[str, Any]:
    """Return services.yaml as a mapping (empty when the integration has no services)."""
    path = integration.directory / "services.yaml"
    if not path.exists():
        return {}
    data = read_yaml(path, problems)
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append("services.yaml is not a mapping")
        return {}
    return data


def service_needs(services: dict[str, Any]) -> list[Need]:
    """Translations every service in services.yaml needs."""
    needs: list[Need] = []
    for service, definition in services.items():
        why = f"service {service} in services.yaml"
        needs += [
            Need.one("services", service, "name", why=why),
            Need.one("services", service, "description", why=why),
        ]
        fields = definition.get("fields") if isinstance(definition, dict) else None
        for name, spec in (fields or {}).items():
            members = spec.get("fields") if isinstance(spec, dict) else None
            if isinstance(members, dict):  # a section
                needs.append(Need.one("services", service, "sections", name, "name", why=why))
                names = list(members)
            else:
                names = [name]
            for member in names:
                needs += [
                    Need.one("services", service, "fields", member, "name", why=why),
                    Need.one("services", service, "fields", member, "description", why=why),
                ]
    return needs


# --------------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------------


def missing_integration(root: Path) -> list[str]:
    """A problem when the integration directory does not exist at all."""
    if integration_dir(root).is_dir():
        return []
    return [f"custom_components/{DOMAIN}/ is missing"]


def check_manifest_data(manifest: Any, directory_name: str) -> list[str]:
    """hassfest (custom mode) and HACS rules for manifest.json."""
    if not isinstance(manifest, dict):
        return ["manifest.json is not a JSON object"]
    problems: list[str] = []
    keys = list(manifest)
    first = [k for k in ("domain", "name") if k in manifest]
    if keys != first + sorted(k for k in keys if k not in first):
        problems.append("manifest keys are not ordered domain, name, then alphabetically")
    problems += [f"manifest has unknown key {k!r}" for k in keys if k not in MANIFEST_KEYS]
    problems += [f"manifest lacks {k!r}" for k in MANIFEST_REQUIRED if k not in manifest]

    domain = manifest.get("domain")
    if "domain" in manifest and domain != directory_name:
        problems.append(f"manifest domain {domain!r} is not the directory name {directory_name!r}")
    if "name" in manifest and not (isinstance(manifest["name"], str) and manifest["name"].strip()):
        problems.append("manifest name must be a non-empty string")
    codeowners = manifest.get("codeowners", [])
    if not isinstance(codeowners, list) or not all(
        isinstance(c, str) and re.fullmatch(r"@[\w.-]+(/[\w.-]+)?", c) for c in codeowners
    ):
        problems.append("manifest codeowners must be a list of @github-handles")
    if "config_flow" in manifest and manifest["config_flow"] is not True:
        problems.append("manifest config_flow must be true")
    for key in ("documentation", "issue_tracker"):
        if key not in manifest:
            continue
        url = manifest[key]
        match = HTTPS_URL.fullmatch(url) if isinstance(url, str) else None
        if match is None:
            problems.append(f"manifest {key} must be an https URL")
        elif key == "documentation" and match.group(1).endswith("home-assistant.io"):
            problems.append("manifest documentation must not point at home-assistant.io")
    if "integration_type" in manifest and manifest["integration_type"] not in INTEGRATION_TYPES:
        problems.append(f"manifest integration_type must be one of {sorted(INTEGRATION_TYPES)}")
    if "iot_class" in manifest and manifest["iot_class"] not in {"local_push", "local_polling"}:
        # Homebound talks to cameras on the LAN only; which of the two depends on whether it
        # is told of changes (events) or asks (today's health check).
        problems.append("manifest iot_class must be local ('local_push' or 'local_polling')")
    requirements = manifest.get("requirements", [])
    if not isinstance(requirements, list):
        problems.append("manifest requirements must be a list")
    else:
        for requirement in requirements:
            if not isinstance(requirement, str) or not REQUIREMENT.fullmatch(requirement):
                problems.append(f"requirement {requirement!r} is not pinned with ==")
            elif requirement.lower().startswith("voluptuous"):
                problems.append("voluptuous comes with Home Assistant; do not require it")
    for key in ("loggers", "dependencies", "after_dependencies"):
        value = manifest.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            problems.append(f"manifest {key} must be a list of names")
    if "version" in manifest:
        version = manifest["version"]
        if (
            not isinstance(version, str)
            or AwesomeVersion(version).strategy not in VERSION_STRATEGIES
        ):
            problems.append(f"manifest version {version!r} is not a valid version")
    if "dhcp" in manifest:
        problems += _dhcp_problems(manifest["dhcp"])
    return problems


def _dhcp_problems(dhcp: Any) -> list[str]:
    if not isinstance(dhcp, list) or not dhcp:
        return ["manifest dhcp must be a non-empty list"]
    problems: list[str] = []
    seen: set[str] = set()
    for entry in dhcp:
        if not isinstance(entry, dict) or not entry:
            problems.append(f"dhcp matcher {entry!r} is not a non-empty object")
            continue
        text = json.dumps(entry, sort_keys=True)
        if text in seen:
            problems.append(f"dhcp matcher {text} is listed twice")
        seen.add(text)
        for key, value in entry.items():
            if key == "macaddress":
                ok = (
                    isinstance(value, str)
                    and re.fullmatch(r"[0-9A-F?*]+", value) is not None
                    and len(value.replace("*", "")) <= 12
                )
                if not ok:
                    problems.append(f"dhcp macaddress {value!r} must be an UPPERCASE hex pattern")
            elif key == "hostname":
                if not isinstance(value, str) or value != value.lower():
                    problems.append(f"dhcp hostname {value!r} must be a lowercase pattern")
            elif key == "registered_devices":
                if value is not True:
                    problems.append("dhcp registered_devices must be true")
            else:
                problems.append(f"dhcp matcher has unknown key {key!r}")
    if {"registered_devices": True} not in dhcp:
        problems.append('dhcp lacks {"registered_devices": true} (follow known cameras\' new IPs)')
    return problems


def check_manifest(root: Path) -> list[str]:
    problems: list[str] = []
    directory = integration_dir(root)
    manifest = read_json(directory / "manifest.json", problems)
    if manifest is None:
        return problems
    return check_manifest_data(manifest, directory.name)


def check_dhcp_synced(root: Path) -> list[str]:
    """``python -m devtools.sync_dhcp --check`` must agree with the manifest."""
    manifest = integration_dir(root) / "manifest.json"
    if not manifest.is_file():
        return ["manifest.json is missing"]
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "devtools.sync_dhcp", "--check", "--manifest", str(manifest)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if proc.returncode != 0:
        return [f"sync_dhcp --check failed ({proc.returncode}): {proc.stderr.strip()}"]
    return []


def check_hacs_data(data: Any, installed: str) -> list[str]:
    """hacs.json: the HACS schema (unknown keys fail) and a minimum HA we can run."""
    if not isinstance(data, dict):
        return ["hacs.json is not a JSON object"]
    problems = [f"hacs.json has unknown key {k!r}" for k in data if k not in HACS_KEYS]
    for key, types in HACS_KEYS.items():
        if key in data and not isinstance(data[key], types):
            problems.append(f"hacs.json {key} has the wrong type")
    if not (isinstance(data.get("name"), str) and data["name"].strip()):
        problems.append("hacs.json lacks name")
    if data.get("zip_release") and not data.get("filename"):
        problems.append("hacs.json zip_release needs filename")
    minimum = data.get("homeassistant")
    if not isinstance(minimum, str):
        problems.append("hacs.json lacks homeassistant (the minimum version)")
    elif not AwesomeVersion(minimum).valid:
        problems.append(f"hacs.json homeassistant {minimum!r} is not a version")
    elif AwesomeVersion(minimum) > AwesomeVersion(installed):
        problems.append(f"hacs.json homeassistant {minimum} is newer than the tested {installed}")
    return problems


def check_hacs(root: Path) -> list[str]:
    problems: list[str] = []
    data = read_json(root / "hacs.json", problems)
    return problems if data is None else check_hacs_data(data, ha_const.__version__)


def check_license(root: Path) -> list[str]:
    """HACS's licence check wants an OSI licence GitHub recognises: Apache-2.0 here."""
    path = root / "LICENSE"
    if not path.is_file():
        return ["LICENSE is missing"]
    text = path.read_text(encoding="utf-8")
    problems = []
    if "Apache License" not in text or "Version 2.0, January 2004" not in text:
        problems.append("LICENSE is not the Apache License 2.0")
    if "TERMS AND CONDITIONS FOR USE" not in text:
        problems.append("LICENSE lacks the full terms")
    if "[yyyy]" in text:
        problems.append("LICENSE still has the [yyyy] placeholder")
    return problems


def check_brand(root: Path) -> list[str]:
    """brand/: PNG images of the sizes Home Assistant and HACS expect."""
    directory = integration_dir(root) / "brand"
    problems = [
        f"brand/{name} is missing" for name in BRAND_REQUIRED if not (directory / name).is_file()
    ]
    if not directory.is_dir():
        return problems
    for path in sorted(directory.iterdir()):
        name = path.name
        if name not in BRAND_ICON_SIZES and name not in BRAND_LOGO_SHORT_SIDE:
            problems.append(f"brand/{name} is not a brand image name Home Assistant reads")
            continue
        try:
            with Image.open(path) as image:
                image_format, size, mode = image.format, image.size, image.mode
        except OSError as err:
            problems.append(f"brand/{name} is not an image: {err}")
            continue
        if image_format != "PNG":
            problems.append(f"brand/{name} is {image_format}, not PNG")
        if "A" not in mode:
            problems.append(f"brand/{name} has no transparency ({mode})")
        if name in BRAND_ICON_SIZES:
            side = BRAND_ICON_SIZES[name]
            if size != (side, side):
                problems.append(f"brand/{name} is {size[0]}x{size[1]}, not {side}x{side}")
        else:
            low, high = BRAND_LOGO_SHORT_SIDE[name]
            if not low <= min(size) <= high:
                problems.append(f"brand/{name}: shortest side {min(size)} not in {low}..{high}")
    return problems


def check_translations(root: Path) -> list[str]:
    """translations/en.json covers every string the flows, entities, exceptions, services use."""
    problems: list[str] = []
    integration = Integration(integration_dir(root))
    data = read_json(integration.directory / "translations" / "en.json", problems)
    if data is None:
        return problems
    if not isinstance(data, dict):
        return ["translations/en.json is not a JSON object"]
    problems += [
        f"translations/en.json: {key} uses a [%key:...] reference (core only)"
        for key, value in string_values(data)
        if "[%key:" in value
    ]
    if integration.module("config_flow.py") is None:
        problems.append("config_flow.py is missing")
    needs = flow_needs(integration)
    code_needs, entities = code_translation_keys(integration)
    needs += code_needs
    needs += [
        Need.one("entity", platform, key, "name", why=f"entity at {where}")
        for platform, key, where in entities
    ]
    needs += service_needs(service_definitions(integration, problems))
    problems += unmet(needs, data, "translations/en.json")
    return problems + integration.problems


def check_icons(root: Path) -> list[str]:
    """icons.json has a default icon for every entity translation key and every service."""
    problems: list[str] = []
    integration = Integration(integration_dir(root))
    data = read_json(integration.directory / "icons.json", problems)
    if data is None:
        return problems
    _, entities = code_translation_keys(integration)
    needs = [
        Need.one("entity", platform, key, "default", why=f"entity at {where}")
        for platform, key, where in entities
    ]
    needs += [
        Need(
            (("services", service), ("services", service, "service")),
            f"service {service} in services.yaml",
        )
        for service in service_definitions(integration, problems)
    ]
    return problems + unmet(needs, data, "icons.json") + integration.problems


def check_quality_scale_data(data: Any) -> list[str]:
    """quality_scale.yaml: exactly the 54 rules, each with a valid status."""
    if not isinstance(data, dict) or set(data) != {"rules"} or not isinstance(data["rules"], dict):
        return ["quality_scale.yaml must be a mapping with the single key 'rules'"]
    rules: dict[str, Any] = data["rules"]
    problems = [f"quality_scale.yaml lacks rule {r}" for r in sorted(ALL_RULES - set(rules))]
    problems += [f"quality_scale.yaml has unknown rule {r}" for r in sorted(set(rules) - ALL_RULES)]
    for rule, value in rules.items():
        if isinstance(value, str):
            if value not in {"done", "todo"}:
                problems.append(f"rule {rule}: {value!r} (exempt needs the form with a comment)")
        elif isinstance(value, dict):
            if set(value) - {"status", "comment"}:
                problems.append(
                    f"rule {rule}: unknown keys {sorted(set(value) - {'status', 'comment'})}"
                )
            if value.get("status") not in {"done", "todo", "exempt"}:
                problems.append(f"rule {rule}: status must be done, todo or exempt")
            comment = value.get("comment")
            if not (isinstance(comment, str) and comment.strip()):
                problems.append(f"rule {rule}: the status/comment form needs a comment")
        else:
            problems.append(f"rule {rule}: must be done, todo, or a status/comment mapping")
    return problems


def rule_status(rules: dict[str, Any], rule: str) -> str | None:
    value = rules.get(rule)
    return value.get("status") if isinstance(value, dict) else value


def check_quality_scale_claims(root: Path, rules: dict[str, Any]) -> list[str]:
    """Rules marked done must be visibly done where the code can show it."""
    integration = Integration(integration_dir(root))
    problems: list[str] = []
    flows = flow_classes(integration)
    steps = {
        item.name
        for _, cls, kind in flows
        if kind == "config"
        for item in cls.body
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    init = integration.module("__init__.py")
    diagnostics = integration.module("diagnostics.py")

    def done(rule: str) -> bool:
        return rule_status(rules, rule) == "done"

    if done("reauthentication-flow") and "async_step_reauth" not in steps:
        problems.append(
            "reauthentication-flow is done but the config flow has no async_step_reauth"
        )
    if done("reconfiguration-flow") and "async_step_reconfigure" not in steps:
        problems.append("reconfiguration-flow is done but there is no async_step_reconfigure")
    if done("diagnostics") and (
        diagnostics is None
        or "async_get_config_entry_diagnostics" not in top_functions(diagnostics.tree)
    ):
        problems.append(
            "diagnostics is done but diagnostics.py lacks async_get_config_entry_diagnostics"
        )
    if done("config-entry-unloading") and (
        init is None or "async_unload_entry" not in top_functions(init.tree)
    ):
        problems.append("config-entry-unloading is done but __init__.py lacks async_unload_entry")
    if done("brands") and not (integration.directory / "brand" / "icon.png").is_file():
        problems.append("brands is done but brand/icon.png is missing")
    if done("icon-translations") and not (integration.directory / "icons.json").is_file():
        problems.append("icon-translations is done but icons.json is missing")
    if done("discovery") and not any(
        s.startswith(f"async_step_{k}") for k in DISCOVERY_KEYS for s in steps
    ):
        problems.append("discovery is done but the config flow has no discovery step")
    if done("test-before-setup"):
        refreshes = init is not None and any(
            isinstance(n, ast.Call) and call_name(n.func) == "async_config_entry_first_refresh"
            for n in ast.walk(init.tree)
        )
        raises = any(
            isinstance(n, ast.Raise)
            and n.exc is not None
            and call_name(n.exc.func if isinstance(n.exc, ast.Call) else n.exc) in SETUP_EXCEPTIONS
            for m in integration.top_modules()
            for n in ast.walk(m.tree)
        )
        if not (refreshes or raises):
            problems.append(
                "test-before-setup is done but setup neither refreshes a coordinator nor raises"
                " ConfigEntryNotReady/AuthFailed/Error"
            )
    return problems + integration.problems


def check_quality_scale(root: Path) -> list[str]:
    problems: list[str] = []
    data = read_yaml(integration_dir(root) / "quality_scale.yaml", problems)
    if data is None:
        return problems
    problems += check_quality_scale_data(data)
    if isinstance(data, dict) and isinstance(data.get("rules"), dict):
        problems += check_quality_scale_claims(root, data["rules"])
    return problems


# -- code rules --------------------------------------------------------------------------------


def check_parallel_updates(root: Path) -> list[str]:
    """Every platform module sets PARALLEL_UPDATES at module level."""
    integration = Integration(integration_dir(root))
    platforms = integration.platform_modules()
    if not platforms:
        return ["no entity platform modules (camera.py, binary_sensor.py, ...)"]
    problems = [
        f"{m.rel} does not set PARALLEL_UPDATES at module level"
        for m in platforms
        if not assigns_name(m.tree, "PARALLEL_UPDATES")
    ]
    return problems + integration.problems


def check_runtime_data(root: Path) -> list[str]:
    """async_setup_entry in __init__.py assigns <entry>.runtime_data."""
    integration = Integration(integration_dir(root))
    init = integration.module("__init__.py")
    if init is None:
        return ["__init__.py is missing", *integration.problems]
    setup = top_functions(init.tree).get("async_setup_entry")
    if setup is None or len(setup.args.args) < 2:
        return ["__init__.py has no async_setup_entry(hass, entry)"]
    entry = setup.args.args[1].arg
    for node in ast.walk(setup):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if (
                isinstance(target, ast.Attribute)
                and target.attr == "runtime_data"
                and isinstance(target.value, ast.Name)
                and target.value.id == entry
            ):
                return []
    return [f"async_setup_entry does not assign {entry}.runtime_data"]


def _annotation(arg: ast.arg) -> str:
    if arg.annotation is None:
        return ""
    if isinstance(arg.annotation, ast.Constant) and isinstance(arg.annotation.value, str):
        return arg.annotation.value
    return ast.unparse(arg.annotation)


def check_entry_annotations(root: Path) -> list[str]:
    """Config entry parameters use the typed alias (strict-typing + runtime-data)."""
    if missing := missing_integration(root):
        return missing
    integration = Integration(integration_dir(root))
    problems: list[str] = []
    targets: list[tuple[Module, tuple[str, ...]]] = []
    if integration.module("__init__.py") is None:
        problems.append("__init__.py is missing")
    for rel, names in ENTRY_FUNCTIONS.items():
        module = integration.module(rel)
        if module is not None:
            targets.append((module, names))
    targets += [(m, ("async_setup_entry",)) for m in integration.platform_modules()]
    for module, names in targets:
        functions = top_functions(module.tree)
        for name in names:
            function = functions.get(name)
            if function is None or len(function.args.args) < 2:
                continue
            arg = function.args.args[1]
            if not ENTRY_ANNOTATION.fullmatch(_annotation(arg)):
                problems.append(
                    f"{module.rel}:{function.lineno} {name}: {arg.arg} is annotated"
                    f" {_annotation(arg) or 'nothing'}, not the typed <Name>ConfigEntry"
                )
    for module, cls, kind in flow_classes(integration):
        if kind != "config":
            continue
        for item in cls.body:
            if (
                isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                and item.name == "async_get_options_flow"
            ):
                args = [a for a in item.args.args if a.arg not in {"self", "cls"}]
                if args and not ENTRY_ANNOTATION.fullmatch(_annotation(args[0])):
                    problems.append(
                        f"{module.rel}:{item.lineno} async_get_options_flow: {args[0].arg} is"
                        f" annotated {_annotation(args[0]) or 'nothing'}"
                    )
    return problems + integration.problems


def check_unique_config_entry(root: Path) -> list[str]:
    """The config flow sets a unique id and aborts on duplicates."""
    directory = integration_dir(root)
    manifest = read_json(directory / "manifest.json", [])
    if isinstance(manifest, dict) and manifest.get("single_config_entry"):
        return []
    integration = Integration(directory)
    module = integration.module("config_flow.py")
    if module is None:
        return ["config_flow.py is missing", *integration.problems]
    called = {call_name(n.func) for n in ast.walk(module.tree) if isinstance(n, ast.Call)}
    if "_async_abort_entries_match" in called:
        return []
    return [
        f"config_flow.py never calls {name}"
        for name in ("async_set_unique_id", "_abort_if_unique_id_configured")
        if name not in called
    ]


def check_discovery_steps(root: Path) -> list[str]:
    """Each discovery matcher in the manifest has its async_step_<source> in the config flow."""
    directory = integration_dir(root)
    problems: list[str] = []
    manifest = read_json(directory / "manifest.json", problems)
    if not isinstance(manifest, dict):
        return problems or ["manifest.json is not a JSON object"]
    integration = Integration(directory)
    steps = {
        item.name
        for _, cls, kind in flow_classes(integration)
        if kind == "config"
        for item in cls.body
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    return [
        f"manifest has {key} matchers but the config flow has no async_step_{key}"
        for key in DISCOVERY_KEYS
        if key in manifest and f"async_step_{key}" not in steps
    ] + integration.problems


def check_config_schema(root: Path) -> list[str]:
    """async_setup only together with CONFIG_SCHEMA (hassfest's config_schema check)."""
    integration = Integration(integration_dir(root))
    init = integration.module("__init__.py")
    if init is None:
        return ["__init__.py is missing", *integration.problems]
    if "async_setup" in top_functions(init.tree) and not assigns_name(init.tree, "CONFIG_SCHEMA"):
        return ["__init__.py defines async_setup but no CONFIG_SCHEMA"]
    return []


def check_action_setup(root: Path) -> list[str]:
    """Service actions are registered in async_setup, never in async_setup_entry."""
    if missing := missing_integration(root):
        return missing
    integration = Integration(integration_dir(root))
    modules = [m for m in [integration.module("__init__.py")] if m is not None]
    problems: list[str] = []
    for module in modules + integration.platform_modules():
        setup = top_functions(module.tree).get("async_setup_entry")
        if setup is None:
            continue
        problems.extend(
            f"{module.rel}:{node.lineno} registers a service in async_setup_entry"
            for node in ast.walk(setup)
            if isinstance(node, ast.Call)
            and call_name(node.func) in {"async_register", "async_register_entity_service"}
        )
    return problems + integration.problems


def check_pure_subpackages(root: Path) -> list[str]:
    """device/, events/, firewall/, catalog/ never import Home Assistant or the glue."""
    if missing := missing_integration(root):
        return missing
    integration = Integration(integration_dir(root))
    problems: list[str] = []
    for module in integration.all_modules():
        parts = Path(module.rel).parts
        if len(parts) < 2 or parts[0] not in PURE_SUBPACKAGES:
            continue
        depth = len(parts) - 1  # packages between the integration and the module
        for node in ast.walk(module.tree):
            where = f"{module.rel}:{getattr(node, 'lineno', '?')}"
            imported: list[str] = []
            if isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported = [node.module or ""]
            elif isinstance(node, ast.ImportFrom):
                remaining = depth - (node.level - 1)
                if remaining < 0:
                    problems.append(f"{where} imports from outside the integration")
                elif remaining == 0:
                    heads = (
                        [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
                    )
                    problems += [
                        f"{where} imports the glue module {head!r}"
                        for head in heads
                        if head not in PURE_SUBPACKAGES
                    ]
            elif (
                isinstance(node, ast.Call)
                and call_name(node.func) in {"import_module", "__import__"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                imported = [node.args[0].value]
            problems += [
                f"{where} imports {name}"
                for name in imported
                if name.split(".")[0] in {"homeassistant", "custom_components"}
            ]
    return problems + integration.problems


def _hass_keys(tree: ast.Module) -> set[str]:
    """Module-level names declared as ``NAME: HassKey[...] = ...``."""
    return {
        stmt.target.id
        for stmt in tree.body
        if isinstance(stmt, ast.AnnAssign)
        and isinstance(stmt.target, ast.Name)
        and "HassKey" in ast.unparse(stmt.annotation)
    }


def _typed_key_use(node: ast.Attribute, parents: dict[ast.AST, ast.AST], keys: set[str]) -> bool:
    """Whether ``hass.data`` is indexed (``[KEY]``, ``.get(KEY)``) by a module's HassKey."""
    parent = parents.get(node)
    key: ast.expr | None = None
    if isinstance(parent, ast.Subscript) and parent.value is node:
        key = parent.slice
    elif isinstance(parent, ast.Attribute) and parent.attr in {"get", "setdefault", "pop"}:
        call = parents.get(parent)
        if isinstance(call, ast.Call) and call.func is parent and call.args:
            key = call.args[0]
    return isinstance(key, ast.Name) and key.id in keys


def check_no_hass_data(root: Path) -> list[str]:
    """No hass.data: per-entry state lives in entry.runtime_data.

    Domain-wide state that belongs to no entry (the background camera search) may live in
    hass.data under a typed ``HassKey`` declared in the same module, as Home Assistant does.
    """
    if missing := missing_integration(root):
        return missing
    integration = Integration(integration_dir(root))
    problems: list[str] = []
    for module in integration.all_modules():
        parents = {
            child: parent
            for parent in ast.walk(module.tree)
            for child in ast.iter_child_nodes(parent)
        }
        keys = _hass_keys(module.tree)
        problems.extend(
            f"{module.rel}:{node.lineno} uses hass.data"
            for node in ast.walk(module.tree)
            if isinstance(node, ast.Attribute)
            and node.attr == "data"
            and call_name(node.value) == "hass"
            and not _typed_key_use(node, parents, keys)
        )
    return problems + integration.problems


def repository_files(root: Path) -> list[Path]:
    """Tracked files plus untracked files git does not ignore."""
    git = shutil.which("git")
    assert git is not None, "git is needed for this check"
    proc = subprocess.run(  # noqa: S603
        [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=True,
        timeout=60,
    )
    names = sorted({name for name in proc.stdout.decode().split("\0") if name})
    return [root / name for name in names if (root / name).is_file()]


def check_machine_paths(root: Path, files: Iterable[Path]) -> list[str]:
    """No text file names a path of the machine it was written on."""
    problems = []
    for path in files:
        raw = path.read_bytes()
        if b"\0" in raw:
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        for match in MACHINE_PATH.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"{path.relative_to(root).as_posix()}:{line} has a machine path")
    return problems


def check_no_machine_paths(root: Path) -> list[str]:
    return check_machine_paths(root, repository_files(root))


CHECKS: dict[str, Callable[[Path], list[str]]] = {
    "manifest": check_manifest,
    "dhcp_synced": check_dhcp_synced,
    "hacs": check_hacs,
    "license": check_license,
    "brand": check_brand,
    "translations": check_translations,
    "icons": check_icons,
    "quality_scale": check_quality_scale,
    "parallel_updates": check_parallel_updates,
    "runtime_data": check_runtime_data,
    "entry_annotations": check_entry_annotations,
    "unique_config_entry": check_unique_config_entry,
    "discovery_steps": check_discovery_steps,
    "config_schema": check_config_schema,
    "action_setup": check_action_setup,
    "pure_subpackages": check_pure_subpackages,
    "no_hass_data": check_no_hass_data,
    "machine_paths": check_no_machine_paths,
}


# --------------------------------------------------------------------------------------------
# The repository itself
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CHECKS))
def test_repository(name: str) -> None:
    problems = CHECKS[name](REPO)
    assert problems == [], "\n".join(problems)


def test_rule_list_matches_the_reference() -> None:
    counts = {tier: len(rules) for tier, rules in QUALITY_RULES.items()}
    assert counts == {"bronze": 20, "silver": 10, "gold": 21, "platinum": 3}
    assert len(ALL_RULES) == 54


# --------------------------------------------------------------------------------------------
# A small integration that passes, and ways to break it
# --------------------------------------------------------------------------------------------

FIXTURE_CONST = '''
"""Constants."""
DOMAIN = "homebound"
CONF_STREAM = "stream"
'''

FIXTURE_INIT = '''
"""Set up."""
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from .const import DOMAIN

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
type HomeboundConfigEntry = ConfigEntry[object]


async def async_setup(hass: HomeAssistant, config: dict) -> bool:
    hass.services.async_register(DOMAIN, "block_cloud", lambda call: None)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: HomeboundConfigEntry) -> bool:
    if not entry.data:
        raise ConfigEntryNotReady(translation_domain=DOMAIN, translation_key="not_ready")
    entry.runtime_data = object()
    return True


async def async_unload_entry(hass: HomeAssistant, entry: HomeboundConfigEntry) -> bool:
    return True
'''

FIXTURE_FLOW = '''
"""Config flow."""
import voluptuous as vol
from homeassistant.config_entries import ConfigFlow, OptionsFlowWithReload
from homeassistant.const import CONF_HOST, CONF_PASSWORD
from homeassistant.data_entry_flow import AbortFlow, section
from . import HomeboundConfigEntry
from .const import CONF_STREAM, DOMAIN

USER_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): str,
        vol.Optional(CONF_PASSWORD): str,
        vol.Required("advanced"): section(
            vol.Schema({vol.Optional(CONF_STREAM, default="main"): str}), {"collapsed": True}
        ),
    }
)


def _options_schema(stream: str) -> vol.Schema:
    return vol.Schema({vol.Optional(CONF_STREAM, default=stream): str})


class HomeboundConfigFlow(ConfigFlow, domain=DOMAIN):
    async def async_step_user(self, user_input=None):
        errors: dict[str, str] = {}
        if user_input is not None:
            await self.async_set_unique_id(user_input[CONF_HOST])
            self._abort_if_unique_id_configured()
            info, error = await self._probe(user_input)
            if user_input[CONF_HOST] == "bad":
                errors["base"] = "cannot_connect"
            elif info is None:
                errors["base"] = error
            else:
                return self.async_create_entry(title="x", data=user_input)
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, user_input),
            errors=errors,
        )

    async def async_step_dhcp(self, discovery_info):
        if discovery_info is None:
            raise AbortFlow("not_camera")
        return self.async_show_menu(step_id="pick", menu_options=["user", "probe"])

    async def async_step_probe(self, user_input=None):
        return self.async_show_progress(progress_action="probing", progress_task=None)

    async def async_step_reauth(self, entry_data):
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(self, user_input=None):
        if user_input is not None:
            return self.async_update_reload_and_abort(
                self._get_reauth_entry(), data_updates=user_input
            )
        schema = {}
        schema[vol.Required(CONF_PASSWORD)] = str
        return self.async_show_form(data_schema=vol.Schema(schema))

    async def _probe(self, data):
        try:
            return await connect(data), ""
        except TimeoutError:
            return None, "timeout"

    @staticmethod
    def async_get_options_flow(config_entry: HomeboundConfigEntry):
        return HomeboundOptionsFlow()


class HomeboundOptionsFlow(OptionsFlowWithReload):
    async def async_step_init(self, user_input=None):
        if user_input is not None:
            return self.async_abort(reason="not_supported")
        return self.async_show_form(
            step_id="init", data_schema=_options_schema("main"), errors={"base": "invalid_stream"}
        )
'''

FIXTURE_CAMERA = '''
"""Cameras."""
from homeassistant.components.camera import Camera
from homeassistant.exceptions import HomeAssistantError
from . import HomeboundConfigEntry
from .const import DOMAIN

PARALLEL_UPDATES = 0


async def async_setup_entry(hass, entry: HomeboundConfigEntry, async_add_entities) -> None:
    async_add_entities([HomeboundCamera()])


class HomeboundCamera(Camera):
    _attr_has_entity_name = True
    _attr_translation_key = "main_stream"

    async def async_camera_image(self, width=None, height=None):
        raise HomeAssistantError(translation_domain=DOMAIN, translation_key="snapshot_failed")
'''

FIXTURE_BINARY_SENSOR = '''
"""Motion."""
from homeassistant.components.binary_sensor import BinarySensorEntityDescription
from homeassistant.helpers import issue_registry as ir
from . import HomeboundConfigEntry
from .const import DOMAIN

PARALLEL_UPDATES = 0
DESCRIPTIONS = (BinarySensorEntityDescription(key="motion", translation_key="motion"),)


async def async_setup_entry(hass, entry: HomeboundConfigEntry, async_add_entities) -> None:
    ir.async_create_issue(
        hass, DOMAIN, "blocked", is_fixable=False, severity=ir.IssueSeverity.WARNING,
        translation_key="cloud_blocked",
    )
'''

FIXTURE_DIAGNOSTICS = '''
"""Diagnostics."""
from . import HomeboundConfigEntry


async def async_get_config_entry_diagnostics(hass, entry: HomeboundConfigEntry) -> dict:
    return {}
'''

FIXTURE_DEVICE = '''
"""Talking to a camera."""
import aiohttp
from ..catalog import vendor_for_mac
from .session import Session
'''

FIXTURE_SERVICES = """
block_cloud:
  fields:
    duration:
      selector:
        number:
    advanced:
      collapsed: true
      fields:
        reason:
          selector:
            text:
"""


def _fixture_translations() -> dict[str, Any]:
    def field_text(*names: str) -> dict[str, dict[str, str]]:
        return {
            "data": {n: n.title() for n in names},
            "data_description": {n: f"The {n}." for n in names},
        }

    return {
        "config": {
            "step": {
                "user": {
                    "title": "Add a camera",
                    **field_text("host", "password"),
                    "sections": {"advanced": {"name": "Advanced", **field_text("stream")}},
                },
                "pick": {"title": "Pick", "menu_options": {"user": "By hand", "probe": "Probe"}},
                "probe": {"title": "Probing"},
                "reauth_confirm": {"description": "Password again", **field_text("password")},
            },
            "progress": {"probing": "Looking at the camera..."},
            "error": {"cannot_connect": "Cannot connect", "timeout": "Timed out"},
            "abort": {
                "already_configured": "Already configured",
                "reauth_successful": "Done",
                "reconfigure_successful": "Done",
                "not_camera": "Not a camera",
            },
        },
        "options": {
            "step": {"init": {"title": "Options", **field_text("stream")}},
            "error": {"invalid_stream": "Invalid stream"},
            "abort": {"not_supported": "Not supported"},
        },
        "entity": {
            "camera": {"main_stream": {"name": "Main stream"}},
            "binary_sensor": {"motion": {"name": "Motion"}},
        },
        "exceptions": {
            "not_ready": {"message": "Not ready"},
            "snapshot_failed": {"message": "Snapshot failed"},
        },
        "issues": {"cloud_blocked": {"title": "Blocked", "description": "Blocked."}},
        "services": {
            "block_cloud": {
                "name": "Block cloud",
                "description": "Blocks the cloud.",
                "fields": {
                    "duration": {"name": "Duration", "description": "How long."},
                    "reason": {"name": "Reason", "description": "Why."},
                },
                "sections": {"advanced": {"name": "Advanced"}},
            }
        },
    }


def _fixture_icons() -> dict[str, Any]:
    return {
        "entity": {
            "camera": {"main_stream": {"default": "mdi:cctv"}},
            "binary_sensor": {"motion": {"default": "mdi:motion-sensor"}},
        },
        "services": {"block_cloud": {"service": "mdi:shield-lock"}},
    }


def _fixture_quality_scale() -> str:
    done = {
        "brands",
        "config-entry-unloading",
        "config-flow",
        "diagnostics",
        "discovery",
        "icon-translations",
        "parallel-updates",
        "reauthentication-flow",
        "runtime-data",
        "test-before-setup",
        "unique-config-entry",
    }
    lines = ["rules:"]
    for rules in QUALITY_RULES.values():
        for rule in rules:
            if rule == "docs-triggers":
                lines += [f"  {rule}:", "    status: exempt", "    comment: No triggers."]
            elif rule == "reconfiguration-flow":
                lines += [f"  {rule}:", "    status: todo", "    comment: Next release."]
            else:
                lines.append(f"  {rule}: {'done' if rule in done else 'todo'}")
    return "\n".join(lines) + "\n"


def _fixture_manifest() -> dict[str, Any]:
    return sync_dhcp.synced(
        {
            "domain": DOMAIN,
            "name": "Homebound",
            "codeowners": ["@homebound-dev"],
            "config_flow": True,
            "documentation": "https://github.com/homebound-dev/homebound",
            "integration_type": "device",
            "iot_class": "local_push",
            "issue_tracker": "https://github.com/homebound-dev/homebound/issues",
            "loggers": ["onvif"],
            "requirements": ["onvif-zeep-async==4.3.0"],
            "version": "0.1.0",
        }
    )


def build_fixture(root: Path) -> Path:
    """Write a small conforming repository at ``root``; return the integration directory."""
    directory = integration_dir(root)
    files = {
        "const.py": FIXTURE_CONST,
        "__init__.py": FIXTURE_INIT,
        "config_flow.py": FIXTURE_FLOW,
        "camera.py": FIXTURE_CAMERA,
        "binary_sensor.py": FIXTURE_BINARY_SENSOR,
        "diagnostics.py": FIXTURE_DIAGNOSTICS,
        "device/__init__.py": FIXTURE_DEVICE,
        "device/session.py": '"""Session."""\nimport asyncio\n',
        "catalog/__init__.py": '"""Catalogue."""\n',
        "services.yaml": FIXTURE_SERVICES,
        "quality_scale.yaml": _fixture_quality_scale(),
        "translations/en.json": json.dumps(_fixture_translations(), indent=2) + "\n",
        "icons.json": json.dumps(_fixture_icons(), indent=2) + "\n",
        "manifest.json": sync_dhcp.render(_fixture_manifest()),
    }
    for rel, text in files.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip("\n"), encoding="utf-8")
    brand = directory / "brand"
    brand.mkdir()
    for name, size in (
        ("icon.png", (256, 256)),
        ("icon@2x.png", (512, 512)),
        ("logo.png", (400, 128)),
    ):
        Image.new("RGBA", size, (0, 0, 0, 0)).save(brand / name)
    (root / "hacs.json").write_text(
        '{"name": "Homebound", "homeassistant": "2026.2.0"}\n', encoding="utf-8"
    )
    (root / "LICENSE").write_text(
        "Apache License\nVersion 2.0, January 2004\nTERMS AND CONDITIONS FOR USE\n",
        encoding="utf-8",
    )
    git = shutil.which("git")
    assert git is not None
    subprocess.run([git, "init", "-q"], cwd=root, check=True, timeout=60)  # noqa: S603
    return directory


@pytest.fixture
def fixture_root(tmp_path: Path) -> Path:
    build_fixture(tmp_path)
    return tmp_path


def test_fixture_passes_every_check(fixture_root: Path) -> None:
    problems = {name: check(fixture_root) for name, check in CHECKS.items()}
    assert problems == {name: [] for name in CHECKS}


def _target(root: Path, rel: str) -> Path:
    """A path in the fixture: ``repo:NAME`` at the repository root, else in the integration."""
    if rel.startswith("repo:"):
        return root / rel.removeprefix("repo:")
    return integration_dir(root) / rel


def _replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = _target(root, rel)
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture drifted: {old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _edit_json(rel: str, change: Callable[[Any], None]) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = _target(root, rel)
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

    return edit


def _drop(*path: str) -> Callable[[Any], None]:
    def change(data: Any) -> None:
        for part in path[:-1]:
            data = data[part]
        del data[path[-1]]

    return change


def _set(key: str, value: Any) -> Callable[[Any], None]:
    def change(data: Any) -> None:
        data[key] = value

    return change


def _delete(rel: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        (integration_dir(root) / rel).unlink()

    return edit


def _reorder_manifest(data: dict[str, Any]) -> None:
    name = data.pop("name")
    data["name"] = name


def _write(rel: str, text: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = _target(root, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    return edit


def _brand_image(
    name: str, size: tuple[int, int], mode: str = "RGBA", fmt: str = "PNG"
) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        Image.new(mode, size).save(integration_dir(root) / "brand" / name, format=fmt)

    return edit


T = "translations/en.json"
MACHINE = "/" + "tmp" + "/homebound-build"  # split so this file does not match its own check

BREAKAGES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    # manifest.json
    "manifest key order": (_edit_json("manifest.json", _reorder_manifest), "manifest", "ordered"),
    "manifest unknown key": (
        _edit_json("manifest.json", _set("zzz", 1)),
        "manifest",
        "unknown key",
    ),
    "manifest no version": (_edit_json("manifest.json", _drop("version")), "manifest", "'version'"),
    "manifest bad version": (
        _edit_json("manifest.json", _set("version", "one")),
        "manifest",
        "not a valid version",
    ),
    "manifest iot_class": (
        _edit_json("manifest.json", _set("iot_class", "cloud_polling")),
        "manifest",
        "iot_class",
    ),
    "manifest unpinned": (
        _edit_json("manifest.json", _set("requirements", ["onvif-zeep-async>=4"])),
        "manifest",
        "pinned",
    ),
    "manifest docs url": (
        _edit_json(
            "manifest.json", _set("documentation", "https://www.home-assistant.io/integrations/x")
        ),
        "manifest",
        "home-assistant.io",
    ),
    "manifest http url": (
        _edit_json("manifest.json", _set("issue_tracker", "http://example.com")),
        "manifest",
        "https",
    ),
    "manifest domain": (
        _edit_json("manifest.json", _set("domain", "other")),
        "manifest",
        "directory name",
    ),
    "manifest config_flow": (
        _edit_json("manifest.json", _set("config_flow", False)),
        "manifest",
        "config_flow",
    ),
    "manifest codeowners": (
        _edit_json("manifest.json", _set("codeowners", "@me")),
        "manifest",
        "codeowners",
    ),
    "manifest integration_type": (
        _edit_json("manifest.json", _set("integration_type", "helper")),
        "manifest",
        "integration_type",
    ),
    "manifest no loggers": (_edit_json("manifest.json", _drop("loggers")), "manifest", "'loggers'"),
    "manifest lowercase mac": (
        _edit_json("manifest.json", lambda d: d["dhcp"].append({"macaddress": "ec71db*"})),
        "manifest",
        "UPPERCASE",
    ),
    "manifest dhcp unknown key": (
        _edit_json("manifest.json", lambda d: d["dhcp"].append({"ip": "x"})),
        "manifest",
        "unknown key 'ip'",
    ),
    "manifest no registered_devices": (
        _edit_json("manifest.json", lambda d: d["dhcp"].pop(0)),
        "manifest",
        "registered_devices",
    ),
    "manifest invalid json": (_write("manifest.json", "{"), "manifest", "not valid JSON"),
    # sync_dhcp
    "dhcp out of sync": (
        _edit_json("manifest.json", lambda d: d["dhcp"].pop()),
        "dhcp_synced",
        "differs",
    ),
    "dhcp missing manifest": (_delete("manifest.json"), "dhcp_synced", "missing"),
    # hacs.json
    "hacs unknown key": (
        _edit_json("repo:hacs.json", _set("domains", ["camera"])),
        "hacs",
        "unknown key",
    ),
    "hacs no name": (_edit_json("repo:hacs.json", _drop("name")), "hacs", "lacks name"),
    "hacs too new": (
        _edit_json("repo:hacs.json", _set("homeassistant", "2099.1.0")),
        "hacs",
        "newer",
    ),
    "hacs zip": (_edit_json("repo:hacs.json", _set("zip_release", True)), "hacs", "filename"),
    "hacs wrong type": (
        _edit_json("repo:hacs.json", _set("render_readme", "yes")),
        "hacs",
        "wrong type",
    ),
    # LICENSE
    "license placeholder": (
        _replace("repo:LICENSE", "Apache", "Apache [yyyy]"),
        "license",
        "placeholder",
    ),
    "license not apache": (
        _replace("repo:LICENSE", "Apache License", "MIT License"),
        "license",
        "not the Apache",
    ),
    # brand/
    "brand icon size": (_brand_image("icon.png", (200, 200)), "brand", "not 256x256"),
    "brand icon@2x missing": (
        lambda r: (integration_dir(r) / "brand" / "icon@2x.png").unlink(),
        "brand",
        "missing",
    ),
    "brand not png": (_brand_image("icon.png", (256, 256), "RGB", "JPEG"), "brand", "not PNG"),
    "brand opaque": (_brand_image("icon.png", (256, 256), "RGB"), "brand", "transparency"),
    "brand logo size": (_brand_image("logo.png", (400, 64)), "brand", "shortest side"),
    "brand stray file": (_brand_image("favicon.png", (32, 32)), "brand", "not a brand image"),
    # translations/en.json: config flow
    "no step": (
        _edit_json(T, _drop("config", "step", "user")),
        "translations",
        "config.step.user.title",
    ),
    "no field label": (
        _edit_json(T, _drop("config", "step", "user", "data", "host")),
        "translations",
        "config.step.user.data.host",
    ),
    "no field description": (
        _edit_json(T, _drop("config", "step", "user", "data_description", "password")),
        "translations",
        "config.step.user.data_description.password",
    ),
    "no section name": (
        _edit_json(T, _drop("config", "step", "user", "sections", "advanced", "name")),
        "translations",
        "sections.advanced.name",
    ),
    "no section field": (
        _edit_json(T, _drop("config", "step", "user", "sections", "advanced", "data", "stream")),
        "translations",
        "sections.advanced.data.stream",
    ),
    "no default-step field": (
        _edit_json(T, _drop("config", "step", "reauth_confirm", "data", "password")),
        "translations",
        "config.step.reauth_confirm.data.password",
    ),
    "no error": (
        _edit_json(T, _drop("config", "error", "cannot_connect")),
        "translations",
        "config.error.cannot_connect",
    ),
    "no error from helper": (
        _edit_json(T, _drop("config", "error", "timeout")),
        "translations",
        "config.error.timeout",
    ),
    "unreadable helper error": (
        _replace("config_flow.py", 'return None, "timeout"', "return None, str(data)"),
        "translations",
        "cannot tell which error key",
    ),
    "no implied abort": (
        _edit_json(T, _drop("config", "abort", "already_configured")),
        "translations",
        "config.abort.already_configured",
    ),
    "no reauth abort": (
        _edit_json(T, _drop("config", "abort", "reauth_successful")),
        "translations",
        "reauth_successful",
    ),
    "no AbortFlow reason": (
        _edit_json(T, _drop("config", "abort", "not_camera")),
        "translations",
        "config.abort.not_camera",
    ),
    "no menu option": (
        _edit_json(T, _drop("config", "step", "pick", "menu_options", "probe")),
        "translations",
        "menu_options.probe",
    ),
    "no progress": (
        _edit_json(T, _drop("config", "progress", "probing")),
        "translations",
        "config.progress.probing",
    ),
    "no progress step": (
        _edit_json(T, _drop("config", "step", "probe")),
        "translations",
        "config.step.probe.title",
    ),
    # translations/en.json: options flow, exceptions, entities, issues, services
    "no options field": (
        _edit_json(T, _drop("options", "step", "init", "data", "stream")),
        "translations",
        "options.step.init.data.stream",
    ),
    "no options error": (
        _edit_json(T, _drop("options", "error", "invalid_stream")),
        "translations",
        "options.error.invalid_stream",
    ),
    "no options abort": (
        _edit_json(T, _drop("options", "abort", "not_supported")),
        "translations",
        "options.abort.not_supported",
    ),
    "no exception": (
        _edit_json(T, _drop("exceptions", "snapshot_failed")),
        "translations",
        "exceptions.snapshot_failed.message",
    ),
    "no setup exception": (
        _edit_json(T, _drop("exceptions", "not_ready")),
        "translations",
        "exceptions.not_ready.message",
    ),
    "no entity attr name": (
        _edit_json(T, _drop("entity", "camera")),
        "translations",
        "entity.camera.main_stream.name",
    ),
    "no entity description name": (
        _edit_json(T, _drop("entity", "binary_sensor", "motion", "name")),
        "translations",
        "entity.binary_sensor.motion.name",
    ),
    "no issue": (
        _edit_json(T, _drop("issues", "cloud_blocked")),
        "translations",
        "issues.cloud_blocked.title",
    ),
    "no service field": (
        _edit_json(T, _drop("services", "block_cloud", "fields", "reason")),
        "translations",
        "services.block_cloud.fields.reason.name",
    ),
    "no service section": (
        _edit_json(T, _drop("services", "block_cloud", "sections")),
        "translations",
        "services.block_cloud.sections.advanced.name",
    ),
    "key reference": (
        _edit_json(
            T, lambda d: d["config"]["abort"].update(x="[%key:common::config_flow::abort::x%]")
        ),
        "translations",
        "[%key:",
    ),
    "en.json invalid": (_write(T, "{"), "translations", "not valid JSON"),
    "unreadable step id": (
        _replace("config_flow.py", 'step_id="user"', "step_id=self.pick()"),
        "translations",
        "cannot tell the step_id",
    ),
    "unreadable schema": (
        _replace("config_flow.py", "data_schema=_options_schema", "data_schema=self.schema_for"),
        "translations",
        "cannot read the form fields",
    ),
    "unreadable error": (
        _replace(
            "config_flow.py",
            'errors["base"] = "cannot_connect"',
            'errors["base"] = str(user_input)',
        ),
        "translations",
        "cannot tell which error key",
    ),
    "exception without domain": (
        _replace("camera.py", "translation_domain=DOMAIN, ", ""),
        "translations",
        "no translation_domain",
    ),
    # icons.json
    "no entity icon": (
        _edit_json("icons.json", _drop("entity", "binary_sensor")),
        "icons",
        "entity.binary_sensor.motion.default",
    ),
    "no service icon": (
        _edit_json("icons.json", _drop("services", "block_cloud")),
        "icons",
        "services.block_cloud",
    ),
    "icons missing": (_delete("icons.json"), "icons", "icons.json is missing"),
    # quality_scale.yaml
    "rule missing": (
        _replace("quality_scale.yaml", "  stale-devices: todo\n", ""),
        "quality_scale",
        "lacks rule stale-devices",
    ),
    "rule unknown": (
        _replace("quality_scale.yaml", "rules:\n", "rules:\n  docs-everything: done\n"),
        "quality_scale",
        "unknown rule",
    ),
    "rule repeated": (
        _replace("quality_scale.yaml", "rules:\n", "rules:\n  stale-devices: done\n"),
        "quality_scale",
        "repeated key",
    ),
    "rule bare exempt": (
        _replace("quality_scale.yaml", "stale-devices: todo", "stale-devices: exempt"),
        "quality_scale",
        "exempt needs",
    ),
    "rule exempt no comment": (
        _replace("quality_scale.yaml", "    comment: No triggers.\n", ""),
        "quality_scale",
        "needs a comment",
    ),
    "rule dict no comment": (
        _replace("quality_scale.yaml", "    comment: Next release.\n", ""),
        "quality_scale",
        "needs a comment",
    ),
    "rule bad status": (
        _replace("quality_scale.yaml", "status: todo", "status: later"),
        "quality_scale",
        "status must be",
    ),
    "rule false claim": (
        _replace(
            "quality_scale.yaml",
            "    status: todo\n    comment: Next release.",
            "    status: done\n    comment: Yes.",
        ),
        "quality_scale",
        "async_step_reconfigure",
    ),
    "rule claim no diagnostics": (
        _delete("diagnostics.py"),
        "quality_scale",
        "diagnostics is done",
    ),
    "rule claim setup test": (
        _replace("__init__.py", "raise ConfigEntryNotReady(", "return ConfigEntryNotReady("),
        "quality_scale",
        "test-before-setup",
    ),
    # code rules
    "no PARALLEL_UPDATES": (
        _replace("camera.py", "PARALLEL_UPDATES = 0", "UPDATES = 0"),
        "parallel_updates",
        "camera.py",
    ),
    "PARALLEL_UPDATES in a function": (
        _replace(
            "binary_sensor.py", "PARALLEL_UPDATES = 0\n", "def f():\n    PARALLEL_UPDATES = 0\n"
        ),
        "parallel_updates",
        "binary_sensor.py",
    ),
    "no runtime_data": (
        _replace("__init__.py", "entry.runtime_data = object()", "entry.other = object()"),
        "runtime_data",
        "runtime_data",
    ),
    "runtime_data elsewhere": (
        _replace("__init__.py", "entry.runtime_data = object()", "hass.runtime_data = object()"),
        "runtime_data",
        "runtime_data",
    ),
    "bare ConfigEntry": (
        _replace(
            "__init__.py",
            "async_unload_entry(hass: HomeAssistant, entry: HomeboundConfigEntry)",
            "async_unload_entry(hass: HomeAssistant, entry: ConfigEntry)",
        ),
        "entry_annotations",
        "async_unload_entry",
    ),
    "platform entry unannotated": (
        _replace("camera.py", "entry: HomeboundConfigEntry", "entry"),
        "entry_annotations",
        "camera.py",
    ),
    "options flow entry": (
        _replace(
            "config_flow.py", "config_entry: HomeboundConfigEntry", "config_entry: ConfigEntry"
        ),
        "entry_annotations",
        "async_get_options_flow",
    ),
    "no unique id abort": (
        _replace("config_flow.py", "self._abort_if_unique_id_configured()", "pass"),
        "unique_config_entry",
        "_abort_if_unique_id_configured",
    ),
    "no unique id": (
        _replace("config_flow.py", "await self.async_set_unique_id(user_input[CONF_HOST])", "pass"),
        "unique_config_entry",
        "async_set_unique_id",
    ),
    "no dhcp step": (
        _replace("config_flow.py", "async_step_dhcp", "async_step_discovered"),
        "discovery_steps",
        "async_step_dhcp",
    ),
    "async_setup without schema": (
        _replace("__init__.py", "CONFIG_SCHEMA =", "SCHEMA ="),
        "config_schema",
        "CONFIG_SCHEMA",
    ),
    "service in setup_entry": (
        _replace(
            "__init__.py",
            "    entry.runtime_data = object()\n",
            "    entry.runtime_data = object()\n"
            '    hass.services.async_register(DOMAIN, "x", None)\n',
        ),
        "action_setup",
        "async_setup_entry",
    ),
    "subpackage imports HA": (
        _replace(
            "device/session.py", "import asyncio", "from homeassistant.core import HomeAssistant"
        ),
        "pure_subpackages",
        "imports homeassistant.core",
    ),
    "subpackage plain import HA": (
        _replace("device/session.py", "import asyncio", "import homeassistant"),
        "pure_subpackages",
        "imports homeassistant",
    ),
    "subpackage imports glue": (
        _replace("device/__init__.py", "from ..catalog import", "from ..const import"),
        "pure_subpackages",
        "glue module 'const'",
    ),
    "subpackage imports parent": (
        _replace(
            "device/__init__.py", "from ..catalog import vendor_for_mac", "from .. import const"
        ),
        "pure_subpackages",
        "glue module 'const'",
    ),
    "subpackage escapes": (
        _replace("device/__init__.py", "from ..catalog import", "from ...other import"),
        "pure_subpackages",
        "outside the integration",
    ),
    "subpackage dynamic import": (
        _replace(
            "device/session.py",
            "import asyncio",
            'import importlib\nimportlib.import_module("homeassistant.const")',
        ),
        "pure_subpackages",
        "imports homeassistant.const",
    ),
    "subpackage absolute glue": (
        _replace(
            "device/session.py", "import asyncio", "from custom_components.homebound import const"
        ),
        "pure_subpackages",
        "custom_components.homebound",
    ),
    "hass.data": (
        _replace(
            "__init__.py",
            "    entry.runtime_data = object()\n",
            "    entry.runtime_data = object()\n    hass.data[DOMAIN] = 1\n",
        ),
        "no_hass_data",
        "hass.data",
    ),
    "self.hass.data": (
        _replace(
            "camera.py",
            "        raise HomeAssistantError",
            "        self.hass.data.setdefault(DOMAIN, {})\n        raise HomeAssistantError",
        ),
        "no_hass_data",
        "camera.py",
    ),
    "machine path in code": (
        _replace("const.py", 'CONF_STREAM = "stream"', f'CACHE = "{MACHINE}"'),
        "machine_paths",
        "const.py:3",
    ),
    "machine path in untracked file": (
        _write("repo:notes.md", f"built in {MACHINE}\n"),
        "machine_paths",
        "notes.md:1",
    ),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_each_check_can_fail(fixture_root: Path, breakage: str) -> None:
    edit, check, expected = BREAKAGES[breakage]
    edit(fixture_root)
    problems = CHECKS[check](fixture_root)
    assert any(expected in p for p in problems), problems


def test_machine_path_check_ignores_ignored_and_binary_files(fixture_root: Path) -> None:
    (fixture_root / ".gitignore").write_text("build/\n", encoding="utf-8")
    (fixture_root / "build").mkdir()
    (fixture_root / "build" / "log.txt").write_text(MACHINE, encoding="utf-8")
    (fixture_root / "blob.bin").write_bytes(b"\0" + MACHINE.encode())
    (fixture_root / "url.md").write_text(f"https://example.com{MACHINE}\n", encoding="utf-8")
    assert check_no_machine_paths(fixture_root) == []


def test_missing_integration_fails_every_integration_check(tmp_path: Path) -> None:
    for name, check in CHECKS.items():
        if name in {"hacs", "license", "machine_paths"}:
            continue
        assert check(tmp_path), name


# --------------------------------------------------------------------------------------------
# devtools.sync_dhcp
# --------------------------------------------------------------------------------------------


def test_expected_dhcp_lists_registered_devices_then_every_prefix() -> None:
    dhcp = sync_dhcp.expected_dhcp()
    assert dhcp[0] == {"registered_devices": True}
    patterns = [entry["macaddress"] for entry in dhcp[1:]]
    assert patterns == sorted(patterns)
    assert all(re.fullmatch(r"[0-9A-F]{6}\*", p) for p in patterns)
    assert "EC71DB*" in patterns


def test_sync_rewrites_and_check_detects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(
        json.dumps({"version": "0.1.0", "name": "Homebound", "dhcp": [], "domain": DOMAIN}),
        encoding="utf-8",
    )
    assert sync_dhcp.main(["--check", "--manifest", str(path)]) == 1
    assert sync_dhcp.main(["--manifest", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert text.startswith('{\n  "domain": "homebound",\n  "name": "Homebound",\n  "dhcp": [\n')
    data = json.loads(text)
    assert list(data) == ["domain", "name", "dhcp", "version"]
    assert data["dhcp"] == sync_dhcp.expected_dhcp()
    assert sync_dhcp.main(["--check", "--manifest", str(path)]) == 0
    assert sync_dhcp.main(["--manifest", str(path)]) == 0  # idempotent
    assert path.read_text(encoding="utf-8") == text
    assert "up to date" in capsys.readouterr().out


def test_sync_creates_nothing_without_a_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "manifest.json"
    assert sync_dhcp.main(["--manifest", str(path)]) == 0
    assert sync_dhcp.main(["--check", "--manifest", str(path)]) == 1
    assert not path.exists()
    assert "not found" in capsys.readouterr().err


def test_brand_icons_are_the_drawn_ones() -> None:
    """The committed icons are what devtools/make_brand.py draws (rerun it after a change).

    Logos are only measured: their text depends on the fonts of the machine that drew them.
    """
    for prefix, palette in (("", make_brand.LIGHT), ("dark_", make_brand.DARK)):
        for suffix, side in (("", 256), ("@2x", 512)):
            drawn = make_brand.draw_icon(side, palette)
            with Image.open(integration_dir(REPO) / "brand" / f"{prefix}icon{suffix}.png") as icon:
                assert icon.convert("RGBA").tobytes() == drawn.tobytes(), f"{prefix}icon{suffix}"
            with Image.open(integration_dir(REPO) / "brand" / f"{prefix}logo{suffix}.png") as logo:
                assert logo.height == side // 2
                assert logo.width > 3 * logo.height


def test_deprecation_guard_catches_reports_about_homebound() -> None:
    """The autouse guard fails on Home Assistant's report of Homebound's deprecated API use."""
    import logging

    from .conftest import deprecations_about_homebound

    def record(name: str, message: str, level: int = logging.WARNING) -> logging.LogRecord:
        return logging.LogRecord(name, level, __file__, 1, message, None, None)

    reported = record(
        "homeassistant.helpers.frame",
        "Detected that custom integration 'homebound' calls async_get_device at "
        "custom_components/homebound/__init__.py, line 3: ... This will stop working in 2027.8",
    )
    assert deprecations_about_homebound(
        [
            reported,
            record("homeassistant.helpers.frame", "Detected that custom integration 'other' ..."),
            record("homeassistant.helpers.frame", "homebound", logging.DEBUG),
            record("custom_components.homebound", "Camera 127.0.0.1 is unavailable"),
        ]
    ) == [reported.getMessage()]
