"""What Media (ver10) and Media2 (ver20) share: profile lookup, the video source, stream URIs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...errors import FaultError
from ...profiles import SENSOR_HEIGHT, SENSOR_WIDTH
from ...quirks import Quirk
from ...soap import Fault, invalid_arg, sub, xml_bool

if TYPE_CHECKING:
    from lxml import etree

    from ...profiles import StreamProfile
    from ...state import CameraState

VIDEO_SOURCE_TOKEN: Final = "vs_main"  # noqa: S105 - an ONVIF token, not a secret
VIDEO_SOURCE_CONFIGURATION_TOKEN: Final = "vsc_main"  # noqa: S105
STREAM_NOT_AVAILABLE: Final = Fault("env:Receiver", ("ter:Action",), "stream not available")


def find_profile(state: CameraState, token: str | None) -> StreamProfile:
    """Return the profile with this token, or raise a ``ter:NoProfile`` fault."""
    for profile in state.profiles:
        if profile.token == token:
            return profile
    raise FaultError(invalid_arg("ter:NoProfile", f"No profile with token {token!r}"))


def stream_uri(state: CameraState, profile: StreamProfile) -> str:
    """Return the stream URI GetStreamUri answers, or raise the STREAM_URI_FAULT fault."""
    if Quirk.STREAM_URI_FAULT in state.quirks:
        raise FaultError(STREAM_NOT_AVAILABLE)
    return state.stream_uri(profile)


def write_capability_flags(parent: etree._Element) -> None:
    """Set the attributes trt:Capabilities and tr2:Capabilities share."""
    for key, value in {
        "SnapshotUri": True,
        "Rotation": False,
        "VideoSourceMode": False,
        "OSD": False,
    }.items():
        parent.set(key, xml_bool(value))


def video_source_configuration(parent: etree._Element, use_count: int) -> None:
    """Fill a tt:VideoSourceConfiguration (the element itself is created by the caller)."""
    parent.set("token", VIDEO_SOURCE_CONFIGURATION_TOKEN)
    sub(parent, "tt:Name", "VideoSourceConfig")
    sub(parent, "tt:UseCount", str(use_count))
    sub(parent, "tt:SourceToken", VIDEO_SOURCE_TOKEN)
    sub(
        parent,
        "tt:Bounds",
        attrib={"x": "0", "y": "0", "width": str(SENSOR_WIDTH), "height": str(SENSOR_HEIGHT)},
    )
