"""What Homebound asks a camera whose events are live: nothing that the events already prove.

Counted with the simulator's request counts, never timed. While an event source is alive its
pushes, heartbeats and renewals prove the camera is there, so the health check Home Assistant
schedules a minute after set-up (a restart alike) is called off; each loss of the stream costs
one check (the camera is asked whether it is still there, and whether it is still this one)
and no more — the vendor stream's return, found by a probe, costs none.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.homebound.const import HEALTH_CHECK_INTERVAL
from custom_components.homebound.events import SourceKind, liveness, status
from custom_components.homebound.events.onvif_sources import (
    RENEW_AT,
    SUBSCRIPTION_SECONDS,
    WEBHOOK_FIRST_DELIVERY,
)
from simulator import CameraConfig, VirtualCamera

from .events_helpers import WAIT, add_camera, source_live
from .test_events_push import webhook_url

__all__ = ["webhook_url"]  # a fixture, shared with the push tests

CHECK = "GetDeviceInformation"
BUILT_IN_RENEW_SECONDS = 8 * 60
"""Home Assistant's onvif integration renews its subscription every 8 minutes
(``SUBSCRIPTION_RENEW_INTERVAL``), whatever happens."""


def _sent(camera: VirtualCamera) -> Counter[str]:
    return Counter({op: n for op, n in camera.request_counts.items() if n})


@pytest.mark.usefixtures("webhook_url")
async def test_no_health_check_while_pushes_prove_the_camera(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """ONVIF push at rest: the minute's check Home Assistant had scheduled is not sent.

    The push source's silence window (two renewals) is far beyond the minute fired here, so
    firing the clock moves nothing else.
    """
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await source_live(config_entry, SourceKind.WEBHOOK)
    await config_entry.runtime_data.settings.first_audit.wait()
    await hass.async_block_till_done(wait_background_tasks=True)
    camera.reset_counts()
    for minutes in (1, 2, 3):
        later = HEALTH_CHECK_INTERVAL * minutes + timedelta(seconds=WEBHOOK_FIRST_DELIVERY)
        async_fire_time_changed(hass, dt_util.utcnow() + later)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert _sent(camera) == Counter()


@pytest.mark.usefixtures("webhook_url")
async def test_at_rest_push_costs_what_the_built_in_renewals_cost(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """Twenty-four minutes of ONVIF push at rest: two Renews and one SetSynchronizationPoint
    (the push path proved at every other renewal), no health check — three requests, as many
    as Home Assistant's onvif integration sends in Renews alone (every 8 minutes)."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await source_live(config_entry, SourceKind.WEBHOOK)
    await config_entry.runtime_data.settings.first_audit.wait()
    await hass.async_block_till_done(wait_background_tasks=True)
    camera.reset_counts()
    source = config_entry.runtime_data.hub.manager.active
    renewed = asyncio.Event()
    after_renewal = source._renewed

    async def spy() -> None:
        await after_renewal()  # the synchronization point, when no push came since
        renewed.set()

    source._renewed = spy
    renewal = SUBSCRIPTION_SECONDS * RENEW_AT
    for n in (1, 2):
        # Each renewal waits its time from the last (the loop's clock does not move here),
        # and is answered before the clock is fired again (that would time the answer out).
        renewed.clear()
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=renewal + 1))
        async with asyncio.timeout(WAIT):
            await renewed.wait()
        assert camera.request_counts["Renew"] == n
    manager = config_entry.runtime_data.hub.manager
    assert manager is not None
    assert manager.kind is SourceKind.WEBHOOK
    assert _sent(camera) == Counter({"Renew": 2, "SetSynchronizationPoint": 1})
    assert 2 * renewal == 3 * BUILT_IN_RENEW_SECONDS


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Probe at a tenth of the pace, with 0.2 s of heartbeat slack."""
    monkeypatch.setattr(status, "PROBE_FIRST", 0.1)
    monkeypatch.setattr(status, "PROBE_MAX", 0.5)
    monkeypatch.setattr(liveness, "HEARTBEAT_SLACK", 0.2)


@pytest.mark.usefixtures("quick")
@pytest.mark.parametrize("persona", ["hikvision", "dahua"])
async def test_a_stream_loss_costs_one_health_check(hass: HomeAssistant, persona: str) -> None:
    """The stream is lost (fallback to PullPoint) and comes back: one check in all."""
    kind = SourceKind.HIKVISION if persona == "hikvision" else SourceKind.DAHUA
    config = CameraConfig(
        persona=persona, rtsp=False, repeat_interval=0.05, heartbeat_interval=0.05
    )
    async with VirtualCamera(config) as camera:
        entry = await add_camera(hass, camera)
        await source_live(entry, kind)
        await entry.runtime_data.settings.first_audit.wait()
        await hass.async_block_till_done(wait_background_tasks=True)
        camera.reset_counts()
        camera.set_event_stream(False)
        await source_live(entry, SourceKind.PULLPOINT)
        camera.set_event_stream(True)
        await source_live(entry, kind)
        await hass.async_block_till_done(wait_background_tasks=True)
        assert _sent(camera)[CHECK] == 1
        assert entry.runtime_data.coordinator.last_update_success
        assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.usefixtures("quick")
@pytest.mark.parametrize("persona", ["hikvision", "dahua"])
async def test_reconnects_and_probes_log_in_once(
    hass: HomeAssistant, persona: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One Digest login per camera for its stream: the stream lost, opened again, refused,
    probed until it is back — no further challenge is answered (a login per attempt would
    double every request), and the stream that returns is one connection."""
    kind = SourceKind.HIKVISION if persona == "hikvision" else SourceKind.DAHUA
    stream = (
        "ISAPI/Event/notification/alertStream"
        if kind is SourceKind.HIKVISION
        else ("eventManager.attach")
    )
    config = CameraConfig(
        persona=persona, rtsp=False, repeat_interval=0.05, heartbeat_interval=0.05
    )
    async with VirtualCamera(config) as camera:
        entry = await add_camera(hass, camera)
        await source_live(entry, kind)
        await entry.runtime_data.settings.first_audit.wait()
        await hass.async_block_till_done(wait_background_tasks=True)
        challenges: list[str] = []
        issue = camera.state.http_auth.digest_challenge

        def counted() -> str:
            challenges.append(issue())
            return challenges[-1]

        monkeypatch.setattr(camera.state.http_auth, "digest_challenge", counted)
        camera.reset_counts()
        camera.set_event_stream(False)
        await source_live(entry, SourceKind.PULLPOINT)
        camera.set_event_stream(True)
        await source_live(entry, kind)  # a probe that delivered took over
        assert camera.request_counts[stream] >= 2  # opened again (refused), probed
        assert challenges == []
        assert len(camera.events.listeners) == 1  # one stream open
        assert await hass.config_entries.async_unload(entry.entry_id)
