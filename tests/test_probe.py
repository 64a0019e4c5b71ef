"""Reading probe answers: what firmwares leave out, send as text, or get wrong."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as Ns

import pytest

from custom_components.homebound.device import probe


def _time(
    year: object, month: object, day: object, hour: object, minute: object, second: object
) -> Ns:
    return Ns(
        UTCDateTime=Ns(
            Date=Ns(Year=year, Month=month, Day=day),
            Time=Ns(Hour=hour, Minute=minute, Second=second),
        )
    )


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (_time(2026, 12, 1, 14, 5, 9), dt.datetime(2026, 12, 1, 14, 5, 9, tzinfo=dt.UTC)),
        (
            _time("2026", "12", "1", "14", "5", "9"),
            dt.datetime(2026, 12, 1, 14, 5, 9, tzinfo=dt.UTC),
        ),
        (_time(2026, 12, 31, 24, 0, 60), dt.datetime(2027, 1, 1, 0, 1, tzinfo=dt.UTC)),
        (_time(2026, 13, 1, 0, 0, 0), None),
        (_time(2026, 12, 1, "x", 0, 0), None),
        (_time(2026, 12, 1, None, 0, 0), None),
        (Ns(), None),
        (None, None),
    ],
)
def test_camera_time(answer: object, expected: dt.datetime | None) -> None:
    assert probe.camera_time(answer) == expected


def test_services() -> None:
    listed = [
        Ns(Namespace=probe.NS_MEDIA, XAddr=" http://cam/media "),
        Ns(Namespace="", XAddr="http://cam/x"),
        Ns(Namespace=probe.NS_EVENTS),
    ]
    assert probe.services_from_get_services(listed) == {probe.NS_MEDIA: "http://cam/media"}
    assert probe.services_from_get_services(None) == {}
    capabilities = Ns(Media=Ns(XAddr="http://cam/m"), Events=Ns(XAddr=""), PTZ=None)
    assert probe.services_from_capabilities(capabilities) == {probe.NS_MEDIA: "http://cam/m"}


def test_mac_from_interfaces() -> None:
    interfaces = [
        Ns(Enabled=False, Info=Ns(HwAddress="02:00:00:00:00:09")),
        Ns(Enabled=True, Info=Ns(HwAddress="00:00:00:00:00:00")),
        Ns(Info=None),
        Ns(Enabled=True, Info=Ns(HwAddress="02-48-42-00-00-01")),
    ]
    assert probe.mac_from_interfaces(interfaces) == "02:48:42:00:00:01"
    assert probe.mac_from_interfaces(None) is None


def test_identity_fills_what_is_missing() -> None:
    identity = probe.identity(Ns(SerialNumber=" S1 "), None)
    assert (identity.manufacturer, identity.model, identity.serial) == (
        "Unknown",
        "ONVIF camera",
        "S1",
    )


def _encoder(encoding: object, width: object = 640, height: object = 480, fps: object = 15) -> Ns:
    return Ns(
        Encoding=encoding,
        Resolution=Ns(Width=width, Height=height),
        RateControl=Ns(FrameRateLimit=fps),
    )


def test_profiles() -> None:
    raw = [
        Ns(token="a", Name="Main", VideoEncoderConfiguration=_encoder("H264")),
        Ns(token="b", Name="", VideoEncoderConfiguration=_encoder("JPEG")),
        Ns(token="c", VideoEncoderConfiguration=None),
        Ns(token="", VideoEncoderConfiguration=_encoder("H264")),
        Ns(token="d", VideoEncoderConfiguration=_encoder("h.265", "x", None, "fast")),
    ]
    profiles = probe.media1_profiles(raw)
    assert [(p.token, p.codec, p.width, p.height, p.fps) for p in profiles] == [
        ("a", "H264", 640, 480, 15.0),
        ("d", "H265", 0, 0, None),
    ]
    assert profiles[1].name == "d"
    hevc = [Ns(token="e", Name="E", Configurations=Ns(VideoEncoder=_encoder("HEVC")))]
    assert [p.codec for p in probe.media2_profiles(hevc)] == ["H265"]
    assert probe.media2_profiles(None) == []


def test_uri() -> None:
    assert probe.uri(Ns(Uri=" rtsp://cam/main ")) == "rtsp://cam/main"
    assert probe.uri("rtsp://cam/raw") == "rtsp://cam/raw"
    assert probe.uri(None) == ""


def test_addresses_from_interfaces() -> None:
    """IPv4 and IPv6 addresses of enabled interfaces, whatever shape the firmware sends."""
    interfaces = [
        Ns(
            Enabled=True,
            IPv4=Ns(
                Enabled="true",
                Config=Ns(
                    Manual=[Ns(Address="192.168.1.50", PrefixLength=24)],
                    FromDHCP=Ns(Address="192.168.1.51"),
                    LinkLocal=None,
                ),
            ),
            IPv6=Ns(
                Enabled=True,
                Config=Ns(
                    Manual=[],
                    FromRA=[Ns(Address="2001:db8::50"), Ns(Address="not an address")],
                    LinkLocal=[Ns(Address="fe80::1")],
                    FromDHCP=None,
                ),
            ),
        ),
        Ns(Enabled=False, IPv4=Ns(Enabled=True, Config=Ns(Manual=[Ns(Address="10.0.0.9")]))),
        Ns(Enabled=True, IPv4=Ns(Enabled="false", Config=Ns(Manual=[Ns(Address="10.0.0.8")]))),
        Ns(Enabled=True, IPv4=None, IPv6=Ns(Config=Ns(Manual=[Ns(Address="192.168.1.50")]))),
    ]
    assert probe.addresses_from_interfaces(interfaces) == (
        "192.168.1.50",
        "192.168.1.51",
        "fe80::1",
        "2001:db8::50",
    )
    assert probe.addresses_from_interfaces(None) == ()
