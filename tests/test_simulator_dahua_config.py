"""The Dahua persona keeps its configuration tables, over configManager.cgi and RPC2.

The CGI with aiohttp's Digest middleware; RPC2 with the two-step login (challenge, then the
MD5 of user, random and the realm hash), as logicblocks' client performs it. Writes are read
back over both; NTP is one setting with ONVIF; each setting fault answers as firmwares do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import hashlib
from typing import Any

import aiohttp
import pytest
from yarl import URL

from simulator import CameraConfig, Quirk, VirtualCamera
from simulator.setting_faults import SettingFault

from .test_simulator_support import client

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
async def dahua() -> AsyncIterator[VirtualCamera]:
    """A Dahua camera out of the box."""
    async with VirtualCamera(CameraConfig(persona="dahua", rtsp=False)) as camera:
        yield camera


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A session that answers Digest challenges with the test credentials."""
    middlewares = (aiohttp.DigestAuthMiddleware("admin", "secret"),)
    async with aiohttp.ClientSession(middlewares=middlewares) as session:
        yield session


async def cgi(session: aiohttp.ClientSession, camera: VirtualCamera, query: str) -> tuple[int, str]:
    """One configManager.cgi request: (status, body).

    Sent as written (``encoded=True``): yarl would send ``DDNS[0]`` as ``DDNS%5B0%5D`` while
    the Digest middleware signs the brackets, and the camera compares the two strictly.
    """
    url = URL(camera.url(f"/cgi-bin/configManager.cgi?{query}"), encoded=True)
    async with session.get(url) as response:
        return response.status, await response.text()


async def table(session: aiohttp.ClientSession, camera: VirtualCamera, name: str) -> dict[str, str]:
    """getConfig over the CGI, as key → value (keys without ``table.``)."""
    status, text = await cgi(session, camera, f"action=getConfig&name={name}")
    assert status == 200, text
    lines = [line.split("=", 1) for line in text.splitlines() if line]
    return {key.removeprefix("table."): value for key, value in lines}


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest().upper()  # noqa: S324 - Dahua's hash


class Rpc2:
    """A minimal RPC2 client: login, then calls in the session."""

    def __init__(self, session: aiohttp.ClientSession, camera: VirtualCamera) -> None:
        self.session, self.camera, self.id, self.token = session, camera, 0, ""

    async def post(self, path: str, method: str, params: Any, **extra: Any) -> dict[str, Any]:
        self.id += 1
        body = {"method": method, "params": params, "id": self.id, **extra}
        async with self.session.post(self.camera.url(path), json=body) as response:
            assert response.status == 200
            answer: dict[str, Any] = await response.json()
            assert answer["id"] == self.id
            return answer

    async def login(self, password: str = "secret") -> dict[str, Any]:  # noqa: S107
        params = {"userName": "admin", "password": "", "clientType": "Dahua3.0-Web3.0"}
        challenge = await self.post("/RPC2_Login", "global.login", params)
        assert challenge["result"] is False
        assert challenge["error"]["code"] == 268632079
        realm, random = challenge["params"]["realm"], challenge["params"]["random"]
        assert challenge["params"]["encryption"] == "Default"
        digest = _md5(f"admin:{random}:{_md5(f'admin:{realm}:{password}')}")
        answer = await self.post(
            "/RPC2_Login",
            "global.login",
            {**params, "password": digest, "authorityType": "Default", "passwordType": "Default"},
            session=challenge["session"],
        )
        if answer["result"]:
            self.token = answer["session"]
        return answer

    async def call(self, method: str, params: Any) -> dict[str, Any]:
        return await self.post("/RPC2", method, params, session=self.token)


