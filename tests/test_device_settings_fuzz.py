"""Hostile settings answers, through the real client path: readings, never exceptions.

A camera on loopback answers every settings request (ISAPI GET/PUT, configManager.cgi, RPC2
login and calls) with what hypothesis makes of real answers and junk; the ONVIF side is the
simulator with host texts no camera should send. Whatever comes back, the clients return
typed readings and outcomes, and every server they name is a clean host name or address.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import contextlib
import ipaddress
import json

import aiohttp
from aiohttp import web
from hypothesis import HealthCheck, given, settings, strategies as st

from custom_components.homebound.device.dahua_settings import DahuaSettings
from custom_components.homebound.device.hikvision_settings import HikvisionSettings
from custom_components.homebound.device.settings_model import (
    UNSHOWABLE,
    Outcome,
    SettingRead,
    State,
    clean_host,
)
from custom_components.homebound.device.vendor_http import VendorHttp
from simulator import CameraConfig

from .settings_support import rig

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_XML_PIECES = [
    b"<?xml version='1.0'?>",
    b"<EZVIZ>",
    b"</EZVIZ>",
    b"<enabled>",
    b"</enabled>",
    b"true",
    b"false",
    b"TRUE",
    b"<serverAddress><hostName>",
    b"</hostName></serverAddress>",
    b"evil.example\n-j ACCEPT",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
    b"&a;",
    b"<NTPServer><addressingFormatType>ipaddress</addressingFormatType><ipAddress>",
    b"2001:db8::5%\n-I FORWARD 1 -j ACCEPT",
    b"</ipAddress></NTPServer>",
    b"<Time><timeMode>NTP</timeMode></Time>",
    b"<ResponseStatus><statusCode>1</statusCode><subStatusCode>ok</subStatusCode>",
    b"lowPrivilege",
    b"notSupport",
    b"\x00",
    b"\xff\xfe",
]
_CGI_PIECES = [
    b"table.",
    b"T2UServer",
    b"DDNS",
    b"NTP",
    b"[0]",
    b"[999]",
    b".Enable=",
    b".Address=",
    b"true",
    b"false",
    b"evil.example\r\n",
    b"a b c",
    b"\r\n",
    b"=",
    b"Error\r\nBad Request!\r\n",
    b"OK\r\n",
]
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(["Enable", "Address", "AutoCheck", "table", "x"]), children, max_size=4
    ),
    max_leaves=20,
)
_rpc2 = st.builds(
    lambda result, params, error, session: json.dumps(
        {"result": result, "params": params, "error": error, "session": session, "id": 1}
    ).encode(),
    st.sampled_from([True, False, None, "true"]),
    st.one_of(
        _json_values,
        st.fixed_dictionaries({"table": _json_values}),
        st.fixed_dictionaries({"realm": st.text(max_size=10), "random": st.text(max_size=10)}),
    ),
    st.one_of(st.none(), st.fixed_dictionaries({"code": st.integers(), "message": st.text()})),
    st.one_of(st.none(), st.integers(), st.text(max_size=8)),
)
_bodies = st.one_of(
    st.binary(max_size=512),
    st.lists(st.sampled_from(_XML_PIECES), max_size=30).map(b"".join),
    st.lists(st.sampled_from(_CGI_PIECES), max_size=30).map(b"".join),
    _rpc2,
    st.just(b"[" * 5000),
)
_answers = st.tuples(st.sampled_from([200, 200, 200, 400, 401, 403, 404, 500]), _bodies)


class Hostile:
    """A loopback web server answering each request with the next of ``answers`` (cycled)."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, bytes]] = [(200, b"")]
        self.served = 0

    async def handle(self, request: web.Request) -> web.Response:
        await request.read()
        status, body = self.answers[self.served % len(self.answers)]
        self.served += 1
        return web.Response(status=status, body=body)


@contextlib.asynccontextmanager
async def hostile_camera() -> AsyncIterator[tuple[Hostile, str]]:
    """The hostile server and its base URL."""
    server = Hostile()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        yield server, f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


def check(read: SettingRead) -> None:
    """A reading names only clean hosts and is consistent."""
    assert isinstance(read.state, State)
    for host in read.servers:
        assert host == UNSHOWABLE or clean_host(host) == host, host
        assert not any(c.isspace() or ord(c) < 32 for c in host), host
    if read.state is not State.ON:
        assert read.phones_home is False


@FUZZ
@given(answers=st.lists(_answers, min_size=1, max_size=6))
async def test_hostile_vendor_answers_become_readings(answers: list[tuple[int, bytes]]) -> None:
    async with hostile_camera() as (server, base), aiohttp.ClientSession() as session:
        server.answers = answers
        http = VendorHttp(session, base, "admin", "secret", timeout=5)
        for client in (HikvisionSettings(http), DahuaSettings(http, "admin", "secret")):
            for read in await client.read():
                check(read)
            for result in await client.switch_off():
                assert isinstance(result.outcome, Outcome)
                for reading in (result.before, result.after):
                    if reading is not None:
                        check(reading)
            ntp = await client.set_ntp("192.168.1.10")
            assert isinstance(ntp.outcome, Outcome)


_TEXT = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00\ufffe\uffff").filter(
        lambda c: c in "\t\n\r" or ord(c) >= 0x20
    ),
    max_size=40,
)


@FUZZ
@given(ntp=st.lists(_TEXT, max_size=3), gateways=st.lists(_TEXT, max_size=3))
async def test_hostile_onvif_hosts_are_never_shown_raw(ntp: list[str], gateways: list[str]) -> None:
    async with rig(CameraConfig(rtsp=False), None) as r:
        r.camera.network.ntp = ntp
        r.camera.network.gateway = gateways
        reads = await r.settings.read()
        for read in reads:
            check(read)
        results = await r.settings.remove_gateway_and_dns()
        assert all(isinstance(result.outcome, Outcome) for result in results)


def test_clean_host() -> None:
    assert clean_host("2001:db8::5%\n-I FORWARD 1 -j ACCEPT") == "2001:db8::5"
    assert clean_host("Time.YS7.com") == "time.ys7.com"
    assert clean_host("evil.example\n-j ACCEPT") == UNSHOWABLE
    assert clean_host("a" * 300) == UNSHOWABLE
    assert clean_host("  ") is None
    assert clean_host(None) is None
    assert clean_host("::ffff:192.168.1.1") == str(ipaddress.ip_address("::ffff:192.168.1.1"))
