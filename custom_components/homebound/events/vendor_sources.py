"""Vendor push streams: Hikvision's ISAPI alert stream and Dahua's CGI event stream.

Both are one HTTP GET (Digest, through the caller's shared session) whose multipart answer
lasts as long as the connection; :class:`~.multipart.MultipartStream` frames it. Every part
and heartbeat is a delivery; how long the stream may be quiet is learned from its heartbeats
(:mod:`.liveness`), and a stream quiet past that counts as silent.

A stream that ends (the camera closed it, the connection broke) is opened again at once —
once: if that fails, or the stream keeps dropping, the source gives up and the manager moves
to the next source at once, rather than after a silence window, and probes this one again
later with backoff (one connection at a time per camera). A part nobody foresaw (``²`` as a
channel number, a parser bug) is counted as malformed and the stream goes on.
"""

from __future__ import annotations

from abc import abstractmethod
import asyncio
from collections import deque
import logging
import socket
from typing import Any, Final

import aiohttp
from yarl import URL

from . import dahua, hikvision
from .dahua import DahuaPartError
from .liveness import HIKVISION_HEARTBEAT, Heartbeats
from .model import Capability, Event, SourceKind
from .multipart import MultipartStream, Part, boundary_of
from .readers import Channels, channel_number, vendor_event
from .source import EventSink, EventSource, SourceUnavailable
from .xml import UnsafeXmlError

_LOGGER = logging.getLogger(__name__)

CONNECT_TIMEOUT: Final = 10.0
"""Seconds for the stream's answer (headers) to arrive."""
READ_LIMIT: Final = 4096
LOSS_PERIOD: Final = 60.0
MAX_LOSSES: Final = 3
"""Connections lost within LOSS_PERIOD after which the source gives up (no reconnect storm)."""
KEEPALIVE: Final = (20, 5, 3)
"""TCP keepalive idle, interval, count: a dead peer found in about 35 s without a request."""


def _keepalive(response: aiohttp.ClientResponse) -> None:
    """Have the kernel probe the stream's connection, for streams that carry no heartbeat."""
    connection = response.connection
    transport = connection.transport if connection is not None else None
    sock = transport.get_extra_info("socket") if transport is not None else None
    if sock is None:
        return
    options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
    for name, value in zip(
        ("TCP_KEEPIDLE", "TCP_KEEPINTVL", "TCP_KEEPCNT"), KEEPALIVE, strict=True
    ):
        if hasattr(socket, name):
            options.append((socket.IPPROTO_TCP, getattr(socket, name), value))
    try:
        for level, option, value in options:
            sock.setsockopt(level, option, value)
    except OSError:
        _LOGGER.debug("TCP keepalive could not be set on the event stream", exc_info=True)


class _StreamSource(EventSource):
    """One never-ending multipart GET, read part by part."""

    path: str
    assumed_heartbeat: float

    def __init__(
        self,
        sink: EventSink,
        session: aiohttp.ClientSession,
        base_url: str,
        username: str,
        password: str,
        channels: Channels,
        *,
        auth: aiohttp.DigestAuthMiddleware | None = None,
        heartbeat: float | None = None,
    ) -> None:
        """Read ``base_url``'s stream; ``auth`` is the camera's one Digest middleware, if shared.

        ``heartbeat`` is the interval assumed until measured (the kind's default).
        """
        super().__init__(sink)
        self._session = session
        # Sent as written: yarl would send ``codes=[All]`` as ``codes=%5BAll%5D`` while the
        # Digest middleware signs the unencoded form, and firmwares compare the two strictly.
        self._url = URL(base_url.rstrip("/") + self.path, encoded=True)
        self._digest = auth or aiohttp.DigestAuthMiddleware(username, password)
        self._channels = channels
        self._response: aiohttp.ClientResponse | None = None
        self.heartbeats = Heartbeats(heartbeat or self.assumed_heartbeat)
        self._losses: deque[float] = deque(maxlen=MAX_LOSSES)
        self._checking = False
        self._errors_logged = False

    async def _connect(self) -> aiohttp.ClientResponse:
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=CONNECT_TIMEOUT, sock_read=None)
        async with asyncio.timeout(CONNECT_TIMEOUT):
            response = await self._session.get(
                self._url, middlewares=(self._digest,), timeout=timeout
            )
        if response.status != 200 or not response.content_type.startswith("multipart/"):
            response.release()
            raise SourceUnavailable(
                f"{self.path} answered HTTP {response.status} ({response.content_type})"
            )
        _keepalive(response)
        return response

    async def _open(self) -> None:
        try:
            self._response = await self._connect()
        except (aiohttp.ClientError, TimeoutError, OSError) as err:
            raise SourceUnavailable(f"{self.path} did not answer: {type(err).__name__}") from err

    def _window(self) -> float | None:
        return self.heartbeats.window

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            reason = await self._read_until_lost()
            if not self._checking:  # a check of a quiet stream is no loss
                self._trouble()
                self._losses.append(loop.time())
            if len(self._losses) == MAX_LOSSES and loop.time() - self._losses[0] < LOSS_PERIOD:
                self._give_up(f"{reason}, {MAX_LOSSES} times within {LOSS_PERIOD:.0f} s")
                return
            try:
                self._response = await self._connect()
            except (aiohttp.ClientError, TimeoutError, OSError, SourceUnavailable) as err:
                self._give_up(f"{reason}; opening it again failed: {_said(err)}")
                return
            self.stats.reconnects += 1
            self.heartbeats.reconnected()
            if self._checking:
                self._checking = False
                self.heartbeats.absent = True
                _LOGGER.info(
                    "%s: the camera's event stream carries no heartbeat; a stall shows only "
                    "when the connection ends",
                    self.kind.value,
                )
            self._alive(delivery=False)

    async def _read_until_lost(self) -> str:
        """Read the open stream until it ends; return how it ended."""
        response = self._response
        try:
            if response is None:
                return "no stream"
            await self._read(response)
        except (aiohttp.ClientError, TimeoutError, OSError) as err:
            return f"the stream broke ({type(err).__name__})"
        finally:
            if response is not None:
                response.release()
            self._response = None
        return "the camera ended the stream"

    async def _read(self, response: aiohttp.ClientResponse) -> None:
        stream = MultipartStream(
            boundary_of(response.headers.get("Content-Type", "")), complete=self._complete
        )
        loop = asyncio.get_running_loop()
        while chunk := await response.content.read(READ_LIMIT):
            dropped, quirks = stream.dropped, stream.framing_quirks
            for part in stream.feed(chunk):
                heartbeat = self._contained(part)
                if heartbeat:
                    self.heartbeats.beat(loop.time())
                self._alive()
            self.stats.malformed += stream.dropped - dropped
            self.stats.framing_quirks += stream.framing_quirks - quirks

    def _contained(self, part: Part) -> bool:
        """Read one part; anything unexpected counts as malformed. Whether it was a heartbeat."""
        try:
            return self._part(part)
        except Exception as err:  # noqa: BLE001 - one odd part must not end the stream
            self.stats.malformed += 1
            self.stats.errors += 1
            if not self._errors_logged:
                self._errors_logged = True
                _LOGGER.warning(
                    "%s: a part could not be read (%s); counted as malformed, reading on",
                    self.kind.value,
                    type(err).__name__,
                    exc_info=True,
                )
            return False

    def _quiet(self) -> None:
        """Quiet past the window: a stall once the rhythm is known, else look again."""
        self._silence = None
        if self.heartbeats.established:
            self._went_silent()
            return
        # Not known to carry heartbeats: whether the camera still answers decides. Closing
        # the response ends the read; the reader then opens the stream again (see _run).
        self._checking = True
        if self._response is not None:
            self._response.close()

    @abstractmethod
    def _part(self, part: Part) -> bool:
        """Read one part of the stream; return whether it was a heartbeat."""

    @abstractmethod
    def _complete(self, body: bytes) -> bool:
        """Whether a part body without Content-Length is whole (see MultipartStream)."""

    async def _close(self) -> None:
        if self._response is not None:
            self._response.release()
            self._response = None

    def describe(self) -> dict[str, Any]:
        """For diagnostics: the counts and what the heartbeat turned out to be."""
        return {**super().describe(), **self.heartbeats.describe()}


