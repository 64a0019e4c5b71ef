"""Dahua settings over configManager.cgi, and RPC2 where the CGI lacks a table.

Against the Dahua persona over loopback: out of the box P2P, Imou cloud, push, UPnP and the
automatic cloud upgrade are on (the last one only reachable over RPC2), and its clock is on
clock.isc.org; every switch-off is read back, and each failure has its outcome.
"""

from __future__ import annotations

from custom_components.homebound.device.dahua_settings import flatten, parse_lines
from custom_components.homebound.device.settings_model import (
    Maker,
    Outcome,
    SettingId,
    State,
)
from simulator import CameraConfig, Quirk
from simulator.services.dahua_config import DahuaConfigService
from simulator.setting_faults import SettingFault

from .settings_support import by_id, outcomes, rig

DAHUA = Maker.DAHUA
SWITCHABLE = {
    SettingId.DAHUA_P2P,
    SettingId.DAHUA_EASY4IP,
    SettingId.DAHUA_PUSH,
    SettingId.DAHUA_UPNP,
    SettingId.DAHUA_DDNS,
    SettingId.DAHUA_TELNET,
    SettingId.DAHUA_CLOUD_UPGRADE,
}


def dahua(**overrides: object) -> CameraConfig:
    """A Dahua camera's configuration."""
    return CameraConfig(persona="dahua", rtsp=False, **overrides)  # type: ignore[arg-type]


async def test_a_camera_out_of_the_box_is_read_as_it_is() -> None:
    async with rig(dahua(), DAHUA) as r:
        found = by_id(await r.settings.read())
        for setting in (
            SettingId.DAHUA_P2P,
            SettingId.DAHUA_EASY4IP,
            SettingId.DAHUA_PUSH,
            SettingId.DAHUA_UPNP,
            SettingId.DAHUA_CLOUD_UPGRADE,
        ):
            assert (found[setting].state, found[setting].phones_home) == (State.ON, True), setting
        assert found[SettingId.DAHUA_DDNS].state is State.OFF
        assert found[SettingId.DAHUA_TELNET].state is State.OFF
        ntp = found[SettingId.DAHUA_NTP]
        assert (ntp.state, ntp.servers, ntp.phones_home) == (State.ON, ("clock.isc.org",), True)
        assert r.camera.request_counts["RPC2 configManager.getConfig"] == 1  # CloudUpgrade


async def test_every_setting_on_is_switched_off_and_read_back() -> None:
    async with rig(dahua(), DAHUA) as r:
        await r.set_config("DDNS[0].Enable=true&Telnet.Enable=true")
        found = by_id(await r.settings.read())
        assert found[SettingId.DAHUA_DDNS].servers == ("www.dahuaddns.com",)
        assert {s for s in SWITCHABLE if found[s].on} == SWITCHABLE
        results = await r.settings.switch_off()
        assert outcomes(results) == dict.fromkeys(SWITCHABLE, Outcome.DONE)
        after = by_id(await r.settings.read())
        assert not any(after[s].on for s in SWITCHABLE)
        (config,) = [s for s in r.camera.services if isinstance(s, DahuaConfigService)]
        assert config.tables["UPnP"]["StartDeviceDiscover"] is False
        assert config.tables["CloudUpgrade"] == {"AutoCheck": False}
        assert outcomes(await r.settings.switch_off([SettingId.DAHUA_P2P])) == {
            SettingId.DAHUA_P2P: Outcome.NOTHING_TO_DO
        }


async def test_ignored_refused_and_unsupported() -> None:
    config = dahua(
        setting_faults={
            "T2UServer": SettingFault.IGNORED,
            "VSP_PaaS": SettingFault.REFUSED,
            "MobilePhoneApplication": SettingFault.UNSUPPORTED,
            "CloudUpgrade": SettingFault.REFUSED,
        }
    )
    async with rig(config, DAHUA) as r:
        results = outcomes(await r.settings.switch_off())
        assert results[SettingId.DAHUA_P2P] is Outcome.IGNORED
        assert results[SettingId.DAHUA_EASY4IP] is Outcome.REFUSED
        assert results[SettingId.DAHUA_PUSH] is Outcome.UNSUPPORTED
        assert results[SettingId.DAHUA_CLOUD_UPGRADE] is Outcome.REFUSED  # over RPC2
        assert results[SettingId.DAHUA_UPNP] is Outcome.DONE
        r.camera.set_quirk(Quirk.SETTINGS_IGNORED)
        r.camera.set_setting_fault("CloudUpgrade", None)
        assert outcomes(await r.settings.switch_off([SettingId.DAHUA_CLOUD_UPGRADE])) == {
            SettingId.DAHUA_CLOUD_UPGRADE: Outcome.IGNORED
        }


async def test_the_clock_is_pointed_over_the_cgi_and_over_rpc2() -> None:
    async with rig(dahua(), DAHUA) as r:
        vendor = r.settings.vendor
        assert vendor is not None
        result = await vendor.set_ntp("192.168.1.10")
        assert result.outcome is Outcome.DONE
        assert r.camera.network.effective_ntp == ["192.168.1.10"]
        r.camera.set_setting_fault("NTP", SettingFault.IGNORED)
        assert (await vendor.set_ntp("192.168.1.11")).outcome is Outcome.IGNORED
        r.camera.set_setting_fault("NTP", SettingFault.REFUSED)
        assert (await vendor.set_ntp("192.168.1.11")).outcome is Outcome.REFUSED
        assert (await vendor.set_ntp("x\r\nNTP.Enable=false")).outcome is Outcome.FAILED


def test_cgi_and_rpc2_tables_read_alike() -> None:
    text = (
        "table.T2UServer[0].Enable=true\r\nT2UServer.UUID=X\r\ntable.T2UServerX.Enable=false\r\n"
        "garbage\r\ntable.DDNS[0].Address=a.example\r\n"
    )
    assert parse_lines(text, "T2UServer") == {"[0].Enable": "true", "UUID": "X"}
    assert flatten({"Enable": True, "MapTable": [{"Port": 80}], "Name": "x"}) == {
        "Enable": "true",
        "MapTable[0].Port": "80",
        "Name": "x",
    }
    assert flatten([{"Enable": False}]) == {"[0].Enable": "false"}
    deep: object = {"a": 1}
    for _ in range(3000):
        deep = [deep]
    assert flatten(deep) == {}
