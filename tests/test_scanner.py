"""The background search: started with the integration, kept to loopback in tests."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_INTEGRATION_DISCOVERY
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.homebound.cameras.scanner import async_get_scanner
from custom_components.homebound.const import DOMAIN, SCAN_INTERVAL
from custom_components.homebound.device.discovery import ENV_DISCOVERY_TARGETS
from simulator import CameraConfig, VirtualCamera


async def test_setup_starts_the_background_search(
    hass: HomeAssistant,
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once Homebound is loaded, a camera not added yet shows up as a discovery flow, and
    the search repeats every few hours."""
    async with VirtualCamera(
        CameraConfig(rtsp=False, discovery_port=0, serial="HBSIM0002", mac="02:48:42:00:00:02")
    ) as other:
        monkeypatch.setenv(ENV_DISCOVERY_TARGETS, f"127.0.0.1:{other.discovery_port}")
        assert await hass.config_entries.async_setup(config_entry.entry_id)
        await hass.async_block_till_done(wait_background_tasks=True)
        flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        assert [f["context"]["source"] for f in flows] == [SOURCE_INTEGRATION_DISCOVERY]
        assert flows[0]["context"]["unique_id"] == "02:48:42:00:00:02"
        first = async_get_scanner(hass).scanned_at
        assert first is not None

        async_fire_time_changed(hass, dt_util.utcnow() + SCAN_INTERVAL)
        await hass.async_block_till_done(wait_background_tasks=True)
        second = async_get_scanner(hass).scanned_at
        assert second is not None
        assert second > first
        assert len(hass.config_entries.flow.async_progress_by_handler(DOMAIN)) == 1
