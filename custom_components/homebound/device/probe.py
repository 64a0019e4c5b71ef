"""Reading the answers of the setup probe: clock, services, identity, media profiles.

Pure functions over the objects zeep returns. Cameras leave out fields, send empty strings and
numbers as text, so every read is defensive about shape (``getattr`` with defaults) but never
about our own logic: nothing here catches exceptions.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any, Final

from .models import VIDEO_CODECS, DeviceIdentity, MediaProfile, format_mac

NS_DEVICE: Final = "http://www.onvif.org/ver10/device/wsdl"
NS_MEDIA: Final = "http://www.onvif.org/ver10/media/wsdl"
NS_MEDIA2: Final = "http://www.onvif.org/ver20/media/wsdl"
NS_EVENTS: Final = "http://www.onvif.org/ver10/events/wsdl"
NS_PTZ: Final = "http://www.onvif.org/ver20/ptz/wsdl"
NS_IMAGING: Final = "http://www.onvif.org/ver20/imaging/wsdl"
NS_ANALYTICS: Final = "http://www.onvif.org/ver20/analytics/wsdl"

# GetCapabilities category -> service namespace, for cameras without GetServices.
CAPABILITY_NAMESPACES: Final = {
    "Analytics": NS_ANALYTICS,
    "Device": NS_DEVICE,
    "Events": NS_EVENTS,
    "Imaging": NS_IMAGING,
    "Media": NS_MEDIA,
    "PTZ": NS_PTZ,
}


def text(value: Any) -> str:
    """Return a field as stripped text ("" for a missing one)."""
    return "" if value is None else str(value).strip()


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _float(value: Any) -> float | None:
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def camera_time(result: Any) -> dt.datetime | None:
    """Return the UTC time in a GetSystemDateAndTime answer; None when it holds no valid one."""
    utc = getattr(result, "UTCDateTime", None)
    date, clock = getattr(utc, "Date", None), getattr(utc, "Time", None)
    parts = [
        _int(getattr(date, "Year", None)),
        _int(getattr(date, "Month", None)),
        _int(getattr(date, "Day", None)),
        _int(getattr(clock, "Hour", None)),
        _int(getattr(clock, "Minute", None)),
        _int(getattr(clock, "Second", None)),
    ]
    if any(part is None for part in parts):
        return None
    year, month, day, hour, minute, second = (part or 0 for part in parts)
    # Some firmwares count seconds to 60 (leap) or send 24:00: carry over, do not fail.
    try:
        base = dt.datetime(year, month, day, tzinfo=dt.UTC)
    except ValueError:
        return None
    return base + dt.timedelta(hours=hour, minutes=minute, seconds=second)


def services_from_get_services(services: Any) -> dict[str, str]:
    """Namespace -> address from a GetServices answer."""
    found: dict[str, str] = {}
    for service in services or []:
        namespace = text(getattr(service, "Namespace", None))
        xaddr = text(getattr(service, "XAddr", None))
        if namespace and xaddr:
            found[namespace] = xaddr
    return found


def services_from_capabilities(capabilities: Any) -> dict[str, str]:
    """Namespace -> address from a GetCapabilities answer."""
    found: dict[str, str] = {}
    for category, namespace in CAPABILITY_NAMESPACES.items():
        xaddr = text(getattr(getattr(capabilities, category, None), "XAddr", None))
        if xaddr:
            found[namespace] = xaddr
    return found


def mac_from_interfaces(interfaces: Any) -> str | None:
    """Return the MAC address of the first enabled interface that carries a usable one."""
    for interface in interfaces or []:
        if getattr(interface, "Enabled", True) is False:
            continue
        raw = text(getattr(getattr(interface, "Info", None), "HwAddress", None))
        if raw and (mac := format_mac(raw)):
            return mac
    return None


def _enabled(value: Any) -> bool:
    """Whether an ONVIF ``Enabled`` flag is on (missing counts as on; zeep gives bools or text)."""
    return value is None or value is True or text(value).lower() in {"true", "1"}


def _addresses_of(config: Any, fields: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for name in fields:
        items = getattr(config, name, None)
        for item in items if isinstance(items, list | tuple) else [items]:
            address = text(getattr(item, "Address", item if isinstance(item, str) else None))
            if address:
                found.append(address)
    return found


def addresses_from_interfaces(interfaces: Any) -> tuple[str, ...]:
    """Return the IPv4 and IPv6 addresses of the enabled interfaces, as the camera states them.

    Why: the firewall matches a camera by MAC and also by address (routers behind another hop
    see no MAC, and IPv6 SLAAC addresses would escape an IPv4-only match). ONVIF lists them in
    ``IPv4.Config`` (``Manual``, ``LinkLocal``, ``FromDHCP``) and ``IPv6.Config`` (``Manual``,
    ``LinkLocal``, ``FromDHCP``, ``FromRA``). Only text that parses as an address is kept.
    """
    found: list[str] = []
    for interface in interfaces or []:
        if not _enabled(getattr(interface, "Enabled", None)):
            continue
        for family, fields in (
            ("IPv4", ("Manual", "LinkLocal", "FromDHCP")),
            ("IPv6", ("Manual", "LinkLocal", "FromDHCP", "FromRA")),
        ):
            block = getattr(interface, family, None)
            if block is None or not _enabled(getattr(block, "Enabled", None)):
                continue
            for raw in _addresses_of(getattr(block, "Config", None), fields):
                try:
                    found.append(str(ipaddress.ip_address(raw)))
                except ValueError:
                    continue
    return tuple(dict.fromkeys(found))


def identity(information: Any, mac: str | None) -> DeviceIdentity:
    """Return the identity from a GetDeviceInformation answer and the MAC read beside it."""
    return DeviceIdentity(
        manufacturer=text(getattr(information, "Manufacturer", None)) or "Unknown",
        model=text(getattr(information, "Model", None)) or "ONVIF camera",
        firmware=text(getattr(information, "FirmwareVersion", None)),
        serial=text(getattr(information, "SerialNumber", None)),
        hardware_id=text(getattr(information, "HardwareId", None)),
        mac=mac,
    )


def profile(
    raw: Any, encoder: Any, *, media_version: int, source: Any = None
) -> MediaProfile | None:
    """Return a streamable profile, or None for one without an H.264/H.265 video encoder."""
    if encoder is None:
        return None
    codec = text(getattr(encoder, "Encoding", None)).upper().replace(".", "")
    if codec == "HEVC":
        codec = "H265"
    token = text(getattr(raw, "token", None))
    if codec not in VIDEO_CODECS or not token:
        return None
    resolution = getattr(encoder, "Resolution", None)
    rate = getattr(getattr(encoder, "RateControl", None), "FrameRateLimit", None)
    return MediaProfile(
        token=token,
        name=text(getattr(raw, "Name", None)) or token,
        codec=codec,
        width=_int(getattr(resolution, "Width", None)) or 0,
        height=_int(getattr(resolution, "Height", None)) or 0,
        fps=_float(rate) if rate is not None else None,
        media_version=media_version,
        source_token=text(getattr(source, "SourceToken", None)),
        source_configuration=text(getattr(source, "token", None)),
    )


def media1_profiles(result: Any) -> list[MediaProfile]:
    """Streamable profiles of a Media (ver10) GetProfiles answer."""
    found = (
        profile(
            raw,
            getattr(raw, "VideoEncoderConfiguration", None),
            media_version=1,
            source=getattr(raw, "VideoSourceConfiguration", None),
        )
        for raw in result or []
    )
    return [item for item in found if item is not None]


def media2_profiles(result: Any) -> list[MediaProfile]:
    """Streamable profiles of a Media2 (ver20) GetProfiles answer."""
    found = (
        profile(
            raw,
            getattr(getattr(raw, "Configurations", None), "VideoEncoder", None),
            media_version=2,
            source=getattr(getattr(raw, "Configurations", None), "VideoSource", None),
        )
        for raw in result or []
    )
    return [item for item in found if item is not None]


def uri(result: Any) -> str:
    """Return the address in a GetStreamUri/GetSnapshotUri answer ("" when it holds none)."""
    return text(getattr(result, "Uri", result))
