"""Any ONVIF camera's NTP, DNS, gateway and DHCP, and the two actions on them, read back.

Through onvif-zeep-async on Homebound's own device WSDL, against the simulator over loopback:
pointing the clock at a LAN server (and falling back on the maker's API where ONVIF does not
take it), removing the default gateway and the external resolvers (never on a DHCP camera),
and each refusal's outcome.
"""

from __future__ import annotations

from custom_components.homebound.device.settings_model import (
    Maker,
    Outcome,
    SettingId,
    State,
)
from simulator import CameraConfig, Quirk
from simulator.setting_faults import SettingFault

from .settings_support import by_id, rig


def generic(**overrides: object) -> CameraConfig:
    """A generic ONVIF camera's configuration."""
    return CameraConfig(rtsp=False, **overrides)  # type: ignore[arg-type]


async def test_the_network_settings_are_read() -> None:
    async with rig(generic(), None) as r:
        assert not r.settings.has_local_switch
        assert await r.settings.switch_off() == ()
        found = by_id(await r.settings.read())
        assert set(found) == {
            SettingId.ONVIF_NTP,
            SettingId.ONVIF_DNS,
            SettingId.ONVIF_GATEWAY,
            SettingId.ONVIF_DHCP,
        }
        ntp, dns = found[SettingId.ONVIF_NTP], found[SettingId.ONVIF_DNS]
        assert (ntp.state, ntp.servers, ntp.phones_home) == (State.ON, ("pool.ntp.org",), True)
        assert (dns.state, dns.servers, dns.phones_home) == (State.ON, ("8.8.8.8",), True)
        gateway = found[SettingId.ONVIF_GATEWAY]
        assert (gateway.state, gateway.servers, gateway.phones_home) == (
            State.ON,
            ("127.0.0.254",),
            True,
        )
        assert found[SettingId.ONVIF_DHCP].state is State.OFF
        r.camera.set_dhcp(True)
        assert (await r.settings.network.read_one(SettingId.ONVIF_DHCP)).state is State.ON


async def test_the_clock_offset_is_measured_without_changing_the_signing() -> None:
    async with rig(generic(), None) as r:
        r.camera.skew_clock(42)
        offset = await r.settings.network.clock_offset()
        assert offset is not None
        assert abs(offset - 42) <= 1
        assert abs(r.client.clock_skew) <= 1  # requests are signed as before


async def test_a_client_between_connections_reads_as_failed() -> None:
    """The coordinator reconnecting closes the client under an audit: failed, not raised."""
    async with rig(generic(), None) as r:
        await r.client.async_close()
        found = by_id(await r.settings.read())
        assert {read.state for read in found.values()} == {State.FAILED}
        assert await r.settings.network.clock_offset() is None
        result = await r.settings.set_ntp("192.168.1.10")
        assert result.outcome is Outcome.FAILED


async def test_the_clock_is_pointed_at_a_lan_server() -> None:
    async with rig(generic(), None) as r:
        result = await r.settings.set_ntp("192.168.1.10")
        assert result.outcome is Outcome.DONE
        assert result.after is not None
        assert (result.after.servers, result.after.phones_home) == (("192.168.1.10",), False)
        assert r.camera.network.ntp == ["192.168.1.10"]
        assert (await r.settings.set_ntp("192.168.1.10")).outcome is Outcome.NOTHING_TO_DO
        assert (await r.settings.set_ntp("ntp.home.arpa")).outcome is Outcome.DONE
        assert (await r.settings.set_ntp("fd00::123")).outcome is Outcome.DONE
        assert r.camera.network.ntp == ["fd00::123"]
        assert (await r.settings.set_ntp("")).outcome is Outcome.FAILED


