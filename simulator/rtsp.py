"""Parent side of the RTSP server: start ``rtsp_server.py`` under Debian's python3, stop it.

GStreamer's RTSP server is reached through python3-gi, which exists for the system interpreter
only, so the server runs as a child process. The parent waits for its ``READY <port>`` line (no
sleeps), forwards credential changes and session drops on its stdin, and on stop closes stdin,
sends SIGTERM to the child's PID and reaps it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import os
from pathlib import Path
import socket
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .profiles import StreamProfile

_LOGGER = logging.getLogger(__name__)

SERVER_SCRIPT: Final = Path(__file__).with_name("rtsp_server.py")
DEFAULT_INTERPRETER: Final = "/usr/bin/python3"
INTERPRETER_ENV: Final = "HOMEBOUND_GST_PYTHON"
READY_TIMEOUT: Final = 30.0
STOP_TIMEOUT: Final = 5.0
_BIND_ATTEMPTS: Final = 3
_SCRUBBED_ENV: Final = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")


class RtspUnavailableError(RuntimeError):
    """GStreamer's RTSP server cannot run here (no python3-gi, missing elements...)."""


def free_port(kind: socket.SocketKind = socket.SOCK_STREAM) -> int:
    """Return a port on 127.0.0.1 that is free right now (bind to port 0, read it back)."""
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def interpreter() -> str:
    """Return the Python with python3-gi: Debian's, unless HOMEBOUND_GST_PYTHON names another."""
    return os.environ.get(INTERPRETER_ENV) or DEFAULT_INTERPRETER


class RtspProcess:
    """One RTSP server child process."""

    def __init__(
        self,
        *,
        port: int,
        username: str,
        password: str,
        profiles: Sequence[StreamProfile],
        label: str,
        server_header: str | None = None,
    ) -> None:
        """Remember how to start the child (one mount per streamed profile); nothing runs yet.

        ``server_header`` replaces GStreamer's RTSP ``Server`` header ("" sends none).
        """
        self._requested_port = port
        self._username = username
        self._password = password
        self._mounts = [
            f"{p.mount}:{p.width}:{p.height}:{p.codec}:{p.bitrate_kbps}"
            for p in profiles
            if p.streamed
        ]
        self._label = label
        self._server = server_header
        self._process: asyncio.subprocess.Process | None = None
        self.port: int | None = None

    @property
    def pid(self) -> int | None:
        """PID of the running child."""
        return self._process.pid if self._process is not None else None

    async def start(self) -> int:
        """Start the child and return its port once it listens.

        Raises RtspUnavailableError when GStreamer's RTSP server cannot run here and OSError when
        the port cannot be bound.
        """
        python = interpreter()
        if not Path(python).exists():
            raise RtspUnavailableError(f"{python} does not exist")
        attempts = 1 if self._requested_port else _BIND_ATTEMPTS
        last_error = ""
        for _attempt in range(attempts):
            port = self._requested_port or free_port()
            status, detail = await self._spawn(python, port)
            if status == "READY":
                self.port = port
                return port
            if status == "UNAVAILABLE":
                raise RtspUnavailableError(detail)
            last_error = detail
        raise OSError(f"the RTSP server could not start: {last_error}")

    async def _spawn(self, python: str, port: int) -> tuple[str, str]:
        env = {key: value for key, value in os.environ.items() if key not in _SCRUBBED_ENV}
        env["HOMEBOUND_RTSP_USER"] = self._username
        env["HOMEBOUND_RTSP_PASSWORD"] = self._password
        mounts = [argument for mount in self._mounts for argument in ("--mount", mount)]
        if self._server is not None:
            mounts += ["--server", self._server]
        process = await asyncio.create_subprocess_exec(
            python,
            str(SERVER_SCRIPT),
            "--port",
            str(port),
            *mounts,
            "--label",
            self._label,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=env,
        )
        self._process = process
        assert process.stdout is not None
        try:
            async with asyncio.timeout(READY_TIMEOUT):
                raw = await process.stdout.readline()
        except TimeoutError:
            await self.stop()
            return "ERROR", f"no READY line within {READY_TIMEOUT:.0f} s"
        line = raw.decode(errors="replace").strip()
        status, _, detail = line.partition(" ")
        if status == "READY":
            return status, detail
        await self.stop()
        if status == "UNAVAILABLE":
            return status, detail
        return "ERROR", detail or f"the child exited with status {process.returncode}"

    def set_credentials(self, username: str, password: str) -> None:
        """Tell the running child to accept new credentials."""
        self._username, self._password = username, password
        encoded = " ".join(
            base64.b64encode(text.encode()).decode() for text in (username, password)
        )
        self._tell(f"CREDENTIALS {encoded}")

    def drop_sessions(self) -> None:
        """Tell the running child to close every client connection (a reboot)."""
        self._tell("DROP")

    def _tell(self, line: str) -> None:
        process = self._process
        if process is None or process.stdin is None or process.returncode is not None:
            return
        with contextlib.suppress(ConnectionError, RuntimeError):
            process.stdin.write(f"{line}\n".encode())

    async def stop(self) -> None:
        """Stop the child by its PID and reap it."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        try:
            async with asyncio.timeout(STOP_TIMEOUT):
                await process.communicate()
        except TimeoutError:
            _LOGGER.warning("RTSP server (pid %s) ignored SIGTERM; killing it", process.pid)
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.communicate()
