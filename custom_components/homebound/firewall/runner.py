"""Running a command where the firewall is: on this host, or on a router over SSH.

A :class:`CommandRunner` runs one argv with optional standard input and returns what it
printed. The drivers speak only to this interface, so the same nftables driver works on the
Home Assistant host (a subprocess), on a router (an SSH channel) and, in the tests, inside a
network namespace (``ip netns exec`` put in front of the argv): no special cases in the
drivers for either.

Output is bounded (``MAX_OUTPUT``): a hostile or broken router cannot make Home Assistant
buffer without end.

A runner may also *stream* a long-running command's output line by line
(:class:`StreamingRunner`; ``nft -j monitor`` for the watcher): lines are cut at
``MAX_LINE`` bytes, so a line without end costs no more memory than that.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
import contextlib
from dataclasses import dataclass
import os
import shutil
from typing import Protocol

from .errors import FirewallError, NftMissingError, NotPermittedError, RouterOutputError

MAX_OUTPUT = 64 * 1024 * 1024
"""Most bytes read from one command's output (4 full attempt sets are about 30 MiB)."""
DEFAULT_TIMEOUT = 30.0
CHECK_TIMEOUT = 5.0
"""Seconds a read-only check (listing the table) may take: a router that does not answer
within it is reported unreachable, not waited for."""
MAX_LINE = 256 * 1024
"""Longest line kept from a stream; the rest of a longer line is dropped."""


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


class LineStream(Protocol):
    """Lines of a running command's standard output, until it ends or is closed."""

    def lines(self) -> AsyncIterator[str]:
        """Each line (without its newline); ends when the command does."""
        ...

    async def close(self) -> None:
        """Stop the command (idempotent)."""
        ...


class StreamingRunner(CommandRunner, Protocol):
    """A runner that can also follow a long-running command's output."""

    async def stream(self, argv: Sequence[str]) -> LineStream:
        """Start ``argv`` and return its output as lines; FirewallError when it cannot start."""
        ...


class LineSplitter:
    """Cuts a byte stream into lines, each at most MAX_LINE bytes (the rest of it dropped)."""

    def __init__(self, limit: int = MAX_LINE) -> None:
        """Keep at most ``limit`` bytes of the line being read."""
        self._limit = limit
        self._buffer = bytearray()
        self._skipping = False

    def feed(self, data: bytes) -> list[str]:
        """Return the lines that ``data`` completes."""
        lines: list[str] = []
        start = 0
        while (end := data.find(b"\n", start)) >= 0:
            self._take(data[start:end])
            lines.append(decode(bytes(self._buffer)))
            self._buffer.clear()
            self._skipping = False
            start = end + 1
        self._take(data[start:])
        return lines

    def _take(self, chunk: bytes) -> None:
        room = self._limit - len(self._buffer)
        if self._skipping or room <= 0:
            self._skipping = True
            return
        self._buffer += chunk[:room]
        if len(chunk) > room:
            self._skipping = True


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
                    _feed_and_read(proc, stdin), read_bounded(proc.stderr)
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

    async def stream(self, argv: Sequence[str]) -> LineStream:
        """Start ``argv`` (after the prefix) and follow its standard output line by line."""
        full = (*self._prefix, *argv)
        if shutil.which(full[0], path=self._env["PATH"]) is None:
            raise NftMissingError(f"{full[0]} is not installed here")
        try:
            proc = await asyncio.create_subprocess_exec(
                *full,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,
                env=self._env,
            )
        except PermissionError as err:
            raise NotPermittedError(f"not allowed to run {full[0]}") from err
        except OSError as err:
            raise FirewallError(f"cannot run {full[0]}: {err.strerror}") from err
        return _ProcessLines(proc)


class _ProcessLines:
    """A local subprocess's output as lines; closing kills it (by its PID)."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self._proc = proc

    async def lines(self) -> AsyncIterator[str]:
        splitter = LineSplitter()
        assert self._proc.stdout is not None
        while chunk := await self._proc.stdout.read(1 << 16):
            for line in splitter.feed(chunk):
                yield line

    async def close(self) -> None:
        if self._proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self._proc.kill()
        await self._proc.wait()


class _Readable(Protocol):
    async def read(self, n: int = -1, /) -> bytes: ...


async def read_bounded(stream: _Readable | None, who: str = "a command") -> bytes:
    """Read a stream to its end, refusing more than MAX_OUTPUT bytes.

    The one bounded reader of command output, local (asyncio's reader) and over SSH
    (asyncssh's): ``who`` names the printer in the error ("the router").
    """
    if stream is None:
        return b""
    chunks: list[bytes] = []
    size = 0
    while chunk := await stream.read(1 << 16):
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise RouterOutputError(f"{who} printed more than {MAX_OUTPUT} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def _feed_and_read(proc: asyncio.subprocess.Process, stdin: str | None) -> bytes:
    """Write ``stdin`` (then close it) while reading standard output."""
    if stdin is not None and proc.stdin is not None:
        proc.stdin.write(stdin.encode())
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            await proc.stdin.drain()
        proc.stdin.close()
    return await read_bounded(proc.stdout)
