"""Configuration of one virtual camera: identity, credentials, ports and quirks."""

from __future__ import annotations

from dataclasses import dataclass, field
import enum
import uuid


class Quirk(enum.StrEnum):
    """Deviations from the ONVIF standard that real cameras show, switchable at runtime."""

    NO_NETWORK_INTERFACES = "no_network_interfaces"
    """GetNetworkInterfaces answers a SOAP fault (ter:ActionNotSupported)."""

    BASIC_AUTH_SNAPSHOT = "basic_auth_snapshot"
    """The snapshot URL wants HTTP Basic instead of Digest."""

    NON_SOAP_FAULTS = "non_soap_faults"
    """Every fault is a plain-text HTTP 500; GetServices is unsupported (answered that way)."""

    AUTH_ON_DATE_TIME = "auth_on_date_time"
    """GetSystemDateAndTime requires WS-UsernameToken too (not compliant)."""

    NO_MEDIA2 = "no_media2"
    """No ver20 media service is advertised or served."""


@dataclass
class CameraConfig:
    """Everything that makes one virtual camera different from another."""

    name: str = "Virtual Camera"
    manufacturer: str = "Homebound"
    model: str = "Virtual Camera VC-1"
    firmware: str = "1.0.0"
    serial: str = "HBSIM0001"
    mac: str = "02:48:42:00:00:01"
    hardware_id: str = "VC-1"
    username: str = "admin"
    password: str = "secret"  # noqa: S105 - the documented test credential
    onvif_port: int = 0
    """TCP port of the ONVIF/HTTP server; 0 picks a free port at start."""
    rtsp_port: int = 0
    """TCP port of the RTSP server; 0 picks a free port at start."""
    rtsp: bool = True
    """Start the RTSP server (skipped with a logged warning when GStreamer is missing)."""
    main_codec: str = "H264"
    """Codec of the main stream: "H264" or "H265"."""
    discovery_port: int | None = None
    """UDP port of the WS-Discovery responder; None disables it, 0 picks a free port."""
    quirks: frozenset[Quirk] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        """Validate the values that would otherwise fail much later."""
        codec = self.main_codec.upper()
        if codec not in {"H264", "H265"}:
            raise ValueError(f"main_codec must be H264 or H265, not {self.main_codec!r}")
        self.main_codec = codec
        self.quirks = frozenset(Quirk(quirk) for quirk in self.quirks)

    @property
    def endpoint_uuid(self) -> str:
        """A stable WS-Discovery endpoint id derived from the serial number."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"homebound-simulator:{self.serial}"))
