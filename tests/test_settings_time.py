"""The camera's clock and network: its time server (action and option) and its gateway.

Over loopback against the simulator: the time server goes over ONVIF ``SetNTP`` (the maker's
API when ONVIF does not take it) and is read back; by default it is the local server the
firewall redirects cameras' NTP to. The gateway and outside resolvers go only when the user
asks, and never on a camera that takes its address by DHCP (the refusal says why).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.homebound import link
from custom_components.homebound.const import (
    CONF_AUTO_OFF,
    CONF_BACKEND,
    CONF_EVENT_SOURCE,
    CONF_HA_HOSTS,
    CONF_KIND,
    CONF_NTP_REDIRECT,
    CONF_NTP_SERVER,
    CONF_RTSP_TRANSPORT,
    DOMAIN,
    FIREWALL_UNIQUE_ID,
    KIND_FIREWALL,
)
from simulator import Quirk
from simulator.setting_faults import SettingFault

from .settings_glue import (
    Cameras,
    add_audited,
    audit_of,
    audits_reach,
    entity_of,
    features_listed,
    virtual_cameras,
)

IGNORED = "the camera ignored the change (it answered OK, but reading it back shows the old value)"
DHCP = (
    "not changed, because the camera takes its address by DHCP, which would undo it; change it "
    "on the router's DHCP server instead"
)


@pytest.fixture
async def cameras() -> AsyncIterator[Cameras]:
    """Cameras of any persona for one test."""
    async with virtual_cameras() as started:
        yield started


async def set_ntp(hass: HomeAssistant, entry: Any, **data: Any) -> None:
    """Call the time-server action on the camera (through its clock sensor)."""
    sensor = entity_of(hass, entry, "sensor", "clock_offset")
    await hass.services.async_call(
        DOMAIN, "set_ntp_server", {ATTR_ENTITY_ID: sensor, **data}, blocking=True
    )


async def add_firewall(hass: HomeAssistant, **data: Any) -> MockConfigEntry:
    """A loaded export-only firewall entry (nothing to drive) with ``data``."""
    firewall = MockConfigEntry(
        domain=DOMAIN,
        unique_id=FIREWALL_UNIQUE_ID,
        data={CONF_KIND: KIND_FIREWALL, CONF_BACKEND: "export", CONF_HA_HOSTS: ["192.168.1.3"]}
        | data,
    )
    firewall.add_to_hass(hass)
    assert await hass.config_entries.async_setup(firewall.entry_id)
    await hass.async_block_till_done()
    return firewall


async def test_the_action_points_the_clock_at_a_named_server(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    camera = await cameras.start("generic")
    entry = await add_audited(hass, camera)
    await set_ntp(hass, entry, server="NTP.Home.Arpa")
    assert camera.network.ntp == ["ntp.home.arpa"]
    assert features_listed(hass, entry) == ["names are looked up at `8.8.8.8`"]
    with pytest.raises(ServiceValidationError) as caught:
        await set_ntp(hass, entry, server="two words")
    assert (caught.value.translation_key, caught.value.translation_placeholders) == (
        "invalid_ntp_server",
        {"camera": entry.title},
    )
    with pytest.raises(ServiceValidationError) as missing:
        await set_ntp(hass, entry)  # no option, no firewall
    assert missing.value.translation_key == "no_ntp_server"


async def test_by_default_the_clock_goes_to_the_firewall_s_ntp_redirect(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    camera = await cameras.start("generic")
    entry = await add_audited(hass, camera)
    assert link.ntp_server(hass) is None
    await add_firewall(hass, **{CONF_NTP_REDIRECT: "192.168.1.3"})
    assert link.ntp_server(hass) == "192.168.1.3"
    await set_ntp(hass, entry)
    assert camera.network.ntp == ["192.168.1.3"]
    # The option starts from it too.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["data_schema"] is not None
    fields = {str(key): key for key in result["data_schema"].schema}
    assert fields[CONF_NTP_SERVER].description == {"suggested_value": "192.168.1.3"}


async def test_the_action_s_refusals_are_named(hass: HomeAssistant, cameras: Cameras) -> None:
    """Refused (read-only), ignored, and unsupported over ONVIF with no maker API to try."""
    camera = await cameras.start("generic", quirks=frozenset({Quirk.SETTINGS_READ_ONLY}))
    entry = await add_audited(hass, camera)
    expected = {
        None: "the camera's user may not change it (a read-only or operator account?)",
        SettingFault.IGNORED: IGNORED,
        SettingFault.UNSUPPORTED: "this camera does not support changing it",
    }
    for fault, message in expected.items():
        if fault is not None:
            camera.set_quirk(Quirk.SETTINGS_READ_ONLY, enabled=False)
            camera.set_setting_fault("NTP", fault)
        with pytest.raises(HomeAssistantError) as caught:
            await set_ntp(hass, entry, server="192.168.1.2")
        assert caught.value.translation_placeholders == {
            "problems": f"{entry.title}: Time server (NTP): {message}"
        }
    assert camera.network.ntp == ["pool.ntp.org"]


async def test_the_maker_s_api_sets_the_clock_when_onvif_ignores_it(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    camera = await cameras.start("hikvision", setting_faults={"NTP": SettingFault.IGNORED})
    entry = await add_audited(hass, camera)
    await set_ntp(hass, entry, server="192.168.1.2")
    assert camera.network.ntp == ["192.168.1.2"]
    assert camera.request_counts["ISAPI/System/time/ntpServers/1 PUT"] >= 1


def options_input(server: str | None) -> dict[str, Any]:
    """The options form's answers, with ``server`` as the time server (None: none)."""
    data: dict[str, Any] = {
        CONF_RTSP_TRANSPORT: "tcp",
        CONF_AUTO_OFF: 60,
        CONF_EVENT_SOURCE: "auto",
    }
    return data if server is None else {**data, CONF_NTP_SERVER: server}