async def test_pointing_the_clock_refused_ignored_or_unsupported() -> None:
    async with rig(generic(quirks=frozenset({Quirk.SETTINGS_READ_ONLY})), None) as r:
        assert (await r.settings.set_ntp("192.168.1.10")).outcome is Outcome.REFUSED
        r.camera.set_quirk(Quirk.SETTINGS_READ_ONLY, enabled=False)
        r.camera.set_setting_fault("NTP", SettingFault.IGNORED)
        assert (await r.settings.set_ntp("192.168.1.10")).outcome is Outcome.IGNORED
        r.camera.set_setting_fault("NTP", SettingFault.UNSUPPORTED)
        result = await r.settings.set_ntp("192.168.1.10")
        assert (result.outcome, result.before and result.before.state) == (
            Outcome.UNSUPPORTED,
            State.UNSUPPORTED,
        )
        assert r.camera.network.ntp == ["pool.ntp.org"]


async def test_where_onvif_does_not_take_it_the_makers_api_does() -> None:
    config = CameraConfig(
        persona="hikvision", rtsp=False, setting_faults={"NTP": SettingFault.IGNORED}
    )
    async with rig(config, Maker.HIKVISION) as r:
        result = await r.settings.set_ntp("192.168.1.10")
        assert (result.setting, result.outcome) == (SettingId.HIK_NTP, Outcome.DONE)
        assert r.camera.network.ntp == ["192.168.1.10"]
        r.camera.set_setting_fault("System/time/ntpServers", SettingFault.REFUSED)
        refused_too = await r.settings.set_ntp("192.168.1.11")
        assert (refused_too.setting, refused_too.outcome) == (SettingId.ONVIF_NTP, Outcome.IGNORED)


async def test_gateway_and_external_dns_are_removed_lan_dns_kept() -> None:
    async with rig(generic(), None) as r:
        r.camera.network.dns = ["8.8.8.8", "192.168.1.53"]
        gateway, dns = await r.settings.remove_gateway_and_dns()
        assert (gateway.outcome, dns.outcome) == (Outcome.DONE, Outcome.DONE)
        assert r.camera.network.effective_gateway == []
        assert r.camera.network.effective_dns == ["192.168.1.53"]
        assert dns.after is not None
        assert (dns.after.servers, dns.after.phones_home) == (("192.168.1.53",), False)
        again = await r.settings.remove_gateway_and_dns()
        assert [result.outcome for result in again] == [Outcome.NOTHING_TO_DO] * 2


async def test_a_dhcp_camera_is_not_asked_to_drop_its_gateway() -> None:
    async with rig(generic(dhcp=True), None) as r:
        r.camera.reset_counts()
        gateway, dns = await r.settings.remove_gateway_and_dns()
        assert (gateway.outcome, dns.outcome) == (Outcome.UNDONE_BY_DHCP,) * 2
        assert gateway.before is not None
        assert gateway.before.servers == ("127.0.0.1",)
        counts = r.camera.request_counts
        assert counts["SetNetworkDefaultGateway"] == counts["SetDNS"] == 0
        assert r.camera.network.gateway == ["127.0.0.254"]


async def test_removing_the_gateway_refused_ignored_unsupported() -> None:
    faults = {"NetworkDefaultGateway": SettingFault.IGNORED, "DNS": SettingFault.REFUSED}
    async with rig(generic(setting_faults=faults), None) as r:
        gateway, dns = await r.settings.remove_gateway_and_dns()
        assert (gateway.outcome, dns.outcome) == (Outcome.IGNORED, Outcome.REFUSED)
        r.camera.set_setting_fault("NetworkDefaultGateway", SettingFault.UNSUPPORTED)
        r.camera.set_setting_fault("DNS", None)
        gateway, dns = await r.settings.remove_gateway_and_dns()
        assert (gateway.outcome, dns.outcome) == (Outcome.UNSUPPORTED, Outcome.DONE)


async def test_a_camera_without_network_interfaces_is_judged_by_the_read_back() -> None:
    """Without a DHCP flag the change is made, and the read-back says how it went."""
    async with rig(generic(quirks=frozenset({Quirk.NO_NETWORK_INTERFACES})), None) as r:
        dhcp = await r.settings.network.read_one(SettingId.ONVIF_DHCP)
        assert dhcp.state is State.UNSUPPORTED
        assert "actionnotsupported" in dhcp.detail
        gateway, dns = await r.settings.remove_gateway_and_dns()
        assert (gateway.outcome, dns.outcome) == (Outcome.DONE, Outcome.DONE)
