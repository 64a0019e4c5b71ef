"""Cloud phone-home blocked on the user's firewall: policy, renderers, backends, readings.

What the network observed (:meth:`FirewallBackend.observe` -> :class:`Sightings`) and what
Home Assistant knows of each camera (:class:`CameraClaim`) -> :func:`plan_isolation` (match
keys from the network, a protected set, refusals per camera) -> a backend
(:class:`LocalBackend`, :class:`SshBackend`; all follow :class:`FirewallBackend`) ->
:class:`FirewallReadings` and :class:`IsolationStatus` for the entities.
:func:`export_nftables` and :func:`export_iptables` give rulesets for routers no backend
drives; :func:`check_allow_list` and :func:`suggest_allow_list` serve the allow-list form.
:class:`IsolationGuard` keeps a policy in force on one backend: it applies, verifies by
content, watches the ruleset, repairs, and publishes :class:`GuardUpdate` s (state, gaps,
events) for the glue to show.

No Home Assistant imports: this package is plain Python and can be used on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .allowlist import (
    AdapterInfo,
    AllowListDefaults,
    AllowListError,
    AllowListProblem,
    check_allow_list,
    form_errors,
    suggest_allow_list,
)
from .backend import FirewallBackend
from .errors import (
    ApplyFailedError,
    AuthRefusedError,
    FirewallError,
    HostKeyChangedError,
    HostKeyNotPinnedError,
    NftMissingError,
    NoPersistenceError,
    NotPermittedError,
    PolicyError,
    RouterOutputError,
    RouterUnreachableError,
)
from .export import export_iptables, export_nftables
from .guard import IsolationGuard
from .guard_state import (
    ApplyOutcome,
    GapCause,
    GapFinder,
    GuardEvent,
    GuardEventKind,
    GuardState,
    GuardUpdate,
    IsolationGap,
)
from .local import LocalBackend, NftMissingWithNetlinkError, NoNftNoNetlinkError, probe_netlink
from .matching import CameraClaim, CameraMatch, IsolationPlan, match_camera, plan_isolation
from .nft_driver import NftablesDriver
from .observe import NetworkView, Observation, Source
from .persist import PersistKind, PersistTarget
from .policy import (
    CameraIdentity,
    FirewallPolicy,
    build_policy,
    camera_addresses,
    canonical_mac,
    plan_policy,
)
from .readings import (
    ApplyResult,
    BlockedAttempt,
    BlockedDestination,
    CameraReading,
    FirewallReadings,
    IsolationStatus,
    MonotonicTotals,
)
from .refusals import INFORMATIONAL, Refusal, RefusalReason
from .runner import CommandResult, CommandRunner, SubprocessRunner
from .safe import parse_address, plain_address, safe_name, shown
from .sightings import Sightings

if TYPE_CHECKING:
    from .ssh import (
        SocketFactory,
        SshBackend,
        SshRunner,
        SshTarget,
        fetch_host_key,
        fingerprint,
    )

_SSH_NAMES = frozenset(
    {"SocketFactory", "SshBackend", "SshRunner", "SshTarget", "fetch_host_key", "fingerprint"}
)


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
    "INFORMATIONAL",
    "AdapterInfo",
    "AllowListDefaults",
    "AllowListError",
    "AllowListProblem",
    "ApplyFailedError",
    "ApplyOutcome",
    "ApplyResult",
    "AuthRefusedError",
    "BlockedAttempt",
    "BlockedDestination",
    "CameraClaim",
    "CameraIdentity",
    "CameraMatch",
    "CameraReading",
    "CommandResult",
    "CommandRunner",
    "FirewallBackend",
    "FirewallError",
    "FirewallPolicy",
    "FirewallReadings",
    "GapCause",
    "GapFinder",
    "GuardEvent",
    "GuardEventKind",
    "GuardState",
    "GuardUpdate",
    "HostKeyChangedError",
    "HostKeyNotPinnedError",
    "IsolationGap",
    "IsolationGuard",
    "IsolationPlan",
    "IsolationStatus",
    "LocalBackend",
    "MonotonicTotals",
    "NetworkView",
    "NftMissingError",
    "NftMissingWithNetlinkError",
    "NftablesDriver",
    "NoNftNoNetlinkError",
    "NoPersistenceError",
    "NotPermittedError",
    "Observation",
    "PersistKind",
    "PersistTarget",
    "PolicyError",
    "Refusal",
    "RefusalReason",
    "RouterOutputError",
    "RouterUnreachableError",
    "Sightings",
    "SocketFactory",
    "Source",
    "SshBackend",
    "SshRunner",
    "SshTarget",
    "SubprocessRunner",
    "build_policy",
    "camera_addresses",
    "canonical_mac",
    "check_allow_list",
    "export_iptables",
    "export_nftables",
    "fetch_host_key",
    "fingerprint",
    "form_errors",
    "match_camera",
    "parse_address",
    "plain_address",
    "plan_isolation",
    "plan_policy",
    "probe_netlink",
    "safe_name",
    "shown",
    "suggest_allow_list",
]
