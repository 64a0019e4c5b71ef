"""The config flow's probe is handed over to the new entry's setup, connected, or closed."""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.cameras.client import (
    async_client,
    async_entry_client,
    async_hand_over,
)
from custom_components.homebound.const import DOMAIN
from custom_components.homebound.device import OnvifClient
from simulator import VirtualCamera

from .conftest import SIM_MAC, entry_data
from .flows import manual_input, start_user_flow

PROBE = ("GetDeviceInformation", "GetServices", "GetNetworkInterfaces", "GetProfiles")


@pytest.fixture
def closed() -> Iterator[list[OnvifClient]]:
    """Every connected client closed during the test."""
    seen: list[OnvifClient] = []
    original = OnvifClient.async_close

    async def spy(self: OnvifClient) -> None:
        if self.connected:
            seen.append(self)
        await original(self)

    with patch.object(OnvifClient, "async_close", spy):
        yield seen


async def _add(hass: HomeAssistant, camera: VirtualCamera) -> dict[str, object]:
    result = await start_user_flow(hass, manual=True)
    return dict(
        await hass.config_entries.flow.async_configure(result["flow_id"], manual_input(camera))
    )


async def test_setup_asks_nothing_the_flow_just_asked(
    hass: HomeAssistant, camera: VirtualCamera
) -> None:
    """Adding a camera probes it once: the entry's setup starts from the flow's answers.

    The settings audit, which reads the network interfaces' DHCP flag on its own schedule in the
    background (tests/test_settings_*.py), is held back: this counts what set-up asks.
    """
    camera.reset_counts()
    with patch("custom_components.homebound.cameras.async_start_settings"):
        result = await _add(hass, camera)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert entry.state is ConfigEntryState.LOADED
    counts = camera.request_counts
    assert {op: counts[op] for op in PROBE} == dict.fromkeys(PROBE, 1)
    assert entry.runtime_data.client.connected
    await hass.config_entries.async_unload(entry.entry_id)


async def test_probe_nobody_claims_is_closed(
    hass: HomeAssistant, camera: VirtualCamera, closed: list[OnvifClient]
) -> None:
    """An entry that is not set up (here: setup stubbed out) leaves no connection open."""
    with (
        patch("custom_components.homebound.async_setup_entry", return_value=True),
        patch("custom_components.homebound.async_unload_entry", return_value=True),
    ):
        result = await _add(hass, camera)
        await hass.async_block_till_done()
        await hass.config_entries.async_remove(result["result"].entry_id)  # type: ignore[attr-defined]
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert len(closed) == 1
    assert not closed[0].connected


async def test_probe_of_an_aborted_flow_is_closed(
    hass: HomeAssistant, camera: VirtualCamera, closed: list[OnvifClient]
) -> None:
    """The camera turns out to be configured under another address: the flow updates that
    entry, aborts, and closes what it probed."""
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=SIM_MAC, data=entry_data(camera, **{CONF_HOST: "198.18.0.10"})
    )
    entry.add_to_hass(hass)
    result = await _add(hass, camera)
    assert result["reason"] == "camera_moved"
    assert entry.data[CONF_HOST] == camera.host
    assert len(closed) == 1
    assert not closed[0].connected


async def test_handed_over_client_for_other_credentials_is_replaced(
    hass: HomeAssistant, camera: VirtualCamera, closed: list[OnvifClient]
) -> None:
    """Setup uses a handed-over client only for the very address and credentials it probed."""
    data = entry_data(camera)
    probed = async_client(hass, data)
    await probed.async_connect()
    async_hand_over(hass, SIM_MAC, probed)
    client = await async_entry_client(hass, SIM_MAC, {**data, CONF_PASSWORD: "changed"})
    assert client is not probed
    assert closed == [probed]
    assert client.password == "changed"
    assert await async_entry_client(hass, SIM_MAC, data) is not probed  # taken once only
