"""Vendor streams killed, stalled and returned, with the real sources over loopback.

The manager runs the production plan — vendor stream, ONVIF webhook (a loopback endpoint that
reads each push whole and hands it to the running push source, as the hub does), PullPoint —
against the simulator's Hikvision, Hikvision NVR and Dahua personas. A stream that dies is
replaced at once, one that stalls after its learned heartbeat window; the stream that comes
back is used again as soon as it delivers, and what only it carries (line crossing) flows
again. A detection raised during each switch must reach the sink through one source or the
other: :class:`Ledger` counts the ones that did not.

Timings are shortened (probe pace, heartbeat slack), never asserted; each wait is on a
condition.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
import contextlib
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
import pytest

from custom_components.homebound.device import OnvifClient
from custom_components.homebound.device.body import BodyError, read_body
from custom_components.homebound.events import (
    Capability,
    Event,
    EventKind,
    SourceKind,
    liveness,
    status,
)
from custom_components.homebound.events.manager import Candidate, EventManager
from custom_components.homebound.events.onvif_sources import PullPointSource, WebhookSource
from custom_components.homebound.events.readers import Channels
from custom_components.homebound.events.source import EventSink, EventSource
from custom_components.homebound.events.status import SourceState, SourceStatus
from custom_components.homebound.events.vendor_sources import DahuaSource, HikvisionSource
from simulator import CameraConfig, VirtualCamera

WAIT = 10.0
MOTION = Capability(EventKind.MOTION)
VENDORS: dict[str, tuple[SourceKind, type[HikvisionSource | DahuaSource]]] = {
    "hikvision": (SourceKind.HIKVISION, HikvisionSource),
    "hikvision-nvr": (SourceKind.HIKVISION, HikvisionSource),
    "dahua": (SourceKind.DAHUA, DahuaSource),
}


@dataclass
class Ledger:
    """What reached the sink, and which raised detections never did."""

    events: list[Event] = field(default_factory=list)
    statuses: list[SourceStatus] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    raised: list[tuple[Capability, int]] = field(default_factory=list)
    """Each raised start: its capability and how many events had arrived before it."""

    def event(self, event: Event) -> None:
        self.events.append(event)
        self.changed.set()

    def status(self, status: SourceStatus) -> None:
        self.statuses.append(status)
        self.changed.set()

    def raise_start(self, camera: VirtualCamera, kind: str, **where: str | int) -> None:
        camera.raise_detection(kind, **where)  # type: ignore[arg-type]
        self.raised.append(
            (Capability(EventKind(kind), rule=str(where.get("region", ""))), len(self.events))
        )

    def seen(self, capability: Capability, after: int = 0) -> bool:
        return any(e.capability == capability and e.active for e in self.events[after:])

    def lost(self) -> int:
        """Raised starts that no source delivered (as a change or as an initial state)."""
        return sum(not self.seen(capability, after) for capability, after in self.raised)

    async def until(self, check: Callable[[], bool]) -> None:
        async with asyncio.timeout(WAIT):
            while not check():
                self.changed.clear()
                await self.changed.wait()


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Probe at a tenth of the pace and allow 0.2 s of heartbeat slack (not 1 s)."""
    monkeypatch.setattr(status, "PROBE_FIRST", 0.1)
    monkeypatch.setattr(status, "PROBE_MAX", 0.5)
    monkeypatch.setattr(status, "PROBE_WAIT", 2.0)
    monkeypatch.setattr(liveness, "HEARTBEAT_SLACK", 0.2)


@contextlib.asynccontextmanager
async def _webhook(box: list[EventManager]) -> AsyncIterator[str]:
    """Pushes read whole (as the hub reads them) go to the running push source."""

    async def notify(request: web.Request) -> web.Response:
        try:
            body = await read_body(request.content, 256 * 1024, expected=request.content_length)
        except BodyError:
            return web.Response(status=400)
        source = box[0].source_of(SourceKind.WEBHOOK) if box else None
        if isinstance(source, WebhookSource):
            await source.handle_notify(body)
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", notify)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def _running(
    camera: VirtualCamera, channels: Channels
) -> AsyncIterator[tuple[EventManager, Ledger]]:
    """A manager over the production plan for ``camera``, started; stopped after."""
    kind, stream_class = VENDORS[camera.config.persona]
    config = camera.config
    box: list[EventManager] = []
    async with aiohttp.ClientSession() as session, _webhook(box) as hook:
        client = OnvifClient(
            camera.host, camera.onvif_port, config.username, config.password, session
        )
        await client.async_connect()

        def vendor(sink: EventSink) -> EventSource:
            return stream_class(
                sink, session, camera.url("/"), config.username, config.password, channels
            )

        plan = [
            Candidate(kind, vendor),
            Candidate(SourceKind.WEBHOOK, lambda sink: WebhookSource(sink, client, channels, hook)),
            Candidate(SourceKind.PULLPOINT, lambda sink: PullPointSource(sink, client, channels)),
        ]
        ledger = Ledger()
        manager = EventManager(config.name, plan, ledger.event, on_status=ledger.status)
        box.append(manager)
        await manager.start()
        try:
            yield manager, ledger
        finally:
            await manager.stop()  # never raises
            await client.async_close()


