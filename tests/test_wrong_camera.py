"""Another camera at the address after an outage is refused at every reconnect.

A camera behind DHCP can lose its address to another one of the same make, with the same
factory password. Homebound checks who answers every time it connects again — the full probe
when the camera comes back after an outage, the serial at each health check — and refuses a
stranger: the ``wrong_camera`` repair, the entities unavailable, and nothing follows it: no
event stream or subscription stays open on it, none of its events reaches a sensor, an event
entity or a device trigger, its picture is not served, and the device page, the stored record
and what the firewall reads (``link.camera_facts``) stay the right camera's. When the right
camera answers again, all of it comes back.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from homeassistant.components.camera import async_get_stream_source
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.homebound import link
from custom_components.homebound.cameras.coordinator import wrong_camera_issue_id
from custom_components.homebound.cameras.known import async_known_cameras
from custom_components.homebound.const import DOMAIN, HEALTH_CHECK_INTERVAL, SIGNAL_EVENT
from custom_components.homebound.events import Capability, EventKind, SourceKind, liveness, status
from simulator import CameraConfig, VirtualCamera

from .events_helpers import WAIT, add_camera, sensor_becomes, source_live
from .flows import free_tcp_port

MOTION = Capability(EventKind.MOTION)
STREAM = "ISAPI/Event/notification/alertStream"
STRANGER = {"mac": "02:48:42:00:00:99", "serial": "HBSIM9999", "name": "Neighbour's camera"}
"""Another camera of the same make, with the same factory password."""


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Probe at a tenth of the pace (the sources look for the camera while it is away)."""
    monkeypatch.setattr(status, "PROBE_FIRST", 0.1)
    monkeypatch.setattr(status, "PROBE_MAX", 0.5)
    monkeypatch.setattr(liveness, "HEARTBEAT_SLACK", 0.2)


def _config(port: int, *, mac: str = "", serial: str = "", name: str = "") -> CameraConfig:
    """A Hikvision camera at ``port``; the identity left empty is the persona's."""
    return CameraConfig(
        persona="hikvision",
        rtsp=False,
        onvif_port=port,
        repeat_interval=0.05,
        heartbeat_interval=0.05,
        mac=mac,
        serial=serial,
        name=name,
    )


@pytest.fixture
async def cameras() -> AsyncIterator[list[VirtualCamera]]:
    """Cameras a test starts (stopped at its end, whichever still runs)."""
    started: list[VirtualCamera] = []
    yield started
    for camera in started:
        await camera.stop()


async def _start(cameras: list[VirtualCamera], config: CameraConfig) -> VirtualCamera:
    camera = VirtualCamera(config)
    await camera.start()
    cameras.append(camera)
    return camera


class Identity:
    """What the coordinator concluded about who answers, as it happens."""

    def __init__(self, entry: ConfigEntry[Any]) -> None:
        self.seen: list[bool] = []
        self.changed = asyncio.Event()
        self.remove = entry.runtime_data.coordinator.async_listen_identity(self._checked)

    def _checked(self, right: bool) -> None:
        self.seen.append(right)
        self.changed.set()

    async def until(self, right: bool, after: int = 0) -> None:
        """Wait until the coordinator's last word on who answers (after ``after`` words) is
        ``right``."""
        async with asyncio.timeout(WAIT):
            while len(self.seen) <= after or self.seen[-1] is not right:
                self.changed.clear()
                await self.changed.wait()


def _states(hass: HomeAssistant, entry: ConfigEntry[Any]) -> dict[str, str]:
    """The states of the entry's entities but Maker status (who made the camera it was set
    up for: that stays true whoever answers)."""
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    found = {}
    for entity in entities:
        if entity.translation_key == "maker_status":
            continue
        state = hass.states.get(entity.entity_id)
        if state is not None:
            found[entity.entity_id] = state.state
    return found


