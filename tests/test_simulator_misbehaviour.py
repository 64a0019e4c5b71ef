"""The simulator misbehaving as networks and firmware do: bodies in pieces, wrong lengths, stalls.

Each quirk is checked on the wire, with a plain aiohttp client: a body written in pieces
really arrives in pieces (one read gets the first of them), a stream part really states a
length that is not its own, a stalled stream stays open and writes nothing, and the control
API switches all of it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from simulator import CameraConfig, Quirk, VirtualCamera
from simulator.control import ControlServer
from simulator.services.pieces import PIECE_BYTES

from .vendor_support import digest, raw_stream, url

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as http:
        yield http


@pytest.fixture
async def hikvision() -> AsyncIterator[VirtualCamera]:
    config = CameraConfig(
        persona="hikvision", rtsp=False, repeat_interval=0.05, heartbeat_interval=0.05
    )
    async with VirtualCamera(config) as camera:
        yield camera


async def test_answers_in_pieces_arrive_in_pieces(
    hikvision: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """One read(n) of a body written in pieces returns the first piece, not n bytes; read
    to its end, the body is the same as without the quirk."""
    path = url(hikvision, "/ISAPI/Event/triggers")
    async with session.get(path, middlewares=(digest(hikvision),)) as response:
        whole = await response.read()
    hikvision.set_quirk(Quirk.BODIES_IN_PIECES)
    async with session.get(path, middlewares=(digest(hikvision),)) as response:
        assert response.content_length == len(whole) > 4 * PIECE_BYTES
        first = await response.content.read(len(whole))
        assert len(first) < len(whole)
        rest = await response.content.read()  # to the end
    assert first + rest == whole


async def test_stream_parts_state_a_wrong_length(
    hikvision: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """STREAM_WRONG_LENGTH: every part says 999 bytes, whatever it holds."""
    hikvision.set_quirk(Quirk.STREAM_WRONG_LENGTH)
    async with raw_stream(session, hikvision, "/ISAPI/Event/notification/alertStream") as raw:
        parts = await raw.parts(2, b"--boundary")
    for part in parts:
        assert b"Content-Length: 999\r\n" in part
        assert len(part) < 999


async def test_a_stalled_stream_stays_open_and_writes_nothing_until_it_returns(
    hikvision: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """Stalled, open streams stay open and new ones are answered, but nothing is written;
    what is raised meanwhile is lost on the stream; resumed, heartbeats come again."""
    stream = "/ISAPI/Event/notification/alertStream"
    async with raw_stream(session, hikvision, stream) as raw:
        await hikvision.wait_for_parts("heartbeat", 2)
        hikvision.stall_event_stream()
        written = sum(hikvision.stream_parts.values())
        hikvision.raise_detection("motion")
        hikvision.raise_detection("motion", active=False)
        async with raw_stream(session, hikvision, stream):  # a new one is answered too
            assert len(hikvision.events.listeners) >= 2
        assert sum(hikvision.stream_parts.values()) == written
        hikvision.stall_event_stream(stalled=False)
        await hikvision.wait_for_parts("heartbeat", hikvision.stream_parts["heartbeat"] + 1)
        data = await raw.until(lambda data: b"videoloss" in data)
    assert b"<eventType>VMD</eventType>" not in data
    assert hikvision.stream_parts["active"] == 0


async def test_the_control_api_kills_stalls_and_returns_the_stream(
    hikvision: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    control = ControlServer([hikvision])
    port = await control.start()
    base = f"http://127.0.0.1:{port}/cameras/0"

    async def post(route: str, body: dict[str, Any]) -> tuple[int, Any]:
        async with session.post(f"{base}/{route}", json=body) as response:
            if response.status != 200:
                return response.status, await response.text()
            return response.status, await response.json()

    try:
        status, state = await post("event_stream", {"stalled": True})
        assert (status, state["event_stream_stalled"], state["serving_event_stream"]) == (
            200,
            True,
            True,
        )
        status, state = await post("event_stream", {"serving": False, "stalled": False})
        assert (state["event_stream_stalled"], state["serving_event_stream"]) == (False, False)
        assert (await post("event_stream", {}))[0] == 400
        assert (await post("event_stream", {"stalled": "yes"}))[0] == 400
        status, state = await post("quirks", {"quirk": "bodies_in_pieces"})
        assert "bodies_in_pieces" in state["quirks"]
        status, state = await post("quirks", {"quirk": "stream_wrong_length"})
        assert "stream_wrong_length" in state["quirks"]
    finally:
        await control.stop()
