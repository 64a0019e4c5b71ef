"""What the isolation guard knows and says, as plain data the glue shows and stores.

The guard (:mod:`.guard`) publishes a :class:`GuardUpdate` each time something a user could see
changed: the :class:`GuardState` (what the firewall confirmed, what the user wants, whether the
router answers, the gap open now and the closed ones) and the :class:`GuardEvent` s that
happened (isolation lost and restored, a pending change applied, the router away and back, a
changed host key). ``GuardUpdate.changed`` names the aspects that changed, so the glue writes
its store only when a stored aspect did.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from .errors import FirewallError, HostKeyChangedError
from .policy import FirewallPolicy
from .readings import FirewallReadings, IsolationStatus


class ApplyOutcome(StrEnum):
    """What :meth:`~.guard.IsolationGuard.apply_now` did."""

    APPLIED = "applied"
    """The firewall holds the policy, confirmed by content."""
    PENDING = "pending"
    """The router does not answer: the change is kept and applied when it answers again."""
    UNCONFIRMED = "unconfirmed"
    """Loaded, but the check right after found the table different; the guard repairs it."""


class GapCause(StrEnum):
    """Why the isolation was not in force."""

    REMOVED = "removed"
    """Homebound's table was gone (``nft flush ruleset``, ``fw4 flush``, a reboot, deleted)."""
    CHANGED = "changed"
    """The table was there but differed from the policy (an element, a rule, a priority...)."""


class GapFinder(StrEnum):
    """What found a gap."""

    WATCH = "watch"
    """The ruleset watcher signalled a change (seconds)."""
    CHECK = "check"
    """The periodic full check (the backstop)."""
    APPLY = "apply"
    """The check right after an apply."""
    START = "start"
    """The check when the guard started (the gap began before Home Assistant did)."""
    POLL = "poll"
    """The light poll of the sets ``nft monitor`` cannot report (nft 1.0.6: ``svc4``...)."""


