"""Which part of Homebound a config entry belongs to: a camera, the firewall, or the overview.

One test, used by every part and by the entry points. The firewall entry's data carries
``kind: firewall``, the overview's ``kind: overview`` (the "Homebound" service device with the
household's summary, an entry Homebound adds and removes by itself); camera entries carry no
kind (they existed before the others did). The typed dispatch on top of it is in :mod:`.entry`.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_IGNORE, ConfigEntry
from homeassistant.core import HomeAssistant

from .const import CONF_KIND, DOMAIN, KIND_FIREWALL, KIND_OVERVIEW


def is_firewall_entry(entry: ConfigEntry[Any]) -> bool:
    """Whether an entry of Homebound's is the firewall."""
    return entry.data.get(CONF_KIND) == KIND_FIREWALL


def is_overview_entry(entry: ConfigEntry[Any]) -> bool:
    """Whether an entry of Homebound's is the overview (the household's summary)."""
    return entry.data.get(CONF_KIND) == KIND_OVERVIEW


def is_camera_kind(entry: ConfigEntry[Any]) -> bool:
    """Whether an entry of Homebound's is a camera's (it has no kind)."""
    return CONF_KIND not in entry.data


def camera_entries(hass: HomeAssistant) -> list[ConfigEntry[Any]]:
    """Homebound's camera entries, loaded or not (not the firewall, the overview, or ignored)."""
    return [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if is_camera_kind(entry) and entry.source != SOURCE_IGNORE
    ]
