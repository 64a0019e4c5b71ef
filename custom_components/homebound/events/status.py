"""What the event manager tells the rest: which source is in use, in what state, and why.

The glue shows this (the "Event source" diagnostic sensor, a repair after ten minutes without a
working source) and the state machine (``state.py``) decides from it which sensors can be
trusted; both read :class:`SourceStatus`, which the manager hands over on every change.
Also here: when a lost or never-working source is tried again (:func:`probe_delay`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
import datetime as dt
import enum
import random
from typing import Final

from .model import SourceKind
from .source import jittered

PROBE_FIRST: Final = 1.0
PROBE_MAX: Final = 15.0
"""Longest wait between probes of a source that worked and was lost lately: with a heartbeat
of up to 10 s before it delivers, a stream that is back is used again within 30 s."""
PROBE_FAST_FOR: Final = 600.0
"""Seconds after its loss during which a source that worked is probed at the fast pace."""
PROBE_SLOW: Final = 300.0
"""First wait before probing a source that never worked here (or was lost long ago)."""
PROBE_SLOW_MAX: Final = 900.0
PROBE_WAIT: Final = 30.0
"""Seconds a started probe has to deliver (a heartbeat, an event) before it counts as failed."""


class SourceState(enum.StrEnum):
    """The state of a camera's event source, as the "Event source" sensor shows it."""

    STARTING = "starting"
    """A source is started (or taking over) and has not delivered yet."""
    LIVE = "live"
    """The source in use has delivered: its silence means nothing happens."""
    NONE = "none"
    """No source works; they are tried again in the background."""
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class Switch:
    """One change of source, for diagnostics."""

    at: dt.datetime
    previous: SourceKind | None
    now: SourceKind | None
    reason: str

    def as_dict(self, *, with_time: bool = False) -> dict[str, str | None]:
        """For diagnostics (the time only on request: snapshots of diagnostics compare)."""
        return {
            **({"at": self.at.isoformat()} if with_time else {}),
            "from": self.previous.value if self.previous else None,
            "to": self.now.value if self.now else None,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """The manager's account of itself at one moment."""

    kind: SourceKind | None
    """The source in use (None: none works)."""
    state: SourceState
    failures: Mapping[str, str] = field(default_factory=dict)
    """Why each source that was tried did not work, by source kind value ("what was tried")."""
    since: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    """When this state began."""

    @property
    def live(self) -> bool:
        """Whether a source is delivering."""
        return self.state is SourceState.LIVE


def probe_delay(
    attempts: int,
    *,
    worked: bool,
    lost_for: float,
    rng: Callable[[], float] = random.random,
) -> float:
    """Seconds before the next probe of a source.

    ``attempts``: failed probes since it was lost; ``worked``: it delivered here before;
    ``lost_for``: seconds since it was lost. A source that worked and was lost lately is
    probed soon and often (1, 2, 4, 8, then every 15 s): it is most likely a hiccup, and
    what only it carries (line crossing, intrusion, person) is missing meanwhile. One that
    never worked, or has been gone for ten minutes, waits 5 minutes, then 10, then every 15:
    asking a camera that cannot push to subscribe every few seconds helps nobody.
    """
    if worked and lost_for < PROBE_FAST_FOR:
        delay = min(PROBE_FIRST * 2 ** min(attempts, 16), PROBE_MAX)
    else:
        delay = min(PROBE_SLOW * 2 ** min(attempts, 16), PROBE_SLOW_MAX)
    return jittered(delay, rng)


class ProbeSchedule:
    """When each source is next probed: the pace of :func:`probe_delay`, per source.

    Times are event-loop times (``now`` is the caller's ``loop.time()``).
    """

    def __init__(self) -> None:
        """Nothing lost, nothing due."""
        self.worked: set[SourceKind] = set()
        """Sources that delivered here at least once (probed at the fast pace)."""
        self.due: dict[SourceKind, float] = {}
        self._attempts: dict[SourceKind, int] = {}
        self._lost_at: dict[SourceKind, float] = {}

    def lost(self, kind: SourceKind, now: float) -> None:
        """Note the source lost (or refused): its first probe is due soon."""
        self._lost_at[kind], self._attempts[kind] = now, 0
        self.due[kind] = now + probe_delay(0, worked=kind in self.worked, lost_for=0.0)

    def failed(self, kind: SourceKind, now: float) -> None:
        """Note a failed probe (or another refusal): the next one comes later."""
        if kind not in self.due:
            self.lost(kind, now)
            return
        attempts = self._attempts.get(kind, 0) + 1
        self._attempts[kind] = attempts
        lost_for = now - self._lost_at.setdefault(kind, now)
        self.due[kind] = now + probe_delay(attempts, worked=kind in self.worked, lost_for=lost_for)

    def taken(self, kind: SourceKind) -> None:
        """Forget the source's probes: it is in use."""
        for table in (self._attempts, self._lost_at):
            table.pop(kind, None)
        self.due.pop(kind, None)

    def due_at(self, kind: SourceKind, now: float) -> float:
        """When the source is due (a source never lost waits the slow pace)."""
        return self.due.setdefault(kind, now + probe_delay(0, worked=False, lost_for=0.0))
