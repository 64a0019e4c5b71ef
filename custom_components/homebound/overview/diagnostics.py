"""The overview's diagnostics: the figures, and each camera's conclusion (no MACs, no serials)."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant

from . import OverviewConfigEntry


async def async_get_overview_diagnostics(
    hass: HomeAssistant, entry: OverviewConfigEntry
) -> dict[str, Any]:
    """Return the household figures and what each camera counts as."""
    overview = entry.runtime_data
    cameras = []
    for camera in overview.cameras:
        maker = camera.maker
        ident = maker.status.identification if maker is not None else None
        cameras.append(
            {
                "name": camera.name,
                "loaded": camera.loaded,
                "checked": maker is not None,
                "maker": ident.maker.key if ident is not None and ident.maker else None,
                "confidence": ident.confidence.value if ident is not None else None,
                "covered": maker.status.covered if maker is not None else None,
                "badges": list(maker.status.badges) if maker is not None else [],
                "known_exploited": maker.firmware.known_exploited if maker is not None else None,
                "known": [f.vulnerability.cve for f in maker.firmware.known] if maker else [],
            }
        )
    return {"figures": overview.figures(), "cameras": cameras}
