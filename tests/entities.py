"""Entity snapshots that read alike on every Home Assistant release the tests run on.

The registry entry and state objects grow fields from release to release (2026.10 lists
``aliases`` and keys attributes by enums), so a snapshot of the raw objects would hold for one
test leg only. These dictionaries keep what Homebound decides: ids, names, classes, categories,
what is enabled, the state and its attributes.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

VOLATILE_ATTRIBUTES = frozenset({"access_token", "entity_picture"})


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {
            str(_plain(k)): _plain(v) for k, v in sorted(value.items(), key=lambda i: str(i[0]))
        }
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


def entity_snapshot(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, config_entry_id: str
) -> list[dict[str, Any]]:
    """Every entity of a config entry: its registry entry and state, as plain data."""
    result: list[dict[str, Any]] = []
    entries = er.async_entries_for_config_entry(entity_registry, config_entry_id)
    for entry in sorted(entries, key=lambda e: e.entity_id):
        state = hass.states.get(entry.entity_id)
        attributes = (
            {k: v for k, v in state.attributes.items() if str(k) not in VOLATILE_ATTRIBUTES}
            if state is not None
            else None
        )
        result.append(
            _plain(
                {
                    "entity_id": entry.entity_id,
                    "unique_id": entry.unique_id,
                    "platform": entry.platform,
                    "domain": entry.domain,
                    "translation_key": entry.translation_key,
                    "original_name": entry.original_name,
                    "original_icon": entry.original_icon,
                    "original_device_class": entry.original_device_class,
                    "entity_category": entry.entity_category,
                    "disabled_by": entry.disabled_by,
                    "has_entity_name": entry.has_entity_name,
                    "supported_features": entry.supported_features,
                    "unit_of_measurement": entry.unit_of_measurement,
                    "state": state.state if state is not None else None,
                    "attributes": attributes,
                }
            )
        )
    return result
