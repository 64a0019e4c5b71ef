"""Diagnostics: what a bug report needs, without credentials, serials or MAC addresses."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant

from .cameras.diagnostics import async_get_camera_diagnostics
from .entry import HomeboundConfigEntry, is_camera, is_isolation, is_overview
from .isolation.diagnostics import async_get_firewall_diagnostics
from .overview.diagnostics import async_get_overview_diagnostics


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: HomeboundConfigEntry
) -> dict[str, Any]:
    """Return a camera's, the firewall's or the overview's settings and state, redacted."""
    if is_isolation(entry):
        return await async_get_firewall_diagnostics(hass, entry)
    if is_overview(entry):
        return await async_get_overview_diagnostics(hass, entry)
    assert is_camera(entry)
    return await async_get_camera_diagnostics(hass, entry)
