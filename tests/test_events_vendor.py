"""Vendor event streams end to end: Hikvision's alert stream and Dahua's event stream.

Cameras of the simulator's Hikvision, Hikvision NVR and Dahua personas are added through the
config flow; their sensors come from the vendor's own lists (``/ISAPI/Event/triggers``,
``eventManager.cgi?action=getCaps``) and ONVIF, their events from the vendor stream over a real
loopback HTTP connection with Digest, and when the stream dies Homebound falls back to ONVIF.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.homebound.events import Capability, EventKind, SourceKind, liveness
from custom_components.homebound.events.hikvision import REPEAT_WINDOW
from simulator import CameraConfig, VirtualCamera

from .events_helpers import (
    add_camera,
    hub_state_becomes,
    sensor_becomes,
    sensor_state,
    source_becomes,
    source_has_read,
    source_ready,
)

type StartCamera = Callable[..., Awaitable[VirtualCamera]]

MOTION = Capability(EventKind.MOTION)
FAST = {"repeat_interval": 0.05, "heartbeat_interval": 0.2}
"""Stream timing for tests: repeats every 50 ms, heartbeats every 200 ms."""


@pytest.fixture
async def start_camera() -> AsyncIterator[StartCamera]:
    """Start virtual cameras of any persona for one test; stop them afterwards."""
    started: list[VirtualCamera] = []

    async def start(persona: str, **settings: Any) -> VirtualCamera:
        camera = VirtualCamera(CameraConfig(persona=persona, rtsp=False, **settings))
        await camera.start()
        started.append(camera)
        return camera

    yield start
    for camera in started:
        await camera.stop()


async def test_hikvision_sensors_from_triggers_events_from_the_alert_stream(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """What only the ISAPI trigger list declares gets a sensor; the alert stream drives it."""
    camera = await start_camera("hikvision", **FAST)
    entry = await add_camera(hass, camera)
    assert await source_ready(hass, entry) is SourceKind.HIKVISION
    hub = entry.runtime_data.hub
    # ONVIF declares motion and tamper; the rest comes from /ISAPI/Event/triggers.
    assert {c.kind for c in hub.capabilities} == {
        EventKind.MOTION,
        EventKind.TAMPER,
        EventKind.LINE_CROSSING,
        EventKind.INTRUSION,
        EventKind.AUDIO,
        EventKind.DIGITAL_INPUT,
    }
    assert camera.request_counts["ISAPI/Event/triggers"] >= 1
    sound = Capability(EventKind.AUDIO)
    assert sensor_state(hass, entry, sound) == STATE_OFF

    camera.raise_detection("motion")
    await sensor_becomes(hass, entry, MOTION, STATE_ON)
    await camera.wait_for_parts("active", 4)  # the first alert and its repeats
    assert sensor_state(hass, entry, MOTION) == STATE_ON
    camera.raise_detection("motion", active=False)
    await sensor_becomes(hass, entry, MOTION, STATE_OFF)
    assert camera.stream_parts["inactive"] == 1

    camera.raise_detection("audio")
    await sensor_becomes(hass, entry, sound, STATE_ON)
    camera.raise_detection("audio", active=False)
    await sensor_becomes(hass, entry, sound, STATE_OFF)
    assert "CreatePullPointSubscription" not in camera.requests


async def test_an_nvr_event_ends_when_its_repeats_stop(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """An NVR never sends "inactive": the sensor goes off once the repeats stop."""
    camera = await start_camera("hikvision-nvr", **FAST)
    entry = await add_camera(hass, camera)
    assert await source_ready(hass, entry) is SourceKind.HIKVISION
    assert hub_auto_off(entry) > REPEAT_WINDOW + 1  # what ends it is not auto-off
    camera.raise_detection("motion")
    await sensor_becomes(hass, entry, MOTION, STATE_ON)
    await camera.wait_for_parts("active", 3)
    camera.raise_detection("motion", active=False)
    repeats = camera.stream_parts["active"]
    await camera.wait_for_parts("heartbeat", camera.stream_parts["heartbeat"] + 1)
    assert camera.stream_parts["active"] == repeats  # the repeats stopped
    assert camera.stream_parts["inactive"] == 0
    await source_has_read(entry, repeats)
    assert sensor_state(hass, entry, MOTION) == STATE_ON  # nothing said it ended
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=REPEAT_WINDOW + 0.5))
    await sensor_becomes(hass, entry, MOTION, STATE_OFF)


def hub_auto_off(entry: Any) -> float:
    """The entry's auto-off delay in seconds."""
    auto_off: float = entry.runtime_data.hub.auto_off
    return auto_off


