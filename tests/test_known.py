"""Starting from what the camera was at the last run: one request per camera at start."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.cameras.client import async_client
from custom_components.homebound.cameras.known import (
    STORAGE_KEY,
    STORAGE_VERSION,
    async_known_cameras,
)
from custom_components.homebound.device import CameraInfo
from custom_components.homebound.device.stored import info_to_data
from simulator import VirtualCamera

from .conftest import entry_data, entry_state, state_of

PROBE_ONLY = (
    "GetSystemDateAndTime",
    "GetServices",
    "GetNetworkInterfaces",
    "GetProfiles",
    "GetEventProperties",
)
AUDIT_READS = {"GetSystemDateAndTime": 1, "GetNetworkInterfaces": 1}
"""What the settings audit that follows every set-up asks of these (the clock, the addresses)."""
ENTITY_ID = "camera.virtual_camera"


async def _probed(hass: HomeAssistant, camera: VirtualCamera) -> CameraInfo:
    client = async_client(hass, entry_data(camera))
    try:
        return await client.async_connect()
    finally:
        await client.async_close()


def _store(hass_storage: dict[str, Any], entry: MockConfigEntry, record: dict[str, Any]) -> None:
    hass_storage[STORAGE_KEY] = {
        "version": STORAGE_VERSION,
        "minor_version": 1,
        "key": STORAGE_KEY,
        "data": {"cameras": {entry.entry_id: record}},
    }


async def _start(hass: HomeAssistant, camera: VirtualCamera, entry: MockConfigEntry) -> None:
    """Set the entry up as Home Assistant does while it starts, counting from zero.

    Counted until the settings audit that follows the set-up in the background is done, so
    that what is counted does not depend on how fast this machine is.
    """
    hass.set_state(CoreState.not_running)
    camera.reset_counts()
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    if entry.state is ConfigEntryState.LOADED:
        async with asyncio.timeout(30):
            await entry.runtime_data.settings.first_audit.wait()
    await hass.async_block_till_done(wait_background_tasks=True)


async def _final_write(hass: HomeAssistant) -> None:
    """What Home Assistant does last when it stops: write what waits to be written."""
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()


def _probed_ops(camera: VirtualCamera) -> dict[str, int]:
    return {op: camera.request_counts[op] for op in PROBE_ONLY if camera.request_counts[op]}


async def test_restart_asks_one_question(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """Set up once (probed, audited, remembered); at the next start one GetDeviceInformation
    does: the day's settings audit is remembered too."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await config_entry.runtime_data.settings.first_audit.wait()
    entities = {
        e.entity_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), config_entry.entry_id)
    }
    assert await hass.config_entries.async_unload(config_entry.entry_id)

    await _start(hass, camera, config_entry)
    assert entry_state(config_entry) is ConfigEntryState.LOADED
    assert config_entry.runtime_data.coordinator.resumed
    assert _probed_ops(camera) == {}
    assert camera.request_counts["GetDeviceInformation"] == 1
    assert camera.request_counts["GetNTP"] == 0
    assert config_entry.runtime_data.settings.audits == 0  # restored, not read again
    assert state_of(hass, ENTITY_ID) != "unavailable"
    again = {
        e.entity_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), config_entry.entry_id)
    }
    assert again == entities


