"""Conformance: what hassfest and HACS cannot check for Homebound here, and the house rules.

hassfest validates a custom integration's manifest and the shape of en.json, icons.json and
services.yaml; for a custom integration it skips the quality scale (``validate_iqs_file``
returns early) and services' texts and icons, and it never compares en.json with the code. It is
neither in the homeassistant wheel nor on PyPI: ``.github/workflows/validate.yml`` runs it and
HACS's action where the repository is hosted. Here:

- translations: every test checks the keys its code uses at run time (``keys_in_use.py``);
  this module adds the keys written at a key position (code no test runs), the other direction
  (every en.json key is named by a string of the code), icons, services as Home Assistant loads
  them, and no ``[%key:`` reference (those resolve for core integrations only);
- quality_scale.yaml: the rules the installed Home Assistant's core integrations name, valid
  statuses, and for a ``done`` claim the evidence the code can show (``EVIDENCE``);
- house rules: device/, events/, firewall/, catalog/ free of Home Assistant and of the glue, no
  machine paths, manifest and hacs.json, DHCP matchers in step with the catalogue, brand images.

Names in the code are resolved by importing the integration, not by a reader of our own.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
import importlib
import importlib.metadata
import inspect
import json
from pathlib import Path
import re
import subprocess
import sys
from types import ModuleType
from typing import Any

from awesomeversion import AwesomeVersion
from homeassistant import components
from homeassistant.config_entries import DISCOVERY_SOURCES, ConfigFlow
from homeassistant.const import Platform, __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.icon import async_get_icons
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
from homeassistant.util.hass_dict import HassKey
import pytest
import yaml  # type: ignore[import-untyped]

from devtools import sync_dhcp

from .keys_in_use import EN, KeysInUse, lookup

DOMAIN = "homebound"
REPO = Path(__file__).resolve().parents[1]
INTEGRATION = REPO / "custom_components" / DOMAIN
PLATFORMS = frozenset(platform.value for platform in Platform)
PURE = ("device", "events", "firewall", "catalog")
# Written in two pieces so that this file does not match it.
MACHINE_PATH = re.compile(r"(^|[^\w.~-])(/(tmp|root|work|farm)/\S|/" r"home/[^/\s]+/)", re.M)
# Where Home Assistant takes a key, by the section of en.json that must hold it.
STEPS = {"async_show_form", "async_show_menu", "async_show_progress", "async_external_step"}
ABORTS = {"async_abort", "AbortFlow", "async_update_reload_and_abort"}
KEYWORDS = {"reason": ("abort", ABORTS), "step_id": ("step", STEPS)}
KEYWORDS |= {"progress_action": ("progress", STEPS), "errors": ("error", STEPS)}
SECTIONS = {"abort", "error", "step", "progress", "exceptions", "issues", "selector", "entity"}
# Abort reasons that Home Assistant's flow helpers give by themselves.
IMPLIED_ABORTS = [
    ("async_set_unique_id", "already_in_progress"),
    ("_abort_if_unique_id_configured", "already_configured"),
    ("_async_abort_entries_match", "already_configured"),
    ("_abort_if_unique_id_mismatch", "unique_id_mismatch"),
    ("async_update_reload_and_abort", "reauth_successful"),
    ("async_update_reload_and_abort", "reconfigure_successful"),
]
# Words of en.json's structure; every other key there names something of the code.
STRUCTURE = {"config", "options", "step", "title", "description", "data", "data_description"}
STRUCTURE |= {"menu_options", "sections", "name", "error", "abort", "progress", "flow_title"}
STRUCTURE |= {"fix_flow", "message", "exceptions", "issues", "entity", "selector", "state"}
STRUCTURE |= {"device_automation", "trigger_type", "trigger_subtype", "state_attributes"}
STRUCTURE |= {"create_entry"}


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def call_name(node: ast.AST | None) -> str:
    """``f`` for ``f(...)`` and ``a.b.f(...)``."""
    return node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")


def kwargs(call: ast.Call) -> dict[str, ast.expr]:
    return {kw.arg: kw.value for kw in call.keywords if kw.arg is not None}


@dataclass
class Code:
    """An integration's modules, parsed, and imported (``package``) to resolve their names."""

    directory: Path
    package: str
    trees: dict[str, ast.Module] = field(init=False)

    def __post_init__(self) -> None:
        self.trees = {
            path.relative_to(self.directory).as_posix(): ast.parse(path.read_bytes())
            for path in sorted(self.directory.rglob("*.py"))
        }

    def nodes(self) -> Iterator[tuple[str, ast.AST]]:
        for rel, tree in self.trees.items():
            for node in ast.walk(tree):
                yield f"{rel}:{getattr(node, 'lineno', 0)}", node

    def module(self, rel: str) -> ModuleType | None:
        if rel not in self.trees:
            return None
        dotted = rel.removesuffix(".py").removesuffix("__init__").strip("/").replace("/", ".")
        return importlib.import_module(".".join(filter(None, (self.package, dotted))))

    def resolve(self, where: str, node: ast.expr) -> object:
        """What a name (``X``, ``a.X``) in module ``where`` is bound to, or None."""
        if isinstance(node, ast.Attribute):
            return getattr(self.resolve(where, node.value), node.attr, None)
        module = self.module(where.partition(":")[0])
        return getattr(module, node.id, None) if isinstance(node, ast.Name) else None

    def config_flow(self) -> type[ConfigFlow]:
        module = self.module("config_flow.py")
        found = [c for _, c in inspect.getmembers(module, inspect.isclass)]
        name = getattr(module, "__name__", "")
        mine = [c for c in found if issubclass(c, ConfigFlow) and c.__module__ == name]
        return mine[0] if mine else ConfigFlow

    def calls(self, *names: str) -> list[tuple[str, ast.Call]]:
        return [
            (at, n)
            for at, n in self.nodes()
            if isinstance(n, ast.Call) and call_name(n.func) in names
        ]


