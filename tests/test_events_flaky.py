"""Flaky cameras end to end: reboots, pulls answered at once, pushes that never come, lost offs.

Each test turns on one habit of real firmware in the simulator and checks what Homebound makes
of it through Home Assistant: it resubscribes, it does not hammer, it falls back, and no sensor
stays on because the camera never said "off".
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from unittest.mock import MagicMock

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.homebound.const import CONF_AUTO_OFF
from custom_components.homebound.events import Capability, EventKind, SourceKind, onvif_sources
from custom_components.homebound.events.hikvision import REPEAT_WINDOW
from simulator import CameraConfig, Quirk, VirtualCamera

from .events_helpers import (
    add_camera,
    hub_state_becomes,
    sensor_becomes,
    sensor_state,
    source_becomes,
    source_has_read,
    source_ready,
)
from .test_events_push import webhook_url

__all__ = ["webhook_url"]  # a fixture, shared with the push tests

MOTION = Capability(EventKind.MOTION)
AUTO_OFF = 15


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> SourceKind:
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return await source_ready(hass, entry)


async def test_pullpoint_resubscribes_after_a_reboot(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """A reboot forgets every subscription; Homebound makes a new one by itself."""
    assert await _setup(hass, config_entry) is SourceKind.PULLPOINT
    assert camera.requests.count("CreatePullPointSubscription") == 1
    await camera.reboot()
    assert camera.events.subscriptions == []
    await camera.wait_for_request("CreatePullPointSubscription", 2)
    await camera.state.wait_until(lambda: len(camera.events.subscriptions) == 1, 10.0)
    camera.raise_detection("motion")
    await hub_state_becomes(config_entry, MOTION, True)
    # The source coming back checks the camera at once (not after the debouncer's 10 s), so
    # the sensor shows the motion without any clock moving.
    await sensor_becomes(hass, config_entry, MOTION, STATE_ON)
    camera.raise_detection("motion", active=False)
    await sensor_becomes(hass, config_entry, MOTION, STATE_OFF)
    manager = config_entry.runtime_data.hub.manager
    assert manager is not None
    assert manager.kind is SourceKind.PULLPOINT
    assert manager.active is not None
    assert manager.active.stats.reconnects == 1


async def test_a_camera_that_ignores_the_pull_timeout_is_not_hammered(
    hass: HomeAssistant,
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Empty answers at once: Homebound holds itself to one pull per MIN_PULL_INTERVAL.

    The interval is shortened to 50 ms; a loop without the guard makes hundreds of pulls in
    the time ten guarded ones take. Only a lower bound on time is asserted, never an upper.
    """
    interval = 0.05
    monkeypatch.setattr(onvif_sources, "MIN_PULL_INTERVAL", interval)
    camera.set_quirk(Quirk.IGNORES_PULL_TIMEOUT)
    assert await _setup(hass, config_entry) is SourceKind.PULLPOINT
    loop = asyncio.get_running_loop()
    pulls = camera.requests.count("PullMessages")
    started = loop.time()
    # Eleven pulls: ten gaps, of which only the one after the subscription's first answer
    # (the initial states, not empty) has no pause.
    await camera.wait_for_request("PullMessages", pulls + 11)
    assert loop.time() - started >= 9 * interval
    camera.raise_detection("motion")  # and events still come through
    await sensor_becomes(hass, config_entry, MOTION, STATE_ON)


