"""How often the isolation guard acts: its wake-ups, due times, repair budget and backoff.

Kept apart from the guard's loop (:mod:`.guard`) because all of it is plain arithmetic over a
monotonic clock and one event, testable without a backend:

* :class:`Wakeup` - the loop sleeps until a signal (the table watcher, a user's change) or the
  earliest due time; after a signal it waits for the burst to end (one transaction is many
  monitor lines) so one change is one check, not fifty.
* :class:`Due` - a repeating deadline (the periodic check, the blind-set poll, the host-key
  re-check).
* :class:`RepairBucket` - a token bucket for repairs (``burst`` at once, then one per
  ``every`` seconds), so that a process on the router that puts its change back the moment it
  is undone cannot make the guard hammer the router; the gap stays open and shown meanwhile.
* :func:`retry_delay` - the doubling pause between failing checks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
import time

QUIET, QUIET_MAX = 0.03, 0.3
"""After a signal, wait until the monitor is quiet this long (at most QUIET_MAX)."""


class Wakeup:
    """The guard loop's sleep: ended early by :meth:`set`."""

    def __init__(self) -> None:
        """Start unset."""
        self._event = asyncio.Event()

    def set(self) -> None:
        """Wake the sleeper now (or at once when it next sleeps)."""
        self._event.set()

    async def sleep(self, timeout: float) -> bool:
        """Wait for a signal (True) or the timeout (False)."""
        try:
            async with asyncio.timeout(timeout):
                await self._event.wait()
        except TimeoutError:
            return False
        return True

    async def quiet(self) -> None:
        """Let a burst of signals end (at most ``QUIET_MAX`` seconds), then clear."""
        deadline = time.monotonic() + QUIET_MAX
        while time.monotonic() < deadline:
            self._event.clear()
            if not await self.sleep(QUIET):
                break
        self._event.clear()


class Due:
    """A deadline every ``interval`` seconds on the monotonic clock (None: not scheduled)."""

    def __init__(self, interval: float, *, first: float | None = None) -> None:
        """Schedule the first time ``first`` seconds from now (None: not yet)."""
        self.interval = interval
        self.at = None if first is None else time.monotonic() + first

    def schedule(self) -> None:
        """Make the next time one interval from now."""
        self.at = time.monotonic() + self.interval

    def start(self) -> None:
        """Schedule one interval from now unless already scheduled."""
        if self.at is None:
            self.schedule()

    def take(self) -> bool:
        """Whether it is due; if so, schedule the next time."""
        now = time.monotonic()
        if self.at is None or now < self.at:
            return False
        self.at = now + self.interval
        return True


def next_wait(dues: Iterable[Due], retry: float | None) -> float:
    """Seconds until the earliest due time (or the retry pause, if sooner)."""
    now = time.monotonic()
    waits = [max(0.0, due.at - now) for due in dues if due.at is not None]
    if retry is not None:
        waits.append(retry)
    return min(waits, default=retry or 0.0)


class RepairBucket:
    """A token bucket: ``burst`` repairs at once, then one per ``every`` seconds."""

    def __init__(self, burst: int, every: float) -> None:
        """Start full."""
        self._burst, self._every = burst, every
        self._tokens, self._at = float(burst), time.monotonic()

    def take(self) -> bool:
        """Take a token if one is left."""
        now = time.monotonic()
        refill = (now - self._at) / self._every if self._every > 0 else self._burst
        self._tokens = min(float(self._burst), self._tokens + refill)
        self._at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True


def retry_delay(failures: int, retry: tuple[float, float]) -> float | None:
    """Return the pause before the next try after ``failures`` failed checks (None: none failed).

    ``retry`` is the first and the longest pause; each failure doubles it.
    """
    if not failures:
        return None
    return min(retry[0] * float(2 ** min(failures - 1, 16)), retry[1])
