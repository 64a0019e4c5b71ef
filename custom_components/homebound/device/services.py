"""The service clients of one ONVIF camera: which WSDL, which address, which session.

This is the plumbing under :class:`.client.OnvifClient`, kept apart so that the client reads as
what it asks a camera and this module as how a request reaches it. Media2, the Device service
and the event services are built from Homebound's own small client WSDLs (``wsdl/``) on the
library's ``ONVIFService``: onvif-zeep-async bundles only Media v1, and its Device WSDL
describes the whole service, about 8 MiB and a third of a second to parse for the five
operations Homebound calls. Every other service is the library's own. Whatever is built, its
requests go through the caller's shared HTTP session (:class:`.soap.CameraSession`) and every
call through :func:`.soap.soap_call`, the one place where library errors become ours.

A base class rather than a helper object: the probe, the health check and the event sources
all reach the services through the client (``client.service("events")``), and the clock
offset the probe measures must reach every service built after it; one object holding the
library's ``ONVIFCamera`` keeps both true without passing it around.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Final

from onvif import ONVIFCamera, ONVIFService

from . import probe
from .errors import CameraFaultError, CameraUnreachableError
from .soap import CameraSession, build_service, soap_call

if TYPE_CHECKING:
    from collections.abc import Awaitable

MEDIA2_WSDL: Final = str(Path(__file__).parent / "wsdl" / "media2.wsdl")
MEDIA2_BINDING: Final = "{http://www.onvif.org/ver20/media/wsdl}Media2Binding"
MEDIA2_KEY: Final = ("media2", None)
DEVICE_WSDL: Final = str(Path(__file__).parent / "wsdl" / "devicemgmt.wsdl")
DEVICE_BINDING: Final = "{http://www.onvif.org/ver10/device/wsdl}DeviceBinding"
DEVICE_KEY: Final = ("devicemgmt", None)
EVENTS_WSDL: Final = str(Path(__file__).parent / "wsdl" / "events.wsdl")
EVENTS_BINDINGS: Final = {
    name: f"{{http://www.onvif.org/ver10/events/wsdl}}{binding}"
    for name, binding in (
        ("events", "EventBinding"),
        ("pullpoint", "PullPointSubscriptionBinding"),
        ("notification", "NotificationProducerBinding"),
        ("subscription", "SubscriptionManagerBinding"),
    )
}
"""The event services, from Homebound's own event WSDL (see wsdl/events.wsdl for why)."""


class ServiceClients:
    """The library camera of one connection and the service clients built for it.

    Subclasses set the attributes below (the client does so in its constructor and when it
    connects); nothing here sends a request until a service is asked for.
    """

    host: str
    port: int
    username: str
    password: str
    _camera: ONVIFCamera | None
    _timeout: float
    _where: str
    _soap_session: CameraSession

    def _require_camera(self) -> ONVIFCamera:
        if self._camera is None:
            raise CameraUnreachableError("not connected")
        return self._camera

    async def service(
        self, name: str, port_type: str | None = None, *, address: str | None = None
    ) -> ONVIFService:
        """Return a service client (built once, after the WSDL is loaded).

        The Device, Media2 and event services come from Homebound's own small WSDLs (see
        ``wsdl/``), the others from the library's.

        ``address`` points a per-subscription service (``pullpoint``/``subscription`` with
        the port type ``PullPointSubscription`` or ``NotificationConsumer``) at the address
        the camera handed out for it; the library then builds it there.
        """
        camera = self._require_camera()
        if name == "devicemgmt" and port_type is None and address is None:
            return await self._devicemgmt()
        if (binding := EVENTS_BINDINGS.get(name)) is not None:
            xaddr = address or camera.xaddrs.get(probe.NS_EVENTS)
            if not xaddr:
                raise CameraFaultError("the camera has no event service")
            key = (name, port_type)
            existing = camera.services.get(key)
            if existing is not None and existing.xaddr != xaddr:
                # A new subscription lives at a new address: the old client is done with.
                camera.services.pop(key)
                await existing.close()
            return await self._own_wsdl_service(key, xaddr, EVENTS_WSDL, binding)
        factory = camera.create_onvif_service(name, port_type=port_type)
        return self._own(await self._call(build_service(factory)))

    @property
    def has_events(self) -> bool:
        """Whether the camera lists an ONVIF event service."""
        return self._camera is not None and probe.NS_EVENTS in self._camera.xaddrs

    @property
    def dt_diff(self) -> dt.timedelta | None:
        """The camera clock's offset that requests are stamped with (None: none)."""
        return self._camera.dt_diff if self._camera is not None else None

    async def call[T](self, request: Awaitable[T], *, timeout: float | None = None) -> T:
        """Await one library call, its errors translated, within ``timeout`` (default: 15 s)."""
        return await soap_call(request, timeout=timeout or self._timeout, where=self._where)

    def _own(self, service: ONVIFService) -> ONVIFService:
        """Send a service's requests through the shared session (see CameraSession)."""
        service.transport.session = self._soap_session
        return service

    async def _media2(self) -> ONVIFService:
        """Return the Media2 client."""
        xaddr = self._require_camera().xaddrs.get(probe.NS_MEDIA2)
        if not xaddr:
            raise CameraFaultError("the camera has no Media2 service")
        return await self._own_wsdl_service(MEDIA2_KEY, xaddr, MEDIA2_WSDL, MEDIA2_BINDING)

    async def _devicemgmt(self) -> ONVIFService:
        """Return the Device service client (at the address every ONVIF device serves it)."""
        self._require_camera()
        host = f"[{self.host}]" if ":" in self.host and not self.host.startswith("[") else self.host
        xaddr = f"http://{host}:{self.port}/onvif/device_service"
        return await self._own_wsdl_service(DEVICE_KEY, xaddr, DEVICE_WSDL, DEVICE_BINDING)

    async def _own_wsdl_service(
        self, key: tuple[str, str | None], xaddr: str, wsdl: str, binding: str
    ) -> ONVIFService:
        """Return a client built from one of our WSDLs on the library's service class."""
        camera = self._require_camera()
        if (service := camera.services.get(key)) is not None:
            return service
        service = ONVIFService(
            xaddr,
            self.username,
            self.password,
            wsdl,
            encrypt=True,
            no_cache=True,
            dt_diff=camera.dt_diff,
            binding_name=binding,
            binding_key=key,
        )
        try:
            await self._call(build_service(service.setup()))
        except BaseException:
            # The service opened an HTTP session of its own in its constructor.
            await service.close()
            raise
        camera.services[key] = service
        return self._own(service)

    async def _call[T](self, request: Awaitable[T]) -> T:
        """Await one library call within the request timeout, its errors translated."""
        return await soap_call(request, timeout=self._timeout, where=self._where)

    async def _drop_services(self) -> None:
        """Forget the service clients so that new ones pick up a new clock offset."""
        camera = self._require_camera()
        services = list(camera.services.values())
        camera.services.clear()
        for service in services:
            await service.close()
