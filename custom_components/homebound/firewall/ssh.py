"""The SSH backend: Homebound's nftables table on an OpenWrt (fw4) or other Linux router.

Why asyncssh: it is asyncio-native (nothing blocks Home Assistant's event loop), runs a
command with standard input (the ruleset goes to ``nft -f -``; OpenWrt's Dropbear has no
SFTP) and lets the client decide about host keys itself.

Host key first, password after. :func:`fetch_host_key` reads the key the router offers with
``asyncssh.get_server_host_key`` - key exchange only, no user name, no credential - for the glue
to show as a fingerprint and pin. Every login then accepts exactly the pinned key (and asks the
server only for that key's algorithms); any other key stops everything with
:class:`HostKeyChangedError` (both fingerprints in it) before authentication starts, so nothing
is sent to a machine that may not be the router. There is no login without a pin: neither a
password nor a client key is offered (:class:`HostKeyNotPinnedError`, before connecting).

The key is checked again on every reconnect (the pin is the only key accepted) and, because a
live session never shows a key change,
:meth:`SshRunner.recheck_host_key` fetches it on a *new* connection that sends no credentials
(``asyncssh.get_server_host_key``); the guard calls it every few minutes.

A router that stops answering is known within seconds, not at the next check: the session
sends SSH keepalives (``keepalive_interval`` seconds, ``keepalive_count_max`` unanswered ones
close it), connecting is bounded by ``connect_timeout``, and every error says why in words
(a bare ``TimeoutError`` prints as nothing).

The socket can be injected (``connect_socket``): production lets asyncssh connect by host and
port; tests hand it a socket connected inside their lab's network namespace.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
import contextlib
from dataclasses import dataclass
import shlex
import socket

import asyncssh

from .errors import (
    AuthRefusedError,
    HostKeyChangedError,
    HostKeyNotPinnedError,
    NoPersistenceError,
    RouterOutputError,
    RouterUnreachableError,
)
from .nft_driver import NftablesDriver
from .persist import DETECT, PersistKind, PersistTarget
from .runner import DEFAULT_TIMEOUT, CommandResult, LineSplitter, LineStream, read_bounded
from .ssh_check import (
    check_host_key,
    fetch_offered_key,
    reason,
)

type SocketFactory = Callable[[str, int], Awaitable[socket.socket]]
CLOSE_TIMEOUT = 2.0


@dataclass(frozen=True, slots=True)
class SshTarget:
    """How to reach and log in to the router."""

    host: str
    port: int = 22
    username: str = "root"
    password: str | None = None
    client_key: str | None = None
    """A private key in OpenSSH or PEM form (the text, not a path)."""
    pinned_host_key: str | None = None
    """The router's host key pinned on first use (``ssh-ed25519 AAAA...``); None: first use."""
    connect_timeout: float = 5.0
    """Seconds to connect and log in (a router on the LAN answers in milliseconds)."""
    keepalive_interval: float = 3.0
    """Seconds of silence after which the session asks the router for a sign of life."""
    keepalive_count_max: int = 2
    """Unanswered keepalives after which the session is given up (3 s x 3 = 9 s)."""


def fingerprint(public_key: str) -> str:
    """Return the SHA256 fingerprint of an OpenSSH public key, as ``ssh-keygen -l`` does."""
    try:
        return str(asyncssh.import_public_key(public_key).get_fingerprint("sha256"))
    except (asyncssh.KeyImportError, ValueError) as err:
        raise RouterOutputError("not an SSH public key") from err


class _PinningClient(asyncssh.SSHClient):
    """Accepts the pinned host key only (any key on first use) and remembers what was offered."""

    def __init__(self, pinned: asyncssh.SSHKey | None) -> None:
        self.pinned = pinned
        self.offered: asyncssh.SSHKey | None = None

    def validate_host_public_key(
        self, host: str, addr: str, port: int, key: asyncssh.SSHKey
    ) -> bool:
        self.offered = key
        return self.pinned is None or key == self.pinned


def _login_guard(target: SshTarget, pinned: asyncssh.SSHKey | None) -> tuple[str | None, list[str]]:
    """Return the password to offer and the host key algorithms to accept, for one login.

    Only with a pin: the password (if any) and only the pinned key's algorithms, so the server
    cannot pick another of its keys. Without one nothing is sent - no password, no key, not
    even a user name - and :class:`HostKeyNotPinnedError` says why: every caller fetches the
    key first (:func:`fetch_host_key`) and pins what the user saw.
    """
    if pinned is None:
        raise HostKeyNotPinnedError(f"{target.host}: host key not pinned; nothing is sent")
    return target.password, [alg.decode() for alg in pinned.sig_algorithms]