# -- translations ---------------------------------------------------------------------------------


def literal_keys(code: Code) -> Iterator[tuple[str, str, str]]:
    """(where, section, key) for every key written as a literal where Home Assistant takes one."""
    for at, node in code.nodes():
        found: list[tuple[str, ast.expr]] = []
        if isinstance(node, ast.Call):
            name = call_name(node.func)
            for keyword, value in kwargs(node).items():
                if keyword.endswith("translation_key"):
                    section = (
                        "entity"
                        if keyword != "translation_key" or name.endswith("Description")
                        else "exceptions"
                    )
                    section = "issues" if name.endswith("create_issue") else section
                    section = "selector" if name.endswith("SelectorConfig") else section
                    found.append((section, value))
                elif keyword in KEYWORDS and name in KEYWORDS[keyword][1]:
                    values = value.values if isinstance(value, ast.Dict) else [value]
                    found += [(KEYWORDS[keyword][0], v) for v in values]
            if name in ABORTS and node.args:
                found.append(("abort", node.args[0]))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if call_name(target) == "_attr_translation_key":
                    found.append(("entity", node.value))
                elif isinstance(target, ast.Subscript) and call_name(target.value) == "errors":
                    found.append(("error", node.value))
        for section, value in found:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                yield at, section, value.value


def en_keys(tree: Any, parent: str = "") -> set[tuple[str, str]]:
    """(section, key) of every key en.json holds in a section (``entity``: below a platform)."""
    found: set[tuple[str, str]] = set()
    for key, value in tree.items() if isinstance(tree, dict) else ():
        if parent in SECTIONS - {"entity"}:
            found.add((parent, key))
        if parent == "entity":
            found |= {("entity", name) for name in value}
        found |= en_keys(value, key)
    return found


def missing_translations(code: Code, en: Any) -> list[str]:
    known = en_keys(en)
    problems = [
        f"{at}: en.json has no {section} {key!r}"
        for at, section, key in literal_keys(code)
        if (section, key) not in known
    ]
    references = "[%key:" in json.dumps(en)  # they resolve for core integrations only
    return problems + (["en.json holds a [%key:...] reference"] if references else [])


