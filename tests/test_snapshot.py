"""Snapshots: a total budget, a rest after failure, one fetch shared by concurrent requests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
import pytest

from custom_components.homebound.device import (
    CameraAuthError,
    CameraUnreachableError,
    OnvifClient,
    SnapshotError,
)
from custom_components.homebound.device.snapshot import SnapshotFetcher
from simulator import VirtualCamera

JPEG = b"\xff\xd8\xff\xe0fake"


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

    async def handle(self, _: web.Request) -> web.Response:
        self.hits += 1
        self.arrived.set()
        if self.hang:
            await self.release.wait()
        return web.Response(status=self.status, body=self.body)


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
