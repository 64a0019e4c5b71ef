"""Plain data about one camera, as learnt over ONVIF."""

from __future__ import annotations

from dataclasses import dataclass, field

VIDEO_CODECS = ("H264", "H265")


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
        """The stable identity of the camera: its MAC address, else its serial number."""
        return self.mac or self.serial.strip().lower()


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

    @property
    def main_profile(self) -> MediaProfile:
        """The highest-resolution profile (the first of equals)."""
        return max(self.profiles, key=lambda p: p.pixels)

    @property
    def has_media2(self) -> bool:
        """Whether the profiles were read from the Media2 service."""
        return any(p.media_version == 2 for p in self.profiles)
