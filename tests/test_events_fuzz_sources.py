"""Hostile bytes through the real sources and their reader tasks, over loopback sockets.

test_events_fuzz feeds the parsers; here the same kind of input reaches them the way a camera
sends it: an alert stream or event stream served by a tiny loopback server to the real
Hikvision and Dahua sources, Notify POSTs to a loopback webhook that reads them as the hub
does and hands them to the real push source, and PullMessages answers (served by a proxy in
front of the simulator) to the real PullPoint source. Whatever arrives, the reader task goes
on, nothing escapes it, ``stop()`` returns, and an event sent after the junk still arrives.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib

import aiohttp
from aiohttp import web
from hypothesis import HealthCheck, given, settings, strategies as st

from custom_components.homebound.device import OnvifClient
from custom_components.homebound.device.body import BodyError, read_body
from custom_components.homebound.events import Capability, Event, EventKind
from custom_components.homebound.events.onvif_sources import PullPointSource, WebhookSource
from custom_components.homebound.events.readers import Channels
from custom_components.homebound.events.source import Backoff, EventSource
from custom_components.homebound.events.vendor_sources import DahuaSource, HikvisionSource
from simulator import CameraConfig, VirtualCamera

from .test_events_fuzz import _bodies
from .test_events_parsers import _alert

WAIT = 10.0
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
TAMPER = Capability(EventKind.TAMPER)
_TOPIC_TAMPER = b"tns1:RuleEngine/TamperDetector/Tamper"


class Sink:
    """Collects events; waits for the sentinel."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.changed = asyncio.Event()

    def event(self, event: Event) -> None:
        self.events.append(event)
        self.changed.set()

    def alive(self) -> None:
        self.changed.set()

    def trouble(self) -> None:
        self.changed.set()

    async def tamper(self) -> None:
        async with asyncio.timeout(WAIT):
            while not any(e.capability == TAMPER and e.active for e in self.events):
                self.changed.clear()
                await self.changed.wait()


def _still_running(source: EventSource) -> None:
    """The reader task is alive and nothing made the source give up."""
    task = source._task
    assert task is not None
    assert not task.done()
    assert source.failure is None


@contextlib.asynccontextmanager
async def _server(
    path: str, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_route("*", path, handler)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


async def _stream_source(
    source_class: type[HikvisionSource | DahuaSource],
    content_type: str,
    payload: bytes,
) -> None:
    """Serve ``payload`` as the source's stream (then keep it open); the sentinel must come."""
    release = asyncio.Event()

    async def stream(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": content_type})
        await response.prepare(request)
        for start in range(0, len(payload), 700):  # in pieces, as cameras write
            await response.write(payload[start : start + 700])
        await release.wait()
        return response

    sink = Sink()
    async with (
        _server(source_class.path.split("?", 1)[0], stream) as base,
        aiohttp.ClientSession() as session,
    ):
        source = source_class(sink, session, base, "admin", "secret", Channels())
        await source.start(lambda: None)
        try:
            await sink.tamper()
            _still_running(source)
        finally:
            await source.stop()
            release.set()


def _hik_part(body: bytes) -> bytes:
    return b"--boundary\r\nContent-Type: application/xml\r\nContent-Length: %d\r\n\r\n%s\r\n" % (
        len(body),
        body,
    )


def _dahua_part(body: bytes) -> bytes:
    return b"--myboundary\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s\r\n" % (
        len(body),
        body,
    )


@FUZZ
@given(_bodies)
async def test_hikvision_source_survives_any_stream(junk: bytes) -> None:
    heartbeat = _hik_part(_alert("videoloss", "inactive"))
    sentinel = _hik_part(_alert("tamperdetection", "active"))
    await _stream_source(
        HikvisionSource,
        "multipart/mixed; boundary=boundary",
        heartbeat + junk + b"\r\n" + sentinel * 3,
    )


@FUZZ
@given(_bodies)
async def test_dahua_source_survives_any_stream(junk: bytes) -> None:
    heartbeat = _dahua_part(b"Heartbeat")
    sentinel = _dahua_part(b"Code=VideoBlind;action=Start;index=0")
    await _stream_source(
        DahuaSource,
        "multipart/x-mixed-replace; boundary=myboundary",
        heartbeat + junk + b"\r\n" + sentinel * 3,
    )


async def test_a_channel_number_python_reads_as_a_digit_is_no_crash() -> None:
    """``<channelID>²</channelID>`` passes ``str.isdigit`` and fails ``int``: the alert is
    read (the channel unnamed) and the stream goes on."""
    odd = _alert("tamperdetection", "active").replace(
        b"<eventType>", b"<channelID>\xc2\xb2</channelID><eventType>"
    )
    await _stream_source(HikvisionSource, "multipart/mixed; boundary=boundary", _hik_part(odd))


_NOTIFY_TAMPER = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"'
    b' xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tt="http://www.onvif.org/ver10/schema"'
    b' xmlns:tns1="http://www.onvif.org/ver10/topics"><env:Body><wsnt:Notify>'
    b"<wsnt:NotificationMessage><wsnt:Topic>" + _TOPIC_TAMPER + b"</wsnt:Topic><wsnt:Message>"
    b'<tt:Message UtcTime="2026-12-01T10:00:00Z" PropertyOperation="Changed"><tt:Source>'
    b'<tt:SimpleItem Name="VideoSourceConfigurationToken" Value="vsc_main"/></tt:Source>'
    b'<tt:Data><tt:SimpleItem Name="IsTamper" Value="true"/></tt:Data></tt:Message>'
    b"</wsnt:Message></wsnt:NotificationMessage></wsnt:Notify></env:Body></env:Envelope>"
)


@FUZZ
@given(st.lists(_bodies, min_size=1, max_size=5))
async def test_the_push_source_survives_any_notify(junk: list[bytes]) -> None:
    """Junk POSTed to the webhook, read whole as the hub reads it, then to the push source."""
    sink = Sink()
    source = WebhookSource(sink, _NoClient(), Channels(), "http://127.0.0.1/unused")  # type: ignore[arg-type]

    async def notify(request: web.Request) -> web.Response:
        try:
            body = await read_body(request.content, 256 * 1024, expected=request.content_length)
        except BodyError:
            return web.Response(status=400)
        await source.handle_notify(body)
        return web.Response()

    async with _server("/hook", notify) as base, aiohttp.ClientSession() as session:
        for body in [*junk, _NOTIFY_TAMPER]:
            async with session.post(f"{base}/hook", data=body) as response:
                assert response.status == 200
    await sink.tamper()
    assert source.stats.received >= 1


class _NoClient:
    """The push source is not subscribed here: only its reading is under test."""

    has_events = True


_PULL_ANSWER = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"'
    b' xmlns:tev="http://www.onvif.org/ver10/events/wsdl"'
    b' xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tt="http://www.onvif.org/ver10/schema"'
    b' xmlns:tns1="http://www.onvif.org/ver10/topics"><env:Body><tev:PullMessagesResponse>'
    b"<tev:CurrentTime>2025-01-01T00:00:00Z</tev:CurrentTime>"
    b"<tev:TerminationTime>2025-01-01T00:10:00Z</tev:TerminationTime>"
    b"<wsnt:NotificationMessage><wsnt:Topic"
    b' Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">'
    b"tns1:VideoSource/MotionAlarm</wsnt:Topic><wsnt:Message>"
    b'<tt:Message UtcTime="2025-01-01T00:00:00Z" PropertyOperation="Changed"><tt:Source>'
    b'<tt:SimpleItem Name="Source" Value="vs_main"/></tt:Source><tt:Data>'
    b'<tt:SimpleItem Name="State" Value="true"/></tt:Data></tt:Message>'
    b"</wsnt:Message></wsnt:NotificationMessage>"
    b"</tev:PullMessagesResponse></env:Body></env:Envelope>"
)
_pull_answers = st.one_of(
    st.binary(max_size=512),
    st.builds(
        lambda cut, junk: _PULL_ANSWER[:cut] + junk + _PULL_ANSWER[cut:],
        st.integers(min_value=0, max_value=len(_PULL_ANSWER)),
        st.binary(max_size=64),
    ),
    st.builds(
        lambda topic, name, value: (
            _PULL_ANSWER.replace(b"tns1:VideoSource/MotionAlarm", topic)
            .replace(b'Name="State"', b'Name="' + name + b'"')
            .replace(b'Value="true"', b'Value="' + value + b'"')
        ),
        st.text(max_size=40).map(lambda t: t.replace("<", "").replace("&", "").encode()),
        st.sampled_from([b"State", b"IsMotion", b"IsTamper", b"", b"x" * 300]),
        st.sampled_from([b"true", b"false", b"1", b"", b"maybe"]),
    ),
)


