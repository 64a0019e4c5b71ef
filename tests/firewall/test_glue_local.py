"""The local backend (its commands run inside the lab's router), the services, diagnostics."""

from __future__ import annotations

from pathlib import Path

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.homebound.const import CONF_BACKEND, DOMAIN
from simulator import CameraConfig, VirtualCamera

from ..conftest import entry_data, state_of
from .glue import (
    PROBLEM,
    SWITCH,
    finish_progress,
    install_hooks,
    network_input,
    start_firewall_flow,
)
from .lab import CAMERA_MAC, CLOUD4, Lab
from .test_glue_diagnostics import assert_no_mac, lab_macs
from .test_isolation import LOCAL_TRIES, start_servers


@pytest.fixture
def camera_config() -> CameraConfig:
    """The virtual camera answers ONVIF with the MAC of the lab's camera host."""
    return CameraConfig(rtsp=False, mac=CAMERA_MAC)


async def add_local_firewall(hass: HomeAssistant) -> MockConfigEntry:
    result = await start_firewall_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_BACKEND: "local"}
    )
    result = await finish_progress(hass, result)
    assert result["step_id"] == "firewall_network"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], network_input(isolate_new=True)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Firewall on this Home Assistant host"
    await hass.async_block_till_done(wait_background_tasks=True)
    entry: MockConfigEntry = result["result"]
    return entry


async def call(hass: HomeAssistant, service: str, **data: object) -> None:
    await hass.services.async_call(DOMAIN, service, data, blocking=True)


async def test_local_backend_services_and_diagnostics(
    hass: HomeAssistant,
    lab: Lab,
    tmp_path: Path,
    camera: VirtualCamera,
    device_registry: dr.DeviceRegistry,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    start_servers(lab)
    install_hooks(hass, lab, tmp_path)
    assert await async_setup_component(hass, DOMAIN, {})
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN, "export_firewall_rules", {}, blocking=True, return_response=True
        )
    assert caught.value.translation_key == "firewall_not_loaded"

    firewall = await add_local_firewall(hass)
    # A camera added after the firewall is isolated from the start ("isolate new cameras").
    config_entry = MockConfigEntry(
        domain=DOMAIN, title="Virtual Camera", unique_id=CAMERA_MAC, data=entry_data(camera)
    )
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state_of(hass, SWITCH) == STATE_ON
    assert lab.probe([("tcp", CLOUD4, 443)]) == [False]
    assert lab.probe(LOCAL_TRIES) == [True] * len(LOCAL_TRIES)
    (device,) = dr.async_entries_for_config_entry(device_registry, config_entry.entry_id)

    await call(hass, "release_camera", device_id=device.id)
    assert state_of(hass, SWITCH) == STATE_OFF
    assert lab.probe([("tcp", CLOUD4, 443)]) == [True]
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "open_update_window", device_id=device.id, minutes=5)
    assert caught.value.translation_key == "camera_not_isolated"
    await call(hass, "isolate_camera", entity_id=SWITCH)
    assert state_of(hass, SWITCH) == STATE_ON
    assert lab.probe([("tcp", CLOUD4, 443)]) == [False]

    # A firmware update: everything allowed for a while, no problem reported meanwhile.
    await call(hass, "open_update_window", entity_id=SWITCH, minutes=5)
    assert lab.probe([("tcp", CLOUD4, 443)]) == [True]
    assert state_of(hass, PROBLEM) == STATE_OFF

    response = await hass.services.async_call(
        DOMAIN, "export_firewall_rules", {}, blocking=True, return_response=True
    )
    assert response is not None
    assert "table inet homebound" in str(response["nftables"])
    assert CAMERA_MAC in str(response["nftables"])
    assert f"--mac-source {CAMERA_MAC}" in str(response["iptables"])
    assert str(response["ip6tables"]).startswith("# Homebound camera isolation for ip6tables")

    for bad in ({"device_id": "not-a-device"}, {"entity_id": "switch.nothing"}, {}):
        with pytest.raises(ServiceValidationError):
            await call(hass, "isolate_camera", **bad)

    await firewall.runtime_data.async_refresh()  # a full check reads the counters
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, firewall)
    assert CAMERA_MAC in lab_macs(lab)
    assert_no_mac(diagnostics, lab_macs(lab))  # no MAC of the lab, in any field or spelling
    assert diagnostics == snapshot

    await hass.config_entries.async_remove(firewall.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert lab.nft("list", "ruleset").stdout.strip() == ""
    assert lab.probe([("tcp", CLOUD4, 443)]) == [True]
    assert hass.states.get(SWITCH) is None
    assert config_entry.state is ConfigEntryState.LOADED
