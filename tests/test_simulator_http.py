"""The virtual camera's HTTP side: going offline and back."""

from __future__ import annotations

import asyncio
import datetime as dt

import aiohttp
from onvif.exceptions import ONVIFError
import pytest

from simulator import VirtualCamera

from .test_simulator_support import WAIT, client

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
