"""Whole bodies from a camera that writes them in pieces: Notify pushes and vendor API answers.

BODIES_IN_PIECES makes the simulator write every body 128 bytes at a time with pauses: one
``read(n)`` then returns the first piece. The webhook reads each push with
``device.body.read_body`` (the reader the hub hands its requests to) and the vendor API
answers come through ``VendorHttp.get``; both must see every byte.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import contextlib

import aiohttp
from aiohttp import web
import pytest

from custom_components.homebound.device import OnvifClient
from custom_components.homebound.device.body import (
    BodyTooLargeError,
    IncompleteBodyError,
    read_body,
)
from custom_components.homebound.events import Capability, Event, EventKind, SourceKind
from custom_components.homebound.events.capabilities import VendorHttp, vendor_capabilities
from custom_components.homebound.events.onvif_sources import WebhookSource
from custom_components.homebound.events.readers import Channels
from simulator import CameraConfig, Quirk, VirtualCamera

from .events_helpers import WAIT

MAX_NOTIFY = 256 * 1024


class Sink:
    def __init__(self) -> None:
        self.events: asyncio.Queue[Event] = asyncio.Queue()

    def event(self, event: Event) -> None:
        self.events.put_nowait(event)

    def alive(self) -> None:
        pass

    def trouble(self) -> None:
        pass


@contextlib.asynccontextmanager
async def _webhook(
    box: list[WebhookSource], first_reads: list[tuple[int, int]]
) -> AsyncIterator[str]:
    """A loopback webhook that reads each push whole, as the hub does with read_body.

    It also notes what one read(n) would have given (the first piece) against the whole.
    """

    async def notify(request: web.Request) -> web.Response:
        first = await request.content.read(MAX_NOTIFY)
        try:
            rest = await read_body(
                request.content,
                MAX_NOTIFY - len(first),
                expected=None
                if request.content_length is None
                else request.content_length - len(first),
                timeout=WAIT,
            )
        except BodyTooLargeError:
            return web.Response(status=413)
        except IncompleteBodyError:
            return web.Response(status=400)
        first_reads.append((len(first), len(first) + len(rest)))
        await box[0].handle_notify(first + rest)
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


async def test_a_push_written_in_pieces_is_read_whole(camera: VirtualCamera) -> None:
    """Notify POSTs arrive in pieces; the webhook reads them whole and the event comes."""
    camera.set_quirk(Quirk.BODIES_IN_PIECES)
    box: list[WebhookSource] = []
    reads: list[tuple[int, int]] = []
    sink = Sink()
    async with aiohttp.ClientSession() as session, _webhook(box, reads) as hook:
        client = OnvifClient(
            camera.host, camera.onvif_port, camera.config.username, camera.config.password, session
        )
        await client.async_connect()
        source = WebhookSource(sink, client, Channels(), hook)
        box.append(source)
        await source.start(lambda: None)
        try:
            camera.raise_detection("motion")
            async with asyncio.timeout(WAIT):
                while True:
                    event = await sink.events.get()
                    if event.capability == Capability(EventKind.MOTION) and not event.initial:
                        break
            assert event.active
            assert source.stats.malformed == 0
        finally:
            await source.stop()
            await client.async_close()
    assert reads
    assert all(first < whole for first, whole in reads)  # one read would have cut each


@pytest.mark.parametrize("persona", ["hikvision", "dahua"])
async def test_vendor_answers_written_in_pieces_are_read_whole(persona: str) -> None:
    """The trigger list and the event capabilities come in pieces, and are read whole."""
    config = CameraConfig(persona=persona, rtsp=False)
    async with VirtualCamera(config) as camera, aiohttp.ClientSession() as session:
        http = VendorHttp(session, camera.url("/"), config.username, config.password)
        kind = SourceKind.HIKVISION if persona == "hikvision" else SourceKind.DAHUA
        whole = await vendor_capabilities(kind, http, Channels())
        camera.set_quirk(Quirk.BODIES_IN_PIECES)
        assert await vendor_capabilities(kind, http, Channels()) == whole
        assert len(whole) >= 5


async def test_one_digest_middleware_for_every_vendor_request() -> None:
    """The camera's challenge is kept: only the first request is refused and asked again."""
    config = CameraConfig(persona="hikvision", rtsp=False)
    async with VirtualCamera(config) as camera, aiohttp.ClientSession() as session:
        http = VendorHttp(session, camera.url("/"), config.username, config.password)
        for _ in range(3):
            status, _body = await http.get("/ISAPI/Event/triggers")
            assert status == 200
    assert camera.request_counts["ISAPI/Event/triggers"] == 4  # one challenge, three answers


async def test_a_body_larger_than_allowed_or_cut_short_is_refused() -> None:
    """read_body: more than the limit, or less than the stated length, is an error."""

    async def answer(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.content_length = int(request.query["say"])
        await response.prepare(request)
        await response.write(b"x" * int(request.query["send"]))
        if request.transport is not None:
            request.transport.close()
        return response

    app = web.Application()
    app.router.add_get("/", answer)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        base = f"http://127.0.0.1:{runner.addresses[0][1]}/"
        async with aiohttp.ClientSession() as session:
            async with session.get(base, params={"say": "100", "send": "100"}) as response:
                with pytest.raises(BodyTooLargeError):
                    await read_body(response.content, 99)
            async with session.get(base, params={"say": "100", "send": "100"}) as response:
                with pytest.raises(BodyTooLargeError):
                    await read_body(response.content, 10, expected=response.content_length)
            async with session.get(base, params={"say": "60", "send": "50"}) as response:
                with pytest.raises((IncompleteBodyError, aiohttp.ClientPayloadError)):
                    await read_body(response.content, 100, expected=response.content_length)
    finally:
        await runner.cleanup()
