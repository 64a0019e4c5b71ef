"""The translation keys the code uses, checked against en.json and icons.json in every test.

A reader of the source would have to follow a key through helpers' parameters, base classes,
tables and returned tuples (the conformance package before this spent 500 lines on it, and
still made code take odd shapes). At run time the key is simply there: each flow result a flow
manager hands out (config, options, repair), each issue created, each entity registered and
each Home Assistant error built for this domain is checked as it happens, the way Home
Assistant's own suite checks its core integrations, so a helper may take a key as a parameter.
A problem fails the test that caused it, at teardown. Code no test runs is left to
``test_conformance``: keys written at a key position, and every en.json key named by the code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cache
import json
from pathlib import Path
from string import Formatter
from typing import Any

from homeassistant.components.repairs.issue_handler import RepairsFlowManager
from homeassistant.config_entries import ConfigEntriesFlowManager, OptionsFlowManager
from homeassistant.data_entry_flow import FlowHandler, FlowManager, FlowResultType, section
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.entity_registry import EntityRegistry
from homeassistant.helpers.issue_registry import IssueRegistry
from homeassistant.helpers.selector import SelectSelector
import pytest
import voluptuous as vol

from custom_components.homebound.const import DOMAIN

INTEGRATION = Path(__file__).resolve().parents[1] / "custom_components" / DOMAIN
EN, ICONS = "translations/en.json", "icons.json"


@cache
def texts(name: str) -> Any:
    return json.loads((INTEGRATION / name).read_text(encoding="utf-8"))


def lookup(tree: Any, path: str) -> Any:
    for part in path.split("."):
        tree = tree.get(part) if isinstance(tree, dict) else None
    return tree


def placeholders(text: object) -> set[str]:
    if not isinstance(text, str):
        return set()
    return {name for _, name, _, _ in Formatter().parse(text) if name}


class KeysInUse:
    """What one test's code asked of en.json and icons.json, and what they lacked."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.flows: dict[str, str] = {}  # flow id -> where its texts are ("config", ...)

    def need(self, *paths: str, given: Mapping[str, Any] | None = None, tree: str = EN) -> None:
        """One of ``paths`` must be in ``tree``; its text's placeholders must be ``given``."""
        found = next((p for p in paths if lookup(texts(tree), p) is not None), None)
        if found is None:
            self._problem(f"{tree.rpartition('/')[2]} lacks {' or '.join(paths)}")
        elif given is not None and (
            missing := placeholders(lookup(texts(tree), found)) - set(given)
        ):
            self._problem(f"{found} needs placeholders {sorted(missing)}")

    def _problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)

    def flow(self, result: Mapping[str, Any], prefix: str | None) -> None:
        """A flow result as the frontend receives it (``prefix``: None for other domains)."""
        if prefix is None:
            return
        kind, step = result.get("type"), f"{prefix}.step.{result.get('step_id')}"
        if kind == FlowResultType.ABORT:
            self.need(f"{prefix}.abort.{result['reason']}")
        elif kind == FlowResultType.SHOW_PROGRESS:
            self.need(f"{prefix}.progress.{result['progress_action']}")
        if kind not in (FlowResultType.FORM, FlowResultType.MENU):
            return
        self.need(f"{step}.title", f"{step}.description")
        if lookup(texts(EN), f"{step}.description") is not None:
            self.need(f"{step}.description", given=result.get("description_placeholders") or {})
        for error in (result.get("errors") or {}).values():
            self.need(f"{prefix}.error.{error}")
        if isinstance(options := result.get("menu_options"), list):  # a dict brings its labels
            for option in options:
                self.need(f"{step}.menu_options.{option}")
        if kind == FlowResultType.FORM:  # a menu's schema is Home Assistant's next_step_id
            self.schema(step, result.get("data_schema"))

    def schema(self, step: str, schema: Any) -> None:
        """Every field's label and description, sections' names, select options' labels."""
        for marker, value in getattr(schema, "schema", schema or {}).items():
            name = str(marker.schema if isinstance(marker, vol.Marker) else marker)
            if isinstance(value, section):
                self.need(f"{step}.sections.{name}.name")
                self.schema(f"{step}.sections.{name}", value.schema)
                continue
            self.need(f"{step}.data.{name}")
            self.need(f"{step}.data_description.{name}")
            if isinstance(value, SelectSelector) and (key := value.config.get("translation_key")):
                for option in value.config.get("options", []):
                    if isinstance(option, str):  # a {value, label} brings its own words
                        self.need(f"selector.{key}.options.{option}")

    def issue(self, key: str, given: Mapping[str, Any] | None, fixable: bool) -> None:
        self.need(f"issues.{key}.title", given=given or {})
        if not fixable:  # a fixable issue's words are its fix flow's
            self.need(f"issues.{key}.description", given=given or {})

    def entity(self, platform: str, key: str, has_entity_name: object) -> None:
        self.need(f"entity.{platform}.{key}.name")
        self.need(f"entity.{platform}.{key}.default", tree=ICONS)
        if has_entity_name is False:  # (a test's own registry entry passes nothing)
            self._problem(f"entity.{platform}.{key}: has_entity_name is not set")