async def test_another_camera_after_an_outage_is_refused_and_followed_by_nothing(
    hass: HomeAssistant, cameras: list[VirtualCamera], issue_registry: ir.IssueRegistry
) -> None:
    port = free_tcp_port()
    right = await _start(cameras, _config(port))
    entry = await add_camera(hass, right)
    await source_live(entry, SourceKind.HIKVISION)
    coordinator = entry.runtime_data.coordinator
    facts = link.camera_facts(hass)
    (device,) = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    identity = Identity(entry)
    fired: list[Event] = []
    hass.bus.async_listen(SIGNAL_EVENT, callback(lambda event: fired.append(event)))

    # The outage: the camera goes, the stream is lost, the camera is found gone at once.
    await right.stop()
    await sensor_becomes(hass, entry, MOTION, STATE_UNAVAILABLE)
    assert not coordinator.last_update_success

    # Another camera of the same make and password takes the address; the next check meets it.
    stranger = await _start(cameras, _config(port, **STRANGER))
    # The checks asked for meanwhile are done (firing the clock would time them out).
    await hass.async_block_till_done(wait_background_tasks=True)
    async_fire_time_changed(hass, dt_util.utcnow() + HEALTH_CHECK_INTERVAL)
    await identity.until(False)
    await hass.async_block_till_done()
    issue = issue_registry.async_get_issue(DOMAIN, wrong_camera_issue_id(entry))
    assert issue is not None
    assert issue.translation_key == "wrong_camera"
    assert coordinator.refused
    assert set(_states(hass, entry).values()) == {STATE_UNAVAILABLE}

    # Nothing follows it: no stream or subscription stays open on it, its events go nowhere.
    await stranger.state.wait_until(
        lambda: not stranger.events.listeners and not stranger.events.subscriptions, WAIT
    )
    streams = stranger.request_counts[STREAM]
    stranger.raise_detection("motion")
    await hass.async_block_till_done()
    assert fired == []
    assert entry.runtime_data.hub.detections.states.get(MOTION) is not True
    assert await async_get_stream_source(hass, "camera.hikvision_ds_2cd2043g2_i") is None
    assert link.camera_facts(hass) == facts
    again = dr.async_get(hass).async_get(device.id)
    assert isinstance(again, dr.DeviceEntry)
    assert (again.serial_number, again.connections) == (device.serial_number, device.connections)
    known = await async_known_cameras(hass)
    stored = known.info(entry.entry_id)
    assert stored is not None
    assert stored.identity.serial == right.config.serial

    # Still there a minute later: still refused, asked again, never followed.
    checks = len(identity.seen)
    await hass.async_block_till_done(wait_background_tasks=True)
    async_fire_time_changed(hass, dt_util.utcnow() + HEALTH_CHECK_INTERVAL * 2)
    await identity.until(False, after=checks)
    assert stranger.request_counts[STREAM] == streams
    assert not stranger.events.subscriptions

    # The right camera is back: the repair goes, its events flow again.
    await stranger.stop()
    back = await _start(cameras, _config(port))
    await hass.async_block_till_done(wait_background_tasks=True)
    async_fire_time_changed(hass, dt_util.utcnow() + HEALTH_CHECK_INTERVAL * 3)
    await identity.until(True)
    await source_live(entry, SourceKind.HIKVISION)
    assert issue_registry.async_get_issue(DOMAIN, wrong_camera_issue_id(entry)) is None
    assert not coordinator.refused
    back.raise_detection("motion")
    await sensor_becomes(hass, entry, MOTION, STATE_ON)
    assert [event.data["type"] for event in fired] == ["motion_start"]
    identity.remove()


async def test_another_camera_is_caught_by_the_health_check(
    hass: HomeAssistant, cameras: list[VirtualCamera], issue_registry: ir.IssueRegistry
) -> None:
    """No outage the coordinator sees: the stream is lost and another camera answers at once.
    The one check the loss costs (GetDeviceInformation, no probe) reads its serial and refuses
    it; the events it sends meanwhile are held, then dropped, never shown."""
    port = free_tcp_port()
    camera = await _start(cameras, _config(port))
    entry = await add_camera(hass, camera)
    await source_live(entry, SourceKind.HIKVISION)
    identity = Identity(entry)
    fired: list[Event] = []
    hass.bus.async_listen(SIGNAL_EVENT, callback(lambda event: fired.append(event)))
    # The settings audit that follows set-up reads the addresses too: counted before this.
    await entry.runtime_data.settings.first_audit.wait()
    await hass.async_block_till_done(wait_background_tasks=True)
    camera.reset_counts()
    camera.config.serial = STRANGER["serial"]  # another camera at the address, at once
    camera.set_event_stream(False)  # the stream is lost (and refused)
    camera.raise_detection("motion")  # what the stranger says meanwhile
    await identity.until(False)
    assert issue_registry.async_get_issue(DOMAIN, wrong_camera_issue_id(entry)) is not None
    assert camera.request_counts["GetDeviceInformation"] == 1
    assert camera.request_counts["GetNetworkInterfaces"] == 0  # no probe: the serial told
    camera.set_event_stream(True)
    await camera.state.wait_until(
        lambda: not camera.events.listeners and not camera.events.subscriptions, WAIT
    )
    camera.raise_detection("motion", active=False)
    camera.raise_detection("motion")
    await hass.async_block_till_done()
    assert fired == []
    assert set(_states(hass, entry).values()) == {STATE_UNAVAILABLE}
