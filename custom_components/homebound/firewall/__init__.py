"""Cloud phone-home blocked on the user's firewall: policy, renderers, backends, readings.

Camera identities -> :func:`build_policy` -> a backend (:class:`LocalBackend`,
:class:`SshBackend`; all follow :class:`FirewallBackend`) -> :class:`FirewallReadings` and
:class:`IsolationStatus` for the entities. :func:`export_nftables` and
:func:`export_iptables` give rulesets for routers no backend drives.

No Home Assistant imports: this package is plain Python and can be used on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .backend import FirewallBackend
from .errors import (
    ApplyFailedError,
    AuthRefusedError,
    FirewallError,
    HostKeyChangedError,
    NftMissingError,
    NoPersistenceError,
    NotPermittedError,
    PolicyError,
    RouterOutputError,
    RouterUnreachableError,
)
from .export import export_iptables, export_nftables
from .local import LocalBackend, NftMissingWithNetlinkError, NoNftNoNetlinkError, probe_netlink
from .nft_driver import NftablesDriver
from .persist import PersistKind, PersistTarget
from .policy import CameraIdentity, FirewallPolicy, build_policy, camera_addresses, canonical_mac
from .readings import (
    ApplyResult,
    BlockedAttempt,
    BlockedDestination,
    CameraReading,
    FirewallReadings,
    IsolationStatus,
    MonotonicTotals,
)
from .runner import CommandResult, CommandRunner, SubprocessRunner

if TYPE_CHECKING:
    from .ssh import SocketFactory, SshBackend, SshRunner, SshTarget, fingerprint

_SSH_NAMES = frozenset({"SocketFactory", "SshBackend", "SshRunner", "SshTarget", "fingerprint"})


def __getattr__(name: str) -> Any:
    """Load the SSH backend on first use.

    asyncssh and cryptography cost megabytes and a tenth of a second to import, which nobody
    without an SSH firewall should pay at every start.
    """
    if name in _SSH_NAMES:
        from . import ssh  # noqa: PLC0415 - the point of this function

        return getattr(ssh, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ApplyFailedError",
    "ApplyResult",
    "AuthRefusedError",
    "BlockedAttempt",
    "BlockedDestination",
    "CameraIdentity",
    "CameraReading",
    "CommandResult",
    "CommandRunner",
    "FirewallBackend",
    "FirewallError",
    "FirewallPolicy",
    "FirewallReadings",
    "HostKeyChangedError",
    "IsolationStatus",
    "LocalBackend",
    "MonotonicTotals",
    "NftMissingError",
    "NftMissingWithNetlinkError",
    "NftablesDriver",
    "NoNftNoNetlinkError",
    "NoPersistenceError",
    "NotPermittedError",
    "PersistKind",
    "PersistTarget",
    "PolicyError",
    "RouterOutputError",
    "RouterUnreachableError",
    "SocketFactory",
    "SshBackend",
    "SshRunner",
    "SshTarget",
    "SubprocessRunner",
    "build_policy",
    "camera_addresses",
    "canonical_mac",
    "export_iptables",
    "export_nftables",
    "fingerprint",
    "probe_netlink",
]