async def fetch_host_key(target: SshTarget, *, connect_socket: SocketFactory | None = None) -> str:
    """Return the host key the router offers (OpenSSH one-line form); no credential is sent.

    Only the key exchange runs: no user name, password or key reaches the server. Raises
    :class:`RouterUnreachableError` (saying why) when nothing (or nothing SSH) answers.
    """
    key = await fetch_offered_key(target, connect_socket)
    return key.export_public_key("openssh").decode().strip()


class SshRunner:
    """A :class:`~.runner.CommandRunner` over one SSH connection, opened on first use."""

    def __init__(self, target: SshTarget, *, connect_socket: SocketFactory | None = None) -> None:
        """Keep the target; nothing is connected until the first command."""
        self.target = target
        self._connect_socket = connect_socket
        self._conn: asyncssh.SSHClientConnection | None = None
        self._lock = asyncio.Lock()
        self.host_key: str | None = None
        """The key the router offered (OpenSSH one-line form), once connected."""

    async def _connect(self) -> asyncssh.SSHClientConnection:
        target = self.target
        try:
            # The user's pin is the only key accepted, on the first connection and on every
            # reconnect (a change is never taken silently); without one nothing is sent.
            pinned = (
                asyncssh.import_public_key(target.pinned_host_key)
                if target.pinned_host_key
                else None
            )
            keys = [asyncssh.import_private_key(target.client_key)] if target.client_key else []
        except (asyncssh.KeyImportError, ValueError) as err:
            raise AuthRefusedError("the stored SSH key cannot be read") from err
        password, algs = _login_guard(target, pinned)
        client = _PinningClient(pinned)
        try:
            async with asyncio.timeout(target.connect_timeout):
                sock = None
                if self._connect_socket is not None:
                    sock = await self._connect_socket(target.host, target.port)
                conn, _ = await asyncssh.create_connection(
                    lambda: client,
                    host="" if sock is not None else target.host,
                    port=target.port,
                    sock=sock,
                    username=target.username,
                    password=password,
                    client_keys=keys,
                    known_hosts=([], [], []),
                    agent_path=None,
                    config=[],
                    preferred_auth="publickey,password" if keys else "password",
                    server_host_key_algs=algs,
                    keepalive_interval=target.keepalive_interval,
                    keepalive_count_max=target.keepalive_count_max,
                )
        except asyncssh.HostKeyNotVerifiable as err:
            if pinned is not None and client.offered is not None:
                raise HostKeyChangedError(
                    target.host,
                    str(pinned.get_fingerprint("sha256")),
                    str(client.offered.get_fingerprint("sha256")),
                ) from err
            raise RouterUnreachableError(f"{target.host}: host key not accepted") from err
        except asyncssh.PermissionDenied as err:
            raise AuthRefusedError(f"{target.host} refused the login") from err
        except (asyncssh.DisconnectError, ConnectionResetError, BrokenPipeError) as err:
            if pinned is not None:  # perhaps no key of the pinned type: which key has it?
                await check_host_key(target, pinned.export_public_key("openssh").decode(),
                                     self._connect_socket)  # fmt: skip
            raise RouterUnreachableError(f"cannot reach {target.host}: {reason(err)}") from err
        except (OSError, TimeoutError, asyncssh.Error) as err:
            raise RouterUnreachableError(f"cannot reach {target.host}: {reason(err)}") from err
        offered = client.offered
        if offered is not None:
            self.host_key = offered.export_public_key("openssh").decode().strip()
        return conn

    async def run(
        self, argv: Sequence[str], *, stdin: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> CommandResult:
        """Run ``argv`` on the router (quoted for its shell), bounded in time and output."""
        conn = await self._connection()
        command = shlex.join(argv)
        try:
            async with asyncio.timeout(timeout):
                proc = await conn.create_process(command, encoding=None)
                if stdin is not None:
                    proc.stdin.write(stdin.encode())
                proc.stdin.write_eof()
                out, err = await asyncio.gather(
                    read_bounded(proc.stdout, "the router"), read_bounded(proc.stderr, "the router")
                )
                await proc.wait_closed()
        except TimeoutError as exc:
            conn.close()
            raise RouterUnreachableError(
                f"{self.target.host} did not finish {argv[0]} in {timeout:g} s"
            ) from exc
        except (OSError, asyncssh.Error) as exc:
            raise RouterUnreachableError(
                f"the connection to {self.target.host} broke: {reason(exc)}"
            ) from exc
        status = proc.exit_status
        return CommandResult(
            status if status is not None else -1,
            out.decode("utf-8", errors="replace"),
            err.decode("utf-8", errors="replace"),
        )

    async def _connection(self) -> asyncssh.SSHClientConnection:
        """Return the open connection, made (and its host key checked) when there is none."""
        async with self._lock:
            if self._conn is None or self._conn.is_closed():
                self._conn = await self._connect()
            return self._conn

    async def stream(self, argv: Sequence[str]) -> LineStream:
        """Run ``argv`` on a channel of the session and follow its output line by line.

        The command is wrapped so that it ends when its channel closes (standard input reaches
        its end): neither Dropbear nor every OpenSSH passes a signal on, and a ``nft monitor``
        left behind would run on the router until its next write. The other way round, the
        channel ends when the command does (the stdin watcher writes nowhere, so it keeps no
        output open): a crashed ``nft`` must not leave a channel that looks alive.
        """
        conn = await self._connection()
        # fd 3 keeps the channel's input for the stdin watcher: a background job's own
        # standard input is /dev/null in a non-interactive shell.
        wrapped = (
            f"exec 3<&0; {shlex.join(argv)} 2>/dev/null & p=$!; "
            "{ cat <&3 >/dev/null; kill $p; } >/dev/null 2>&1 & exec 3<&-; wait $p"
        )
        try:
            proc = await conn.create_process(shlex.join(("sh", "-c", wrapped)), encoding=None)
        except (OSError, asyncssh.Error) as exc:
            raise RouterUnreachableError(
                f"the connection to {self.target.host} broke: {reason(exc)}"
            ) from exc
        return _ChannelLines(proc, conn, self.target.host)

    async def recheck_host_key(self) -> None:
        """Fetch the router's key on a new connection (no credentials sent) and compare it.

        Raises :class:`HostKeyChangedError` when it is not the pinned one (or, before the glue
        pinned one, the one this runner accepted); the open session is closed then, so nothing
        more is sent over it.
        """
        expected = self.target.pinned_host_key or self.host_key
        if expected is None:
            await fetch_offered_key(self.target, self._connect_socket)  # answers at all?
            return
        try:
            await check_host_key(self.target, expected, self._connect_socket)
        except HostKeyChangedError:
            await self.close()
            raise

    async def close(self) -> None:
        """Close the connection (a later command opens a new one)."""
        if self._conn is not None:
            self._conn.close()
            await self._conn.wait_closed()
            self._conn = None


class _ChannelLines:
    """An SSH channel's output as lines; closing the channel ends the command."""

    def __init__(
        self,
        proc: asyncssh.SSHClientProcess[bytes],
        conn: asyncssh.SSHClientConnection,
        host: str,
    ) -> None:
        self._proc = proc
        self._conn = conn
        self._host = host

    async def lines(self) -> AsyncIterator[str]:
        splitter = LineSplitter()
        try:
            while chunk := await self._proc.stdout.read(1 << 16):
                for line in splitter.feed(chunk):
                    yield line
        except (OSError, asyncssh.Error) as exc:
            raise RouterUnreachableError(
                f"the connection to {self._host} broke: {reason(exc)}"
            ) from exc
        if self._conn.is_closed():
            raise RouterUnreachableError(f"the connection to {self._host} closed")

    async def close(self) -> None:
        self._proc.close()
        # Bounded: a channel of a connection closed meanwhile never confirms its close.
        with contextlib.suppress(OSError, asyncssh.Error, TimeoutError):
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await self._proc.wait_closed()


class SshBackend(NftablesDriver):
    """Homebound's table on a router over SSH, stored to survive reloads and reboots."""

    def __init__(
        self,
        target: SshTarget,
        *,
        persist: PersistTarget | None = None,
        connect_socket: SocketFactory | None = None,
    ) -> None:
        """Prepare the backend; ``persist=None`` detects the router's kind on :meth:`connect`."""
        self.ssh = SshRunner(target, connect_socket=connect_socket)
        super().__init__(self.ssh, persist=persist)
        self._detect = persist is None

    async def connect(self) -> str:
        """Log in (pinning the host key on first use) and learn how to persist; the key.

        Raises the typed errors of the login (unreachable, auth refused, host key changed),
        and :class:`NoPersistenceError` when the router can store the ruleset nowhere.
        """
        if self._detect:
            result = await self.ssh.run(("sh", "-c", DETECT))
            kind = result.stdout.strip()
            if kind not in {k.value for k in PersistKind} or kind == PersistKind.FILE:
                raise NoPersistenceError("the router has no known place to keep the ruleset")
            self.persist = PersistTarget.for_kind(PersistKind(kind))
            self._detect = False
        else:
            await self.ssh.run(("true",))
        assert self.ssh.host_key is not None
        return self.ssh.host_key

    async def recheck_host_key(self) -> None:
        """Check the router's host key on a new connection (:meth:`SshRunner.recheck_host_key`)."""
        await self.ssh.recheck_host_key()

    async def close(self) -> None:
        """Close the SSH connection."""
        await self.ssh.close()
