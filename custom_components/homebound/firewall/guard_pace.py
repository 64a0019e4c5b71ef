"""How often the isolation guard may act: repairs rate-limited, checks retried with backoff.

Kept apart from the guard's loop (:mod:`.guard`) because both are plain arithmetic over a
monotonic clock: a token bucket for repairs (``burst`` at once, then one per ``every``
seconds) - so that a process on the router that puts its change back the moment it is undone
cannot make the guard hammer the router - and the doubling pause between failing checks.
"""

from __future__ import annotations

import time


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
