"""The media profiles of a virtual camera: one sensor, a main and a sub stream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

CODECS: Final = ("H264", "H265", "JPEG")
"""Codecs a profile can have; JPEG profiles are described but not streamed over RTSP."""

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
    """RTSP path of the stream, e.g. ``/main`` (advertised even where nothing is mounted)."""

    @property
    def h26x_profile(self) -> str:
        """The codec profile the RTSP server encodes with."""
        return "Main" if self.codec == "H265" else "Baseline"

    @property
    def streamed(self) -> bool:
        """Whether the RTSP server serves this profile (JPEG profiles have no RTSP mount)."""
        return self.codec != "JPEG"


def check_codec(codec: str, what: str) -> str:
    """Return the codec in upper case, or raise ValueError naming the setting."""
    upper = codec.upper()
    if upper not in CODECS:
        raise ValueError(f"{what} must be one of {', '.join(CODECS)}, not {codec!r}")
    return upper


def stream_profiles(main_codec: str, sub_codec: str = "H264") -> tuple[StreamProfile, ...]:
    """Return the two profiles of the generic camera: main (640x480) and sub (320x240)."""
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
            codec=sub_codec,
            bitrate_kbps=256,
            mount="/sub",
        ),
    )
