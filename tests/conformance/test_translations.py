"""en.json, icons.json and services.yaml against the code, and as Home Assistant loads them.

Keys the code uses must be in en.json (``missing_translations``), every en.json key must be named
by a string of the code (``unused_translations``: a key computed at run time still occurs as a
literal somewhere), every entity key needs an icon, every service its translations and icon.
"""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.icon import async_get_icons
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
import yaml  # type: ignore[import-untyped]

from . import DOMAIN, INTEGRATION, read_json
from .code import PLATFORMS
from .conftest import BROKEN_EN
from .keys import Code, Key

# Words of en.json's structure; every other key there names something the code must use.
STRUCTURE = {"config", "options", "step", "title", "description", "data", "data_description"}
STRUCTURE |= {"menu_options", "sections", "name", "error", "abort", "progress", "flow_title"}
STRUCTURE |= {"fix_flow", "message", "exceptions", "issues", "entity", "selector", "state"}
STRUCTURE |= {"device_automation", "trigger_type", "trigger_subtype", "state_attributes"}
STRUCTURE |= {"create_entry"}  # a config flow's success texts: keyed by the description given


def lookup(tree: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        tree = tree.get(part) if isinstance(tree, dict) else None
    return tree


def _needs(path: tuple[str, ...]) -> list[list[tuple[str, ...]]]:
    """What en.json must hold for a key the code uses: a list of alternatives per need."""
    match path:
        case ("exceptions", key):
            return [[("exceptions", key, "message")]]
        case ("issues", key):
            return [[("issues", key, "title")]]
        case ("entity", platform, key):
            return [[("entity", p, key, "name") for p in _platforms(platform)]]
        case ("selector", key):
            return [[("selector", key, "options")]]
        case (kind, "step", step):
            return [[(kind, "step", step, "title"), (kind, "step", step, "description")]]
        case (*step, "sections", section, "data", name):
            return [[(*step, "sections", section, "name")], *_needs((*step, "data", name))]
        case (*step, "data", name):
            return [[(*step, "data", name)], [(*step, "data_description", name)]]
    return [[path]]


def _platforms(platform: str) -> list[str]:
    return sorted(PLATFORMS) if platform == "*" else [platform]


def missing_translations(code: Code, en: Any) -> list[str]:
    """Keys the code uses that en.json lacks, and strings that only Home Assistant's core gets."""
    problems = {
        f"{key.where}: en.json lacks {' or '.join('.'.join(p) for p in alternatives)}"
        for key in code.keys
        for alternatives in _needs(key.path)
        if not any(lookup(en, p) for p in alternatives)
    }
    problems |= {f"en.json: {v} (key references resolve for core only)" for v in _leaves(en)}
    return sorted(problems) + code.problems


def _leaves(tree: Any) -> list[str]:
    if isinstance(tree, dict):
        return [leaf for value in tree.values() for leaf in _leaves(value)]
    return [tree] if isinstance(tree, str) and "[%key:" in tree else []


def _identifiers(tree: Any, path: str = "") -> list[tuple[str, str]]:
    """en.json's keys that name something of the code (steps, fields, errors, entities, ...)."""
    found = []
    for key, value in tree.items() if isinstance(tree, dict) and path != ".services" else ():
        if key not in STRUCTURE and key not in PLATFORMS:
            found.append((path, key))
        found += _identifiers(value, f"{path}.{key}")
    return found


def unused_translations(code: Code, en: Any) -> list[str]:
    """en.json keys that no string of the code names: text nothing can show."""
    used = code.string_constants() | {key.path[-1] for key in code.keys}
    used |= {name.removeprefix("async_step_") for name in code.functions}
    return [f"en.json{at}.{key} is never used" for at, key in _identifiers(en) if key not in used]


def missing_icons(keys: list[Key], en: Any, icons: Any) -> list[str]:
    """Every entity key has a default icon; icons.json has no entity en.json lacks."""
    problems = {
        f"{where}: icons.json lacks entity.{platform}.{key}.default"
        for (_, platform, key), where in (k for k in keys if k.path[0] == "entity")
        if not any(lookup(icons, ("entity", p, key, "default")) for p in _platforms(platform))
    }
    problems |= {
        f"icons.json: entity.{platform}.{key} is not in en.json"
        for platform, items in icons.get("entity", {}).items()
        for key in items
        if not lookup(en, ("entity", platform, key))
    }
    return sorted(problems)


def test_translations_match_the_code(code: Code, en: Any) -> None:
    problems = missing_translations(code, en) + unused_translations(code, en)
    assert problems == [], "\n".join(problems)


def test_entity_keys_have_icons(code: Code, en: Any) -> None:
    problems = missing_icons(code.keys, en, read_json(INTEGRATION / "icons.json"))
    assert problems == [], "\n".join(problems)


async def test_services_as_home_assistant_loads_them(hass: HomeAssistant, en: Any) -> None:
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
        for field, field_spec in (spec or {}).get("fields", {}).items():
            assert "fields" not in field_spec, "a section: check its name here too"
            names += [f"{service}.fields.{field}.{item}" for item in ("name", "description")]
        assert [n for n in names if not strings.get(f"component.{DOMAIN}.services.{n}")] == []
        assert service in icons
    assert set(en.get("services", {})) <= set(described)
    assert await async_get_translations(hass, "en", "entity", [DOMAIN]), "en.json did not load"


def test_keys_passed_to_helpers_and_base_classes_are_checked(broken: Code) -> None:
    assert missing_translations(broken, BROKEN_EN) == [
        "binary_sensor.py:14: en.json lacks entity.binary_sensor.door.name",
        "binary_sensor.py:18: en.json lacks exceptions.gone.message",
    ]
    assert unused_translations(broken, BROKEN_EN) == ["en.json.exceptions.old is never used"]
    assert missing_icons(broken.keys, BROKEN_EN, {}) == [
        "binary_sensor.py:14: icons.json lacks entity.binary_sensor.door.default",
        "binary_sensor.py:3: icons.json lacks entity.binary_sensor.motion.default",
    ]
