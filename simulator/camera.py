"""The virtual camera: a persona's services on one HTTP server, an RTSP child, WS-Discovery.

``VirtualCamera`` only composes and runs: it makes the persona's service plug-ins around one
``CameraState``, registers their routes, and drives the lifecycle (start, offline, reboot,
stop). What the camera answers is in ``services/``; how it fails is in its persona.
"""

from __future__ import annotations

import asyncio
from collections import Counter
import contextlib
import dataclasses
import datetime as dt
import logging
from types import TracebackType
from typing import TYPE_CHECKING, Final, Self

import aiohttp
from aiohttp import web

from .camera_events import CameraEvents
from .camera_settings import CameraSettings
from .config import CameraConfig, Quirk
from .discovery import DiscoveryResponder
from .event_hub import EventHub
from .netns import listening_socket, socket_factory
from .personas import get_persona
from .rtsp import RtspProcess, RtspUnavailableError
from .services import ServiceContext
from .services.onvif.device import DEVICE_PATH, scopes
from .services.pieces import middleware
from .soap import ACTION_FAILED
from .state import HOST, LOST_CLOCK, CameraState, HttpRequest

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler

    from .persona import Persona
    from .profiles import StreamProfile
    from .services import Service
    from .soap import Fault

_LOGGER = logging.getLogger(__name__)

SHUTDOWN_TIMEOUT: Final = 2.0


