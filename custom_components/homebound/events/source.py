"""What every event source shares: the sink it reports to, liveness, statistics, backoff.

A source listens to one camera in a background task of its own and reports two things to its
sink: events, and signs of life (any message, heartbeat, successful renewal). Liveness is a
timer re-armed by every sign of life: when it runs out (:attr:`EventSource.silence_window`
seconds of nothing), the source is declared silent and the manager replaces it. Timers, not
elapsed-time arithmetic, so that the only clock is the event loop's.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
import asyncio
from collections import deque
from collections.abc import Callable, Coroutine
from contextlib import suppress
from dataclasses import dataclass, field
import logging
from typing import Any, Final, Protocol

from .model import Event, SourceKind

_LOGGER = logging.getLogger(__name__)

BACKOFF_START: Final = 1.0
BACKOFF_MAX: Final = 60.0
RECENT_TOPICS: Final = 10


class EventSink(Protocol):
    """Where a source reports."""

    def event(self, event: Event) -> None:
        """Report a camera event."""

    def alive(self) -> None:
        """Report a sign of life from the camera (any message, heartbeat or renewal)."""

    def trouble(self) -> None:
        """Report that a request to the camera failed (it may be gone)."""


class SourceUnavailable(Exception):  # noqa: N818 - reads better at the raise
    """Raised when a source cannot work with this camera (not offered, refused, gone)."""


@dataclass
class SourceStats:
    """Counts for diagnostics: what arrived, what was not understood, what was malformed."""

    received: int = 0
    ignored: int = 0
    """Messages about topics or event types Homebound does not know."""
    malformed: int = 0
    reconnects: int = 0
    recent_topics: deque[str] = field(default_factory=lambda: deque(maxlen=RECENT_TOPICS))
    unknown_topics: set[str] = field(default_factory=set)

    def note_topic(self, topic: str, known: bool) -> None:
        """Count a message; remember its topic; log a new unknown topic once, at debug."""
        self.received += 1
        self.recent_topics.append(topic)
        if not known:
            self.ignored += 1
            if topic not in self.unknown_topics and len(self.unknown_topics) < 100:
                self.unknown_topics.add(topic)
                _LOGGER.debug("Ignoring events of unknown topic %s", topic)

    def as_dict(self) -> dict[str, Any]:
        """For diagnostics."""
        return {
            "received": self.received,
            "ignored": self.ignored,
            "malformed": self.malformed,
            "reconnects": self.reconnects,
            "recent_topics": list(self.recent_topics),
            "unknown_topics": sorted(self.unknown_topics),
        }


class Backoff:
    """Delays between reconnection attempts: doubling from one second up to a minute."""

    def __init__(self, start: float = BACKOFF_START, limit: float = BACKOFF_MAX) -> None:
        """Start from ``start`` seconds."""
        self._start = start
        self._limit = limit
        self._next = start

    def reset(self) -> None:
        """After a success, start from the beginning again."""
        self._next = self._start

    async def wait(self) -> None:
        """Wait the next delay."""
        delay, self._next = self._next, min(self._next * 2, self._limit)
        await asyncio.sleep(delay)


class EventSource(ABC):
    """One way of listening to a camera's events."""

    kind: SourceKind
    silence_window: float = 60.0
    """Seconds without any sign of life after which the source counts as silent."""

    def __init__(self, sink: EventSink) -> None:
        """Report to ``sink``."""
        self._sink = sink
        self.stats = SourceStats()
        self._task: asyncio.Task[None] | None = None
        self._helpers: list[asyncio.Task[None]] = []
        self._silence: asyncio.TimerHandle | None = None
        self._on_silent: Callable[[], None] | None = None
        self.silent = False

    # -- life cycle ------------------------------------------------------------------------

    async def start(self, on_silent: Callable[[], None]) -> None:
        """Connect or subscribe, then listen in the background.

        Raises SourceUnavailable when this source cannot work with the camera at all.
        """
        self._on_silent = on_silent
        await self._open()
        self._alive()
        self._task = asyncio.get_running_loop().create_task(
            self._run(), name=f"homebound {self.kind.value}"
        )

    async def stop(self) -> None:
        """Stop listening and let the camera go (unsubscribe, disconnect)."""
        self._on_silent = None
        if self._silence is not None:
            self._silence.cancel()
            self._silence = None
        tasks = [t for t in (self._task, *self._helpers) if t is not None]
        self._task, self._helpers = None, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with suppress(asyncio.CancelledError):
                await task
        await self._close()

    def _spawn(self, job: Coroutine[Any, Any, None], name: str) -> None:
        """Run a helper loop (renewals, synchronisation) for as long as the source runs."""
        self._helpers.append(
            asyncio.get_running_loop().create_task(job, name=f"homebound {self.kind.value} {name}")
        )

    @abstractmethod
    async def _open(self) -> None:
        """Set up what the background task needs (raise SourceUnavailable when impossible)."""

    @abstractmethod
    async def _run(self) -> None:
        """Listen until cancelled, reconnecting by itself."""

    @abstractmethod
    async def _close(self) -> None:
        """Release what _open made; must not raise."""

    def describe(self) -> dict[str, Any]:
        """For diagnostics: the source and its counts."""
        return {"source": self.kind.value, "silent": self.silent, **self.stats.as_dict()}

    # -- reporting -------------------------------------------------------------------------

    def _alive(self) -> None:
        """Note a sign of life: re-arm the silence timer (not once stopped, or before start)."""
        if self._on_silent is None:
            # A push or an answer that was under way when stop() began: the source is done,
            # and a timer armed now would outlive it.
            return
        self.silent = False
        if self._silence is not None:
            self._silence.cancel()
        self._silence = asyncio.get_running_loop().call_later(
            self.silence_window, self._went_silent
        )
        self._sink.alive()

    def _went_silent(self) -> None:
        self._silence = None
        self.silent = True
        if self._on_silent is not None:
            self._on_silent()

    def _report(self, event: Event) -> None:
        self._sink.event(event)

    def _trouble(self) -> None:
        self._sink.trouble()
