"""The fingerprint recorder and the one web-root request, against hostile answers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.homebound.catalog import identify, load_catalog
from custom_components.homebound.device.fingerprint import (
    MAX_KEPT,
    ROOT_LIMIT,
    FingerprintRecorder,
    fetch_root_page,
    realms_of,
)
from simulator.rtsp import free_port

CATALOG = load_catalog()
FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@pytest.mark.parametrize(
    ("challenge", "realms"),
    [
        (
            'Digest qop="auth", realm="IP Camera(C2183)", nonce="4e54", stale="FALSE"',
            ["IP Camera(C2183)"],
        ),
        (
            'Digest realm="Login to 4H01D66PAJ2FA64", Basic realm="Login to 4H01D66PAJ2FA64"',
            ["Login to 4H01D66PAJ2FA64"] * 2,
        ),
        ("Basic realm=hikvision", ["hikvision"]),
        ('Digest nonce="1"', []),
        ('Digest realm=""', []),
        ("", []),
    ],
)
def test_realms_are_read_from_every_challenge(challenge: str, realms: list[str]) -> None:
    assert realms_of(challenge) == realms


def test_what_the_recorder_keeps_is_bounded_and_distinct() -> None:
    recorder = FingerprintRecorder()
    for number in range(50):
        recorder.observe_headers(
            401, {"Server": f"server {number}", "WWW-Authenticate": f'Digest realm="r{number}"'}
        )
        recorder.observe_headers(200, {"Server": "server 0"})
    fingerprint = recorder.fingerprint()
    assert fingerprint.http_servers == tuple(f"server {n}" for n in range(MAX_KEPT))
    assert fingerprint.realms == tuple(f"r{n}" for n in range(MAX_KEPT))


def test_realms_are_only_read_from_refusals() -> None:
    recorder = FingerprintRecorder()
    recorder.observe_headers(200, {"WWW-Authenticate": 'Digest realm="hikvision"'})
    assert recorder.fingerprint().realms == ()


def test_only_known_vendor_apis_are_noted() -> None:
    recorder = FingerprintRecorder()
    for api in (None, "isapi", "telnet", "isapi", "dahua_cgi"):
        recorder.observe_vendor_api(api)
    assert recorder.fingerprint().vendor_apis == ("isapi", "dahua_cgi")


def test_a_redirect_target_counts_as_the_page() -> None:
    recorder = FingerprintRecorder()
    recorder.observe_root_page(302, {"Location": "/doc/page/login.asp?_=1"}, b"")
    found = identify(CATALOG, manufacturer="", fingerprint=recorder.fingerprint())
    assert found.maker is not None
    assert found.maker.key == "hikvision"


_text = st.one_of(
    st.text(max_size=400),
    st.sampled_from(
        ["App-webs/", "uc-httpd 1.0.0", "MWS 0.01", 'Digest realm="hikvision"', "\x00\r\n\x1b"]
    ),
)


@FUZZ
@given(
    status=st.integers(min_value=100, max_value=599),
    server=_text,
    challenge=_text,
    location=_text,
    body=st.one_of(st.binary(max_size=4096), _text.map(str.encode)),
)
def test_any_answer_gives_a_bounded_clean_fingerprint(
    status: int, server: str, challenge: str, location: str, body: bytes
) -> None:
    """Hostile headers and pages through the recorder and the identification."""
    recorder = FingerprintRecorder()
    headers = {"Server": server, "WWW-Authenticate": challenge, "Location": location}
    recorder.observe_headers(status, headers)
    recorder.observe_root_page(status, headers, body)
    fingerprint = recorder.fingerprint()
    for value in (*fingerprint.http_servers, *fingerprint.realms, fingerprint.page_title):
        assert value.isprintable()
        assert len(value) <= 120
    assert len(fingerprint.root_page) <= ROOT_LIMIT + 300
    found = identify(CATALOG, manufacturer=server, fingerprint=fingerprint)
    assert found.manufacturer_label().isprintable()


@pytest.fixture
async def hostile_root() -> AsyncIterator[str]:
    """A raw HTTP server whose root answers 5 MB of invalid UTF-8 under a hostile header.

    Written by hand: aiohttp's own server refuses to send such a header, a camera does not.
    """

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(
                b"HTTP/1.0 200 OK\r\nServer: App-webs/ \xe2\x80\xae\t" + b"x" * 5000 + b"\r\n"
                b"Content-Type: text/html\r\n\r\n"
            )
            chunk = b"<title>\xff\xfe" + b"A" * 65536
            for _ in range(80):
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


async def test_a_hostile_web_root_is_read_only_up_to_its_limit(hostile_root: str) -> None:
    recorder = FingerprintRecorder()
    async with aiohttp.ClientSession() as session:
        assert await fetch_root_page(session, hostile_root, recorder)
    fingerprint = recorder.fingerprint()
    assert len(fingerprint.root_page) <= ROOT_LIMIT
    assert fingerprint.http_servers[0].startswith("App-webs/")
    assert len(fingerprint.http_servers[0]) == 120
    found = identify(CATALOG, manufacturer="", fingerprint=fingerprint)
    assert found.maker is not None
    assert found.maker.key == "hikvision"


async def test_a_web_root_that_does_not_answer_is_simply_not_read() -> None:
    recorder = FingerprintRecorder()
    async with aiohttp.ClientSession() as session:
        answered = await fetch_root_page(session, f"http://127.0.0.1:{free_port()}", recorder)
    assert not answered
    assert recorder.fingerprint().root_page == ""
