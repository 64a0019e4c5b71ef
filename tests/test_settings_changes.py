"""Switching a camera's cloud features off: the repair's fix flow, the button, the action.

Against the simulator's Hikvision and Dahua personas over loopback, through Home Assistant:
every change is read back, and what the camera did not do is said setting by setting — ignored
("the camera ignored the change", never "done"), refused (a read-only user), unsupported. After
each change the audit runs again and the repair shows what is left, or goes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from homeassistant.const import ATTR_AREA_ID, ATTR_DEVICE_ID, ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import area_registry as ar, device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.const import DOMAIN
from custom_components.homebound.device.settings_model import SettingId, State
from simulator import Quirk
from simulator.setting_faults import SettingFault

from .conftest import state_of
from .settings_glue import (
    Cameras,
    add_audited,
    audit_of,
    entity_of,
    features_listed,
    fix_flow_step,
    issue_of,
    start_fix_flow,
    virtual_cameras,
)

CONFIRMED = "changed, and reading it back confirms it"
ALREADY = "already as asked"
IGNORED = "the camera ignored the change (it answered OK, but reading it back shows the old value)"
REFUSED = "the camera's user may not change it (a read-only or operator account?)"
UNSUPPORTED = "this camera does not support changing it"
TIME_AND_DNS = ["time comes from `time.ys7.com`", "names are looked up at `8.8.8.8`"]


@pytest.fixture
async def cameras() -> AsyncIterator[Cameras]:
    """Cameras of any persona for one test."""
    async with virtual_cameras() as started:
        yield started


def device_of(hass: HomeAssistant, entry: Any) -> str:
    """The camera's device id."""
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return devices[0].id


