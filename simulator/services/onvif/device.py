"""The ONVIF device management service (ver10) plug-in: identity, clock, services, scopes.

Its network operations (interfaces, NTP, DNS, default gateway) are in ``network``.

GetServices and GetCapabilities describe the camera's other ONVIF plug-ins as they are right
now (a service that is not available is not advertised), so a persona's service list is the only
place that says which services a camera has.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar, Final
from urllib.parse import quote

from ...errors import FaultError
from ...quirks import Quirk
from ...soap import ACTION_NOT_SUPPORTED, NS, Fault, sub, xml_bool
from .endpoint import OnvifService, Operation
from .network import OPERATIONS as NETWORK_OPERATIONS

if TYPE_CHECKING:
    from lxml import etree

    from ...soap import SoapRequest
    from ...state import CameraState
    from ..base import ServiceContext

SERVICE_VERSION: Final = (21, 12)
DEVICE_PATH: Final = "/onvif/device_service"


def onvif_services(context: ServiceContext) -> list[OnvifService]:
    """Return the ONVIF services available right now, in persona order."""
    return [s for s in context.services if isinstance(s, OnvifService) and s.available()]


def scopes(context: ServiceContext) -> list[str]:
    """Return the camera's ONVIF scopes (GetScopes and WS-Discovery)."""
    config = context.state.config
    items = [
        "onvif://www.onvif.org/type/video_encoder",
        "onvif://www.onvif.org/type/Network_Video_Transmitter",
        "onvif://www.onvif.org/Profile/Streaming",
    ]
    if any(service.namespace == NS["tr2"] for service in onvif_services(context)):
        items.append("onvif://www.onvif.org/Profile/T")
    location = context.persona.identity.location
    items += [
        f"onvif://www.onvif.org/name/{quote(config.name, safe='')}",
        f"onvif://www.onvif.org/hardware/{quote(config.hardware_id, safe='')}",
        f"onvif://www.onvif.org/location/country/{quote(location, safe='')}",
    ]
    lie = context.state.lies.mac
    if lie is None:
        items.append(f"onvif://www.onvif.org/MAC/{config.mac.lower()}")
    elif lie:
        items.append(f"onvif://www.onvif.org/MAC/{quote(lie, safe=':')}")
    return items


def _version(parent: etree._Element) -> None:
    version = sub(parent, "tds:Version")
    sub(version, "tt:Major", str(SERVICE_VERSION[0]))
    sub(version, "tt:Minor", str(SERVICE_VERSION[1]))


def write_device_capabilities(parent: etree._Element) -> None:
    """Fill a tds:Capabilities element (type tds:DeviceServiceCapabilities)."""
    sub(
        parent,
        "tds:Network",
        attrib={
            "IPFilter": "false",
            "ZeroConfiguration": "false",
            "IPVersion6": "false",
            "DynDNS": "false",
            "Dot11Configuration": "false",
            "HostnameFromDHCP": "false",
            "NTP": "1",
        },
    )
    sub(
        parent,
        "tds:Security",
        attrib={
            "TLS1.0": "false",
            "TLS1.1": "false",
            "TLS1.2": "false",
            "OnboardKeyGeneration": "false",
            "AccessPolicyConfig": "false",
            "DefaultAccessPolicy": "false",
            "Dot1X": "false",
            "RemoteUserHandling": "false",
            "X.509Token": "false",
            "SAMLToken": "false",
            "KerberosToken": "false",
            "UsernameToken": "true",
            "HttpDigest": "true",
            "RELToken": "false",
        },
    )
    sub(
        parent,
        "tds:System",
        attrib={
            "DiscoveryResolve": "false",
            "DiscoveryBye": "true",
            "RemoteDiscovery": "false",
            "SystemBackup": "false",
            "SystemLogging": "false",
            "FirmwareUpgrade": "false",
            "HttpFirmwareUpgrade": "false",
            "HttpSystemBackup": "false",
            "HttpSystemLogging": "false",
            "HttpSupportInformation": "false",
        },
    )


async def get_service_capabilities(
    _state: CameraState, _request: SoapRequest, body: etree._Element
) -> None:
    """tds:GetServiceCapabilities."""
    response = sub(body, "tds:GetServiceCapabilitiesResponse")
    write_device_capabilities(sub(response, "tds:Capabilities"))


