"""What the demo and the benchmarks share: a time budget, and the simulator as a child process.

:class:`Simulator` runs ``python -m simulator`` (with any of its options) in its own process
group, reads its JSON readiness line and stops it by its process group; :class:`Deadline` is
one time budget that bounds every wait of a run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
import json
import os
from pathlib import Path
import signal
import socket
import sys
import time
from typing import IO, Any

from devtools.hass_process import REPO_ROOT, free_port

VENV_PYTHON = Path(sys.executable)
"""The interpreter of this test leg's virtual environment (the simulator runs on it too)."""
SIMULATOR_START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
POLL_INTERVAL = 0.5


class DemoError(RuntimeError):
    """A step of the demo or a benchmark failed; the message says which and why."""


def say(message: str = "") -> None:
    """Print one line of output."""
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


@dataclass(frozen=True, slots=True)
class SimulatedCamera:
    """One camera as announced by the simulator's readiness line."""

    name: str
    host: str
    onvif_port: int
    rtsp_port: int
    discovery_port: int
    username: str
    password: str
    mac: str
    serial: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SimulatedCamera:
        """Build from one element of the readiness line's ``cameras`` list."""
        return cls(
            name=str(data["name"]),
            host=str(data["host"]),
            onvif_port=int(data["onvif_port"]),
            rtsp_port=int(data.get("rtsp_port") or 0),
            discovery_port=int(data["discovery_port"]),
            username=str(data["username"]),
            password=str(data["password"]),
            mac=str(data["mac"]),
            serial=str(data["serial"]),
        )

    @property
    def discovery_target(self) -> str:
        """``host:port`` of its WS-Discovery responder: always on 127.0.0.1, wherever ONVIF is."""
        return f"127.0.0.1:{self.discovery_port}"

    @property
    def address(self) -> str:
        """``host:port`` of the ONVIF service, as the discovery step lists it."""
        return f"{self.host}:{self.onvif_port}"


class Deadline:
    """One time budget shared by every wait of the demo."""

    def __init__(self, seconds: float) -> None:
        """Start the clock."""
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self, what: str) -> float:
        """Seconds left; raise DemoError naming ``what`` when the budget is spent."""
        left = self.end - time.monotonic()
        if left <= 0:
            msg = f"timed out ({self.seconds:.0f}s budget) while waiting for {what}"
            raise DemoError(msg)
        return left

    async def pause(self, what: str) -> None:
        """Sleep one poll interval between two bounded re-checks of ``what``."""
        await asyncio.sleep(min(POLL_INTERVAL, self.remaining(what)))


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


class Simulator:
    """The virtual cameras, as a child process in its own process group."""

    def __init__(self, log_path: Path, extra_args: Sequence[str] = ()) -> None:
        """Nothing runs before :meth:`start`; ``extra_args`` go to ``python -m simulator``."""
        self.log_path = log_path
        self.extra_args = list(extra_args)
        self.control_port = 0
        self.cameras: list[SimulatedCamera] = []
        self._proc: asyncio.subprocess.Process | None = None
        self._log: IO[bytes] | None = None
        self._drain: asyncio.Task[None] | None = None

    async def start(self, deadline: Deadline) -> None:
        """Start ``python -m simulator`` and wait for its JSON readiness line."""
        discovery_port = _free_udp_port()
        control_port = free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("wb")
        self._proc = await asyncio.create_subprocess_exec(
            str(VENV_PYTHON),
            "-m",
            "simulator",
            "--discovery-port",
            str(discovery_port),
            "--control-port",
            str(control_port),
            *self.extra_args,
            cwd=REPO_ROOT,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=self._log,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self._proc.stdout is not None
        timeout = min(SIMULATOR_START_TIMEOUT, deadline.remaining("the simulator"))
        try:
            ready = await asyncio.wait_for(self._read_ready(self._proc.stdout), timeout)
        except TimeoutError:
            msg = f"the simulator printed no readiness line within {timeout:.0f}s"
            raise DemoError(msg) from None
        self.control_port = int(ready.get("control_port", control_port))
        self.cameras = [SimulatedCamera.from_json(camera) for camera in ready["cameras"]]
        if not self.cameras:
            msg = "the simulator started without any camera"
            raise DemoError(msg)
        # Keep reading stdout into the log so the simulator never blocks on a full pipe.
        self._drain = asyncio.create_task(self._copy_to_log(self._proc.stdout))

    async def _read_ready(self, stdout: asyncio.StreamReader) -> dict[str, Any]:
        assert self._log is not None
        while True:
            raw = await stdout.readline()
            if not raw:
                code = await self._wait_exit()
                msg = f"the simulator exited (code {code}) before it was ready"
                raise DemoError(msg)
            self._log.write(raw)
            self._log.flush()
            line = raw.decode(errors="replace").strip()
            if not line.startswith("{"):
                continue
            with suppress(json.JSONDecodeError):
                data = json.loads(line)
                if isinstance(data, dict) and "cameras" in data:
                    return data

    async def _wait_exit(self) -> int:
        assert self._proc is not None
        return await self._proc.wait()

    async def wait_exited(self) -> int:
        """Wait until the simulator ends by itself; return its exit code."""
        return await self._wait_exit()

    async def _copy_to_log(self, stdout: asyncio.StreamReader) -> None:
        while raw := await stdout.readline():
            if self._log is not None and not self._log.closed:
                self._log.write(raw)
                self._log.flush()

    def log_tail(self, lines: int = 20) -> str:
        """Return the last lines the simulator wrote."""
        return _tail(self.log_path, lines)

    async def stop(self) -> None:
        """SIGTERM the simulator's process group, SIGKILL after a timeout, reap it."""
        proc, self._proc = self._proc, None
        if proc is not None:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            with suppress(TimeoutError):
                await asyncio.wait_for(proc.wait(), STOP_TIMEOUT)
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()
        if self._drain is not None:
            with suppress(TimeoutError):
                await asyncio.wait_for(self._drain, STOP_TIMEOUT)
            self._drain = None
        if self._log is not None:
            self._log.close()
            self._log = None


# --------------------------------------------------------------------------- config flow
