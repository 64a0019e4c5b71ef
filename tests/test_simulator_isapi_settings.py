"""The Hikvision persona keeps its cloud, UPnP, DDNS and time settings, over ISAPI with Digest.

Plain HTTP with aiohttp's Digest middleware, as the product sends it: every resource answers
its factory default, a PUT (whole or partial) is read back, NTP is one setting whether ISAPI or
ONVIF reads it, and each setting fault answers as firmwares do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
from lxml import etree
import pytest

from simulator import CameraConfig, Quirk, VirtualCamera
from simulator.setting_faults import SettingFault

from .test_simulator_support import client

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
async def hikvision() -> AsyncIterator[VirtualCamera]:
    """A Hikvision camera out of the box."""
    async with VirtualCamera(CameraConfig(persona="hikvision", rtsp=False)) as camera:
        yield camera


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A session that answers Digest challenges with the test credentials."""
    middlewares = (aiohttp.DigestAuthMiddleware("admin", "secret"),)
    async with aiohttp.ClientSession(middlewares=middlewares) as session:
        yield session


async def get(session: aiohttp.ClientSession, camera: VirtualCamera, path: str) -> etree._Element:
    """GET an ISAPI document that must be there."""
    async with session.get(camera.url(f"/ISAPI/{path}")) as response:
        assert response.status == 200, await response.text()
        return etree.fromstring(await response.read())


async def put(
    session: aiohttp.ClientSession, camera: VirtualCamera, path: str, body: str
) -> tuple[int, str]:
    """PUT a document; (status, subStatusCode of the ResponseStatus)."""
    async with session.put(camera.url(f"/ISAPI/{path}"), data=body.encode()) as response:
        status = etree.fromstring(await response.read())
        return response.status, field(status, "subStatusCode")


def field(document: etree._Element, path: str) -> str:
    """The text at a slash path of local names (namespaces differ between resources)."""
    element = document
    for name in path.split("/"):
        found = [child for child in element if etree.QName(child).localname == name]
        assert found, (path, etree.tostring(document))
        element = found[0]
    return element.text or ""


async def test_every_resource_answers_its_factory_default(
    hikvision: VirtualCamera, http: aiohttp.ClientSession
) -> None:
    ezviz = await get(http, hikvision, "System/Network/EZVIZ")
    assert etree.QName(ezviz).namespace == "http://www.isapi.org/ver20/XMLSchema"
    assert field(ezviz, "enabled") == "true"
    assert field(ezviz, "serverAddress/hostName") == "litedev.hik-connect.com"
    ehome = await get(http, hikvision, "System/Network/Ehome")
    assert (field(ehome, "enabled"), field(ehome, "portNo")) == ("false", "7660")
    assert field(await get(http, hikvision, "System/Network/UPnP"), "enabled") == "true"
    ports = await get(http, hikvision, "System/Network/UPnP/ports")
    assert field(ports, "enabled") == "true"
    assert [p.findtext("{*}protocol") for p in ports.iterfind("{*}portList/{*}port")] == [
        "HTTP",
        "RTSP",
        "SDK",
    ]
    ddns = await get(http, hikvision, "System/Network/DDNS")
    assert etree.QName(ddns).localname == "DDNSList"
    assert field(ddns, "DDNS/provider") == "HiDDNS"
    assert field(ddns, "DDNS/serverAddress/hostName") == "www.hik-online.com"
    assert field(await get(http, hikvision, "System/Network/DDNS/1"), "enabled") == "false"
    assert field(await get(http, hikvision, "System/PictureServer"), "enabled") == "false"
    assert field(await get(http, hikvision, "System/time"), "timeMode") == "NTP"
    server = await get(http, hikvision, "System/time/ntpServers/1")
    assert (field(server, "addressingFormatType"), field(server, "hostName")) == (
        "hostname",
        "time.ys7.com",
    )
    listing = await get(http, hikvision, "System/time/ntpServers")
    assert field(listing, "NTPServer/hostName") == "time.ys7.com"
    # Counted twice: the Digest challenge, then the answer.
    assert hikvision.request_counts["ISAPI/System/Network/EZVIZ"] == 2