async def test_dahua_sensors_from_caps_events_from_the_stream(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """getCaps and ONVIF declare the sensors; the attach stream drives them, rules included."""
    camera = await start_camera("dahua", **FAST)
    entry = await add_camera(hass, camera)
    assert await source_ready(hass, entry) is SourceKind.DAHUA
    hub = entry.runtime_data.hub
    assert {c.kind for c in hub.capabilities} >= {
        EventKind.MOTION,
        EventKind.TAMPER,
        EventKind.PERSON,
        EventKind.LINE_CROSSING,
        EventKind.INTRUSION,
        EventKind.LOITERING,
        EventKind.AUDIO,
        EventKind.DIGITAL_INPUT,
    }
    assert camera.request_counts["eventManager.getCaps"] >= 1
    camera.raise_detection("motion")
    await sensor_becomes(hass, entry, MOTION, STATE_ON)
    camera.raise_detection("motion", active=False)
    await sensor_becomes(hass, entry, MOTION, STATE_OFF)

    gate = Capability(EventKind.INTRUSION, rule="Gate")
    camera.raise_detection("intrusion", region="Gate")
    await sensor_becomes(hass, entry, gate, STATE_ON)  # a sensor of its own, made on the fly
    camera.raise_detection("intrusion", active=False, region="Gate")
    await sensor_becomes(hass, entry, gate, STATE_OFF)
    assert camera.stream_parts["Start"] == camera.stream_parts["Stop"] == 2


async def test_dahua_heartbeats_keep_a_quiet_stream(
    hass: HomeAssistant, start_camera: StartCamera, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stream with nothing to say but heartbeats stays the source, well past its window.

    The window learned from 20 ms heartbeats is 1.5 x 20 ms plus the slack, shortened here to
    20 ms: 50 ms; thirty heartbeats are twelve windows.
    """
    monkeypatch.setattr(liveness, "HEARTBEAT_SLACK", 0.02)
    camera = await start_camera("dahua", heartbeat_interval=0.02)
    entry = await add_camera(hass, camera)
    assert await source_ready(hass, entry) is SourceKind.DAHUA
    await camera.wait_for_parts("heartbeat", 30)
    manager = entry.runtime_data.hub.manager
    assert manager is not None
    assert manager.kind is SourceKind.DAHUA
    assert manager.failures == {}
    assert camera.request_counts["eventManager.attach"] == 2  # challenge, then one stream


@pytest.mark.parametrize(
    ("persona", "source", "stream"),
    [
        ("hikvision", SourceKind.HIKVISION, "ISAPI/Event/notification/alertStream"),
        ("dahua", SourceKind.DAHUA, "eventManager.attach"),
    ],
)
async def test_a_dead_vendor_stream_falls_back_to_onvif(
    hass: HomeAssistant,
    start_camera: StartCamera,
    persona: str,
    source: SourceKind,
    stream: str,
) -> None:
    """The camera stops serving its stream (cut, then HTTP 503): PullPoint takes over at once,
    without waiting out a silence window: the stream is opened again once, refused, and the
    source gives up."""
    camera = await start_camera(persona, repeat_interval=0.05, heartbeat_interval=0.05)
    entry = await add_camera(hass, camera)
    assert await source_ready(hass, entry) is source
    await camera.wait_for_parts("heartbeat", 3)
    camera.set_event_stream(False)
    await source_becomes(entry, SourceKind.PULLPOINT)
    # Challenge, the stream that died, the one attempt to open it again (HTTP 503).
    assert camera.request_counts[stream] == 3
    manager = entry.runtime_data.hub.manager
    assert manager is not None
    assert "; opening it again failed" in manager.failures[source.value]
    assert manager.failures[source.value].endswith("HTTP 503 (text/plain)")
    camera.raise_detection("motion")
    await sensor_becomes(hass, entry, MOTION, STATE_ON)
    camera.raise_detection("motion", active=False)
    await sensor_becomes(hass, entry, MOTION, STATE_OFF)


async def test_the_alert_stream_reconnects_after_a_reboot(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """A reboot cuts the stream and forgets the Digest nonce; Homebound connects again."""
    camera = await start_camera("hikvision", **FAST)
    entry = await add_camera(hass, camera)
    source, stream = SourceKind.HIKVISION, "ISAPI/Event/notification/alertStream"
    assert await source_ready(hass, entry) is source
    streams = camera.request_counts[stream]
    await camera.reboot()
    await camera.wait_for_request(stream, streams + 2)  # the stale nonce refused, then anew
    camera.raise_detection("motion")
    await hub_state_becomes(entry, MOTION, True)
    manager = entry.runtime_data.hub.manager
    assert manager is not None
    assert manager.kind is source
    assert manager.active is not None
    assert manager.active.stats.reconnects == 1
