"""The camera keeps its NTP, DNS and default gateway, and says whether DHCP is on.

Over onvif-zeep-async (the library's full device WSDL) and raw SOAP checked against the ONVIF
schemas; writes are read back; DHCP wins over a gateway set by hand, as on cameras; each
setting fault (ignored, refused, unsupported) answers the way firmwares do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
from lxml import etree
import pytest
from zeep.exceptions import Fault

from simulator import CameraConfig, Quirk, VirtualCamera
from simulator.control import ControlServer
from simulator.setting_faults import SettingFault

from .test_simulator_support import NS, build_onvif_schema, client, post, soap_request


def subcodes(fault: Fault) -> list[str]:
    """The local names of a zeep fault's subcodes."""
    return [code.localname for code in fault.subcodes or []]


def gateways(answer: Any) -> list[str]:
    """The IPv4 gateways of a GetNetworkDefaultGateway answer (zeep gives None for none)."""
    return list(answer.IPv4Address) if answer is not None else []


def hosts(information: Any, field: str) -> list[str]:
    """The hosts of a zeep NTPInformation list field, whatever their type."""
    return [
        host.DNSname or host.IPv4Address or host.IPv6Address
        for host in getattr(information, field) or []
    ]


async def test_ntp_is_kept_and_read_back(camera: VirtualCamera) -> None:
    async with client(camera) as device:
        mgmt = await device.create_devicemgmt_service()
        ntp = await mgmt.GetNTP()
        assert (ntp.FromDHCP, hosts(ntp, "NTPManual")) == (False, ["pool.ntp.org"])
        await mgmt.SetNTP(
            {
                "FromDHCP": False,
                "NTPManual": [
                    {"Type": "IPv4", "IPv4Address": "198.18.0.1"},
                    {"Type": "DNS", "DNSname": "ntp.lan"},
                    {"Type": "IPv6", "IPv6Address": "fd00::1"},
                ],
            }
        )
        ntp = await mgmt.GetNTP()
        assert hosts(ntp, "NTPManual") == ["198.18.0.1", "ntp.lan", "fd00::1"]
        assert camera.network.effective_ntp == ["198.18.0.1", "ntp.lan", "fd00::1"]
        for bad, subcode in (
            ({"Type": "IPv4", "IPv4Address": "fd00::1"}, "InvalidIPv4Address"),
            ({"Type": "IPv6", "IPv6Address": "nope"}, "InvalidIPv6Address"),
            ({"Type": "DNS", "DNSname": "bad name"}, "InvalidDnsName"),
        ):
            with pytest.raises(Fault) as caught:
                await mgmt.SetNTP({"FromDHCP": False, "NTPManual": [bad]})
            assert subcode in subcodes(caught.value), bad
        assert hosts(await mgmt.GetNTP(), "NTPManual") == ["198.18.0.1", "ntp.lan", "fd00::1"]


async def test_dns_and_gateway_are_kept_and_can_be_removed(camera: VirtualCamera) -> None:
    async with client(camera) as device:
        mgmt = await device.create_devicemgmt_service()
        dns = await mgmt.GetDNS()
        manual = [entry.IPv4Address for entry in dns.DNSManual]
        assert (dns.FromDHCP, manual) == (False, ["8.8.8.8"])
        assert gateways(await mgmt.GetNetworkDefaultGateway()) == ["127.0.0.254"]
        interfaces = await mgmt.GetNetworkInterfaces()
        assert interfaces[0].IPv4.Config.DHCP is False
        await mgmt.SetDNS({"FromDHCP": False, "SearchDomain": ["lan"], "DNSManual": []})
        await mgmt.SetNetworkDefaultGateway({"IPv4Address": [], "IPv6Address": []})
        dns = await mgmt.GetDNS()
        assert (dns.DNSManual, dns.SearchDomain) == ([], ["lan"])
        assert gateways(await mgmt.GetNetworkDefaultGateway()) == []
        assert camera.network.effective_gateway == []
        assert camera.network.effective_dns == []
        with pytest.raises(Fault, match="not IPv4"):
            await mgmt.SetNetworkDefaultGateway({"IPv4Address": ["fd00::1"]})
        await mgmt.SetDNS(
            {"FromDHCP": False, "DNSManual": [{"Type": "IPv4", "IPv4Address": "198.18.0.53"}]}
        )
        assert [e.IPv4Address for e in (await mgmt.GetDNS()).DNSManual] == ["198.18.0.53"]


