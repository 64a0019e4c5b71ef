"""Checking the router's SSH host key on a connection that sends nothing, and saying why not.

:func:`fetch_offered_key` runs only the key exchange (``asyncssh.get_server_host_key``): no user
name, no password, no key reaches the server. It serves the first look at a router
(:func:`~.ssh.fetch_host_key`, before anything is pinned) and the guard's re-check of a pinned
key while a session lives (:meth:`~.ssh.SshRunner.recheck_host_key`), which a live session
never shows.

Why the re-check asks twice: it first asks for the pinned key's own algorithms, so a router
with several host keys (RSA and Ed25519) shows the pinned one and raises no false alarm; a
machine that has no key of that type fails that exchange, and is then asked for any key -
which differs from the pin, so the change is reported instead of passing for "unreachable".
(OpenSSH simply resets the connection when it has no key of the type asked for, so any end of
the exchange after connecting - not only asyncssh's "no matching algorithm" - leads to the
second question; a router that does not answer at all is not asked twice.)

:func:`reason` puts a connection failure in words: ``str(TimeoutError())`` is empty, which is
how "cannot reach 198.18.0.1: " reached users with nothing after the colon.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
import socket
from typing import TYPE_CHECKING

import asyncssh

from .errors import HostKeyChangedError, RouterOutputError, RouterUnreachableError

if TYPE_CHECKING:
    from .ssh import SshTarget

type SocketFactory = Callable[[str, int], Awaitable[socket.socket]]


class NoCommonHostKeyError(RouterUnreachableError):
    """The server has no host key of the algorithms asked for (a key of another type)."""


def reason(err: BaseException) -> str:
    """Say in words why a connection failed."""
    if isinstance(err, TimeoutError):
        return "no answer in time"
    if isinstance(err, ConnectionRefusedError):
        return "connection refused (is SSH running on that port?)"
    if isinstance(err, asyncssh.Error):
        return err.reason or type(err).__name__
    if isinstance(err, OSError) and err.strerror:
        return err.strerror[0].lower() + err.strerror[1:]
    return str(err) or type(err).__name__


def key_algs(key: asyncssh.SSHKey | None) -> list[str]:
    """Return a key's signature algorithms (ask the server for that key only); [] for None."""
    return [] if key is None else [alg.decode("ascii") for alg in key.sig_algorithms]


async def fetch_offered_key(
    target: SshTarget,
    connect_socket: SocketFactory | None = None,
    *,
    algs: Sequence[str] = (),
) -> asyncssh.SSHKey:
    """Return the host key the router offers (of ``algs``, if given); nothing is sent.

    Raises :class:`RouterUnreachableError` (with the reason) when nothing, or nothing SSH,
    answers, :class:`NoCommonHostKeyError` when it has no key of ``algs``.
    """
    try:
        async with asyncio.timeout(target.connect_timeout):
            sock = None
            if connect_socket is not None:
                sock = await connect_socket(target.host, target.port)
            key = await asyncssh.get_server_host_key(
                "" if sock is not None else target.host,
                target.port if sock is None else (),
                sock=sock,
                config=None,
                server_host_key_algs=list(algs) or (),
            )
    except (asyncssh.DisconnectError, ConnectionResetError, BrokenPipeError) as err:
        # Asked for one key type, a server without it ends the exchange (OpenSSH resets the
        # connection, asyncssh says no algorithm matched): ask again for any key.
        if algs:
            raise NoCommonHostKeyError(f"{target.host}: {reason(err)}") from err
        raise RouterUnreachableError(f"cannot reach {target.host}: {reason(err)}") from err
    except (OSError, TimeoutError, asyncssh.Error) as err:
        raise RouterUnreachableError(f"cannot reach {target.host}: {reason(err)}") from err
    if key is None:
        raise RouterOutputError(f"{target.host} offered no host key")
    return key


async def check_host_key(
    target: SshTarget, expected: str, connect_socket: SocketFactory | None = None
) -> None:
    """Raise :class:`HostKeyChangedError` unless the router still offers ``expected``."""
    pinned = asyncssh.import_public_key(expected)
    try:
        offered = await fetch_offered_key(target, connect_socket, algs=key_algs(pinned))
    except NoCommonHostKeyError:
        offered = await fetch_offered_key(target, connect_socket)
    if offered != pinned:
        raise HostKeyChangedError(
            target.host,
            str(pinned.get_fingerprint("sha256")),
            str(offered.get_fingerprint("sha256")),
        )
