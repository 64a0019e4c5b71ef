"""Probing the better sources while a lesser one is in use: the manager's background half.

One probe at a time per camera (cameras and NVRs have few connection and subscription slots),
each when the :class:`~.status.ProbeSchedule` says it is due. A probe is a real source,
started and waited on until it delivers (it then takes over: ``_promote``) or gives up, or
:data:`~.status.PROBE_WAIT` passes. The waits are timers, not clock readings, so that a test
that fires timers early (Home Assistant's ``async_fire_time_changed``) drives them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from . import status as pace
from .model import SourceKind
from .source import EventSink, EventSource
from .status import ProbeSchedule

type SourceFactory = Callable[[EventSink], EventSource]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A source worth trying, and how to make it."""

    kind: SourceKind
    make: SourceFactory


class Prober:
    """The probing half of :class:`~.manager.EventManager` (which provides the rest)."""

    _plan: list[Candidate]
    active: EventSource | None
    _index: int
    candidate: EventSource | None
    _candidate_index: int
    _outcome: asyncio.Future[bool] | None
    _schedule: ProbeSchedule
    _replan: asyncio.Event
    _stopped: bool
    failures: dict[str, str]
    changed: asyncio.Event

    async def _start(self, candidate: Candidate) -> EventSource | None:
        raise NotImplementedError

    async def _stop_source(self, source: EventSource) -> None:
        raise NotImplementedError

    def _take(self, source: EventSource, index: int, reason: str) -> None:
        raise NotImplementedError

    def _promote(self, source: EventSource) -> None:
        raise NotImplementedError

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    def _next_probe(self) -> tuple[int, float] | None:
        """Return the better source to probe next and when (loop time); None if none is better."""
        limit = self._index if self.active is not None else len(self._plan)
        now = asyncio.get_running_loop().time()
        best: tuple[int, float] | None = None
        for index, candidate in enumerate(self._plan[:limit]):
            due = self._schedule.due_at(candidate.kind, now)
            if best is None or due < best[1]:
                best = (index, due)
        return best

    async def _probe_loop(self) -> None:
        """Probe the better sources, one at a time, each when it is due."""
        loop = asyncio.get_running_loop()
        while not self._stopped:
            self._replan.clear()
            pick = self._next_probe()
            if pick is None:
                await self._replan.wait()
                continue
            index, due = pick
            if due > loop.time():
                try:
                    async with asyncio.timeout(due - loop.time()):
                        await self._replan.wait()
                except TimeoutError:
                    pass  # due (a timer, not a clock reading: tests may fire it early)
                else:
                    continue  # something changed: choose again
            await self._probe(index)

    async def _probe(self, index: int) -> None:
        candidate = self._plan[index]
        source = await self._start(candidate)
        if source is None:
            return
        if self._stopped or (self.active is not None and self._index <= index):
            await self._stop_source(source)
            return
        if self.active is None:
            self._take(source, index, "tried again")
            return
        self.candidate, self._candidate_index = source, index
        self.changed.set()
        outcome = self._outcome = asyncio.get_running_loop().create_future()
        if source.delivered:
            self._promote(source)
        try:
            async with asyncio.timeout(pace.PROBE_WAIT):
                delivered = await outcome
        except TimeoutError:
            delivered = False
        finally:
            self._outcome = None
        if delivered:
            return
        if self.candidate is source:
            self.candidate = None
        self.failures[candidate.kind.value] = (
            source.failure or f"did not deliver within {pace.PROBE_WAIT:.0f} s"
        )
        await self._stop_source(source)
        self._schedule.failed(candidate.kind, self._now())
