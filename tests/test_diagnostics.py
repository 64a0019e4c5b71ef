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

from custom_components.homebound.const import CONF_MAC, CONF_OBSERVED_MAC, DOMAIN
from simulator import VirtualCamera

from .conftest import entry_data


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
    await config_entry.runtime_data.settings.first_audit.wait()
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
        # http_servers: the simulator's own Server header names the Python it runs on.
        exclude=props(
            "clock_skew_seconds",
            "clock_offset_seconds",
            "audited_at",
            "services",
            "stream_uris",
            "port",
            "http_servers",
            # When the event source changed, the last event came: times of this run.
            "at",
            "since",
            "last_event",
        )
    )
    assert all(
        "**REDACTED**" in uri or "@" not in uri
        for uri in diagnostics["camera"]["stream_uris"].values()
    )


async def test_diagnostics_redact_the_mac_dhcp_saw(
    hass: HomeAssistant, camera: VirtualCamera, hass_client: ClientSessionGenerator
) -> None:
    """The entry's ``observed_mac`` (kept since DHCP saw the camera) is a MAC too."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Virtual Camera",
        unique_id="hbsim0001",
        data=entry_data(camera, **{CONF_MAC: None, CONF_OBSERVED_MAC: "ec:71:db:00:00:09"}),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["entry"]["data"][CONF_OBSERVED_MAC] == "**REDACTED**"
    assert "ec:71:db" not in json.dumps(diagnostics).lower()
