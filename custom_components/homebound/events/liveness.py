"""How long a vendor event stream may be quiet: learned from the heartbeats it carries.

A stream that stalls (the camera's event process hangs, a NAT forgets the connection) stays
open and says nothing; only its heartbeat tells it from a quiet one. What cameras send is
not one figure:

* Dahua sends ``Heartbeat`` every ``heartbeat=`` seconds the request asks (Homebound asks 5;
  python-amcrest relies on the same).
* Hikvision's alert stream has no such parameter. Public captures show ``videoloss`` /
  ``inactive`` alerts "every 10 seconds" on a 2017 camera (mezz64/pyHik#14), "every second or
  so" on the cameras pyHik was written against, and none at all on some newer firmware
  (home-assistant/core#82767, DS-2CD2366G2, 2022); a node-red integration's maintainer reports
  "every 300 ms or 10 seconds or so, depending on the camera/firmware" and that heartbeats stop
  while an event repeats (Supergiovane/node-red-contrib-hikvision-ultimate#80, #83, 2025); an
  NVR sent one right after connecting and none in the next ten minutes (toxuin/alarmserver#31,
  2023); a doorbell sends ``eventType`` ``other`` described ``Heartbeat`` (mezz64/pyHik#16).
  pyHik's watchdog allows 300 s, Home Assistant's ``hikvision`` integration therefore noticed a
  stalled stream after five minutes at best.

So the window is learned per stream: until heartbeats have shown their rhythm (three of them),
the assumed interval (Dahua: what was asked; Hikvision: 10 s, the slowest rhythm reported)
sets it; after that, the median of the last gaps. The stream counts as silent after
:data:`HEARTBEAT_MULTIPLE` times the interval plus :data:`HEARTBEAT_SLACK` — one heartbeat may
be half late, not missing — which for a 10 s heartbeat is 16 s, inside the 20 s the issue sets
for "stream dead → next source live". A quiet spell before the rhythm is known is not taken
for a stall: the stream is opened again to see whether the camera still answers, and if it
does, the stream is taken to carry no heartbeat (:attr:`Heartbeats.absent`) and is checked
that way again only every :data:`ABSENT_RECHECK` seconds, until a heartbeat shows up after all.
"""

from __future__ import annotations

from collections import deque
import statistics
from typing import Final

HEARTBEAT_MULTIPLE: Final = 1.5
HEARTBEAT_SLACK: Final = 1.0
"""Seconds added to the window (network and scheduling jitter)."""
ESTABLISHED_AFTER: Final = 3
"""Heartbeats (two gaps) before the rhythm is trusted and a late one means a stall."""
GAPS_KEPT: Final = 5
ABSENT_RECHECK: Final = 300.0
"""Seconds of quiet after which a stream without heartbeats is opened again, to be sure."""
HIKVISION_HEARTBEAT: Final = 10.0
"""The Hikvision heartbeat assumed until measured: the slowest rhythm reported (pyHik#14)."""


class Heartbeats:
    """The heartbeat one stream carries, as far as it has shown it."""

    def __init__(self, assumed: float) -> None:
        """Assume a heartbeat every ``assumed`` seconds until measured."""
        self.assumed = assumed
        self.seen = 0
        self.absent = False
        """Whether the stream was found to carry no heartbeat (quiet is then no alarm)."""
        self._last: float | None = None
        self._gaps: deque[float] = deque(maxlen=GAPS_KEPT)

    def beat(self, now: float) -> None:
        """Note a heartbeat read at loop time ``now``."""
        if self._last is not None:
            self._gaps.append(now - self._last)
        self._last = now
        self.seen += 1
        self.absent = False

    def reconnected(self) -> None:
        """Forget the last heartbeat: across a new connection, the gap says nothing."""
        self._last = None

    @property
    def established(self) -> bool:
        """Whether the rhythm is known, so that a missing heartbeat means a stall."""
        return len(self._gaps) >= ESTABLISHED_AFTER - 1

    @property
    def interval(self) -> float:
        """The heartbeat interval: measured (median of the last gaps) or assumed."""
        return statistics.median(self._gaps) if self.established else self.assumed

    @property
    def window(self) -> float:
        """Seconds of quiet allowed before the stream is checked (or, once known, silent)."""
        if self.absent:
            return ABSENT_RECHECK
        return HEARTBEAT_MULTIPLE * self.interval + HEARTBEAT_SLACK

    def describe(self) -> dict[str, object]:
        """For diagnostics."""
        return {
            "heartbeats": self.seen,
            "interval": round(self.interval, 3),
            "measured": self.established,
            "absent": self.absent,
        }
