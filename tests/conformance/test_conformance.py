"""quality_scale.yaml and the house rules (see the package's docstring for what runs where)."""

from __future__ import annotations

import ast
from collections.abc import Callable
import importlib.metadata
import json
from pathlib import Path
import re
import subprocess
from typing import Any

from awesomeversion import AwesomeVersion
from homeassistant import components
from homeassistant.config_entries import DISCOVERY_SOURCES
from homeassistant.const import __version__ as ha_version
from homeassistant.loader import Manifest
from PIL import Image
import yaml  # type: ignore[import-untyped]

from devtools import make_brand, sync_dhcp

from . import DOMAIN, INTEGRATION, REPO, leg, read_json
from .code import PLATFORMS, call_name
from .keys import Code, untranslated_raises

PURE_SUBPACKAGES = ("device", "events", "firewall", "catalog")
# Written in two pieces so that this file does not match it.
MACHINE_PATH = re.compile(r"(^|[^\w.~-])(/(tmp|root|work|farm)/\S|/" r"home/[^/\s]+/)", re.M)
# hacs/integration: HACS_MANIFEST_JSON_SCHEMA's keys (extra keys fail), and the manifest keys
# INTEGRATION_MANIFEST_JSON_SCHEMA requires. HACS cannot run here either.
HACS_KEYS = {"name", "content_in_root", "zip_release", "filename", "hide_default_branch"}
HACS_KEYS |= {"country", "homeassistant", "hacs", "persistent_directory", "render_readme"}
HACS_MANIFEST = ("codeowners", "documentation", "domain", "issue_tracker", "name", "version")


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


def _calls(code: Code, *names: str) -> list[tuple[ast.Call, Any]]:
    return [(n, c) for n, c in code.nodes if isinstance(n, ast.Call) and call_name(n.func) in names]


def _defines(code: Code, name: str, module: str | None = None, kind: str | None = None) -> bool:
    return any(
        module in (None, ctx.module.rel) and kind in (None, code.flow_kind(ctx.cls))
        for _, ctx in code.functions.get(name, [])
    )


def _runtime_data(code: Code) -> list[str]:
    """entry.runtime_data is set; entry points take the typed entry; hass.data under a HassKey."""
    assigned = any(call_name(t) == "runtime_data" for n, _ in code.nodes for t in _targets(n))
    problems = [] if assigned else ["nothing assigns entry.runtime_data"]
    for name in ("async_setup_entry", "async_unload_entry", "async_migrate_entry",
                 "async_remove_entry", "async_get_config_entry_diagnostics"):  # fmt: skip
        for func, ctx in code.functions.get(name, []):
            arg = func.args.args[1] if ctx.cls is None and len(func.args.args) > 1 else None
            typed = ast.unparse(arg.annotation) if arg and arg.annotation else ""
            if arg and not re.fullmatch(r"[\"']?[A-Za-z]+ConfigEntry[\"']?", typed):
                problems.append(f"{ctx.at(func)}: {name} takes {typed or 'an untyped entry'}")
    for node, ctx in code.nodes:
        holder = node.value if isinstance(node, ast.Subscript) else getattr(node, "func", None)
        holder = (
            getattr(holder, "value", None)
            if call_name(holder) in {"get", "setdefault", "pop"}
            else holder
        )
        if call_name(holder) != "data" or call_name(getattr(holder, "value", None)) != "hass":
            continue
        key = (
            node.slice
            if isinstance(node, ast.Subscript)
            else (getattr(node, "args", []) or [None])[0]
        )
        declared = ctx.module.assigned.get(call_name(key))
        if not (isinstance(declared, ast.Call) and call_name(declared.func) == "HassKey"):
            problems.append(f"{ctx.at(node)}: hass.data without a HassKey of its module")
    return problems


def _targets(node: ast.AST) -> list[ast.expr]:
    return node.targets if isinstance(node, ast.Assign) else []


def _has_entity_name(code: Code) -> list[str]:
    problems = []
    for name, (_, module) in code.classes.items():
        family = [name] + [base for base, _ in code.ancestors(name)]
        if code.platform(name) == "*" or any(n.endswith("Description") for n in family):
            continue
        bodies = [code.classes[n][0] for n in family if n in code.classes]
        if not any(
            call_name(t) == "_attr_has_entity_name"
            for b in bodies
            for n in ast.walk(b)
            for t in _targets(n)
        ):
            problems.append(f"{module.rel}: {name} does not set _attr_has_entity_name")
    return problems