def unused_translations(code: Code, en: Any) -> list[str]:
    """en.json keys that no string of the code names: text nothing can show."""
    bare = {id(n.value) for _, n in code.nodes() if isinstance(n, ast.Expr)}  # docstrings
    used = {
        n.value
        for _, n in code.nodes()
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in bare
    }
    used |= {
        n.name.removeprefix("async_step_")
        for _, n in code.nodes()
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    used |= {reason for name, reason in IMPLIED_ABORTS if code.calls(name)}

    def named(tree: Any, path: str = "") -> Iterator[tuple[str, str]]:
        for key, value in tree.items() if isinstance(tree, dict) and path != ".services" else ():
            if key not in STRUCTURE and key not in PLATFORMS:
                yield path, key
            yield from named(value, f"{path}.{key}")

    return [f"en.json{at}.{key} is never used" for at, key in named(en) if key not in used]


def missing_icons(en: Any, icons: Any) -> list[str]:
    """Every entity key has a default icon, and icons.json names no entity en.json lacks."""
    problems = [
        f"icons.json lacks entity.{platform}.{key}.default"
        for platform, items in en.get("entity", {}).items()
        for key in items
        if lookup(icons, f"entity.{platform}.{key}.default") is None
    ]
    return problems + [
        f"icons.json: entity.{platform}.{key} is not in en.json"
        for platform, items in icons.get("entity", {}).items()
        for key in items
        if lookup(en, f"entity.{platform}.{key}") is None
    ]


@pytest.fixture(scope="module")
def code() -> Code:
    return Code(INTEGRATION, f"custom_components.{DOMAIN}")


def test_translations_match_the_code(code: Code) -> None:
    en = read_json(INTEGRATION / EN)
    problems = missing_translations(code, en) + unused_translations(code, en)
    problems += missing_icons(en, read_json(INTEGRATION / "icons.json"))
    assert problems == [], "\n".join(problems)


async def test_services_as_home_assistant_loads_them(hass: HomeAssistant) -> None:
    """services.yaml through Home Assistant's own schema, with its translations and icons."""
    assert await async_setup_component(hass, DOMAIN, {})
    described = yaml.safe_load((INTEGRATION / "services.yaml").read_text(encoding="utf-8"))
    loaded = (await async_get_all_descriptions(hass))[DOMAIN]
    assert set(loaded) == set(described)  # registered by the code == described in services.yaml
    strings = await async_get_translations(hass, "en", "services", [DOMAIN])
    icons = (await async_get_icons(hass, "services", [DOMAIN]))[DOMAIN]
    for service, spec in described.items():
        assert all(loaded[service].get(item) for item in spec or {}), f"{service}: schema refused"
        names = [f"{service}.{item}" for item in ("name", "description")]
        for name, field_spec in (spec or {}).get("fields", {}).items():
            assert "fields" not in field_spec, "a section: check its name here too"
            names += [f"{service}.fields.{name}.{item}" for item in ("name", "description")]
        assert [n for n in names if not strings.get(f"component.{DOMAIN}.services.{n}")] == []
        assert service in icons
    assert set(read_json(INTEGRATION / EN).get("services", {})) <= set(described)


# -- quality_scale.yaml -------------------------------------------------------------------------


def known_rules() -> set[str]:
    """The rules that the quality_scale.yaml files of the installed core integrations name."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return {
        rule
        for path in Path(components.__file__).parent.glob("*/quality_scale.yaml")
        for rule in yaml.load(path.read_bytes(), Loader=loader)["rules"]  # noqa: S506
    }


def rule_problems(data: Any, known: set[str], newest: bool) -> list[str]:
    """Every known rule, valid statuses; on the newest leg, no rule it does not know."""
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, dict) or set(data) != {"rules"}:
        return ["quality_scale.yaml must be a mapping with the single key 'rules'"]
    problems = [f"lacks rule {rule}" for rule in sorted(known - set(rules))]
    if newest:  # an older Home Assistant cannot know the newer rules
        problems += [f"unknown rule {rule}" for rule in sorted(set(rules) - known)]
    for rule, value in rules.items():
        status = value.get("status") if isinstance(value, dict) else value
        if isinstance(value, dict) and (
            set(value) != {"status", "comment"} or not value["comment"]
        ):
            problems.append(f"{rule}: the mapping form is status and comment")
        if status not in {"done", "todo", "exempt"}:
            problems.append(f"{rule}: status {status!r}")
        elif status == "exempt" and not isinstance(value, dict):
            problems.append(f"{rule}: exempt needs the form with a comment")
    return problems


ENTRY_POINTS = {"async_setup_entry", "async_unload_entry", "async_migrate_entry"}
ENTRY_POINTS |= {"async_remove_entry", "async_get_config_entry_diagnostics"}


def _runtime_data(code: Code) -> list[str]:
    """entry.runtime_data is set; entry points take the typed entry; hass.data under a HassKey."""
    assigned = any(
        isinstance(n, ast.Assign) and any(call_name(t) == "runtime_data" for t in n.targets)
        for _, n in code.nodes()
    )
    problems = [] if assigned else ["nothing assigns entry.runtime_data"]
    for rel, tree in code.trees.items():
        for func in tree.body:
            if isinstance(func, ast.AsyncFunctionDef) and func.name in ENTRY_POINTS:
                arg = func.args.args[1] if len(func.args.args) > 1 else None
                typed = ast.unparse(arg.annotation) if arg and arg.annotation else ""
                if arg and not re.fullmatch(r"\w*ConfigEntry", typed):
                    problems.append(f"{rel}: {func.name} takes {typed or 'an untyped entry'}")
    for at, node in code.nodes():
        holder = node.value if isinstance(node, ast.Subscript) else getattr(node, "func", None)
        if isinstance(node, ast.Call) and call_name(holder) in {"get", "setdefault", "pop"}:
            holder = getattr(holder, "value", None)
        if call_name(holder) != "data" or call_name(getattr(holder, "value", None)) != "hass":
            continue
        key = node.slice if isinstance(node, ast.Subscript) else (node.args or [None])[0]  # type: ignore[attr-defined]
        if key is None or not isinstance(code.resolve(at, key), HassKey):
            problems.append(f"{at}: hass.data without a HassKey")
    return problems


def _has_entity_name(code: Code) -> list[str]:
    modules = [code.module(rel) for rel in code.trees]
    return [
        f"{cls.__module__}.{name} does not set _attr_has_entity_name"
        for module in modules
        for name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, Entity)
        and cls.__module__ == getattr(module, "__name__", "")
        and getattr(cls, "__attr_has_entity_name", False) is not True  # (as Entity stores it)
    ]


def _own_step(code: Code, step: str) -> bool:
    """The config flow defines ``async_step_<step>`` itself (ConfigFlow has defaults)."""
    flow = code.config_flow()
    return getattr(flow, f"async_step_{step}", None) not in (
        None,
        getattr(ConfigFlow, f"async_step_{step}", None),
    )


def _untranslated_raises(code: Code) -> list[str]:
    return [
        f"{at}: {ast.unparse(node.exc.func)} without a translation_key"
        for at, node in code.nodes()
        if isinstance(node, ast.Raise)
        and isinstance(node.exc, ast.Call)
        and isinstance(error := code.resolve(at, node.exc.func), type)
        and issubclass(error, HomeAssistantError)
        and not issubclass(error, AbortFlow)
        and "translation_key" not in kwargs(node.exc)
    ]


def _need(ok: Callable[[Code], object], problem: str) -> Callable[[Code], list[str]]:
    return lambda code: [] if ok(code) else [problem]


def _has(rel: str, name: str) -> Callable[[Code], bool]:
    return lambda code: hasattr(code.module(rel), name)


# A claim whose evidence the code can show; the rest (docs, behaviour) are for a reviewer.
EVIDENCE: dict[str, Callable[[Code], list[str]]] = {
    "runtime-data": _runtime_data,
    "has-entity-name": _has_entity_name,
    "exception-translations": _untranslated_raises,
    "discovery": lambda code: [
        f"no async_step_{matcher} for the manifest's {matcher}"
        for matcher in read_json(code.directory / "manifest.json")
        if matcher in DISCOVERY_SOURCES and not _own_step(code, matcher)
    ],
    "strict-typing": lambda code: [
        f"{name} ships no py.typed"
        for name in (
            r.partition("==")[0]
            for r in read_json(code.directory / "manifest.json").get("requirements", [])
        )
        if not any(f.name == "py.typed" for f in importlib.metadata.files(name) or [])
    ],
    "action-setup": lambda code: [
        f"{code.directory.name}/{rel}: a service registered in async_setup_entry"
        for rel, tree in code.trees.items()
        for func in tree.body
        if getattr(func, "name", "") == "async_setup_entry"
        for node in ast.walk(func)
        if isinstance(node, ast.Call)
        and call_name(node.func) in {"async_register", "async_register_entity_service"}
    ],
    "parallel-updates": lambda code: [
        f"{rel} sets no PARALLEL_UPDATES"
        for rel in code.trees
        if rel.removesuffix(".py") in PLATFORMS
        and not hasattr(code.module(rel), "PARALLEL_UPDATES")
    ],
    "test-coverage": _need(
        lambda _: int(re.findall(r"coverage_min=(\d+)", (REPO / "script" / "test").read_text())[0])
        >= 95,
        "script/test has no coverage floor of 95 %",
    ),
    "entity-translations": _need(
        lambda c: (c.directory / EN).is_file() and read_json(c.directory / EN).get("entity"),
        "en.json has no entity keys",
    ),
    "icon-translations": _need(lambda c: (c.directory / "icons.json").is_file(), "no icons.json"),
    "brands": _need(lambda c: (c.directory / "brand" / "icon.png").is_file(), "no brand/icon.png"),
    "config-entry-unloading": _need(_has("__init__.py", "async_unload_entry"), "no unload"),
    "diagnostics": _need(
        _has("diagnostics.py", "async_get_config_entry_diagnostics"), "no entry diagnostics"
    ),
    "reauthentication-flow": _need(lambda c: _own_step(c, "reauth"), "no async_step_reauth"),
    "reconfiguration-flow": _need(lambda c: _own_step(c, "reconfigure"), "no reconfigure step"),
    "unique-config-entry": _need(
        lambda c: c.calls("_async_abort_entries_match")
        or (c.calls("async_set_unique_id") and c.calls("_abort_if_unique_id_configured")),
        "the config flow sets no unique id",
    ),
    "test-before-setup": _need(
        lambda c: c.calls("async_config_entry_first_refresh", "ConfigEntryNotReady"),
        "setup neither refreshes first nor raises ConfigEntryNotReady",
    ),
}


def claim_problems(code: Code, rules: dict[str, Any]) -> list[str]:
    done = [
        r for r, v in rules.items() if (v.get("status") if isinstance(v, dict) else v) == "done"
    ]
    return [
        f"{rule} is done, but {p}"
        for rule in done
        if rule in EVIDENCE
        for p in EVIDENCE[rule](code)
    ]


def leg() -> str:
    """``oldest`` or ``newest``: the test leg whose pins are installed."""
    installed = importlib.metadata.version("pytest-homeassistant-custom-component")
    pinned = f"pytest-homeassistant-custom-component=={installed}\n"
    names = ("oldest", "newest")
    return next((n for n in names if pinned in (REPO / f"requirements_{n}.txt").read_text()), "")


def test_quality_scale(code: Code) -> None:
    data = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text(encoding="utf-8"))
    problems = rule_problems(data, known_rules(), leg() == "newest")
    problems += claim_problems(code, data["rules"])
    assert problems == [], "\n".join(problems)


# -- house rules --------------------------------------------------------------------------------


def impure_imports(code: Code) -> list[str]:
    """device/, events/, firewall/, catalog/ import neither Home Assistant nor the glue."""
    problems = []
    for at, node in code.nodes():
        parts = Path(at.partition(":")[0]).parts
        if parts[0] not in PURE or not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.ImportFrom) and node.level >= len(parts):  # the top, or beyond
            heads = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
            if node.level > len(parts) or not set(heads) <= set(PURE):
                problems.append(f"{at} imports the glue")
        elif isinstance(node, ast.Import) or not node.level:
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            problems += [
                f"{at} imports {n}"
                for n in names
                if n.split(".")[0] in {"homeassistant", "custom_components"}
            ]
    return sorted(problems)


def machine_paths(files: dict[str, str]) -> list[str]:
    return [
        f"{name}:{text.count(chr(10), 0, match.start(2)) + 1} names a machine path"
        for name, text in files.items()
        for match in MACHINE_PATH.finditer(text)
    ]


def test_subpackages_stay_free_of_home_assistant(code: Code) -> None:
    assert impure_imports(code) == []


def test_no_machine_paths() -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607
        cwd=REPO,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    paths = [REPO / name for name in listed.split("\0") if name and (REPO / name).is_file()]
    texts = {p.relative_to(REPO).as_posix(): p.read_bytes() for p in paths}
    found = machine_paths(
        {k: v.decode(errors="replace") for k, v in texts.items() if b"\0" not in v}
    )
    assert found == []


def test_manifest_and_hacs() -> None:
    """Local only, pinned to what the tests run, DHCP matchers from the catalogue, the minimum
    release users are told is the one the oldest leg tests (hassfest and HACS's action check
    the schemas of manifest.json and hacs.json where the repository is hosted)."""
    manifest = read_json(INTEGRATION / "manifest.json")
    assert manifest["iot_class"] in {"local_push", "local_polling"}  # cameras on the LAN only
    pins = [requirement.partition("==") for requirement in manifest["requirements"]]
    assert [(n, v) for n, _, v in pins if importlib.metadata.version(n) != v] == []
    assert sync_dhcp.main(["--check"]) == 0, "run python -m devtools.sync_dhcp"
    minimum = AwesomeVersion(read_json(REPO / "hacs.json")["homeassistant"])
    assert minimum <= AwesomeVersion(ha_version)
    assert minimum == AwesomeVersion(ha_version) or leg() != "oldest"
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert "TERMS AND CONDITIONS FOR USE" in licence
    assert "[yyyy]" not in licence


# -- the checks can fail -----------------------------------------------------------------------

# A small integration that breaks one rule of each kind.
BROKEN = {
    "__init__.py": "",
    "config_flow.py": "from homeassistant.config_entries import ConfigFlow as Flow\n",
    "sensor.py": """\
from homeassistant.components.sensor import SensorEntity
from homeassistant.exceptions import HomeAssistantError

async def async_setup_entry(hass, entry) -> None:
    hass.data["x"] = hass.services.async_register("hb_broken", "x", None)

class Thing(SensorEntity):
    _attr_translation_key = "thing"

    def update(self) -> None:
        raise HomeAssistantError("plain words")
""",
    "device/__init__.py": "",
    "device/probe.py": "import homeassistant.core\nfrom .. import sensor\n",
    "manifest.json": '{"dhcp": [], "requirements": ["PyYAML==6"]}',
}


def test_the_checks_can_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for rel, text in BROKEN.items():
        (tmp_path / "hb_broken" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "hb_broken" / rel).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(tmp_path)
    broken = Code(tmp_path / "hb_broken", "hb_broken")
    try:
        assert impure_imports(broken) == [
            "device/probe.py:1 imports homeassistant.core",
            "device/probe.py:2 imports the glue",
        ]
        problems = claim_problems(broken, dict.fromkeys(EVIDENCE, "done"))
        assert {p.split(" is done")[0] for p in problems} == set(EVIDENCE) - {"test-coverage"}
        en = {"entity": {"sensor": {"other": {"name": "O"}}}, "exceptions": {"old": {}}}
        assert missing_translations(broken, en) == ["sensor.py:8: en.json has no entity 'thing'"]
        assert unused_translations(broken, en) == [
            "en.json.entity.sensor.other is never used",
            "en.json.exceptions.old is never used",
        ]
        assert missing_icons(en, {}) == ["icons.json lacks entity.sensor.other.default"]
    finally:
        for name in [m for m in sys.modules if m.split(".")[0] == "hb_broken"]:
            del sys.modules[name]
    assert rule_problems(
        {"rules": {"brands": "exempt", "mine": {"status": "done"}}}, {"brands", "devices"}, True
    ) == [
        "lacks rule devices",
        "unknown rule mine",
        "brands: exempt needs the form with a comment",
        "mine: the mapping form is status and comment",
    ]
    text = "https://example.com/tmp/x, /home/overview \n/" + "tmp/build"
    assert machine_paths({"a.md": text}) == ["a.md:2 names a machine path"]


async def test_keys_in_use_fail_a_test_that_uses_a_key_en_json_lacks(
    hass: HomeAssistant, keys_in_use: KeysInUse
) -> None:
    """The run-time check (every test's teardown) names what en.json and icons.json lack."""
    HomeAssistantError(translation_domain=DOMAIN, translation_key="nowhere")
    HomeAssistantError(translation_domain=DOMAIN, translation_key="camera_not_loaded")
    ir.async_create_issue(
        hass, DOMAIN, "x", is_fixable=False, severity=ir.IssueSeverity.ERROR, translation_key="no"
    )
    er.async_get(hass).async_get_or_create(
        "sensor", DOMAIN, "u", translation_key="ghost", has_entity_name=False
    )
    form = {"type": "form", "step_id": "user", "errors": {"base": "gone"}}
    keys_in_use.flow({**form, "data_schema": {"mystery": str}}, "config")
    keys_in_use.flow({"type": "abort", "reason": "vanished"}, "options")
    flow = await hass.config_entries.flow.async_init(DOMAIN, context={"source": "user"})
    assert keys_in_use.flows == {flow["flow_id"]: "config"}
    problems, keys_in_use.problems = keys_in_use.problems, []
    assert problems == [
        "en.json lacks exceptions.nowhere.message",
        "exceptions.camera_not_loaded.message needs placeholders ['camera']",
        "en.json lacks issues.no.title",
        "en.json lacks issues.no.description",
        "en.json lacks entity.sensor.ghost.name",
        "icons.json lacks entity.sensor.ghost.default",
        "entity.sensor.ghost: has_entity_name is not set",
        "en.json lacks config.error.gone",
        "en.json lacks config.step.user.data.mystery",
        "en.json lacks config.step.user.data_description.mystery",
        "en.json lacks options.abort.vanished",
    ]
