"""What the entities show: per-camera blocked attempts and whether the isolation is in force.

Every backend returns these same types, so the sensors never know which router they read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .policy import IPAddress

RECENT_LIMIT = 10
"""How many recent destinations a camera's reading lists."""
DISTINCT_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class BlockedDestination:
    """One destination a camera tried and was refused: address, protocol, port."""

    address: IPAddress
    protocol: str
    """``tcp``, ``udp``, ``icmp``, ``icmpv6``, ``sctp``, ``dccp`` or the protocol number."""
    port: int | None
    """Destination port, None for protocols without ports (ICMP)."""

    def __str__(self) -> str:
        """``203.0.113.2 udp/8800``, ``[2001:db8::2] tcp/443``, ``203.0.113.2 icmp``."""
        host = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        return f"{host} {self.protocol}" + (f"/{self.port}" if self.port is not None else "")


@dataclass(frozen=True, slots=True)
class BlockedAttempt:
    """A destination and when the camera last tried it."""

    destination: BlockedDestination
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class CameraReading:
    """The blocked-traffic figures of one camera."""

    mac: str
    """The camera's id: its MAC, unless the glue gave the camera another id."""
    blocked_packets: int
    """Packets dropped since the ruleset was first loaded (kept across re-applies; the
    kernel's counter restarts after a reboot or a flush: :class:`MonotonicTotals` smooths
    that for a ``total_increasing`` sensor)."""
    destinations_24h: int
    """Distinct destinations tried in the last 24 hours (as far as the router keeps them)."""
    recent: tuple[BlockedAttempt, ...] = ()
    """The most recent attempts first, at most RECENT_LIMIT."""

    @property
    def last_blocked(self) -> BlockedAttempt | None:
        """The most recent blocked destination, if any."""
        return self.recent[0] if self.recent else None


@dataclass(frozen=True, slots=True)
class FirewallReadings:
    """One read of every isolated camera's figures."""

    read_at: datetime
    cameras: dict[str, CameraReading]
    """Camera id (its MAC unless the glue gave another id) -> reading, for every camera."""


@dataclass(frozen=True, slots=True)
class IsolationStatus:
    """What verify found: whether the policy is in force, and what is missing if not."""

    in_force: bool
    persistent: bool | None
    """Whether the ruleset is stored to come back after a reload or a reboot (None: the
    backend does not make it persistent, e.g. the local host backend)."""
    problems: tuple[str, ...] = ()
    """Stable codes, compared by content (see :mod:`.nft_expect`): ``table_missing``,
    ``table_flags_changed`` (e.g. made dormant), ``table_unreadable`` (its listing is not
    what nft prints: not confirmed, replaced whole), ``chain_missing:NAME``, ``chain_added:NAME``,
    ``hook_changed:NAME``, ``priority_changed:NAME``, ``policy_changed:NAME``,
    ``rules_changed:NAME`` (a rule added, dropped or changed), ``set_missing:NAME``,
    ``set_added:NAME``, ``set_changed:NAME`` (declaration or elements),
    ``object_added:KIND:NAME``, ``camera_missing:ID``, ``counter_missing:ID`` (ID: the
    camera's id, its MAC by default), ``not_persistent``."""
    digest: str | None = None
    """SHA-256 of the table's normalised content as found (None when there is no table)."""


@dataclass(frozen=True, slots=True)
class ApplyResult:
    """What an apply did."""

    rules: int
    """Rules in the kernel for Homebound (the same for any number of cameras)."""
    newly_isolated: tuple[str, ...]
    """Ids of cameras whose traffic is blocked now and was not before."""
    sessions_flushed: bool
    """Whether the connection-tracking entries of newly isolated cameras were deleted
    (False where the router has no ``conntrack`` tool: their open sessions still die at
    their next packet, except flows the router offloads to hardware)."""
    persistent: bool | None = None
    status: IsolationStatus | None = None
    """What the table held right after the transaction, compared by content (None: the
    backend did not check; call verify)."""


@dataclass(slots=True)
class MonotonicTotals:
    """Turns counters that restart (reboot, ``fw4 flush``) into ever-growing totals.

    Keep one per config entry and feed it each reading; ``state`` can be stored and given
    back after a Home Assistant restart.
    """

    state: dict[str, tuple[int, int]] = field(default_factory=dict)
    """MAC -> (offset, last raw value)."""

    def update(self, mac: str, raw: int) -> int:
        """Return the total for ``mac`` given the router's current counter value."""
        offset, last = self.state.get(mac, (0, 0))
        if raw < last:
            offset += last
        self.state[mac] = (offset, raw)
        return offset + raw
