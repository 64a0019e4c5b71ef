"""The ONVIF device management service (ver10) of the virtual camera."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final
from urllib.parse import quote

from .config import Quirk
from .errors import FaultError
from .events import write_event_capabilities
from .media import write_media2_capabilities, write_media_capabilities
from .soap import ACTION_NOT_SUPPORTED, NS, Fault, sub, xml_bool

if TYPE_CHECKING:
    from lxml import etree

    from .camera import VirtualCamera
    from .soap import SoapRequest

SERVICE_VERSION: Final = (21, 12)
DEVICE_PATH: Final = "/onvif/device_service"
MEDIA_PATH: Final = "/onvif/media_service"
MEDIA2_PATH: Final = "/onvif/media2_service"
EVENTS_PATH: Final = "/onvif/events_service"


def scopes(camera: VirtualCamera) -> list[str]:
    """Return the camera's ONVIF scopes (GetScopes and WS-Discovery)."""
    config = camera.config
    items = [
        "onvif://www.onvif.org/type/video_encoder",
        "onvif://www.onvif.org/type/Network_Video_Transmitter",
        "onvif://www.onvif.org/Profile/Streaming",
    ]
    if Quirk.NO_MEDIA2 not in config.quirks:
        items.append("onvif://www.onvif.org/Profile/T")
    items += [
        f"onvif://www.onvif.org/name/{quote(config.name, safe='')}",
        f"onvif://www.onvif.org/hardware/{quote(config.hardware_id, safe='')}",
        f"onvif://www.onvif.org/location/country/{quote('Homebound', safe='')}",
        f"onvif://www.onvif.org/MAC/{config.mac.lower()}",
    ]
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


async def get_services(camera: VirtualCamera, request: SoapRequest, body: etree._Element) -> None:
    """tds:GetServices: device, media, media2 (unless NO_MEDIA2) and events."""
    if Quirk.NON_SOAP_FAULTS in camera.config.quirks:
        raise FaultError(ACTION_NOT_SUPPORTED)
    include = (request.child_text("IncludeCapability") or "false").lower() in {"true", "1"}
    response = sub(body, "tds:GetServicesResponse")
    services: list[tuple[str, str, str]] = [
        (NS["tds"], DEVICE_PATH, "tds"),
        (NS["trt"], MEDIA_PATH, "trt"),
    ]
    if Quirk.NO_MEDIA2 not in camera.config.quirks:
        services.append((NS["tr2"], MEDIA2_PATH, "tr2"))
    services.append((NS["tev"], EVENTS_PATH, "tev"))
    for namespace, path, prefix in services:
        service = sub(response, "tds:Service")
        sub(service, "tds:Namespace", namespace)
        sub(service, "tds:XAddr", camera.url(path))
        if include:
            holder = sub(service, "tds:Capabilities")
            capabilities = sub(holder, f"{prefix}:Capabilities")
            if prefix == "tds":
                write_device_capabilities(capabilities)
            elif prefix == "trt":
                write_media_capabilities(capabilities, camera)
            elif prefix == "tr2":
                write_media2_capabilities(capabilities, camera)
            else:
                write_event_capabilities(capabilities)
        _version(service)


async def get_service_capabilities(
    _camera: VirtualCamera, _request: SoapRequest, body: etree._Element
) -> None:
    """tds:GetServiceCapabilities."""
    response = sub(body, "tds:GetServiceCapabilitiesResponse")
    write_device_capabilities(sub(response, "tds:Capabilities"))


_CATEGORIES: Final = frozenset({"All", "Analytics", "Device", "Events", "Imaging", "Media", "PTZ"})


async def get_capabilities(
    camera: VirtualCamera, request: SoapRequest, body: etree._Element
) -> None:
    """tds:GetCapabilities: Device, Events and Media, children in schema order."""
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
    if everything or "Device" in requested:
        device = sub(capabilities, "tt:Device")
        sub(device, "tt:XAddr", camera.url(DEVICE_PATH))
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
    if everything or "Events" in requested:
        events = sub(capabilities, "tt:Events")
        sub(events, "tt:XAddr", camera.url(EVENTS_PATH))
        sub(events, "tt:WSSubscriptionPolicySupport", "false")
        sub(events, "tt:WSPullPointSupport", "true")
        sub(events, "tt:WSPausableSubscriptionManagerInterfaceSupport", "false")
    if everything or "Media" in requested:
        media = sub(capabilities, "tt:Media")
        sub(media, "tt:XAddr", camera.url(MEDIA_PATH))
        streaming = sub(media, "tt:StreamingCapabilities")
        sub(streaming, "tt:RTPMulticast", "false")
        sub(streaming, "tt:RTP_TCP", "true")
        sub(streaming, "tt:RTP_RTSP_TCP", "true")


