"""Events end to end over ONVIF PullPoint: sensors on and off, event entity, auto-off, triggers."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_get_device_automations,
    async_mock_service,
    mock_restore_cache,
)

from custom_components.homebound.const import CONF_AUTO_OFF, DOMAIN
from custom_components.homebound.events import SourceKind
from simulator import VirtualCamera

from .conftest import state_of
from .events_helpers import DETECTIONS, MOTION, TAMPER, source_ready, state_becomes

AUTOMATION_DOMAIN = "automation"

MOTION_TOPIC = "tns1:VideoSource/MotionAlarm"


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> SourceKind:
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return await source_ready(hass, entry)


async def test_motion_on_and_off(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """A camera without a vendor stream and no webhook URL: PullPoint, sensor follows."""
    assert await _setup(hass, config_entry) is SourceKind.PULLPOINT
    assert state_of(hass, MOTION) == STATE_OFF
    assert state_of(hass, TAMPER) == STATE_OFF
    camera.trigger_event(MOTION_TOPIC, {"State": "1"})  # "1", not "true": still on
    await state_becomes(hass, MOTION, STATE_ON)
    fired = hass.states.get(DETECTIONS)
    assert fired is not None
    assert fired.attributes["event_type"] == "motion_start"
    camera.trigger_event(MOTION_TOPIC, {"State": "false"})
    await state_becomes(hass, MOTION, STATE_OFF)
    ended = hass.states.get(DETECTIONS)
    assert ended is not None
    assert ended.attributes["event_type"] == "motion_end"


async def test_a_lost_off_is_made_good_by_auto_off(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """No sensor stays on because the camera's "off" never came."""
    hass.config_entries.async_update_entry(config_entry, options={CONF_AUTO_OFF: 15})
    await _setup(hass, config_entry)
    camera.trigger_event(MOTION_TOPIC, {"State": "true"})
    await state_becomes(hass, MOTION, STATE_ON)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=16))
    await state_becomes(hass, MOTION, STATE_OFF)


async def test_a_new_kind_becomes_a_sensor(
    hass: HomeAssistant,
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A detection the topic set did not declare (vendor analytics) gets its sensor."""
    await _setup(hass, config_entry)
    camera.trigger_event(
        "tns1:RuleEngine/MyRuleDetector/PeopleDetect", {"State": "true"}, {"Source": "vs_main"}
    )
    await state_becomes(hass, "binary_sensor.virtual_camera_person", STATE_ON)
    entry = entity_registry.async_get("binary_sensor.virtual_camera_person")
    assert entry is not None
    assert entry.translation_key == "person"


async def test_device_trigger_runs_an_automation(
    hass: HomeAssistant,
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """ "Virtual Camera: motion started" in an automation fires on a real motion event."""
    await _setup(hass, config_entry)
    (device,) = dr.async_entries_for_config_entry(device_registry, config_entry.entry_id)
    triggers = await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, device.id)
    types = {t["type"] for t in triggers}
    assert {"motion_start", "motion_end", "tamper_detected"} <= types
    calls = async_mock_service(hass, "test", "automation")
    assert await async_setup_component(
        hass,
        AUTOMATION_DOMAIN,
        {
            AUTOMATION_DOMAIN: {
                "trigger": {
                    "platform": "device",
                    "domain": DOMAIN,
                    "device_id": device.id,
                    "type": "motion_start",
                },
                "action": {"service": "test.automation", "data": {"what": "motion"}},
            }
        },
    )
    camera.trigger_event(MOTION_TOPIC, {"State": "true"})
    await state_becomes(hass, MOTION, STATE_ON)
    await hass.async_block_till_done()
    assert [call.data for call in calls] == [{"what": "motion"}]


async def test_unload_unsubscribes(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """Cameras have few subscription slots: unloading gives Homebound's back."""
    await _setup(hass, config_entry)
    assert len(camera.events.subscriptions) == 1
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert camera.events.subscriptions == []


async def test_offline_camera_makes_sensors_unavailable(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """A camera that goes away takes its sensors with it, and brings them back."""
    await _setup(hass, config_entry)
    await camera.set_online(False)
    await state_becomes(hass, MOTION, STATE_UNAVAILABLE)
    await camera.set_online(True)
    for _ in range(8):  # the source retries with growing delays; fire them
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=65))
        await hass.async_block_till_done()
        if state_of(hass, MOTION) != STATE_UNAVAILABLE:
            break
    await state_becomes(hass, MOTION, STATE_OFF)
    assert config_entry.state is ConfigEntryState.LOADED


async def test_restored_state_holds_until_the_camera_answers(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """After a restart the last state is shown until the camera's events arrive."""
    mock_restore_cache(hass, [State(MOTION, STATE_ON)])
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    hub = config_entry.runtime_data.hub
    if not hub.source_active:
        assert state_of(hass, MOTION) == STATE_ON
    await source_ready(hass, config_entry)
    await state_becomes(hass, MOTION, STATE_OFF)
