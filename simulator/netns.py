"""A listening socket made inside a named network namespace, for a camera with a LAN address.

The demo gives its camera a real address on a veth pair into a namespace it made, so that the
host's neighbour table shows the camera's MAC at that address as it would on a LAN (the
firewall matches cameras only by what the network shows). Only the camera's ONVIF/HTTP socket
needs to be in there: the simulator's control API, its WS-Discovery responder and RTSP stay on
127.0.0.1 in the host's namespace, where the demo and Home Assistant already reach them.

What the camera sends itself (ONVIF Notify) goes through sockets made in there as well
(:func:`socket_factory`), so it leaves from the camera's address.

Why a socket rather than ``ip netns exec`` for the whole simulator: under ``ip netns exec``
every port of the simulator (the control API the demo drives, the discovery responder Home
Assistant probes on loopback) would move into the namespace as well. A socket keeps the
namespace it was created in for its whole life, so one short-lived thread enters the namespace
(``setns`` changes only the calling thread's), creates and binds the socket, and ends; the
event loop then serves the socket with ``web.SockSite``. A dedicated thread, not a pool's: a
pooled thread would stay in the namespace for whatever it runs next.
"""

from __future__ import annotations

from collections.abc import Callable
import os
from pathlib import Path
import re
import socket
import threading
from typing import Final

from aiohappyeyeballs import AddrInfoType, SocketFactoryType

NETNS_DIR: Final = Path("/run/netns")
"""Where ``ip netns add`` puts the handle of a named namespace."""
_NAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
BACKLOG: Final = 128


def check_name(name: str) -> str:
    """Return ``name`` if it can only name a file directly in ``/run/netns``; else ValueError."""
    if not _NAME.match(name) or name in {".", ".."}:
        raise ValueError(f"not a network namespace name: {name!r}")
    return name


def _in_namespace[T](netns: str, make: Callable[[], T]) -> T:
    """Run ``make`` on a new thread that entered ``netns`` first; return what it made."""
    path = NETNS_DIR / check_name(netns)
    result: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            try:
                os.setns(fd, os.CLONE_NEWNET)
            finally:
                os.close(fd)
            result.append(make())
        except BaseException as err:  # noqa: BLE001 - handed to the caller's thread
            failure.append(err)

    thread = threading.Thread(target=run, name=f"netns-{netns}", daemon=True)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return result[0]


def listening_socket(netns: str, host: str, port: int) -> socket.socket:
    """Return a non-blocking TCP socket bound to ``host:port`` inside the namespace ``netns``.

    Raises OSError when the namespace does not exist, setns is not permitted (it needs
    CAP_SYS_ADMIN) or the address cannot be bound there.
    """

    def make() -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
            sock.listen(BACKLOG)
            sock.setblocking(False)
        except BaseException:
            sock.close()
            raise
        return sock

    return _in_namespace(netns, make)


def socket_factory(netns: str) -> SocketFactoryType:
    """Return an aiohttp ``socket_factory`` whose sockets live in ``netns``.

    What the camera sends itself (ONVIF Notify to Home Assistant's webhook) then leaves from
    its LAN address, as a real camera's does: Home Assistant takes pushes only from the
    address it knows the camera by.
    """

    def factory(addr_info: AddrInfoType) -> socket.socket:
        family, kind, proto = addr_info[0], addr_info[1], addr_info[2]
        return _in_namespace(netns, lambda: socket.socket(family, kind, proto))

    return factory
