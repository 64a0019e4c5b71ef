"""Media profiles of the virtual camera and the Media (ver10) and Media2 (ver20) services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from .errors import FaultError
from .soap import invalid_arg, sub, xml_bool

if TYPE_CHECKING:
    from lxml import etree

    from .camera import VirtualCamera
    from .soap import SoapRequest

VIDEO_SOURCE_TOKEN: Final = "vs_main"  # noqa: S105 - an ONVIF token, not a secret
VIDEO_SOURCE_CONFIGURATION_TOKEN: Final = "vsc_main"  # noqa: S105
VIDEO_ANALYTICS_CONFIGURATION_TOKEN: Final = "vac_main"  # noqa: S105
SENSOR_WIDTH: Final = 640
SENSOR_HEIGHT: Final = 480
FRAME_RATE: Final = 15


@dataclass(frozen=True, slots=True)
class StreamProfile:
    """One media profile: a video encoder configuration fed by the single video source."""

    token: str
    name: str
    encoder_token: str
    width: int
    height: int
    codec: str
    bitrate_kbps: int
    mount: str
    """RTSP mount path, e.g. ``/main``."""

    @property
    def h26x_profile(self) -> str:
        """The codec profile the RTSP server encodes with."""
        return "Main" if self.codec == "H265" else "Baseline"


def stream_profiles(main_codec: str) -> tuple[StreamProfile, StreamProfile]:
    """Return the two profiles every virtual camera has: main (640x480) and sub (320x240)."""
    return (
        StreamProfile(
            token="profile_main",  # noqa: S106 - ONVIF tokens, not secrets
            name="MainStream",
            encoder_token="vec_main",  # noqa: S106
            width=SENSOR_WIDTH,
            height=SENSOR_HEIGHT,
            codec=main_codec,
            bitrate_kbps=512,
            mount="/main",
        ),
        StreamProfile(
            token="profile_sub",  # noqa: S106
            name="SubStream",
            encoder_token="vec_sub",  # noqa: S106
            width=320,
            height=240,
            codec="H264",
            bitrate_kbps=256,
            mount="/sub",
        ),
    )


def find_profile(camera: VirtualCamera, token: str | None) -> StreamProfile:
    """Return the profile with this token, or raise a ``ter:NoProfile`` fault."""
    for profile in camera.profiles:
        if profile.token == token:
            return profile
    raise FaultError(invalid_arg("ter:NoProfile", f"No profile with token {token!r}"))


def _video_source_configuration(parent: etree._Element, use_count: int) -> None:
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


def _multicast(parent: etree._Element) -> None:
    multicast = sub(parent, "tt:Multicast")
    address = sub(multicast, "tt:Address")
    sub(address, "tt:Type", "IPv4")
    sub(address, "tt:IPv4Address", "0.0.0.0")
    sub(multicast, "tt:Port", "0")
    sub(multicast, "tt:TTL", "1")
    sub(multicast, "tt:AutoStart", "false")


def _video_encoder_configuration(parent: etree._Element, profile: StreamProfile) -> None:
    """Fill a ver10 tt:VideoEncoderConfiguration (H.264 only in Media ver10)."""
    parent.set("token", profile.encoder_token)
    sub(parent, "tt:Name", f"{profile.name}Encoder")
    sub(parent, "tt:UseCount", "1")
    sub(parent, "tt:Encoding", "H264")
    resolution = sub(parent, "tt:Resolution")
    sub(resolution, "tt:Width", str(profile.width))
    sub(resolution, "tt:Height", str(profile.height))
    sub(parent, "tt:Quality", "5")
    rate = sub(parent, "tt:RateControl")
    sub(rate, "tt:FrameRateLimit", str(FRAME_RATE))
    sub(rate, "tt:EncodingInterval", "1")
    sub(rate, "tt:BitrateLimit", str(profile.bitrate_kbps))
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


# --- Media (ver10) --------------------------------------------------------------------------


def write_profile_v10(
    parent: etree._Element, camera: VirtualCamera, profile: StreamProfile
) -> None:
    """Fill a ver10 tt:Profile; an H.265 profile has no VideoEncoderConfiguration in ver10."""
    parent.set("token", profile.token)
    parent.set("fixed", "true")
    sub(parent, "tt:Name", profile.name)
    _video_source_configuration(sub(parent, "tt:VideoSourceConfiguration"), len(camera.profiles))
    if profile.codec == "H264":
        _video_encoder_configuration(sub(parent, "tt:VideoEncoderConfiguration"), profile)


async def media_get_profiles(
    camera: VirtualCamera, _request: SoapRequest, body: etree._Element
) -> None:
    """trt:GetProfiles."""
    response = sub(body, "trt:GetProfilesResponse")
    for profile in camera.profiles:
        write_profile_v10(sub(response, "trt:Profiles"), camera, profile)


async def media_get_profile(
    camera: VirtualCamera, request: SoapRequest, body: etree._Element
) -> None:
    """trt:GetProfile."""
    profile = find_profile(camera, request.child_text("ProfileToken"))
    response = sub(body, "trt:GetProfileResponse")
    write_profile_v10(sub(response, "trt:Profile"), camera, profile)


async def media_get_stream_uri(
    camera: VirtualCamera, request: SoapRequest, body: etree._Element
) -> None:
    """trt:GetStreamUri (RTP-Unicast over RTSP, UDP or TCP)."""
    profile = find_profile(camera, request.child_text("ProfileToken"))
    stream = request.findtext("trt:StreamSetup/tt:Stream")
    if stream is not None and stream not in {"RTP-Unicast", "RTP_unicast"}:
        raise FaultError(
            invalid_arg("ter:InvalidStreamSetup", f"Stream type {stream} is not supported")
        )
    _media_uri(sub(body, "trt:GetStreamUriResponse"), camera.stream_uri(profile))


async def media_get_snapshot_uri(
    camera: VirtualCamera, request: SoapRequest, body: etree._Element
) -> None:
    """trt:GetSnapshotUri."""
    profile = find_profile(camera, request.child_text("ProfileToken"))
    _media_uri(sub(body, "trt:GetSnapshotUriResponse"), camera.snapshot_uri(profile))


def write_media_capabilities(parent: etree._Element, camera: VirtualCamera) -> None:
    """Fill a trt:Capabilities element."""
    for key, value in {
        "SnapshotUri": True,
        "Rotation": False,
        "VideoSourceMode": False,
        "OSD": False,
    }.items():
        parent.set(key, xml_bool(value))
    sub(
        parent,
        "trt:ProfileCapabilities",
        attrib={"MaximumNumberOfProfiles": str(len(camera.profiles))},
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


async def media_get_service_capabilities(
    camera: VirtualCamera, _request: SoapRequest, body: etree._Element
) -> None:
    """trt:GetServiceCapabilities."""
    response = sub(body, "trt:GetServiceCapabilitiesResponse")
    write_media_capabilities(sub(response, "trt:Capabilities"), camera)


async def media_get_video_sources(
    _camera: VirtualCamera, _request: SoapRequest, body: etree._Element
) -> None:
    """trt:GetVideoSources: the one sensor."""
    response = sub(body, "trt:GetVideoSourcesResponse")
    source = sub(response, "trt:VideoSources", attrib={"token": VIDEO_SOURCE_TOKEN})
    sub(source, "tt:Framerate", str(float(FRAME_RATE)))
    resolution = sub(source, "tt:Resolution")
    sub(resolution, "tt:Width", str(SENSOR_WIDTH))
    sub(resolution, "tt:Height", str(SENSOR_HEIGHT))


MEDIA_OPERATIONS: Final = {
    "GetProfiles": media_get_profiles,
    "GetProfile": media_get_profile,
    "GetStreamUri": media_get_stream_uri,
    "GetSnapshotUri": media_get_snapshot_uri,
    "GetServiceCapabilities": media_get_service_capabilities,
    "GetVideoSources": media_get_video_sources,
}


# --- Media2 (ver20) -------------------------------------------------------------------------

_MEDIA2_TYPES: Final = frozenset(
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


def _video_encoder2_configuration(parent: etree._Element, profile: StreamProfile) -> None:
    """Fill a tt:VideoEncoder2Configuration (Media2): H.264 or H.265."""
    parent.set("token", profile.encoder_token)
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


def write_profile_v20(
    parent: etree._Element, camera: VirtualCamera, profile: StreamProfile, types: set[str]
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
        _video_source_configuration(sub(configurations, "tr2:VideoSource"), len(camera.profiles))
    if wanted_encoder:
        _video_encoder2_configuration(sub(configurations, "tr2:VideoEncoder"), profile)


async def media2_get_profiles(
    camera: VirtualCamera, request: SoapRequest, body: etree._Element
) -> None:
    """tr2:GetProfiles with optional Token and Type filters."""
    token = request.child_text("Token")
    types = set(request.children_text("Type"))
    unknown = types - _MEDIA2_TYPES
    if unknown:
        raise FaultError(
            invalid_arg("ter:InvalidArgVal", f"Unknown configuration type {sorted(unknown)[0]}")
        )
    profiles = camera.profiles if token is None else (find_profile(camera, token),)
    response = sub(body, "tr2:GetProfilesResponse")
    for profile in profiles:
        write_profile_v20(sub(response, "tr2:Profiles"), camera, profile, types)


_MEDIA2_PROTOCOLS: Final = frozenset({"RtspUnicast", "RTSP", "RtspOverHttp"})


async def media2_get_stream_uri(
    camera: VirtualCamera, request: SoapRequest, body: etree._Element
) -> None:
    """tr2:GetStreamUri (Protocol RtspUnicast, RTSP or RtspOverHttp)."""
    protocol = request.child_text("Protocol")
    profile = find_profile(camera, request.child_text("ProfileToken"))
    if protocol not in _MEDIA2_PROTOCOLS:
        raise FaultError(
            invalid_arg("ter:InvalidStreamSetup", f"Protocol {protocol} is not supported")
        )
    response = sub(body, "tr2:GetStreamUriResponse")
    sub(response, "tr2:Uri", camera.stream_uri(profile))


async def media2_get_snapshot_uri(
    camera: VirtualCamera, request: SoapRequest, body: etree._Element
) -> None:
    """tr2:GetSnapshotUri."""
    profile = find_profile(camera, request.child_text("ProfileToken"))
    response = sub(body, "tr2:GetSnapshotUriResponse")
    sub(response, "tr2:Uri", camera.snapshot_uri(profile))


def write_media2_capabilities(parent: etree._Element, camera: VirtualCamera) -> None:
    """Fill a tr2:Capabilities element (type tr2:Capabilities2)."""
    for key, value in {
        "SnapshotUri": True,
        "Rotation": False,
        "VideoSourceMode": False,
        "OSD": False,
    }.items():
        parent.set(key, xml_bool(value))
    sub(
        parent,
        "tr2:ProfileCapabilities",
        attrib={
            "MaximumNumberOfProfiles": str(len(camera.profiles)),
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


async def media2_get_service_capabilities(
    camera: VirtualCamera, _request: SoapRequest, body: etree._Element
) -> None:
    """tr2:GetServiceCapabilities."""
    response = sub(body, "tr2:GetServiceCapabilitiesResponse")
    write_media2_capabilities(sub(response, "tr2:Capabilities"), camera)


MEDIA2_OPERATIONS: Final = {
    "GetProfiles": media2_get_profiles,
    "GetStreamUri": media2_get_stream_uri,
    "GetSnapshotUri": media2_get_snapshot_uri,
    "GetServiceCapabilities": media2_get_service_capabilities,
}
