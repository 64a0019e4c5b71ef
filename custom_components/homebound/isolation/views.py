"""What the firewall's entities are shown: the state, each camera's figures, and the questions.

Kept apart from the coordinator (:mod:`.coordinator`), which hosts the guard and acts on the
user's choices: this is the read side. A camera is named by its id (its config entry id) or by
a MAC (the services and older stores used MACs); every answer is about what the firewall
*confirmed*, what the user *chose*, and what is *pending* between the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from homeassistant.util import dt as dt_util

from ..firewall import (
    BlockedAttempt,
    CameraMatch,
    GuardState,
    HostKeyChangedError,
    IsolationGap,
    IsolationPlan,
    IsolationStatus,
    PolicyError,
    canonical_mac,
    safe_name,
)
from ..link import CameraFacts
from .backend import Backend
from .cameras import facts_mac
from .planning import Planner
from .store import FirewallMemory

GAP_HISTORY = timedelta(days=30)
"""What the "Isolation gaps (30 days)" sensors count."""


@dataclass(frozen=True, slots=True)
class CameraFigures:
    """What one camera's sensors show."""

    total: int
    """Blocked packets since Homebound first isolated it (never decreases)."""
    destinations_24h: int = 0
    recent: tuple[BlockedAttempt, ...] = ()
    """Newest first."""


@dataclass(frozen=True, slots=True)
class FirewallState:
    """What the entities show: the guard's state, the figures, and a gap to show."""

    guard: GuardState | None = None
    """None for "export only" (nothing is confirmed there) and before the first check."""
    figures: Mapping[str, CameraFigures] = field(default_factory=dict)
    """Camera id -> its figures."""
    error: str | None = None
    """Translation key of why the firewall could not be checked; None when it answered."""
    gap: IsolationGap | None = None
    """The gap open now; also, for one state, a gap the guard found and closed in one check
    (so that the problem sensors turn on for every gap, even one repaired in a second)."""

    @property
    def status(self) -> IsolationStatus | None:
        """What the last verify found."""
        return self.guard.status if self.guard is not None else None


class CameraViews:
    """The entities' questions about one camera, answered from the coordinator's state.

    A mixin of :class:`~.coordinator.FirewallCoordinator`, which sets the attributes below.
    """

    backend: Backend | None
    memory: FirewallMemory
    planner: Planner
    plan: IsolationPlan | None
    data: FirewallState

    def _exposed(self, gap: IsolationGap | None) -> list[str]:
        """Return the cameras a gap left exposed (those confirmed isolated when it began)."""
        return [] if gap is None else self.memory.gap_cameras.get(gap.started.isoformat(), [])

    @property
    def cameras(self) -> dict[str, CameraFacts]:
        """Camera id -> its entry's facts, as of the last plan."""
        return self.planner.cameras

    @property
    def halted(self) -> HostKeyChangedError | None:
        """Set when the router's host key changed: nothing is sent until it is accepted."""
        guard = self.data.guard
        return guard.halted if guard is not None else None

    def names(self, cameras: Iterable[str] | None = None) -> dict[str, str]:
        """Camera id -> its name (printable, short), for ``cameras`` or all of them."""
        known = self.planner.cameras
        wanted = list(known) if cameras is None else list(cameras)
        return {c: safe_name(known[c].name) if c in known else c for c in wanted}

    def camera_id(self, key: str) -> str:
        """Return the camera id for an id or a MAC (an id unknown so far is kept as it is)."""
        if key in self.planner.cameras:
            return key
        try:
            mac = canonical_mac(key)
        except PolicyError:
            return key
        for ident, facts in self.planner.cameras.items():
            match = self.plan.cameras.get(ident) if self.plan else None
            if facts_mac(facts) == mac or (match is not None and match.mac == mac):
                return ident
        return key

    def is_isolated(self, camera: str) -> bool:
        """Whether the user chose to block this camera's cloud (an id or a MAC)."""
        return self.planner.chosen(self.camera_id(camera))

    def confirmed(self, camera: str) -> bool:
        """Whether the firewall holds this camera's isolation, confirmed by content.

        Export only confirms nothing: there it is whether the exported rules isolate it.
        """
        ident = self.camera_id(camera)
        if self.backend is None:
            match = self.match(ident)
            return self.is_isolated(ident) and match is not None and match.isolated
        guard = self.data.guard
        return guard is not None and guard.isolated(ident)

    def pending(self, camera: str) -> bool:
        """Whether a change of this camera waits for the router to answer."""
        guard, ident = self.data.guard, self.camera_id(camera)
        if guard is None or not guard.pending:
            return False
        return self.is_isolated(ident) != self.confirmed(ident)

    def match(self, camera: str) -> CameraMatch | None:
        """Return what the plan matches the camera by (None before the first plan)."""
        return self.plan.cameras.get(self.camera_id(camera)) if self.plan else None

    def window_open(self, camera: str) -> bool:
        """Whether the camera's update window is open (everything allowed) now."""
        until = self.memory.windows.get(self.camera_id(camera))
        return until is not None and until > dt_util.utcnow()

    def isolation_problem(self, camera: str) -> bool:
        """Whether the camera should be isolated and is not (or may not be), now."""
        ident = self.camera_id(camera)
        if not self.is_isolated(ident) or self.window_open(ident) or self.backend is None:
            return False
        state, guard = self.data, self.data.guard
        if guard is None or state.gap is not None or state.error is not None:
            return True
        return not guard.reachable or guard.halted is not None or not guard.isolated(ident)

    def figures(self, camera: str) -> CameraFigures | None:
        """Return the camera's figures (None before it was ever isolated)."""
        return self.data.figures.get(self.camera_id(camera))

    def _gaps_of(self, camera: str) -> list[IsolationGap]:
        guard = self.data.guard
        if guard is None:
            return []
        ident = self.camera_id(camera)
        since = dt_util.utcnow() - GAP_HISTORY
        return [gap for gap in guard.gaps_since(since) if ident in self._exposed(gap)]

    def gaps(self, camera: str) -> int:
        """How many gaps of the last 30 days left this camera exposed (the open one included)."""
        return len(self._gaps_of(camera))

    def last_gap(self, camera: str) -> IsolationGap | None:
        """Return the latest of those gaps (None: none)."""
        found = self._gaps_of(camera)
        return max(found, key=lambda gap: gap.started) if found else None
