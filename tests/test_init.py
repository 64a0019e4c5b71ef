"""Setting up, unloading, and keeping availability truthful."""

from __future__ import annotations

from datetime import timedelta
import logging

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_STOP, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.homebound.cameras.coordinator import wrong_camera_issue_id
from custom_components.homebound.const import CONF_MAC, CONF_SERIAL, DOMAIN, HEALTH_CHECK_INTERVAL
from simulator import VirtualCamera

from .conftest import SIM_MAC, entry_data, entry_state, state_of

CHECK_INTERVAL = HEALTH_CHECK_INTERVAL + timedelta(seconds=1)
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


async def test_setup_refuses_other_camera(
    hass: HomeAssistant, camera: VirtualCamera, issue_registry: ir.IssueRegistry
) -> None:
    """When another camera answers at the address, the entry does not adopt it: it retries,
    and a repair issue says why; the issue goes once the right camera answers."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="aa:bb:cc:dd:ee:ff",
        data=entry_data(camera, **{CONF_MAC: "aa:bb:cc:dd:ee:ff"}),
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    issue = issue_registry.async_get_issue(DOMAIN, wrong_camera_issue_id(entry))
    assert issue is not None
    assert issue.translation_key == "wrong_camera"

    hass.config_entries.async_update_entry(entry, unique_id=SIM_MAC, data=entry_data(camera))
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry_state(entry) is ConfigEntryState.LOADED
    assert issue_registry.async_get_issue(DOMAIN, wrong_camera_issue_id(entry)) is None


async def test_setup_remembers_the_serial(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """Entries made before serials were kept learn the camera's serial at setup."""
    assert CONF_SERIAL not in config_entry.data
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.data[CONF_SERIAL] == camera.config.serial


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
    caplog.set_level(logging.INFO)
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

    # The coordinator says so once each way (Home Assistant's own wording).
    down = [r for r in caplog.records if "does not answer" in r.getMessage()]
    up = [r for r in caplog.records if "data recovered" in r.getMessage()]
    assert len(down) == 1
    assert len(up) == 1


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


async def test_camera_back_with_other_profiles_reloads(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """A camera that comes back after an outage is probed again; when its profiles changed
    (a firmware update, a factory reset), the entry reloads and the entities follow."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    registry = er.async_get(hass)
    assert registry.async_get("camera.virtual_camera_sub_stream") is not None
    await camera.set_online(False)
    async_fire_time_changed(hass, dt_util.utcnow() + CHECK_INTERVAL)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state_of(hass, ENTITY_ID) == STATE_UNAVAILABLE

    camera.state.profiles = camera.profiles[:1]  # a firmware update dropped the sub stream
    await camera.set_online(True)
    async_fire_time_changed(hass, dt_util.utcnow() + 2 * CHECK_INTERVAL)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry_state(config_entry) is ConfigEntryState.LOADED
    assert state_of(hass, ENTITY_ID) != STATE_UNAVAILABLE
    assert [p.token for p in config_entry.runtime_data.info.profiles] == ["profile_main"]
    assert registry.async_get("camera.virtual_camera_sub_stream") is None


async def test_stopping_home_assistant_closes_the_camera_connections(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """Home Assistant does not unload entries when it stops; Homebound closes its sessions."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    client = config_entry.runtime_data.client
    assert client.connected
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    assert not client.connected
