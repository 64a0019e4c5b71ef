"""The interface every firewall backend offers the Home Assistant glue.

A backend takes a :class:`~.policy.FirewallPolicy` and makes one firewall hold it; the glue
reads the same :mod:`.readings` from every backend, and the same :class:`~.observe.NetworkView`
(what the firewall machine sees of the network: the source of every match key). New backends
(a gateway guard on the HA host, OPNsense REST, RouterOS REST, UniFi, Fritz!Box) implement
this protocol and nothing else changes: not the policy, not what the entities read.
"""

from __future__ import annotations

from typing import Protocol

from .observe import NetworkView
from .policy import FirewallPolicy
from .readings import ApplyResult, FirewallReadings, IsolationStatus


class FirewallBackend(Protocol):
    """Apply, verify, read and remove one policy on one firewall. Every call is async."""

    async def apply(self, policy: FirewallPolicy) -> ApplyResult:
        """Make the firewall hold ``policy`` atomically; on error the previous one stays."""
        ...

    async def verify(self, policy: FirewallPolicy) -> IsolationStatus:
        """Tell whether ``policy`` is in force (and stored to survive reboots)."""
        ...

    async def read(self, policy: FirewallPolicy) -> FirewallReadings:
        """Read every isolated camera's blocked-attempt figures."""
        ...

    async def observe(self) -> NetworkView:
        """Read which MAC the firewall machine sees at which address (neighbours, leases).

        Match keys come from these observations, never from what a camera says about itself.
        A backend that cannot observe returns a view with no observations.
        """
        ...

    async def remove(self) -> None:
        """Remove everything Homebound made on the firewall (succeeds when nothing is left)."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
