"""Setting up, unloading, and keeping availability truthful."""

from __future__ import annotations

from datetime import timedelta
import logging

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.homebound.const import DOMAIN
from simulator import VirtualCamera

from .conftest import SIM_MAC, entry_data, entry_state, state_of

CHECK_INTERVAL = timedelta(seconds=31)
ENTITY_ID = "camera.virtual_camera"


async def test_setup_and_unload(
    hass: HomeAssistant,
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """The camera becomes a device with its identity; unloading closes the connection."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED
    (device,) = dr.async_entries_for_config_entry(device_registry, config_entry.entry_id)
    assert device.identifiers == {(DOMAIN, SIM_MAC)}
    assert device.manufacturer == camera.config.manufacturer
    assert device.model == camera.config.model
    assert device.sw_version == camera.config.firmware
    assert device.serial_number == camera.config.serial
    assert (dr.CONNECTION_NETWORK_MAC, SIM_MAC) in device.connections

    client = config_entry.runtime_data.client
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    assert entry_state(config_entry) is ConfigEntryState.NOT_LOADED
    assert not client.reachable


async def test_setup_retries_when_offline(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """An unreachable camera leaves the entry retrying, not failed."""
    await camera.set_online(False)
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_setup_asks_for_new_password(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """A refused password at setup starts reauthentication."""
    camera.set_credentials("admin", "changed")
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_setup_refuses_other_camera(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """When another camera answers at the address, the entry does not adopt it."""
    entry = MockConfigEntry(domain=DOMAIN, unique_id="aa:bb:cc:dd:ee:ff", data=entry_data(camera))
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_setup_with_skewed_clock(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """A camera three hours ahead still authenticates."""
    camera.skew_clock(3 * 3600)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, ENTITY_ID) != STATE_UNAVAILABLE


async def test_availability_follows_camera(
    hass: HomeAssistant,
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Entities go unavailable and come back; the log says so once each way, at info level."""
    caplog.set_level(logging.INFO, logger="custom_components.homebound")
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, ENTITY_ID) != STATE_UNAVAILABLE

    await camera.set_online(False)
    for _ in range(3):
        async_fire_time_changed(hass, dt_util.utcnow() + CHECK_INTERVAL)
        await hass.async_block_till_done(wait_background_tasks=True)
        assert state_of(hass, ENTITY_ID) == STATE_UNAVAILABLE

    await camera.set_online(True)
    for _ in range(2):
        async_fire_time_changed(hass, dt_util.utcnow() + CHECK_INTERVAL)
        await hass.async_block_till_done(wait_background_tasks=True)
        assert state_of(hass, ENTITY_ID) != STATE_UNAVAILABLE

    down = [r for r in caplog.records if "is unavailable" in r.getMessage()]
    up = [r for r in caplog.records if "is back online" in r.getMessage()]
    assert len(down) == 1
    assert len(up) == 1
    assert down[0].levelno == up[0].levelno == logging.INFO


async def test_refused_password_while_running_starts_reauth(
    hass: HomeAssistant,
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
) -> None:
    """When the camera starts refusing the password, the user is asked for a new one."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    camera.set_credentials("admin", "rotated")
    async_fire_time_changed(hass, dt_util.utcnow() + CHECK_INTERVAL)
    await hass.async_block_till_done(wait_background_tasks=True)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_clock_jump_while_running(
    hass: HomeAssistant,
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
) -> None:
    """A camera that loses its time (reboot, no NTP) stays available: the skew is re-measured."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    camera.skew_clock(-7200)
    async_fire_time_changed(hass, dt_util.utcnow() + CHECK_INTERVAL)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state_of(hass, ENTITY_ID) != STATE_UNAVAILABLE
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
