"""Choosing a camera's event source, best first: falling back at once, moving back up soon.

The plan lists the sources worth trying for a camera, best first: its vendor's push stream
(Hikvision, Dahua), ONVIF push to a webhook, ONVIF PullPoint. The manager starts the first
that works. When the source in use gives up (silent past its window, its stream lost and not
to be had again, its task ended by an error), the next one is started *before* the old one
is stopped, so that what the old one still delivers is not lost, and a change both report is
passed on once (:data:`DEDUPE_WINDOW`).

While a lesser source is in use the better ones are probed in the background, one at a time
(cameras and NVRs have few connection and subscription slots), at the pace of
:func:`~.status.probe_delay` — soon and often for a source that worked and was just lost,
rarely for one that never worked. A probe that delivers (a heartbeat, an event) takes over at
once; the one it replaces is stopped after. Every switch is logged once and kept for
diagnostics; :class:`~.status.SourceStatus` says what is in use and whether it delivers.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from contextlib import suppress
import datetime as dt
import logging
from typing import Any, Final

from .model import Capability, Event, SourceKind
from .probing import Candidate, Prober
from .source import EventSource, SourceUnavailable
from .status import ProbeSchedule, SourceState, SourceStatus, Switch

__all__ = ["Candidate", "EventManager"]

_LOGGER = logging.getLogger(__name__)

DEDUPE_WINDOW: Final = 2.0
"""Seconds within which the same change reported by two sources is passed on once."""
SWITCHES_KEPT: Final = 20


class _Link:
    """The sink one source reports to: the manager, told which source speaks."""

    def __init__(self, manager: EventManager) -> None:
        self.manager = manager
        self.source: EventSource | None = None

    def event(self, event: Event) -> None:
        if self.source is not None:
            self.manager._source_event(self.source, event)  # noqa: SLF001 - its own link

    def alive(self) -> None:
        if self.source is not None:
            self.manager._source_alive(self.source)  # noqa: SLF001 - its own link

    def trouble(self) -> None:
        if self.source is not None and self.source is self.manager.active:
            self.manager._pass_trouble()  # noqa: SLF001 - its own link

    def gave_up(self) -> None:
        if self.source is not None:
            self.manager._gave_up(self.source)  # noqa: SLF001 - its own link


class EventManager(Prober):
    """Runs the best working source of one camera and passes its events on."""

    def __init__(
        self,
        name: str,
        plan: list[Candidate],
        on_event: Callable[[Event], None],
        on_alive: Callable[[], None] | None = None,
        on_trouble: Callable[[], None] | None = None,
        *,
        on_status: Callable[[SourceStatus], None] | None = None,
    ) -> None:
        """Plan the sources for the camera called ``name`` (for the log)."""
        self._name = name
        self._plan = plan
        self._on_event = on_event
        self._on_alive = on_alive
        self._on_trouble = on_trouble
        self._on_status = on_status
        self.active: EventSource | None = None
        self._index = -1
        self.candidate: EventSource | None = None
        """A better source being probed (started, not yet delivering)."""
        self._candidate_index = -1
        self._outcome: asyncio.Future[bool] | None = None
        self.failures: dict[str, str] = {}
        """Why each source that was tried did not work (for diagnostics and the repair)."""
        self.status = SourceStatus(None, SourceState.STARTING)
        self.switches: deque[Switch] = deque(maxlen=SWITCHES_KEPT)
        self.duplicates = 0
        """Events passed over because another source had just reported the same change."""
        self.last_event: dt.datetime | None = None
        self._retiring: dict[EventSource, asyncio.Task[None]] = {}
        self._switching: asyncio.Task[None] | None = None
        self._prober: asyncio.Task[None] | None = None
        self._replan = asyncio.Event()
        self._schedule = ProbeSchedule()
        self._recent: deque[tuple[float, SourceKind, tuple[Capability, bool, bool]]] = deque(
            maxlen=256
        )
        self._stopped = False
        self.changed = asyncio.Event()
        """Set whenever the source in use, its state or the probe changes (tests wait on it)."""

    # -- what sources report ----------------------------------------------------------------

    def _source_event(self, source: EventSource, event: Event) -> None:
        if self._stopped:
            return
        if source is self.candidate:
            self._promote(source)
        elif source is not self.active and source not in self._retiring:
            return
        if self._duplicate(event):
            self.duplicates += 1
            return
        self.last_event = event.time
        self._on_event(event)

    def _duplicate(self, event: Event) -> bool:
        """Whether another source reported this same change just now (during a switch).

        It is one when the last change of its capability passed on, within the window, is
        this very change from the other source. A change seen since (an "off" between two
        "on"s) makes it news: motion that starts again is a new motion, whichever source
        reports it.
        """
        now = asyncio.get_running_loop().time()
        while self._recent and now - self._recent[0][0] > DEDUPE_WINDOW:
            self._recent.popleft()
        key = (event.capability, event.active, event.pulse)
        last = next(
            ((kind, k) for _, kind, k in reversed(self._recent) if k[0] == event.capability),
            None,
        )
        if last is not None and last[1] == key and last[0] is not event.source:
            return True
        self._recent.append((now, event.source, key))
        return False

    def _source_alive(self, source: EventSource) -> None:
        if self._stopped:
            return
        if source.delivered:
            self._schedule.worked.add(source.kind)
        if source is self.candidate and source.delivered:
            self._promote(source)
        elif source is not self.active:
            return
        elif source.delivered and self.status.state is not SourceState.LIVE:
            self._set_status(SourceState.LIVE)
        if self._on_alive is not None:
            self._on_alive()

    def _pass_trouble(self) -> None:
        if self._on_trouble is not None:
            self._on_trouble()

    def _gave_up(self, source: EventSource) -> None:
        if self._stopped:
            return
        if source is self.active:
            self._fall(source)
        elif source is self.candidate and self._outcome is not None and not self._outcome.done():
            self._outcome.set_result(False)

    # -- life cycle ------------------------------------------------------------------------

    @property
    def kind(self) -> SourceKind | None:
        """The kind of the active source."""
        return self.active.kind if self.active is not None else None

    @property
    def running(self) -> tuple[EventSource, ...]:
        """Every source started and not stopped: in use, probed, being replaced."""
        return tuple(s for s in (self.active, self.candidate, *self._retiring) if s is not None)

    def source_of(self, kind: SourceKind) -> EventSource | None:
        """Return the running source of ``kind`` (the webhook hands its pushes to it)."""
        return next((s for s in self.running if s.kind is kind), None)

    async def start(self) -> None:
        """Start the best source that works (none at all is not an error)."""
        await self._descend(0, None, "started")
        if not self._stopped:
            self._prober = asyncio.get_running_loop().create_task(
                self._probe_loop(), name=f"homebound {self._name} event source probes"
            )

    async def stop(self) -> None:
        """Stop every source (unsubscribing on the camera) and every timer; never raises."""
        self._stopped = True
        for task in (self._prober, self._switching):
            if task is not None and not task.done():
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task
        self._prober = self._switching = None
        if self._outcome is not None and not self._outcome.done():
            self._outcome.cancel()
        sources = [s for s in (self.active, self.candidate) if s is not None]
        self.active = self.candidate = None
        for source in sources:
            await self._stop_source(source)
        for task in list(self._retiring.values()):
            with suppress(asyncio.CancelledError):
                await task
        self._set_status(SourceState.STOPPED)

    async def _stop_source(self, source: EventSource) -> None:
        try:
            await source.stop()
        except Exception:  # noqa: BLE001 - EventSource.stop does not raise; belt and braces
            _LOGGER.debug("%s: stopping %s failed", self._name, source.kind, exc_info=True)

    def _retire(self, source: EventSource) -> None:
        """Stop a replaced source in the background (what it still delivers is passed on)."""

        async def stop() -> None:
            try:
                await self._stop_source(source)
            finally:
                self._retiring.pop(source, None)

        self._retiring[source] = asyncio.get_running_loop().create_task(
            stop(), name=f"homebound {self._name} stopping {source.kind.value}"
        )

    async def _start(self, candidate: Candidate) -> EventSource | None:
        """Make and start a source; None (and the reason noted) when it does not work."""
        link = _Link(self)
        try:
            source = candidate.make(link)
            link.source = source
            await source.start(link.gave_up)
        except asyncio.CancelledError:
            if link.source is not None:  # stopped while starting: let the camera go
                await self._stop_source(link.source)
            raise
        except SourceUnavailable as err:
            self._note_failure(candidate.kind, str(err))
        except Exception as err:  # noqa: BLE001 - a source that cannot start is passed over
            _LOGGER.warning(
                "%s: %s failed to start", self._name, candidate.kind.value, exc_info=True
            )
            self._note_failure(candidate.kind, f"failed to start: {type(err).__name__}")
        else:
            return source
        if link.source is not None:
            await self._stop_source(link.source)
        return None

    def _note_failure(self, kind: SourceKind, reason: str) -> None:
        _LOGGER.debug("%s: %s not available: %s", self._name, kind.value, reason)
        self.failures[kind.value] = reason
        self._schedule.failed(kind, self._now())
        self._replan.set()

    def _take(self, source: EventSource, index: int, reason: str) -> None:
        """Make ``source`` the one in use; the one it replaces is stopped after."""
        previous = self.active
        self.active, self._index = source, index
        self.failures.pop(source.kind.value, None)
        self._schedule.taken(source.kind)
        self._record(previous.kind if previous else None, source.kind, reason)
        self._set_status(SourceState.LIVE if source.delivered else SourceState.STARTING)
        if previous is not None and previous is not source:
            self._retire(previous)
        self._replan.set()
        if source.answered and self._on_alive is not None:
            self._on_alive()  # its answers before it was taken were not passed on

    def _fall(self, source: EventSource) -> None:
        """Replace the source in use, which gave up: start the next one, then stop this one."""
        reason = source.failure or "fell silent"
        self.failures[source.kind.value] = reason
        self._schedule.lost(source.kind, self._now())
        self._replan.set()
        _LOGGER.info(
            "%s: %s stopped delivering (%s); trying the next event source",
            self._name,
            source.kind.value,
            reason,
        )
        self._set_status(SourceState.STARTING, without_kind=True)
        previous = self._switching

        async def switch() -> None:
            if previous is not None and not previous.done():
                await asyncio.wait([previous])  # one switch at a time, in order
            if self.active is source:
                await self._descend(self._index + 1, source, reason)

        self._switching = asyncio.get_running_loop().create_task(
            switch(), name=f"homebound {self._name} event source switch"
        )

    async def _descend(self, first: int, old: EventSource | None, reason: str) -> None:
        """Start the first source from ``first`` on that works, in place of ``old``."""
        for index in range(first, len(self._plan)):
            if self._stopped or self.active is not old:
                return
            source = await self._start(self._plan[index])
            if source is None:
                continue
            if self._stopped or self.active is not old:
                await self._stop_source(source)  # superseded meanwhile (a probe took over)
                return
            self._take(source, index, reason if old is not None else "started")
            return
        if self._stopped or self.active is not old:
            return
        self.active, self._index = None, -1
        if old is not None:
            self._retire(old)
            self._record(old.kind, None, reason)
        if self.status.state is not SourceState.NONE:
            _LOGGER.info("%s: no event source works; trying again later", self._name)
        self._set_status(SourceState.NONE)
        self._pass_trouble()
        self._replan.set()

    def _promote(self, source: EventSource) -> None:
        """Let a probed source that delivered take over at once."""
        index, self.candidate = self._candidate_index, None
        previous = self.kind
        self._schedule.worked.add(source.kind)
        self._take(source, index, "delivers again")
        _LOGGER.info(
            "%s: events come from %s again%s",
            self._name,
            source.kind.value,
            f" (instead of {previous.value})" if previous is not None else "",
        )
        if self._outcome is not None and not self._outcome.done():
            self._outcome.set_result(True)

    # -- status ----------------------------------------------------------------------------

    def _set_status(self, state: SourceState, *, without_kind: bool = False) -> None:
        now_kind = None if without_kind else self.kind
        if self.status.state is state and self.status.kind is now_kind:
            return
        self.status = SourceStatus(now_kind, state, dict(self.failures))
        self.changed.set()
        if self._on_status is not None:
            self._on_status(self.status)

    def _record(self, previous: SourceKind | None, now: SourceKind | None, reason: str) -> None:
        self.switches.append(Switch(dt.datetime.now(dt.UTC), previous, now, reason))

    def describe(self, *, with_times: bool = False) -> dict[str, Any]:
        """For diagnostics: the plan, the source in use and its counts, switches, failures.

        ``with_times`` adds when each switch happened and the last event's time (left out by
        default: diagnostics are compared as snapshots).
        """
        loop = asyncio.get_running_loop()
        return {
            "plan": [candidate.kind.value for candidate in self._plan],
            "state": self.status.state.value,
            "active": self.active.describe() if self.active is not None else None,
            "probing": self.candidate.kind.value if self.candidate is not None else None,
            "next_probes": {
                kind.value: round(max(due - loop.time(), 0.0), 1)
                for kind, due in self._schedule.due.items()
            },
            "failures": dict(self.failures),
            "switches": [switch.as_dict(with_time=with_times) for switch in self.switches],
            "duplicates": self.duplicates,
            **(
                {"last_event": self.last_event.isoformat() if self.last_event else None}
                if with_times
                else {}
            ),
        }
