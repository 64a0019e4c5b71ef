"""The isolation actions take every target ``services.yaml`` offers; errors are translated."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    STATE_OFF,
    STATE_ON,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    floor_registry as fr,
    label_registry as lr,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.const import (
    CONF_BACKEND,
    CONF_KIND,
    CONF_MAC,
    DOMAIN,
    FIREWALL_UNIQUE_ID,
    KIND_FIREWALL,
)
from simulator import CameraConfig

from ..conftest import state_of
from .glue import SWITCH, FirewallHooks, network_input, use_hooks
from .lab import CAMERA4, CAMERA_MAC

SECOND_MAC = "02:00:00:00:99:02"


@pytest.fixture
def camera_config() -> CameraConfig:
    """The virtual camera answers ONVIF with the MAC of the lab's camera host."""
    return CameraConfig(rtsp=False, mac=CAMERA_MAC)


async def export_firewall(hass: HomeAssistant, *, isolate_new: bool = False) -> MockConfigEntry:
    """An export-only firewall entry (no backend: the choices and the rules only)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=FIREWALL_UNIQUE_ID,
        data={
            CONF_KIND: KIND_FIREWALL,
            CONF_BACKEND: "export",
            **network_input(isolate_new=isolate_new),
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    return entry


async def call(hass: HomeAssistant, service: str, **data: object) -> None:
    await hass.services.async_call(DOMAIN, service, data, blocking=True)


async def test_areas_floors_and_labels_name_cameras(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    area_registry: ar.AreaRegistry,
    floor_registry: fr.FloorRegistry,
    label_registry: lr.LabelRegistry,
) -> None:
    use_hooks(FirewallHooks(contacts={"127.0.0.1": (CAMERA4,)}))  # the lab camera's address
    assert await async_setup_component(hass, DOMAIN, {})  # the camera entry too
    await export_firewall(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state_of(hass, SWITCH) == STATE_OFF
    (device,) = dr.async_entries_for_config_entry(device_registry, config_entry.entry_id)
    ground = floor_registry.async_create("Ground floor")
    garden = area_registry.async_create("Garden", floor_id=ground.floor_id)
    empty = area_registry.async_create("Attic")
    outdoor = label_registry.async_create("Outdoor")
    device_registry.async_update_device(device.id, area_id=garden.id, labels={outdoor.label_id})

    await call(hass, "isolate_camera", area_id=garden.id)
    assert state_of(hass, SWITCH) == STATE_ON
    await call(hass, "release_camera", floor_id=ground.floor_id)
    assert state_of(hass, SWITCH) == STATE_OFF
    await call(hass, "isolate_camera", label_id=outdoor.label_id)
    assert state_of(hass, SWITCH) == STATE_ON
    await call(hass, "open_update_window", area_id=[garden.id, empty.id], minutes=5)

    # An area without a camera, nothing at all, what is not a camera: each a translated
    # error, never a bare validation error.
    cases: list[tuple[dict[str, object], str]] = [
        ({"area_id": empty.id}, "no_camera"),
        ({}, "no_camera"),
        ({"device_id": "not-a-device"}, "not_a_camera"),
        ({"entity_id": "switch.nothing"}, "not_a_camera"),
    ]
    for data, key in cases:
        with pytest.raises(ServiceValidationError) as caught:
            await call(hass, "release_camera", **data)
        assert caught.value.translation_key == key
    assert state_of(hass, SWITCH) == STATE_ON


async def test_one_call_is_one_change_on_the_firewall(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    area_registry: ar.AreaRegistry,
) -> None:
    """Two cameras in one area, each also named by device: isolated together, applied once."""
    assert await async_setup_component(hass, DOMAIN, {})
    second = MockConfigEntry(
        domain=DOMAIN,
        title="Second camera",
        unique_id=SECOND_MAC,
        data={CONF_HOST: "198.18.1.20", CONF_MAC: SECOND_MAC, CONF_PORT: 80}
        | {CONF_USERNAME: "u", CONF_PASSWORD: "p"},
    )
    second.add_to_hass(hass)  # never set up: it has a device, and belongs to the policy
    firewall = await export_firewall(hass)
    coordinator = firewall.runtime_data
    garden = area_registry.async_create("Garden")
    (first_device,) = dr.async_entries_for_config_entry(device_registry, config_entry.entry_id)
    second_device = device_registry.async_get_or_create(
        config_entry_id=second.entry_id, identifiers={(DOMAIN, SECOND_MAC)}
    )
    for device in (first_device, second_device):
        device_registry.async_update_device(device.id, area_id=garden.id)

    applied = 0
    real_apply = coordinator.async_apply_now

    async def counted() -> None:
        nonlocal applied
        applied += 1
        await real_apply()

    with patch.object(coordinator, "async_apply_now", counted):
        await call(
            hass,
            "isolate_camera",
            area_id=garden.id,
            device_id=[first_device.id, second_device.id],
            entity_id=SWITCH,
        )
        assert applied == 1
        assert coordinator.is_isolated(CAMERA_MAC)
        assert coordinator.is_isolated(SECOND_MAC)
        await call(hass, "open_update_window", area_id=garden.id, minutes=5)
        assert applied == 2
        await call(hass, "release_camera", area_id=garden.id)
        assert applied == 3
    assert not coordinator.is_isolated(CAMERA_MAC)
    assert not coordinator.is_isolated(SECOND_MAC)
