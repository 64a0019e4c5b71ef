"""Rebooting the virtual camera: what it drops, its downtime, and the clock it loses."""

from __future__ import annotations

import asyncio
import datetime as dt
import math

import aiohttp
from onvif.util import is_auth_error, stringify_onvif_error
import pytest
from zeep.exceptions import Fault

from simulator import CameraConfig, VirtualCamera

from .test_simulator_support import (
    MOTION,
    WAIT,
    camera_time,
    client,
    notification_consumer,
    soap_request,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_reboot_drops_subscriptions_connections_and_event_state(
    camera: VirtualCamera,
) -> None:
    async with client(camera) as device, notification_consumer() as (url, received):
        await device.update_xaddrs()
        manager = await device.create_pullpoint_manager(dt.timedelta(minutes=10), lambda: None)
        service = manager.get_service()
        await service.PullMessages({"Timeout": dt.timedelta(seconds=1), "MessageLimit": 10})
        pusher = await device.create_notification_manager(
            url, dt.timedelta(minutes=10), lambda: None
        )
        camera.trigger_event(MOTION, {"IsMotion": "true"})
        changed = await service.PullMessages(
            {"Timeout": dt.timedelta(seconds=5), "MessageLimit": 10}
        )
        assert len(changed.NotificationMessage) == 1
        async with asyncio.timeout(WAIT):  # the push consumer: 3 Initialized, 1 Changed
            pushed = [await received.get() for _ in range(4)]
        assert b"Changed" in pushed[-1]
        assert len(camera.events.subscriptions) == 2
        pulls = camera.requests.count("PullMessages")
        pending = asyncio.create_task(
            service.PullMessages({"Timeout": dt.timedelta(seconds=30), "MessageLimit": 10})
        )
        await camera.wait_for_request("PullMessages", pulls + 1)
        camera.set_delay("GetScopes", math.inf)
        async with aiohttp.ClientSession() as session:
            hanging = asyncio.create_task(
                session.post(
                    camera.url("/onvif/device_service"), data=soap_request("tds:GetScopes")
                )
            )
            await camera.wait_for_request("GetScopes")

            await asyncio.wait_for(camera.reboot(), WAIT)

            assert camera.online
            assert camera.events.subscriptions == []
            for task in (pending, hanging):
                with pytest.raises(aiohttp.ClientError):
                    await asyncio.wait_for(task, WAIT)
        camera.set_delay("GetScopes", None)
        with pytest.raises(Fault) as caught:
            await service.PullMessages({"Timeout": dt.timedelta(seconds=1), "MessageLimit": 1})
        assert "ResourceUnknownFault" in stringify_onvif_error(caught.value)

        # New subscriptions work, and start from the idle state.
        fresh = await device.create_pullpoint_manager(dt.timedelta(minutes=10), lambda: None)
        answer = await fresh.get_service().PullMessages(
            {"Timeout": dt.timedelta(seconds=5), "MessageLimit": 10}
        )
        motion = [m for m in answer.NotificationMessage if m.Topic._value_1 == MOTION]
        [item] = motion[0].Message._value_1.Data.SimpleItem
        assert (item.Name, item.Value) == ("IsMotion", "false")
        camera.trigger_event(MOTION, {"IsMotion": "true"})
        changed = await fresh.get_service().PullMessages(
            {"Timeout": dt.timedelta(seconds=5), "MessageLimit": 10}
        )
        assert changed.NotificationMessage[0].Message._value_1.PropertyOperation == "Changed"
        assert len(camera.events.subscriptions) == 1
        await fresh.shutdown()
        # The push subscription did not survive the reboot: the change above went nowhere.
        assert received.empty()
        await manager.shutdown()  # their Unsubscribe fails quietly: the camera forgot them
        await pusher.shutdown()


async def test_reboot_downtime_and_lost_clock(camera: VirtualCamera) -> None:
    camera.skew_clock(120)
    woken = asyncio.Event()
    loop = asyncio.get_running_loop()
    started = loop.time()
    with camera.state.watch(woken):
        reboot = asyncio.create_task(camera.reboot(downtime=0.5, lose_clock=True))
        await asyncio.wait_for(woken.wait(), WAIT)
    during = camera.online
    assert not during
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectorError):
            await session.get(camera.url("/"))
    await asyncio.wait_for(reboot, WAIT)
    assert loop.time() - started >= 0.5
    assert camera.online

    restart = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    assert dt.timedelta(0) <= camera.now() - restart < dt.timedelta(seconds=5)
    async with client(camera) as device:
        mgmt = await device.create_devicemgmt_service()
        answer = await mgmt.authless_GetSystemDateAndTime()
        assert dt.timedelta(0) <= camera_time(answer) - restart < dt.timedelta(seconds=5)
        with pytest.raises(Fault) as caught:
            await mgmt.GetDeviceInformation()
        assert is_auth_error(caught.value)
    async with client(camera, adjust_time=True) as device:
        await device.update_xaddrs()
        mgmt = await device.create_devicemgmt_service()
        assert (await mgmt.GetDeviceInformation()).SerialNumber == "HBSIM0001"

    # Without lose_clock the clock runs on, skew and all.
    camera.skew_clock(120)
    await asyncio.wait_for(camera.reboot(), WAIT)
    assert camera.clock_skew == 120


async def test_reboot_while_offline_stopped_or_stopping() -> None:
    camera = VirtualCamera(CameraConfig(rtsp=False))
    with pytest.raises(RuntimeError):
        await camera.reboot()
    await camera.start()
    try:
        with pytest.raises(ValueError, match="downtime"):
            await camera.reboot(downtime=-1)
        await camera.set_online(False)
        await asyncio.wait_for(camera.reboot(), WAIT)
        assert camera.online  # a reboot ends with the camera up

        woken = asyncio.Event()
        with camera.state.watch(woken):
            reboot = asyncio.create_task(camera.reboot(downtime=3600))
            await asyncio.wait_for(woken.wait(), WAIT)
        await asyncio.wait_for(camera.stop(), WAIT)
        await asyncio.wait_for(reboot, WAIT)  # a stop ends the downtime
        assert not camera.online
    finally:
        await camera.stop()