def _discovery(code: Code) -> list[str]:
    matchers = [k for k in read_json(code.directory / "manifest.json") if k in DISCOVERY_SOURCES]
    missing = [m for m in matchers if not _defines(code, f"async_step_{m}", kind="config")]
    return [
        f"no async_step_{m} for the manifest's {m}"
        for m in missing or ([] if matchers else ["matcher"])
    ]


def _pinned_and_typed(code: Code) -> list[str]:
    requirements = read_json(code.directory / "manifest.json").get("requirements", [])
    return [
        f"{name} ships no py.typed"
        for name in (r.partition("==")[0] for r in requirements)
        if not any(f.name == "py.typed" for f in importlib.metadata.files(name) or [])
    ]


def _need(ok: Callable[[Code], object], problem: str) -> Callable[[Code], list[str]]:
    return lambda code: [] if ok(code) else [problem]


# A claim whose evidence the code can show; the rest (docs, behaviour) are for a reviewer.
EVIDENCE: dict[str, Callable[[Code], list[str]]] = {
    "runtime-data": _runtime_data,
    "has-entity-name": _has_entity_name,
    "discovery": _discovery,
    "strict-typing": _pinned_and_typed,
    "exception-translations": untranslated_raises,
    "action-setup": lambda code: [
        f"{ctx.at(node)}: a service registered in async_setup_entry"
        for node, ctx in _calls(code, "async_register", "async_register_entity_service")
        if ctx.func is not None and ctx.func.name == "async_setup_entry"
    ],
    "parallel-updates": lambda code: [
        f"{rel} sets no PARALLEL_UPDATES"
        for rel, module in code.modules.items()
        if rel.removesuffix(".py") in PLATFORMS and "PARALLEL_UPDATES" not in module.assigned
    ],
    "test-coverage": _need(
        lambda _: int(re.findall(r"coverage_min=(\d+)", (REPO / "script" / "test").read_text())[0])
        >= 95,
        "script/test has no coverage floor of 95 %",
    ),
    "entity-translations": _need(
        lambda c: any(k.path[0] == "entity" for k in c.keys), "no entity keys"
    ),
    "icon-translations": _need(lambda c: (c.directory / "icons.json").is_file(), "no icons.json"),
    "brands": _need(lambda c: (c.directory / "brand" / "icon.png").is_file(), "no brand/icon.png"),
    "config-entry-unloading": _need(
        lambda c: _defines(c, "async_unload_entry", "__init__.py"), "no async_unload_entry"
    ),
    "diagnostics": _need(
        lambda c: _defines(c, "async_get_config_entry_diagnostics", "diagnostics.py"),
        "diagnostics.py lacks async_get_config_entry_diagnostics",
    ),
    "reauthentication-flow": _need(
        lambda c: _defines(c, "async_step_reauth", kind="config"), "no async_step_reauth"
    ),
    "reconfiguration-flow": _need(
        lambda c: _defines(c, "async_step_reconfigure", kind="config"), "no async_step_reconfigure"
    ),
    "unique-config-entry": _need(
        lambda c: _calls(c, "_async_abort_entries_match")
        or (_calls(c, "async_set_unique_id") and _calls(c, "_abort_if_unique_id_configured")),
        "the config flow sets no unique id",
    ),
    "test-before-setup": _need(
        lambda c: _calls(c, "async_config_entry_first_refresh", "ConfigEntryNotReady"),
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


def test_quality_scale(code: Code) -> None:
    data = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text(encoding="utf-8"))
    problems = rule_problems(data, known_rules(), leg() == "newest")
    problems += claim_problems(code, data["rules"])
    assert problems == [], "\n".join(problems)


def impure_imports(code: Code) -> list[str]:
    """device/, events/, firewall/, catalog/ import neither Home Assistant nor the glue."""
    problems = []
    for node, ctx in code.nodes:
        parts = Path(ctx.module.rel).parts
        if parts[0] not in PURE_SUBPACKAGES or not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        names = (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        )
        if isinstance(node, ast.ImportFrom) and node.level >= len(parts):  # the top, or beyond
            heads = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
            if node.level > len(parts) or not set(heads) <= set(PURE_SUBPACKAGES):
                problems.append(f"{ctx.at(node)} imports the glue")
        elif isinstance(node, ast.Import) or not node.level:
            foreign = [
                n for n in names if n.split(".")[0] in {"homeassistant", "custom_components"}
            ]
            problems += [f"{ctx.at(node)} imports {n}" for n in foreign]
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
    assert (
        machine_paths({k: v.decode(errors="replace") for k, v in texts.items() if b"\0" not in v})
        == []
    )


def test_manifest() -> None:
    """Home Assistant's manifest keys, what HACS needs, local only, pinned to what tests run."""
    manifest = read_json(INTEGRATION / "manifest.json")
    known = Manifest.__required_keys__ | Manifest.__optional_keys__
    assert [key for key in manifest if key not in known] == []
    assert [key for key in HACS_MANIFEST if not manifest.get(key)] == []
    assert manifest["iot_class"] in {"local_push", "local_polling"}  # cameras on the LAN only
    pins = [requirement.partition("==") for requirement in manifest["requirements"]]
    assert [(n, v) for n, _, v in pins if importlib.metadata.version(n) != v] == []
    assert sync_dhcp.main(["--check"]) == 0, "run python -m devtools.sync_dhcp"


def test_hacs_json_and_licence() -> None:
    hacs = read_json(REPO / "hacs.json")
    assert set(hacs) <= HACS_KEYS
    assert hacs["name"].strip()
    minimum = AwesomeVersion(hacs["homeassistant"])
    assert minimum <= AwesomeVersion(ha_version)
    if leg() == "oldest":  # the minimum users are told is the release the oldest leg tests
        assert minimum == AwesomeVersion(ha_version)
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in licence
    assert "TERMS AND CONDITIONS FOR USE" in licence
    assert "[yyyy]" not in licence


def test_brand_images_are_the_drawn_ones() -> None:
    """brand/ holds what devtools/make_brand.py draws (rerun it after a change).

    Logos are only measured: their text depends on the fonts of the machine that drew them.
    """
    variants = [
        (p, palette, s, side)
        for p, palette in (("", make_brand.LIGHT), ("dark_", make_brand.DARK))
        for s, side in (("", 256), ("@2x", 512))
    ]
    names = {f"{p}{kind}{s}.png" for p, _, s, _ in variants for kind in ("icon", "logo")}
    assert {path.name for path in (INTEGRATION / "brand").iterdir()} == names
    for prefix, palette, suffix, side in variants:
        with Image.open(INTEGRATION / "brand" / f"{prefix}icon{suffix}.png") as icon:
            assert icon.tobytes() == make_brand.draw_icon(side, palette).tobytes()
            assert (icon.format, icon.mode) == ("PNG", "RGBA")
        with Image.open(INTEGRATION / "brand" / f"{prefix}logo{suffix}.png") as logo:
            assert (logo.format, logo.mode, logo.height) == ("PNG", "RGBA", side // 2)
            assert logo.width > 3 * logo.height


def test_sync_dhcp_writes_then_agrees(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    assert sync_dhcp.main(["--manifest", str(path)]) == 0
    assert not path.exists()
    path.write_text(json.dumps({"version": "0.1.0", "dhcp": [], "name": "H", "domain": DOMAIN}))
    assert sync_dhcp.main(["--check", "--manifest", str(path)]) == 1
    assert sync_dhcp.main(["--manifest", str(path)]) == 0
    data = read_json(path)
    assert list(data) == ["domain", "name", "dhcp", "version"]
    assert data["dhcp"][0] == {"registered_devices": True}
    assert {"macaddress": "EC71DB*"} in data["dhcp"]
    assert sync_dhcp.main(["--check", "--manifest", str(path)]) == 0


# -- the checks can fail ---------------------------------------------------------------------


def test_the_checks_can_fail(broken: Code) -> None:
    assert impure_imports(broken) == [
        "device/probe.py:1 imports homeassistant.core",
        "device/probe.py:2 imports the glue",
    ]
    problems = claim_problems(broken, dict.fromkeys(EVIDENCE, "done"))
    assert {p.split(" is done")[0] for p in problems} == set(EVIDENCE) - {
        "test-coverage",
        "entity-translations",
    }
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
