"""Camera images when the camera's own ways to give one fail."""

from __future__ import annotations

from homeassistant.components.camera import async_get_image
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import CameraConfig, Quirk, VirtualCamera

MAIN = "camera.virtual_camera"


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    "camera_config",
    [CameraConfig(rtsp=False, quirks=frozenset({Quirk.STREAM_URI_FAULT}))],
    ids=["stream_uri_fault"],
)
async def test_no_snapshot_and_no_stream_is_no_image(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """A camera without a snapshot address whose stream address is refused too: Home
    Assistant reports that there is no image (and nothing else breaks); ffmpeg is not run."""
    camera.set_fault("GetSnapshotUri")
    await _setup(hass, config_entry)
    with pytest.raises(HomeAssistantError):
        await async_get_image(hass, MAIN)
    assert camera.request_counts["GetStreamUri"] >= 1
    assert camera.request_counts["snapshot"] == 0


async def test_no_snapshot_and_a_dead_stream_is_no_image(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """No snapshot address, and the stream address leads nowhere (RTSP is off): ffmpeg gets
    no frame, and Home Assistant reports that there is no image instead of waiting."""
    assert await async_setup_component(hass, "ffmpeg", {})
    camera.set_fault("GetSnapshotUri")
    await _setup(hass, config_entry)
    with pytest.raises(HomeAssistantError):
        await async_get_image(hass, MAIN)
    assert camera.request_counts["GetStreamUri"] == 1
