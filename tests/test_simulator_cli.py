"""``python -m simulator``: the JSON ready line and the control API, over real HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from typing import Any

import aiohttp
from onvif import ONVIFCamera
import pytest
from zeep.exceptions import Fault

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
