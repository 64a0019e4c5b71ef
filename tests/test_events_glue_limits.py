"""What a camera can make Home Assistant do is bounded, and unloading always ends it all.

A camera names its rules (Dahua regions, Hikvision lines) and each name becomes a sensor; 300
distinct names made 300 entities. Through Home Assistant: beyond the cap, a further rule makes
no entity, its events show on its kind's rule-less sensor and still fire on the event entity.
And an entry unloaded in the middle of a failover (a fallback in use, the better source being
probed, a sensor's auto-off pending, the no-source timer armed) unloads, lets its
subscriptions go and leaves no task or timer behind (the test harness fails on lingering ones).
"""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest

from custom_components.homebound.cameras.event_source import issue_id
from custom_components.homebound.const import DOMAIN
from custom_components.homebound.events import Capability, EventKind, SourceKind, status
from custom_components.homebound.events.state import MAX_RULES_PER_KIND
from simulator import CameraConfig, VirtualCamera

from .events_helpers import WAIT, add_camera, condition, sensor_becomes, sensor_state, source_live

INTRUSION = EventKind.INTRUSION
ZONES = [f"Zone{n:02}" for n in range(MAX_RULES_PER_KIND + 8)]


def _rule_entities(hass: HomeAssistant, entry: ConfigEntry[Any]) -> set[str]:
    """The rules of intrusion that have a binary sensor of the entry."""
    prefix = f"{entry.unique_id}_{INTRUSION.value}_"
    return {
        e.unique_id.rsplit("_", 1)[-1]
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.domain == "binary_sensor"
        and e.unique_id.startswith(prefix)
        and e.unique_id.rsplit("_", 1)[-1] in ZONES
    }


async def test_rule_sensors_are_capped_and_the_rest_still_show(hass: HomeAssistant) -> None:
    """Forty Dahua regions: thirty-two sensors at most; the others on "Intrusion" and fired."""
    config = CameraConfig(persona="dahua", rtsp=False, heartbeat_interval=0.05)
    async with VirtualCamera(config) as camera:
        entry = await add_camera(hass, camera)
        await source_live(entry, SourceKind.DAHUA)
        hub = entry.runtime_data.hub
        for zone in ZONES:
            camera.raise_detection("intrusion", region=zone)
        await condition(hass, lambda: hub.detections.folded >= 1)
        for zone in ZONES:
            camera.raise_detection("intrusion", active=False, region=zone)
        rules = {c for c in hub.capabilities if c.kind is INTRUSION and c.rule}
        await condition(hass, lambda: all(hub.states.get(c) is False for c in rules))
        assert len(rules) == MAX_RULES_PER_KIND
        made = _rule_entities(hass, entry)
        assert 0 < len(made) <= MAX_RULES_PER_KIND
        assert made == {c.rule for c in rules} & set(ZONES)
        (beyond,) = [z for z in ZONES[-1:] if z not in made]
        (channel,) = {c.channel for c in rules}
        whole = Capability(INTRUSION, channel)
        await sensor_becomes(hass, entry, whole, STATE_OFF)

        # A region beyond the cap: its kind's sensor on, the event entity fired, no entity.
        detections = er.async_get(hass).async_get_entity_id(
            "event", DOMAIN, f"{entry.unique_id}_detections"
        )
        assert detections is not None
        before = hass.states.get(detections)
        assert before is not None

        def fired() -> bool:
            state = hass.states.get(detections)
            return state is not None and state.state != before.state

        camera.raise_detection("intrusion", region=beyond)
        await sensor_becomes(hass, entry, whole, STATE_ON)
        await condition(hass, fired)
        event = hass.states.get(detections)
        assert event is not None
        assert event.attributes["event_type"] == "intrusion_detected"
        assert beyond not in _rule_entities(hass, entry)
        camera.raise_detection("intrusion", active=False, region=beyond)
        await sensor_becomes(hass, entry, whole, STATE_OFF)
        assert hub.describe()["detections"]["folded_events"] >= len(ZONES) - MAX_RULES_PER_KIND


@pytest.fixture
def quick_probes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Probe at a tenth of the pace, so that a probe is in flight while the entry unloads."""
    monkeypatch.setattr(status, "PROBE_FIRST", 0.1)
    monkeypatch.setattr(status, "PROBE_MAX", 0.5)
    monkeypatch.setattr(status, "PROBE_WAIT", 2.0)


@pytest.mark.usefixtures("quick_probes")
@pytest.mark.parametrize("persona", ["hikvision", "dahua"])
async def test_unloading_in_the_middle_of_a_failover_ends_everything(
    hass: HomeAssistant, issue_registry: ir.IssueRegistry, persona: str
) -> None:
    """The stream refused, PullPoint in use and the stream probed, motion on (auto-off
    pending): unloading succeeds, the subscription is let go, nothing is left running."""
    config = CameraConfig(
        persona=persona, rtsp=False, repeat_interval=0.05, heartbeat_interval=0.05
    )
    async with VirtualCamera(config) as camera:
        entry = await add_camera(hass, camera)
        vendor = SourceKind.HIKVISION if persona == "hikvision" else SourceKind.DAHUA
        await source_live(entry, vendor)
        camera.set_event_stream(False)
        await source_live(entry, SourceKind.PULLPOINT)
        motion = Capability(EventKind.MOTION)
        camera.raise_detection("motion")
        await sensor_becomes(hass, entry, motion, STATE_ON)
        manager = entry.runtime_data.hub.manager
        assert manager is not None
        # The stream answers again but says nothing: a probe stays open (PROBE_WAIT).
        camera.stall_event_stream()
        camera.set_event_stream(True)
        async with asyncio.timeout(WAIT):
            while manager.candidate is None:
                manager.changed.clear()
                await manager.changed.wait()
        assert manager.kind is SourceKind.PULLPOINT

        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
        assert entry.state is ConfigEntryState.NOT_LOADED
        assert camera.events.subscriptions == []
        assert manager.running == ()
        assert manager.candidate is None
        assert sensor_state(hass, entry, motion) == STATE_UNAVAILABLE
        assert issue_registry.async_get_issue(DOMAIN, issue_id(entry.entry_id)) is None