async def test_what_it_is_told_is_read_back(
    hikvision: VirtualCamera, http: aiohttp.ClientSession
) -> None:
    assert await put(
        http, hikvision, "System/Network/EZVIZ", "<EZVIZ><enabled>false</enabled></EZVIZ>"
    ) == (200, "ok")
    ezviz = await get(http, hikvision, "System/Network/EZVIZ")
    assert field(ezviz, "enabled") == "false"
    assert field(ezviz, "serverAddress/hostName") == "litedev.hik-connect.com"
    ports = "<ports><enabled>false</enabled><mapmode>auto</mapmode><portList/></ports>"
    assert await put(http, hikvision, "System/Network/UPnP/ports", ports) == (200, "ok")
    ports_now = await get(http, hikvision, "System/Network/UPnP/ports")
    assert field(ports_now, "enabled") == "false"
    assert ports_now.find("{*}portList/{*}port") is None
    ddns = '<DDNS xmlns="http://www.hikvision.com/ver20/XMLSchema"><enabled>true</enabled></DDNS>'
    assert await put(http, hikvision, "System/Network/DDNS/1", ddns) == (200, "ok")
    assert field(await get(http, hikvision, "System/Network/DDNS"), "DDNS/enabled") == "true"
    ehome = "<Ehome><enabled>true</enabled><registerStatus>true</registerStatus></Ehome>"
    assert await put(http, hikvision, "System/Network/Ehome?centerID=1", ehome) == (200, "ok")
    ehome_now = await get(http, hikvision, "System/Network/Ehome")
    assert (field(ehome_now, "enabled"), field(ehome_now, "registerStatus")) == ("true", "false")
    await hikvision.reboot()
    assert field(await get(http, hikvision, "System/Network/EZVIZ"), "enabled") == "false"


async def test_ntp_is_one_setting_for_isapi_and_onvif(
    hikvision: VirtualCamera, http: aiohttp.ClientSession
) -> None:
    server = (
        "<NTPServer><id>1</id><addressingFormatType>ipaddress</addressingFormatType>"
        "<ipAddress>198.18.0.1</ipAddress><portNo>123</portNo>"
        "<synchronizeInterval>60</synchronizeInterval></NTPServer>"
    )
    assert await put(http, hikvision, "System/time/ntpServers/1", server) == (200, "ok")
    assert hikvision.network.ntp == ["198.18.0.1"]
    assert hikvision.network.ntp_interval == 60
    async with client(hikvision) as device:
        mgmt = await device.create_devicemgmt_service()
        assert [h.IPv4Address for h in (await mgmt.GetNTP()).NTPManual] == ["198.18.0.1"]
        await mgmt.SetNTP({"FromDHCP": False, "NTPManual": [{"Type": "DNS", "DNSname": "ntp.lan"}]})
        read = await get(http, hikvision, "System/time/ntpServers/1")
        assert (field(read, "addressingFormatType"), field(read, "hostName")) == (
            "hostname",
            "ntp.lan",
        )
        assert await put(
            http, hikvision, "System/time", "<Time><timeMode>manual</timeMode></Time>"
        ) == (200, "ok")
        assert (await mgmt.GetSystemDateAndTime()).DateTimeType == "Manual"
    assert hikvision.network.effective_ntp == []
    assert await put(http, hikvision, "System/time", "<Time><timeMode>GPS</timeMode></Time>") == (
        400,
        "badXmlContent",
    )