def _said(err: BaseException) -> str:
    return str(err) if isinstance(err, SourceUnavailable) else type(err).__name__


class HikvisionSource(_StreamSource):
    """``/ISAPI/Event/notification/alertStream``; events end when their repeats stop."""

    kind = SourceKind.HIKVISION
    path = hikvision.ALERT_STREAM_PATH
    assumed_heartbeat = HIKVISION_HEARTBEAT

    def __init__(self, *args: Any, repeat_window: float = hikvision.REPEAT_WINDOW, **kw: Any):
        """See _StreamSource; ``repeat_window`` is how long an event outlives its repeats."""
        super().__init__(*args, **kw)
        self._repeat_window = repeat_window
        self._ends: dict[Capability, asyncio.TimerHandle] = {}

    def _complete(self, body: bytes) -> bool:
        return hikvision.alert_complete(body)

    def _part(self, part: Part) -> bool:
        try:
            alert = hikvision.parse_alert(part.body)
        except UnsafeXmlError:
            self.stats.malformed += 1
            return False
        if alert.heartbeat:
            return True
        number = channel_number(alert.channel)
        event = vendor_event(
            alert.kind,
            alert.active,
            self._channels.numbered(number) if number is not None else "",
            alert.region,
            alert.event_type,
            self.kind,
            self.stats,
        )
        if event is None:
            return False
        capability = event.capability
        timer = self._ends.pop(capability, None)
        if timer is not None:
            timer.cancel()
        if event.active:
            if timer is None:  # a repeat of a running event is no news
                self._report(event)
            self._ends[capability] = asyncio.get_running_loop().call_later(
                self._repeat_window, self._end, event
            )
        elif timer is not None:
            self._report(event)
        return False

    def _end(self, started: Event) -> None:
        """End the event: its repeats stopped (many NVRs never send "inactive")."""
        self._ends.pop(started.capability, None)
        self._report(
            Event(
                capability=started.capability,
                active=False,
                source=self.kind,
                topic=started.topic,
            )
        )

    async def _close(self) -> None:
        for timer in self._ends.values():
            timer.cancel()
        self._ends.clear()
        await super()._close()


class DahuaSource(_StreamSource):
    """``/cgi-bin/eventManager.cgi?action=attach&codes=[All]&heartbeat=5``."""

    kind = SourceKind.DAHUA
    path = dahua.ATTACH_PATH
    assumed_heartbeat = float(dahua.HEARTBEAT_SECONDS)

    def _complete(self, body: bytes) -> bool:
        return dahua.part_complete(body)

    def _part(self, part: Part) -> bool:
        try:
            line = dahua.parse_event(part.body)
        except DahuaPartError:
            self.stats.malformed += 1
            return False
        if line.heartbeat:
            return True
        event = vendor_event(
            line.kind,
            line.action != "stop",
            self._channels.numbered(line.index, zero_based=True),
            line.region,
            line.code,
            self.kind,
            self.stats,
            pulse=line.action == "pulse",
        )
        if event is not None:
            self._report(event)
        return False
