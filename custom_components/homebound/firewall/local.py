"""The local backend: Homebound's nftables table on the Home Assistant host itself.

For homes where the Home Assistant host is the cameras' gateway (it routes their traffic) or
a bridge between them and the router (then ``br_netfilter`` must hand bridged IPv4/IPv6 to
the ``inet`` hooks: ``net.bridge.bridge-nf-call-iptables=1`` and ``...-ip6tables=1``).

What Home Assistant's own containers permit (found out for this backend):

* Home Assistant OS and Supervised: the Supervisor starts the ``homeassistant`` container
  with ``privileged=True`` and ``network_mode="host"`` (supervisor ``docker/homeassistant.py``),
  so netlink to the host's nftables (CAP_NET_ADMIN in the host network namespace) *is*
  permitted - but the image (Alpine based) ships no ``nft`` binary and no ``libnftables``.
* Container install: the documented ``docker run``/compose recipe also uses ``--privileged``
  and ``--network=host``; users who drop either get no CAP_NET_ADMIN, or a namespace of their
  own where rules filter nothing. The image is the same: no ``nft``.
* Core (a virtualenv on Debian, Raspberry Pi OS...): ``nft`` is usually installed, but Home
  Assistant runs as an unprivileged user, so netlink is refused unless the service is given
  ``AmbientCapabilities=CAP_NET_ADMIN``.

What is chosen: the ``nft`` binary where it is present (it is the tested nftables front end,
with the same script the SSH backend loads; no second encoder of the same rules), run off the
event loop as a subprocess. Where it is absent, :meth:`LocalBackend.check` probes netlink
itself (one ``NFT_MSG_GETTABLE`` dump request, no change made) and raises a typed error the
config flow shows: :class:`NftMissingError` with ``netlink_permitted=True`` on Home Assistant
OS ("use the SSH backend on your router, or the export"), :class:`NoNftNoNetlinkError` (a
:class:`NotPermittedError`) where even netlink is refused. Writing the ruleset through
netlink directly (pyroute2's nftables API is a self-declared prototype that lacks sets with
concatenations and dynamic updates) is left for a later backend; the driver interface takes
it without change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import errno
import socket
import struct

from .errors import NftMissingError, NotPermittedError
from .nft_driver import NftablesDriver
from .observe import Source
from .runner import CommandRunner, SubprocessRunner

NETLINK_NETFILTER = 12
_GETTABLE = (10 << 8) | 1  # NFNL_SUBSYS_NFTABLES, NFT_MSG_GETTABLE
_REQUEST_DUMP = 0x1 | 0x300
_NLMSG_ERROR = 2


class NftMissingWithNetlinkError(NftMissingError):
    """No ``nft`` here, although netlink would be permitted (Home Assistant OS)."""


class NoNftNoNetlinkError(NotPermittedError):
    """Neither way works here: no ``nft`` command, and netlink is refused (no CAP_NET_ADMIN)."""


def probe_netlink() -> bool:
    """Whether this process may talk nftables netlink (True) or is refused (False).

    Sends one read-only table dump request; blocking, so call it in an executor.
    """
    try:
        sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    except OSError as err:
        if err.errno in {errno.EPERM, errno.EACCES}:
            return False
        raise NotPermittedError("this system has no nftables netlink") from err
    with sock:
        sock.settimeout(2.0)
        header = struct.pack("=IHHII", 20, _GETTABLE, _REQUEST_DUMP, 1, 0)
        sock.sendto(header + struct.pack("=BBH", 0, 0, 0), (0, 0))
        try:
            reply = sock.recv(65536)
        except OSError:
            return False
    if len(reply) >= 20:
        kind = struct.unpack_from("=H", reply, 4)[0]
        if kind == _NLMSG_ERROR:
            code = struct.unpack_from("=i", reply, 16)[0]
            return code not in {-errno.EPERM, -errno.EACCES}
    return True


async def _probe_in_executor() -> bool:
    return await asyncio.get_running_loop().run_in_executor(None, probe_netlink)


class LocalBackend(NftablesDriver):
    """Homebound's table on the Home Assistant host (not persistent: HA re-applies at start)."""

    neighbour_source = Source.HOST_NEIGHBOUR
    observed_as = "ha_host"

    def __init__(
        self,
        runner: CommandRunner | None = None,
        *,
        netlink_probe: Callable[[], Awaitable[bool]] = _probe_in_executor,
    ) -> None:
        """Use ``runner`` (a subprocess runner on this host by default)."""
        super().__init__(runner or SubprocessRunner())
        self._netlink_probe = netlink_probe

    async def check(self) -> None:
        """Raise the typed error that tells why this host cannot isolate cameras, if any."""
        try:
            result = await self.runner.run(("nft", "list", "tables"))
        except NftMissingError:
            if await self._netlink_probe():
                raise NftMissingWithNetlinkError(
                    "this Home Assistant has no nft command (netlink would be permitted)"
                ) from None
            raise NoNftNoNetlinkError("no nft command and no permission for netlink") from None
        if not result.ok:
            lowered = result.stderr.lower()
            if "permitted" in lowered or "permission" in lowered:
                raise NotPermittedError("nft is refused here (CAP_NET_ADMIN needed)")
            raise NftMissingError(f"nft does not work here: {result.stderr.strip()[:200]}")

    async def close(self) -> None:
        """Nothing to close (here for the backend interface)."""
