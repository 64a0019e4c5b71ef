"""``python -m simulator``: the JSON ready line and the control API, over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import contextlib
import json
import os
import signal
import sys
from typing import Any

import aiohttp
from onvif import ONVIFCamera
import pytest
from zeep.exceptions import Fault

from simulator import __main__ as cli

from .test_simulator_support import MOTION, REPO_ROOT

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
def simulator_env() -> dict[str, str]:
    """Environment for the child: the repository on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


async def test_python_m_simulator_and_control_api(simulator_env: dict[str, str]) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulator",
        "--count",
        "2",
        "--no-rtsp",
        "--discovery-port",
        "0",
        "--quirk",
        "no_network_interfaces",
        cwd=REPO_ROOT,
        env=simulator_env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        async with asyncio.timeout(30):
            line = await process.stdout.readline()
        ready = json.loads(line)
        cameras = ready["cameras"]
        assert [c["name"] for c in cameras] == ["Virtual Camera 1", "Virtual Camera 2"]
        assert [c["serial"] for c in cameras] == ["HBSIM0001", "HBSIM0002"]
        assert [c["mac"] for c in cameras] == ["02:48:42:00:00:01", "02:48:42:00:00:02"]
        assert all(c["host"] == "127.0.0.1" and c["rtsp_port"] is None for c in cameras)
        assert all(c["discovery_port"] for c in cameras)
        control = f"http://127.0.0.1:{ready['control_port']}"
        second = cameras[1]

        async def device_info(entry: dict[str, Any]) -> Any:
            device = ONVIFCamera(
                entry["host"], entry["onvif_port"], entry["username"], entry["password"]
            )
            try:
                mgmt = await device.create_devicemgmt_service()
                return await mgmt.GetDeviceInformation()
            finally:
                await device.close()

        assert (await device_info(second)).SerialNumber == "HBSIM0002"
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{control}/cameras") as response:
                listing = await response.json()
            assert [c["onvif_port"] for c in listing["cameras"]] == [
                c["onvif_port"] for c in cameras
            ]
            assert listing["cameras"][0]["quirks"] == ["no_network_interfaces"]

            async with session.post(f"{control}/cameras/1/online", json={"online": False}) as r:
                assert r.status == 200
                assert (await r.json())["online"] is False
            with pytest.raises(aiohttp.ClientError):
                await device_info(second)
            assert (await device_info(cameras[0])).SerialNumber == "HBSIM0001"
            async with session.post(f"{control}/cameras/1/online", json={"online": True}) as r:
                assert r.status == 200
            assert (await device_info(second)).SerialNumber == "HBSIM0002"

            async with session.post(f"{control}/cameras/0/clock", json={"skew": 3600}) as r:
                assert (await r.json())["clock_skew"] == 3600
            with pytest.raises(Fault):
                await device_info(cameras[0])
            async with session.post(
                f"{control}/cameras/0/quirks", json={"quirk": "basic_auth_snapshot"}
            ) as r:
                assert "basic_auth_snapshot" in (await r.json())["quirks"]
            async with session.post(
                f"{control}/cameras/0/event", json={"topic": MOTION, "data": {"IsMotion": "true"}}
            ) as r:
                assert r.status == 200
            async with session.post(f"{control}/cameras/7/online", json={"online": True}) as r:
                assert r.status == 404
            async with session.post(f"{control}/cameras/0/quirks", json={"quirk": "nope"}) as r:
                assert r.status == 400
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            _, stderr = await process.communicate()
    assert process.returncode == 0, stderr.decode(errors="replace")


