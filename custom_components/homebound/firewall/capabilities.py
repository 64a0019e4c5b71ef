"""What a backend can do beyond :class:`~.backend.FirewallBackend`, for the isolation guard.

Each is optional: the guard asks with ``isinstance`` and does without. The nftables drivers
(local and SSH) have all four; a future REST backend may have none and still be guarded by
the periodic check.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from .policy import FirewallPolicy
from .readings import ApplyResult
from .runner import StreamingRunner


@runtime_checkable
class Watchable(Protocol):
    """A backend whose ruleset can be watched (``nft monitor``)."""

    def monitor_runner(self) -> StreamingRunner | None:
        """Return the runner to follow ``nft monitor`` through, if it can stream."""
        ...


@runtime_checkable
class HostKeyChecking(Protocol):
    """A backend whose peer's identity can be checked on a new connection (SSH)."""

    async def recheck_host_key(self) -> None:
        """Raise HostKeyChangedError when the router's key is not the pinned one."""
        ...


@runtime_checkable
class Repairing(Protocol):
    """A backend that can put a policy back whatever was changed (not only re-load it)."""

    async def repair(self, policy: FirewallPolicy, problems: Sequence[str]) -> ApplyResult:
        """Load ``policy`` again, removing first what a plain apply cannot replace."""
        ...


@runtime_checkable
class SetPolling(Protocol):
    """A backend that can list a few sets alone (those the monitor cannot report)."""

    def blind_sets(self, policy: FirewallPolicy) -> tuple[str, ...]:
        """Return the sets to poll for ``policy``."""
        ...

    async def verify_sets(self, policy: FirewallPolicy, names: Sequence[str]) -> list[str]:
        """Compare only these sets with the policy; problem codes."""
        ...