async def get_device_information(
    camera: VirtualCamera, _request: SoapRequest, body: etree._Element
) -> None:
    """tds:GetDeviceInformation."""
    config = camera.config
    response = sub(body, "tds:GetDeviceInformationResponse")
    sub(response, "tds:Manufacturer", config.manufacturer)
    sub(response, "tds:Model", config.model)
    sub(response, "tds:FirmwareVersion", config.firmware)
    sub(response, "tds:SerialNumber", config.serial)
    sub(response, "tds:HardwareId", config.hardware_id)


async def get_system_date_and_time(
    camera: VirtualCamera, _request: SoapRequest, body: etree._Element
) -> None:
    """tds:GetSystemDateAndTime from the (possibly skewed) camera clock, NTP-synchronised, UTC."""
    now = camera.now()
    response = sub(body, "tds:GetSystemDateAndTimeResponse")
    system = sub(response, "tds:SystemDateAndTime")
    sub(system, "tt:DateTimeType", "NTP")
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


async def get_network_interfaces(
    camera: VirtualCamera, _request: SoapRequest, body: etree._Element
) -> None:
    """tds:GetNetworkInterfaces: one enabled wired interface carrying the camera's MAC."""
    if Quirk.NO_NETWORK_INTERFACES in camera.config.quirks:
        raise FaultError(ACTION_NOT_SUPPORTED)
    response = sub(body, "tds:GetNetworkInterfacesResponse")
    interface = sub(response, "tds:NetworkInterfaces", attrib={"token": "eth0"})
    sub(interface, "tt:Enabled", "true")
    info = sub(interface, "tt:Info")
    sub(info, "tt:Name", "eth0")
    sub(info, "tt:HwAddress", camera.config.mac)
    sub(info, "tt:MTU", "1500")
    link = sub(interface, "tt:Link")
    for name in ("tt:AdminSettings", "tt:OperSettings"):
        settings = sub(link, name)
        sub(settings, "tt:AutoNegotiation", "true")
        sub(settings, "tt:Speed", "100")
        sub(settings, "tt:Duplex", "Full")
    sub(link, "tt:InterfaceType", "6")
    ipv4 = sub(interface, "tt:IPv4")
    sub(ipv4, "tt:Enabled", "true")
    config = sub(ipv4, "tt:Config")
    manual = sub(config, "tt:Manual")
    sub(manual, "tt:Address", camera.host)
    sub(manual, "tt:PrefixLength", "8")
    sub(config, "tt:DHCP", "false")


async def get_scopes(camera: VirtualCamera, _request: SoapRequest, body: etree._Element) -> None:
    """tds:GetScopes."""
    response = sub(body, "tds:GetScopesResponse")
    for item in scopes(camera):
        scope = sub(response, "tds:Scopes")
        sub(scope, "tt:ScopeDef", "Fixed")
        sub(scope, "tt:ScopeItem", item)


async def get_hostname(camera: VirtualCamera, _request: SoapRequest, body: etree._Element) -> None:
    """tds:GetHostname."""
    response = sub(body, "tds:GetHostnameResponse")
    info = sub(response, "tds:HostnameInformation")
    sub(info, "tt:FromDHCP", "false")
    sub(info, "tt:Name", f"vc-{camera.config.serial.lower()}")


DEVICE_OPERATIONS: Final = {
    "GetServices": get_services,
    "GetServiceCapabilities": get_service_capabilities,
    "GetCapabilities": get_capabilities,
    "GetDeviceInformation": get_device_information,
    "GetSystemDateAndTime": get_system_date_and_time,
    "GetNetworkInterfaces": get_network_interfaces,
    "GetScopes": get_scopes,
    "GetHostname": get_hostname,
}
