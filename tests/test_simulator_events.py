"""The virtual camera's events: properties, PullPoint long polls and push notifications."""

from __future__ import annotations

import asyncio
import datetime as dt

from lxml import etree
import pytest
from zeep.exceptions import Fault

from simulator import VirtualCamera

from .test_simulator_support import (
    MOTION,
    WAIT,
    client,
    notification_consumer,
    notification_messages,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_event_properties(camera: VirtualCamera) -> None:
    async with client(camera) as device:
        await device.update_xaddrs()
        events = await device.create_events_service()
        properties = await events.GetEventProperties()
        assert "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet" in (
            properties.TopicExpressionDialect
        )
        topic_set = "".join(etree.tostring(e).decode() for e in properties.TopicSet._value_1)
        for name in ("VideoSource", "MotionAlarm", "RuleEngine", "CellMotionDetector", "IsMotion"):
            assert name in topic_set
        capabilities = await events.GetServiceCapabilities()
        assert capabilities.WSPullPointSupport is True


async def test_pullpoint_long_poll(camera: VirtualCamera) -> None:
    lost: list[bool] = []
    async with client(camera) as device:
        await device.update_xaddrs()
        manager = await device.create_pullpoint_manager(
            dt.timedelta(minutes=10), lambda: lost.append(True)
        )
        service = manager.get_service()
        # A new subscription first gets the state of every property.
        initial = await service.PullMessages(
            {"Timeout": dt.timedelta(seconds=5), "MessageLimit": 10}
        )
        assert {(topic, operation) for topic, operation, _ in notification_messages(initial)} >= {
            (MOTION, "Initialized"),
            ("tns1:VideoSource/MotionAlarm", "Initialized"),
        }
        assert initial.TerminationTime - initial.CurrentTime > dt.timedelta(minutes=9)

        # Nothing queued: the pull waits for its whole Timeout.
        loop = asyncio.get_running_loop()
        started = loop.time()
        empty = await service.PullMessages({"Timeout": dt.timedelta(seconds=1), "MessageLimit": 10})
        assert notification_messages(empty) == []
        assert loop.time() - started >= 0.9

        # A waiting pull returns as soon as an event is raised.
        pulls = camera.requests.count("PullMessages")
        pending = asyncio.create_task(
            service.PullMessages({"Timeout": dt.timedelta(seconds=30), "MessageLimit": 10})
        )
        await camera.wait_for_request("PullMessages", pulls + 1)
        started = loop.time()
        camera.trigger_event(MOTION, {"IsMotion": "true"})
        answer = await asyncio.wait_for(pending, WAIT)
        assert loop.time() - started < 5
        [(topic, operation, data)] = notification_messages(answer)
        assert (topic, operation, data) == (MOTION, "Changed", {"IsMotion": "true"})
        message = answer.NotificationMessage[0]
        assert message.Topic.Dialect == "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
        source = {i.Name: i.Value for i in message.Message._value_1.Source.SimpleItem}
        assert source["VideoSourceConfigurationToken"] == "vsc_main"

        # MessageLimit is honoured; the rest waits for the next pull.
        camera.trigger_event(MOTION, {"IsMotion": "false"})
        camera.trigger_event(
            "tns1:VideoSource/MotionAlarm", {"State": "true"}, {"Source": "vs_main"}
        )
        first = await service.PullMessages({"Timeout": dt.timedelta(seconds=5), "MessageLimit": 1})
        second = await service.PullMessages({"Timeout": dt.timedelta(seconds=5), "MessageLimit": 1})
        assert [m[2] for m in notification_messages(first) + notification_messages(second)] == [
            {"IsMotion": "false"},
            {"State": "true"},
        ]

        # SetSynchronizationPoint re-sends the current states.
        await manager.set_synchronization_point()
        synced = await service.PullMessages(
            {"Timeout": dt.timedelta(seconds=5), "MessageLimit": 10}
        )
        states = {
            topic: (operation, data) for topic, operation, data in notification_messages(synced)
        }
        assert states[MOTION] == ("Initialized", {"IsMotion": "false"})
        assert states["tns1:VideoSource/MotionAlarm"] == ("Initialized", {"State": "true"})

        subscription = await device.create_subscription_service("PullPointSubscription")
        renewed = await subscription.Renew("PT120S")
        assert dt.timedelta(seconds=110) < renewed.TerminationTime - renewed.CurrentTime
        await manager.shutdown()
        assert "Unsubscribe" in camera.requests
        with pytest.raises(Fault):
            await service.PullMessages({"Timeout": dt.timedelta(seconds=1), "MessageLimit": 1})
    assert lost == []


async def test_notify_subscription_pushes_to_consumer(camera: VirtualCamera) -> None:
    async with notification_consumer() as (consumer_url, received), client(camera) as device:
        await device.update_xaddrs()
        manager = await device.create_notification_manager(
            consumer_url, dt.timedelta(minutes=10), lambda: None
        )

        async def next_message() -> tuple[str, str, dict[str, str]]:
            async with asyncio.timeout(WAIT):
                body = await received.get()
            parsed = manager.process(body)
            assert parsed is not None
            [message] = notification_messages(parsed)
            return message

        initial = [await next_message() for _ in range(3)]
        assert {operation for _, operation, _ in initial} == {"Initialized"}
        assert MOTION in {topic for topic, _, _ in initial}

        camera.trigger_event(MOTION, {"IsMotion": "true"})
        camera.trigger_event(MOTION, {"IsMotion": "false"})
        assert await next_message() == (MOTION, "Changed", {"IsMotion": "true"})
        assert await next_message() == (MOTION, "Changed", {"IsMotion": "false"})

        await manager.set_synchronization_point()
        synced = [await next_message() for _ in range(3)]
        assert (MOTION, "Initialized", {"IsMotion": "false"}) in synced

        subscription = await device.create_subscription_service("NotificationConsumer")
        renewed = await subscription.Renew("PT300S")
        assert renewed.TerminationTime > renewed.CurrentTime
        await manager.shutdown()
        assert camera.requests[-1] == "Unsubscribe"
        camera.trigger_event(MOTION, {"IsMotion": "true"})
        assert received.empty()
        assert camera.events.subscriptions == []
