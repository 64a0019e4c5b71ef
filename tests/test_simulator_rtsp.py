"""The virtual camera's RTSP server (GStreamer, a child process), probed with ffprobe."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import json
import logging
import os
from pathlib import Path
import shutil
import sys
from typing import Any

import pytest

from simulator import CameraConfig, VirtualCamera

from .test_simulator_support import WAIT, client

pytestmark = pytest.mark.usefixtures("socket_enabled")

GST_PYTHON = Path(os.environ.get("HOMEBOUND_GST_PYTHON") or "/usr/bin/python3")


def _gstreamer_available() -> bool:
    return GST_PYTHON.exists() and shutil.which("ffprobe") is not None


async def _ffprobe(url: str, transport: str) -> tuple[int, dict[str, Any], str]:
    process = await asyncio.create_subprocess_exec(
        "ffprobe",
        "-v",
        "error",
        "-rtsp_transport",
        transport,
        "-show_entries",
        "stream=codec_name,width,height",
        "-of",
        "json",
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    streams = json.loads(stdout or b"{}").get("streams", [{}])
    return process.returncode or 0, streams[0] if streams else {}, stderr.decode(errors="replace")


@pytest.fixture
async def rtsp_camera() -> AsyncIterator[VirtualCamera]:
    """A started camera with its RTSP server."""
    if not _gstreamer_available():
        pytest.skip("GStreamer's RTSP server (python3-gi) or ffprobe is not installed")
    async with VirtualCamera(CameraConfig()) as cam:
        yield cam


@pytest.mark.rtsp
async def test_rtsp_streams_tcp_udp_and_auth(rtsp_camera: VirtualCamera) -> None:
    cam = rtsp_camera
    assert cam.rtsp_port
    async with client(cam) as device:
        await device.update_xaddrs()
        media = await device.create_media_service()
        uri = (
            await media.GetStreamUri(
                {
                    "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                    "ProfileToken": "profile_main",
                }
            )
        ).Uri
    assert uri == f"rtsp://127.0.0.1:{cam.rtsp_port}/main"
    base = f"rtsp://admin:secret@127.0.0.1:{cam.rtsp_port}"
    (main_tcp, sub_udp, anonymous, wrong) = await asyncio.gather(
        _ffprobe(f"{base}/main", "tcp"),
        _ffprobe(f"{base}/sub", "udp"),
        _ffprobe(uri, "tcp"),
        _ffprobe(f"rtsp://admin:nope@127.0.0.1:{cam.rtsp_port}/main", "tcp"),
    )
    assert main_tcp[0] == 0, main_tcp[2]
    assert main_tcp[1] == {"codec_name": "h264", "width": 640, "height": 480}
    assert sub_udp[0] == 0, sub_udp[2]
    assert sub_udp[1] == {"codec_name": "h264", "width": 320, "height": 240}
    assert anonymous[0] != 0
    assert "401" in anonymous[2]
    assert wrong[0] != 0
    assert "401" in wrong[2]

    cam.set_credentials("admin", "changed")
    old, new = await asyncio.gather(
        _ffprobe(f"{base}/sub", "tcp"),
        _ffprobe(f"rtsp://admin:changed@127.0.0.1:{cam.rtsp_port}/sub", "tcp"),
    )
    assert "401" in old[2]
    assert new[0] == 0, new[2]


@pytest.mark.rtsp
async def test_rtsp_h265_main_stream() -> None:
    if not _gstreamer_available():
        pytest.skip("GStreamer's RTSP server (python3-gi) or ffprobe is not installed")
    async with VirtualCamera(CameraConfig(main_codec="H265")) as cam:
        assert cam.rtsp_port
        code, stream, stderr = await _ffprobe(
            f"rtsp://admin:secret@127.0.0.1:{cam.rtsp_port}/main", "tcp"
        )
        assert code == 0, stderr
        assert stream == {"codec_name": "hevc", "width": 640, "height": 480}
        pid = cam._rtsp.pid if cam._rtsp else None
    assert pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the child was reaped


async def test_without_gstreamer_the_camera_runs_without_rtsp(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # The test interpreter has no python3-gi: the child reports UNAVAILABLE.
    monkeypatch.setenv("HOMEBOUND_GST_PYTHON", sys.executable)
    async with VirtualCamera(CameraConfig()) as cam:
        assert cam.rtsp_port is None
        async with client(cam) as device:
            mgmt = await device.create_devicemgmt_service()
            assert (await mgmt.GetDeviceInformation()).SerialNumber == "HBSIM0001"
    assert "running without RTSP" in caplog.text


@pytest.mark.rtsp
async def test_rtsp_serves_no_jpeg_profile_and_reboot_drops_its_clients() -> None:
    if not _gstreamer_available():
        pytest.skip("GStreamer's RTSP server (python3-gi) or ffprobe is not installed")
    async with VirtualCamera(CameraConfig(sub_codec="JPEG")) as cam:
        assert cam.rtsp_port
        base = f"rtsp://admin:secret@127.0.0.1:{cam.rtsp_port}"
        main, sub = await asyncio.gather(
            _ffprobe(f"{base}/main", "tcp"), _ffprobe(f"{base}/sub", "tcp")
        )
        assert main[0] == 0, main[2]
        assert main[1] == {"codec_name": "h264", "width": 640, "height": 480}
        assert sub[0] != 0
        assert "404" in sub[2]

        reader, writer = await asyncio.open_connection("127.0.0.1", cam.rtsp_port)
        try:
            url = f"rtsp://127.0.0.1:{cam.rtsp_port}/main"
            writer.write(f"OPTIONS {url} RTSP/1.0\r\nCSeq: 1\r\n\r\n".encode())
            async with asyncio.timeout(WAIT):
                head = await reader.readuntil(b"\r\n\r\n")
            assert head.startswith(b"RTSP/1.0 200")
            await asyncio.wait_for(cam.reboot(), WAIT)
            async with asyncio.timeout(WAIT):
                assert await reader.read() == b""  # the camera closed the connection
        finally:
            writer.close()
        code, _, stderr = await _ffprobe(f"{base}/main", "tcp")
        assert code == 0, stderr


async def test_jpeg_only_camera_needs_no_rtsp(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="simulator")
    async with VirtualCamera(CameraConfig(main_codec="JPEG", sub_codec="JPEG")) as cam:
        assert cam.config.jpeg_only
        assert cam.rtsp_port is None
        async with client(cam) as device:
            await device.update_xaddrs()
            assert await device.get_snapshot("profile_main")
    assert "no profile to stream" in caplog.text
    assert "running without RTSP" not in caplog.text
