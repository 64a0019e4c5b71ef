"""The overview: one entry Homebound keeps by itself, its service device and summary sensors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_SYSTEM, ConfigEntryState
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest

from custom_components.homebound.const import CONF_KIND, DOMAIN, KIND_OVERVIEW
from custom_components.homebound.diagnostics import async_get_config_entry_diagnostics
from custom_components.homebound.kind import is_overview_entry

from .maker_support import StartCamera, camera_starter, persona_entry, set_up

COVERED = "sensor.homebound_cameras_by_covered_makers"
EXPLOITED = "sensor.homebound_cameras_on_exploited_firmware"


@pytest.fixture
async def start_camera() -> AsyncIterator[StartCamera]:
    async with camera_starter() as start:
        yield start


def _overviews(hass: HomeAssistant) -> list[Any]:
    return [e for e in hass.config_entries.async_entries(DOMAIN) if is_overview_entry(e)]


def _state(hass: HomeAssistant, entity_id: str) -> tuple[str, dict[str, Any]]:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state, dict(state.attributes)


async def test_the_overview_comes_with_the_first_camera_and_goes_with_the_last(
    hass: HomeAssistant, start_camera: StartCamera, device_registry: dr.DeviceRegistry
) -> None:
    first = persona_entry(hass, await start_camera("lts"), title="Porch")
    await set_up(hass, first)
    (overview,) = _overviews(hass)
    assert overview.source == SOURCE_SYSTEM
    assert overview.data == {CONF_KIND: KIND_OVERVIEW}
    assert overview.title == "Homebound"
    assert overview.state is ConfigEntryState.LOADED
    (device,) = dr.async_entries_for_config_entry(device_registry, overview.entry_id)
    assert device.entry_type is dr.DeviceEntryType.SERVICE
    assert device.name == "Homebound"
    entities = er.async_entries_for_config_entry(er.async_get(hass), overview.entry_id)
    assert sorted(e.translation_key or "" for e in entities) == [
        "covered_cameras",
        "exploited_firmware",
    ]
    assert {e.device_id for e in entities} == {device.id}

    second = persona_entry(hass, await start_camera("reolink"), title="Garden")
    await set_up(hass, second)
    assert len(_overviews(hass)) == 1

    assert await hass.config_entries.async_remove(first.entry_id)
    await hass.async_block_till_done()
    assert len(_overviews(hass)) == 1
    assert _state(hass, COVERED)[0] == "0"
    assert await hass.config_entries.async_remove(second.entry_id)
    await hass.async_block_till_done()
    assert _overviews(hass) == []
    assert hass.states.get(COVERED) is None


async def test_the_summary_counts_covered_makers_and_exploited_firmware(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """Five cameras: two by covered makers (one relabelled), one on exploited firmware."""
    for persona, title in (
        ("lts", "Porch"),
        ("hikvision-exploited", "Garage"),
        ("xiongmai", "Shed"),
        ("annke", "Gate"),
        ("reolink", "Garden"),
    ):
        await set_up(hass, persona_entry(hass, await start_camera(persona), title=title))
    state, attributes = _state(hass, COVERED)
    assert state == "2"
    assert attributes["camera_names"] == ["Garage", "Porch"]
    assert attributes["cameras"] == 5
    assert attributes["known_vulnerable"] == 2  # the Hikvision and the Xiongmai
    assert attributes["unknown_maker"] == 1  # the Annke: suspected only
    assert attributes["not_checked"] == 0
    state, attributes = _state(hass, EXPLOITED)
    assert state == "1"
    assert attributes["camera_names"] == ["Garage"]
    assert attributes["known_exploited"] == 1


async def test_the_summary_follows_a_firmware_update(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    camera = await start_camera("hikvision-exploited")
    entry = persona_entry(hass, camera)
    await set_up(hass, entry)
    assert _state(hass, EXPLOITED)[0] == "1"
    coordinator = entry.runtime_data.coordinator
    await camera.set_online(False)
    await coordinator.async_refresh()
    camera.config.firmware = "V5.7.3 build 220112"
    await camera.set_online(True)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert _state(hass, EXPLOITED)[0] == "0"
    assert _state(hass, COVERED)[0] == "1"  # still a Hikvision


async def test_a_camera_offline_at_start_still_counts_as_what_it_was(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """Remembered from the last run: the store's fingerprint and firmware, the catalogue."""
    camera = await start_camera("hikvision-exploited")
    entry = persona_entry(hass, camera)
    await set_up(hass, entry)
    assert await hass.config_entries.async_unload(entry.entry_id)
    overview = _overviews(hass)[0]
    assert await hass.config_entries.async_unload(overview.entry_id)
    hass.data.pop(f"{DOMAIN}_makers")  # a new run: nothing known but the store
    await camera.set_online(False)
    hass.set_state(CoreState.not_running)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    await set_up(hass, overview)
    assert _state(hass, EXPLOITED)[0] == "1"
    assert _state(hass, COVERED)[1]["not_checked"] == 0


async def test_the_overview_entry_is_not_configurable(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    camera = persona_entry(hass, await start_camera("reolink"))
    await set_up(hass, camera)
    (overview,) = _overviews(hass)
    assert not overview.supports_options
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": overview.entry_id}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "overview_managed"
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_SYSTEM}, data={CONF_KIND: KIND_OVERVIEW}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "overview_exists"

    found = await async_get_config_entry_diagnostics(hass, overview)
    assert found["figures"]["cameras"] == 1
    (described,) = found["cameras"]
    assert described["maker"] == "reolink"
    assert described["confidence"] == "documented"
    assert "mac" not in described