async def test_every_table_answers_its_factory_default(
    dahua: VirtualCamera, http: aiohttp.ClientSession
) -> None:
    assert await table(http, dahua, "T2UServer") == {
        "T2UServer.Enable": "true",
        "T2UServer.UUID": dahua.config.serial,
    }
    assert (await table(http, dahua, "VSP_PaaS"))["VSP_PaaS.Enable"] == "true"
    push = await table(http, dahua, "MobilePhoneApplication")
    assert push["MobilePhoneApplication.PushNotificationEnable"] == "true"
    upnp = await table(http, dahua, "UPnP")
    assert upnp["UPnP.Enable"] == "true"
    assert upnp["UPnP.MapTable[1].InnerPort"] == "554"
    ddns = await table(http, dahua, "DDNS")
    assert (ddns["DDNS[0].Enable"], ddns["DDNS[0].Address"]) == ("false", "www.dahuaddns.com")
    assert await table(http, dahua, "Telnet") == {"Telnet.Enable": "false"}
    ntp = await table(http, dahua, "NTP")
    assert (ntp["NTP.Enable"], ntp["NTP.Address"], ntp["NTP.Port"]) == (
        "true",
        "clock.isc.org",
        "123",
    )
    # The CGI of this firmware lacks the cloud upgrade table; RPC2 has it.
    assert await cgi(http, dahua, "action=getConfig&name=CloudUpgrade") == (
        400,
        "Error\r\nBad Request!\r\n",
    )
    rpc = Rpc2(http, dahua)
    assert (await rpc.login())["result"] is True
    answer = await rpc.call("configManager.getConfig", {"name": "CloudUpgrade"})
    assert answer == {
        "result": True,
        "params": {"table": {"AutoCheck": True}},
        "id": rpc.id,
        "session": rpc.token,
    }
    answer = await rpc.call("configManager.getConfig", {"name": "DDNS"})
    assert answer["params"]["table"][0]["Port"] == 80


async def test_what_it_is_told_is_read_back(
    dahua: VirtualCamera, http: aiohttp.ClientSession
) -> None:
    query = (
        "action=setConfig&T2UServer.Enable=false&DDNS[0].Enable=true&UPnP.MapTable[0].Enable=false"
    )
    assert await cgi(http, dahua, query) == (200, "OK\r\n")
    assert (await table(http, dahua, "T2UServer"))["T2UServer.Enable"] == "false"
    assert (await table(http, dahua, "DDNS"))["DDNS[0].Enable"] == "true"
    assert (await table(http, dahua, "UPnP"))["UPnP.MapTable[0].Enable"] == "false"
    rpc = Rpc2(http, dahua)
    await rpc.login()
    assert (await rpc.call("configManager.getConfig", {"name": "T2UServer"}))["params"] == {
        "table": {"Enable": False, "UUID": dahua.config.serial}
    }
    answer = await rpc.call(
        "configManager.setConfig",
        {"name": "VSP_PaaS", "table": {"Enable": False, "Unknown": 1}, "options": []},
    )
    assert (answer["result"], answer["params"]) == (True, {"options": []})
    assert (await table(http, dahua, "VSP_PaaS"))["VSP_PaaS.Enable"] == "false"
    await rpc.call(
        "configManager.setConfig", {"name": "CloudUpgrade", "table": {"AutoCheck": False}}
    )
    cloud = await rpc.call("configManager.getConfig", {"name": "CloudUpgrade"})
    assert cloud["params"]["table"] == {"AutoCheck": False}
    await dahua.reboot()
    assert (await table(http, dahua, "T2UServer"))["T2UServer.Enable"] == "false"
    # A reboot ends the RPC2 session.
    stale = await rpc.call("configManager.getConfig", {"name": "T2UServer"})
    assert stale["error"]["code"] == 287637505


async def test_ntp_is_one_setting_for_the_cgi_rpc2_and_onvif(
    dahua: VirtualCamera, http: aiohttp.ClientSession
) -> None:
    assert await cgi(http, dahua, "action=setConfig&NTP.Address=198.18.0.1") == (200, "OK\r\n")
    async with client(dahua) as device:
        mgmt = await device.create_devicemgmt_service()
        assert [h.IPv4Address for h in (await mgmt.GetNTP()).NTPManual] == ["198.18.0.1"]
        await mgmt.SetNTP({"FromDHCP": False, "NTPManual": [{"Type": "DNS", "DNSname": "ntp.lan"}]})
    rpc = Rpc2(http, dahua)
    await rpc.login()
    ntp = (await rpc.call("configManager.getConfig", {"name": "NTP"}))["params"]["table"]
    assert ntp["Address"] == "ntp.lan"
    await rpc.call("configManager.setConfig", {"name": "NTP", "table": {"Enable": False}})
    assert dahua.network.effective_ntp == []
    assert (await table(http, dahua, "NTP"))["NTP.Enable"] == "false"


