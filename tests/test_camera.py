"""Camera entities: profiles, stream sources and snapshots."""

from __future__ import annotations

import asyncio
from http import HTTPStatus

from homeassistant.components.camera import async_get_image, async_get_stream_source
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.homebound.cameras.video import stream_rank
from custom_components.homebound.const import CONF_RTSP_TRANSPORT
from custom_components.homebound.device import MediaProfile
from simulator import CameraConfig, Quirk, VirtualCamera

from .conftest import state_of
from .entities import entity_snapshot
from .events_helpers import source_live

MAIN = "camera.virtual_camera"
SUB = "camera.virtual_camera_sub_stream"


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def test_entities(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """One camera per profile, the highest resolution enabled, the others disabled; a sensor
    per declared detection; an event entity. Taken once the event source answered (before,
    the sensors are unknown; how long that takes is the source's business, not this test's)."""
    await _setup(hass, config_entry)
    async with asyncio.timeout(30):
        await config_entry.runtime_data.hub.first_alive.wait()
        await config_entry.runtime_data.settings.first_audit.wait()
    await source_live(config_entry)
    await hass.async_block_till_done()
    entries = er.async_entries_for_config_entry(entity_registry, config_entry.entry_id)
    assert sorted((e.entity_id, e.disabled_by) for e in entries) == [
        ("binary_sensor.virtual_camera_motion", None),
        ("binary_sensor.virtual_camera_tamper", None),
        (MAIN, None),
        (SUB, er.RegistryEntryDisabler.INTEGRATION),
        ("event.virtual_camera_detections", None),
        ("sensor.virtual_camera_clock_offset", None),
        ("sensor.virtual_camera_cloud_features_on", None),
        ("sensor.virtual_camera_event_source", None),
        ("sensor.virtual_camera_maker_status", None),
    ]
    found = entity_snapshot(hass, entity_registry, config_entry.entry_id)
    for entity in found:  # the camera's clock ticks in whole seconds, ours does not
        if entity["entity_id"] == "sensor.virtual_camera_clock_offset":
            assert abs(int(entity["state"])) <= 1
            entity["state"] = "0 ± 1"
        if entity["entity_id"] == "sensor.virtual_camera_event_source":
            assert entity["attributes"]["since"]  # when this run's source went live
            entity["attributes"]["since"] = "(time)"
    assert found == snapshot


@pytest.mark.parametrize(
    "camera_config", [CameraConfig(rtsp=False, main_codec="H265")], ids=["h265"]
)
async def test_h265_via_media2(hass: HomeAssistant, config_entry: MockConfigEntry) -> None:
    """An H.265 main stream, described only by Media2, is a camera entity too."""
    await _setup(hass, config_entry)
    assert state_of(hass, MAIN) == "idle"
    main = config_entry.runtime_data.info.main_profile
    assert (main.codec, main.width, main.height, main.media_version) == ("H265", 640, 480, 2)


@pytest.mark.rtsp
@pytest.mark.parametrize("camera_config", [CameraConfig(rtsp=True)], ids=["rtsp"])
async def test_stream_source_has_credentials(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """The stream source is the profile's RTSP URI with the credentials inserted."""
    await _setup(hass, config_entry)
    source = await async_get_stream_source(hass, MAIN)
    assert source is not None
    assert source.startswith(f"rtsp://admin:secret@127.0.0.1:{camera.rtsp_port}/")
    assert source.endswith("/main")


async def test_rtsp_transport_option(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """The chosen RTSP transport is handed to Home Assistant's stream component."""
    entry = MockConfigEntry(
        domain="homebound",
        unique_id=camera.config.mac,
        data={
            "host": camera.host,
            "port": camera.onvif_port,
            "username": "admin",
            "password": "secret",
            "mac": camera.config.mac,
        },
        options={CONF_RTSP_TRANSPORT: "udp"},
        title="Virtual Camera",
    )
    entry.add_to_hass(hass)
    await _setup(hass, entry)
    entity = hass.data["camera"].get_entity(MAIN)
    assert entity.stream_options["rtsp_transport"] == "udp"


async def test_snapshot_digest(
    hass: HomeAssistant,
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Snapshots come from the ONVIF snapshot URI with digest auth, through the camera proxy."""
    await _setup(hass, config_entry)
    client = await hass_client()
    response = await client.get(f"/api/camera_proxy/{MAIN}")
    assert response.status == HTTPStatus.OK
    body = await response.read()
    assert body.startswith(b"\xff\xd8")
    assert camera.snapshot_requests >= 1
    assert config_entry.runtime_data.client.snapshots.scheme == "digest"


@pytest.mark.parametrize(
    "camera_config",
    [CameraConfig(rtsp=False, quirks=frozenset({Quirk.BASIC_AUTH_SNAPSHOT}))],
    ids=["basic"],
)
async def test_snapshot_basic(hass: HomeAssistant, config_entry: MockConfigEntry) -> None:
    """A camera that wants HTTP Basic for snapshots gets it."""
    await _setup(hass, config_entry)
    image = await async_get_image(hass, MAIN)
    assert image.content.startswith(b"\xff\xd8")
    assert config_entry.runtime_data.client.snapshots.scheme == "basic"


async def test_offline_camera_is_unavailable(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """Entities of an offline camera are unavailable after the next health check."""
    await _setup(hass, config_entry)
    await camera.set_online(False)
    await config_entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    assert state_of(hass, MAIN) == STATE_UNAVAILABLE


async def test_no_stream_source_when_offline(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """An offline camera has no stream source rather than an exception."""
    await _setup(hass, config_entry)
    await camera.set_online(False)
    assert await async_get_stream_source(hass, MAIN) is None
    assert camera.requests[-1] != "GetStreamUri"  # offline: the request never arrived


def _profile(token: str, name: str, width: int) -> MediaProfile:
    return MediaProfile(token=token, name=name, codec="H264", width=width, height=width * 3 // 4)


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["MainStream", "SubStream"], ["main", "sub"]),
        (["mainStream", "Sub"], ["main", "sub"]),
        (["Profile_1", "Profile_2"], ["main", "sub"]),
        (["101", "102", "103"], ["main", "sub", "third"]),
        (["Profile_1", "Profile_2", "Profile_3", "Profile_4"], ["main", "sub", "third", "other"]),
        (["Main", "Third", "Second"], ["main", "third", "sub"]),
    ],
)
def test_stream_names_read_well(names: list[str], expected: list[str]) -> None:
    """Whatever the firmware calls its profiles, entities read "Sub stream", "Third stream",
    "Stream 4" — never "Stream SubStream"."""
    profiles = tuple(_profile(f"t{i}", name, 1920 // (i + 1)) for i, name in enumerate(names))
    assert [stream_rank(profiles, p)[0] for p in profiles] == expected
    assert stream_rank(profiles, profiles[-1])[1] == len(names)


async def test_existing_entity_ids_stay(
    hass: HomeAssistant, config_entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """Entries made before streams were renamed keep their entity ids."""
    entity_registry.async_get_or_create(
        "camera",
        "homebound",
        "02:48:42:00:00:01_profile_sub",
        suggested_object_id="virtual_camera_stream_substream",
        config_entry=config_entry,
    )
    await _setup(hass, config_entry)
    entry = entity_registry.async_get("camera.virtual_camera_stream_substream")
    assert entry is not None
    assert entry.translation_key == "sub_stream"
    assert entity_registry.async_get(SUB) is None


async def test_snapshot_address_learnt_once_running(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """The main stream's snapshot address is asked for right after setup (not on the first
    image), and the first image then costs the camera no SOAP request."""
    await _setup(hass, config_entry)
    assert camera.request_counts["GetSnapshotUri"] == 1
    camera.reset_counts()
    image = await async_get_image(hass, MAIN)
    assert image.content[:2] == b"\xff\xd8"
    assert camera.request_counts["GetSnapshotUri"] == 0
    assert camera.request_counts["snapshot"] >= 1
