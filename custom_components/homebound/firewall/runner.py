"""Running a command where the firewall is: on this host, or on a router over SSH.

A :class:`CommandRunner` runs one argv with optional standard input and returns what it
printed. The drivers speak only to this interface, so the same nftables driver works on the
Home Assistant host (a subprocess), on a router (an SSH channel) and, in the tests, inside a
network namespace (``ip netns exec`` put in front of the argv): no special cases in the
drivers for either.

Output is bounded (``MAX_OUTPUT``): a hostile or broken router cannot make Home Assistant
buffer without end.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
import contextlib
from dataclasses import dataclass
import os
import shutil
from typing import Protocol

from .errors import FirewallError, NftMissingError, NotPermittedError, RouterOutputError

MAX_OUTPUT = 64 * 1024 * 1024
"""Most bytes read from one command's output (4 full attempt sets are about 30 MiB)."""
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class CommandResult:
    """What a command did: its exit status and output, decoded leniently."""

    status: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        """Whether it exited with status 0."""
        return self.status == 0


class CommandRunner(Protocol):
    """Runs commands on the machine whose firewall is programmed."""

    async def run(
        self, argv: Sequence[str], *, stdin: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> CommandResult:
        """Run ``argv`` to completion; raise a FirewallError only when it could not run."""
        ...


def decode(data: bytes) -> str:
    """Router output as text, whatever bytes it holds."""
    return data.decode("utf-8", errors="replace")


class SubprocessRunner:
    """Runs commands on this host, optionally behind a prefix (such as ``ip netns exec NS``)."""

    def __init__(self, prefix: Sequence[str] = (), env: dict[str, str] | None = None) -> None:
        """Keep the prefix put before every argv; the environment is C-locale by default."""
        self._prefix = tuple(prefix)
        self._env = env or {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")}
        self._env.setdefault("LC_ALL", "C")

    async def run(
        self, argv: Sequence[str], *, stdin: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> CommandResult:
        """Run ``argv`` (after the prefix) without a shell, bounded in time and output."""
        full = (*self._prefix, *argv)
        if shutil.which(full[0], path=self._env["PATH"]) is None:
            raise NftMissingError(f"{full[0]} is not installed here")
        try:
            proc = await asyncio.create_subprocess_exec(
                *full,
                stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=self._env,
            )
        except PermissionError as err:
            raise NotPermittedError(f"not allowed to run {full[0]}") from err
        except OSError as err:
            raise FirewallError(f"cannot run {full[0]}: {err.strerror}") from err
        try:
            async with asyncio.timeout(timeout):
                out, err_out = await asyncio.gather(
                    _feed_and_read(proc, stdin), _read_bounded(proc.stderr)
                )
                await proc.wait()
        except TimeoutError as err:
            raise FirewallError(f"{full[0]} did not finish in {timeout:.0f} s") from err
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        status = proc.returncode if proc.returncode is not None else -1
        return CommandResult(status, decode(out), decode(err_out))


async def _read_bounded(stream: asyncio.StreamReader | None) -> bytes:
    """Read a stream to its end, refusing more than MAX_OUTPUT bytes."""
    if stream is None:
        return b""
    chunks: list[bytes] = []
    size = 0
    while chunk := await stream.read(1 << 16):
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise RouterOutputError(f"a command printed more than {MAX_OUTPUT} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def _feed_and_read(proc: asyncio.subprocess.Process, stdin: str | None) -> bytes:
    """Write ``stdin`` (then close it) while reading standard output."""
    if stdin is not None and proc.stdin is not None:
        proc.stdin.write(stdin.encode())
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            await proc.stdin.drain()
        proc.stdin.close()
    return await _read_bounded(proc.stdout)
