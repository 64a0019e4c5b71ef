"""The audit of a camera's settings that reach outside the home, through Home Assistant.

Cameras of the simulator's Hikvision, Dahua and generic ONVIF personas (and makers Homebound
has no local switch for) are added through the config flow over loopback; the audit reads
their settings in the background and keeps one repair per camera, a sensor of how many
features are on, and the readings in diagnostics. The audit never holds up set-up, runs again
every day, and leaves the repair as it was while the camera is away.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
import json
import math

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.homebound.const import DOMAIN
from custom_components.homebound.device.settings_model import SettingId, State

from .conftest import state_of
from .events_helpers import WAIT, add_camera
from .settings_glue import (
    Cameras,
    add_audited,
    audit_of,
    audited,
    audits_reach,
    entity_of,
    features_listed,
    issue_of,
    virtual_cameras,
)

HIKVISION_LINES = [
    "Hik-Connect cloud (EZVIZ platform access) is enabled (`litedev.hik-connect.com`)",
    "UPnP is enabled",
    "UPnP port mapping is enabled",
    "time comes from `time.ys7.com`",
    "names are looked up at `8.8.8.8`",
]
DAHUA_LINES = [
    "P2P cloud (T2U / Easy4ip) is enabled",
    "Imou / Easy4ip cloud (VSP_PaaS) is enabled",
    "Mobile push notifications is enabled",
    "UPnP is enabled",
    "Automatic cloud firmware upgrade is enabled",
    "time comes from `clock.isc.org`",
    "names are looked up at `8.8.8.8`",
]
NO_SWITCH = (
    "{maker} cameras have no setting Homebound can reach that switches their cloud off: "
    "only cloud isolation (the firewall entry) keeps them off it"
)


@pytest.fixture
async def cameras() -> AsyncIterator[Cameras]:
    """Cameras of any persona for one test."""
    async with virtual_cameras() as started:
        yield started


async def test_hikvision_settings_are_read_listed_counted_and_diagnosed(
    hass: HomeAssistant, cameras: Cameras, hass_client: ClientSessionGenerator
) -> None:
    camera = await cameras.start("hikvision")
    entry = await add_audited(hass, camera)
    issue = issue_of(hass, entry)
    assert issue is not None
    assert (issue.translation_key, issue.is_fixable, issue.severity) == (
        "cloud_features",
        True,
        ir.IssueSeverity.WARNING,
    )
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["name"] == entry.title
    assert features_listed(hass, entry) == HIKVISION_LINES
    sensor = entity_of(hass, entry, "sensor", "cloud_features")
    assert state_of(hass, sensor) == "5"
    state = hass.states.get(sensor)
    assert state is not None
    assert state.attributes["features"] == [
        "hik_connect",
        "hik_upnp",
        "hik_port_mapping",
        "hik_ntp",
        "onvif_dns",
    ]
    assert state.attributes["local_switch"] is True
    assert entity_of(hass, entry, "button", "disable_cloud_features")

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    reads = {read["setting"]: read for read in diagnostics["settings"]["reads"]}
    assert {setting: read["state"] for setting, read in reads.items()} == {
        "hik_connect": "on",
        "hik_isup": "off",
        "hik_upnp": "on",
        "hik_port_mapping": "on",
        "hik_ddns": "off",
        "hik_cloud_storage": "off",
        "hik_ntp": "on",
        "onvif_ntp": "on",
        "onvif_dns": "on",
        "onvif_gateway": "on",
        "onvif_dhcp": "off",
    }
    assert reads["hik_connect"]["servers"] == ["litedev.hik-connect.com"]
    assert reads["hik_ntp"]["phones_home"] is True
    assert diagnostics["settings"]["maker_api"] == "hikvision"
    assert diagnostics["settings"]["fixes"] == ["switch_off", "set_ntp", "remove_gateway"]
    assert "HBSIMX" not in json.dumps(diagnostics)  # Hik-Connect's verification code


async def test_dahua_settings_over_cgi_and_rpc2(hass: HomeAssistant, cameras: Cameras) -> None:
    """Every Dahua table is read, the cloud upgrade one over RPC2 (the CGI lacks it)."""
    camera = await cameras.start("dahua")
    entry = await add_audited(hass, camera)
    assert features_listed(hass, entry) == DAHUA_LINES
    audit = audit_of(entry)
    reads = {read.setting: read for read in audit.reads}
    assert reads[SettingId.DAHUA_TELNET].state is State.OFF
    assert reads[SettingId.DAHUA_DDNS].state is State.OFF
    assert reads[SettingId.DAHUA_CLOUD_UPGRADE].on
    assert camera.request_counts["RPC2 configManager.getConfig"] >= 1
    assert state_of(hass, entity_of(hass, entry, "sensor", "cloud_features")) == "7"


async def test_a_generic_onvif_camera_gets_its_time_and_resolvers_listed(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    """No maker API: the ONVIF settings only, no button, and the time and network fixes."""
    camera = await cameras.start("generic")
    entry = await add_audited(hass, camera)
    assert features_listed(hass, entry) == [
        "time comes from `pool.ntp.org`",
        "names are looked up at `8.8.8.8`",
    ]
    audit = audit_of(entry)
    assert not audit.has_local_switch
    assert audit.no_switch_maker is None  # nothing names its maker: no word on its cloud
    assert audit.fixes() == ["set_ntp", "remove_gateway"]
    button = f"{entry.unique_id}_disable_cloud_features"
    assert er.async_get(hass).async_get_entity_id("button", DOMAIN, button) is None


async def test_a_maker_without_a_local_switch_is_pointed_at_isolation(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    """Xiongmai (no DVRIP client): the repair says so beside what ONVIF shows is on."""
    camera = await cameras.start("xiongmai")
    entry = await add_audited(hass, camera)
    assert features_listed(hass, entry) == [
        "time comes from `pool.ntp.org`",
        "names are looked up at `8.8.8.8`",
        NO_SWITCH.format(maker="Xiongmai"),
    ]
    assert state_of(hass, entity_of(hass, entry, "sensor", "cloud_features")) == "2"


async def test_with_nothing_else_on_the_repair_only_points_at_isolation(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    """A Reolink set to local time and resolvers: not fixable, one thing to say."""
    camera = await cameras.start("reolink", ntp_servers=("192.168.1.2",))
    camera.network.dns = ["192.168.1.1"]
    entry = await add_audited(hass, camera)
    issue = issue_of(hass, entry)
    assert issue is not None
    assert (issue.translation_key, issue.is_fixable) == ("cloud_no_switch", False)
    assert issue.translation_placeholders == {"name": entry.title, "maker": "Reolink"}
    assert state_of(hass, entity_of(hass, entry, "sensor", "cloud_features")) == "0"


async def test_a_hanging_vendor_api_does_not_hold_up_set_up(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    camera = await cameras.start("hikvision")
    camera.set_delay("ISAPI/System/Network/EZVIZ", math.inf)
    entry = await add_camera(hass, camera)  # returns once loaded
    assert entry.state is ConfigEntryState.LOADED
    await camera.wait_for_request("ISAPI/System/Network/EZVIZ", timeout=WAIT)
    audit = audit_of(entry)
    assert not audit.first_audit.is_set()  # still waiting for the camera
    sensor = entity_of(hass, entry, "sensor", "cloud_features")
    assert state_of(hass, sensor) == STATE_UNKNOWN
    assert issue_of(hass, entry) is None
    camera.set_delay("ISAPI/System/Network/EZVIZ", None)
    await audited(entry)
    await hass.async_block_till_done()
    assert state_of(hass, sensor) == "5"


async def test_the_audit_runs_again_every_day(hass: HomeAssistant, cameras: Cameras) -> None:
    """Tomorrow's audit sees what changed on the camera: the repair goes, the clock moved."""
    camera = await cameras.start("generic")
    camera.skew_clock(-90)
    entry = await add_audited(hass, camera)
    clock = entity_of(hass, entry, "sensor", "clock_offset")
    assert abs(int(state_of(hass, clock)) + 90) <= 1
    assert issue_of(hass, entry) is not None
    camera.network.ntp = ["192.168.1.2"]
    camera.network.dns = ["192.168.1.1"]
    camera.skew_clock(300)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(days=1, seconds=1))
    await audits_reach(entry, 2)
    await hass.async_block_till_done()
    assert issue_of(hass, entry) is None
    assert state_of(hass, entity_of(hass, entry, "sensor", "cloud_features")) == "0"
    assert abs(int(state_of(hass, clock)) - 300) <= 1


