"""Plain data about one camera, as learnt over ONVIF, and how to tell two cameras apart."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..catalog import normalize_mac

VIDEO_CODECS = ("H264", "H265")

_NO_ADDRESS = frozenset({"000000000000", "FFFFFFFFFFFF"})


def format_mac(raw: str) -> str | None:
    """Return a MAC address in lower-case colon form; None when ``raw`` is not a usable one.

    All-zero and broadcast addresses, which some firmwares report for a missing interface,
    are not addresses of a camera.
    """
    digits = normalize_mac(raw)
    if digits is None or digits in _NO_ADDRESS:
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2)).lower()


def normalize_serial(serial: str | None) -> str | None:
    """Return a serial number in the form identities are compared in; None when empty."""
    text = (serial or "").strip().lower()
    return text or None


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    """Who the camera says it is (GetDeviceInformation, GetNetworkInterfaces)."""

    manufacturer: str
    model: str
    firmware: str
    serial: str
    hardware_id: str
    mac: str | None
    """Lower-case, colon-separated MAC address of the enabled interface, if the camera tells."""

    @property
    def unique_id(self) -> str:
        """The canonical key of the camera: the MAC it reports, else its serial number.

        It depends only on what the camera itself reports, never on how it was found (a MAC
        that DHCP saw is kept beside the entry as a further identifier, not as its key).
        """
        return self.mac or normalize_serial(self.serial) or ""

    def matches(self, mac: str | None, serial: str | None) -> bool:
        """Whether this camera is the one known by ``mac`` and ``serial``.

        Only what the camera reports is compared with what is known: a MAC it reports must
        equal a known MAC, a serial it reports must equal a known serial, and at least one of
        the two must have been compared. A camera that reports nothing comparable is not
        taken for the known one.
        """
        compared = False
        known_mac = format_mac(mac) if mac else None
        if self.mac and known_mac:
            if self.mac != known_mac:
                return False
            compared = True
        own_serial, known_serial = normalize_serial(self.serial), normalize_serial(serial)
        if own_serial and known_serial:
            if own_serial != known_serial:
                return False
            compared = True
        return compared


@dataclass(frozen=True, slots=True)
class MediaProfile:
    """One media profile: a video stream the camera can serve."""

    token: str
    name: str
    codec: str
    """"H264" or "H265"."""
    width: int
    height: int
    fps: float | None = None
    media_version: int = 1
    """1 when the profile came from the Media service, 2 from Media2."""
    source_token: str = ""
    """The video source (sensor, NVR channel) the profile encodes."""
    source_configuration: str = ""
    """The token of the video source configuration, which events also name sources by."""

    @property
    def pixels(self) -> int:
        """Number of pixels of a frame, to rank profiles."""
        return self.width * self.height


@dataclass(frozen=True, slots=True)
class CameraInfo:
    """Everything the setup probe learnt about a camera."""

    identity: DeviceIdentity
    profiles: tuple[MediaProfile, ...]
    services: dict[str, str] = field(default_factory=dict)
    """ONVIF service namespace -> service address."""
    clock_skew: float = 0.0
    """Camera clock minus local clock, in seconds."""
    addresses: tuple[str, ...] = ()
    """The IPv4/IPv6 addresses the camera reports for its enabled interfaces."""

    @property
    def main_profile(self) -> MediaProfile:
        """The highest-resolution profile (the first of equals)."""
        return max(self.profiles, key=lambda p: p.pixels)

    @property
    def video_sources(self) -> tuple[str, ...]:
        """The camera's video sources (one for a camera, one per channel for an NVR)."""
        return tuple(dict.fromkeys(p.source_token for p in self.profiles if p.source_token))

    @property
    def source_aliases(self) -> dict[str, str]:
        """Video source configuration token -> video source token."""
        return {
            p.source_configuration: p.source_token
            for p in self.profiles
            if p.source_configuration and p.source_token
        }

    @property
    def has_media2(self) -> bool:
        """Whether the profiles were read from the Media2 service."""
        return any(p.media_version == 2 for p in self.profiles)
