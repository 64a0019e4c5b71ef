"""Configuration of one virtual camera: persona, identity, credentials, ports, codecs, quirks.

It sits low (the camera state holds it), so it knows personas only through ``registry``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
import uuid

from .lies import Lies
from .netns import check_name
from .profiles import check_codec
from .quirks import Quirk
from .registry import DEFAULT_PERSONA, lookup
from .setting_faults import SettingFault

__all__ = ["CameraConfig", "Quirk"]

_IDENTITY_FIELDS = ("name", "manufacturer", "model", "firmware", "serial", "mac", "hardware_id")


def check_interval(seconds: float, what: str) -> float:
    """Return ``seconds`` if it is a usable interval (more than 0, finite); else ValueError."""
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int | float)
        or not (0 < seconds < float("inf"))
    ):
        raise ValueError(f"{what} must be a number of seconds above 0, not {seconds!r}")
    return float(seconds)


@dataclass
class CameraConfig:
    """Everything that makes one virtual camera different from another.

    Identity fields left empty take the persona's values (the generic persona's are "Virtual
    Camera", "Homebound", "Virtual Camera VC-1", "1.0.0", "HBSIM0001", "02:48:42:00:00:01" and
    "VC-1"), so that a rebrand is a persona with a few fields overridden.
    """

    name: str = ""
    manufacturer: str = ""
    model: str = ""
    firmware: str = ""
    serial: str = ""
    mac: str = ""
    hardware_id: str = ""
    username: str = "admin"
    password: str = "secret"  # noqa: S105 - the documented test credential
    onvif_port: int = 0
    """TCP port of the ONVIF/HTTP server; 0 picks a free port at start."""
    rtsp_port: int = 0
    """TCP port of the RTSP server; 0 picks a free port at start."""
    rtsp: bool = True
    """Start the RTSP server (skipped with a logged warning when GStreamer is missing)."""
    main_codec: str = "H264"
    """Codec of the main stream: "H264", "H265" or "JPEG"."""
    discovery_port: int | None = None
    """UDP port of the WS-Discovery responder; None disables it, 0 picks a free port."""
    quirks: frozenset[Quirk] = field(default_factory=frozenset)
    """Quirks switched on from the start (the camera adds its persona's)."""
    sub_codec: str = "H264"
    """Codec of the sub stream: "H264", "H265" or "JPEG" (both JPEG: a JPEG-only camera)."""
    persona: str = DEFAULT_PERSONA
    """Which kind of camera this is (``simulator.personas``)."""
    repeat_interval: float = 1.0
    """Seconds between the ``active`` repeats of an ongoing event on a Hikvision alert stream."""
    heartbeat_interval: float | None = None
    """Seconds between vendor stream heartbeats: Hikvision's ``videoloss`` after that much
    quiet, Dahua's ``Heartbeat``. None: Hikvision 10 s, Dahua what the request asks for."""
    lies: Lies | None = None
    """What the camera reports about itself instead of the truth (``simulator.lies``); None:
    its persona's (the ``hostile`` persona lies, the others tell the truth)."""
    dhcp: bool = False
    """Whether the camera takes its address (and gateway) by DHCP."""
    ntp_servers: tuple[str, ...] | None = None
    """NTP servers it starts with; None: its maker's default (Hikvision ``time.ys7.com``…)."""
    setting_faults: Mapping[str, SettingFault] = field(default_factory=dict)
    """How writes of some settings fail, by setting name (``simulator.setting_faults``)."""
    host: str = "127.0.0.1"
    """The address of the ONVIF/HTTP server, and the one the camera hands out in its URLs."""
    netns: str | None = None
    """A named network namespace (``ip netns``) the ONVIF/HTTP socket is bound in, at
    ``host``; None: this process's own. RTSP and WS-Discovery stay on 127.0.0.1 either way
    (``simulator.netns``)."""

    def __post_init__(self) -> None:
        """Validate what would otherwise fail much later, and fill in the persona's identity."""
        persona = lookup(self.persona)
        self.main_codec = check_codec(self.main_codec, "main_codec")
        self.sub_codec = check_codec(self.sub_codec, "sub_codec")
        for name in _IDENTITY_FIELDS:
            if not getattr(self, name):
                setattr(self, name, getattr(persona.identity, name))
        self.quirks = frozenset(Quirk(quirk) for quirk in self.quirks)
        if self.lies is not None and not isinstance(self.lies, Lies):
            raise TypeError(f"lies must be a Lies, not {self.lies!r}")
        self.setting_faults = {
            str(name): SettingFault(fault) for name, fault in self.setting_faults.items()
        }
        if self.ntp_servers is not None:
            self.ntp_servers = tuple(self.ntp_servers)
        check_interval(self.repeat_interval, "repeat_interval")
        if self.netns is not None:
            check_name(self.netns)
        if self.heartbeat_interval is not None:
            check_interval(self.heartbeat_interval, "heartbeat_interval")

    @property
    def endpoint_uuid(self) -> str:
        """A stable WS-Discovery endpoint id derived from the serial number."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"homebound-simulator:{self.serial}"))

    @property
    def jpeg_only(self) -> bool:
        """Both streams are JPEG: nothing to serve over RTSP."""
        return self.main_codec == self.sub_codec == "JPEG"