@dataclass(frozen=True, slots=True)
class IsolationGap:
    """One period in which the isolation Homebound had confirmed was not in force."""

    cause: GapCause
    problems: tuple[str, ...]
    """The codes verify reported when the gap was found."""
    started: datetime
    """The earliest sign of it: the watcher's signal, else the check that found it."""
    found_by: GapFinder
    ended: datetime | None = None
    repaired: bool = False
    """Whether Homebound's own apply ended it (False: it came back some other way, or is open)."""

    @property
    def duration(self) -> timedelta | None:
        """How long it lasted (None while open)."""
        return None if self.ended is None else self.ended - self.started

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready form (for the glue's store)."""
        return {
            "cause": self.cause.value,
            "problems": list(self.problems),
            "started": self.started.isoformat(),
            "found_by": self.found_by.value,
            "ended": self.ended.isoformat() if self.ended else None,
            "repaired": self.repaired,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IsolationGap:
        """Read :meth:`as_dict`'s form back (ValueError, KeyError or TypeError if it is not)."""
        ended = data.get("ended")
        return cls(
            cause=GapCause(data["cause"]),
            problems=tuple(str(p) for p in data["problems"]),
            started=datetime.fromisoformat(str(data["started"])),
            found_by=GapFinder(data["found_by"]),
            ended=datetime.fromisoformat(str(ended)) if ended else None,
            repaired=bool(data.get("repaired")),
        )


class GuardEventKind(StrEnum):
    """Things that happened, each one worth a logbook line."""

    ISOLATION_LOST = "isolation_lost"
    ISOLATION_RESTORED = "isolation_restored"
    PENDING = "pending"
    """A change was accepted while the router does not answer."""
    PENDING_APPLIED = "pending_applied"
    UNREACHABLE = "unreachable"
    REACHABLE = "reachable"
    HOST_KEY_CHANGED = "host_key_changed"
    APPLY_FAILED = "apply_failed"


@dataclass(frozen=True, slots=True)
class GuardEvent:
    """One thing that happened, with the gap or the error it concerns."""

    kind: GuardEventKind
    at: datetime
    gap: IsolationGap | None = None
    error: FirewallError | None = None


@dataclass(frozen=True, slots=True)
class GuardState:
    """Everything the guard knows, at one moment."""

    desired: FirewallPolicy | None = None
    """The policy the user's choices make (the last one built)."""
    confirmed: FirewallPolicy | None = None
    """The policy the firewall was last seen holding, by content (None: none confirmed)."""
    status: IsolationStatus | None = None
    readings: FirewallReadings | None = None
    error: FirewallError | None = None
    """Why the last check or apply failed (None: it worked)."""
    unreachable_since: datetime | None = None
    """When the router stopped answering (None: it answers)."""
    pending: bool = False
    """A change the user made waits for the router to answer."""
    halted: HostKeyChangedError | None = None
    """Set when the router's host key changed: nothing is sent until the user decides."""
    gap: IsolationGap | None = None
    """The gap open now, if any."""
    gaps: tuple[IsolationGap, ...] = ()
    """Closed gaps, oldest first, within the history the guard keeps (30 days by default)."""
    watching: bool = False
    """Whether the ruleset watcher runs and was seen to report changes."""
    checked_at: datetime | None = None

    @property
    def reachable(self) -> bool:
        """Whether the firewall answered the last time it was asked."""
        return self.unreachable_since is None

    def isolated(self, camera: str) -> bool:
        """Whether the firewall was confirmed to isolate this camera (id or MAC), by content.

        What the switch shows: never more than the firewall confirmed. While the router does
        not answer it stays what was last confirmed (``reachable`` says it is not current).
        """
        return self.confirmed is not None and self.confirmed.camera(camera) is not None

    def wanted(self, camera: str) -> bool:
        """Whether the user's choices isolate this camera (id or MAC)."""
        return self.desired is not None and self.desired.camera(camera) is not None

    def pending_for(self, camera: str) -> bool:
        """Whether this camera's change waits for the router (the switch's attribute)."""
        return self.pending and self.wanted(camera) != self.isolated(camera)

    def gaps_since(self, since: datetime) -> tuple[IsolationGap, ...]:
        """Gaps that started at or after ``since``, the open one included."""
        found = [g for g in self.gaps if g.started >= since]
        if self.gap is not None and self.gap.started >= since:
            found.append(self.gap)
        return tuple(found)


@dataclass(frozen=True, slots=True)
class GuardUpdate:
    """What the guard tells its host after a check or an apply."""

    state: GuardState
    events: tuple[GuardEvent, ...] = ()
    changed: frozenset[str] = frozenset()
    """Aspects that changed: ``confirmed``, ``status``, ``counters`` (a camera's blocked
    packets), ``readings``, ``gaps``, ``pending``, ``reachable``, ``error``, ``halted``,
    ``watching``, ``desired``."""


def changes(before: GuardState, after: GuardState) -> frozenset[str]:
    """Name the aspects in which two states differ."""
    found = {
        name
        for name, a, b in (
            ("confirmed", before.confirmed, after.confirmed),
            ("desired", before.desired, after.desired),
            ("status", before.status, after.status),
            ("pending", before.pending, after.pending),
            ("reachable", before.reachable, after.reachable),
            ("halted", before.halted, after.halted),
            ("watching", before.watching, after.watching),
            ("gaps", (before.gap, before.gaps), (after.gap, after.gaps)),
            ("error", _error_text(before.error), _error_text(after.error)),
        )
        if a != b
    }
    old, new = before.readings, after.readings
    if (old is None) != (new is None) or (
        old is not None and new is not None and old.cameras != new.cameras
    ):
        found.add("readings")
        packets = {m: r.blocked_packets for m, r in (old.cameras if old else {}).items()}
        if packets != {m: r.blocked_packets for m, r in (new.cameras if new else {}).items()}:
            found.add("counters")
    return frozenset(found)


def _error_text(error: FirewallError | None) -> tuple[str, str] | None:
    return None if error is None else (type(error).__name__, str(error))
