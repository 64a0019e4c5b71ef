"""What identification costs the camera: one unauthenticated GET /, once per firmware.

Counted by the simulator itself (every HTTP request its web port received, and the SOAP
operations), against the same set-up with the web root request taken out.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import json
from typing import Any
from unittest.mock import patch

from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CoreState, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.cameras import maker as maker_module
from custom_components.homebound.cameras.known import STORAGE_KEY
from custom_components.homebound.diagnostics import async_get_config_entry_diagnostics
from custom_components.homebound.events import SourceKind
from simulator import VirtualCamera
from simulator.state import HttpRequest

from .events_helpers import WAIT, source_ready
from .maker_support import (
    ROOT,
    StartCamera,
    camera_starter,
    maker_state,
    persona_entry,
    set_up,
    web_requests,
)

UPDATED = "V5.7.3 build 220112"
"""A Hikvision firmware out of every range the catalogue lists."""


@pytest.fixture
async def start_camera() -> AsyncIterator[StartCamera]:
    async with camera_starter() as start:
        yield start


async def _set_up_and_settle(
    hass: HomeAssistant, camera: VirtualCamera, entry: MockConfigEntry
) -> None:
    """Set up, wait until the event source reads and the settings were audited, unload."""
    await set_up(hass, entry)
    if await source_ready(hass, entry) is SourceKind.PULLPOINT:
        await camera.state.wait_for_request("PullMessages", 1, WAIT)
    settings = entry.runtime_data.settings  # the settings audit reads in the background
    if settings is not None:
        async with asyncio.timeout(WAIT):
            await settings.first_audit.wait()
    assert await hass.config_entries.async_unload(entry.entry_id)


def _kinds(log: list[HttpRequest]) -> set[HttpRequest]:
    """Distinct requests; a PullPoint subscription's address (a random id) counts as one."""
    return {
        r._replace(path="/onvif/pullpoint/*") if r.path.startswith("/onvif/pullpoint/") else r
        for r in log
    }


@pytest.mark.parametrize("persona", ["lts", "annke", "xiongmai"])
async def test_identification_adds_one_request_and_nothing_else(
    hass: HomeAssistant, start_camera: StartCamera, persona: str
) -> None:
    """With and without identification's web-root request: the only difference is GET /."""

    async def no_root(*_args: Any, **_kwargs: Any) -> bool:
        return False

    without = await start_camera(persona, mac="02:00:00:00:00:01")
    with patch.object(maker_module, "fetch_root_page", no_root):
        await _set_up_and_settle(hass, without, persona_entry(hass, without, title="Without"))
    camera = await start_camera(persona, mac="02:00:00:00:00:02")
    await _set_up_and_settle(hass, camera, persona_entry(hass, camera, title="With"))

    log = web_requests(camera)
    assert [r for r in log if r.path == "/"] == [ROOT]
    assert _kinds(log) - _kinds(web_requests(without)) == {ROOT}
    assert set(camera.requests) == set(without.requests)  # the same SOAP operations
    if persona == "annke":  # its maker is not established: no maker's API is asked
        assert not [r for r in log if r.path.startswith(("/ISAPI", "/cgi-bin", "/RPC2"))]


async def _restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unload, then set up as Home Assistant does while it starts."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    hass.set_state(CoreState.not_running)
    await set_up(hass, entry)


def _roots(camera: VirtualCamera) -> int:
    return sum(r.path == "/" for r in web_requests(camera))


async def test_a_restart_asks_nothing_again_and_a_new_firmware_looks_again(
    hass: HomeAssistant, hass_storage: dict[str, Any], start_camera: StartCamera
) -> None:
    """The fingerprint and the conclusion are stored; another firmware is checked afresh."""
    camera = await start_camera("hikvision-exploited")
    entry = persona_entry(hass, camera)
    await set_up(hass, entry)
    assert entry.runtime_data.maker.fresh
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    record = hass_storage[STORAGE_KEY]["data"]["cameras"][entry.entry_id]["maker"]
    assert record["firmware"] == "V5.4.0 build 160530"
    assert record["fingerprint"]["realms"] == ["hikvision"]
    assert record["fingerprint"]["vendor_apis"] == ["isapi"]
    assert record["concluded"]["label"] == "Hikvision"

    await _restart(hass, entry)
    assert entry.runtime_data.coordinator.resumed
    assert not entry.runtime_data.maker.fresh
    assert _roots(camera) == 1
    assert maker_state(hass, entry).attributes["confidence"] == "firmware"
    assert camera.request_counts["GetDeviceInformation"] >= 1

    camera.config.firmware = UPDATED
    await _restart(hass, entry)
    assert entry.runtime_data.maker.fresh  # the camera changed: probed and looked at again
    assert _roots(camera) == 2
    assert entry.runtime_data.maker.result is not None
    assert entry.runtime_data.maker.result.firmware.findings == ()


async def test_diagnostics_show_the_evidence_without_serials_or_macs(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """A Dahua realm names the camera's serial: it and every MAC are redacted."""
    camera = await start_camera("amcrest")
    entry = persona_entry(hass, camera)
    await set_up(hass, entry)
    found = await async_get_config_entry_diagnostics(hass, entry)
    maker = found["maker"]
    assert maker["identification"]["maker"] == "dahua"
    signals = {e["signal"] for e in maker["identification"]["evidence"]}
    assert {"vendor_api", "realm", "mac", "onvif_manufacturer"} <= signals
    assert maker["fingerprint"]["realms"] == ["Login to **REDACTED**"]
    assert maker["firmware"]["findings"]  # Dahua: possibly vulnerable, with the reason
    assert maker["status"]["badges"][:1] == ["Entity List"]
    assert maker["network_mac_known"] is True
    text = json.dumps(found).lower()
    mac = camera.config.mac.lower()
    for secret in (camera.config.serial.lower(), mac, mac.replace(":", ""), mac.replace(":", "-")):
        assert secret not in text
