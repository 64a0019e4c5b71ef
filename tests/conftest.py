"""Fixtures shared by Homebound's tests: virtual cameras on loopback and config entries."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.homebound.const import CONF_MAC, DOMAIN
from simulator import CameraConfig, VirtualCamera

SIM_MAC = "02:48:42:00:00:01"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/homebound."""


@pytest.fixture(autouse=True)
def loopback_sockets(socket_enabled: None) -> None:
    """Real protocols need real sockets; pytest-socket still confines them to 127.0.0.1."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with Home Assistant's serialiser."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def camera_config() -> CameraConfig:
    """The virtual camera's settings; override in a test module for other cameras."""
    return CameraConfig(rtsp=False)


@pytest.fixture
async def camera(camera_config: CameraConfig) -> AsyncIterator[VirtualCamera]:
    """A virtual ONVIF camera listening on loopback for the length of one test."""
    sim = VirtualCamera(camera_config)
    await sim.start()
    try:
        yield sim
    finally:
        await sim.stop()


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """The state of an entity that must exist."""
    state = hass.states.get(entity_id)
    assert state is not None, f"{entity_id} does not exist"
    return state.state


def entry_state(entry: MockConfigEntry) -> ConfigEntryState:
    """The entry's current state (a call, so that type narrowing does not stick)."""
    state: ConfigEntryState = entry.state
    return state


def entry_data(camera: VirtualCamera, **overrides: Any) -> dict[str, Any]:
    """Config entry data pointing at ``camera``."""
    data: dict[str, Any] = {
        CONF_HOST: camera.host,
        CONF_PORT: camera.onvif_port,
        CONF_USERNAME: camera.config.username,
        CONF_PASSWORD: camera.config.password,
        CONF_MAC: camera.config.mac,
    }
    data.update(overrides)
    return data


@pytest.fixture
def config_entry(hass: HomeAssistant, camera: VirtualCamera) -> MockConfigEntry:
    """A Homebound entry for the virtual camera, added to Home Assistant (not set up)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Virtual Camera",
        unique_id=camera.config.mac,
        data=entry_data(camera),
        entry_id="01HOMEBOUNDTESTENTRY00001",
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def fast_discovery() -> Iterator[None]:
    """Listen for WS-Discovery answers for half a second instead of three."""
    with patch("custom_components.homebound.config_flow.DISCOVERY_TIMEOUT", 0.5):
        yield