async def test_dhcp_undoes_a_removed_gateway() -> None:
    """A camera on DHCP accepts the change, and goes on routing through DHCP's gateway."""
    async with (
        VirtualCamera(CameraConfig(rtsp=False, dhcp=True)) as camera,
        client(camera) as device,
    ):
        mgmt = await device.create_devicemgmt_service()
        interface = (await mgmt.GetNetworkInterfaces())[0]
        assert interface.IPv4.Config.DHCP is True
        assert interface.IPv4.Config.FromDHCP.Address == "127.0.0.1"
        before = gateways(await mgmt.GetNetworkDefaultGateway())
        await mgmt.SetNetworkDefaultGateway({"IPv4Address": []})
        assert gateways(await mgmt.GetNetworkDefaultGateway()) == before == ["127.0.0.1"]
        assert camera.network.gateway == []
        camera.set_dhcp(False)
        assert gateways(await mgmt.GetNetworkDefaultGateway()) == []
        assert (await mgmt.GetNetworkInterfaces())[0].IPv4.Config.DHCP is False


@pytest.mark.parametrize("how", ["quirk", "setting"])
async def test_an_ignored_change_reads_back_unchanged(how: str) -> None:
    config = (
        CameraConfig(rtsp=False, quirks=frozenset({Quirk.SETTINGS_IGNORED}))
        if how == "quirk"
        else CameraConfig(rtsp=False, setting_faults={"NTP": SettingFault.IGNORED})
    )
    async with VirtualCamera(config) as camera, client(camera) as device:
        mgmt = await device.create_devicemgmt_service()
        await mgmt.SetNTP({"FromDHCP": False, "NTPManual": [{"Type": "DNS", "DNSname": "x.lan"}]})
        assert hosts(await mgmt.GetNTP(), "NTPManual") == ["pool.ntp.org"]
        await mgmt.SetNetworkDefaultGateway({"IPv4Address": []})
        gateway = gateways(await mgmt.GetNetworkDefaultGateway())
        assert gateway == (["127.0.0.254"] if how == "quirk" else [])


async def test_a_read_only_user_is_refused_and_an_unsupported_setting_is_not_there() -> None:
    config = CameraConfig(
        rtsp=False,
        quirks=frozenset({Quirk.SETTINGS_READ_ONLY}),
        setting_faults={"DNS": SettingFault.UNSUPPORTED},
    )
    async with VirtualCamera(config) as camera, client(camera) as device:
        mgmt = await device.create_devicemgmt_service()
        with pytest.raises(Fault) as caught:
            await mgmt.SetNTP({"FromDHCP": True})
        assert "NotAuthorized" in subcodes(caught.value)
        assert (await mgmt.GetNTP()).FromDHCP is False
        for call in (mgmt.GetDNS(), mgmt.SetDNS({"FromDHCP": True})):
            with pytest.raises(Fault) as caught:
                await call
            assert "ActionNotSupported" in subcodes(caught.value)
        camera.set_setting_fault("DNS", None)
        camera.set_quirk(Quirk.SETTINGS_READ_ONLY, enabled=False)
        await mgmt.SetDNS({"FromDHCP": True})
        assert (await mgmt.GetDNS()).FromDHCP is True
        with pytest.raises(ValueError, match="name"):
            camera.set_setting_fault("", SettingFault.IGNORED)


