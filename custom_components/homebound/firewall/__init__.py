"""Cloud phone-home blocked on the user's firewall: policy, renderers, backends, readings.

Camera identities -> :func:`build_policy` -> a backend (:class:`LocalBackend`,
:class:`SshBackend`; all follow :class:`FirewallBackend`) -> :class:`FirewallReadings` and
:class:`IsolationStatus` for the entities. :func:`export_nftables` and
:func:`export_iptables` give rulesets for routers no backend drives.

No Home Assistant imports: this package is plain Python and can be used on its own.
"""

from __future__ import annotations

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
from .ssh import SocketFactory, SshBackend, SshRunner, SshTarget, fingerprint

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
