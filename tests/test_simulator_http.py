"""The virtual camera's HTTP side: going offline and back, delays and hangs, request counts."""

from __future__ import annotations

import asyncio
from collections import Counter
import datetime as dt
import math

import aiohttp
from onvif.exceptions import ONVIFError
import pytest

from simulator import CameraConfig, VirtualCamera

from .test_simulator_support import WAIT, client, post, soap_request

DEVICE = "/onvif/device_service"

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_offline_and_back_on_the_same_port(camera: VirtualCamera) -> None:
    port = camera.onvif_port
    async with client(camera) as device:
        await device.update_xaddrs()
        mgmt = await device.create_devicemgmt_service()
        manager = await device.create_pullpoint_manager(dt.timedelta(minutes=10), lambda: None)
        service = manager.get_service()
        await service.PullMessages({"Timeout": dt.timedelta(seconds=1), "MessageLimit": 10})
        pulls = camera.requests.count("PullMessages")
        pending = asyncio.create_task(
            service.PullMessages({"Timeout": dt.timedelta(seconds=30), "MessageLimit": 10})
        )
        await camera.wait_for_request("PullMessages", pulls + 1)

        await camera.set_online(False)
        assert not camera.online
        # The long poll in flight is dropped with its connection.
        with pytest.raises(aiohttp.ClientError):
            await asyncio.wait_for(pending, WAIT)
        with pytest.raises((aiohttp.ClientError, ONVIFError)):
            await mgmt.GetDeviceInformation()
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.ClientConnectorError):
                await session.get(camera.url("/"))

        await camera.set_online(True)
        assert camera.onvif_port == port
        assert (await mgmt.GetDeviceInformation()).SerialNumber == "HBSIM0001"
        await manager.shutdown()


async def _soap(
    session: aiohttp.ClientSession, camera: VirtualCamera, operation: str, children: str = ""
) -> int:
    path = "/onvif/media_service" if operation.startswith("trt:") else DEVICE
    status, _, _ = await post(session, camera, path, soap_request(operation, children))
    return status


async def test_delay_of_one_operation_and_its_release(camera: VirtualCamera) -> None:
    camera.set_delay("GetDeviceInformation", math.inf)
    assert camera.delays == {"GetDeviceInformation": math.inf}
    async with aiohttp.ClientSession() as session:
        hanging = asyncio.create_task(_soap(session, camera, "tds:GetDeviceInformation"))
        await camera.wait_for_request("GetDeviceInformation")
        # Other operations are not held meanwhile.
        assert await _soap(session, camera, "tds:GetScopes") == 200
        assert await _soap(session, camera, "trt:GetProfiles") == 200
        assert not hanging.done()
        # Changing the delay applies to the waiting request: zero releases it.
        camera.set_delay("GetDeviceInformation", 0)
        assert await asyncio.wait_for(hanging, WAIT) == 200
        camera.set_delay("GetDeviceInformation", None)
        assert camera.delays == {}

        # A finite delay holds at least that long.
        camera.set_delay("GetScopes", 0.3)
        loop = asyncio.get_running_loop()
        started = loop.time()
        assert await _soap(session, camera, "tds:GetScopes") == 200
        assert loop.time() - started >= 0.3

        # "soap" holds every operation; an operation's own delay wins over it.
        camera.set_delay("soap", math.inf)
        camera.set_delay("GetScopes", 0)
        hanging = asyncio.create_task(_soap(session, camera, "trt:GetProfiles"))
        await camera.wait_for_request("GetProfiles", 2)
        assert await _soap(session, camera, "tds:GetScopes") == 200
        assert not hanging.done()
        camera.set_delay("soap", None)
        assert await asyncio.wait_for(hanging, WAIT) == 200

    for target, seconds in (("GetScopes", -1.0), ("GetScopes", math.nan), ("", 1.0)):
        with pytest.raises(ValueError, match="delay"):
            camera.set_delay(target, seconds)


