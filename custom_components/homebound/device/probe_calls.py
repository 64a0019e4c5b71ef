"""The setup probe's requests to one ONVIF camera: clock, identity, services, profiles.

A base of :class:`.client.OnvifClient`, kept apart so that the client reads as the camera's
life cycle and the questions entities ask, and this module as how a camera is found out.

Why not the library's own conveniences:

* ``ONVIFCamera(adjust_time=True)`` reads the clock once, catches only a SOAP fault on the
  unauthenticated read (a plain-text HTTP 500 or a refused authenticated retry ends the setup),
  and applies even a sub-second offset; re-measuring later means ``update_xaddrs()`` and new
  services. :meth:`ProbeCalls._measure_clock` tolerates every failure, ignores offsets below
  :data:`SKEW_TOLERANCE`, and re-measures during the health check when a camera that rebooted
  without NTP starts refusing tokens.
* ``update_xaddrs()`` falls back to GetCapabilities only for faults; a camera answering
  GetServices with a non-SOAP body makes zeep raise ``AttributeError`` there, which it lets
  through (see ../shared/reference/test_peers.md §4). :meth:`ProbeCalls._discover_services`
  falls back on any camera error.

A camera that answers unauthenticated SOAP but answers the authenticated GetDeviceInformation
with something that is not SOAP (cameras with plain-text error pages do this for a refused
password) is taken to refuse the credentials: GetDeviceInformation is mandatory, so a camera
that speaks SOAP and accepts the credentials answers it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import TYPE_CHECKING, Any, Final

from . import probe
from .errors import (
    CameraAuthError,
    CameraError,
    CameraFaultError,
    CameraProtocolError,
    CameraUnreachableError,
    NotOnvifError,
    NoVideoProfilesError,
)
from .models import DeviceIdentity, MediaProfile
from .services import ServiceClients

if TYPE_CHECKING:
    from collections.abc import Awaitable

_LOGGER = logging.getLogger(__name__)

SKEW_TOLERANCE: Final = 2.0
"""Seconds of clock difference below which requests are stamped with the local clock."""


class ProbeCalls(ServiceClients):
    """The requests the setup probe and the health check make (see the module docstring)."""

    clock_skew: float

    async def _measure_clock(self) -> bool:
        """Read the camera clock and stamp later requests with it when it is off.

        Returns whether the clock could be read (a camera may refuse even that; then
        requests carry our own time).
        """
        camera = self._require_camera()
        devicemgmt = await self.service("devicemgmt")
        result: Any = None
        try:
            result = await self._call(devicemgmt.authless_GetSystemDateAndTime())
        except CameraUnreachableError:
            raise
        except CameraError as err:
            _LOGGER.debug(
                "%s: GetSystemDateAndTime without authentication: %r", self.host, str(err)
            )
        if result is None:
            try:
                result = await self._call(devicemgmt.GetSystemDateAndTime())
            except CameraUnreachableError:
                raise
            except CameraError as err:
                # A camera whose clock is far off may refuse this too: carry on with ours.
                _LOGGER.debug("%s: GetSystemDateAndTime: %r", self.host, str(err))
                return False
        camera_time = probe.camera_time(result)
        if camera_time is None:
            return False
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
        return True

    async def _device_information(self) -> Any:
        """GetDeviceInformation, the call every check and probe makes with the credentials."""
        devicemgmt = await self.service("devicemgmt")
        try:
            return await self._call(devicemgmt.GetDeviceInformation())
        except CameraProtocolError as err:
            if await self._answers_soap_without_auth():
                raise CameraAuthError(
                    f"{self._where} answers SOAP without credentials but not with ours ({err})"
                ) from err
            raise NotOnvifError(
                f"{self._where} does not answer as an ONVIF device ({err})"
            ) from err
        except CameraFaultError as err:
            raise NotOnvifError(f"GetDeviceInformation failed: {err}") from err

    async def _answers_soap_without_auth(self) -> bool:
        """Whether the camera answers an unauthenticated GetSystemDateAndTime right now."""
        devicemgmt = await self.service("devicemgmt")
        try:
            result = await self._call(devicemgmt.authless_GetSystemDateAndTime())
        except CameraError:
            return False
        return probe.camera_time(result) is not None

    async def _discover_services(self) -> dict[str, str]:
        """Learn the service addresses: GetServices, else GetCapabilities."""
        camera = self._require_camera()
        devicemgmt = await self.service("devicemgmt")
        found: dict[str, str] = {}
        try:
            found = probe.services_from_get_services(
                await self._call(devicemgmt.GetServices({"IncludeCapability": False}))
            )
        except (CameraFaultError, CameraProtocolError) as err:
            _LOGGER.debug("%s: GetServices failed, trying GetCapabilities: %r", self.host, str(err))
        if probe.NS_MEDIA not in found and probe.NS_MEDIA2 not in found:
            try:
                capabilities = await self._call(devicemgmt.GetCapabilities({"Category": "All"}))
            except (CameraFaultError, CameraProtocolError) as err:
                raise NotOnvifError(f"{self._where} lists no ONVIF services ({err})") from err
            for namespace, xaddr in probe.services_from_capabilities(capabilities).items():
                found.setdefault(namespace, xaddr)
        if probe.NS_MEDIA not in found and probe.NS_MEDIA2 not in found:
            raise NotOnvifError(f"{self._where} offers no media service")
        camera.xaddrs.update(found)
        return found

    async def _read_identity(self, information: Any) -> tuple[DeviceIdentity, tuple[str, ...]]:
        """Read the identity, and the addresses the interfaces report (for the firewall)."""
        devicemgmt = await self.service("devicemgmt")
        mac: str | None = None
        addresses: tuple[str, ...] = ()
        try:
            interfaces = await self._call(devicemgmt.GetNetworkInterfaces())
            mac = probe.mac_from_interfaces(interfaces)
            addresses = probe.addresses_from_interfaces(interfaces)
        except (CameraAuthError, CameraFaultError, CameraProtocolError) as err:
            # Many cameras lack it (ipycam answers "Action not supported"); the serial does.
            _LOGGER.debug("%s: GetNetworkInterfaces: %r", self.host, str(err))
        identity = probe.identity(information, mac)
        if not identity.unique_id:
            raise NotOnvifError("the camera reports neither a MAC address nor a serial number")
        return identity, addresses

    async def _read_profiles(self) -> tuple[MediaProfile, ...]:
        camera = self._require_camera()
        profiles: list[MediaProfile] = []
        if probe.NS_MEDIA2 in camera.xaddrs:
            try:
                media2 = await self._media2()
                profiles = probe.media2_profiles(
                    await self._call(media2.GetProfiles({"Type": ["All"]}))
                )
            except (CameraFaultError, CameraProtocolError) as err:
                _LOGGER.debug("%s: Media2 GetProfiles failed, using Media: %r", self.host, str(err))
        if not profiles and probe.NS_MEDIA in camera.xaddrs:
            media = await self.service("media")
            try:
                profiles = probe.media1_profiles(await self._call(media.GetProfiles()))
            except (CameraFaultError, CameraProtocolError) as err:
                raise NotOnvifError(f"GetProfiles failed: {err}") from err
        if not profiles:
            raise NoVideoProfilesError(f"{self.host} has no H.264 or H.265 media profile")
        return tuple(profiles)


async def in_order[A, B](first: Awaitable[A], second: Awaitable[B]) -> tuple[A, B]:
    """Await both at once; when both fail, raise the first one's error (as if serial).

    A wrong password fails GetDeviceInformation and GetServices alike: the error the user is
    told about must not depend on which answer came back first.
    """
    one, two = await asyncio.gather(first, second, return_exceptions=True)
    if isinstance(one, BaseException):
        raise one
    if isinstance(two, BaseException):
        raise two
    return one, two
