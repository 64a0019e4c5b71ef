"""One camera over ONVIF, through onvif-zeep-async.

``OnvifClient`` runs the setup probe (clock, identity, services, media profiles), answers the
questions the entities ask (stream and snapshot URIs, snapshots) and the periodic health check.
How a request reaches the camera (which WSDL, which session) is :mod:`.services`.
The probe's own requests (clock, identity, services, profiles) and why they are not the
library's conveniences are :mod:`.probe_calls`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Final

import aiohttp
from onvif import ONVIFCamera

from . import probe, probe_log
from .errors import (
    CameraAuthError,
    CameraError,
    CameraFaultError,
    CameraProtocolError,
    CameraUnreachableError,
    SnapshotError,
)
from .models import CameraInfo, DeviceIdentity, MediaProfile
from .probe_calls import SKEW_TOLERANCE, ProbeCalls, in_order
from .snapshot import SnapshotFetcher
from .soap import CameraSession
from .urls import with_credentials

_LOGGER = logging.getLogger(__name__)

REQUEST_TIMEOUT: Final = 15.0
"""Seconds one SOAP exchange may take before the camera counts as unreachable."""


class OnvifClient(ProbeCalls):
    """A connection to one ONVIF camera.

    ``session`` is the caller's shared HTTP session; it carries snapshots and, through
    :class:`.soap.CameraSession`, SOAP. (onvif-zeep-async still opens sessions of its own per
    service, which stay unused and are closed by :meth:`async_close`.)
    """

    def __init__(
        self,
        host: str,
        port: int,
        username: str,
        password: str,
        session: aiohttp.ClientSession,
        *,
        timeout: float = REQUEST_TIMEOUT,
        observers: tuple[aiohttp.ClientMiddlewareType, ...] = (),
    ) -> None:
        """Prepare a client; nothing is sent until ``async_connect``.

        ``observers`` are aiohttp middlewares that watch every SOAP and snapshot answer (a
        ``device.FingerprintRecorder``); they add no request.
        """
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self._timeout = timeout
        self._where = f"{host}:{port}"
        self._camera: ONVIFCamera | None = None
        self._stream_uris: dict[str, str] = {}
        self._snapshot_uris: dict[str, str | None] = {}
        self.snapshots = SnapshotFetcher(session, username, password, observers=observers)
        self._soap_session = CameraSession(session, username, password, observers)
        self.info: CameraInfo | None = None
        self.clock_skew: float = 0.0
        self.reachable = False

    # -- connection ------------------------------------------------------------------------

    async def async_connect(self) -> CameraInfo:
        """Run the setup probe and return what the camera is.

        Raises CameraUnreachableError, CameraAuthError, NotOnvifError or NoVideoProfilesError.
        """
        await self.async_close()
        self._camera = ONVIFCamera(
            self.host, self.port, self.username, self.password, no_cache=True
        )
        probe_log.started(self._where)
        step = 1
        try:
            read = await self._measure_clock()
            probe_log.clock(
                self._where, self.clock_skew if read else None, self.dt_diff is not None
            )
            # Three round trips, not five: what does not depend on an earlier answer is asked
            # at once (the Device service client exists since the clock was read).
            step = 2
            information, services = await in_order(
                self._device_information(), self._discover_services()
            )
            probe_log.identity_and_services(self._where, information, services)
            step = 3
            (identity, addresses), profiles = await in_order(
                self._read_identity(information), self._read_profiles()
            )
            probe_log.network_and_profiles(self._where, identity, addresses, profiles)
        except BaseException as err:
            probe_log.failed(self._where, step, err)
            await self.async_close()
            raise
        self.info = CameraInfo(
            identity=identity,
            profiles=profiles,
            services=services,
            clock_skew=self.clock_skew,
            addresses=addresses,
        )
        self.reachable = True
        return self.info

    async def async_resume(self, known: CameraInfo) -> CameraInfo:
        """Connect to a camera probed before, with one authenticated request where it can.

        Home Assistant restarts far more often than cameras change: the service addresses,
        profiles and clock offset found last time are taken as they were, and one
        GetDeviceInformation proves that the camera answers, accepts the credentials and is
        still the same camera on the same firmware. Anything else — another serial number, a
        firmware update, a clock that moved, an answer that is not as before — runs the full
        probe instead. Raises what :meth:`async_connect` raises.
        """
        await self.async_close()
        camera = ONVIFCamera(self.host, self.port, self.username, self.password, no_cache=True)
        self._camera = camera
        camera.xaddrs.update(known.services)
        self.clock_skew = known.clock_skew
        if abs(known.clock_skew) >= SKEW_TOLERANCE:
            camera.dt_diff = dt.timedelta(seconds=known.clock_skew)
        try:
            information = await self._device_information()
        except CameraUnreachableError:
            await self.async_close()
            raise
        except CameraError as err:
            _LOGGER.debug("%s: resuming failed (%s); probing afresh", self.host, err)
            return await self.async_connect()
        seen = probe.identity(information, known.identity.mac)
        if seen != known.identity:
            _LOGGER.debug("%s is not as it was (%s); probing afresh", self.host, seen)
            return await self.async_connect()
        self.info = known
        self.reachable = True
        return known

    async def async_close(self) -> None:
        """Close every connection the library opened."""
        camera, self._camera = self._camera, None
        self._stream_uris.clear()
        self._snapshot_uris.clear()
        self.reachable = False
        if camera is not None:
            await camera.close()

    @property
    def connected(self) -> bool:
        """Whether a probe succeeded and its connections are open."""
        return self._camera is not None

    async def async_check(self) -> DeviceIdentity:
        """Tell whether the camera still answers and still accepts the credentials.

        One authenticated GetDeviceInformation. When it is refused, the camera clock is read
        again (a camera that rebooted may have lost its time) and the call is retried once.
        Raises CameraUnreachableError or CameraAuthError (any other CameraError for answers
        that make no sense); on recovery the cached stream and snapshot addresses are
        forgotten, since a camera that restarted may hand out new ones. Returns what the
        camera said of itself (no MAC: the answer carries none), so that the caller can tell
        when another camera answers at the address.
        """
        try:
            try:
                information = await self._device_information()
            except CameraAuthError:
                before = self.clock_skew
                await self._measure_clock()
                if abs(self.clock_skew - before) < SKEW_TOLERANCE:
                    raise
                information = await self._device_information()
        except CameraError:
            self.reachable = False
            raise
        if not self.reachable:
            self._stream_uris.clear()
            self._snapshot_uris.clear()
        self.reachable = True
        return probe.identity(information, None)

    # -- what entities ask -----------------------------------------------------------------

    async def async_get_stream_uri(self, profile: MediaProfile) -> str:
        """Return the RTSP address of a profile, without credentials."""
        if (uri := self._stream_uris.get(profile.token)) is not None:
            return uri
        if profile.media_version == 2:
            media2 = await self._media2()
            try:
                result = await self._call(
                    media2.GetStreamUri({"Protocol": "RtspUnicast", "ProfileToken": profile.token})
                )
            except CameraFaultError:
                # Some firmware only knows the older protocol name.
                result = await self._call(
                    media2.GetStreamUri({"Protocol": "RTSP", "ProfileToken": profile.token})
                )
        else:
            media = await self.service("media")
            result = await self._call(
                media.GetStreamUri(
                    {
                        "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                        "ProfileToken": profile.token,
                    }
                )
            )
        uri = probe.uri(result)
        if not uri:
            raise CameraFaultError(f"the camera gave no stream address for {profile.name}")
        self._stream_uris[profile.token] = uri
        return uri

    async def async_get_snapshot_uri(self, profile: MediaProfile) -> str | None:
        """Return the snapshot address of a profile, or None when the camera has none."""
        if profile.token in self._snapshot_uris:
            return self._snapshot_uris[profile.token]
        uri: str | None
        try:
            if profile.media_version == 2:
                result = await self._call(
                    (await self._media2()).GetSnapshotUri({"ProfileToken": profile.token})
                )
            else:
                media = await self.service("media")
                result = await self._call(media.GetSnapshotUri({"ProfileToken": profile.token}))
            uri = probe.uri(result) or None
        except (CameraFaultError, CameraProtocolError) as err:
            _LOGGER.debug("%s has no snapshot address for %s: %s", self.host, profile.token, err)
            uri = None
        self._snapshot_uris[profile.token] = uri
        return uri

    async def async_get_snapshot(self, profile: MediaProfile) -> bytes:
        """Return a JPEG from the camera's snapshot address.

        Raises SnapshotError when the camera has none or it fails, CameraAuthError when the
        credentials are refused, CameraUnreachableError on network failure or when the
        snapshot budget runs out.
        """
        uri = await self.async_get_snapshot_uri(profile)
        if uri is None:
            raise SnapshotError("the camera has no snapshot address")
        return await self.snapshots.fetch(uri)

    @property
    def known_stream_uris(self) -> dict[str, str]:
        """The stream addresses asked so far, by profile token (without credentials)."""
        return dict(self._stream_uris)

    def stream_url(self, uri: str) -> str:
        """Return ``uri`` with this camera's credentials inserted."""
        return with_credentials(uri, self.username, self.password)
