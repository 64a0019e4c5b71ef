"""Diagnostics: what a bug report needs, without credentials, serials or MAC addresses."""

from __future__ import annotations

from dataclasses import asdict
import re
from typing import Any, Final

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from ..const import CONF_MAC, CONF_OBSERVED_MAC, CONF_SERIAL
from ..device import redact_url
from ..device.urls import REDACTED
from .coordinator import CameraConfigEntry

TO_REDACT = {
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_MAC,
    CONF_OBSERVED_MAC,
    CONF_SERIAL,
    "mac",
    "serial",
    "unique_id",
}
_DAHUA_REALM: Final = re.compile(r"(Login to )\S+", re.IGNORECASE)


def _scrub(value: Any, secrets: list[str]) -> Any:
    """Take serials and MACs out of text the camera sent (a Dahua realm names its serial)."""
    if isinstance(value, dict):
        return {key: _scrub(item, secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item, secrets) for item in value]
    if not isinstance(value, str):
        return value
    for secret in secrets:
        value = re.sub(re.escape(secret), REDACTED, value, flags=re.IGNORECASE)
    return _DAHUA_REALM.sub(rf"\1{REDACTED}", value)


def _secrets(entry: CameraConfigEntry) -> list[str]:
    identity = entry.runtime_data.info.identity
    found = {identity.serial, str(entry.data.get(CONF_SERIAL) or "")}
    for mac in (identity.mac, entry.data.get(CONF_MAC), entry.data.get(CONF_OBSERVED_MAC)):
        if mac:
            digits = str(mac).replace(":", "").replace("-", "").lower()
            found |= {str(mac), digits, "-".join(digits[i : i + 2] for i in range(0, 12, 2))}
            found.add(":".join(digits[i : i + 2] for i in range(0, 12, 2)))
    return sorted((s for s in found if len(s) >= 4), key=len, reverse=True)


async def async_get_camera_diagnostics(
    hass: HomeAssistant, entry: CameraConfigEntry
) -> dict[str, Any]:
    """Return the entry, the camera and its state, redacted."""
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
        "maker": _scrub(data.maker.describe(), _secrets(entry)),
        "settings": data.settings.describe() if data.settings is not None else None,
        "status": {
            "available": data.coordinator.last_update_success,
            "last_error": (
                str(data.coordinator.last_exception)
                if not data.coordinator.last_update_success
                else None
            ),
        },
    }
