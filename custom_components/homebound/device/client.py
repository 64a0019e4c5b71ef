"""One camera over ONVIF, through onvif-zeep-async.

``OnvifClient`` runs the setup probe (clock, services, identity, media profiles), answers the
questions the entities ask (stream and snapshot URIs, snapshots) and the periodic health check.
Every SOAP call goes through onvif-zeep-async; Media2 uses the library's ``ONVIFService`` with
the small client WSDL shipped beside this module.

Robustness the probe owes to real cameras (see the simulator's quirks):
- the camera clock may be hours off: it is read first (without authentication when the camera
  allows) and every WS-Security token is then stamped with the camera's own time;
- GetServices may fail in any way, even with a body that is not SOAP: GetCapabilities is used then;
- GetNetworkInterfaces may be missing: the serial number identifies the camera then;
- GetSystemDateAndTime may want authentication, against the standard.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import aiohttp
from lxml.etree import XMLSyntaxError
from onvif import ONVIFCamera, ONVIFService
from onvif.exceptions import ONVIFAuthError, ONVIFError
from yarl import URL
from zeep.exceptions import Error as ZeepError, Fault, TransportError

from .errors import (
    CameraAuthError,
    CameraError,
    CameraUnreachableError,
    NotOnvifError,
    NoVideoProfilesError,
    SnapshotError,
)
from .models import VIDEO_CODECS, CameraInfo, DeviceIdentity, MediaProfile
from .snapshot import SnapshotFetcher

if TYPE_CHECKING:
    from collections.abc import Awaitable

_LOGGER = logging.getLogger(__name__)

NS_DEVICE: Final = "http://www.onvif.org/ver10/device/wsdl"
NS_MEDIA: Final = "http://www.onvif.org/ver10/media/wsdl"
NS_MEDIA2: Final = "http://www.onvif.org/ver20/media/wsdl"
NS_EVENTS: Final = "http://www.onvif.org/ver10/events/wsdl"
NS_PTZ: Final = "http://www.onvif.org/ver20/ptz/wsdl"
NS_IMAGING: Final = "http://www.onvif.org/ver20/imaging/wsdl"
NS_ANALYTICS: Final = "http://www.onvif.org/ver20/analytics/wsdl"
NS_DEVICEIO: Final = "http://www.onvif.org/ver10/deviceIO/wsdl"

# GetCapabilities category -> service namespace, for cameras without GetServices.
_CAPABILITY_NAMESPACES: Final = {
    "Analytics": NS_ANALYTICS,
    "Device": NS_DEVICE,
    "Events": NS_EVENTS,
    "Imaging": NS_IMAGING,
    "Media": NS_MEDIA,
    "PTZ": NS_PTZ,
}

MEDIA2_WSDL: Final = str(Path(__file__).parent / "wsdl" / "media2.wsdl")
MEDIA2_BINDING: Final = "{http://www.onvif.org/ver20/media/wsdl}Media2Binding"
MEDIA2_KEY: Final = ("media2", None)

REQUEST_TIMEOUT: Final = 15.0
"""Seconds one SOAP exchange may take before the camera counts as unreachable."""

SKEW_TOLERANCE: Final = 2.0
"""Seconds of clock difference below which requests are stamped with the local clock."""

# What a camera that is not (or not quite) ONVIF can make the library raise.
_PROTOCOL_ERRORS: Final = (
    Fault,
    ZeepError,
    XMLSyntaxError,
    ONVIFError,
    AttributeError,
    KeyError,
    TypeError,
    ValueError,
)


def _is_auth_fault(err: Exception) -> bool:
    """Whether a SOAP fault or transport error means the credentials were refused."""
    if isinstance(err, ONVIFAuthError):
        return True
    if isinstance(err, TransportError):
        return err.status_code in (401, 403)
    if not isinstance(err, Fault):
        return False
    parts = [str(err.message or ""), str(err.code or "")]
    subcodes = getattr(err, "subcodes", None) or []
    parts.extend(getattr(code, "text", None) or str(code) for code in subcodes)
    text = " ".join(parts).lower()
    return "notauthorized" in text or "not authorized" in text or "auth" in text


def format_mac(raw: str) -> str | None:
    """Normalise a MAC address to lower-case colon form; None when it is not one."""
    digits = "".join(ch for ch in raw.lower() if ch in "0123456789abcdef")
    if len(digits) != 12 or digits == "0" * 12:
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def with_credentials(uri: str, username: str, password: str) -> str:
    """Return ``uri`` with the credentials in its user-info part (for RTSP players)."""
    url = URL(uri)
    if not username:
        return str(url)
    return str(url.with_user(username).with_password(password or None))


def redact_url(uri: str) -> str:
    """Return ``uri`` with any user-info replaced, safe to log or show."""
    url = URL(uri)
    if url.user is None and url.password is None:
        return uri
    return str(url.with_user("**REDACTED**").with_password(None))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


class OnvifClient:
    """A connection to one ONVIF camera.

    ``session`` is the caller's shared HTTP session; it carries snapshots. SOAP travels over the
    sessions onvif-zeep-async opens for itself (it cannot take one from outside).
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
    ) -> None:
        """Prepare a client; nothing is sent until ``async_connect``."""
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self._timeout = timeout
        self._camera: ONVIFCamera | None = None
        self._stream_uris: dict[str, str] = {}
        self._snapshot_uris: dict[str, str | None] = {}
        self.snapshots = SnapshotFetcher(session, username, password)
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
        try:
            await self._measure_clock()
            services = await self._discover_services()
            identity = await self._read_identity()
            profiles = await self._read_profiles()
        except BaseException:
            await self.async_close()
            raise
        self.info = CameraInfo(
            identity=identity,
            profiles=profiles,
            services=services,
            clock_skew=self.clock_skew,
        )
        self.reachable = True
        return self.info

    async def async_close(self) -> None:
        """Close every connection the library opened."""
        camera, self._camera = self._camera, None
        self._stream_uris.clear()
        self._snapshot_uris.clear()
        self.reachable = False
        if camera is not None:
            await camera.close()

    async def async_check(self) -> None:
        """Tell whether the camera still answers and still accepts the credentials.

        One authenticated GetDeviceInformation. When it is refused, the camera clock is read
        again (a camera that rebooted may have lost its time) and the call is retried once.
        Raises CameraUnreachableError or CameraAuthError; on recovery the cached stream and
        snapshot addresses are forgotten, since a camera that restarted may hand out new ones.
        """
        if self._camera is None:
            await self.async_connect()
            return
        try:
            try:
                await self._device_information()
            except CameraAuthError:
                before = self.clock_skew
                await self._measure_clock()
                if abs(self.clock_skew - before) < SKEW_TOLERANCE:
                    raise
                await self._device_information()
        except CameraError:
            self.reachable = False
            raise
        if not self.reachable:
            self._stream_uris.clear()
            self._snapshot_uris.clear()
        self.reachable = True

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
            except Fault:
                # Some firmware only knows the older protocol name.
                result = await self._call(
                    media2.GetStreamUri({"Protocol": "RTSP", "ProfileToken": profile.token})
                )
        else:
            media = await self._service("media")
            result = await self._call(
                media.GetStreamUri(
                    {
                        "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                        "ProfileToken": profile.token,
                    }
                )
            )
        uri = _text(getattr(result, "Uri", result))
        if not uri:
            raise CameraError(f"the camera gave no stream address for {profile.name}")
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
                media = await self._service("media")
                result = await self._call(media.GetSnapshotUri({"ProfileToken": profile.token}))
            uri = _text(getattr(result, "Uri", result)) or None
        except _PROTOCOL_ERRORS as err:
            _LOGGER.debug("%s has no snapshot address for %s: %s", self.host, profile.token, err)
            uri = None
        self._snapshot_uris[profile.token] = uri
        return uri

    async def async_get_snapshot(self, profile: MediaProfile) -> bytes:
        """Return a JPEG from the camera's snapshot address.

        Raises SnapshotError when the camera has none or it fails, CameraAuthError when the
        credentials are refused, CameraUnreachableError on network failure.
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

    # -- the probe -------------------------------------------------------------------------

    async def _measure_clock(self) -> None:
        """Read the camera clock and stamp later requests with it when it is off."""
        camera = self._require_camera()
        devicemgmt = await camera.create_devicemgmt_service()
        result: Any = None
        try:
            result = await self._call(devicemgmt.authless_GetSystemDateAndTime())
        except CameraUnreachableError:
            raise
        except (CameraAuthError, *_PROTOCOL_ERRORS) as err:
            _LOGGER.debug("%s: GetSystemDateAndTime without authentication: %s", self.host, err)
        if result is None:
            try:
                result = await self._call(devicemgmt.GetSystemDateAndTime())
            except CameraUnreachableError:
                raise
            except (CameraAuthError, *_PROTOCOL_ERRORS) as err:
                # A camera whose clock is far off may refuse this too: carry on with ours.
                _LOGGER.debug("%s: GetSystemDateAndTime: %s", self.host, err)
                return
        camera_time = self._parse_camera_time(result)
        if camera_time is None:
            return
        skew = (camera_time - dt.datetime.now(dt.UTC)).total_seconds()
        self.clock_skew = skew
        wanted = dt.timedelta(seconds=skew) if abs(skew) >= SKEW_TOLERANCE else None
        if wanted != camera.dt_diff:
            if wanted is not None:
                _LOGGER.info(
                    "The clock of camera %s is %.0f seconds off; requests are signed with its time",
                    self.host,
                    skew,
                )
            camera.dt_diff = wanted
            await self._drop_services()

    @staticmethod
    def _parse_camera_time(result: Any) -> dt.datetime | None:
        try:
            utc = result.UTCDateTime
            return dt.datetime(
                int(utc.Date.Year),
                int(utc.Date.Month),
                int(utc.Date.Day),
                int(utc.Time.Hour),
                int(utc.Time.Minute),
                int(utc.Time.Second),
                tzinfo=dt.UTC,
            )
        except (AttributeError, TypeError, ValueError):
            return None

    async def _drop_services(self) -> None:
        """Forget the service clients so that new ones pick up a new clock offset."""
        camera = self._require_camera()
        services = list(camera.services.values())
        camera.services.clear()
        for service in services:
            await service.close()

    async def _discover_services(self) -> dict[str, str]:
        """Learn the service addresses: GetServices, else GetCapabilities."""
        camera = self._require_camera()
        devicemgmt = await camera.create_devicemgmt_service()
        found: dict[str, str] = {}
        first_error: Exception | None = None
        try:
            services = await self._call(devicemgmt.GetServices({"IncludeCapability": False}))
            for service in services or []:
                namespace = _text(getattr(service, "Namespace", None))
                xaddr = _text(getattr(service, "XAddr", None))
                if namespace and xaddr:
                    found[namespace] = xaddr
        except _PROTOCOL_ERRORS as err:
            first_error = err
            _LOGGER.debug("%s: GetServices failed, trying GetCapabilities: %s", self.host, err)
        if NS_MEDIA not in found and NS_MEDIA2 not in found:
            try:
                capabilities = await self._call(devicemgmt.GetCapabilities({"Category": "All"}))
            except _PROTOCOL_ERRORS as err:
                raise NotOnvifError(
                    f"{self.host}:{self.port} does not answer as an ONVIF device "
                    f"({type(first_error or err).__name__})"
                ) from err
            for category, namespace in _CAPABILITY_NAMESPACES.items():
                xaddr = _text(getattr(getattr(capabilities, category, None), "XAddr", None))
                if xaddr and namespace not in found:
                    found[namespace] = xaddr
        if NS_MEDIA not in found and NS_MEDIA2 not in found:
            raise NotOnvifError(f"{self.host}:{self.port} offers no media service")
        camera.xaddrs.update(found)
        return found

    async def _device_information(self) -> Any:
        devicemgmt = await self._service("devicemgmt")
        return await self._call(devicemgmt.GetDeviceInformation())

    async def _read_identity(self) -> DeviceIdentity:
        try:
            info = await self._device_information()
        except _PROTOCOL_ERRORS as err:
            raise NotOnvifError(f"GetDeviceInformation failed: {err}") from err
        mac: str | None = None
        devicemgmt = await self._service("devicemgmt")
        try:
            interfaces = await self._call(devicemgmt.GetNetworkInterfaces())
        except (CameraAuthError, *_PROTOCOL_ERRORS) as err:
            # Many cameras lack it (ipycam answers "Action not supported"); the serial does.
            _LOGGER.debug("%s: GetNetworkInterfaces: %s", self.host, err)
        else:
            for interface in interfaces or []:
                if getattr(interface, "Enabled", True) is False:
                    continue
                raw = _text(getattr(getattr(interface, "Info", None), "HwAddress", None))
                if raw and (mac := format_mac(raw)):
                    break
        serial = _text(getattr(info, "SerialNumber", None))
        if not serial and mac is None:
            raise NotOnvifError("the camera reports neither a MAC address nor a serial number")
        return DeviceIdentity(
            manufacturer=_text(getattr(info, "Manufacturer", None)) or "Unknown",
            model=_text(getattr(info, "Model", None)) or "ONVIF camera",
            firmware=_text(getattr(info, "FirmwareVersion", None)),
            serial=serial,
            hardware_id=_text(getattr(info, "HardwareId", None)),
            mac=mac,
        )

    async def _read_profiles(self) -> tuple[MediaProfile, ...]:
        camera = self._require_camera()
        profiles: list[MediaProfile] = []
        if NS_MEDIA2 in camera.xaddrs:
            try:
                profiles = await self._media2_profiles()
            except _PROTOCOL_ERRORS as err:
                _LOGGER.debug("%s: Media2 GetProfiles failed, using Media: %s", self.host, err)
        if not profiles and NS_MEDIA in camera.xaddrs:
            try:
                profiles = await self._media1_profiles()
            except _PROTOCOL_ERRORS as err:
                raise NotOnvifError(f"GetProfiles failed: {err}") from err
        if not profiles:
            raise NoVideoProfilesError(f"{self.host} has no H.264 or H.265 media profile")
        return tuple(profiles)

    async def _media2_profiles(self) -> list[MediaProfile]:
        media2 = await self._media2()
        result = await self._call(media2.GetProfiles({"Type": ["All"]}))
        profiles: list[MediaProfile] = []
        for raw in result or []:
            encoder = getattr(getattr(raw, "Configurations", None), "VideoEncoder", None)
            profile = self._profile(raw, encoder, media_version=2)
            if profile is not None:
                profiles.append(profile)
        return profiles

    async def _media1_profiles(self) -> list[MediaProfile]:
        media = await self._service("media")
        result = await self._call(media.GetProfiles())
        profiles: list[MediaProfile] = []
        for raw in result or []:
            encoder = getattr(raw, "VideoEncoderConfiguration", None)
            profile = self._profile(raw, encoder, media_version=1)
            if profile is not None:
                profiles.append(profile)
        return profiles

    @staticmethod
    def _profile(raw: Any, encoder: Any, *, media_version: int) -> MediaProfile | None:
        if encoder is None:
            return None
        codec = _text(getattr(encoder, "Encoding", None)).upper().replace(".", "")
        if codec == "HEVC":
            codec = "H265"
        if codec not in VIDEO_CODECS:
            return None
        resolution = getattr(encoder, "Resolution", None)
        try:
            width = int(getattr(resolution, "Width", 0) or 0)
            height = int(getattr(resolution, "Height", 0) or 0)
        except (TypeError, ValueError):
            width = height = 0
        fps: float | None = None
        rate = getattr(getattr(encoder, "RateControl", None), "FrameRateLimit", None)
        if rate is not None:
            try:
                fps = float(rate)
            except (TypeError, ValueError):
                fps = None
        token = _text(getattr(raw, "token", None))
        if not token:
            return None
        return MediaProfile(
            token=token,
            name=_text(getattr(raw, "Name", None)) or token,
            codec=codec,
            width=width,
            height=height,
            fps=fps,
            media_version=media_version,
        )

    # -- plumbing --------------------------------------------------------------------------

    def _require_camera(self) -> ONVIFCamera:
        if self._camera is None:
            raise CameraUnreachableError("not connected")
        return self._camera

    async def _service(self, name: str) -> ONVIFService:
        try:
            return await self._require_camera().create_onvif_service(name)
        except ONVIFError as err:
            raise CameraError(f"the camera has no {name} service") from err

    async def _media2(self) -> ONVIFService:
        """Return the Media2 client, built from our WSDL on the library's service class."""
        camera = self._require_camera()
        if (service := camera.services.get(MEDIA2_KEY)) is not None:
            return service
        xaddr = camera.xaddrs.get(NS_MEDIA2)
        if not xaddr:
            raise CameraError("the camera has no Media2 service")
        service = ONVIFService(
            xaddr,
            self.username,
            self.password,
            MEDIA2_WSDL,
            encrypt=True,
            no_cache=True,
            dt_diff=camera.dt_diff,
            binding_name=MEDIA2_BINDING,
            binding_key=MEDIA2_KEY,
        )
        await service.setup()
        camera.services[MEDIA2_KEY] = service
        return service

    async def _call[T](self, request: Awaitable[T]) -> T:
        """Await one SOAP exchange with a time limit, translating transport failures."""
        try:
            async with asyncio.timeout(self._timeout):
                return await request
        except (TimeoutError, aiohttp.ClientError, OSError) as err:
            raise CameraUnreachableError(
                f"{self.host}:{self.port} did not answer ({type(err).__name__})"
            ) from err
        except (Fault, TransportError, ONVIFAuthError) as err:
            if _is_auth_fault(err):
                raise CameraAuthError(f"{self.host}:{self.port} refused the credentials") from err
            raise
