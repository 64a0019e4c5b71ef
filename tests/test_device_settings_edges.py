"""Settings answers no polite camera gives: each one's reading or outcome, deterministically.

A scripted web server on loopback answers each path as a test says (the fuzz test throws
random answers; this one pins what each odd answer must come to).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import contextlib
import json
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.homebound.device.dahua_settings import DahuaSettings
from custom_components.homebound.device.errors import CameraProtocolError, CameraUnreachableError
from custom_components.homebound.device.hikvision_settings import HikvisionSettings
from custom_components.homebound.device.settings_model import (
    Outcome,
    SettingId,
    SettingRead,
    State,
    is_local,
)
from custom_components.homebound.device.vendor_http import VendorHttp

EZVIZ = "/ISAPI/System/Network/EZVIZ"
CONFIG = "/cgi-bin/configManager.cgi"
type Reply = tuple[int, bytes] | None
"""(status, body); None: never answer."""


class Scripted:
    """Answers by (method, path): its replies in turn, over and over."""

    def __init__(self) -> None:
        self.replies: dict[tuple[str, str], list[Reply]] = {}
        self.calls: list[tuple[str, str]] = []
        self.never = asyncio.Event()

    def on(self, method: str, path: str, *replies: Reply) -> None:
        self.replies[(method, path)] = list(replies)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        await request.read()
        key = (request.method, request.path)
        self.calls.append(key)
        replies = self.replies.get(key) or [(404, b"")]
        reply = replies[0]
        replies.append(replies.pop(0))
        if reply is None:
            await self.never.wait()
            raise web.HTTPServiceUnavailable
        if reply[0] == -1:  # a body that says it is longer than it is
            response = web.StreamResponse(headers={"Content-Length": "100"})
            await response.prepare(request)
            await response.write(reply[1])
            assert request.transport is not None
            request.transport.close()
            return response
        if reply[0] == -2:  # a body without a length (chunked)
            response = web.StreamResponse()
            response.enable_chunked_encoding()
            await response.prepare(request)
            await response.write(reply[1])
            await response.write_eof()
            return response
        return web.Response(status=reply[0], body=reply[1])


@contextlib.asynccontextmanager
async def scripted() -> AsyncIterator[tuple[Scripted, VendorHttp]]:
    """The scripted server and a VendorHttp to it (short timeout)."""
    server = Scripted()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        async with aiohttp.ClientSession() as session:
            base = f"http://127.0.0.1:{runner.addresses[0][1]}"
            yield server, VendorHttp(session, base, "admin", "secret", timeout=0.5)
    finally:
        server.never.set()
        await runner.cleanup()


def ezviz(enabled: str = "true", host: str = "litedev.hik-connect.com") -> bytes:
    return (
        '<EZVIZ xmlns="http://example.com/other"><enabled>'
        f"{enabled}</enabled><serverAddress><hostName>{host}</hostName></serverAddress></EZVIZ>"
    ).encode()


def status(code: str, sub: str) -> bytes:
    return (
        f"<ResponseStatus><statusCode>{code}</statusCode><subStatusCode>{sub}</subStatusCode>"
        "</ResponseStatus>"
    ).encode()


async def read_ezviz(replies: list[Reply]) -> SettingRead:
    async with scripted() as (server, http):
        server.on("GET", EZVIZ, *replies)
        return await HikvisionSettings(http).read_one(SettingId.HIK_CONNECT)


@pytest.mark.parametrize(
    ("reply", "state"),
    [
        ((200, b"<!DOCTYPE x><EZVIZ><enabled>true</enabled></EZVIZ>"), State.UNREADABLE),
        ((200, b"<UPnP><enabled>true</enabled></UPnP>"), State.UNREADABLE),
        ((200, b"<EZVIZ><enabled>"), State.UNREADABLE),
        ((200, b""), State.UNREADABLE),
        ((200, ezviz("yes")), State.UNREADABLE),
        ((200, b"x" * 70_000), State.FAILED),
        ((-1, b"<EZVIZ>"), State.FAILED),
        ((401, b""), State.FAILED),
        ((500, b""), State.FAILED),
        ((403, b""), State.REFUSED),
        ((405, b""), State.UNSUPPORTED),
        ((200, ezviz(" TRUE ")), State.ON),
        (None, State.FAILED),
    ],
    ids=[
        "doctype",
        "wrong-root",
        "malformed",
        "empty",
        "not-a-flag",
        "too-large",
        "cut-short",
        "unauthorized",
        "server-error",
        "forbidden",
        "not-allowed",
        "odd-namespace-and-case",
        "no-answer",
    ],
)
async def test_odd_isapi_answers(reply: Reply, state: State) -> None:
    read = await read_ezviz([reply])
    assert read.state is state
    if state is not State.ON:
        assert read.detail


async def test_hostile_server_names_are_never_shown() -> None:
    read = await read_ezviz([(200, ezviz(host="evil.example&#10;-j ACCEPT"))])
    assert read.servers == ("(unreadable)",)
    read = await read_ezviz([(200, ezviz(host="2001:db8::5%&#10;-I FORWARD 1 -j ACCEPT"))])
    assert read.servers == ("2001:db8::5",)


@pytest.mark.parametrize(
    ("reply", "outcome"),
    [
        ((200, status("4", "lowPrivilege")), Outcome.REFUSED),
        ((403, status("4", "notSupport")), Outcome.UNSUPPORTED),
        ((400, status("6", "badXmlContent")), Outcome.UNSUPPORTED),
        ((500, b""), Outcome.FAILED),
        ((200, status("7", "rebootRequired")), Outcome.IGNORED),
        (None, Outcome.FAILED),
    ],
    ids=["low-privilege", "not-support", "bad-content", "error", "reboot-ignored", "hangs"],
)
async def test_odd_isapi_put_answers(reply: Reply, outcome: Outcome) -> None:
    async with scripted() as (server, http):
        server.on("GET", EZVIZ, (200, ezviz()))
        server.on("PUT", EZVIZ, reply)
        (result,) = await HikvisionSettings(http).switch_off([SettingId.HIK_CONNECT])
    assert result.outcome is outcome


async def test_a_put_in_the_cameras_own_namespace_only() -> None:
    async with scripted() as (server, http):
        server.on("GET", EZVIZ, (200, ezviz()), (200, ezviz("false")))
        server.on("PUT", EZVIZ, (200, status("1", "ok")))
        (result,) = await HikvisionSettings(http).switch_off([SettingId.HIK_CONNECT])
    assert result.outcome is Outcome.DONE


async def test_odd_dahua_answers() -> None:
    async with scripted() as (server, http):
        server.on("GET", CONFIG, (500, b""))
        client = DahuaSettings(http, "admin", "secret")
        assert (await client.read_one(SettingId.DAHUA_P2P)).state is State.FAILED
        server.on("GET", CONFIG, (400, b"Error\r\n"))
        server.on("POST", "/RPC2_Login", (200, b"not json"))
        read = await client.read_one(SettingId.DAHUA_P2P)
        assert (read.state, read.detail.startswith("not over the CGI")) == (
            State.UNSUPPORTED,
            True,
        )
        server.on("POST", "/RPC2_Login", (200, json.dumps({"result": False}).encode()))
        assert (await client.read_one(SettingId.DAHUA_P2P)).state is State.UNSUPPORTED
        server.on("GET", CONFIG, (200, b"table.T2UServer.Enable=perhaps\r\n"))
        assert (await client.read_one(SettingId.DAHUA_P2P)).state is State.UNREADABLE
        server.on("GET", CONFIG, (200, b"table.NTP.Enable=false\r\ntable.NTP.Address=x\r\n"))
        assert (await client.read_one(SettingId.DAHUA_NTP)).state is State.OFF
        server.on("GET", CONFIG, (200, b"table.NTP.Enable=maybe\r\n"))
        assert (await client.read_one(SettingId.DAHUA_NTP)).state is State.UNREADABLE
        server.on("GET", CONFIG, (403, b""))
        assert (await client.read_one(SettingId.DAHUA_NTP)).state is State.REFUSED


def rpc2(reply: dict[str, Any]) -> Reply:
    return 200, json.dumps(reply).encode()


CHALLENGE = {
    "result": False,
    "error": {"code": 268632079},
    "params": {"realm": "r", "random": "1", "encryption": "Default"},
    "session": "s1",
}


async def test_odd_rpc2_answers() -> None:
    async with scripted() as (server, http):
        server.on("GET", CONFIG, (400, b"Error\r\n"))
        server.on("POST", "/RPC2_Login", rpc2(CHALLENGE), rpc2({"result": True, "session": 7}))
        server.on(
            "POST",
            "/RPC2",
            rpc2({"result": False, "error": {"code": 287637505}}),
            rpc2({"result": True, "params": {"table": {"AutoCheck": True}}}),
            rpc2({"result": False, "error": {"code": 1, "message": "No Authority"}}),
        )
        client = DahuaSettings(http, "admin", "secret")
        (result,) = await client.switch_off([SettingId.DAHUA_CLOUD_UPGRADE])
        # Invalid session: logged in again; the read worked; the write was refused.
        assert result.outcome is Outcome.REFUSED
        assert server.calls.count(("POST", "/RPC2_Login")) == 4
        server.on("POST", "/RPC2", rpc2({"result": True}))
        assert (await client.read_one(SettingId.DAHUA_CLOUD_UPGRADE)).state is State.UNSUPPORTED
        server.on("POST", "/RPC2", (500, b""))
        assert (await client.read_one(SettingId.DAHUA_CLOUD_UPGRADE)).state is State.UNSUPPORTED
    for bad in (
        {**CHALLENGE, "params": {"encryption": "RSA", "realm": "r", "random": "1"}},
        {**CHALLENGE, "params": None},
        {**CHALLENGE, "params": {"realm": 1, "random": "1"}},
    ):
        async with scripted() as (server, http):
            server.on("GET", CONFIG, (400, b"Error\r\n"))
            server.on("POST", "/RPC2_Login", rpc2(bad))
            read = await DahuaSettings(http, "a", "b").read_one(SettingId.DAHUA_P2P)
            assert read.state is State.UNSUPPORTED, bad


async def test_the_http_layer_bounds_what_it_reads() -> None:
    async with scripted() as (server, http):
        server.on("GET", "/big", (200, b"x" * 70_000))
        with pytest.raises(CameraProtocolError, match="announced"):
            await http.request("GET", "/big")
        server.on("GET", "/chunked", (-2, b"x" * 70_000))
        with pytest.raises(CameraProtocolError, match="more than"):
            await http.request("GET", "/chunked")
        server.on("GET", "/small", (-2, b"<x/>"))
        assert (await http.request("GET", "/small")).text == "<x/>"
        server.on("GET", "/short", (-1, b"x"))
        with pytest.raises((CameraProtocolError, CameraUnreachableError)):
            await http.request("GET", "/short")
        server.on("GET", "/hang", None)
        with pytest.raises(CameraUnreachableError, match="in time"):
            await http.request("GET", "/hang")


def test_what_counts_as_local() -> None:
    for host in ("192.168.1.1", "10.0.0.1", "172.16.0.1", "fd00::1", "fe80::1", "127.0.0.1"):
        assert is_local(host), host
    assert is_local("::ffff:192.168.1.1")
    assert is_local("camera.lan")
    assert is_local("printer")
    for host in ("8.8.8.8", "100.64.0.1", "198.18.0.1", "2001:db8::1", "time.ys7.com"):
        assert not is_local(host), host
