"""Run ipycam (PyPI), a third-party ONVIF server, as a loopback test peer.

``script/setup`` installs ipycam into its own virtual environment, ``.venv-ipycam`` (and one
inside the newest test leg's root).
:func:`run_ipycam` writes a camera configuration with free loopback ports, renders a
short H.264 test clip with ffmpeg (cached in the work directory), starts
``ipycam_launch.py`` in its own process group and waits for the launcher's readiness
line. On exit the whole process group (ipycam and the ffmpeg encoders it spawns) is
killed and the child is reaped.

Usable from a pytest-homeassistant-custom-component test: it only uses an asyncio
subprocess and loopback sockets, and leaves no task or thread behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
import json
import os
from pathlib import Path
import shutil
import signal
import socket
import time

from .ipycam_launch import FAILED_PREFIX, READY_PREFIX

REPO_ROOT = Path(__file__).resolve().parents[2]
IPYCAM_PYTHON = Path(
    os.environ.get("HOMEBOUND_IPYCAM_PYTHON") or REPO_ROOT / ".venv-ipycam" / "bin" / "python"
)
"""ipycam's interpreter: .venv-ipycam, or the newest test leg's own (script/test sets it)."""
LAUNCHER = Path(__file__).resolve().with_name("ipycam_launch.py")

LOOPBACK = "127.0.0.1"
USERNAME = "admin"
PASSWORD = "secret"  # a throwaway credential of a loopback test peer
MAIN_STREAM = "video_main"
SUB_STREAM = "video_sub"
CLIP_NAME = "ipycam-testsrc.mp4"

START_TIMEOUT = 60.0
CLIP_TIMEOUT = 60.0
CONNECT_TIMEOUT = 10.0
LOG_TAIL_LINES = 40


class IpycamError(RuntimeError):
    """ipycam could not be prepared or started."""


@dataclass(frozen=True, kw_only=True, slots=True)
class IpycamPeer:
    """Where a running ipycam listens and how to log in."""

    onvif_port: int
    rtsp_port: int
    host: str = LOOPBACK
    username: str = USERNAME
    password: str = PASSWORD
    pid: int = 0
    log_path: Path | None = None

    def rtsp_url(self, stream: str = MAIN_STREAM, *, with_credentials: bool = False) -> str:
        """Return the RTSP address of one of ipycam's two streams."""
        auth = f"{self.username}:{self.password}@" if with_credentials else ""
        return f"rtsp://{auth}{self.host}:{self.rtsp_port}/{stream}"


def ipycam_available() -> bool:
    """Return True when script/setup has created the ipycam virtual environment."""
    return IPYCAM_PYTHON.is_file() and os.access(IPYCAM_PYTHON, os.X_OK)


def _free_ports(count: int) -> list[int]:
    """Return ``count`` distinct TCP ports on 127.0.0.1 that were free a moment ago."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((LOOPBACK, 0))
            sockets.append(sock)
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _camera_config(onvif_port: int, rtsp_port: int, idle_port: int) -> dict[str, object]:
    """Build ipycam's camera_config.json.

    Bitrates must be upper-case ("256K"): ipycam answers GetProfiles with a 500
    fault when given "256k". ``go2rtc_api_port`` points at a port nothing listens
    on, so ipycam falls back to its native RTSP server instead of pushing to go2rtc.
    """
    return {
        "name": "IPyCam Test",
        "local_ip": LOOPBACK,
        "onvif_port": onvif_port,
        "rtsp_port": rtsp_port,
        "go2rtc_api_port": idle_port,
        "rtmp_port": idle_port,
        "web_port": onvif_port,
        "main_width": 640,
        "main_height": 480,
        "main_fps": 15,
        "main_bitrate": "1M",
        "sub_width": 320,
        "sub_height": 240,
        "sub_fps": 15,
        "sub_bitrate": "256K",
        "hw_accel": "cpu",
        "username": USERNAME,
        "password": PASSWORD,
        "show_timestamp": True,
        "recording_enabled": False,
    }


async def _run_to_completion(args: list[str], timeout: float) -> tuple[int, str]:
    """Run a short helper program, bounded in time; return its exit code and stderr."""
    proc = await asyncio.create_subprocess_exec(
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, stderr = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        await proc.wait()
        raise
    return proc.returncode or 0, stderr.decode(errors="replace")


async def ensure_test_clip(workdir: Path) -> Path:
    """Return a short 640x480 H.264 clip in ``workdir``, rendering it once."""
    clip = workdir / CLIP_NAME
    if clip.is_file() and clip.stat().st_size > 0:
        return clip
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        msg = "ffmpeg is not installed; run script/setup"
        raise IpycamError(msg)
    partial = workdir / f".{CLIP_NAME}.{os.getpid()}.mp4"
    code, stderr = await _run_to_completion(
        [
            ffmpeg,
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=640x480:rate=15",
            "-t",
            "6",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            str(partial),
        ],
        CLIP_TIMEOUT,
    )
    if code != 0:
        partial.unlink(missing_ok=True)
        msg = f"ffmpeg could not render the test clip (exit {code}): {stderr.strip()}"
        raise IpycamError(msg)
    partial.replace(clip)
    return clip


def _log_tail(log_path: Path) -> str:
    """Return the last lines of ipycam's log, for error messages."""
    try:
        lines = log_path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(lines[-LOG_TAIL_LINES:])


