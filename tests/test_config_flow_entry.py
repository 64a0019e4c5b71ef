"""Keeping an entry current: DHCP, reauthentication, reconfiguration, options, identity."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_DHCP, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.const import (
    CONF_AUTO_OFF,
    CONF_EVENT_SOURCE,
    CONF_MAC,
    CONF_OBSERVED_MAC,
    CONF_RTSP_TRANSPORT,
    CONF_SERIAL,
    DOMAIN,
)
from simulator import CameraConfig, Quirk, VirtualCamera

from .conftest import SIM_MAC, entry_data
from .flows import credentials, free_tcp_port, manual_input

OTHER_MAC = "aa:bb:cc:dd:ee:ff"
NO_MAC = CameraConfig(rtsp=False, quirks=frozenset({Quirk.NO_NETWORK_INTERFACES}))


async def _dhcp(hass: HomeAssistant, ip: str, mac: str) -> dict[str, object]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_DHCP},
        data=DhcpServiceInfo(ip=ip, hostname="cam", macaddress=mac),
    )
    return dict(result)


async def test_dhcp_follows_moved_camera(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """DHCP sees a configured camera at a new address: the entry follows, nothing is added."""
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=SIM_MAC, data=entry_data(camera, **{CONF_HOST: "198.18.0.10"})
    )
    entry.add_to_hass(hass)
    result = await _dhcp(hass, "198.18.0.11", "024842000001")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == "198.18.0.11"
    # DHCP saw the MAC lease that address: the network's word for the firewall.
    assert entry.data[CONF_OBSERVED_MAC] == SIM_MAC
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1
    assert entry.state is ConfigEntryState.NOT_LOADED  # not loaded: nothing to reload


@pytest.mark.parametrize("camera_config", [NO_MAC], ids=["no_mac"])
async def test_camera_added_by_serial_is_not_added_twice(
    hass: HomeAssistant, camera: VirtualCamera
) -> None:
    """A camera without GetNetworkInterfaces, added by hand, is keyed by serial; when DHCP
    later offers it under its MAC at a new address, the flow finds it by serial and follows it
    instead of making a second entry, and keeps the MAC for the next time."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="hbsim0001",
        data=entry_data(camera, **{CONF_HOST: "198.18.0.10", CONF_MAC: None}),
    )
    entry.add_to_hass(hass)
    result = await _dhcp(hass, camera.host, "ec71db000001")
    assert result["step_id"] == "manual"
    result = dict(
        await hass.config_entries.flow.async_configure(str(result["flow_id"]), manual_input(camera))
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1
    assert entry.data[CONF_HOST] == camera.host
    assert entry.data[CONF_MAC] == "ec:71:db:00:00:01"
    assert entry.data[CONF_OBSERVED_MAC] == "ec:71:db:00:00:01"
    # Next time DHCP sees it, the MAC alone finds the entry.
    result = await _dhcp(hass, "198.18.0.12", "ec71db000001")
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == "198.18.0.12"


async def test_dhcp_new_camera(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """DHCP offers a new camera from a camera maker: the address form comes pre-filled."""
    result = await _dhcp(hass, camera.host, "024842000001")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "manual"
    flows = hass.config_entries.flow.async_progress()
    assert flows[0]["context"]["title_placeholders"] == {"name": camera.host}
    result = dict(
        await hass.config_entries.flow.async_configure(str(result["flow_id"]), manual_input(camera))
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    created = hass.config_entries.async_entries(DOMAIN)[0]
    assert created.unique_id == SIM_MAC
    assert created.data[CONF_SERIAL] == camera.config.serial
    assert created.data[CONF_OBSERVED_MAC] == SIM_MAC
    await hass.async_block_till_done()


async def test_dhcp_names_the_vendor(hass: HomeAssistant) -> None:
    """A camera maker's MAC prefix names the discovered device."""
    result = await _dhcp(hass, "198.18.0.20", "ec71db123456")
    assert result["step_id"] == "manual"
    flows = hass.config_entries.flow.async_progress()
    assert flows[0]["context"]["title_placeholders"] == {"name": "Reolink (198.18.0.20)"}


async def test_dhcp_ignores_what_is_not_a_mac(hass: HomeAssistant) -> None:
    result = await _dhcp(hass, "198.18.0.21", "000000000000")
    assert result["reason"] == "not_onvif"


async def test_reauth(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """New credentials are checked, stored, and the entry reloads."""
    camera.set_credentials("admin", "n3w-secret")
    result = await config_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "still-wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "n3w-secret"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert config_entry.data[CONF_PASSWORD] == "n3w-secret"
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED


@pytest.mark.parametrize(
    ("camera_config", "known"),
    [
        (CameraConfig(rtsp=False), {CONF_MAC: OTHER_MAC}),
        (CameraConfig(rtsp=False), {CONF_MAC: OTHER_MAC, CONF_SERIAL: "HBSIM0001"}),
        (NO_MAC, {CONF_MAC: SIM_MAC, CONF_SERIAL: "OTHER-SERIAL"}),
    ],
    ids=["other_mac", "other_mac_same_serial", "no_mac_other_serial"],
)
async def test_reauth_and_reconfigure_refuse_another_camera(
    hass: HomeAssistant, camera: VirtualCamera, known: dict[str, str]
) -> None:
    """Neither reauth nor reconfigure lets another camera take over an entry: not by
    another MAC, and not by reporting no MAC (its serial must then match)."""
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=known[CONF_MAC], data={**entry_data(camera), **known}
    )
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], credentials(camera))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_camera"
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], manual_input(camera))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_camera"