_CATEGORIES: Final = frozenset({"All", "Analytics", "Device", "Events", "Imaging", "Media", "PTZ"})


def write_capabilities(context: ServiceContext, request: SoapRequest, body: etree._Element) -> None:
    """tds:GetCapabilities: Device, Events and Media, children in schema order."""
    xaddrs = {service.namespace: service.xaddr() for service in onvif_services(context)}
    requested = set(request.children_text("Category")) or {"All"}
    if requested - _CATEGORIES or requested <= {"Analytics", "Imaging", "PTZ"}:
        raise FaultError(
            Fault(
                "env:Receiver", ("ter:ActionNotSupported", "ter:NoSuchService"), "No such service"
            )
        )
    everything = "All" in requested
    response = sub(body, "tds:GetCapabilitiesResponse")
    capabilities = sub(response, "tds:Capabilities")
    if (everything or "Device" in requested) and NS["tds"] in xaddrs:
        device = sub(capabilities, "tt:Device")
        sub(device, "tt:XAddr", xaddrs[NS["tds"]])
        network = sub(device, "tt:Network")
        for name in ("IPFilter", "ZeroConfiguration", "IPVersion6", "DynDNS"):
            sub(network, f"tt:{name}", "false")
        system = sub(device, "tt:System")
        for name, value in (
            ("DiscoveryResolve", False),
            ("DiscoveryBye", True),
            ("RemoteDiscovery", False),
            ("SystemBackup", False),
            ("SystemLogging", False),
            ("FirmwareUpgrade", False),
        ):
            sub(system, f"tt:{name}", xml_bool(value))
        for major, minor in ((2, 60), (SERVICE_VERSION[0], SERVICE_VERSION[1])):
            version = sub(system, "tt:SupportedVersions")
            sub(version, "tt:Major", str(major))
            sub(version, "tt:Minor", str(minor))
        io = sub(device, "tt:IO")
        sub(io, "tt:InputConnectors", "0")
        sub(io, "tt:RelayOutputs", "0")
        security = sub(device, "tt:Security")
        for name in (
            "TLS1.1",
            "TLS1.2",
            "OnboardKeyGeneration",
            "AccessPolicyConfig",
            "X.509Token",
            "SAMLToken",
            "KerberosToken",
            "RELToken",
        ):
            sub(security, f"tt:{name}", "false")
    if (everything or "Events" in requested) and NS["tev"] in xaddrs:
        events = sub(capabilities, "tt:Events")
        sub(events, "tt:XAddr", xaddrs[NS["tev"]])
        sub(events, "tt:WSSubscriptionPolicySupport", "false")
        sub(events, "tt:WSPullPointSupport", "true")
        sub(events, "tt:WSPausableSubscriptionManagerInterfaceSupport", "false")
    if (everything or "Media" in requested) and NS["trt"] in xaddrs:
        media = sub(capabilities, "tt:Media")
        sub(media, "tt:XAddr", xaddrs[NS["trt"]])
        streaming = sub(media, "tt:StreamingCapabilities")
        sub(streaming, "tt:RTPMulticast", "false")
        sub(streaming, "tt:RTP_TCP", "true")
        sub(streaming, "tt:RTP_RTSP_TCP", "true")


async def get_device_information(
    state: CameraState, _request: SoapRequest, body: etree._Element
) -> None:
    """tds:GetDeviceInformation."""
    config = state.config
    response = sub(body, "tds:GetDeviceInformationResponse")
    sub(response, "tds:Manufacturer", config.manufacturer)
    sub(response, "tds:Model", config.model)
    sub(response, "tds:FirmwareVersion", config.firmware)
    sub(response, "tds:SerialNumber", config.serial)
    sub(response, "tds:HardwareId", config.hardware_id)


