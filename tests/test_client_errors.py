"""The device client where one part of an otherwise working camera fails.

Each test makes one SOAP operation of the simulator fail (``VirtualCamera.set_fault``, or a
quirk of real firmware) and checks what the client makes of it: a fallback, a clear "not a
camera Homebound can use", or no snapshot rather than a crash.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import datetime as dt

import aiohttp
import pytest

from custom_components.homebound.device import (
    CameraUnreachableError,
    NotOnvifError,
    OnvifClient,
    SnapshotError,
)
from simulator import CameraConfig, Quirk, VirtualCamera


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """The HTTP session the client shares (Home Assistant's, in production)."""
    async with aiohttp.ClientSession() as http:
        yield http


def _client(camera: VirtualCamera, session: aiohttp.ClientSession) -> OnvifClient:
    return OnvifClient(
        camera.host, camera.onvif_port, camera.config.username, camera.config.password, session
    )


async def test_a_camera_refusing_device_information_is_not_usable(
    camera: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """GetDeviceInformation is mandatory: a camera that answers it with a fault is reported as
    not an ONVIF camera Homebound can use (the form's "not ONVIF"), not as a crash."""
    camera.set_fault("GetDeviceInformation")
    client = _client(camera, session)
    with pytest.raises(NotOnvifError, match="GetDeviceInformation failed"):
        await client.async_connect()
    assert not client.connected


async def test_a_camera_listing_no_services_is_not_usable(
    camera: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """Neither GetServices nor GetCapabilities answers: no service addresses, so no camera."""
    camera.set_fault("GetServices")
    camera.set_fault("GetCapabilities")
    client = _client(camera, session)
    with pytest.raises(NotOnvifError, match="lists no ONVIF services"):
        await client.async_connect()
    assert camera.request_counts["GetCapabilities"] == 1


async def test_failing_get_profiles_on_both_media_services_is_not_usable(
    camera: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """Media2 GetProfiles fails, so Media (ver10) is asked; when that fails too, the camera
    is reported as unusable rather than set up without streams."""
    camera.set_fault("GetProfiles")
    client = _client(camera, session)
    with pytest.raises(NotOnvifError, match="GetProfiles failed"):
        await client.async_connect()
    # Both services were asked: Media2 first, then the fallback.
    assert camera.request_counts["GetProfiles"] == 2


@pytest.mark.parametrize(
    "camera_config",
    [CameraConfig(rtsp=False, serial=" ", quirks=frozenset({Quirk.NO_NETWORK_INTERFACES}))],
    ids=["no_mac_no_serial"],
)
async def test_a_camera_without_mac_or_serial_is_not_usable(
    camera: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """Without a MAC address (GetNetworkInterfaces unsupported) and with a blank serial there
    is nothing to tell the camera apart by: it is refused instead of getting a random id."""
    client = _client(camera, session)
    with pytest.raises(NotOnvifError, match="neither a MAC address nor a serial"):
        await client.async_connect()


async def test_a_camera_without_a_snapshot_address_gives_no_snapshot(
    camera: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """GetSnapshotUri answers a fault: the profile has no snapshot address (remembered, not
    asked again), and asking for a snapshot is a SnapshotError, which the camera entity
    turns into "no image"."""
    camera.set_fault("GetSnapshotUri")
    client = _client(camera, session)
    info = await client.async_connect()
    try:
        profile = info.main_profile
        assert await client.async_get_snapshot_uri(profile) is None
        with pytest.raises(SnapshotError, match="no snapshot address"):
            await client.async_get_snapshot(profile)
        assert camera.request_counts["GetSnapshotUri"] == 1
        assert camera.snapshot_requests == 0
    finally:
        await client.async_close()


async def test_resuming_a_camera_whose_clock_is_off_signs_with_its_clock(
    camera: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """A camera whose clock is an hour ahead, resumed after a restart of Home Assistant: the
    stored offset is applied before the one authenticated call, so the camera accepts it
    without its clock being read again."""
    camera.skew_clock(3600)
    first = _client(camera, session)
    assert first.dt_diff is None  # not connected: no offset
    known = await first.async_connect()
    await first.async_close()
    assert known.clock_skew == pytest.approx(3600, abs=5)
    camera.reset_counts()
    client = _client(camera, session)
    try:
        assert await client.async_resume(known) is known
        offset = client.dt_diff
        assert offset is not None
        assert offset.total_seconds() == pytest.approx(3600, abs=5)
        assert offset == dt.timedelta(seconds=known.clock_skew)
        assert camera.request_counts["GetSystemDateAndTime"] == 0
        assert camera.request_counts["GetDeviceInformation"] == 1
    finally:
        await client.async_close()


async def test_a_snapshot_from_a_camera_that_went_away_is_unreachable(
    camera: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """The snapshot address is known, then the camera disappears (unplugged): fetching a
    snapshot reports the camera unreachable (so the entity falls back or goes unavailable),
    not an authentication problem."""
    client = _client(camera, session)
    info = await client.async_connect()
    try:
        assert await client.async_get_snapshot_uri(info.main_profile) is not None
        await camera.stop()
        with pytest.raises(CameraUnreachableError, match="snapshot request failed"):
            await client.async_get_snapshot(info.main_profile)
    finally:
        await client.async_close()
