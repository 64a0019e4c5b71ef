"""Vendor stream sources against every framing firmwares show, over real loopback HTTP.

Homebound's Hikvision and Dahua sources read the simulator's streams with each framing quirk
(bare LF, no Content-Length, ``-- boundary``, a Content-Type that names no boundary) and with
all of them at once; every start and end must come through, heartbeats must keep the source
alive, and nothing may count as malformed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from custom_components.homebound.events import Capability, Event, EventKind, dahua, hikvision
from custom_components.homebound.events.multipart import MultipartStream
from custom_components.homebound.events.readers import Channels
from custom_components.homebound.events.vendor_sources import DahuaSource, HikvisionSource
from simulator import CameraConfig, Quirk, VirtualCamera

from .events_helpers import WAIT

FRAMINGS = {
    "crlf": frozenset(),
    "lf": frozenset({Quirk.STREAM_LF_ONLY}),
    "no_length": frozenset({Quirk.STREAM_NO_CONTENT_LENGTH}),
    "spaced": frozenset({Quirk.STREAM_SPACED_BOUNDARY}),
    "unnamed": frozenset({Quirk.STREAM_UNNAMED_BOUNDARY}),
    "all": frozenset(
        {
            Quirk.STREAM_LF_ONLY,
            Quirk.STREAM_NO_CONTENT_LENGTH,
            Quirk.STREAM_SPACED_BOUNDARY,
            Quirk.STREAM_UNNAMED_BOUNDARY,
        }
    ),
}


class Sink:
    """Collects what a source reports."""

    def __init__(self) -> None:
        self.events: asyncio.Queue[Event] = asyncio.Queue()
        self.alive_count = 0
        self.troubles = 0

    def event(self, event: Event) -> None:
        self.events.put_nowait(event)

    def alive(self) -> None:
        self.alive_count += 1

    def trouble(self) -> None:
        self.troubles += 1

    async def next(self) -> Event:
        async with asyncio.timeout(WAIT):
            return await self.events.get()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.mark.parametrize("framing", sorted(FRAMINGS))
@pytest.mark.parametrize(
    ("persona", "source_class"), [("hikvision", HikvisionSource), ("dahua", DahuaSource)]
)
async def test_vendor_stream_framings(
    session: aiohttp.ClientSession,
    persona: str,
    source_class: type[HikvisionSource | DahuaSource],
    framing: str,
) -> None:
    config = CameraConfig(
        persona=persona,
        rtsp=False,
        quirks=FRAMINGS[framing],
        repeat_interval=0.05,
        heartbeat_interval=0.05,
    )
    async with VirtualCamera(config) as camera:
        sink = Sink()
        source = source_class(
            sink, session, camera.url("/"), config.username, config.password, Channels()
        )
        await source.start(lambda: None)
        try:
            await camera.wait_for_parts("heartbeat", 2)
            for kind, region in (("motion", None), ("line_crossing", "Gate"), ("person", None)):
                camera.raise_detection(kind, region=region)
                started = await sink.next()
                camera.raise_detection(kind, active=False, region=region)
                ended = await sink.next()
                capability = Capability(EventKind(kind), rule=region or "")
                assert (started.capability, started.active) == (capability, True)
                assert (ended.capability, ended.active) == (capability, False)
            await camera.wait_for_parts("heartbeat", camera.stream_parts["heartbeat"] + 2)
            assert source.stats.malformed == 0
            assert source.stats.ignored == 0
            assert sink.troubles == 0
            assert not source.silent
        finally:
            await source.stop()


@pytest.mark.parametrize(
    ("persona", "source_class"), [("hikvision", HikvisionSource), ("dahua", DahuaSource)]
)
async def test_a_part_without_content_length_is_not_held_for_the_next_one(
    session: aiohttp.ClientSession,
    persona: str,
    source_class: type[HikvisionSource | DahuaSource],
) -> None:
    """Without Content-Length a part's end shows only when the next part starts: a heartbeat
    away (Dahua: 5 s as Homebound asks; Hikvision: after a quiet spell). A complete event must
    be reported when it arrives, not when the next part does; here none comes for a minute."""
    config = CameraConfig(
        persona=persona,
        rtsp=False,
        quirks=frozenset({Quirk.STREAM_NO_CONTENT_LENGTH}),
        repeat_interval=60,
        heartbeat_interval=60,
    )
    async with VirtualCamera(config) as camera:
        sink = Sink()
        source = source_class(
            sink, session, camera.url("/"), config.username, config.password, Channels()
        )
        await source.start(lambda: None)
        try:
            await camera.state.wait_until(lambda: bool(camera.events.listeners), WAIT)
            camera.raise_detection("line_crossing", region="Gate")
            started = await sink.next()
            camera.raise_detection("line_crossing", active=False, region="Gate")
            ended = await sink.next()
            gate = Capability(EventKind.LINE_CROSSING, rule="Gate")
            assert [(started.capability, started.active), (ended.capability, ended.active)] == [
                (gate, True),
                (gate, False),
            ]
            assert camera.stream_parts["heartbeat"] == 0
        finally:
            await source.stop()


def test_whole_parts_without_length_are_read_at_once() -> None:
    """The reader yields a length-less part once ``complete`` says so, and not before."""
    head = b"--myboundary\r\nContent-Type: text/plain\r\n\r\n"
    waiting = MultipartStream("myboundary")
    assert waiting.feed(head + b"Code=VideoMotion;action=Start;index=0\r\n") == []
    stream = MultipartStream("myboundary", complete=dahua.part_complete)
    [line] = stream.feed(head + b"Code=VideoMotion;action=Start;index=0\r\n")
    assert line.body == b"Code=VideoMotion;action=Start;index=0"
    assert stream.feed(head + b"Code=CrossLineDetection;action=Start;index=0;data={\r\n") == []
    assert stream.feed(b'\t"Object":\t{\r\n\t\t"ObjectType":\t"Human"\r\n\t},\r\n') == []
    [ruled] = stream.feed(b'\t"Name":\t"Gate"\r\n}\r\n')
    assert dahua.parse_event(ruled.body).region == "Gate"
    [beat] = stream.feed(head + b"Heartbeat\r\n")
    assert beat.body == b"Heartbeat"
    assert stream.dropped == 0
    alerts = MultipartStream("boundary", complete=hikvision.alert_complete)
    xml = b"<EventNotificationAlert>\r\n<eventType>VMD</eventType>\r\n"
    assert alerts.feed(b"--boundary\r\n\r\n" + xml) == []
    [alert] = alerts.feed(b"<eventState>active</eventState>\r\n</EventNotificationAlert>\r\n")
    assert hikvision.parse_alert(alert.body).active


@pytest.mark.parametrize(
    ("persona", "source_class"), [("hikvision", HikvisionSource), ("dahua", DahuaSource)]
)
async def test_a_wrong_content_length_loses_no_event(
    session: aiohttp.ClientSession,
    persona: str,
    source_class: type[HikvisionSource | DahuaSource],
) -> None:
    """Every part says ``Content-Length: 999`` (LF line ends, written in pieces, as a public
    Dahua fixture has it): five motion cycles come through whole, the disagreement between
    length and boundary is counted as a framing quirk, nothing as malformed."""
    config = CameraConfig(
        persona=persona,
        rtsp=False,
        quirks=frozenset({Quirk.STREAM_WRONG_LENGTH, Quirk.STREAM_LF_ONLY, Quirk.BODIES_IN_PIECES}),
        repeat_interval=60,
        heartbeat_interval=0.05,
    )
    async with VirtualCamera(config) as camera:
        sink = Sink()
        source = source_class(
            sink, session, camera.url("/"), config.username, config.password, Channels()
        )
        await source.start(lambda: None)
        try:
            await camera.wait_for_parts("heartbeat", 2)
            motion = Capability(EventKind.MOTION)
            for _ in range(5):
                camera.raise_detection("motion")
                started = await sink.next()
                camera.raise_detection("motion", active=False)
                ended = await sink.next()
                assert [(started.capability, started.active), (ended.capability, ended.active)] == [
                    (motion, True),
                    (motion, False),
                ]
            await camera.wait_for_parts("heartbeat", camera.stream_parts["heartbeat"] + 2)
            assert source.stats.framing_quirks > 0
            assert source.stats.malformed == 0
            assert source.describe()["framing_quirks"] == source.stats.framing_quirks
        finally:
            await source.stop()
