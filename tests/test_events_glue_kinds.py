"""What the camera reveals in its events reaches every part of Home Assistant, on any framing.

A kind the camera's lists left out (person on the Hikvision persona, vehicle on the Dahua
one: their lists do not name them) is first seen in an event: its sensor is made, its event
type is added to the event entity before that very event fires, the device offers it as a
trigger at once and an automation on it runs; after a restart and after a reload (which asks
the camera afresh) it is still there. A channel first seen gets its own event entity. And a
stream whose every part states a wrong ``Content-Length`` (``999``, LF line
ends, written in pieces) delivers every event through to the sensors.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    async_get_device_automations,
    async_mock_service,
)

from custom_components.homebound.const import DOMAIN
from custom_components.homebound.events import Capability, Event, EventKind, SourceKind
from simulator import CameraConfig, Quirk, VirtualCamera

from .events_helpers import add_camera, condition, sensor_becomes, source_live

MOTION = Capability(EventKind.MOTION)


def _detections(hass: HomeAssistant, entry: ConfigEntry[Any]) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        "event", DOMAIN, f"{entry.unique_id}_detections"
    )
    assert entity_id is not None
    return entity_id


def _types(hass: HomeAssistant, entity_id: str) -> list[str]:
    state = hass.states.get(entity_id)
    assert state is not None
    return list(state.attributes["event_types"])


async def _trigger_types(hass: HomeAssistant, entry: ConfigEntry[Any]) -> set[str]:
    (device,) = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    triggers = await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, device.id)
    return {t["type"] for t in triggers}


@pytest.mark.parametrize(
    ("persona", "kind"), [("hikvision", EventKind.PERSON), ("dahua", EventKind.VEHICLE)]
)
async def test_a_kind_first_seen_in_an_event_fires_everywhere(
    hass: HomeAssistant, persona: str, kind: EventKind
) -> None:
    """Person on a Hikvision camera, vehicle on a Dahua one (``SmartMotionVehicle``): sensor,
    event type, the event, device trigger, automation; kept across a restart and a reload."""
    config = CameraConfig(
        persona=persona, rtsp=False, repeat_interval=0.05, heartbeat_interval=0.05
    )
    vendor = SourceKind.HIKVISION if persona == "hikvision" else SourceKind.DAHUA
    learned = Capability(kind)
    fired_type = f"{kind.value}_detected"
    async with VirtualCamera(config) as camera:
        entry = await add_camera(hass, camera)
        await source_live(entry, vendor)
        detections = _detections(hass, entry)
        assert fired_type not in _types(hass, detections)
        assert fired_type not in await _trigger_types(hass, entry)
        (device,) = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        calls = async_mock_service(hass, "test", "automation")
        assert await async_setup_component(
            hass,
            "automation",
            {
                "automation": {
                    "trigger": {
                        "platform": "device",
                        "domain": DOMAIN,
                        "device_id": device.id,
                        "type": fired_type,
                    },
                    "action": {"service": "test.automation", "data": {"who": kind.value}},
                }
            },
        )

        camera.raise_detection(kind.value)
        await sensor_becomes(hass, entry, learned, STATE_ON)
        fired = hass.states.get(detections)
        assert fired is not None
        assert fired.attributes["event_type"] == fired_type
        assert fired_type in _types(hass, detections)
        registered = er.async_get(hass).async_get(detections)
        assert registered is not None
        assert registered.capabilities is not None
        assert fired_type in registered.capabilities["event_types"]
        assert fired_type in await _trigger_types(hass, entry)
        await hass.async_block_till_done()
        assert [call.data for call in calls] == [{"who": kind.value}]

        # A restart: the entry starts from what was stored, the camera is asked one question.
        assert await hass.config_entries.async_unload(entry.entry_id)
        assert fired_type in await _trigger_types(hass, entry)  # from the store
        hass.set_state(CoreState.not_running)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert entry.runtime_data.coordinator.resumed
        assert fired_type in _types(hass, detections)
        assert fired_type in await _trigger_types(hass, entry)

        # A reload while running asks the camera afresh: what its events taught is kept.
        hass.set_state(CoreState.running)
        assert await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
        assert not entry.runtime_data.coordinator.resumed
        assert learned in entry.runtime_data.hub.capabilities
        assert fired_type in _types(hass, detections)
        await source_live(entry, vendor)
        camera.raise_detection(kind.value, active=False)
        camera.raise_detection(kind.value)
        await condition(hass, lambda: len(calls) == 2)


@pytest.mark.parametrize("persona", ["hikvision", "dahua"])
async def test_a_wrong_content_length_delivers_every_event_through_home_assistant(
    hass: HomeAssistant, persona: str
) -> None:
    """``Content-Length: 999`` on every part, LF line ends, pieces: five motion cycles, each
    start and end on the sensor; the quirk is counted for diagnostics."""
    config = CameraConfig(
        persona=persona,
        rtsp=False,
        quirks=frozenset({Quirk.STREAM_WRONG_LENGTH, Quirk.STREAM_LF_ONLY, Quirk.BODIES_IN_PIECES}),
        repeat_interval=0.05,
        heartbeat_interval=0.05,
    )
    async with VirtualCamera(config) as camera:
        entry = await add_camera(hass, camera)
        kind = SourceKind.HIKVISION if persona == "hikvision" else SourceKind.DAHUA
        await source_live(entry, kind)
        for _ in range(5):
            camera.raise_detection("motion")
            await sensor_becomes(hass, entry, MOTION, STATE_ON)
            camera.raise_detection("motion", active=False)
            await sensor_becomes(hass, entry, MOTION, STATE_OFF)
        manager = entry.runtime_data.hub.manager
        assert manager is not None
        assert manager.kind is kind
        described = manager.describe()["active"]
        assert described["framing_quirks"] > 0
        assert described["malformed"] == 0
        assert entry.state is ConfigEntryState.LOADED


async def test_a_channel_first_seen_in_an_event_gets_its_event_entity(
    hass: HomeAssistant,
) -> None:
    """A channel the camera's lists left out: its event entity is made and fires the event
    that revealed it; after a restart the entity is there, with its types, from the store.

    The simulator's cameras and NVR show one ONVIF video source (every channel reads as the
    camera-wide one), so the event is handed to the camera's state machine as its source
    would hand it: what is tested is the glue from there on, through Home Assistant.
    """
    config = CameraConfig(
        persona="hikvision", rtsp=False, repeat_interval=0.05, heartbeat_interval=0.05
    )
    async with VirtualCamera(config) as camera:
        entry = await add_camera(hass, camera)
        await source_live(entry, SourceKind.HIKVISION)
        registry = er.async_get(hass)
        unique_id = f"{entry.unique_id}_detections_2"
        assert registry.async_get_entity_id("event", DOMAIN, unique_id) is None
        camera_wide = _types(hass, _detections(hass, entry))
        revealed = Capability(EventKind.VEHICLE, "2")
        entry.runtime_data.hub.detections.event(Event(revealed, True, SourceKind.HIKVISION))

        def fired() -> bool:
            entity_id = registry.async_get_entity_id("event", DOMAIN, unique_id)
            state = hass.states.get(entity_id) if entity_id else None
            return state is not None and state.attributes.get("event_type") == "vehicle_detected"

        await condition(hass, fired)
        entity_id = registry.async_get_entity_id("event", DOMAIN, unique_id)
        assert entity_id is not None
        assert "vehicle_detected" in _types(hass, entity_id)
        assert _types(hass, _detections(hass, entry)) == camera_wide  # the channel's own
        assert "vehicle_detected" in await _trigger_types(hass, entry)

        assert await hass.config_entries.async_unload(entry.entry_id)
        hass.set_state(CoreState.not_running)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert entry.runtime_data.coordinator.resumed
        assert "vehicle_detected" in _types(hass, entity_id)
        hass.set_state(CoreState.running)