@pytest.mark.parametrize("camera_config", [NO_MAC], ids=["no_mac"])
async def test_reauth_accepts_same_serial_without_mac(
    hass: HomeAssistant, camera: VirtualCamera
) -> None:
    """A camera that reports no MAC is the entry's camera when its serial matches."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=SIM_MAC,
        data={**entry_data(camera), CONF_SERIAL: camera.config.serial},
    )
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], credentials(camera))
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()


async def test_reconfigure(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """Address and credentials change in place; an empty password keeps the old one."""
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, CONF_PORT: free_tcp_port()}
    )
    result = await config_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: camera.host, CONF_PORT: free_tcp_port(), CONF_USERNAME: "admin"},
    )
    assert result["errors"] == {"base": "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: camera.host, CONF_PORT: camera.onvif_port, CONF_USERNAME: "admin"},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert config_entry.data[CONF_PORT] == camera.onvif_port
    assert config_entry.data[CONF_PASSWORD] == camera.config.password
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED


async def test_options(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """RTSP transport, detection auto-off and event source are options; saving reloads."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    assert result["step_id"] == "init"
    schema = result["data_schema"]
    assert schema is not None
    assert schema({}) == {
        CONF_RTSP_TRANSPORT: "tcp",
        CONF_AUTO_OFF: 60,
        CONF_EVENT_SOURCE: "auto",
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_RTSP_TRANSPORT: "udp", CONF_AUTO_OFF: 20.0, CONF_EVENT_SOURCE: "onvif_pullpoint"},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert config_entry.options == {
        CONF_RTSP_TRANSPORT: "udp",
        CONF_AUTO_OFF: 20,
        CONF_EVENT_SOURCE: "onvif_pullpoint",
    }
    assert config_entry.state is ConfigEntryState.LOADED
    assert config_entry.runtime_data.hub.auto_off == 20


async def test_dhcp_revives_an_entry_waiting_for_its_camera(
    hass: HomeAssistant, camera: VirtualCamera
) -> None:
    """An entry retrying at an old address is pointed at the new one and set up there."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=SIM_MAC,
        data=entry_data(camera, **{CONF_HOST: "198.18.0.10"}),
        state=ConfigEntryState.SETUP_RETRY,
    )
    entry.add_to_hass(hass)
    result = await _dhcp(hass, camera.host, "024842000001")
    assert result["reason"] == "already_configured"
    await hass.async_block_till_done()
    assert entry.data[CONF_HOST] == camera.host
    assert entry.state is ConfigEntryState.LOADED
    # The same address again changes nothing and reloads nothing.
    result = await _dhcp(hass, camera.host, "024842000001")
    assert result["reason"] == "already_configured"
    assert entry.state is ConfigEntryState.LOADED