async def test_the_fix_flow_switches_off_points_the_clock_and_removes_the_gateway(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    camera = await cameras.start("hikvision")
    entry = await add_audited(hass, camera)
    result = await start_fix_flow(hass, entry)
    assert (result["type"], result["step_id"]) == (FlowResultType.MENU, "init")
    assert result["menu_options"] == ["switch_off", "set_ntp", "remove_gateway"]
    flow = result["flow_id"]

    result = await fix_flow_step(hass, flow, {"next_step_id": "switch_off"})
    assert result["step_id"] == "switch_off"
    assert result["description_placeholders"]["features"].splitlines() == [
        "- Hik-Connect cloud (EZVIZ platform access) is enabled (`litedev.hik-connect.com`)",
        "- UPnP is enabled",
        "- UPnP port mapping is enabled",
    ]
    result = await fix_flow_step(hass, flow, {})
    assert (result["type"], result["step_id"]) == (FlowResultType.MENU, "results")
    assert result["description_placeholders"]["results"].splitlines() == [
        f"- Hik-Connect cloud (EZVIZ platform access): {CONFIRMED}",
        f"- ISUP / EHome platform access: {ALREADY}",
        f"- UPnP: {CONFIRMED}",
        f"- UPnP port mapping: {CONFIRMED}",
        f"- DDNS (HiDDNS): {ALREADY}",
        f"- Picture server / cloud storage: {ALREADY}",
    ]
    assert result["menu_options"] == ["set_ntp", "remove_gateway", "finish"]
    assert features_listed(hass, entry) == TIME_AND_DNS
    reads = {read.setting: read for read in audit_of(entry).reads}
    assert reads[SettingId.HIK_CONNECT].state is State.OFF  # read back from the camera

    result = await fix_flow_step(hass, flow, {"next_step_id": "set_ntp"})
    assert result["step_id"] == "set_ntp"
    result = await fix_flow_step(hass, flow, {"server": "not a host!"})
    assert result["errors"] == {"server": "invalid_server"}
    result = await fix_flow_step(hass, flow, {"server": "192.168.1.2"})
    assert result["description_placeholders"]["results"] == f"- Time server (NTP): {CONFIRMED}"
    assert camera.network.ntp == ["192.168.1.2"]
    assert result["menu_options"] == ["remove_gateway", "finish"]
    result = await fix_flow_step(hass, flow, {"next_step_id": "finish"})
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "still_on")
    assert features_listed(hass, entry) == ["names are looked up at `8.8.8.8`"]

    result = await start_fix_flow(hass, entry)  # one thing left: straight to it
    assert result["step_id"] == "remove_gateway"
    result = await fix_flow_step(hass, result["flow_id"], {})
    assert result["description_placeholders"]["results"].splitlines() == [
        f"- Default gateway: {CONFIRMED}",
        f"- DNS servers: {CONFIRMED}",
    ]
    assert (camera.network.gateway, camera.network.dns) == ([], [])
    assert issue_of(hass, entry) is None
    assert result["menu_options"] == ["finish"]
    result = await fix_flow_step(hass, result["flow_id"], {"next_step_id": "finish"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert state_of(hass, entity_of(hass, entry, "sensor", "cloud_features")) == "0"


async def test_the_fix_flow_of_an_unloaded_camera_aborts(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    entry = await add_audited(hass, await cameras.start("generic"))
    result = await start_fix_flow(hass, entry)
    assert result["type"] is FlowResultType.MENU
    await hass.config_entries.async_unload(entry.entry_id)
    result = await fix_flow_step(hass, result["flow_id"], {"next_step_id": "set_ntp"})
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "entry_gone")
    assert issue_of(hass, entry) is not None  # unloading is not removing: it stays


async def press(hass: HomeAssistant, entry: Any) -> None:
    """Press the camera's "Disable cloud features"."""
    button = entity_of(hass, entry, "button", "disable_cloud_features")
    await hass.services.async_call("button", "press", {ATTR_ENTITY_ID: button}, blocking=True)


async def test_the_button_says_the_camera_ignored_a_change(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    camera = await cameras.start(
        "hikvision", setting_faults={"System/Network/EZVIZ": SettingFault.IGNORED}
    )
    entry = await add_audited(hass, camera)
    with pytest.raises(HomeAssistantError) as caught:
        await press(hass, entry)
    assert caught.value.translation_key == "settings_not_changed"
    assert caught.value.translation_placeholders == {
        "problems": f"{entry.title}: Hik-Connect cloud (EZVIZ platform access): {IGNORED}"
    }
    assert str(caught.value) == (
        f"Not every change was made: {entry.title}: Hik-Connect cloud (EZVIZ platform "
        f"access): {IGNORED}"
    )
    assert features_listed(hass, entry) == [
        "Hik-Connect cloud (EZVIZ platform access) is enabled (`litedev.hik-connect.com`)",
        *TIME_AND_DNS,
    ]


async def test_the_button_names_each_setting_a_read_only_user_may_not_change(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    camera = await cameras.start("hikvision", quirks=frozenset({Quirk.SETTINGS_READ_ONLY}))
    entry = await add_audited(hass, camera)
    with pytest.raises(HomeAssistantError) as caught:
        await press(hass, entry)
    assert caught.value.translation_placeholders == {
        "problems": "; ".join(
            f"{entry.title}: {label}: {REFUSED}"
            for label in (
                "Hik-Connect cloud (EZVIZ platform access)",
                "UPnP",
                "UPnP port mapping",
            )
        )
    }
    assert camera.request_counts["ISAPI/System/Network/EZVIZ PUT"] >= 1
    assert len(features_listed(hass, entry)) == 5  # nothing changed


async def test_the_action_switches_dahua_features_off_and_names_the_unsupported(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    """By device; a setting the model lacks is named as unsupported, the rest go off."""
    camera = await cameras.start("dahua", setting_faults={"UPnP": SettingFault.UNSUPPORTED})
    entry = await add_audited(hass, camera)
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "disable_cloud_features",
            {ATTR_DEVICE_ID: device_of(hass, entry)},
            blocking=True,
        )
    assert caught.value.translation_placeholders == {
        "problems": f"{entry.title}: UPnP: {UNSUPPORTED}"
    }
    assert features_listed(hass, entry) == [
        "time comes from `clock.isc.org`",
        "names are looked up at `8.8.8.8`",
    ]
    outcomes = {r.setting: r.outcome.value for r in audit_of(entry).changes}
    assert outcomes[SettingId.DAHUA_P2P] == "done"
    assert outcomes[SettingId.DAHUA_CLOUD_UPGRADE] == "done"  # over RPC2
    assert outcomes[SettingId.DAHUA_TELNET] == "nothing_to_do"


async def test_the_action_by_area_switches_what_it_can_and_names_the_rest(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    """An area with a Dahua and a generic camera: the Dahua's features go off; the other
    has no local switch, which the error says; what is not a camera in the area is skipped."""
    dahua = await add_audited(hass, await cameras.start("dahua"))
    generic = await add_audited(hass, await cameras.start("generic"))
    other = MockConfigEntry(domain="demo")
    other.add_to_hass(hass)
    devices = dr.async_get(hass)
    lamp = devices.async_get_or_create(config_entry_id=other.entry_id, identifiers={("demo", "l")})
    garden = ar.async_get(hass).async_create("Garden")
    for device_id in (device_of(hass, dahua), device_of(hass, generic), lamp.id):
        devices.async_update_device(device_id, area_id=garden.id)
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            DOMAIN, "disable_cloud_features", {ATTR_AREA_ID: garden.id}, blocking=True
        )
    assert caught.value.translation_placeholders == {
        "problems": f"{generic.title}: Homebound cannot switch this camera's cloud off on the "
        "camera; cloud isolation (the firewall entry) blocks it"
    }
    assert len(features_listed(hass, dahua)) == 2  # time and resolvers are left

    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            DOMAIN, "disable_cloud_features", {ATTR_DEVICE_ID: lamp.id}, blocking=True
        )
    assert refused.value.translation_key == "not_a_camera"
    empty = ar.async_get(hass).async_create("Attic")
    with pytest.raises(ServiceValidationError) as nothing:
        await hass.services.async_call(
            DOMAIN, "disable_cloud_features", {ATTR_AREA_ID: empty.id}, blocking=True
        )
    assert nothing.value.translation_key == "no_camera_targeted"


async def test_the_action_by_entity_on_a_camera_with_nothing_left(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    """Targeted through one of its entities; a second run has nothing to do and says nothing."""
    camera = await cameras.start("hikvision")
    entry = await add_audited(hass, camera)
    sensor = entity_of(hass, entry, "sensor", "cloud_features")
    for _ in range(2):
        await hass.services.async_call(
            DOMAIN, "disable_cloud_features", {ATTR_ENTITY_ID: sensor}, blocking=True
        )
    assert {r.outcome.value for r in audit_of(entry).changes} == {"nothing_to_do"}
    assert features_listed(hass, entry) == TIME_AND_DNS
    before = audit_of(entry).audits
    await hass.services.async_call(
        DOMAIN, "disable_cloud_features", {ATTR_ENTITY_ID: "all"}, blocking=True
    )
    assert audit_of(entry).audits == before + 1  # every camera, this one included
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN, "disable_cloud_features", {ATTR_ENTITY_ID: "sun.sun"}, blocking=True
        )
    assert caught.value.translation_key == "not_a_camera"
    await hass.config_entries.async_unload(entry.entry_id)
    with pytest.raises(ServiceValidationError) as unloaded:
        await hass.services.async_call(
            DOMAIN, "disable_cloud_features", {ATTR_ENTITY_ID: sensor}, blocking=True
        )
    assert unloaded.value.translation_key == "camera_not_loaded"
