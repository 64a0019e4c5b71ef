"""What a maker's own HTTP API shares: Digest, counting, delays, and the never-ending event GET.

Hikvision ISAPI and Dahua CGI requests go the way a snapshot does: counted (by a name such as
``ISAPI/Event/triggers``), delayed or held like any request, then checked for HTTP Digest
against the camera's one authenticator. An event stream is one GET answered with a multipart
body for as long as the connection lasts; each open one is an ``EventHub`` listener that
queues detections, and a loop writes them, plus what the maker sends on a schedule (repeats,
heartbeats), until the client goes, or the camera goes offline, reboots, stops or stops
serving the stream — then the connection is cut, as a crashed or rebooting camera cuts it.
While the stream is stalled (``CameraEvents.stall_event_stream``) open streams stay open and
new ones are answered, but nothing is written, as when the firmware's event process hangs;
what happens meanwhile is lost, and the parts resume when the stall ends.
"""

from __future__ import annotations

import asyncio
from collections import deque
import contextlib
import math
from typing import TYPE_CHECKING, ClassVar, Final

from aiohttp import web

from . import pieces
from .base import Service, drop_connection
from .multipart import Framing

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..detections import Detection

MAX_QUEUED: Final = 1000

type Part = tuple[str, list[str]]
"""What a part says (counted in ``CameraState.stream_parts``), and the lines of its body."""


class VendorHttpService(Service):
    """A plug-in of a maker's HTTP API behind HTTP Digest."""

    async def admit(
        self, request: web.Request, name: str, *, digest: bool = True
    ) -> web.StreamResponse | None:
        """Count, delay and authenticate ``request``; None to answer it, else the refusal.

        ``digest=False`` for what authenticates in its own way (Dahua's RPC2 session).
        """
        state = self.state
        if not state.online:
            drop_connection(request)  # arrived while the camera is going offline
        state.record(name, soap=False)
        if not await state.hold(name, soap=False):
            drop_connection(request)
        authorization = request.headers.get("Authorization", "")
        # The signed URI must be the request target exactly as sent (RFC 7616 §3.4): a client
        # that signs ``codes=[All]`` but sends ``codes=%5BAll%5D`` is refused, as firmwares that
        # compare the two strictly do.
        if digest and not state.http_auth.check_digest(
            authorization, request.method, request.raw_path, state.username, state.password
        ):
            return self.context.behaviour.http_challenge(state, basic=False)
        if (fault := state.fault_of(name)) is not None:
            return web.Response(status=500, text=f"{fault.reason}\r\n")
        return None


class StreamConnection:
    """One open event stream: the detections waiting to be written and its schedule."""

    def __init__(self, heartbeat: float, query: Mapping[str, str]) -> None:
        """Nothing queued; a heartbeat every ``heartbeat`` seconds (or of quiet)."""
        self.query = dict(query)
        """The stream request's query (what it asked for)."""
        self.queue: deque[Detection] = deque(maxlen=MAX_QUEUED)
        self.injected: deque[Part] = deque(maxlen=MAX_QUEUED)
        """Parts to write as they are (``CameraEvents.send_stream_part``)."""
        self.wakeup = asyncio.Event()
        self.dropped = False
        self.heartbeat = heartbeat
        self.last_sent = 0.0
        """Loop time of the last part written."""
        self.next_heartbeat = 0.0
        self.next_repeat = math.inf
        self.counts: dict[tuple[object, ...], int] = {}
        """Parts written per ongoing detection (Hikvision's ``activePostCount``)."""

    def detected(self, detection: Detection) -> None:
        """Queue a detection (an ``EventHub`` listener)."""
        if not self.dropped:
            self.queue.append(detection)
            self.wakeup.set()

    def inject(self, part: Part) -> None:
        """Queue a part to be written as it is, framed like every other."""
        if not self.dropped:
            self.injected.append(part)
            self.wakeup.set()

    def drop(self) -> None:
        """End the stream: the camera was reset."""
        self.dropped = True
        self.wakeup.set()


class EventStreamService(VendorHttpService):
    """A maker's event stream; subclasses render parts and say what is scheduled."""

    media_type: ClassVar[str]
    """The stream's multipart type (``multipart/mixed``, ``multipart/x-mixed-replace``)."""
    boundary: ClassVar[str]
    part_type: ClassVar[str]
    """Content-Type of each part."""
    stream_name: ClassVar[str]
    """Name the stream GET is counted and delayed under."""

    def heartbeat_of(self, request: web.Request) -> float:
        """Seconds between heartbeats for this request."""
        raise NotImplementedError

    def render(self, connection: StreamConnection, detection: Detection) -> list[Part]:
        """Return the parts that say ``detection``."""
        raise NotImplementedError

    def scheduled(self, connection: StreamConnection, now: float) -> list[Part]:
        """Return the parts due at loop time ``now`` (and move the schedule on)."""
        raise NotImplementedError

    def next_due(self, connection: StreamConnection) -> float:
        """Loop time at which something is next due."""
        return connection.next_heartbeat

    def _open(self, connection: StreamConnection, generation: int) -> bool:
        state = self.state
        return (
            not connection.dropped
            and state.generation == generation
            and state.online
            and state.event_stream
        )

    async def stream(self, request: web.Request) -> web.StreamResponse:
        """Answer the stream GET: refused, or parts until one side goes away."""
        refused = await self.admit(request, self.stream_name)
        if refused is not None:
            return refused
        state = self.state
        if not state.event_stream:
            return web.Response(status=503, text="Service Unavailable\r\n")
        framing = Framing.of(state.quirks, self.boundary)
        content_type = framing.content_type(self.media_type)
        response = web.StreamResponse(headers={"Content-Type": content_type})
        await response.prepare(request)
        connection = StreamConnection(self.heartbeat_of(request), request.query)
        loop = asyncio.get_running_loop()
        connection.last_sent = loop.time()
        connection.next_heartbeat = connection.last_sent + connection.heartbeat
        generation = state.generation
        self.context.events.listen(connection)
        try:
            with state.watch(connection.wakeup):
                await self._pump(connection, response, framing, generation)
        except ConnectionError:
            return response  # the client went away
        finally:
            self.context.events.unlisten(connection)
        if request.transport is not None:
            request.transport.close()  # the camera went away: cut, no closing delimiter
        return response

    async def _pump(
        self,
        connection: StreamConnection,
        response: web.StreamResponse,
        framing: Framing,
        generation: int,
    ) -> None:
        loop = asyncio.get_running_loop()
        while self._open(connection, generation):
            if self.state.stream_stalled:
                await self._stalled(connection)
                continue
            parts: list[Part] = []
            while connection.queue:
                parts.extend(self.render(connection, connection.queue.popleft()))
            while connection.injected:
                parts.append(connection.injected.popleft())
            parts.extend(self.scheduled(connection, loop.time()))
            for what, lines in parts:
                part = framing.part(self.part_type, framing.text(lines))
                await pieces.write(response, part, self.state)
                connection.last_sent = loop.time()
                self.state.sent_part(what)
            if parts or not self._open(connection, generation):
                continue
            connection.wakeup.clear()
            wait = self.next_due(connection) - loop.time()
            if connection.queue or connection.injected or wait <= 0:
                continue
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await connection.wakeup.wait()

    async def _stalled(self, connection: StreamConnection) -> None:
        """Write nothing until the stall ends (or the stream does); forget what came meanwhile."""
        connection.queue.clear()
        connection.injected.clear()
        connection.wakeup.clear()
        await connection.wakeup.wait()
