"""The ONVIF Media service (ver10) plug-in: profiles, stream and snapshot URIs, video sources.

Media ver10 cannot describe H.265, so an H.265 profile has no VideoEncoderConfiguration here
(cameras do the same); H.264 and JPEG profiles have one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar, Final

from ...errors import FaultError
from ...profiles import FRAME_RATE, SENSOR_HEIGHT, SENSOR_WIDTH
from ...soap import NS, invalid_arg, sub
from .common import (
    VIDEO_SOURCE_TOKEN,
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

MEDIA_PATH: Final = "/onvif/media_service"
_V10_ENCODINGS: Final = frozenset({"H264", "JPEG"})


def _multicast(parent: etree._Element) -> None:
    multicast = sub(parent, "tt:Multicast")
    address = sub(multicast, "tt:Address")
    sub(address, "tt:Type", "IPv4")
    sub(address, "tt:IPv4Address", "0.0.0.0")
    sub(multicast, "tt:Port", "0")
    sub(multicast, "tt:TTL", "1")
    sub(multicast, "tt:AutoStart", "false")


def _video_encoder_configuration(parent: etree._Element, profile: StreamProfile) -> None:
    """Fill a ver10 tt:VideoEncoderConfiguration (H.264 or JPEG)."""
    parent.set("token", profile.encoder_token)
    sub(parent, "tt:Name", f"{profile.name}Encoder")
    sub(parent, "tt:UseCount", "1")
    sub(parent, "tt:Encoding", profile.codec)
    resolution = sub(parent, "tt:Resolution")
    sub(resolution, "tt:Width", str(profile.width))
    sub(resolution, "tt:Height", str(profile.height))
    sub(parent, "tt:Quality", "5")
    rate = sub(parent, "tt:RateControl")
    sub(rate, "tt:FrameRateLimit", str(FRAME_RATE))
    sub(rate, "tt:EncodingInterval", "1")
    sub(rate, "tt:BitrateLimit", str(profile.bitrate_kbps))
    if profile.codec == "H264":
        h264 = sub(parent, "tt:H264")
        sub(h264, "tt:GovLength", str(FRAME_RATE))
        sub(h264, "tt:H264Profile", profile.h26x_profile)
    _multicast(parent)
    sub(parent, "tt:SessionTimeout", "PT60S")


def _media_uri(parent: etree._Element, uri: str) -> None:
    media_uri = sub(parent, "trt:MediaUri")
    sub(media_uri, "tt:Uri", uri)
    sub(media_uri, "tt:InvalidAfterConnect", "false")
    sub(media_uri, "tt:InvalidAfterReboot", "false")
    sub(media_uri, "tt:Timeout", "PT0S")


def write_profile(parent: etree._Element, state: CameraState, profile: StreamProfile) -> None:
    """Fill a ver10 tt:Profile; an H.265 profile has no VideoEncoderConfiguration in ver10."""
    parent.set("token", profile.token)
    parent.set("fixed", "true")
    sub(parent, "tt:Name", profile.name)
    video_source_configuration(sub(parent, "tt:VideoSourceConfiguration"), len(state.profiles))
    if profile.codec in _V10_ENCODINGS:
        _video_encoder_configuration(sub(parent, "tt:VideoEncoderConfiguration"), profile)


async def get_profiles(state: CameraState, _request: SoapRequest, body: etree._Element) -> None:
    """trt:GetProfiles."""
    response = sub(body, "trt:GetProfilesResponse")
    for profile in state.profiles:
        write_profile(sub(response, "trt:Profiles"), state, profile)


async def get_profile(state: CameraState, request: SoapRequest, body: etree._Element) -> None:
    """trt:GetProfile."""
    profile = find_profile(state, request.child_text("ProfileToken"))
    response = sub(body, "trt:GetProfileResponse")
    write_profile(sub(response, "trt:Profile"), state, profile)


async def get_stream_uri(state: CameraState, request: SoapRequest, body: etree._Element) -> None:
    """trt:GetStreamUri (RTP-Unicast over RTSP, UDP or TCP)."""
    profile = find_profile(state, request.child_text("ProfileToken"))
    stream = request.findtext("trt:StreamSetup/tt:Stream")
    if stream is not None and stream not in {"RTP-Unicast", "RTP_unicast"}:
        raise FaultError(
            invalid_arg("ter:InvalidStreamSetup", f"Stream type {stream} is not supported")
        )
    _media_uri(sub(body, "trt:GetStreamUriResponse"), stream_uri(state, profile))


async def get_snapshot_uri(state: CameraState, request: SoapRequest, body: etree._Element) -> None:
    """trt:GetSnapshotUri."""
    profile = find_profile(state, request.child_text("ProfileToken"))
    _media_uri(sub(body, "trt:GetSnapshotUriResponse"), state.snapshot_uri(profile))


def write_media_capabilities(parent: etree._Element, state: CameraState) -> None:
    """Fill a trt:Capabilities element."""
    write_capability_flags(parent)
    sub(
        parent,
        "trt:ProfileCapabilities",
        attrib={"MaximumNumberOfProfiles": str(len(state.profiles))},
    )
    sub(
        parent,
        "trt:StreamingCapabilities",
        attrib={
            "RTPMulticast": "false",
            "RTP_TCP": "true",
            "RTP_RTSP_TCP": "true",
            "NonAggregateControl": "false",
            "NoRTSPStreaming": "false",
        },
    )


async def get_service_capabilities(
    state: CameraState, _request: SoapRequest, body: etree._Element
) -> None:
    """trt:GetServiceCapabilities."""
    response = sub(body, "trt:GetServiceCapabilitiesResponse")
    write_media_capabilities(sub(response, "trt:Capabilities"), state)


async def get_video_sources(
    _state: CameraState, _request: SoapRequest, body: etree._Element
) -> None:
    """trt:GetVideoSources: the one sensor."""
    response = sub(body, "trt:GetVideoSourcesResponse")
    source = sub(response, "trt:VideoSources", attrib={"token": VIDEO_SOURCE_TOKEN})
    sub(source, "tt:Framerate", str(float(FRAME_RATE)))
    resolution = sub(source, "tt:Resolution")
    sub(resolution, "tt:Width", str(SENSOR_WIDTH))
    sub(resolution, "tt:Height", str(SENSOR_HEIGHT))


OPERATIONS: Final[Mapping[str, Operation]] = {
    "GetProfiles": get_profiles,
    "GetProfile": get_profile,
    "GetStreamUri": get_stream_uri,
    "GetSnapshotUri": get_snapshot_uri,
    "GetServiceCapabilities": get_service_capabilities,
    "GetVideoSources": get_video_sources,
}


class MediaService(OnvifService):
    """``onvif/media``: Media ver10."""

    name: ClassVar[str] = "onvif/media"
    namespace: ClassVar[str] = NS["trt"]
    prefix: ClassVar[str] = "trt"
    path: ClassVar[str] = MEDIA_PATH

    def operations(self) -> Mapping[tuple[str, str], Operation]:
        """Media ver10 operations."""
        return {(self.namespace, name): operation for name, operation in OPERATIONS.items()}

    def write_capabilities(self, parent: etree._Element) -> None:
        """trt:Capabilities."""
        write_media_capabilities(parent, self.state)
