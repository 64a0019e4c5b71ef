"""Diagnostics: useful, and free of credentials, serials and MAC addresses."""

from __future__ import annotations

import json

from homeassistant.components.camera import async_get_stream_source
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from simulator import VirtualCamera


async def test_diagnostics(
    hass: HomeAssistant,
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    """The dump is stable and keeps secrets out."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await async_get_stream_source(hass, "camera.virtual_camera")
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, config_entry)
    text = json.dumps(diagnostics)
    for secret in (
        camera.config.password,
        camera.config.serial,
        camera.config.mac,
        camera.config.mac.replace(":", ""),
        "admin",
    ):
        assert secret.lower() not in text.lower()
    assert diagnostics == snapshot(
        exclude=props("clock_skew_seconds", "services", "stream_uris", "port")
    )
    assert all(
        "**REDACTED**" in uri or "@" not in uri
        for uri in diagnostics["camera"]["stream_uris"].values()
    )