class VirtualCamera(CameraEvents, CameraSettings):
    """A believable camera on 127.0.0.1 (or in a namespace), for tests and the demo."""

    def __init__(self, config: CameraConfig | None = None) -> None:
        """Compose the camera of its persona; nothing listens until start()."""
        self.config = dataclasses.replace(config) if config is not None else CameraConfig()
        self.persona: Persona = get_persona(self.config.persona)
        self.config.quirks |= self.persona.quirks
        if self.config.lies is None:
            self.config.lies = self.persona.lies
        profiles = self.persona.profiles(self.config.main_codec, self.config.sub_codec)
        realm = self.persona.realm.format(serial=self.config.serial, model=self.config.model)
        self.state = CameraState(self.config, profiles, realm, self.persona.authenticator)
        self.host = self.config.host
        for target, seconds in self.persona.delays.items():
            self.state.set_delay(target, seconds)
        self.discovery_port: int | None = None
        self.events = EventHub(self.state, self.persona.topics, self.persona.renderings)
        self._context = ServiceContext(self.state, self.persona, self.events)
        self.services: list[Service] = [make(self._context) for make in self.persona.services]
        self._context.services.extend(self.services)
        self._runner: web.AppRunner | None = None
        self._site: web.BaseSite | None = None
        self._rtsp: RtspProcess | None = None
        self._discovery: DiscoveryResponder | None = None
        self._stopping = asyncio.Event()

    # --- state, as attributes ---------------------------------------------------------------

    @property
    def requests(self) -> list[str]:
        """SOAP operation names received, in order (including refused ones)."""
        return self.state.requests

    @property
    def request_counts(self) -> Counter[str]:
        """SOAP operations by name plus "snapshot" for snapshot GETs, since ``reset_counts``."""
        return self.state.request_counts

    @property
    def snapshot_requests(self) -> int:
        """Snapshots served (authenticated GETs answered with a JPEG)."""
        return self.state.snapshot_requests

    @snapshot_requests.setter
    def snapshot_requests(self, value: int) -> None:
        self.state.snapshot_requests = value

    @property
    def onvif_port(self) -> int:
        """TCP port of the ONVIF/HTTP server (known once started)."""
        return self.state.onvif_port

    @property
    def rtsp_port(self) -> int | None:
        """TCP port of the RTSP server; None when it does not run."""
        return self.state.rtsp_port

    @property
    def online(self) -> bool:
        """Whether the ONVIF/HTTP port accepts connections."""
        return self.state.online

    @property
    def http_session(self) -> aiohttp.ClientSession | None:
        """The session the camera sends its own requests with (ONVIF Notify)."""
        return self.state.http_session

    @property
    def profiles(self) -> tuple[StreamProfile, ...]:
        """The camera's media profiles."""
        return self.state.profiles

    @property
    def delays(self) -> dict[str, float]:
        """The delays set, by target (see ``set_delay``)."""
        return self.state.delays

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Start every server; return once ONVIF (and RTSP, discovery if configured) answer."""
        if self._runner is not None:
            raise RuntimeError("the camera is already started")
        self._stopping.clear()
        try:
            await self._start_http()
            self.state.http_session = aiohttp.ClientSession(
                connector=None
                if self.config.netns is None
                else aiohttp.TCPConnector(socket_factory=socket_factory(self.config.netns))
            )
            if self.config.rtsp:
                await self._start_rtsp()
            if self.config.discovery_port is not None:
                self._discovery = DiscoveryResponder(
                    self.state, self.scopes, lambda: self.url(DEVICE_PATH)
                )
                self.discovery_port = await self._discovery.start(self.config.discovery_port)
            self.state.online = True
        except BaseException:
            await self.stop()
            raise
        _LOGGER.info(
            "%s (%s): ONVIF on http://%s:%s%s, RTSP %s, discovery %s",
            self.config.name,
            self.persona.name,
            self.host,
            self.onvif_port,
            DEVICE_PATH,
            f"on rtsp://{HOST}:{self.rtsp_port}" if self.rtsp_port else "off",
            f"on udp {self.discovery_port}" if self.discovery_port else "off",
        )

    async def _start_http(self) -> None:
        app = web.Application(
            client_max_size=1024 * 1024,
            middlewares=[self._log_request, middleware(self.state)],
        )
        if self.persona.server_header is not None:
            app.on_response_prepare.append(self._server_header)
        for service in self.services:
            service.register(app.router)
        runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT
        )
        await runner.setup()
        self._runner = runner
        await self._listen()

    @web.middleware
    async def _log_request(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Note every request before any plug-in sees it (tests count what a client sent)."""
        self.state.http_log.append(
            HttpRequest(request.method, request.path, "Authorization" in request.headers)
        )
        return await handler(request)

    async def _server_header(self, _request: web.Request, response: web.StreamResponse) -> None:
        """Answer with the persona's web server name, as its firmware does."""
        response.headers["Server"] = self.persona.server_header or ""

    async def _listen(self) -> None:
        assert self._runner is not None
        site: web.BaseSite
        if self.config.netns is None:
            site = web.TCPSite(self._runner, self.host, self.onvif_port, reuse_address=True)
        else:
            sock = listening_socket(self.config.netns, self.host, self.onvif_port)
            site = web.SockSite(self._runner, sock)
        await site.start()
        self._site = site
        if not self.onvif_port:
            self.state.onvif_port = int(self._runner.addresses[0][1])

    async def _start_rtsp(self) -> None:
        if not any(profile.streamed for profile in self.profiles):
            _LOGGER.info("%s: no profile to stream, so no RTSP server", self.config.name)
            return
        rtsp = RtspProcess(
            server_header=self.persona.rtsp_server,
            port=self.config.rtsp_port,
            username=self.config.username,
            password=self.config.password,
            profiles=self.profiles,
            label=self.config.name,
        )
        try:
            self.state.rtsp_port = await rtsp.start()
        except RtspUnavailableError as err:
            _LOGGER.warning(
                "%s: running without RTSP, GStreamer's RTSP server is not available: %s",
                self.config.name,
                err,
            )
            self.state.rtsp_port = None
            return
        self._rtsp = rtsp

    async def stop(self) -> None:
        """Close everything and reap the RTSP child; safe to call more than once."""
        self._stopping.set()
        self.state.online = False
        self.state.interrupt()
        if self._discovery is not None:
            self._discovery.close()
            self._discovery = None
        await self.events.reset()
        for service in self.services:
            await service.close()
        if self._runner is not None:
            runner, self._runner, self._site = self._runner, None, None
            await runner.cleanup()
        if self.state.http_session is not None:
            session, self.state.http_session = self.state.http_session, None
            await session.close()
        if self._rtsp is not None:
            rtsp, self._rtsp = self._rtsp, None
            await rtsp.stop()

    async def __aenter__(self) -> Self:
        """Start the camera."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the camera."""
        await self.stop()

    # --- controls -------------------------------------------------------------------------

    async def set_online(self, online: bool) -> None:
        """Offline: the ONVIF/HTTP port refuses connections and open ones are dropped.

        Online again: listen on the same port. RTSP keeps running either way.
        """
        if self._runner is None:
            raise RuntimeError("the camera is not started")
        if online == self.online:
            return
        if online:
            await self._listen()
            self.state.online = True
            return
        self.state.online = False
        self.state.interrupt()
        if self._site is not None:
            site, self._site = self._site, None
            await site.stop()
        server = self._runner.server
        if server is not None:
            for connection in server.connections:
                connection.force_close()

    async def reboot(self, downtime: float = 0.0, lose_clock: bool = False) -> None:
        """Reboot: subscriptions, event states, Digest nonces, open connections (RTSP too) go.

        The camera is offline for ``downtime`` seconds (0: just the drop), then online again.
        With ``lose_clock`` its clock restarts at 2000-01-01T00:00:00Z, as cameras without NTP
        do. Returns once the camera is back (or as soon as it is stopped meanwhile).
        """
        if self._runner is None:
            raise RuntimeError("the camera is not started")
        if downtime < 0:
            raise ValueError("downtime must be zero or more seconds")
        await self.set_online(False)
        self.state.interrupt()  # also when it was offline already
        self.state.http_auth.forget_nonces()
        await self.events.reset()
        for service in self.services:
            await service.reset()
        if self._rtsp is not None:
            self._rtsp.drop_sessions()
        if downtime > 0:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(downtime):
                    await self._stopping.wait()
        if self._stopping.is_set():
            return
        if lose_clock:
            self.state.clock.set(LOST_CLOCK)
        await self.set_online(True)

    @property
    def clock_skew(self) -> float:
        """Seconds the camera clock is ahead of the host clock."""
        return self.state.clock.skew

    def skew_clock(self, seconds: float) -> None:
        """Camera clock = host clock + seconds (GetSystemDateAndTime and WS-Security checks)."""
        self.state.clock.set_skew(seconds)

    def set_quirk(self, quirk: Quirk, enabled: bool = True) -> None:
        """Switch a quirk on or off."""
        quirk = Quirk(quirk)
        quirks = set(self.config.quirks)
        if enabled:
            quirks.add(quirk)
        else:
            quirks.discard(quirk)
        self.config.quirks = frozenset(quirks)

    def set_credentials(self, username: str, password: str) -> None:
        """Change the credentials of ONVIF, the snapshot URL and RTSP."""
        self.config.username = username
        self.config.password = password
        if self._rtsp is not None:
            self._rtsp.set_credentials(username, password)

    def set_delay(self, target: str, seconds: float | None) -> None:
        """Delay requests: ``target`` is a SOAP operation, "soap" (all of them) or "snapshot".

        ``math.inf`` hangs them until the camera goes offline, reboots or stops (then their
        connection is dropped); None removes the delay. An operation's own delay wins over the
        "soap" one; a change applies to requests already waiting.
        """
        self.state.set_delay(target, seconds)

    def set_fault(self, operation: str, fault: Fault | None = ACTION_FAILED) -> None:
        """Answer the SOAP ``operation`` with ``fault`` (after authentication), until None.

        The fault takes the camera's shape (plain text with NON_SOAP_FAULTS). A vendor API
        request, named as it is counted (``ISAPI/Event/triggers``, ``eventManager.getCaps``),
        is answered HTTP 500 with the fault's reason instead. For error paths no quirk of
        real firmware reaches: one operation of an otherwise healthy camera fails.
        """
        self.state.set_fault(operation, fault)

    def reset_counts(self) -> None:
        """Start ``request_counts`` from zero."""
        self.state.reset_counts()

    async def wait_for_request(self, operation: str, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until ``operation`` (or "snapshot") has been received ``count`` times in all.

        Raises TimeoutError after ``timeout`` seconds.
        """
        await self.state.wait_for_request(operation, count, timeout)

    # --- facts ----------------------------------------------------------------------------

    def now(self) -> dt.datetime:
        """Return the camera's clock (UTC)."""
        return self.state.now()

    def url(self, path: str) -> str:
        """Return an http URL on the camera's ONVIF port."""
        return self.state.url(path)

    def stream_uri(self, profile: StreamProfile) -> str:
        """Return the RTSP URI of a profile (port 554 is reported when RTSP is off)."""
        return self.state.stream_uri(profile)

    def snapshot_uri(self, profile: StreamProfile) -> str:
        """Return the snapshot URL of a profile."""
        return self.state.snapshot_uri(profile)

    def scopes(self) -> list[str]:
        """Return the camera's ONVIF scopes."""
        return scopes(self._context)