async def test_hang_until_offline_drops_the_connection(camera: VirtualCamera) -> None:
    camera.set_delay("GetStreamUri", math.inf)
    async with client(camera) as device:
        await device.update_xaddrs()
        media = await device.create_media_service()
        hanging = asyncio.create_task(
            media.GetStreamUri(
                {
                    "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                    "ProfileToken": "profile_main",
                }
            )
        )
        await camera.wait_for_request("GetStreamUri")
        await camera.set_online(False)
        with pytest.raises((aiohttp.ClientError, ONVIFError)):
            await asyncio.wait_for(hanging, WAIT)
        await camera.set_online(True)
        # The delay stays until removed: the next call hangs too, until it is.
        second = asyncio.create_task(
            media.GetStreamUri(
                {
                    "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                    "ProfileToken": "profile_sub",
                }
            )
        )
        await camera.wait_for_request("GetStreamUri", 2)
        camera.set_delay("GetStreamUri", None)
        assert (await asyncio.wait_for(second, WAIT)).Uri == "rtsp://127.0.0.1:554/sub"


async def test_snapshot_hang_until_stop() -> None:
    camera = VirtualCamera(CameraConfig(rtsp=False))
    await camera.start()
    try:
        camera.set_delay("snapshot", math.inf)
        async with aiohttp.ClientSession() as session:
            hanging = asyncio.create_task(session.get(camera.url("/snapshot/profile_main.jpg")))
            await camera.wait_for_request("snapshot")
            await asyncio.wait_for(camera.stop(), WAIT)
            with pytest.raises(aiohttp.ClientError):
                await asyncio.wait_for(hanging, WAIT)
    finally:
        await camera.stop()
    assert camera.request_counts == Counter({"snapshot": 1})
    assert camera.snapshot_requests == 0


async def test_finite_snapshot_delay(camera: VirtualCamera) -> None:
    camera.set_delay("snapshot", 0.3)
    digest = aiohttp.DigestAuthMiddleware("admin", "secret")
    loop = asyncio.get_running_loop()
    async with aiohttp.ClientSession() as session:
        started = loop.time()
        async with session.get(
            camera.url("/snapshot/profile_sub.jpg"), middlewares=(digest,)
        ) as response:
            assert response.status == 200
        # Two GETs (the challenge, then the answer), each held.
        assert loop.time() - started >= 0.6
    assert camera.request_counts["snapshot"] == 2


async def test_request_counts(camera: VirtualCamera) -> None:
    async with aiohttp.ClientSession() as session:
        assert await _soap(session, camera, "tds:GetScopes") == 200
        camera.reset_counts()
        assert camera.request_counts == Counter()
        assert await _soap(session, camera, "tds:GetDeviceInformation") == 200
        status, _, _ = await post(
            session, camera, DEVICE, soap_request("tds:GetDeviceInformation", password="x")
        )
        assert status == 400  # refused requests count too
        assert await _soap(session, camera, "trt:GetProfiles") == 200
        url = camera.url("/snapshot/profile_main.jpg")
        async with session.get(url) as response:
            assert response.status == 401
        digest = aiohttp.DigestAuthMiddleware("admin", "secret")
        async with session.get(url, middlewares=(digest,)) as response:
            assert response.status == 200
        await camera.wait_for_request("snapshot", 3)
    assert camera.request_counts == Counter(
        {"GetDeviceInformation": 2, "GetProfiles": 1, "snapshot": 3}
    )
    before = ["GetScopes", "GetDeviceInformation", "GetDeviceInformation", "GetProfiles"]
    assert camera.requests == before  # reset_counts does not touch requests

    camera.reset_counts()
    async with client(camera) as device:
        await device.update_xaddrs()
        mgmt = await device.create_devicemgmt_service()
        await mgmt.GetDeviceInformation()
        assert await device.get_snapshot("profile_sub")
    since = camera.requests[len(before) :]
    assert camera.request_counts == Counter(since) + Counter({"snapshot": 2})
    assert camera.request_counts["GetDeviceInformation"] == 1
    assert camera.snapshot_requests == 2
