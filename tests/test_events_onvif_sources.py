"""The ONVIF event sources on their own, against the simulator over loopback SOAP.

Subscriptions must be renewed before the camera forgets them, a renewal the camera refuses
means subscribing again, and a push subscription that was lost is made again by the periodic
synchronisation. The intervals that take minutes in production are shortened here (module
constants); the code paths are the production ones.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
import contextlib
import datetime as dt
from types import SimpleNamespace

import aiohttp
from aiohttp import web
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.device import OnvifClient
from custom_components.homebound.events import (
    Capability,
    Event,
    EventKind,
    SourceKind,
    onvif_sources,
)
from custom_components.homebound.events.onvif_sources import (
    MIN_LIFETIME,
    SUBSCRIPTION_SECONDS,
    PullPointSource,
    WebhookSource,
    lifetime,
)
from custom_components.homebound.events.readers import Channels
from simulator import VirtualCamera

from .events_helpers import WAIT, source_ready
from .test_events_push import webhook_url

__all__ = ["webhook_url"]  # a fixture, shared with the push tests

MOTION = Capability(EventKind.MOTION)


class Sink:
    """Collects what a source reports; each report wakes the waits."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.alive_count = 0
        self.troubles = 0
        self._changed = asyncio.Event()

    def event(self, event: Event) -> None:
        self.events.append(event)
        self._changed.set()

    def alive(self) -> None:
        self.alive_count += 1
        self._changed.set()

    def trouble(self) -> None:
        self.troubles += 1
        self._changed.set()

    async def until(self, check: Callable[[], bool]) -> None:
        """Wait until ``check()`` holds, tested after every report (bounded by WAIT)."""
        async with asyncio.timeout(WAIT):
            while not check():
                self._changed.clear()
                await self._changed.wait()


@pytest.fixture
async def client(camera: VirtualCamera) -> AsyncIterator[OnvifClient]:
    """A connected device client for the camera, as the hub has one."""
    async with aiohttp.ClientSession() as session:
        onvif = OnvifClient(
            camera.host, camera.onvif_port, camera.config.username, camera.config.password, session
        )
        await onvif.async_connect()
        try:
            yield onvif
        finally:
            await onvif.async_close()


def _motion(sink: Sink, active: bool) -> Callable[[], bool]:
    """Whether motion ``active`` was reported after the reports so far."""
    start = len(sink.events)
    return lambda: any(e.capability == MOTION and e.active is active for e in sink.events[start:])


def test_the_lifetime_is_what_the_camera_says_within_bounds() -> None:
    """A subscription lives as long as the camera's answer says; an answer without both
    times, or with one naive and one aware time (firmware without a time zone), falls back
    to what was asked for; a lifetime shorter than a minute is taken as a minute."""
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    later = now + dt.timedelta(seconds=300)
    assert lifetime(SimpleNamespace(CurrentTime=now, TerminationTime=later)) == 300
    assert lifetime(SimpleNamespace(TerminationTime=later)) == SUBSCRIPTION_SECONDS
    naive = later.replace(tzinfo=None)
    assert lifetime(SimpleNamespace(CurrentTime=now, TerminationTime=naive)) == (
        SUBSCRIPTION_SECONDS
    )
    soon = now + dt.timedelta(seconds=5)
    assert lifetime(SimpleNamespace(CurrentTime=now, TerminationTime=soon)) == MIN_LIFETIME