async def test_network_answers_validate_against_the_onvif_schemas(tmp_path: Path) -> None:
    schema = build_onvif_schema(tmp_path)
    requests = [
        ("tds:GetNTP", ""),
        (
            "tds:SetNTP",
            "<tds:FromDHCP>false</tds:FromDHCP><tds:NTPManual><tt:Type>DNS</tt:Type>"
            "<tt:DNSname>ntp.lan</tt:DNSname></tds:NTPManual><tds:NTPManual><tt:Type>IPv6"
            "</tt:Type><tt:IPv6Address>fd00::1</tt:IPv6Address></tds:NTPManual>",
        ),
        ("tds:GetNTP", ""),
        ("tds:GetDNS", ""),
        (
            "tds:SetDNS",
            "<tds:FromDHCP>true</tds:FromDHCP><tds:SearchDomain>lan</tds:SearchDomain>"
            "<tds:DNSManual><tt:Type>IPv6</tt:Type><tt:IPv6Address>fd00::53</tt:IPv6Address>"
            "</tds:DNSManual>",
        ),
        ("tds:GetDNS", ""),
        ("tds:GetNetworkDefaultGateway", ""),
        (
            "tds:SetNetworkDefaultGateway",
            "<tds:IPv4Address>127.0.0.2</tds:IPv4Address>"
            "<tds:IPv6Address>fd00::fe</tds:IPv6Address>",
        ),
        ("tds:GetNetworkDefaultGateway", ""),
        ("tds:GetNetworkInterfaces", ""),
    ]
    async with (
        VirtualCamera(CameraConfig(rtsp=False, dhcp=True)) as camera,
        aiohttp.ClientSession() as session,
    ):
        answers: dict[str, etree._Element] = {}
        for operation, children in requests:
            status, answer, raw = await post(
                session, camera, "/onvif/device_service", soap_request(operation, children)
            )
            assert status == 200, raw
            assert answer is not None
            assert schema.validate(answer), (operation, schema.error_log)
            answers[operation] = answer
    dns = answers["tds:GetDNS"]
    assert dns.findtext("tds:DNSInformation/tt:DNSFromDHCP/tt:IPv4Address", namespaces=NS)
    assert dns.findtext("tds:DNSInformation/tt:DNSManual/tt:IPv6Address", namespaces=NS) == (
        "fd00::53"
    )
    gateway = answers["tds:GetNetworkDefaultGateway"]
    assert gateway.findtext("tds:NetworkGateway/tt:IPv6Address", namespaces=NS) == "fd00::fe"


async def test_the_control_api_switches_dhcp_and_setting_faults(camera: VirtualCamera) -> None:
    control = ControlServer([camera])
    port = await control.start()
    base = f"http://127.0.0.1:{port}/cameras/0"
    try:
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{base}/dhcp", json={"dhcp": True}) as response:
                assert (await response.json())["dhcp"] is True
            async with session.get(f"{base}/network") as response:
                assert await response.json() == {
                    "dhcp": True,
                    "gateway": ["127.0.0.1"],
                    "dns": ["8.8.8.8"],
                    "ntp": ["pool.ntp.org"],
                }
            fault = {"setting": "NTP", "fault": "refused"}
            async with session.post(f"{base}/setting_fault", json=fault) as response:
                assert (await response.json())["setting_faults"] == {"NTP": "refused"}
            assert camera.setting_faults == {"NTP": SettingFault.REFUSED}
            for bad_route, bad in (
                ("dhcp", {"dhcp": "yes"}),
                ("setting_fault", {"setting": "", "fault": None}),
                ("setting_fault", {"setting": "NTP", "fault": "sometimes"}),
            ):
                async with session.post(f"{base}/{bad_route}", json=bad) as response:
                    assert response.status == 400, bad
            async with session.post(
                f"{base}/setting_fault", json={"setting": "NTP", "fault": None}
            ) as response:
                assert (await response.json())["setting_faults"] == {}
    finally:
        await control.stop()