async def get_system_date_and_time(
    state: CameraState, _request: SoapRequest, body: etree._Element
) -> None:
    """tds:GetSystemDateAndTime from the (possibly skewed) camera clock, NTP-synchronised, UTC."""
    now = state.now()
    response = sub(body, "tds:GetSystemDateAndTimeResponse")
    system = sub(response, "tds:SystemDateAndTime")
    sub(system, "tt:DateTimeType", "NTP" if state.network.ntp_enabled else "Manual")
    sub(system, "tt:DaylightSavings", "false")
    timezone = sub(system, "tt:TimeZone")
    sub(timezone, "tt:TZ", "UTC0")
    for name in ("tt:UTCDateTime", "tt:LocalDateTime"):
        holder = sub(system, name)
        time = sub(holder, "tt:Time")
        sub(time, "tt:Hour", str(now.hour))
        sub(time, "tt:Minute", str(now.minute))
        sub(time, "tt:Second", str(now.second))
        date = sub(holder, "tt:Date")
        sub(date, "tt:Year", str(now.year))
        sub(date, "tt:Month", str(now.month))
        sub(date, "tt:Day", str(now.day))


def write_scopes(context: ServiceContext, body: etree._Element) -> None:
    """tds:GetScopes."""
    response = sub(body, "tds:GetScopesResponse")
    for item in scopes(context):
        scope = sub(response, "tds:Scopes")
        sub(scope, "tt:ScopeDef", "Fixed")
        sub(scope, "tt:ScopeItem", item)


async def get_hostname(state: CameraState, _request: SoapRequest, body: etree._Element) -> None:
    """tds:GetHostname."""
    response = sub(body, "tds:GetHostnameResponse")
    info = sub(response, "tds:HostnameInformation")
    sub(info, "tt:FromDHCP", "false")
    sub(info, "tt:Name", f"vc-{state.config.serial.lower()}")


OPERATIONS: Final[Mapping[str, Operation]] = {
    "GetDeviceInformation": get_device_information,
    "GetSystemDateAndTime": get_system_date_and_time,
    "GetHostname": get_hostname,
    **NETWORK_OPERATIONS,
}


class DeviceService(OnvifService):
    """``onvif/device``: device management ver10."""

    name: ClassVar[str] = "onvif/device"
    namespace: ClassVar[str] = NS["tds"]
    prefix: ClassVar[str] = "tds"
    path: ClassVar[str] = DEVICE_PATH
    open_operations: ClassVar[frozenset[str]] = frozenset({"GetSystemDateAndTime"})

    def needs_auth(self, request: SoapRequest) -> bool:
        """GetSystemDateAndTime is open, unless AUTH_ON_DATE_TIME."""
        if Quirk.AUTH_ON_DATE_TIME in self.state.quirks:
            return True
        return super().needs_auth(request)

    def operations(self) -> Mapping[tuple[str, str], Operation]:
        """Device management operations."""
        operations: dict[str, Operation] = {
            **OPERATIONS,
            "GetServices": self.get_services,
            "GetServiceCapabilities": get_service_capabilities,
            "GetCapabilities": self.get_capabilities,
            "GetScopes": self.get_scopes,
        }
        return {(self.namespace, name): operation for name, operation in operations.items()}

    def write_capabilities(self, parent: etree._Element) -> None:
        """tds:Capabilities."""
        write_device_capabilities(parent)

    async def get_services(
        self, state: CameraState, request: SoapRequest, body: etree._Element
    ) -> None:
        """tds:GetServices: every available ONVIF service (unsupported with NON_SOAP_FAULTS)."""
        if Quirk.NON_SOAP_FAULTS in state.quirks:
            raise FaultError(ACTION_NOT_SUPPORTED)
        include = (request.child_text("IncludeCapability") or "false").lower() in {"true", "1"}
        response = sub(body, "tds:GetServicesResponse")
        for service in onvif_services(self.context):
            element = sub(response, "tds:Service")
            sub(element, "tds:Namespace", service.namespace)
            sub(element, "tds:XAddr", service.xaddr())
            if include:
                holder = sub(element, "tds:Capabilities")
                service.write_capabilities(sub(holder, f"{service.prefix}:Capabilities"))
            _version(element)

    async def get_capabilities(
        self, _state: CameraState, request: SoapRequest, body: etree._Element
    ) -> None:
        """tds:GetCapabilities."""
        write_capabilities(self.context, request, body)

    async def get_scopes(
        self, _state: CameraState, _request: SoapRequest, body: etree._Element
    ) -> None:
        """tds:GetScopes."""
        write_scopes(self.context, body)
