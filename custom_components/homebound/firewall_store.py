"""What the firewall entry remembers across restarts: choices, totals, windows, addresses.

Why a Store and not the entry's options: these change while Home Assistant runs (a switch is
flipped, a counter grows every minute) and must not reload anything when they do; the
entry's data holds only what the user set up in the flow.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, TypedDict

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .firewall import MonotonicTotals

STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 30
"""Seconds a change of the totals waits before it is written (one write per few reads)."""


class _Stored(TypedDict, total=False):
    initialized: bool
    isolated: dict[str, bool]
    totals: dict[str, list[int]]
    windows: dict[str, str]
    addresses: dict[str, list[str]]


class FirewallMemory:
    """The firewall entry's remembered state, keyed by camera MAC (``aa:bb:cc:dd:ee:ff``)."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Nothing is read before :meth:`async_load`."""
        self._store: Store[_Stored] = Store(hass, STORAGE_VERSION, f"{DOMAIN}.firewall.{entry_id}")
        self.initialized = False
        """Whether the cameras that existed when the entry was made were recorded as such."""
        self.isolated: dict[str, bool] = {}
        """MAC -> the user's choice; a camera without one gets the "isolate new" default."""
        self.totals = MonotonicTotals()
        self.windows: dict[str, datetime] = {}
        """MAC -> when its update window closes."""
        self.addresses: dict[str, list[str]] = {}
        """MAC -> addresses the camera reported when last loaded (it may be offline now)."""

    async def async_load(self) -> None:
        """Read what was stored (nothing the first time)."""
        data: dict[str, Any] = dict(await self._store.async_load() or {})
        self.initialized = bool(data.get("initialized"))
        self.isolated = {str(k): bool(v) for k, v in dict(data.get("isolated") or {}).items()}
        self.totals = MonotonicTotals(
            {str(k): (int(v[0]), int(v[1])) for k, v in dict(data.get("totals") or {}).items()}
        )
        self.windows = {
            str(k): datetime.fromisoformat(str(v))
            for k, v in dict(data.get("windows") or {}).items()
        }
        self.addresses = {
            str(k): [str(a) for a in v] for k, v in dict(data.get("addresses") or {}).items()
        }

    def _data(self) -> _Stored:
        return {
            "initialized": self.initialized,
            "isolated": dict(self.isolated),
            "totals": {mac: [offset, raw] for mac, (offset, raw) in self.totals.state.items()},
            "windows": {mac: until.isoformat() for mac, until in self.windows.items()},
            "addresses": dict(self.addresses),
        }

    async def async_save(self) -> None:
        """Write now (a user's choice must not be lost to a crash)."""
        await self._store.async_save(self._data())

    def schedule_save(self) -> None:
        """Write soon (totals change every read)."""
        self._store.async_delay_save(self._data, SAVE_DELAY)

    async def async_remove(self) -> None:
        """Delete the file (the firewall entry is being removed)."""
        await self._store.async_remove()
