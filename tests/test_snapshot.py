"""Snapshots: a total budget, a rest after failure, one fetch shared by concurrent requests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
import io

import aiohttp
from aiohttp import web
from PIL import Image
import pytest

from custom_components.homebound.device import (
    CameraAuthError,
    CameraUnreachableError,
    OnvifClient,
    SnapshotError,
    snapshot as snapshot_module,
)
from custom_components.homebound.device.snapshot import SnapshotFetcher
from simulator import Quirk, VirtualCamera
from simulator.services.pieces import PIECE_BYTES

JPEG = b"\xff\xd8\xff\xe0fake\xff\xd9"


@dataclass
class SnapshotServer:
    """An HTTP server whose one URL answers, hangs or fails as a test wants."""

    url: str = ""
    hits: int = 0
    hang: bool = False
    status: int = 200
    body: bytes = JPEG
    release: asyncio.Event = field(default_factory=asyncio.Event)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    pieces: int = 0
    """Write the body in this many pieces with pauses (0: at once)."""
    stated_length: int | None = None
    """Content-Length to state when writing in pieces (None: the body's; -1: none)."""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.hits += 1
        self.arrived.set()
        if self.hang:
            await self.release.wait()
        if not self.pieces:
            return web.Response(status=self.status, body=self.body)
        response = web.StreamResponse(status=self.status)
        if self.stated_length != -1:
            response.content_length = self.stated_length or len(self.body)
        await response.prepare(request)
        size = -(-len(self.body) // self.pieces)
        for start in range(0, len(self.body), size):
            await response.write(self.body[start : start + size])
            await asyncio.sleep(0.01)
        if self.stated_length not in (None, -1) and request.transport is not None:
            request.transport.close()  # cut: the stated length is never reached
            return response
        await response.write_eof()
        return response


@pytest.fixture
async def server() -> AsyncIterator[SnapshotServer]:
    state = SnapshotServer()
    app = web.Application()
    app.router.add_get("/snap.jpg", state.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    state.url = f"http://127.0.0.1:{runner.addresses[0][1]}/snap.jpg"
    try:
        yield state
    finally:
        state.release.set()
        await runner.cleanup()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as http:
        yield http


async def test_hanging_snapshot_ends_within_budget_then_rests(
    server: SnapshotServer, session: aiohttp.ClientSession
) -> None:
    """A URL that never answers costs one budget, not Home Assistant's whole 10 s; until the
    rest is over the camera is not asked again (its images come from the stream)."""
    server.hang = True
    fetcher = SnapshotFetcher(session, "", "", budget=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(CameraUnreachableError):
        await fetcher.fetch(server.url)
    assert loop.time() - started < 5
    assert fetcher.resting
    with pytest.raises(SnapshotError):
        await fetcher.fetch(server.url)
    assert server.hits == 1


async def test_concurrent_requests_share_one_fetch(
    server: SnapshotServer, session: aiohttp.ClientSession
) -> None:
    """Requests arriving during a fetch wait for that fetch instead of queueing new ones."""
    server.hang = True
    fetcher = SnapshotFetcher(session, "", "", budget=5)
    waiters = [asyncio.create_task(fetcher.fetch(server.url)) for _ in range(4)]
    await asyncio.wait_for(server.arrived.wait(), 5)
    server.release.set()
    images = await asyncio.gather(*waiters)
    assert images == [JPEG] * 4
    assert server.hits == 1


async def test_a_cancelled_waiter_leaves_the_fetch_to_the_others(
    server: SnapshotServer, session: aiohttp.ClientSession
) -> None:
    server.hang = True
    fetcher = SnapshotFetcher(session, "", "", budget=5)
    first = asyncio.create_task(fetcher.fetch(server.url))
    second = asyncio.create_task(fetcher.fetch(server.url))
    await asyncio.wait_for(server.arrived.wait(), 5)
    first.cancel()
    server.release.set()
    assert await second == JPEG
    assert first.cancelled()


async def test_a_failure_is_not_a_jpeg(
    server: SnapshotServer, session: aiohttp.ClientSession
) -> None:
    server.body = b"<html>login</html>"
    with pytest.raises(SnapshotError):
        await SnapshotFetcher(session, "", "").fetch(server.url)
    server.body, server.status = JPEG, 404
    with pytest.raises(SnapshotError):
        await SnapshotFetcher(session, "", "").fetch(server.url)


async def test_refused_snapshot_credentials_come_from_the_http_fetch(
    camera: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """The snapshot address is known; the camera then refuses the snapshot itself: the error
    comes from the HTTP fetch, without any SOAP request."""
    client = OnvifClient(camera.host, camera.onvif_port, "admin", "secret", session)
    info = await client.async_connect()
    try:
        assert (await client.async_get_snapshot(info.main_profile)).startswith(b"\xff\xd8")
        soap_before = len(camera.requests)
        # Only the snapshot's HTTP Digest check sees the new password before SOAP does.
        camera.config.password = "changed"
        with pytest.raises(CameraAuthError):
            await client.async_get_snapshot(info.main_profile)
        assert len(camera.requests) == soap_before
    finally:
        await client.async_close()


def _picture(size: int) -> bytes:
    """A JPEG-shaped body of ``size`` bytes (magic, filler, end marker)."""
    return b"\xff\xd8\xff\xe0" + bytes(range(256)) * (size // 256) + b"\xff\xd9"


async def test_a_snapshot_written_in_pieces_is_read_whole(
    server: SnapshotServer, session: aiohttp.ClientSession
) -> None:
    """One read(n) returns what has arrived: the image must be read to its end."""
    server.body, server.pieces = _picture(260_000), 8
    assert await SnapshotFetcher(session, "", "").fetch(server.url) == server.body
    server.stated_length = -1  # chunked, no Content-Length
    assert await SnapshotFetcher(session, "", "").fetch(server.url) == server.body


async def test_a_cut_snapshot_is_an_error_not_a_picture(
    server: SnapshotServer, session: aiohttp.ClientSession
) -> None:
    """A JPEG cut short is never served: its end marker is missing, or its length is."""
    picture = _picture(20_000)
    server.body, server.pieces = picture[:12_000], 3
    server.stated_length = len(picture)  # the connection closes before the stated length
    with pytest.raises(CameraUnreachableError):
        await SnapshotFetcher(session, "", "").fetch(server.url)
    server.stated_length = None  # says its own length: whole as sent, but no end marker
    with pytest.raises(SnapshotError, match="cut short"):
        await SnapshotFetcher(session, "", "").fetch(server.url)
    server.body = picture + b"\x00\x00\r\n"  # padding after the end marker is fine
    assert await SnapshotFetcher(session, "", "").fetch(server.url) == server.body


async def test_a_snapshot_larger_than_allowed_is_refused(
    server: SnapshotServer, session: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot_module, "MAX_SNAPSHOT_BYTES", 10_000)
    server.body, server.pieces = _picture(20_000), 4
    with pytest.raises(SnapshotError, match="too large"):
        await SnapshotFetcher(session, "", "").fetch(server.url)
    server.stated_length = -1  # no length stated: found out while reading
    with pytest.raises(SnapshotError, match="too large"):
        await SnapshotFetcher(session, "", "").fetch(server.url)


async def test_the_camera_writing_its_snapshot_in_pieces(
    camera: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """BODIES_IN_PIECES: the simulator's JPEG comes in 128-byte pieces, and arrives whole."""
    camera.set_quirk(Quirk.BODIES_IN_PIECES)
    client = OnvifClient(camera.host, camera.onvif_port, "admin", "secret", session)
    info = await client.async_connect()
    try:
        image = await client.async_get_snapshot(info.main_profile)
    finally:
        await client.async_close()
    assert len(image) > 10 * PIECE_BYTES
    with Image.open(io.BytesIO(image)) as picture:
        picture.load()  # a cut JPEG fails here
        assert picture.size == (640, 480)
