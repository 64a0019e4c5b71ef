"""Hikvision settings over ISAPI: every read, and every switch-off outcome, read back.

Against the Hikvision persona over loopback (Digest through the caller's session): a camera
out of the box has Hik-Connect, UPnP and its port mapping on and its clock on time.ys7.com;
switching off is done only when the read-back agrees; an ignored change, a read-only user and a
missing setting each get their own outcome.
"""

from __future__ import annotations

import pytest

from custom_components.homebound.device.settings_model import (
    Maker,
    Outcome,
    SettingId,
    State,
)
from simulator import CameraConfig, Quirk
from simulator.setting_faults import SettingFault

from .settings_support import by_id, outcomes, rig

HIK = Maker.HIKVISION
ALL_ON = {
    "System/Network/Ehome": "<Ehome><enabled>true</enabled><addressingFormatType>hostname"
    "</addressingFormatType><hostName>isup.example.com</hostName></Ehome>",
    "System/Network/DDNS/1": "<DDNS><enabled>true</enabled></DDNS>",
    "System/PictureServer": "<PictureServer><enabled>true</enabled>"
    "<hostName>pictures.example.com</hostName></PictureServer>",
}
SWITCHABLE = {
    SettingId.HIK_CONNECT,
    SettingId.HIK_ISUP,
    SettingId.HIK_UPNP,
    SettingId.HIK_PORT_MAPPING,
    SettingId.HIK_DDNS,
    SettingId.HIK_CLOUD_STORAGE,
}


def hikvision(**overrides: object) -> CameraConfig:
    """A Hikvision camera's configuration."""
    return CameraConfig(persona="hikvision", rtsp=False, **overrides)  # type: ignore[arg-type]


async def test_a_camera_out_of_the_box_is_read_as_it_is() -> None:
    async with rig(hikvision(), HIK) as r:
        reads = await r.settings.read()
        found = by_id(reads)
        assert [read.setting for read in reads][:7] == [
            SettingId.HIK_CONNECT,
            SettingId.HIK_ISUP,
            SettingId.HIK_UPNP,
            SettingId.HIK_PORT_MAPPING,
            SettingId.HIK_DDNS,
            SettingId.HIK_CLOUD_STORAGE,
            SettingId.HIK_NTP,
        ]
        connect = found[SettingId.HIK_CONNECT]
        assert (connect.state, connect.phones_home, connect.servers) == (
            State.ON,
            True,
            ("litedev.hik-connect.com",),
        )
        assert connect.label_key == "hik_connect"
        assert connect.value == "on (litedev.hik-connect.com)"
        assert found[SettingId.HIK_ISUP].state is State.OFF
        assert found[SettingId.HIK_ISUP].servers == ()
        assert (found[SettingId.HIK_UPNP].state, found[SettingId.HIK_UPNP].phones_home) == (
            State.ON,
            False,
        )
        assert found[SettingId.HIK_PORT_MAPPING].phones_home is True
        assert found[SettingId.HIK_DDNS].state is State.OFF
        assert found[SettingId.HIK_CLOUD_STORAGE].state is State.OFF
        ntp = found[SettingId.HIK_NTP]
        assert (ntp.state, ntp.phones_home, ntp.servers) == (State.ON, True, ("time.ys7.com",))
        # The ONVIF side of the same camera sees the same time server.
        assert found[SettingId.ONVIF_NTP].servers == ("time.ys7.com",)
        assert "HBSIMX" not in repr(reads)  # the Hik-Connect verification code is not read


