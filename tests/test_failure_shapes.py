"""How real cameras fail, and what Homebound makes of it (simulator failure shapes)."""

from __future__ import annotations

import json
import math
from unittest.mock import patch

from homeassistant.components.camera import async_get_image, async_get_stream_source
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_PASSWORD, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.homebound.const import DOMAIN
from simulator import CameraConfig, Quirk, VirtualCamera

from .conftest import state_of
from .flows import manual_input, start_user_flow

MAIN = "camera.virtual_camera"


def _quirky(*quirks: Quirk, **config: object) -> CameraConfig:
    return CameraConfig(rtsp=False, quirks=frozenset(quirks), **config)  # type: ignore[arg-type]


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


@pytest.mark.parametrize("camera_config", [_quirky(Quirk.SOAP_401_NO_BODY)], ids=["bare_401"])
async def test_a_bare_401_in_the_flow_is_a_wrong_password(
    hass: HomeAssistant, camera: VirtualCamera
) -> None:
    """HTTP 401 without a SOAP body: the form says wrong password."""
    result = await start_user_flow(hass, manual=True)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**manual_input(camera), CONF_PASSWORD: "nope"}
    )
    assert result["errors"] == {"base": "invalid_auth"}


@pytest.mark.parametrize("camera_config", [_quirky(Quirk.SOAP_401_NO_BODY)], ids=["bare_401"])
async def test_a_bare_401_while_running_starts_reauth(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """HTTP 401 without a SOAP body for a changed password: the user is asked."""
    await _setup(hass, config_entry)
    camera.set_credentials("admin", "rotated")
    await config_entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


@pytest.mark.parametrize("camera_config", [_quirky(Quirk.SOAP_HTTP_DIGEST)], ids=["digest_soap"])
async def test_http_digest_on_the_soap_endpoint(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """Firmware that wants HTTP Digest on SOAP (onvif-zeep-async alone cannot) sets up."""
    result = await start_user_flow(hass, manual=True)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], manual_input(camera))
    assert result["type"] is FlowResultType.CREATE_ENTRY, result.get("errors")
    await hass.async_block_till_done()
    # Added by hand, so titled after maker and model.
    assert state_of(hass, "camera.homebound_virtual_camera_vc_1") != STATE_UNAVAILABLE
    assert camera.request_counts["GetDeviceInformation"] >= 1


@pytest.mark.parametrize(
    "camera_config", [_quirky(Quirk.STREAM_URI_FAULT)], ids=["stream_uri_fault"]
)
async def test_a_stream_uri_fault_means_no_stream_not_an_error(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """The stream component gets "no stream", not an exception; stills still work."""
    await _setup(hass, config_entry)
    assert await async_get_stream_source(hass, MAIN) is None
    assert (await async_get_image(hass, MAIN)).content.startswith(b"\xff\xd8")


@pytest.mark.parametrize(
    "camera_config", [_quirky(main_codec="JPEG", sub_codec="JPEG")], ids=["jpeg_only"]
)
async def test_a_jpeg_only_camera_is_refused_with_a_reason(
    hass: HomeAssistant, camera: VirtualCamera
) -> None:
    result = await start_user_flow(hass, manual=True)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], manual_input(camera))
    assert result["errors"] == {"base": "no_video_profiles"}


@pytest.mark.parametrize(
    "camera_config", [_quirky(Quirk.CREDENTIALS_IN_URIS)], ids=["credentials_in_uris"]
)
async def test_diagnostics_redact_credentials_in_query_strings(
    hass: HomeAssistant,
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Cameras that put the password in the stream address: diagnostics never show it."""
    await _setup(hass, config_entry)
    source = await async_get_stream_source(hass, MAIN)
    assert source is not None
    assert "password=secret" in source  # the camera's address, as the camera gave it
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, config_entry)
    text = json.dumps(diagnostics)
    assert "secret" not in text
    assert "password=" in text  # the key is kept, the value redacted
    assert "user=admin" not in text


async def test_slow_answers_are_waited_for(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """A camera that takes its time (a loaded NVR) still sets up."""
    camera.set_delay("soap", 0.3)
    await _setup(hass, config_entry)
    assert config_entry.state is ConfigEntryState.LOADED


async def test_a_hanging_health_check_makes_the_camera_unavailable(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """A camera that accepts the connection and never answers is unavailable, not stuck."""
    await _setup(hass, config_entry)
    client = config_entry.runtime_data.client
    camera.set_delay("GetDeviceInformation", math.inf)
    with patch.object(client, "_timeout", 0.5):
        await config_entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    assert state_of(hass, MAIN) == STATE_UNAVAILABLE
    camera.set_delay("GetDeviceInformation", None)


@pytest.mark.rtsp
@pytest.mark.parametrize("camera_config", [CameraConfig(rtsp=True)], ids=["rtsp"])
async def test_a_hanging_snapshot_still_gives_a_picture(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """A snapshot URL that never answers costs its budget, then the stream gives a frame
    within Home Assistant's 10 s; the next image skips the resting snapshot URL."""
    assert await async_setup_component(hass, "ffmpeg", {})
    await _setup(hass, config_entry)
    camera.set_delay("snapshot", math.inf)
    image = await async_get_image(hass, MAIN)
    assert image.content.startswith(b"\xff\xd8")
    assert config_entry.runtime_data.client.snapshots.resting
    before = camera.request_counts["snapshot"]
    assert (await async_get_image(hass, MAIN)).content.startswith(b"\xff\xd8")
    assert camera.request_counts["snapshot"] == before
    camera.set_delay("snapshot", None)