@contextlib.asynccontextmanager
async def _simulator(env: dict[str, str], *args: str) -> AsyncIterator[dict[str, Any]]:
    """Run ``python -m simulator ARGS``; yield its ready line; stop it with SIGTERM."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulator",
        *args,
        cwd=REPO_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        async with asyncio.timeout(30):
            line = await process.stdout.readline()
        yield json.loads(line)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            _, stderr = await process.communicate()
    assert process.returncode == 0, stderr.decode(errors="replace")


async def test_control_api_delays_counts_and_reboot(simulator_env: dict[str, str]) -> None:
    async with _simulator(
        simulator_env,
        "--no-rtsp",
        "--sub-codec",
        "JPEG",
        "--delay",
        "GetScopes=inf",
        "--delay",
        "snapshot=0",
        "--quirk",
        "soap_401_no_body",
    ) as ready:
        [entry] = ready["cameras"]
        assert (entry["persona"], entry["main_codec"], entry["sub_codec"]) == (
            "generic",
            "H264",
            "JPEG",
        )
        assert entry["delays"] == {"GetScopes": "inf", "snapshot": 0.0}
        assert entry["quirks"] == ["soap_401_no_body"]
        control = f"http://127.0.0.1:{ready['control_port']}/cameras/0"
        device = ONVIFCamera(entry["host"], entry["onvif_port"], "admin", "secret")
        try:
            mgmt = await device.create_devicemgmt_service()
            async with aiohttp.ClientSession() as session:

                async def call(route: str, payload: Any = None) -> tuple[int, Any]:
                    method = session.get if payload is None else session.post
                    async with method(f"{control}/{route}", json=payload) as response:
                        body = await response.json() if response.status == 200 else None
                        return response.status, body

                assert await call("counts/reset", {}) == (200, {"counts": {}})
                await mgmt.GetDeviceInformation()
                await mgmt.GetHostname()
                await mgmt.GetHostname()
                assert await call("counts") == (
                    200,
                    {"counts": {"GetDeviceInformation": 1, "GetHostname": 2}},
                )

                hanging = asyncio.create_task(mgmt.GetScopes())
                status, described = await call("delay", {"target": "GetScopes", "seconds": None})
                assert (status, described["delays"]) == (200, {"snapshot": 0.0})
                assert len(await asyncio.wait_for(hanging, 30)) > 0
                status, described = await call("delay", {"target": "soap", "seconds": "inf"})
                assert described["delays"] == {"snapshot": 0.0, "soap": "inf"}
                status, described = await call("delay", {"target": "soap", "seconds": 0.25})
                assert described["delays"] == {"snapshot": 0.0, "soap": 0.25}
                for bad in ({"target": "soap", "seconds": -1}, {"target": "", "seconds": 1}):
                    assert (await call("delay", bad))[0] == 400
                assert (await call("delay", {"target": "soap", "seconds": True}))[0] == 400

                status, described = await call("reboot", {"downtime": 0, "lose_clock": True})
                assert status == 200
                assert described["online"] is True
                assert described["clock_skew"] < -20 * 365 * 86400
                answer = await mgmt.authless_GetSystemDateAndTime()
                assert answer.UTCDateTime.Date.Year == 2000
                bad_reboots: list[dict[str, Any]] = [
                    {"downtime": -1},
                    {"downtime": "x"},
                    {"lose_clock": 1},
                ]
                for bad in bad_reboots:
                    assert (await call("reboot", bad))[0] == 400
                assert (await call("counts"))[1]["counts"]["GetSystemDateAndTime"] == 1
        finally:
            await device.close()


def test_help_lists_the_controls(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.parse_args(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    for option in ("--persona", "--sub-codec", "--delay TARGET=SECONDS", "{H264,H265,JPEG}"):
        assert option in text
    for quirk in ("soap_401_no_body", "soap_http_digest", "stream_uri_fault"):
        assert quirk in text
    args = cli.parse_args(["--delay", "GetStreamUri=2.5", "--delay", "snapshot=inf"])
    assert args.delay == [("GetStreamUri", 2.5), ("snapshot", float("inf"))]
    for bad in ("GetStreamUri", "=1", "soap=-1", "soap=x"):
        with pytest.raises(SystemExit):
            cli.parse_args(["--delay", bad])
    configs = cli.camera_configs(cli.parse_args(["--count", "2", "--main-codec", "JPEG"]))
    assert [(c.name, c.serial, c.mac, c.main_codec) for c in configs] == [
        ("Virtual Camera 1", "HBSIM0001", "02:48:42:00:00:01", "JPEG"),
        ("Virtual Camera 2", "HBSIM0002", "02:48:42:00:00:02", "JPEG"),
    ]
