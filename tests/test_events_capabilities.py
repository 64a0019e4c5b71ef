"""Which sensors a camera gets when it cannot say which events it has."""

from __future__ import annotations

from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.const import DOMAIN
from custom_components.homebound.events import Capability, EventKind, SourceKind
from simulator import VirtualCamera

from .conftest import state_of
from .events_helpers import MOTION, TAMPER, hub_state_becomes, source_ready, state_becomes


async def test_an_unreadable_topic_set_gives_a_motion_sensor(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """The camera has an event service but answers GetEventProperties with a fault: it gets
    the one sensor every camera with events has (motion), which works, and no sensors for
    kinds nobody said it has."""
    camera.set_fault("GetEventProperties")
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert await source_ready(hass, config_entry) is SourceKind.PULLPOINT
    assert camera.request_counts["GetEventProperties"] == 1
    assert config_entry.runtime_data.hub.capabilities == {Capability(EventKind.MOTION)}
    registry = er.async_get(hass)
    sensors = {
        e.entity_id
        for e in er.async_entries_for_config_entry(registry, config_entry.entry_id)
        if e.domain == "binary_sensor" and e.platform == DOMAIN
    }
    assert MOTION in sensors
    assert TAMPER not in sensors
    camera.raise_detection("motion")
    await state_becomes(hass, MOTION, STATE_ON)
    camera.raise_detection("motion", active=False)
    await state_becomes(hass, MOTION, STATE_OFF)


async def test_events_of_an_unknown_topic_change_no_sensor(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """A topic neither Homebound's table nor onvif-parsers knows (vendor firmware): the
    message is counted as ignored and its topic listed for diagnostics; no sensor changes,
    and the events after it come through."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert await source_ready(hass, config_entry) is SourceKind.PULLPOINT
    topic = "tns1:Homebound/NobodyKnowsThis"
    camera.trigger_event(topic, {"State": "true"})
    camera.raise_detection("motion")
    await state_becomes(hass, MOTION, STATE_ON)
    manager = config_entry.runtime_data.hub.manager
    assert manager is not None
    assert manager.active is not None
    stats = manager.active.stats
    assert topic in stats.unknown_topics
    assert stats.ignored == 1
    assert state_of(hass, TAMPER) == STATE_OFF


async def test_topics_onvif_parsers_reads_as_no_detection_are_ignored(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """Topics outside Homebound's table go to onvif-parsers; what it reads as a measurement
    (processor usage), as a kind Homebound has no sensor for (storage failure), or cannot
    read at all (a Reolink package message without data) is counted as ignored, and the
    detections after them (a TP-Link person detection) come through."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert await source_ready(hass, config_entry) is SourceKind.PULLPOINT
    camera.trigger_event("tns1:Monitoring/ProcessorUsage", {"Value": "12"})
    camera.trigger_event("tns1:Device/HardwareFailure/StorageFailure", {"Failed": "true"})
    camera.trigger_event("tns1:RuleEngine/MyRuleDetector/Package", {})
    camera.trigger_event("tns1:RuleEngine/CellMotionDetector/People", {"IsPeople": "true"})
    await hub_state_becomes(config_entry, Capability(EventKind.PERSON), True)
    manager = config_entry.runtime_data.hub.manager
    assert manager is not None
    assert manager.active is not None
    assert manager.active.stats.ignored == 3
    assert manager.active.stats.unknown_topics == {
        "tns1:Monitoring/ProcessorUsage",
        "tns1:Device/HardwareFailure/StorageFailure",
        "tns1:RuleEngine/MyRuleDetector/Package",
    }
    assert state_of(hass, MOTION) == STATE_OFF
