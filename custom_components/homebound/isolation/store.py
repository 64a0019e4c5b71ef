"""What the firewall entry remembers across restarts, and when it writes it down.

Why a Store and not the entry's options: these change while Home Assistant runs (a switch is
flipped, a counter grows, an address is learnt) and must not reload anything when they do; the
entry's data holds only what the user set up in the flow.

Everything is keyed by camera id (the camera's config entry id), which a camera without a known
MAC has too. Files written by earlier versions keyed choices, totals and windows by MAC:
:meth:`FirewallMemory.adopt` moves them to the entry that has that MAC.

**When it is written** (issue 15: a write a minute wears out an SD card): a user's choice at
once; counters, gaps, confirmed cameras and DHCP observations a little later, and only when
they changed; the network's sightings only when a binding came or went (an address learnt,
moved or forgotten) or the stored times are a day old - each check refreshes every binding's
"last seen", which alone is no reason to write (a binding lives a week; a day of staleness
after a crash costs nothing), and every unload writes them anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Final, TypedDict

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from ..const import DOMAIN
from ..firewall import IsolationGap, MonotonicTotals, Sightings

STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 30
"""Seconds a change of the figures waits before it is written (one write per few changes)."""
SIGHTINGS_REFRESH: Final = timedelta(days=1)
"""Stored sightings older than this are written again even when no binding changed."""


class _Stored(TypedDict, total=False):
    initialized: bool
    isolated: dict[str, bool]
    totals: dict[str, list[int]]
    windows: dict[str, str]
    sightings: list[dict[str, Any]]
    gaps: list[dict[str, Any]]
    gap_cameras: dict[str, list[str]]
    confirmed: list[str]
    dhcp: dict[str, list[str]]


def _bindings(sightings: Sightings) -> frozenset[tuple[str, str]]:
    return frozenset((b.mac, str(b.address)) for b in sightings.bindings())


def _gaps(data: object) -> list[IsolationGap]:
    found: list[IsolationGap] = []
    for item in data if isinstance(data, list) else []:
        try:
            found.append(IsolationGap.from_dict(item))
        except (KeyError, TypeError, ValueError):
            continue  # a damaged entry costs one line of history, not the store
    return found


def _texts(data: object) -> dict[str, list[str]]:
    if not isinstance(data, Mapping):
        return {}
    return {str(k): [str(x) for x in v] for k, v in data.items() if isinstance(v, list)}


def _windows(data: object) -> dict[str, datetime]:
    found: dict[str, datetime] = {}
    for key, value in data.items() if isinstance(data, Mapping) else ():
        try:
            until = datetime.fromisoformat(str(value))
        except ValueError:
            continue
        if until.tzinfo is not None:
            found[str(key)] = until
    return found


class FirewallMemory:
    """The firewall entry's remembered state, keyed by camera id."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Nothing is read before :meth:`async_load`."""
        self._store: Store[_Stored] = Store(hass, STORAGE_VERSION, f"{DOMAIN}.firewall.{entry_id}")
        self.initialized = False
        """Whether the cameras that existed when the entry was made were recorded as such."""
        self.isolated: dict[str, bool] = {}
        """Camera id -> the user's choice; a camera without one gets the "isolate new" default."""
        self.totals = MonotonicTotals()
        """Camera id -> blocked packets, ever growing across router reboots."""
        self.windows: dict[str, datetime] = {}
        """Camera id -> when its update window closes."""
        self.sightings = Sightings()
        """Which MAC the network showed at which address (the source of every match key)."""
        self.gaps: list[IsolationGap] = []
        """Closed gaps of the last 30 days (the guard's history)."""
        self.gap_cameras: dict[str, list[str]] = {}
        """A gap's start (ISO text) -> the cameras isolated when it began (their gap sensors)."""
        self.confirmed: list[str] = []
        """Cameras the firewall last confirmed isolated: a table missing at start is a gap."""
        self.dhcp: dict[str, list[str]] = {}
        """Camera id -> [MAC, address] DHCP discovery saw last (recorded once per change)."""
        self._saved_bindings: frozenset[tuple[str, str]] = frozenset()
        self._saved_at = dt_util.utcnow()

    async def async_load(self) -> None:
        """Read what was stored (nothing the first time); what does not parse is dropped."""
        data: dict[str, Any] = dict(await self._store.async_load() or {})
        self.initialized = bool(data.get("initialized"))
        self.isolated = {str(k): bool(v) for k, v in dict(data.get("isolated") or {}).items()}
        totals: dict[str, tuple[int, int]] = {}
        for key, value in dict(data.get("totals") or {}).items():
            try:
                totals[str(key)] = (int(value[0]), int(value[1]))
            except (IndexError, TypeError, ValueError):
                continue
        self.totals = MonotonicTotals(totals)
        self.windows = _windows(data.get("windows"))
        self.sightings = Sightings.from_data(data.get("sightings"))
        self.gaps = _gaps(data.get("gaps"))
        self.gap_cameras = _texts(data.get("gap_cameras"))
        self.confirmed = [str(c) for c in data.get("confirmed") or () if isinstance(c, str)]
        self.dhcp = {k: v[:2] for k, v in _texts(data.get("dhcp")).items() if len(v) >= 2}
        self._saved_bindings = _bindings(self.sightings)
        self._saved_at = dt_util.utcnow()

    def adopt(self, macs: Mapping[str, str]) -> bool:
        """Move what an earlier version stored under a camera's MAC to its id; whether any was.

        ``macs`` maps each camera's MAC (``aa:bb:cc:dd:ee:ff``) to its id.
        """
        moved = False
        for mac, ident in macs.items():
            if mac in self.isolated:
                self.isolated.setdefault(ident, self.isolated[mac])
                del self.isolated[mac]
                moved = True
            if mac in self.windows:
                self.windows.setdefault(ident, self.windows.pop(mac))
                moved = True
            if mac in self.totals.state:
                self.totals.state.setdefault(ident, self.totals.state.pop(mac))
                moved = True
        return moved

    def sightings_due(self) -> bool:
        """Whether the sightings are worth writing: a binding changed, or they are a day old."""
        return (
            _bindings(self.sightings) != self._saved_bindings
            or dt_util.utcnow() - self._saved_at > SIGHTINGS_REFRESH
        )

    def _data(self) -> _Stored:
        self._saved_bindings = _bindings(self.sightings)
        self._saved_at = dt_util.utcnow()
        return {
            "initialized": self.initialized,
            "isolated": dict(self.isolated),
            "totals": {key: [offset, raw] for key, (offset, raw) in self.totals.state.items()},
            "windows": {key: until.isoformat() for key, until in self.windows.items()},
            "sightings": self.sightings.to_data(),
            "gaps": [gap.as_dict() for gap in self.gaps],
            "gap_cameras": dict(self.gap_cameras),
            "confirmed": list(self.confirmed),
            "dhcp": dict(self.dhcp),
        }

    async def async_save(self) -> None:
        """Write now (a user's choice must not be lost to a crash)."""
        await self._store.async_save(self._data())

    def schedule_save(self) -> None:
        """Write soon (figures, gaps and observations: see the module docstring).

        The sightings count as written from now: the write takes them as they are when it
        runs, so a check before then that learnt nothing new need not ask again.
        """
        self._saved_bindings = _bindings(self.sightings)
        self._saved_at = dt_util.utcnow()
        self._store.async_delay_save(self._data, SAVE_DELAY)

    async def async_remove(self) -> None:
        """Delete the file (the firewall entry is being removed)."""
        await self._store.async_remove()
