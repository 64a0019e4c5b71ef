"""Choosing a camera's event source, best first, and replacing it when it falls silent.

The plan lists the sources worth trying for a camera, best first: its vendor's push stream
(Hikvision, Dahua), ONVIF push to a webhook, ONVIF PullPoint. The manager starts the first
that works; when the active one falls silent (no message or heartbeat within its window, a
webhook that never delivered), it stops it and moves down the list, logging the switch once.
When every source has failed, it starts again from the top after a while.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
import logging
from typing import Any, Final

from .model import Event, SourceKind
from .source import EventSource, SourceUnavailable

_LOGGER = logging.getLogger(__name__)

RETRY_ALL_AFTER: Final = 300.0
"""Seconds before a camera whose every source failed is tried again from the top."""

type SourceFactory = Callable[["EventManager"], EventSource]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A source worth trying, and how to make it."""

    kind: SourceKind
    make: SourceFactory


class EventManager:
    """Runs the best working source of one camera and passes its events on."""

    def __init__(
        self,
        name: str,
        plan: list[Candidate],
        on_event: Callable[[Event], None],
        on_alive: Callable[[], None] | None = None,
        on_trouble: Callable[[], None] | None = None,
        *,
        retry_all_after: float = RETRY_ALL_AFTER,
    ) -> None:
        """Plan the sources for the camera called ``name`` (for the log)."""
        self._name = name
        self._plan = plan
        self._on_event = on_event
        self._on_alive = on_alive
        self._on_trouble = on_trouble
        self._retry_all_after = retry_all_after
        self.active: EventSource | None = None
        self._index = -1
        self.failures: dict[str, str] = {}
        """Why each source that was tried did not work (for diagnostics)."""
        self._switching: asyncio.Task[None] | None = None
        self._retry: asyncio.TimerHandle | None = None
        self._stopped = False
        self.changed = asyncio.Event()
        """Set whenever the active source changes (tests and benchmarks wait on it)."""

    # -- the sink every source reports to ---------------------------------------------------

    def event(self, event: Event) -> None:
        """Pass an event of the active source on."""
        self._on_event(event)

    def alive(self) -> None:
        """Pass a sign of life on (the camera is there)."""
        if self._on_alive is not None:
            self._on_alive()

    def trouble(self) -> None:
        """Pass on that the active source's requests fail (the camera may be gone)."""
        if self._on_trouble is not None:
            self._on_trouble()

    # -- life cycle ------------------------------------------------------------------------

    @property
    def kind(self) -> SourceKind | None:
        """The kind of the active source."""
        return self.active.kind if self.active is not None else None

    async def start(self) -> None:
        """Start the best source that works (none at all is not an error)."""
        await self._activate(0)

    async def stop(self) -> None:
        """Stop the active source (unsubscribing on the camera) and every timer."""
        self._stopped = True
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None
        if self._switching is not None:
            self._switching.cancel()
            with suppress(asyncio.CancelledError):
                await self._switching
            self._switching = None
        source, self.active = self.active, None
        if source is not None:
            await source.stop()

    async def _activate(self, first: int) -> None:
        for index in range(first, len(self._plan)):
            candidate = self._plan[index]
            source = candidate.make(self)
            try:
                await source.start(self._silence_callback(source))
            except SourceUnavailable as err:
                self.failures[candidate.kind.value] = str(err)
                _LOGGER.debug("%s: %s not available: %s", self._name, candidate.kind, err)
                await source.stop()
                continue
            if self._stopped:
                await source.stop()
                return
            previous = self._plan[self._index].kind if self._index >= 0 else None
            self.active, self._index = source, index
            self.failures.pop(candidate.kind.value, None)
            if previous is not None and previous is not candidate.kind:
                _LOGGER.info("%s: events now come from %s", self._name, candidate.kind.value)
            self.changed.set()
            return
        self.active, self._index = None, -1
        self.changed.set()
        self.trouble()
        if self._plan and not self._stopped:
            _LOGGER.info("%s: no event source works; trying again later", self._name)
            self._retry = asyncio.get_running_loop().call_later(
                self._retry_all_after, self._retry_from_top
            )

    def _silence_callback(self, source: EventSource) -> Callable[[], None]:
        def silent() -> None:
            self._went_silent(source)

        return silent

    def _retry_from_top(self) -> None:
        self._retry = None
        self._switch(lambda: self._activate(0))

    def _went_silent(self, source: EventSource) -> None:
        if source is not self.active or self._stopped:
            return
        kind = source.kind
        self.failures[kind.value] = "fell silent"
        _LOGGER.info("%s: %s fell silent; trying the next event source", self._name, kind.value)

        async def replace() -> None:
            self.active = None
            await source.stop()
            await self._activate(self._index + 1)

        self._switch(replace)

    def _switch(self, job: Callable[[], Any]) -> None:
        if self._switching is not None and not self._switching.done():
            return
        self._switching = asyncio.get_running_loop().create_task(
            job(), name=f"homebound {self._name} event source switch"
        )

    def describe(self) -> dict[str, Any]:
        """For diagnostics: the plan, the active source and its counts, what failed."""
        return {
            "plan": [candidate.kind.value for candidate in self._plan],
            "active": self.active.describe() if self.active is not None else None,
            "failures": dict(self.failures),
        }
