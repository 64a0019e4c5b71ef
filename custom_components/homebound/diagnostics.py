"""Diagnostics: what a bug report needs, without credentials, serials or MAC addresses."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, cast

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from .const import CONF_MAC, CONF_SERIAL
from .coordinator import HomeboundConfigEntry
from .device import redact_url
from .diagnostics_firewall import async_get_firewall_diagnostics
from .firewall_backend import is_firewall_entry
from .firewall_coordinator import FirewallConfigEntry

TO_REDACT = {CONF_PASSWORD, CONF_USERNAME, CONF_MAC, CONF_SERIAL, "mac", "serial", "unique_id"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: HomeboundConfigEntry
) -> dict[str, Any]:
    """Return the entry, the camera and its state (or the firewall's), redacted."""
    if is_firewall_entry(entry):
        return await async_get_firewall_diagnostics(hass, cast("FirewallConfigEntry", entry))
    data = entry.runtime_data
    client = data.client
    return {
        "entry": async_redact_data(
            {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            TO_REDACT,
        ),
        "camera": {
            "identity": async_redact_data(asdict(data.info.identity), TO_REDACT),
            "profiles": [asdict(profile) for profile in data.info.profiles],
            "services": {ns: redact_url(url) for ns, url in sorted(data.info.services.items())},
            "stream_uris": {
                token: redact_url(uri) for token, uri in sorted(client.known_stream_uris.items())
            },
            "clock_skew_seconds": round(client.clock_skew),
            "snapshots": {
                "auth": client.snapshots.scheme,
                "resting": client.snapshots.resting,
                "last_error": client.snapshots.last_error,
            },
        },
        "events": data.hub.describe(),
        "status": {
            "available": data.coordinator.last_update_success,
            "last_error": (
                str(data.coordinator.last_exception)
                if not data.coordinator.last_update_success
                else None
            ),
        },
    }
