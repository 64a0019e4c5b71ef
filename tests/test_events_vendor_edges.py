"""Vendor event streams that are refused, unreachable, or carry parts no parser expects.

The Hikvision and Dahua sources run on their own against the simulator over loopback HTTP
(as in test_events_framing); odd parts are written onto the real streams with
``VirtualCamera.send_stream_part``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from custom_components.homebound.events import Capability, EventKind
from custom_components.homebound.events.readers import Channels
from custom_components.homebound.events.source import SourceUnavailable
from custom_components.homebound.events.vendor_sources import DahuaSource, HikvisionSource
from simulator import CameraConfig, VirtualCamera

from .events_helpers import WAIT
from .test_events_framing import Sink

SOURCES: dict[str, type[HikvisionSource | DahuaSource]] = {
    "hikvision": HikvisionSource,
    "dahua": DahuaSource,
}
MOTION = Capability(EventKind.MOTION)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """The HTTP session the sources share."""
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
async def vendor_camera(request: pytest.FixtureRequest) -> AsyncIterator[VirtualCamera]:
    """A camera of the persona the test is parametrized with, with quick heartbeats."""
    config = CameraConfig(
        persona=request.param, rtsp=False, repeat_interval=0.05, heartbeat_interval=0.05
    )
    async with VirtualCamera(config) as camera:
        yield camera


def _source(
    camera: VirtualCamera, session: aiohttp.ClientSession, sink: Sink
) -> HikvisionSource | DahuaSource:
    config = camera.config
    return SOURCES[config.persona](
        sink, session, camera.url("/"), config.username, config.password, Channels()
    )


@pytest.mark.parametrize("vendor_camera", sorted(SOURCES), indirect=True)
async def test_a_refused_event_stream_makes_the_source_unavailable(
    vendor_camera: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """The firmware's event process is down (HTTP 503): the vendor source says it cannot
    work, so the manager moves on to ONVIF, instead of reading an error page as events."""
    vendor_camera.set_event_stream(False)
    source = _source(vendor_camera, session, Sink())
    with pytest.raises(SourceUnavailable, match="HTTP 503"):
        await source.start(lambda: None)
    await source.stop()


@pytest.mark.parametrize("vendor_camera", sorted(SOURCES), indirect=True)
async def test_an_unreachable_camera_makes_the_source_unavailable(
    vendor_camera: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """Nothing answers at the camera's address: the source is unavailable (not a crash)."""
    source = _source(vendor_camera, session, Sink())
    await vendor_camera.stop()
    with pytest.raises(SourceUnavailable, match="did not answer"):
        await source.start(lambda: None)
    await source.stop()


@pytest.mark.parametrize("vendor_camera", sorted(SOURCES), indirect=True)
async def test_stopping_at_once_lets_the_stream_go(
    vendor_camera: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """A source stopped right after it started (an entry unloaded during setup) closes the
    stream it opened: the camera sees its listener leave."""
    source = _source(vendor_camera, session, Sink())
    await source.start(lambda: None)
    assert vendor_camera.events.listeners
    await source.stop()
    await vendor_camera.state.wait_until(lambda: not vendor_camera.events.listeners, WAIT)


BAD_PARTS = {
    "hikvision": [
        ["<EventNotificationAlert><eventType>VMD</eventType"],  # not well-formed
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<EventNotificationAlert xmlns="http://www.hikvision.com/ver20/XMLSchema">',
            "<channelID>1</channelID><eventType>fireDetection</eventType>",
            "<eventState>active</eventState></EventNotificationAlert>",
        ],  # a kind Homebound does not know
    ],
    "dahua": [
        ["Code=VideoMotion;index=0"],  # no action
        ["Code=FireWarning;action=Start;index=0"],  # a kind Homebound does not know
    ],
}


@pytest.mark.parametrize("vendor_camera", sorted(SOURCES), indirect=True)
async def test_odd_parts_are_counted_and_the_stream_goes_on(
    vendor_camera: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """A part that cannot be read counts as malformed, a kind Homebound does not know as
    ignored; neither ends the stream nor raises a sensor, and the next detection comes
    through."""
    sink = Sink()
    source = _source(vendor_camera, session, sink)
    await source.start(lambda: None)
    try:
        await vendor_camera.wait_for_parts("heartbeat")
        broken, unknown = BAD_PARTS[vendor_camera.config.persona]
        assert vendor_camera.send_stream_part(broken, "broken") == 1
        assert vendor_camera.send_stream_part(unknown, "unknown") == 1
        vendor_camera.raise_detection("motion")
        event = await sink.next()
        assert (event.capability, event.active) == (MOTION, True)
        assert vendor_camera.stream_parts["broken"] == vendor_camera.stream_parts["unknown"] == 1
        assert source.stats.malformed == 1
        assert source.stats.ignored == 1
        assert sink.troubles == 0
    finally:
        await source.stop()