async def test_record_is_written_and_read_back(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
) -> None:
    """The record reaches storage (here: at shutdown; otherwise seconds after setup)."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await _final_write(hass)
    record = hass_storage[STORAGE_KEY]["data"]["cameras"][config_entry.entry_id]
    assert record["info"]["identity"]["model"] == camera.config.model
    assert {"kind": "motion", "channel": "", "rule": ""} in record["events"]["capabilities"]


async def test_start_from_stored_record(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
) -> None:
    """A record left by the last run: the camera is asked one question, events none."""
    info = await _probed(hass, camera)
    _store(
        hass_storage,
        config_entry,
        {
            "info": info_to_data(info),
            "events": {"capabilities": [{"kind": "motion"}], "vendor": None},
        },
    )
    await _start(hass, camera, config_entry)
    assert entry_state(config_entry) is ConfigEntryState.LOADED
    assert _probed_ops(camera) == AUDIT_READS
    assert state_of(hass, "binary_sensor.virtual_camera_motion") != "unavailable"


async def test_firmware_update_probes_afresh(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
) -> None:
    """The camera got new firmware while Home Assistant was down: it is probed again."""
    info = await _probed(hass, camera)
    old = replace(
        info, identity=replace(info.identity, firmware="0.9.0"), profiles=info.profiles[:1]
    )
    _store(hass_storage, config_entry, {"info": info_to_data(old)})
    await _start(hass, camera, config_entry)
    assert entry_state(config_entry) is ConfigEntryState.LOADED
    assert not config_entry.runtime_data.coordinator.resumed
    assert _probed_ops(camera)["GetProfiles"] == 1
    assert config_entry.runtime_data.info.profiles == info.profiles


async def test_unfit_record_probes_afresh(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
) -> None:
    """A record this version cannot read is ignored."""
    _store(hass_storage, config_entry, {"info": {"identity": "?"}, "events": {"vendor": "x"}})
    await _start(hass, camera, config_entry)
    assert entry_state(config_entry) is ConfigEntryState.LOADED
    assert _probed_ops(camera)["GetProfiles"] == 1
    assert config_entry.runtime_data.hub.capabilities


async def test_moved_clock_probes_afresh(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
) -> None:
    """The camera's clock jumped (no NTP, a power cut): the stored offset no longer signs; the
    full probe measures the clock again and the camera is set up."""
    info = await _probed(hass, camera)
    _store(hass_storage, config_entry, {"info": info_to_data(info)})
    camera.skew_clock(-3 * 3600)
    await _start(hass, camera, config_entry)
    assert entry_state(config_entry) is ConfigEntryState.LOADED
    assert _probed_ops(camera)["GetSystemDateAndTime"] >= 1
    assert abs(config_entry.runtime_data.client.clock_skew + 3 * 3600) < 60


async def test_known_camera_offline_at_start_retries(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
) -> None:
    """Knowing the camera does not make an unreachable one look set up."""
    info = await _probed(hass, camera)
    _store(hass_storage, config_entry, {"info": info_to_data(info)})
    await camera.set_online(False)
    await _start(hass, camera, config_entry)
    assert entry_state(config_entry) is ConfigEntryState.SETUP_RETRY


async def test_reload_while_running_probes_afresh(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """A reload asked for while Home Assistant runs looks at the camera again."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    camera.reset_counts()
    assert await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert _probed_ops(camera)["GetProfiles"] == 1
    assert not config_entry.runtime_data.coordinator.resumed


async def test_removed_entry_is_forgotten(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
) -> None:
    """Removing the camera removes its record."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await hass.config_entries.async_remove(config_entry.entry_id)
    await _final_write(hass)
    assert hass_storage[STORAGE_KEY]["data"]["cameras"] == {}


@pytest.mark.parametrize(
    "events",
    [
        None,
        "motion",
        {"capabilities": "motion", "vendor": None},
        {"capabilities": ["motion"], "vendor": None},
        {"capabilities": [{"kind": "smoke"}], "vendor": None},
        {"capabilities": [{"channel": "1"}], "vendor": None},
        {"capabilities": [], "vendor": "carrier_pigeon"},
    ],
)
async def test_unfit_event_records_read_as_unknown(
    hass: HomeAssistant, hass_storage: dict[str, Any], events: Any
) -> None:
    """What the camera could report is taken from the record only when all of it fits."""
    hass_storage[STORAGE_KEY] = {
        "version": STORAGE_VERSION,
        "minor_version": 1,
        "key": STORAGE_KEY,
        "data": {"cameras": {"e1": {"events": events}, "e2": "not a record"}},
    }
    known = await async_known_cameras(hass)
    assert known.events("e1") is None
    assert known.events("e2") is None
    assert known.info("e1") is None


async def test_known_cameras_are_read_once(hass: HomeAssistant) -> None:
    """Many entries starting at once share one read of the file."""
    first, second = await asyncio.gather(async_known_cameras(hass), async_known_cameras(hass))
    assert first is second
    assert await async_known_cameras(hass) is first
