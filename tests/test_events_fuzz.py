"""Hostile input to every event parser: only their own errors escape, memory stays bounded."""

from __future__ import annotations

from contextlib import suppress

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.homebound.events.dahua import DahuaPartError, kinds_from_caps, parse_event
from custom_components.homebound.events.hikvision import kinds_from_triggers, parse_alert
from custom_components.homebound.events.multipart import MultipartStream
from custom_components.homebound.events.onvif_messages import parse_notify
from custom_components.homebound.events.xml import UnsafeXmlError

from .test_events_parsers import NOTIFY, _alert

FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

# Pieces real bodies are made of, so that mutations reach deep into the parsers.
_PIECES = [
    b"<",
    b">",
    b"</",
    b"/>",
    b"<?xml version='1.0'?>",
    b"<!DOCTYPE x>",
    b"<!ENTITY a 'b'>",
    b"&a;",
    b"EventNotificationAlert",
    b"eventType",
    b"eventState",
    b"active",
    b"VMD",
    b"videoloss",
    b"NotificationMessage",
    b"Topic",
    b"Message",
    b"SimpleItem",
    b"Name=",
    b"Value=",
    b'"',
    b"Code=",
    b"action=",
    b"Start",
    b"Stop",
    b"Pulse",
    b"index=",
    b";",
    b"data=",
    b"{",
    b"}",
    b"--boundary",
    b"-- myboundary",
    b"\r\n",
    b"\n",
    b"Content-Length: ",
    b"99999999999",
    b"-1",
    b"0",
    b"Content-Type: text/plain",
    b"\x00",
    b"\xff\xfe",
    b"Heartbeat",
]
_bodies = st.one_of(
    st.binary(max_size=2048),
    st.lists(st.sampled_from(_PIECES), max_size=60).map(b"".join),
    st.builds(
        lambda body, cut, junk: body[:cut] + junk + body[cut:],
        st.sampled_from(
            [NOTIFY, _alert("VMD", "active"), b"Code=VideoMotion;action=Start;index=0"]
        ),
        st.integers(min_value=0, max_value=2000),
        st.binary(max_size=64),
    ),
)


@FUZZ
@given(_bodies)
def test_xml_parsers_raise_only_their_own_error(body: bytes) -> None:
    for parse in (parse_notify, parse_alert, kinds_from_triggers):
        with suppress(UnsafeXmlError):
            parse(body)


@FUZZ
@given(_bodies)
def test_dahua_parsers_raise_only_their_own_error(body: bytes) -> None:
    with suppress(DahuaPartError):
        parse_event(body)
    kinds_from_caps(body)


@FUZZ
@given(st.lists(_bodies, max_size=20), st.sampled_from(["boundary", "myboundary", None]))
def test_multipart_never_raises_and_stays_bounded(
    chunks: list[bytes], boundary: str | None
) -> None:
    stream = MultipartStream(boundary, max_part=4096)
    for chunk in chunks:
        for part in stream.feed(chunk):
            assert len(part.body) <= 4096
        assert len(stream._buffer) <= 4096 + len(chunk)


@pytest.mark.parametrize("chunk", [1 << 12, 1 << 16])
def test_a_ten_megabyte_part_costs_no_memory(chunk: int) -> None:
    """A camera streaming a 10 MB part (a picture, or garbage) is held to one part's worth."""
    stream = MultipartStream("boundary")
    stream.feed(b"--boundary\r\nContent-Type: image/jpeg\r\n\r\n")
    payload = b"\xff" * chunk
    peak = 0
    for _ in range((10 << 20) // chunk):
        assert stream.feed(payload) == []
        peak = max(peak, len(stream._buffer))
    assert peak <= 64 * 1024 + chunk
    parts = stream.feed(b"\r\n--boundary\r\nContent-Length: 2\r\n\r\nok\r\n")
    assert [p.body for p in parts] == [b"ok"]