def _live_on(manager: EventManager, kind: SourceKind) -> Callable[[], bool]:
    return lambda: manager.kind is kind and manager.status.state is SourceState.LIVE


def _camera(persona: str) -> VirtualCamera:
    return VirtualCamera(
        CameraConfig(persona=persona, rtsp=False, repeat_interval=0.05, heartbeat_interval=0.05)
    )


async def _back_up_and_crossing(
    camera: VirtualCamera, manager: EventManager, ledger: Ledger, kind: SourceKind
) -> None:
    """The stream is used again, the push source let go, and line crossing flows again."""
    await ledger.until(_live_on(manager, kind))
    await camera.wait_for_request("Unsubscribe")  # the webhook's subscription let go
    gate = Capability(EventKind.LINE_CROSSING, rule="Gate")
    ledger.raise_start(camera, "line_crossing", region="Gate")
    await ledger.until(lambda: ledger.seen(gate))
    assert ledger.events[-1].source is kind
    assert [s.as_dict()["to"] for s in manager.switches][-2:] == [
        SourceKind.WEBHOOK.value,
        kind.value,
    ]


@pytest.mark.parametrize("persona", sorted(VENDORS))
async def test_a_killed_stream_falls_back_at_once_and_comes_back(persona: str) -> None:
    kind, _ = VENDORS[persona]
    async with _camera(persona) as camera, _running(camera, Channels()) as (manager, ledger):
        await ledger.until(_live_on(manager, kind))
        camera.set_event_stream(False)
        ledger.raise_start(camera, "motion")  # during the switch
        await ledger.until(_live_on(manager, SourceKind.WEBHOOK))
        await ledger.until(lambda: ledger.lost() == 0)
        assert "opening it again failed" in manager.failures[kind.value]
        camera.raise_detection("motion", active=False)
        await ledger.until(
            lambda: ledger.events[-1].capability == MOTION and not ledger.events[-1].active
        )
        camera.set_event_stream(True)
        await _back_up_and_crossing(camera, manager, ledger, kind)
        assert ledger.lost() == 0
        assert manager.duplicates >= 0


@pytest.mark.parametrize("persona", sorted(VENDORS))
async def test_a_stalled_stream_falls_back_after_its_heartbeat_window(persona: str) -> None:
    """Open and silent: declared silent once its learned heartbeat is missed; probes meet
    the stalled camera (answered, nothing written) and fail, until it writes again."""
    kind, _ = VENDORS[persona]
    async with _camera(persona) as camera, _running(camera, Channels()) as (manager, ledger):
        await ledger.until(_live_on(manager, kind))
        source = manager.active
        assert isinstance(source, HikvisionSource | DahuaSource)
        await camera.state.wait_until(lambda: source.heartbeats.established, WAIT)
        camera.stall_event_stream()
        ledger.raise_start(camera, "motion")
        await ledger.until(_live_on(manager, SourceKind.WEBHOOK))
        assert manager.failures[kind.value] == "fell silent"
        await ledger.until(lambda: ledger.lost() == 0)
        camera.stall_event_stream(stalled=False)
        await _back_up_and_crossing(camera, manager, ledger, kind)


async def test_an_nvr_has_one_stream_for_all_its_channels() -> None:
    """Detections on four channels come through one connection, each on its channel."""
    channels = Channels(video_sources=("1", "2", "3", "4"))
    async with _camera("hikvision-nvr") as camera, _running(camera, channels) as (manager, ledger):
        await ledger.until(_live_on(manager, SourceKind.HIKVISION))
        for channel in (1, 2, 3, 4):
            camera.raise_detection("motion", channel=channel)
        wanted = {Capability(EventKind.MOTION, str(channel)) for channel in (1, 2, 3, 4)}
        await ledger.until(lambda: wanted <= {e.capability for e in ledger.events if e.active})
        stream = "ISAPI/Event/notification/alertStream"
        assert camera.request_counts[stream] == 2  # the Digest challenge, then one stream
