"""Detections in the simulator: ONVIF topics of every kind, bursts, flaky quirks, control, CLI."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import datetime as dt
import json
import time
from typing import Any

import aiohttp
import pytest

from simulator import CameraConfig, Quirk, VirtualCamera, __main__ as cli
from simulator.control import ControlServer
from simulator.detections import Kind

from .test_simulator_support import WAIT, client, notification_consumer, notification_messages

pytestmark = pytest.mark.usefixtures("socket_enabled")

# What the generic camera says over ONVIF for each kind's start (the end: the same, "false").
ONVIF: dict[Kind, tuple[str, str, str]] = {
    Kind.MOTION: ("tns1:RuleEngine/CellMotionDetector/Motion", "IsMotion", "true"),
    Kind.PERSON: ("tns1:RuleEngine/MyRuleDetector/PeopleDetect", "State", "true"),
    Kind.VEHICLE: ("tns1:RuleEngine/MyRuleDetector/VehicleDetect", "State", "true"),
    Kind.ANIMAL: ("tns1:RuleEngine/MyRuleDetector/DogCatDetect", "State", "true"),
    Kind.FACE: ("tns1:RuleEngine/MyRuleDetector/FaceDetect", "State", "true"),
    Kind.LINE_CROSSING: ("tns1:RuleEngine/LineDetector/Crossed", "ObjectId", "1"),
    Kind.INTRUSION: ("tns1:RuleEngine/FieldDetector/ObjectsInside", "IsInside", "true"),
    Kind.LOITERING: (
        "tns1:RuleEngine/LoiteringDetector/ObjectIsLoitering",
        "IsLoitering",
        "true",
    ),
    Kind.TAMPER: ("tns1:RuleEngine/TamperDetector/Tamper", "IsTamper", "true"),
    Kind.AUDIO: ("tns1:AudioAnalytics/Audio/DetectedSound", "IsSoundDetected", "true"),
    Kind.DIGITAL_INPUT: ("tns1:Device/Trigger/DigitalInput", "LogicalState", "true"),
}


@pytest.fixture
async def camera() -> AsyncIterator[VirtualCamera]:
    async with VirtualCamera(CameraConfig(rtsp=False)) as sim:
        yield sim


async def _pull(service: Any, timeout: float = 0.0) -> list[tuple[str, str, dict[str, str]]]:
    answer = await service.PullMessages(
        {"Timeout": dt.timedelta(seconds=timeout), "MessageLimit": 100}
    )
    return notification_messages(answer)


async def test_every_kind_on_its_onvif_topic(camera: VirtualCamera) -> None:
    async with client(camera) as device:
        await device.update_xaddrs()
        manager = await device.create_pullpoint_manager(dt.timedelta(minutes=5), lambda: None)
        service = manager.get_service()
        await _pull(service)  # the initial states
        for kind, (topic, item, value) in ONVIF.items():
            camera.raise_detection(kind, region="Gate")
            camera.raise_detection(kind, active=False, region="Gate")
            messages = await _pull(service)
            ends = [] if kind is Kind.LINE_CROSSING else [(topic, "Changed", {item: "false"})]
            assert [(t, op, data) for t, op, data in messages] == [
                (topic, messages[0][1], {item: value}),
                *ends,
            ], kind
        camera.raise_detection("tamper", pulse=True)  # a state topic: on, then off at once
        assert [data for _, _, data in await _pull(service)] == [
            {"IsTamper": "true"},
            {"IsTamper": "false"},
        ]
        await manager.shutdown()


async def test_a_persona_says_a_kind_on_its_own_topic() -> None:
    async with VirtualCamera(CameraConfig(persona="dahua", rtsp=False)) as dahua:
        dahua.raise_detection("tamper")
        message = dahua.events.current()
        tamper = [m for m in message if "GlobalSceneChange" in m.topic]
        assert [dict(m.data) for m in tamper] == [{"State": "true"}]


async def test_ignores_pull_timeout_and_drops_off_messages(camera: VirtualCamera) -> None:
    async with client(camera) as device:
        await device.update_xaddrs()
        manager = await device.create_pullpoint_manager(dt.timedelta(minutes=5), lambda: None)
        service = manager.get_service()
        await _pull(service)
        camera.set_quirk(Quirk.IGNORES_PULL_TIMEOUT)
        async with asyncio.timeout(5):  # a real long poll would take its 600 s
            assert await _pull(service, timeout=600) == []
        camera.set_quirk(Quirk.DROPS_OFF_MESSAGES)
        camera.raise_detection("motion")
        camera.raise_detection("motion", active=False)
        assert [data for _, _, data in await _pull(service)] == [{"IsMotion": "true"}]
        await manager.set_synchronization_point()  # the camera still knows it ended
        states = {t: data for t, _, data in await _pull(service)}
        assert states[ONVIF[Kind.MOTION][0]] == {"IsMotion": "false"}
        await manager.shutdown()


async def test_never_pushes(camera: VirtualCamera) -> None:
    camera.set_quirk(Quirk.NEVER_PUSHES)
    async with notification_consumer() as (url, received), client(camera) as device:
        await device.update_xaddrs()
        manager = await device.create_notification_manager(
            url, dt.timedelta(minutes=5), lambda: None
        )
        camera.raise_detection("motion")
        await manager.set_synchronization_point()
        camera.set_quirk(Quirk.NEVER_PUSHES, enabled=False)
        camera.raise_detection("motion", active=False)  # the first Notify ever sent
        async with asyncio.timeout(WAIT):
            body = await received.get()
        assert b'Value="false"' in body
        assert received.empty()
        await manager.shutdown()


async def test_bursts_and_bad_detections(camera: VirtualCamera) -> None:
    changes: list[bool] = []
    camera.events.listen(_Recorder(changes))
    loop = asyncio.get_running_loop()
    started = loop.time()
    await camera.detection_burst("motion", 3, within_ms=50)
    assert loop.time() - started >= 0.05
    assert changes == [True, False] * 3
    await camera.detection_burst("person", 2)
    assert changes[6:] == [True, False] * 2
    assert camera.events.ongoing == {}
    with pytest.raises(ValueError, match="unknown detection kind"):
        camera.raise_detection("smoke")
    with pytest.raises(ValueError, match="channel"):
        camera.raise_detection("motion", channel=0)
    with pytest.raises(ValueError, match="pulse"):
        camera.raise_detection("motion", active=False, pulse=True)
    with pytest.raises(ValueError, match="transitions"):
        await camera.detection_burst("motion", 0)
    with pytest.raises(ValueError, match="repeat_interval"):
        camera.set_stream_timing(repeat_interval=0)
    with pytest.raises(ValueError, match="heartbeat_interval"):
        CameraConfig(heartbeat_interval=float("nan"))


class _Recorder:
    def __init__(self, changes: list[bool]) -> None:
        self.changes = changes

    def detected(self, detection: Any) -> None:
        self.changes.append(detection.active)

    def drop(self) -> None:
        """Nothing to stop."""


async def test_control_routes_and_cli() -> None:
    config = CameraConfig(persona="dahua", rtsp=False)
    async with VirtualCamera(config) as camera:
        control = ControlServer([camera])
        port = await control.start()
        base = f"http://127.0.0.1:{port}/cameras/0"
        try:
            async with aiohttp.ClientSession() as session:

                async def post(route: str, body: dict[str, Any]) -> tuple[int, Any]:
                    async with session.post(f"{base}/{route}", json=body) as response:
                        text = await response.text()
                        return response.status, text

                status, text = await post("detection", {"kind": "motion"})
                assert (status, type(json.loads(text)["at"])) == (200, float)
                assert camera.events.ongoing != {}
                assert (await post("detection", {"kind": "motion", "active": False}))[0] == 200
                assert (await post("detection", {"kind": "smoke"}))[0] == 400
                assert (await post("detection", {"kind": "motion", "channel": "1"}))[0] == 400
                status, text = await post("burst", {"kind": "person", "transitions": 2})
                # The time of each of the four changes, in order (the events benchmark's
                # latencies start there).
                raised = json.loads(text)["at"]
                assert status == 200
                assert len(raised) == 4
                assert raised == sorted(raised)
                assert raised[0] > time.time() - 60
                assert (await post("burst", {"kind": "person", "transitions": 0}))[0] == 400
                status, text = await post("event_stream", {"serving": False})
                assert status == 200
                assert '"serving_event_stream": false' in text
                assert not camera.serving_event_stream
                status, text = await post("stream_timing", {"heartbeat_interval": 0.5})
                assert (status, camera.config.heartbeat_interval) == (200, 0.5)
                assert (await post("stream_timing", {"repeat_interval": -1}))[0] == 400
                async with session.get(f"{base}/stream_parts") as response:
                    assert await response.json() == {"stream_parts": {}}
            # The CLI talks to the same routes (in a thread: it runs its own event loop).
            run = cli.main
            assert (
                await asyncio.to_thread(
                    run, ["event", "--control-port", str(port), "tamper", "start"]
                )
                == 0
            )
            assert camera.events.ongoing != {}
            assert (
                await asyncio.to_thread(
                    run,
                    [
                        "burst",
                        "--control-port",
                        str(port),
                        "--region",
                        "Gate",
                        "intrusion",
                        "2",
                        "0",
                    ],
                )
                == 0
            )
            assert (
                await asyncio.to_thread(
                    run, ["event", "--control-port", str(port), "--camera", "3", "motion", "end"]
                )
                == 1
            )
        finally:
            await control.stop()


def test_cli_timing_options() -> None:
    args = cli.parse_args(
        ["--persona", "hikvision", "--repeat-interval", "0.2", "--heartbeat-interval", "3"]
    )
    [config] = cli.camera_configs(args)
    assert (config.persona, config.repeat_interval, config.heartbeat_interval) == (
        "hikvision",
        0.2,
        3.0,
    )
    assert config.manufacturer == "HIKVISION"
    with pytest.raises(SystemExit):
        cli.parse_args(["--repeat-interval", "0"])
