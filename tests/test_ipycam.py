"""Interop with ipycam, an ONVIF server nobody here wrote, through the real config flow."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from homeassistant.components.camera import async_get_image, async_get_stream_source
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from .flows import start_user_flow
from .peers.ipycam import IpycamPeer, ipycam_available, run_ipycam

pytestmark = pytest.mark.peer


@pytest.fixture
async def ipycam(tmp_path: Path) -> AsyncIterator[IpycamPeer]:
    assert ipycam_available(), "ipycam is missing: run script/setup"
    async with run_ipycam(tmp_path) as peer:
        yield peer


async def test_ipycam_through_config_flow(hass: HomeAssistant, ipycam: IpycamPeer) -> None:
    """ipycam sets up despite its quirks and yields a working camera entity."""
    # ipycam's own WS-Discovery is off (tests probe a loopback port where nothing answers).
    result = await start_user_flow(hass, manual=True)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOST: ipycam.host,
            CONF_PORT: ipycam.onvif_port,
            CONF_USERNAME: ipycam.username,
            CONF_PASSWORD: ipycam.password,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result.get("errors")
    entry = result["result"]
    # No GetNetworkInterfaces: the serial number identifies the camera.
    assert entry.unique_id == "py-000001"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED

    cameras = [s.entity_id for s in hass.states.async_all("camera")]
    assert len(cameras) == 1
    source = await async_get_stream_source(hass, cameras[0])
    assert source == f"rtsp://admin:secret@127.0.0.1:{ipycam.rtsp_port}/video_main"
    # ipycam's snapshot wants HTTP Basic.
    image = await async_get_image(hass, cameras[0])
    assert image.content.startswith(b"\xff\xd8")
    assert entry.runtime_data.client.snapshots.scheme == "basic"
    await hass.config_entries.async_unload(entry.entry_id)
