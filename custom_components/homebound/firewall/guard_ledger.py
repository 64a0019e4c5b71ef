"""The guard's book: its state as it changes, gaps opened and closed, one publish at a time.

Kept apart from the guard's loop (:mod:`.guard`) so that what is *known* (confirmed, desired,
pending, away since, the gaps) has one writer with small, named steps, and what is *done*
(apply, verify, watch, poll) stays in the guard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
import logging

from .errors import FirewallError, HostKeyChangedError
from .guard_state import (
    GapCause,
    GapFinder,
    GuardEvent,
    GuardEventKind,
    GuardState,
    GuardUpdate,
    IsolationGap,
    changes,
)
from .policy import FirewallPolicy
from .readings import FirewallReadings, IsolationStatus

_LOGGER = logging.getLogger(__name__)

HISTORY = timedelta(days=30)
HISTORY_MAX = 1000
"""Closed gaps kept: those of the last 30 days, at most this many."""


class Ledger:
    """What the guard knows, changed step by step and published as one :class:`GuardState`."""

    def __init__(
        self,
        clock: Callable[[], datetime],
        history: Iterable[IsolationGap],
        listener: Callable[[GuardUpdate], None] | None,
        watching: Callable[[], bool],
    ) -> None:
        """Start from the gaps remembered (older than HISTORY are dropped)."""
        self._clock = clock
        self._listener = listener
        self._watching = watching
        self.desired: FirewallPolicy | None = None
        self.confirmed: FirewallPolicy | None = None
        self.status: IsolationStatus | None = None
        self.readings: FirewallReadings | None = None
        self.error: FirewallError | None = None
        self.unreachable_since: datetime | None = None
        self.pending = False
        self.halted: HostKeyChangedError | None = None
        self.gap: IsolationGap | None = None
        self.gaps: list[IsolationGap] = sorted(history, key=lambda g: g.started)
        self.checked_at: datetime | None = None
        self.events: list[GuardEvent] = []
        self._prune()
        self.state = self._snapshot()

    def event(
        self,
        kind: GuardEventKind,
        *,
        gap: IsolationGap | None = None,
        error: FirewallError | None = None,
    ) -> None:
        """Note something that happened (told with the next publish)."""
        self.events.append(GuardEvent(kind, self._clock(), gap=gap, error=error))

    def lost(
        self,
        status: IsolationStatus,
        finder: GapFinder,
        signal_at: datetime | None,
        *,
        force: bool = False,
    ) -> None:
        """Note the table is not in force: a gap opens if isolation was confirmed (or ``force``)."""
        if self.gap is None and (self.confirmed is not None or force):
            cause = GapCause.REMOVED if "table_missing" in status.problems else GapCause.CHANGED
            self.gap = IsolationGap(cause, status.problems, signal_at or self._clock(), finder)
            self.event(GuardEventKind.ISOLATION_LOST, gap=self.gap)
            _LOGGER.warning("Camera isolation is not in force: %s", ", ".join(status.problems))
        self.confirmed = None

    def settle(
        self,
        policy: FirewallPolicy,
        status: IsolationStatus,
        finder: GapFinder,
        signal_at: datetime | None,
        *,
        repaired: bool,
    ) -> None:
        """Record what a check or an apply ended with: confirmed (closing a gap), or a gap."""
        self.status = status
        if not status.in_force:
            self.lost(status, finder, signal_at)
            return
        self.confirmed = policy
        if self.gap is not None:
            gap = IsolationGap(
                self.gap.cause, self.gap.problems, self.gap.started, self.gap.found_by,
                ended=self._clock(), repaired=repaired,
            )  # fmt: skip
            self.gap = None
            self.gaps.append(gap)
            self._prune()
            self.event(GuardEventKind.ISOLATION_RESTORED, gap=gap)
            _LOGGER.warning("Camera isolation is in force again after %s", gap.duration)

    def away(self, err: FirewallError, since: datetime | None = None) -> None:
        """Note the firewall did not answer (``since``: the earliest sign of it)."""
        self.error = err
        if self.unreachable_since is None:
            self.unreachable_since = since or self._clock()
            self.event(GuardEventKind.UNREACHABLE, error=err)

    def reached(self) -> None:
        """Note the firewall answered."""
        if self.unreachable_since is not None:
            self.unreachable_since = None
            self.event(GuardEventKind.REACHABLE)

    def halt(self, err: HostKeyChangedError) -> None:
        """Note the router's host key changed: nothing more is sent to it."""
        self.halted = err
        self.error = err
        self.event(GuardEventKind.HOST_KEY_CHANGED, error=err)
        _LOGGER.error("The firewall's SSH host key changed; Homebound stopped using it: %s", err)

    def _prune(self) -> None:
        oldest = self._clock() - HISTORY
        kept = [g for g in self.gaps if (g.ended or g.started) >= oldest]
        self.gaps = kept[-HISTORY_MAX:]

    def _snapshot(self) -> GuardState:
        return GuardState(
            desired=self.desired,
            confirmed=self.confirmed,
            status=self.status,
            readings=self.readings,
            error=self.error,
            unreachable_since=self.unreachable_since,
            pending=self.pending,
            halted=self.halted,
            gap=self.gap,
            gaps=tuple(self.gaps),
            watching=self._watching(),
            checked_at=self.checked_at,
        )

    def publish(self) -> None:
        """Make the new state current and tell the host, when anything changed."""
        before, after = self.state, self._snapshot()
        events, self.events = tuple(self.events), []
        self.state = after
        changed = changes(before, after)
        if (changed or events) and self._listener is not None:
            self._listener(GuardUpdate(after, events, changed))