async def test_pullpoint_renews_and_subscribes_again_when_a_renewal_is_refused(
    camera: VirtualCamera, client: OnvifClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Renewals keep the subscription and count as signs of life; when the camera refuses
    one (it lost the subscription), the source reports trouble and makes a new subscription,
    through which events keep coming.

    RENEW_AT is shortened so that renewals come every few tens of milliseconds instead of
    after 80 % of ten minutes.
    """
    monkeypatch.setattr(onvif_sources, "RENEW_AT", 0.0001)
    sink = Sink()
    source = PullPointSource(sink, client, Channels())
    await source.start(lambda: None)
    try:
        await camera.wait_for_request("Renew", 2)
        alive = sink.alive_count
        await camera.wait_for_request("Renew", 3)
        await sink.until(lambda: sink.alive_count > alive)  # a renewal is a sign of life
        assert sink.troubles == 0
        camera.set_fault("Renew")
        await sink.until(lambda: sink.troubles >= 1)
        camera.set_fault("Renew", None)
        # The pull still in flight ends with the next event; then the source subscribes anew.
        motion = _motion(sink, True)
        camera.raise_detection("motion")
        await sink.until(motion)
        await sink.until(lambda: source.stats.reconnects == 1)
        assert camera.request_counts["CreatePullPointSubscription"] == 2
        motion_ended = _motion(sink, False)
        camera.raise_detection("motion", active=False)
        await sink.until(motion_ended)
        renewals = camera.request_counts["Renew"]
        await camera.wait_for_request("Renew", renewals + 1)  # renewing the new one
    finally:
        await source.stop()


@contextlib.asynccontextmanager
async def _webhook(source_box: list[WebhookSource]) -> AsyncIterator[str]:
    """A loopback HTTP endpoint that hands every POST to the source, as the webhook does."""

    async def notify(request: web.Request) -> web.Response:
        await source_box[0].handle_notify(await request.read())
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", notify)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    finally:
        await runner.cleanup()


async def test_a_lost_push_subscription_is_made_again(
    camera: VirtualCamera, client: OnvifClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a renewal that no push preceded, the push source asks the camera to re-send its
    states (a renewal that followed a push asks nothing more); when a renewal was refused (the
    subscription is gone), it subscribes again, retrying after a refused Subscribe, and pushes
    arrive through the new subscription.

    RENEW_AT is shortened so that renewals come every few milliseconds, not every 8 minutes.
    """
    monkeypatch.setattr(onvif_sources, "RENEW_AT", 0.0001)
    box: list[WebhookSource] = []
    sink = Sink()
    async with _webhook(box) as url:
        source = WebhookSource(sink, client, Channels(), url)
        box.append(source)
        await source.start(lambda: None)
        try:
            await sink.until(lambda: source.delivered)
            syncs = camera.request_counts["SetSynchronizationPoint"]
            renewals = camera.request_counts["Renew"]
            await camera.wait_for_request("SetSynchronizationPoint", syncs + 2)
            await camera.wait_for_request("Renew", renewals + 4)
            # Each sync's push spares the next renewal its sync: at most every other one.
            new_syncs = camera.request_counts["SetSynchronizationPoint"] - syncs
            assert new_syncs <= (camera.request_counts["Renew"] - renewals + 1) // 2 + 1
            assert sink.troubles == 0
            # A renewal is refused: the subscription counts as lost; the next round's
            # Subscribe is refused too (a second trouble), and a later one is accepted.
            camera.set_fault("Subscribe")
            camera.set_fault("Renew")
            await sink.until(lambda: sink.troubles >= 2)
            camera.set_fault("Subscribe", None)
            camera.set_fault("Renew", None)
            await sink.until(lambda: source.stats.reconnects == 1)
            assert camera.request_counts["Subscribe"] >= 3
            motion = _motion(sink, True)
            camera.raise_detection("motion")
            await sink.until(motion)
        finally:
            await source.stop()


async def test_an_unsafe_push_is_counted_as_malformed(
    camera: VirtualCamera, client: OnvifClient
) -> None:
    """A Notify that declares a DTD (an entity-expansion attack, or broken firmware) is not
    parsed: it counts as malformed and proves nothing about the push path."""
    box: list[WebhookSource] = []
    sink = Sink()
    async with _webhook(box) as url:
        source = WebhookSource(sink, client, Channels(), url)
        box.append(source)
        # Before subscribing, so that nothing but this POST reaches the source.
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                url, data=b'<!DOCTYPE x [<!ENTITY a "aaaa">]><Envelope>&a;</Envelope>'
            ) as response,
        ):
            assert response.status == 200
        assert source.stats.malformed == 1
        assert (sink.events, sink.alive_count, source.delivered) == ([], 0, False)
        await source.start(lambda: None)
        try:
            await sink.until(lambda: source.delivered)  # the camera's own pushes are read
            assert source.stats.malformed == 1
        finally:
            await source.stop()


@pytest.mark.usefixtures("webhook_url")
async def test_a_refused_push_subscription_falls_back_to_pullpoint(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """Home Assistant has a local URL but the camera refuses Subscribe (no free slot,
    firmware without WS-BaseNotification): events come by PullPoint, and diagnostics say
    why the push source was passed over."""
    camera.set_fault("Subscribe")
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert await source_ready(hass, config_entry) is SourceKind.PULLPOINT
    manager = config_entry.runtime_data.hub.manager
    assert manager is not None
    assert manager.failures["onvif_webhook"].startswith("notification subscription refused")
    assert camera.request_counts["Subscribe"] == 1