async def test_wrong_writes_change_nothing(
    dahua: VirtualCamera, http: aiohttp.ClientSession
) -> None:
    for query in (
        "action=setConfig&T2UServer.Enable=maybe",
        "action=setConfig&T2UServer.Enable=false&T2UServer.Nope=1",
        "action=setConfig&Nope.Enable=false",
        "action=setConfig&DDNS[3].Enable=true",
        "action=setConfig&DDNS[0].Port=eighty",
        "action=setConfig&UPnP.MapTable=1",
        "action=setConfig",
        "action=getConfig&name=Nope",
        "action=unknown",
    ):
        assert await cgi(http, dahua, query) == (400, "Error\r\nBad Request!\r\n"), query
    assert (await table(http, dahua, "T2UServer"))["T2UServer.Enable"] == "true"
    rpc = Rpc2(http, dahua)
    assert (await rpc.login("wrong"))["result"] is False
    assert (await rpc.call("configManager.getConfig", {"name": "T2UServer"}))["result"] is False
    await rpc.login()
    for params in (
        {"name": "T2UServer", "table": {"Enable": "no"}},
        {"name": "T2UServer", "table": [1]},
        {"name": "Nope", "table": {}},
    ):
        assert (await rpc.call("configManager.setConfig", params))["result"] is False, params
    assert (await rpc.call("magicBox.reboot", None))["result"] is False
    async with aiohttp.ClientSession() as anonymous:
        async with anonymous.get(
            dahua.url("/cgi-bin/configManager.cgi?action=getConfig&name=NTP")
        ) as response:
            assert response.status == 401
        async with anonymous.post(dahua.url("/RPC2"), data=b"not json") as response:
            assert response.status == 400


async def test_ignored_refused_and_unsupported_tables(http: aiohttp.ClientSession) -> None:
    config = CameraConfig(
        persona="dahua",
        rtsp=False,
        setting_faults={
            "T2UServer": SettingFault.IGNORED,
            "VSP_PaaS": SettingFault.REFUSED,
            "Telnet": SettingFault.UNSUPPORTED,
        },
    )
    async with VirtualCamera(config) as camera:
        assert await cgi(
            camera=camera, session=http, query="action=setConfig&T2UServer.Enable=false"
        ) == (200, "OK\r\n")
        assert (await table(http, camera, "T2UServer"))["T2UServer.Enable"] == "true"
        assert await cgi(http, camera, "action=setConfig&VSP_PaaS.Enable=false") == (
            403,
            "Error\r\nNo Authority!\r\n",
        )
        assert (await table(http, camera, "VSP_PaaS"))["VSP_PaaS.Enable"] == "true"
        assert (await cgi(http, camera, "action=getConfig&name=Telnet"))[0] == 400
        assert (await cgi(http, camera, "action=setConfig&Telnet.Enable=false"))[0] == 400
        rpc = Rpc2(http, camera)
        await rpc.login()
        ignored = await rpc.call(
            "configManager.setConfig", {"name": "T2UServer", "table": {"Enable": False}}
        )
        assert ignored["result"] is True
        assert (await table(http, camera, "T2UServer"))["T2UServer.Enable"] == "true"
        refused = await rpc.call(
            "configManager.setConfig", {"name": "VSP_PaaS", "table": {"Enable": False}}
        )
        assert (refused["result"], refused["error"]["message"]) == (False, "No Authority!")
        missing = await rpc.call("configManager.getConfig", {"name": "Telnet"})
        assert missing["result"] is False
        camera.set_quirk(Quirk.SETTINGS_READ_ONLY)
        camera.set_setting_fault("T2UServer", None)
        assert (await cgi(http, camera, "action=setConfig&UPnP.Enable=false"))[0] == 403