async def _wait_connectable(host: str, port: int, deadline: float) -> None:
    """Connect to host:port once it accepts, retrying until ``deadline`` (monotonic)."""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            msg = f"{host}:{port} did not accept connections in time"
            raise IpycamError(msg)
        try:
            _, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port), min(remaining, CONNECT_TIMEOUT)
            )
        except (OSError, TimeoutError):
            # The launcher reported the socket as listening, so a refusal is transient.
            await asyncio.sleep(0.05)
            continue
        writer.close()
        with suppress(OSError):
            await writer.wait_closed()
        return


async def _wait_ready(
    proc: asyncio.subprocess.Process, log_path: Path, deadline: float
) -> dict[str, int]:
    """Read the launcher's stdout until its readiness line; fail on exit or timeout."""
    assert proc.stdout is not None
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            msg = f"ipycam did not report readiness in {START_TIMEOUT:.0f}s:\n{_log_tail(log_path)}"
            raise IpycamError(msg)
        try:
            raw = await asyncio.wait_for(proc.stdout.readline(), remaining)
        except TimeoutError:
            continue
        if not raw:
            code = await proc.wait()
            msg = f"ipycam exited (code {code}) before it was ready:\n{_log_tail(log_path)}"
            raise IpycamError(msg)
        line = raw.decode(errors="replace").strip()
        if line.startswith(READY_PREFIX):
            ready = json.loads(line.removeprefix(READY_PREFIX))
            return {"onvif_port": int(ready["onvif_port"]), "rtsp_port": int(ready["rtsp_port"])}
        if line.startswith(FAILED_PREFIX):
            reason = line.removeprefix(FAILED_PREFIX)
            msg = f"ipycam failed to start: {reason}\n{_log_tail(log_path)}"
            raise IpycamError(msg)


async def _kill_group(proc: asyncio.subprocess.Process) -> None:
    """Kill the launcher's process group (ipycam and its ffmpeg children) and reap it."""
    # Even when the launcher has already exited, encoders it started may still be alive
    # in its group, so the group is always signalled.
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    await proc.wait()


@asynccontextmanager
async def run_ipycam(workdir: Path) -> AsyncIterator[IpycamPeer]:
    """Start ipycam on free loopback ports inside ``workdir``; stop it on exit."""
    if not ipycam_available():
        msg = (
            f"ipycam is not installed ({IPYCAM_PYTHON.relative_to(REPO_ROOT)} is missing): "
            "run script/setup first"
        )
        raise IpycamError(msg)
    workdir.mkdir(parents=True, exist_ok=True)
    clip = await ensure_test_clip(workdir)
    onvif_port, rtsp_port, idle_port = _free_ports(3)
    config_path = workdir / "camera_config.json"
    config_path.write_text(json.dumps(_camera_config(onvif_port, rtsp_port, idle_port), indent=2))
    log_path = workdir / "ipycam.log"

    with log_path.open("wb") as log:
        proc = await asyncio.create_subprocess_exec(
            str(IPYCAM_PYTHON),
            "-P",  # keep tests/peers (and its ipycam.py) off the peer's sys.path
            str(LAUNCHER),
            "--config",
            str(config_path),
            "--source",
            str(clip),
            "--log-level",
            "INFO",
            cwd=workdir,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        ports = await _wait_ready(proc, log_path, deadline)
        await _wait_connectable(LOOPBACK, ports["onvif_port"], deadline)
        await _wait_connectable(LOOPBACK, ports["rtsp_port"], deadline)
        yield IpycamPeer(
            onvif_port=ports["onvif_port"],
            rtsp_port=ports["rtsp_port"],
            pid=proc.pid,
            log_path=log_path,
        )
    finally:
        await _kill_group(proc)