def _wrap_flows(keys: KeysInUse, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every step's result, in every flow manager (``async_init`` differs between them)."""
    handle = FlowManager._async_handle_step

    async def handle_step(manager: FlowManager, flow: FlowHandler, *args: Any) -> Any:
        result = await handle(manager, flow, *args)
        prefix = None
        if isinstance(manager, ConfigEntriesFlowManager) and flow.handler == DOMAIN:
            prefix = "config"
        elif isinstance(manager, OptionsFlowManager):
            entry = manager.hass.config_entries.async_get_entry(str(flow.handler))
            prefix = "options" if entry is not None and entry.domain == DOMAIN else None
        elif isinstance(manager, RepairsFlowManager) and flow.handler == DOMAIN:
            issue_id = getattr(flow, "issue_id", "")
            issue = ir.async_get(manager.hass).async_get_issue(DOMAIN, issue_id)
            prefix = f"issues.{issue.translation_key}.fix_flow" if issue else None
        if prefix is not None:
            keys.flows[flow.flow_id] = prefix
        keys.flow(result, prefix)
        return result

    monkeypatch.setattr(FlowManager, "_async_handle_step", handle_step)


def _wrap(
    monkeypatch: pytest.MonkeyPatch, owner: type, name: str, seen: Callable[..., None]
) -> None:
    """Let ``seen`` look at every call of ``owner.name`` before it runs."""
    original = getattr(owner, name)

    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen(*args, **kwargs)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, wrapped)


@pytest.fixture(autouse=True)
def keys_in_use(monkeypatch: pytest.MonkeyPatch) -> Iterator[KeysInUse]:
    """Check every translation key the test's code uses; fail the test at teardown if one lacks."""
    keys = KeysInUse()
    _wrap_flows(keys, monkeypatch)

    def issue(domain: str, _issue_id: str, **kw: Any) -> None:
        if domain == DOMAIN:
            keys.issue(kw["translation_key"], kw.get("translation_placeholders"), kw["is_fixable"])

    def entity(domain: str, platform: str, _unique_id: str, **kw: Any) -> None:
        if platform == DOMAIN and isinstance(key := kw.get("translation_key"), str):
            keys.entity(domain, key, kw.get("has_entity_name"))

    def error(*_args: object, **kw: Any) -> None:
        if kw.get("translation_domain") == DOMAIN and kw.get("translation_key"):
            given = kw.get("translation_placeholders") or {}
            keys.need(f"exceptions.{kw['translation_key']}.message", given=given)

    _wrap(monkeypatch, IssueRegistry, "async_get_or_create", issue)
    _wrap(monkeypatch, EntityRegistry, "async_get_or_create", entity)
    _wrap(monkeypatch, HomeAssistantError, "__init__", error)
    yield keys
    if keys.problems:
        pytest.fail("translation keys:\n" + "\n".join(keys.problems), pytrace=False)
