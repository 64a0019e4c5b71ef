"""The virtual camera: one ONVIF/HTTP server, an RTSP child process and a WS-Discovery responder."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import dataclasses
import datetime as dt
import logging
import re
from types import TracebackType
from typing import TYPE_CHECKING, Final, Self

import aiohttp
from aiohttp import web

from . import device, media
from .config import CameraConfig, Quirk
from .device import DEVICE_OPERATIONS, DEVICE_PATH, EVENTS_PATH, MEDIA2_PATH, MEDIA_PATH
from .discovery import DiscoveryResponder
from .errors import FaultError
from .events import PULLPOINT_PATH, SUBSCRIPTION_PATH, EventBroker
from .media import MEDIA2_OPERATIONS, MEDIA_OPERATIONS
from .rtsp import RtspProcess, RtspUnavailableError
from .snapshot import HttpAuthenticator, SnapshotRenderer
from .soap import (
    ACTION_NOT_SUPPORTED,
    NOT_AUTHORIZED,
    NS,
    SOAP_CONTENT_TYPE,
    Fault,
    SoapParseError,
    add_addressing,
    check_username_token,
    new_envelope,
    parse_request,
    response_action,
    serialize,
)

if TYPE_CHECKING:
    from lxml import etree
    from lxml.etree import _Element

    from .media import StreamProfile
    from .soap import SoapRequest

_LOGGER = logging.getLogger(__name__)

type Handler = Callable[[VirtualCamera, SoapRequest, _Element], Awaitable[None]]

HOST: Final = "127.0.0.1"
SHUTDOWN_TIMEOUT: Final = 2.0
_SNAPSHOT_PATH: Final = re.compile(r"^/snapshot/(?P<token>[A-Za-z0-9_.-]+)\.jpg$")


class VirtualCamera:
    """A believable ONVIF camera on 127.0.0.1, for tests (in-process) and the demo."""

    host: str = HOST

    def __init__(self, config: CameraConfig | None = None) -> None:
        """Prepare the camera; nothing listens until start()."""
        self.config = dataclasses.replace(config) if config is not None else CameraConfig()
        self.requests: list[str] = []
        """SOAP operation names received, in order (including refused ones)."""
        self.snapshot_requests = 0
        self._request_seen = asyncio.Event()
        """Snapshots served (authenticated GETs answered with a JPEG)."""
        self.onvif_port = self.config.onvif_port
        self.rtsp_port: int | None = None
        self.discovery_port: int | None = None
        self.online = False
        self.http_session: aiohttp.ClientSession | None = None
        self.profiles: tuple[StreamProfile, ...] = media.stream_profiles(self.config.main_codec)
        self._skew = dt.timedelta(0)
        self.events = EventBroker(self)
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._rtsp: RtspProcess | None = None
        self._discovery: DiscoveryResponder | None = None
        self._renderer = SnapshotRenderer(self.config.name)
        self._http_auth = HttpAuthenticator()

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Start every server; return once ONVIF (and RTSP, discovery if configured) answer."""
        if self._runner is not None:
            raise RuntimeError("the camera is already started")
        try:
            await self._start_http()
            self.http_session = aiohttp.ClientSession()
            if self.config.rtsp:
                await self._start_rtsp()
            if self.config.discovery_port is not None:
                self._discovery = DiscoveryResponder(self)
                self.discovery_port = await self._discovery.start(self.config.discovery_port)
            self.online = True
        except BaseException:
            await self.stop()
            raise
        _LOGGER.info(
            "%s: ONVIF on http://%s:%s%s, RTSP %s, discovery %s",
            self.config.name,
            self.host,
            self.onvif_port,
            DEVICE_PATH,
            f"on rtsp://{self.host}:{self.rtsp_port}" if self.rtsp_port else "off",
            f"on udp {self.discovery_port}" if self.discovery_port else "off",
        )

    async def _start_http(self) -> None:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post("/onvif/{tail:.*}", self._handle_soap)
        app.router.add_get("/snapshot/{name}", self._handle_snapshot)
        app.router.add_get("/", self._handle_root)
        runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT
        )
        await runner.setup()
        self._runner = runner
        await self._listen()

    async def _listen(self) -> None:
        assert self._runner is not None
        site = web.TCPSite(self._runner, self.host, self.onvif_port, reuse_address=True)
        await site.start()
        self._site = site
        if not self.onvif_port:
            self.onvif_port = int(self._runner.addresses[0][1])

    async def _start_rtsp(self) -> None:
        rtsp = RtspProcess(
            port=self.config.rtsp_port,
            username=self.config.username,
            password=self.config.password,
            main_codec=self.config.main_codec,
            label=self.config.name,
        )
        try:
            self.rtsp_port = await rtsp.start()
        except RtspUnavailableError as err:
            _LOGGER.warning(
                "%s: running without RTSP, GStreamer's RTSP server is not available: %s",
                self.config.name,
                err,
            )
            self.rtsp_port = None
            return
        self._rtsp = rtsp

    async def stop(self) -> None:
        """Close everything and reap the RTSP child; safe to call more than once."""
        self.online = False
        if self._discovery is not None:
            self._discovery.close()
            self._discovery = None
        await self.events.close()
        if self._runner is not None:
            runner, self._runner, self._site = self._runner, None, None
            await runner.cleanup()
        if self.http_session is not None:
            session, self.http_session = self.http_session, None
            await session.close()
        if self._rtsp is not None:
            rtsp, self._rtsp = self._rtsp, None
            await rtsp.stop()
        self.events = EventBroker(self)

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
            self.online = True
            return
        self.online = False
        self.events.wake_all()
        if self._site is not None:
            site, self._site = self._site, None
            await site.stop()
        server = self._runner.server
        if server is not None:
            for connection in server.connections:
                connection.force_close()

    @property
    def clock_skew(self) -> float:
        """Seconds the camera clock is ahead of the host clock."""
        return self._skew.total_seconds()

    def skew_clock(self, seconds: float) -> None:
        """Camera clock = host clock + seconds (GetSystemDateAndTime and WS-Security checks)."""
        self._skew = dt.timedelta(seconds=seconds)

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

    def trigger_event(
        self, topic: str, data: dict[str, str], source: dict[str, str] | None = None
    ) -> None:
        """Raise an event (call from the camera's event loop).

        ``source`` defaults to the camera's usual source items for the known topics.
        """
        self.events.trigger(topic, data, source)

    async def wait_for_request(self, operation: str, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until ``operation`` has been received ``count`` times in all (see ``requests``).

        Raises TimeoutError after ``timeout`` seconds.
        """
        async with asyncio.timeout(timeout):
            while self.requests.count(operation) < count:
                self._request_seen.clear()
                await self._request_seen.wait()

    # --- facts handlers use ---------------------------------------------------------------

    def now(self) -> dt.datetime:
        """Return the camera's clock (UTC)."""
        return dt.datetime.now(dt.UTC) + self._skew

    def url(self, path: str) -> str:
        """Return an http URL on the camera's ONVIF port."""
        return f"http://{self.host}:{self.onvif_port}{path}"

    def stream_uri(self, profile: StreamProfile) -> str:
        """Return the RTSP URI of a profile (port 554 is reported when RTSP is off)."""
        return f"rtsp://{self.host}:{self.rtsp_port or 554}{profile.mount}"

    def snapshot_uri(self, profile: StreamProfile) -> str:
        """Return the snapshot URL of a profile."""
        return self.url(f"/snapshot/{profile.token}.jpg")

    def scopes(self) -> list[str]:
        """Return the camera's ONVIF scopes."""
        return device.scopes(self)

    # --- HTTP -----------------------------------------------------------------------------

    def _fault_response(self, fault: Fault) -> web.Response:
        if Quirk.NON_SOAP_FAULTS in self.config.quirks:
            return web.Response(status=500, text="Internal Server Error", content_type="text/plain")
        return web.Response(
            status=fault.http_status,
            body=fault.to_xml(),
            content_type=SOAP_CONTENT_TYPE,
            charset="utf-8",
        )

    def _route(self, path: str, request: SoapRequest) -> Handler | None:
        """Return the handler of this operation at this path; None when unsupported there."""
        name, namespace = request.name, request.namespace
        events = self.events
        if path == DEVICE_PATH and namespace == NS["tds"]:
            return DEVICE_OPERATIONS.get(name)
        if path == MEDIA_PATH and namespace == NS["trt"]:
            return MEDIA_OPERATIONS.get(name)
        if path == MEDIA2_PATH and namespace == NS["tr2"]:
            return MEDIA2_OPERATIONS.get(name)
        if path == EVENTS_PATH:
            table: dict[tuple[str, str], Handler] = {
                (NS["tev"], "GetEventProperties"): events.get_event_properties,
                (NS["tev"], "GetServiceCapabilities"): events.get_service_capabilities,
                (NS["tev"], "CreatePullPointSubscription"): events.create_pull_point_subscription,
                (NS["wsnt"], "Subscribe"): events.subscribe,
            }
            return table.get((namespace, name))
        for prefix in (PULLPOINT_PATH, SUBSCRIPTION_PATH):
            if path.startswith(prefix):
                return self._subscription_handler(path.removeprefix(prefix), prefix, request)
        return None

    def _subscription_handler(
        self, sub_id: str, prefix: str, request: SoapRequest
    ) -> Handler | None:
        events = self.events
        operations = {
            (NS["wsnt"], "Renew"): events.renew,
            (NS["wsnt"], "Unsubscribe"): events.unsubscribe,
            (NS["tev"], "SetSynchronizationPoint"): events.set_synchronization_point,
        }
        if prefix == PULLPOINT_PATH:
            operations[(NS["tev"], "PullMessages")] = events.pull_messages
        operation = operations.get((request.namespace, request.name))
        if operation is None:
            return None

        async def bound(camera: VirtualCamera, soap: SoapRequest, body: etree._Element) -> None:
            await operation(camera, soap, body, sub_id)

        return bound

    def _needs_auth(self, path: str, name: str) -> bool:
        if path == DEVICE_PATH and name == "GetSystemDateAndTime":
            return Quirk.AUTH_ON_DATE_TIME in self.config.quirks
        return True

    async def _handle_soap(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path == MEDIA2_PATH and Quirk.NO_MEDIA2 in self.config.quirks:
            raise web.HTTPNotFound
        data = await request.read()
        try:
            soap = parse_request(data)
        except SoapParseError as err:
            return self._fault_response(Fault("env:Sender", ("ter:WellFormed",), str(err)))
        self.requests.append(soap.name)
        self._request_seen.set()
        if self._needs_auth(path, soap.name) and not check_username_token(
            soap, self.config.username, self.config.password, self.now()
        ):
            return self._fault_response(NOT_AUTHORIZED)
        handler = self._route(path, soap)
        if handler is None:
            return self._fault_response(ACTION_NOT_SUPPORTED)
        envelope, header, body = new_envelope()
        try:
            await handler(self, soap, body)
        except FaultError as err:
            return self._fault_response(err.fault)
        if not self.online:
            # Went offline while the request waited (a long poll): drop the connection.
            if request.transport is not None:
                request.transport.close()
            raise web.HTTPServiceUnavailable
        add_addressing(header, soap, response_action(soap))
        return web.Response(
            body=serialize(envelope), content_type=SOAP_CONTENT_TYPE, charset="utf-8"
        )

    async def _handle_snapshot(self, request: web.Request) -> web.StreamResponse:
        match = _SNAPSHOT_PATH.match(request.path)
        profile = next(
            (p for p in self.profiles if match is not None and p.token == match.group("token")),
            None,
        )
        authorization = request.headers.get("Authorization", "")
        username, password = self.config.username, self.config.password
        if Quirk.BASIC_AUTH_SNAPSHOT in self.config.quirks:
            if not self._http_auth.check_basic(authorization, username, password):
                return web.Response(
                    status=401,
                    text="Unauthorized",
                    headers={"WWW-Authenticate": self._http_auth.basic_challenge()},
                )
        elif not any(
            self._http_auth.check_digest(authorization, request.method, uri, username, password)
            for uri in {request.path_qs, request.raw_path}
        ):
            return web.Response(
                status=401,
                text="Unauthorized",
                headers={"WWW-Authenticate": self._http_auth.digest_challenge()},
            )
        if profile is None:
            raise web.HTTPNotFound
        jpeg = self._renderer.jpeg(profile, self.now())
        self.snapshot_requests += 1
        return web.Response(body=jpeg, content_type="image/jpeg")

    async def _handle_root(self, _request: web.Request) -> web.StreamResponse:
        return web.Response(
            text=f"{self.config.manufacturer} {self.config.model} — {self.config.name}\n",
            content_type="text/plain",
        )