async def test_the_option_sets_the_clock_and_keeps_it_there(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    camera = await cameras.start("generic")
    entry = await add_audited(hass, camera)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], options_input("not a host")
    )
    assert result["errors"] == {CONF_NTP_SERVER: "invalid_ntp_server"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], options_input(" 192.168.1.4 ")
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert camera.network.ntp == ["192.168.1.4"]  # set before the options were saved
    await hass.async_block_till_done()  # the entry reloads with the option
    assert entry.state is ConfigEntryState.LOADED
    assert entry.options[CONF_NTP_SERVER] == "192.168.1.4"
    audit = audit_of(entry)  # the reloaded entry's
    await audits_reach(entry, 1)
    assert audit.changes == ()  # nothing to do after the reload
    # A reset camera is pointed back at the option by the daily audit.
    camera.network.ntp = ["pool.ntp.org"]
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(days=1, seconds=1))
    await audits_reach(entry, 2)
    assert camera.network.ntp == ["192.168.1.4"]
    assert [r.outcome.value for r in audit.changes] == ["done"]
    # Cleared: the camera's clock is left as it is.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], options_input(None)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_NTP_SERVER not in entry.options


async def test_the_option_refused_by_the_camera_is_not_saved(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    camera = await cameras.start("generic", quirks=frozenset({Quirk.SETTINGS_READ_ONLY}))
    entry = await add_audited(hass, camera)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], options_input("192.168.1.4")
    )
    assert result["errors"] == {CONF_NTP_SERVER: "ntp_refused"}
    camera.set_quirk(Quirk.SETTINGS_READ_ONLY, enabled=False)
    camera.set_setting_fault("NTP", SettingFault.IGNORED)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], options_input("192.168.1.4")
    )
    assert result["errors"] == {CONF_NTP_SERVER: "ntp_ignored"}
    assert CONF_NTP_SERVER not in entry.options


async def remove_gateway(hass: HomeAssistant, entry: Any) -> None:
    """Call the gateway action on the camera."""
    sensor = entity_of(hass, entry, "sensor", "clock_offset")
    await hass.services.async_call(
        DOMAIN, "remove_gateway_and_dns", {ATTR_ENTITY_ID: sensor}, blocking=True
    )


async def test_the_gateway_and_outside_resolvers_go_when_asked(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    """A static camera: no gateway, and only its LAN resolver left."""
    camera = await cameras.start("generic")
    camera.network.dns = ["192.168.1.1", "8.8.8.8"]
    entry = await add_audited(hass, camera)
    assert camera.network.gateway == ["127.0.0.254"]  # nothing happens unasked
    await remove_gateway(hass, entry)
    assert camera.request_counts["SetNetworkDefaultGateway"] == 1
    assert (camera.network.gateway, camera.network.dns) == ([], ["192.168.1.1"])
    assert features_listed(hass, entry) == ["time comes from `pool.ntp.org`"]
    assert audit_of(entry).fixes() == ["set_ntp"]


async def test_the_gateway_of_a_dhcp_camera_is_left_with_the_reason(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    camera = await cameras.start("generic", dhcp=True)
    entry = await add_audited(hass, camera)
    with pytest.raises(HomeAssistantError) as caught:
        await remove_gateway(hass, entry)
    assert caught.value.translation_placeholders == {
        "problems": f"{entry.title}: Default gateway: {DHCP}; {entry.title}: DNS servers: {DHCP}"
    }
    assert camera.request_counts["SetNetworkDefaultGateway"] == 0
    assert camera.request_counts["SetDNS"] == 0


async def test_a_read_only_user_may_not_remove_the_gateway(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    camera = await cameras.start("generic", quirks=frozenset({Quirk.SETTINGS_READ_ONLY}))
    entry = await add_audited(hass, camera)
    with pytest.raises(HomeAssistantError) as caught:
        await remove_gateway(hass, entry)
    refused = "the camera's user may not change it (a read-only or operator account?)"
    assert caught.value.translation_placeholders == {
        "problems": f"{entry.title}: Default gateway: {refused}; "
        f"{entry.title}: DNS servers: {refused}"
    }
    assert camera.network.gateway == ["127.0.0.254"]
