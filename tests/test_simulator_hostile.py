"""The hostile persona tells each lie it is asked to, and the lie reaches the client intact.

Read the way production reads it: ``OnvifClient`` (onvif-zeep-async on Homebound's own device
WSDL) probes the camera, and its Device service asks ``GetNetworkInterfaces`` again so that the
raw texts can be compared with what the camera was told to claim. Whether the product refuses
these lies is the firewall's business (issue 14); here only the simulator is on trial.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import contextlib
from pathlib import Path
from typing import Any

import aiohttp
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree
import pytest

from custom_components.homebound.device.client import OnvifClient
from simulator import CameraConfig, VirtualCamera
from simulator.control import ControlServer
from simulator.lies import Lies
from simulator.personas.hostile import (
    IPTABLES_INJECTION,
    LAN_SERVER,
    NFT_INJECTION,
    OTHER_HOST_MAC,
)

from .test_simulator_support import NS, build_onvif_schema, post, soap_request

HA_HOST_MAC = "02:48:42:00:00:0a"


@contextlib.asynccontextmanager
async def probed(camera: VirtualCamera) -> AsyncIterator[tuple[OnvifClient, Any]]:
    """A connected production client and the interfaces its Device service reads now."""
    async with aiohttp.ClientSession() as session:
        client = OnvifClient(camera.host, camera.onvif_port, "admin", "secret", session)
        await client.async_connect()
        try:
            devicemgmt = await client.service("devicemgmt")
            yield client, await client.call(devicemgmt.GetNetworkInterfaces())
        finally:
            await client.async_close()


def claimed(interfaces: Any) -> tuple[str | None, list[str], list[str]]:
    """(HwAddress, IPv4 manual addresses, IPv6 manual addresses) as zeep read them."""
    (interface,) = interfaces
    mac = interface.Info.HwAddress if interface.Info is not None else None
    four = [item.Address for item in interface.IPv4.Config.Manual or []]
    six = (
        [item.Address for item in interface.IPv6.Config.Manual or []]
        if interface.IPv6 is not None
        else []
    )
    return mac, four, six


async def test_the_hostile_persona_lies_by_default() -> None:
    async with VirtualCamera(CameraConfig(persona="hostile", rtsp=False)) as camera:
        assert camera.config.mac != OTHER_HOST_MAC
        async with probed(camera) as (client, interfaces):
            assert claimed(interfaces) == (OTHER_HOST_MAC, [LAN_SERVER], [IPTABLES_INJECTION])
            assert client.info is not None
            assert client.info.identity.mac == OTHER_HOST_MAC
        assert "\n-I FORWARD 1 -j ACCEPT" in IPTABLES_INJECTION


@pytest.mark.parametrize(
    ("lies", "expected"),
    [
        (Lies(mac=HA_HOST_MAC), (HA_HOST_MAC, ["127.0.0.1"], [])),
        (Lies(mac="", addresses=("127.0.0.1",)), (None, ["127.0.0.1"], [])),
        (Lies(addresses=(NFT_INJECTION,)), ("__own__", [], [NFT_INJECTION])),
        (
            Lies(mac="aa:bb:cc:dd:ee:ff", addresses=("198.18.0.1", "2001:db8::1", "::1")),
            ("aa:bb:cc:dd:ee:ff", ["198.18.0.1"], ["2001:db8::1", "::1"]),
        ),
    ],
    ids=["ha-host-mac", "no-mac", "nft-injection", "another-host"],
)
async def test_each_lie_reaches_the_client(lies: Lies, expected: tuple[Any, ...]) -> None:
    async with VirtualCamera(CameraConfig(rtsp=False, lies=lies)) as camera:
        own = camera.config.mac
        async with probed(camera) as (client, interfaces):
            mac, four, six = expected
            assert claimed(interfaces) == (own if mac == "__own__" else mac, four, six)
            assert client.info is not None
            if mac is None:
                # No MAC: production falls back on the serial for the camera's identity.
                assert client.info.identity.mac is None
                assert client.info.identity.unique_id == camera.config.serial.lower()


async def test_lies_change_at_runtime_and_reach_scopes(camera: VirtualCamera) -> None:
    async with aiohttp.ClientSession() as session:
        _, answer, _ = await post(
            session, camera, "/onvif/device_service", soap_request("tds:GetScopes")
        )
        assert answer is not None
        assert f"onvif://www.onvif.org/MAC/{camera.config.mac}" in _scopes(answer)
        camera.set_lies(mac="02:00:00:00:00:01 <&>")
        _, answer, _ = await post(
            session, camera, "/onvif/device_service", soap_request("tds:GetScopes")
        )
        assert answer is not None
        assert "onvif://www.onvif.org/MAC/02:00:00:00:00:01%20%3C%26%3E" in _scopes(answer)
        camera.set_lies(mac="")
        _, answer, _ = await post(
            session, camera, "/onvif/device_service", soap_request("tds:GetScopes")
        )
        assert answer is not None
        assert not [s for s in _scopes(answer) if "/MAC/" in s]
    camera.set_lies()
    assert camera.lies.truthful


def _scopes(answer: etree._Element) -> list[str]:
    return [e.text or "" for e in answer.iterfind("tds:Scopes/tt:ScopeItem", NS)]


async def test_lies_validate_against_the_onvif_schema(tmp_path: Path) -> None:
    schema = build_onvif_schema(tmp_path)
    lies = Lies(mac="", addresses=(LAN_SERVER, IPTABLES_INJECTION, NFT_INJECTION))
    async with (
        VirtualCamera(CameraConfig(rtsp=False, lies=lies, dhcp=True)) as camera,
        aiohttp.ClientSession() as session,
    ):
        status, answer, raw = await post(
            session, camera, "/onvif/device_service", soap_request("tds:GetNetworkInterfaces")
        )
    assert status == 200, raw
    assert answer is not None
    assert schema.validate(answer), schema.error_log
    assert answer.findtext(".//tt:IPv4/tt:Config/tt:DHCP", namespaces=NS) == "true"


def test_text_xml_cannot_carry_is_refused() -> None:
    with pytest.raises(ValueError, match="XML"):
        Lies(mac="02:00\x00")
    with pytest.raises(ValueError, match="XML"):
        Lies(addresses=("2001:db8::1%\x1b[31m",))
    with pytest.raises(TypeError):
        Lies(addresses="2001:db8::1")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CameraConfig(lies={"mac": "x"})  # type: ignore[arg-type]


async def test_the_control_api_picks_the_lie(camera: VirtualCamera) -> None:
    control = ControlServer([camera])
    port = await control.start()
    try:
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{port}/cameras/0/lies"
            async with session.post(
                url, json={"mac": HA_HOST_MAC, "addresses": [IPTABLES_INJECTION]}
            ) as response:
                assert response.status == 200
                described = await response.json()
            assert described["lies"] == {"mac": HA_HOST_MAC, "addresses": [IPTABLES_INJECTION]}
            for bad in ({"mac": 1}, {"addresses": "x"}, {"addresses": [1]}, {"mac": "\x00"}):
                async with session.post(url, json=bad) as response:
                    assert response.status == 400, bad
            async with session.post(url, json={"mac": None, "addresses": None}) as response:
                assert (await response.json())["lies"] == {"mac": None, "addresses": None}
    finally:
        await control.stop()
    camera.set_lies(HA_HOST_MAC, (IPTABLES_INJECTION,))
    async with probed(camera) as (_, interfaces):
        assert claimed(interfaces) == (HA_HOST_MAC, [], [IPTABLES_INJECTION])


# XML 1.0 text without the characters it cannot carry; CR and LF included (an XML parser
# turns a raw CR into LF, so the simulator must escape it to make it arrive as it was).
_XML_TEXT = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00\ufffe\uffff").filter(
        lambda c: c in "\t\n\r" or ord(c) >= 0x20
    ),
    min_size=1,
    max_size=40,
)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mac=_XML_TEXT, address=_XML_TEXT.map(lambda text: f"2001:db8::7%{text}"))
async def test_any_text_xml_can_carry_arrives_as_it_was(
    camera: VirtualCamera, mac: str, address: str
) -> None:
    camera.set_lies(mac, (address,))
    async with aiohttp.ClientSession() as session:
        client = OnvifClient(camera.host, camera.onvif_port, "admin", "secret", session)
        await client.async_connect()
        try:
            devicemgmt = await client.service("devicemgmt")
            interfaces = await client.call(devicemgmt.GetNetworkInterfaces())
        finally:
            await client.async_close()
    assert claimed(interfaces) == (mac, [], [address])
