"""The SSH backend: Homebound's nftables table on an OpenWrt (fw4) or other Linux router.

Why asyncssh: it is asyncio-native (nothing blocks Home Assistant's event loop), runs a
command with standard input (the ruleset goes to ``nft -f -``; OpenWrt's Dropbear has no
SFTP) and lets the client decide about host keys itself.

Host keys are pinned on first use. The first connection (``pinned_host_key=None``) accepts the
key the router offers and reports it (:attr:`SshRunner.host_key`, OpenSSH one-line form) for the
glue to store in the config entry. Every later connection must offer that very key: any other
key stops everything with :class:`HostKeyChangedError` (both fingerprints in it) before a single
command is sent.

The socket can be injected (``connect_socket``): production lets asyncssh connect by host and
port; tests hand it a socket connected inside their lab's network namespace.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
import shlex
import socket

import asyncssh

from .errors import (
    AuthRefusedError,
    FirewallError,
    HostKeyChangedError,
    NoPersistenceError,
    RouterOutputError,
    RouterUnreachableError,
)
from .nft_driver import NftablesDriver
from .persist import DETECT, PersistKind, PersistTarget
from .runner import DEFAULT_TIMEOUT, MAX_OUTPUT, CommandResult

type SocketFactory = Callable[[str, int], Awaitable[socket.socket]]


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
    connect_timeout: float = 15.0


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
            pinned = (
                asyncssh.import_public_key(target.pinned_host_key)
                if target.pinned_host_key
                else None
            )
            keys = [asyncssh.import_private_key(target.client_key)] if target.client_key else []
        except (asyncssh.KeyImportError, ValueError) as err:
            raise AuthRefusedError("the stored SSH key cannot be read") from err
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
                    password=target.password,
                    client_keys=keys,
                    known_hosts=([], [], []),
                    agent_path=None,
                    config=[],
                    preferred_auth="publickey,password" if keys else "password",
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
        except (OSError, TimeoutError, asyncssh.Error) as err:
            raise RouterUnreachableError(f"cannot reach {target.host}: {err}") from err
        offered = client.offered
        if offered is not None:
            self.host_key = offered.export_public_key("openssh").decode().strip()
        return conn

    async def run(
        self, argv: Sequence[str], *, stdin: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> CommandResult:
        """Run ``argv`` on the router (quoted for its shell), bounded in time and output."""
        async with self._lock:
            if self._conn is None or self._conn.is_closed():
                self._conn = await self._connect()
            conn = self._conn
        command = shlex.join(argv)
        try:
            async with asyncio.timeout(timeout):
                proc = await conn.create_process(command, encoding=None)
                if stdin is not None:
                    proc.stdin.write(stdin.encode())
                proc.stdin.write_eof()
                out, err = await asyncio.gather(_read(proc.stdout), _read(proc.stderr))
                await proc.wait_closed()
        except TimeoutError as exc:
            conn.close()
            raise FirewallError(
                f"{argv[0]} did not finish on the router in {timeout:.0f} s"
            ) from exc
        except (OSError, asyncssh.Error) as exc:
            raise RouterUnreachableError(f"the connection to {self.target.host} broke") from exc
        status = proc.exit_status
        return CommandResult(
            status if status is not None else -1,
            out.decode("utf-8", errors="replace"),
            err.decode("utf-8", errors="replace"),
        )

    async def close(self) -> None:
        """Close the connection (a later command opens a new one)."""
        if self._conn is not None:
            self._conn.close()
            await self._conn.wait_closed()
            self._conn = None


async def _read(stream: asyncssh.SSHReader[bytes]) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := await stream.read(1 << 16):
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise RouterOutputError(f"the router printed more than {MAX_OUTPUT} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


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

    async def close(self) -> None:
        """Close the SSH connection."""
        await self.ssh.close()