@contextlib.asynccontextmanager
async def _proxy(
    camera: VirtualCamera, answers: deque[bytes], served: asyncio.Event
) -> AsyncIterator[int]:
    """Forward to the camera, but answer PullMessages from ``answers`` while there are any."""
    upstream = f"127.0.0.1:{camera.onvif_port}".encode()
    async with aiohttp.ClientSession() as session:
        own: list[bytes] = []

        async def forward(request: web.Request) -> web.Response:
            body = await request.read()
            if b"PullMessages" in body and answers:
                served.set()
                return web.Response(body=answers.popleft(), content_type="application/soap+xml")
            headers = {
                k: v
                for k, v in request.headers.items()
                if k.lower() not in ("host", "content-length")
            }
            async with session.post(
                f"http://127.0.0.1:{camera.onvif_port}{request.path_qs}", data=body, headers=headers
            ) as answer:
                data = (await answer.read()).replace(upstream, own[0])
                return web.Response(
                    status=answer.status,
                    body=data,
                    headers={"Content-Type": answer.headers.get("Content-Type", "")},
                )

        async with _server("/{tail:.*}", forward) as base:
            own.append(base.removeprefix("http://").encode())
            yield int(base.rsplit(":", 1)[1])


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(st.lists(_pull_answers, min_size=1, max_size=25))
async def test_the_pullpoint_source_survives_any_answer(junk: list[bytes]) -> None:
    """Junk PullMessages answers: counted, the subscription made again where needed, and
    events after them still arrive."""
    answers: deque[bytes] = deque()
    served = asyncio.Event()
    async with (
        VirtualCamera(CameraConfig(rtsp=False)) as camera,
        _proxy(camera, answers, served) as port,
        aiohttp.ClientSession() as session,
    ):
        client = OnvifClient("127.0.0.1", port, "admin", "secret", session)
        await client.async_connect()
        sink = Sink()
        source = PullPointSource(sink, client, Channels())
        source._backoff = Backoff(0.001, 0.01)
        answers.extend(junk)
        await source.start(lambda: None)
        try:
            async with asyncio.timeout(WAIT):
                while answers:
                    served.clear()
                    await served.wait()
            # Ongoing: a subscription made after it gets it among its initial states.
            camera.raise_detection("tamper")
            await sink.tamper()
            _still_running(source)
        finally:
            await source.stop()
            await client.async_close()
