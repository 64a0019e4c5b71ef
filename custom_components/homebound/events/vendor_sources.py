"""Vendor push streams: Hikvision's ISAPI alert stream and Dahua's CGI event stream.

Both are one HTTP GET (Digest, through the caller's shared session) whose multipart answer
lasts as long as the connection; :class:`~.multipart.MultipartStream` frames it. A dropped
connection is made again with doubling delays. A heartbeat or any part counts as a sign of
life; a stream with none within its window counts as silent, and the manager falls back to
ONVIF.
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

import aiohttp
from yarl import URL

from . import dahua, hikvision
from .dahua import DahuaPartError
from .model import Capability, Event, SourceKind
from .multipart import MultipartStream, Part, boundary_of
from .readers import Channels, vendor_event
from .source import Backoff, EventSink, EventSource, SourceUnavailable
from .xml import UnsafeXmlError

CONNECT_TIMEOUT: Final = 10.0
READ_LIMIT: Final = 4096


class _StreamSource(EventSource):
    """One never-ending multipart GET, read part by part."""

    path: str

    def __init__(
        self,
        sink: EventSink,
        session: aiohttp.ClientSession,
        base_url: str,
        username: str,
        password: str,
        channels: Channels,
    ) -> None:
        super().__init__(sink)
        self._session = session
        # Sent as written: yarl would send ``codes=[All]`` as ``codes=%5BAll%5D`` while the
        # Digest middleware signs the unencoded form, and firmwares compare the two strictly.
        self._url = URL(base_url.rstrip("/") + self.path, encoded=True)
        self._digest = aiohttp.DigestAuthMiddleware(username, password)
        self._channels = channels
        self._backoff = Backoff()
        self._response: aiohttp.ClientResponse | None = None

    async def _connect(self) -> aiohttp.ClientResponse:
        timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=CONNECT_TIMEOUT, sock_read=self.silence_window
        )
        response = await self._session.get(self._url, middlewares=(self._digest,), timeout=timeout)
        if response.status != 200 or not response.content_type.startswith("multipart/"):
            response.release()
            raise SourceUnavailable(
                f"{self.path} answered HTTP {response.status} ({response.content_type})"
            )
        return response

    async def _open(self) -> None:
        try:
            self._response = await self._connect()
        except (aiohttp.ClientError, TimeoutError, OSError) as err:
            raise SourceUnavailable(f"{self.path} did not answer: {type(err).__name__}") from err

    async def _run(self) -> None:
        while True:
            try:
                if self._response is None:
                    self._response = await self._connect()
                    self.stats.reconnects += 1
                await self._read(self._response)
            except (aiohttp.ClientError, TimeoutError, OSError, SourceUnavailable):
                self._trouble()
            finally:
                if self._response is not None:
                    self._response.release()
                    self._response = None
            await self._backoff.wait()

    async def _read(self, response: aiohttp.ClientResponse) -> None:
        stream = MultipartStream(
            boundary_of(response.headers.get("Content-Type", "")), complete=self._complete
        )
        while chunk := await response.content.read(READ_LIMIT):
            dropped = stream.dropped
            for part in stream.feed(chunk):
                self._backoff.reset()
                self._alive()
                self._part(part)
            self.stats.malformed += stream.dropped - dropped

    def _part(self, part: Part) -> None:
        raise NotImplementedError

    def _complete(self, body: bytes) -> bool:
        """Whether a part body without Content-Length is whole (see MultipartStream)."""
        raise NotImplementedError

    async def _close(self) -> None:
        if self._response is not None:
            self._response.release()
            self._response = None


class HikvisionSource(_StreamSource):
    """``/ISAPI/Event/notification/alertStream``; events end when their repeats stop."""

    kind = SourceKind.HIKVISION
    path = hikvision.ALERT_STREAM_PATH
    silence_window = 60.0

    def __init__(self, *args: Any, repeat_window: float = hikvision.REPEAT_WINDOW) -> None:
        """See _StreamSource; ``repeat_window`` is how long an event outlives its repeats."""
        super().__init__(*args)
        self._repeat_window = repeat_window
        self._ends: dict[Capability, asyncio.TimerHandle] = {}

    def _complete(self, body: bytes) -> bool:
        return hikvision.alert_complete(body)

    def _part(self, part: Part) -> None:
        try:
            alert = hikvision.parse_alert(part.body)
        except UnsafeXmlError:
            self.stats.malformed += 1
            return
        if alert.heartbeat:
            return
        event = vendor_event(
            alert.kind,
            alert.active,
            self._channels.numbered(int(alert.channel)) if alert.channel.isdigit() else "",
            alert.region,
            alert.event_type,
            self.kind,
            self.stats,
        )
        if event is None:
            return
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
    silence_window = 3.0 * dahua.HEARTBEAT_SECONDS

    def _complete(self, body: bytes) -> bool:
        return dahua.part_complete(body)

    def _part(self, part: Part) -> None:
        try:
            line = dahua.parse_event(part.body)
        except DahuaPartError:
            self.stats.malformed += 1
            return
        if line.heartbeat:
            return
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