async def test_an_unavailable_camera_keeps_its_repair(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    """No reading while the camera is away; the repair goes with the camera's entry."""
    camera = await cameras.start("hikvision")
    entry = await add_audited(hass, camera)
    audit = audit_of(entry)
    await camera.set_online(False)
    await entry.runtime_data.coordinator.async_refresh()
    await audit.async_audit()
    assert audit.audits == 1
    assert features_listed(hass, entry) == HIKVISION_LINES
    await camera.set_online(True)
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert issue_of(hass, entry) is None


async def test_a_reading_that_fails_keeps_its_line(hass: HomeAssistant, cameras: Cameras) -> None:
    """One setting that does not answer today is still listed from yesterday's reading."""
    camera = await cameras.start("hikvision")
    entry = await add_audited(hass, camera)
    audit = audit_of(entry)
    camera.set_fault("ISAPI/System/Network/UPnP")
    await audit.async_audit()
    reads = {read.setting: read for read in audit.reads}
    assert reads[SettingId.HIK_UPNP].state is State.FAILED
    assert features_listed(hass, entry) == HIKVISION_LINES


async def test_what_a_hostile_camera_names_never_reaches_the_repair(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    """Server names that are not host names are shown as a marker, never as the camera sent."""
    camera = await cameras.start("generic")
    hostile = ["pool.ntp.org`\n- Homebound says: all is well", "[click](http://198.51.100.7/)"]
    camera.network.ntp = hostile
    camera.network.dns = ["8.8.8.8%\n-I FORWARD 1 -j ACCEPT"]
    entry = await add_audited(hass, camera)
    # The resolver's answer does not even parse as ONVIF: a failed reading, no line.
    assert features_listed(hass, entry) == ["time comes from `(unreadable)`"]
    reads = {read.setting: read for read in audit_of(entry).reads}
    assert reads[SettingId.ONVIF_DNS].state is State.FAILED
    issue = issue_of(hass, entry)
    assert issue is not None
    text = json.dumps(issue.translation_placeholders)
    assert "all is well" not in text
    assert "click" not in text
    assert "FORWARD" not in text