async def test_every_setting_on_is_switched_off_and_read_back() -> None:
    async with rig(hikvision(), HIK) as r:
        for path, body in ALL_ON.items():
            await r.put(path, body)
        found = by_id(await r.settings.read())
        assert {s for s in SWITCHABLE if found[s].on} == SWITCHABLE
        assert found[SettingId.HIK_ISUP].servers == ("isup.example.com",)
        assert found[SettingId.HIK_DDNS].servers == ("www.hik-online.com",)
        results = await r.settings.switch_off()
        assert outcomes(results) == dict.fromkeys(SWITCHABLE, Outcome.DONE)
        for result in results:
            assert result.before is not None
            assert result.before.on
            assert result.after is not None
            assert result.after.state is State.OFF
        after = by_id(await r.settings.read())
        assert not any(after[setting].on for setting in SWITCHABLE)
        puts = r.camera.request_counts["ISAPI/System/Network/EZVIZ PUT"]
        assert puts >= 1
        again = await r.settings.switch_off([SettingId.HIK_CONNECT])
        assert outcomes(again) == {SettingId.HIK_CONNECT: Outcome.NOTHING_TO_DO}
        assert r.camera.request_counts["ISAPI/System/Network/EZVIZ PUT"] == puts  # none sent


async def test_an_ignored_change_is_reported_as_ignored() -> None:
    config = hikvision(setting_faults={"System/Network/EZVIZ": SettingFault.IGNORED})
    async with rig(config, HIK) as r:
        results = await r.settings.switch_off([SettingId.HIK_CONNECT, SettingId.HIK_UPNP])
        assert outcomes(results) == {
            SettingId.HIK_CONNECT: Outcome.IGNORED,
            SettingId.HIK_UPNP: Outcome.DONE,
        }
        ignored = results[0]
        assert ignored.after is not None
        assert ignored.after.on


async def test_a_read_only_user_is_refused_and_a_missing_setting_unsupported() -> None:
    config = hikvision(
        quirks=frozenset({Quirk.SETTINGS_READ_ONLY}),
        setting_faults={"System/PictureServer": SettingFault.UNSUPPORTED},
    )
    async with rig(config, HIK) as r:
        found = by_id(await r.settings.read())
        assert found[SettingId.HIK_CLOUD_STORAGE].state is State.UNSUPPORTED
        results = outcomes(await r.settings.switch_off())
        assert results[SettingId.HIK_CONNECT] is Outcome.REFUSED
        assert results[SettingId.HIK_PORT_MAPPING] is Outcome.REFUSED
        assert results[SettingId.HIK_CLOUD_STORAGE] is Outcome.UNSUPPORTED
        assert results[SettingId.HIK_ISUP] is Outcome.NOTHING_TO_DO
        assert by_id(await r.settings.read())[SettingId.HIK_CONNECT].on


@pytest.mark.parametrize("server", ["192.168.1.10", "ntp.home.arpa"])
async def test_the_clock_is_pointed_at_a_local_server(server: str) -> None:
    async with rig(hikvision(), HIK) as r:
        result = await r.settings.vendor.set_ntp(server)  # type: ignore[union-attr]
        assert result.outcome is Outcome.DONE
        assert result.after is not None
        assert (result.after.servers, result.after.phones_home) == ((server,), False)
        assert r.camera.network.effective_ntp == [server]
        again = await r.settings.vendor.set_ntp(server)  # type: ignore[union-attr]
        assert again.outcome is Outcome.NOTHING_TO_DO


async def test_pointing_the_clock_can_be_ignored_refused_or_wrong() -> None:
    config = hikvision(setting_faults={"System/time/ntpServers": SettingFault.IGNORED})
    async with rig(config, HIK) as r:
        vendor = r.settings.vendor
        assert vendor is not None
        assert (await vendor.set_ntp("192.168.1.10")).outcome is Outcome.IGNORED
        assert (await vendor.set_ntp("not a host\n-j ACCEPT")).outcome is Outcome.FAILED
        r.camera.set_setting_fault("System/time/ntpServers", SettingFault.REFUSED)
        assert (await vendor.set_ntp("192.168.1.10")).outcome is Outcome.REFUSED
        r.camera.set_setting_fault("System/time/ntpServers", None)
        r.camera.set_setting_fault("System/time", SettingFault.UNSUPPORTED)
        result = await vendor.set_ntp("192.168.1.10")
        assert (result.outcome, result.before and result.before.state) == (
            Outcome.UNSUPPORTED,
            State.UNSUPPORTED,
        )
