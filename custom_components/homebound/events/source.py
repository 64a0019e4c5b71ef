"""What every event source shares: the sink it reports to, liveness, statistics, backoff.

A source listens to one camera in a background task of its own and reports two things to its
sink: events, and signs of life (any message, heartbeat, successful renewal). Liveness is a
timer re-armed by every sign of life: when it runs out (:attr:`EventSource.silence_window`
seconds of nothing), the source is declared silent and the manager replaces it. Timers, not
elapsed-time arithmetic, so that the only clock is the event loop's.

A source's task is guarded: an exception nobody expected (a camera sending what no parser
foresaw, a bug) is logged once, counted, and ends the source the way silence does — the
manager notices and replaces it — instead of killing the task unseen and raising later out
of ``stop()``, where it would break fallback, retries, unload and Home Assistant's stop.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
import asyncio
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
import logging
import random
from typing import Any, Final, Protocol

from .model import Event, SourceKind

_LOGGER = logging.getLogger(__name__)

BACKOFF_START: Final = 1.0
BACKOFF_MAX: Final = 60.0
JITTER: Final = 0.2
"""Share by which every retry delay is moved at random, either way."""
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
    """Messages that could not be read (including ones whose reading raised unexpectedly)."""
    reconnects: int = 0
    framing_quirks: int = 0
    """Stream parts whose stated Content-Length disagreed with where the boundary was."""
    errors: int = 0
    """Unexpected exceptions contained (a part's reading, or the source's own task)."""
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
                _LOGGER.debug("Ignoring events of unknown topic %r", topic)

    def as_dict(self) -> dict[str, Any]:
        """For diagnostics."""
        return {
            "received": self.received,
            "ignored": self.ignored,
            "malformed": self.malformed,
            "reconnects": self.reconnects,
            "framing_quirks": self.framing_quirks,
            "errors": self.errors,
            "recent_topics": list(self.recent_topics),
            "unknown_topics": sorted(self.unknown_topics),
        }


def jittered(delay: float, rng: Callable[[], float] = random.random) -> float:
    """Return ``delay`` moved by up to ±:data:`JITTER` of itself, at random.

    Cameras that lost their connections together (a switch rebooted, an NVR restarted) must
    not be asked again all at the same instant, every time.
    """
    return delay * (1.0 - JITTER + 2.0 * JITTER * rng())


class Backoff:
    """Delays between reconnection attempts: doubling from one second up to a minute, jittered."""

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
        await asyncio.sleep(jittered(delay))


class EventSource(ABC):
    """One way of listening to a camera's events.

    A source reports two kinds of life: any sign (a subscription accepted, a renewal) and a
    *delivery* (a message, a part, a heartbeat read from the camera's event channel). Only a
    delivery proves the channel works; :attr:`delivered` says one came, and the manager moves
    a source up to active only then. When the source cannot go on — silent for its window, or
    its channel lost and not to be had again — it says so once, through ``on_silent``, with
    :attr:`failure` saying why; the manager replaces it. Nothing a camera sends, and no bug in
    reading it, may end the source's task unnoticed or make :meth:`stop` raise.
    """

    kind: SourceKind
    silence_window: float | None = 60.0
    """Seconds without any sign of life after which the source counts as silent (None: never)."""

    def __init__(self, sink: EventSink) -> None:
        """Report to ``sink``."""
        self._sink = sink
        self.stats = SourceStats()
        self._task: asyncio.Task[None] | None = None
        self._helpers: list[asyncio.Task[None]] = []
        self._silence: asyncio.TimerHandle | None = None
        self._on_silent: Callable[[], None] | None = None
        self.silent = False
        self.answered = False
        """Whether the camera showed any sign of life (a subscription accepted counts)."""
        self.delivered = False
        """Whether the camera's event channel has delivered anything (not only accepted)."""
        self.failure: str | None = None
        """Why the source gave up (set before ``on_silent`` is called)."""

    # -- life cycle ------------------------------------------------------------------------

    async def start(self, on_silent: Callable[[], None]) -> None:
        """Connect or subscribe, then listen in the background.

        Raises SourceUnavailable when this source cannot work with the camera at all.
        """
        self._on_silent = on_silent
        await self._open()
        self._alive(delivery=False)
        self._task = asyncio.get_running_loop().create_task(
            self._guarded(self._run, "reader"), name=f"homebound {self.kind.value}"
        )

    async def stop(self) -> None:
        """Stop listening and let the camera go (unsubscribe, disconnect); never raises."""
        self._on_silent = None
        if self._silence is not None:
            self._silence.cancel()
            self._silence = None
        tasks = [t for t in (self._task, *self._helpers) if t is not None]
        self._task, self._helpers = None, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            try:
                await task
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise  # stop() itself is being cancelled
            except Exception:  # noqa: BLE001 - _guarded let nothing through; stop must not raise
                _LOGGER.debug("%s: a task ended with an error", self.kind.value, exc_info=True)
        try:
            await self._close()
        except Exception:  # noqa: BLE001 - stop must not raise, whatever the camera did
            _LOGGER.debug("%s: closing failed", self.kind.value, exc_info=True)

    def _spawn(self, job: Callable[[], Coroutine[Any, Any, None]], name: str) -> None:
        """Run a helper loop (renewals, synchronisation) for as long as the source runs."""
        self._helpers.append(
            asyncio.get_running_loop().create_task(
                self._guarded(job, name), name=f"homebound {self.kind.value} {name}"
            )
        )

    async def _guarded(self, job: Callable[[], Coroutine[Any, Any, None]], name: str) -> None:
        """Run ``job()``; an unexpected error ends the source, said once, instead of vanishing.

        The coroutine is made here, not by the caller: a task cancelled before it first runs
        would otherwise leave one never awaited.
        """
        try:
            await job()
        except asyncio.CancelledError:
            raise
        except Exception as err:  # noqa: BLE001 - contained: the manager replaces the source
            self.stats.errors += 1
            _LOGGER.warning(
                "%s: the %s stopped on an unexpected %s; replacing the source",
                self.kind.value,
                name,
                type(err).__name__,
                exc_info=True,
            )
            self._give_up(f"{name} stopped by {type(err).__name__}")

    @abstractmethod
    async def _open(self) -> None:
        """Set up what the background task needs (raise SourceUnavailable when impossible)."""

    @abstractmethod
    async def _run(self) -> None:
        """Listen until cancelled, reconnecting by itself (or giving up, see _give_up)."""

    @abstractmethod
    async def _close(self) -> None:
        """Release what _open made."""

    def describe(self) -> dict[str, Any]:
        """For diagnostics: the source and its counts."""
        return {
            "source": self.kind.value,
            "silent": self.silent,
            "delivered": self.delivered,
            "failure": self.failure,
            "silence_window": self._window(),
            **self.stats.as_dict(),
        }

    # -- reporting -------------------------------------------------------------------------

    def _window(self) -> float | None:
        """Seconds of quiet allowed right now (None: quiet is no sign of trouble)."""
        return self.silence_window

    def _alive(self, *, delivery: bool = True) -> None:
        """Note a sign of life: re-arm the silence timer (not once stopped, or before start).

        ``delivery``: the event channel itself delivered (a message, a part, a heartbeat).
        """
        if self._on_silent is None:
            # A push or an answer that was under way when stop() began: the source is done,
            # and a timer armed now would outlive it.
            return
        self.silent = False
        self.answered = True
        if delivery:
            self.delivered = True
        self._arm(self._window())
        self._sink.alive()

    def _arm(self, window: float | None) -> None:
        """(Re-)start the silence timer: ``window`` seconds from now (None: no timer)."""
        if self._silence is not None:
            self._silence.cancel()
            self._silence = None
        if window is not None:
            self._silence = asyncio.get_running_loop().call_later(window, self._quiet)

    def _quiet(self) -> None:
        """Handle the silence timer running out: by default, the source fell silent."""
        self._silence = None
        self._went_silent()

    def _went_silent(self) -> None:
        self._give_up("fell silent", silent=True)

    def _give_up(self, reason: str, *, silent: bool = False) -> None:
        """Say once that this source cannot go on (the manager replaces it)."""
        if self._silence is not None:
            self._silence.cancel()
            self._silence = None
        self.silent = silent or self.silent
        if self.failure is None:
            self.failure = reason
        on_silent, self._on_silent = self._on_silent, None
        if on_silent is not None:
            on_silent()

    def _report(self, event: Event) -> None:
        self._sink.event(event)

    def _trouble(self) -> None:
        self._sink.trouble()