async def test_wrong_bodies_change_nothing(
    hikvision: VirtualCamera, http: aiohttp.ClientSession
) -> None:
    assert await put(http, hikvision, "System/Network/EZVIZ", "<EZVIZ><enabled>") == (
        400,
        "badXmlFormat",
    )
    for body in (
        "<EZVIZ><enabled>maybe</enabled></EZVIZ>",
        "<UPnP><enabled>false</enabled></UPnP>",
    ):
        status = await put(http, hikvision, "System/Network/EZVIZ", body)
        assert status in {(400, "badXmlContent")}, body
    assert field(await get(http, hikvision, "System/Network/EZVIZ"), "enabled") == "true"
    bad_port = "<ports><portList><port><internalPort>http</internalPort></port></portList></ports>"
    assert await put(http, hikvision, "System/Network/UPnP/ports", bad_port) == (
        400,
        "badXmlContent",
    )
    url = hikvision.url("/ISAPI/System/Network/EZVIZ")
    async with (
        aiohttp.ClientSession() as anonymous,
        anonymous.put(url, data=b"<EZVIZ/>") as response,
    ):
        assert response.status == 401
        assert b"userCheck" in await response.read()
    # An element the firmware does not have, or one more than it has, is ignored.
    extra = (
        "<EZVIZ><enabled>false</enabled><cloudStorage>on</cloudStorage>"
        "<enabled>nope</enabled></EZVIZ>"
    )
    assert await put(http, hikvision, "System/Network/EZVIZ", extra) == (200, "ok")
    assert field(await get(http, hikvision, "System/Network/EZVIZ"), "enabled") == "false"


@pytest.mark.parametrize("how", ["setting", "quirk"])
async def test_an_ignored_change_is_answered_ok_and_reads_back_old(
    http: aiohttp.ClientSession, how: str
) -> None:
    config = CameraConfig(
        persona="hikvision",
        rtsp=False,
        setting_faults={"System/Network/EZVIZ": SettingFault.IGNORED} if how == "setting" else {},
        quirks=frozenset({Quirk.SETTINGS_IGNORED}) if how == "quirk" else frozenset(),
    )
    async with VirtualCamera(config) as camera:
        body = "<EZVIZ><enabled>false</enabled></EZVIZ>"
        assert await put(http, camera, "System/Network/EZVIZ", body) == (200, "ok")
        assert field(await get(http, camera, "System/Network/EZVIZ"), "enabled") == "true"
        upnp = "<UPnP><enabled>false</enabled></UPnP>"
        assert await put(http, camera, "System/Network/UPnP", upnp) == (200, "ok")
        expected = "true" if how == "quirk" else "false"
        assert field(await get(http, camera, "System/Network/UPnP"), "enabled") == expected


async def test_a_read_only_user_and_a_missing_setting(http: aiohttp.ClientSession) -> None:
    config = CameraConfig(
        persona="hikvision",
        rtsp=False,
        quirks=frozenset({Quirk.SETTINGS_READ_ONLY}),
        setting_faults={"System/Network/Ehome": SettingFault.UNSUPPORTED},
    )
    async with VirtualCamera(config) as camera:
        body = "<EZVIZ><enabled>false</enabled></EZVIZ>"
        assert await put(http, camera, "System/Network/EZVIZ", body) == (403, "lowPrivilege")
        assert field(await get(http, camera, "System/Network/EZVIZ"), "enabled") == "true"
        for method in ("GET", "PUT"):
            async with http.request(
                method, camera.url("/ISAPI/System/Network/Ehome"), data=b"<Ehome/>"
            ) as response:
                assert response.status == 404
                assert field(etree.fromstring(await response.read()), "subStatusCode") == (
                    "notSupport"
                )
        camera.set_quirk(Quirk.SETTINGS_READ_ONLY, enabled=False)
        camera.set_setting_fault("System/Network/EZVIZ", SettingFault.REFUSED)
        assert await put(http, camera, "System/Network/EZVIZ", body) == (403, "lowPrivilege")
        assert await put(
            http, camera, "System/Network/UPnP", "<UPnP><enabled>false</enabled></UPnP>"
        ) == (200, "ok")