@pytest.mark.usefixtures("webhook_url")
async def test_a_camera_that_never_pushes_falls_back_to_pullpoint(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """Subscribe is accepted, no Notify ever comes: PullPoint takes over."""
    camera.set_quirk(Quirk.NEVER_PUSHES)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await source_becomes(config_entry, SourceKind.WEBHOOK)
    assert "Subscribe" in camera.requests
    async_fire_time_changed(
        hass, dt_util.utcnow() + timedelta(seconds=onvif_sources.WEBHOOK_FIRST_DELIVERY + 1)
    )
    await source_becomes(config_entry, SourceKind.PULLPOINT)
    manager = config_entry.runtime_data.hub.manager
    assert manager is not None
    assert manager.failures == {"onvif_webhook": "fell silent"}
    camera.raise_detection("motion")
    await sensor_becomes(hass, config_entry, MOTION, STATE_ON)


@pytest.fixture
async def vendor_camera(request: pytest.FixtureRequest) -> AsyncIterator[VirtualCamera]:
    """A camera of the persona the test is parametrized with, that drops its offs."""
    camera = VirtualCamera(
        CameraConfig(
            persona=request.param,
            rtsp=False,
            quirks=frozenset({Quirk.DROPS_OFF_MESSAGES}),
            repeat_interval=0.05,
            heartbeat_interval=0.2,
        )
    )
    await camera.start()
    try:
        yield camera
    finally:
        await camera.stop()


async def _lost_off_is_made_good(
    hass: HomeAssistant, camera: VirtualCamera, entry: ConfigEntry[Any]
) -> None:
    camera.raise_detection("motion")
    await sensor_becomes(hass, entry, MOTION, STATE_ON)
    camera.raise_detection("motion", active=False)  # never sent
    await hass.async_block_till_done()
    assert sensor_state(hass, entry, MOTION) == STATE_ON
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=AUTO_OFF + 1))
    await sensor_becomes(hass, entry, MOTION, STATE_OFF)


async def test_a_lost_off_over_pullpoint_is_made_good_by_auto_off(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """DROPS_OFF_MESSAGES on PullPoint: the sensor ends by auto-off."""
    camera.set_quirk(Quirk.DROPS_OFF_MESSAGES)
    hass.config_entries.async_update_entry(config_entry, options={CONF_AUTO_OFF: AUTO_OFF})
    assert await _setup(hass, config_entry) is SourceKind.PULLPOINT
    await _lost_off_is_made_good(hass, camera, config_entry)


async def test_a_lost_off_over_the_webhook_is_made_good_by_auto_off(
    hass: HomeAssistant,
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
    webhook_url: str,
    no_webhook_url: MagicMock,
) -> None:
    """DROPS_OFF_MESSAGES on ONVIF push: the sensor ends by auto-off."""
    assert no_webhook_url.return_value == webhook_url
    camera.set_quirk(Quirk.DROPS_OFF_MESSAGES)
    hass.config_entries.async_update_entry(config_entry, options={CONF_AUTO_OFF: AUTO_OFF})
    assert await _setup(hass, config_entry) is SourceKind.WEBHOOK
    await _lost_off_is_made_good(hass, camera, config_entry)


@pytest.mark.parametrize("vendor_camera", ["dahua"], indirect=True)
async def test_a_lost_stop_on_the_dahua_stream_is_made_good_by_auto_off(
    hass: HomeAssistant, vendor_camera: VirtualCamera
) -> None:
    """DROPS_OFF_MESSAGES on Dahua's stream: no Stop, the sensor ends by auto-off."""
    entry = await add_camera(hass, vendor_camera)
    hass.config_entries.async_update_entry(entry, options={CONF_AUTO_OFF: AUTO_OFF})
    assert await hass.config_entries.async_reload(entry.entry_id)  # the hub reads it at set-up
    await hass.async_block_till_done()
    assert await source_ready(hass, entry) is SourceKind.DAHUA
    assert entry.runtime_data.hub.auto_off == AUTO_OFF
    await _lost_off_is_made_good(hass, vendor_camera, entry)
    assert vendor_camera.stream_parts["Stop"] == 0


@pytest.mark.parametrize("vendor_camera", ["hikvision"], indirect=True)
async def test_a_lost_inactive_on_the_alert_stream_ends_with_the_repeats(
    hass: HomeAssistant, vendor_camera: VirtualCamera
) -> None:
    """DROPS_OFF_MESSAGES on Hikvision's stream: the repeats stop, and that ends it."""
    entry = await add_camera(hass, vendor_camera)
    assert await source_ready(hass, entry) is SourceKind.HIKVISION
    vendor_camera.raise_detection("motion")
    await sensor_becomes(hass, entry, MOTION, STATE_ON)
    await vendor_camera.wait_for_parts("active", 3)
    vendor_camera.raise_detection("motion", active=False)
    await vendor_camera.wait_for_parts("heartbeat")  # quiet: the repeats stopped
    await source_has_read(entry, vendor_camera.stream_parts["active"])
    assert sensor_state(hass, entry, MOTION) == STATE_ON
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=REPEAT_WINDOW + 0.5))
    await sensor_becomes(hass, entry, MOTION, STATE_OFF)
    assert vendor_camera.stream_parts["inactive"] == 0
