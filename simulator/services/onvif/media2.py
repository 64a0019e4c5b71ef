"""The ONVIF Media2 service (ver20) plug-in: profiles of every codec, stream and snapshot URIs.

With the NO_MEDIA2 quirk the service is neither advertised nor served (HTTP 404), as on cameras
that only know Media ver10.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar, Final

from ...errors import FaultError
from ...profiles import FRAME_RATE
from ...quirks import Quirk
from ...soap import NS, invalid_arg, sub
from .common import (
    find_profile,
    stream_uri,
    video_source_configuration,
    write_capability_flags,
)
from .endpoint import OnvifService, Operation

if TYPE_CHECKING:
    from lxml import etree

    from ...profiles import StreamProfile
    from ...soap import SoapRequest
    from ...state import CameraState

MEDIA2_PATH: Final = "/onvif/media2_service"
_TYPES: Final = frozenset(
    {
        "All",
        "VideoSource",
        "VideoEncoder",
        "AudioSource",
        "AudioEncoder",
        "AudioOutput",
        "AudioDecoder",
        "Metadata",
        "Analytics",
        "PTZ",
        "Receiver",
    }
)
_PROTOCOLS: Final = frozenset({"RtspUnicast", "RTSP", "RtspOverHttp"})


def _video_encoder2_configuration(parent: etree._Element, profile: StreamProfile) -> None:
    """Fill a tt:VideoEncoder2Configuration: H.264, H.265 or JPEG (no GOP, no profile)."""
    parent.set("token", profile.encoder_token)
    if profile.codec != "JPEG":
        parent.set("GovLength", str(FRAME_RATE))
        parent.set("Profile", profile.h26x_profile)
    sub(parent, "tt:Name", f"{profile.name}Encoder")
    sub(parent, "tt:UseCount", "1")
    sub(parent, "tt:Encoding", profile.codec)
    resolution = sub(parent, "tt:Resolution")
    sub(resolution, "tt:Width", str(profile.width))
    sub(resolution, "tt:Height", str(profile.height))
    rate = sub(parent, "tt:RateControl", attrib={"ConstantBitRate": "false"})
    sub(rate, "tt:FrameRateLimit", f"{float(FRAME_RATE)}")
    sub(rate, "tt:BitrateLimit", str(profile.bitrate_kbps))
    sub(parent, "tt:Quality", "5")


def write_profile(
    parent: etree._Element, state: CameraState, profile: StreamProfile, types: set[str]
) -> None:
    """Fill a tr2:Profiles element (type tr2:MediaProfile) with the requested configurations."""
    parent.set("token", profile.token)
    parent.set("fixed", "true")
    sub(parent, "tr2:Name", profile.name)
    wanted_source = "All" in types or "VideoSource" in types
    wanted_encoder = "All" in types or "VideoEncoder" in types
    if not (wanted_source or wanted_encoder):
        return
    configurations = sub(parent, "tr2:Configurations")
    if wanted_source:
        video_source_configuration(sub(configurations, "tr2:VideoSource"), len(state.profiles))
    if wanted_encoder:
        _video_encoder2_configuration(sub(configurations, "tr2:VideoEncoder"), profile)


async def get_profiles(state: CameraState, request: SoapRequest, body: etree._Element) -> None:
    """tr2:GetProfiles with optional Token and Type filters."""
    token = request.child_text("Token")
    types = set(request.children_text("Type"))
    unknown = types - _TYPES
    if unknown:
        raise FaultError(
            invalid_arg("ter:InvalidArgVal", f"Unknown configuration type {sorted(unknown)[0]}")
        )
    profiles = state.profiles if token is None else (find_profile(state, token),)
    response = sub(body, "tr2:GetProfilesResponse")
    for profile in profiles:
        write_profile(sub(response, "tr2:Profiles"), state, profile, types)


async def get_stream_uri(state: CameraState, request: SoapRequest, body: etree._Element) -> None:
    """tr2:GetStreamUri (Protocol RtspUnicast, RTSP or RtspOverHttp)."""
    protocol = request.child_text("Protocol")
    profile = find_profile(state, request.child_text("ProfileToken"))
    if protocol not in _PROTOCOLS:
        raise FaultError(
            invalid_arg("ter:InvalidStreamSetup", f"Protocol {protocol} is not supported")
        )
    uri = stream_uri(state, profile)
    sub(sub(body, "tr2:GetStreamUriResponse"), "tr2:Uri", uri)


async def get_snapshot_uri(state: CameraState, request: SoapRequest, body: etree._Element) -> None:
    """tr2:GetSnapshotUri."""
    profile = find_profile(state, request.child_text("ProfileToken"))
    sub(sub(body, "tr2:GetSnapshotUriResponse"), "tr2:Uri", state.snapshot_uri(profile))


def write_media2_capabilities(parent: etree._Element, state: CameraState) -> None:
    """Fill a tr2:Capabilities element (type tr2:Capabilities2)."""
    write_capability_flags(parent)
    sub(
        parent,
        "tr2:ProfileCapabilities",
        attrib={
            "MaximumNumberOfProfiles": str(len(state.profiles)),
            "ConfigurationsSupported": "VideoSource VideoEncoder",
        },
    )
    sub(
        parent,
        "tr2:StreamingCapabilities",
        attrib={
            "RTSPStreaming": "true",
            "RTPMulticast": "false",
            "RTP_RTSP_TCP": "true",
            "NonAggregateControl": "false",
        },
    )


async def get_service_capabilities(
    state: CameraState, _request: SoapRequest, body: etree._Element
) -> None:
    """tr2:GetServiceCapabilities."""
    response = sub(body, "tr2:GetServiceCapabilitiesResponse")
    write_media2_capabilities(sub(response, "tr2:Capabilities"), state)


OPERATIONS: Final[Mapping[str, Operation]] = {
    "GetProfiles": get_profiles,
    "GetStreamUri": get_stream_uri,
    "GetSnapshotUri": get_snapshot_uri,
    "GetServiceCapabilities": get_service_capabilities,
}


class Media2Service(OnvifService):
    """``onvif/media2``: Media2 (ver20), which describes H.265 and JPEG profiles too."""

    name: ClassVar[str] = "onvif/media2"
    namespace: ClassVar[str] = NS["tr2"]
    prefix: ClassVar[str] = "tr2"
    path: ClassVar[str] = MEDIA2_PATH

    def available(self) -> bool:
        """Not with NO_MEDIA2."""
        return Quirk.NO_MEDIA2 not in self.state.quirks

    def operations(self) -> Mapping[tuple[str, str], Operation]:
        """Media2 operations."""
        return {(self.namespace, name): operation for name, operation in OPERATIONS.items()}

    def write_capabilities(self, parent: etree._Element) -> None:
        """tr2:Capabilities."""
        write_media2_capabilities(parent, self.state)
