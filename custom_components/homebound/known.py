"""What each camera was at its last probe, kept across restarts (``.storage/homebound.cameras``).

With it a start of Home Assistant costs each camera one request instead of a probe of six or
more (see :meth:`~.device.OnvifClient.async_resume`), and what the camera can report (its event
capabilities, its vendor event stream) is not asked again: 32 cameras then add a fraction of a
second to Home Assistant's start instead of several. A reload while Home Assistant runs probes
afresh (the user may have changed the camera). One record per entry, written a few seconds
after it changes (and at shutdown); it goes when its entry is removed. A record that does not
fit this version is ignored, and the camera is probed as on its first day.
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN, LOGGER
from .device import CameraInfo
from .device.stored import info_from_data, info_to_data
from .events import Capability, EventKind, SourceKind

STORAGE_KEY: Final = f"{DOMAIN}.cameras"
STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 10.0
"""Seconds a change waits before it is written, so that a start with many cameras writes once."""

_KNOWN: HassKey[KnownCameras] = HassKey(f"{DOMAIN}_known")
_LOAD_LOCK: HassKey[asyncio.Lock] = HassKey(f"{DOMAIN}_known_lock")

type KnownEvents = tuple[set[Capability], SourceKind | None]


def _capabilities_from(data: Any) -> set[Capability] | None:
    if not isinstance(data, list):
        return None
    found: set[Capability] = set()
    for item in data:
        if not isinstance(item, dict):
            return None
        try:
            found.add(
                Capability(
                    EventKind(item["kind"]), str(item.get("channel", "")), str(item.get("rule", ""))
                )
            )
        except (KeyError, ValueError):
            return None
    return found


class KnownCameras:
    """The stored records, by config entry id."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Nothing is read before :meth:`async_load`."""
        self._store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, STORAGE_KEY)
        self._records: dict[str, dict[str, Any]] = {}

    async def async_load(self) -> None:
        """Read the records written by the last run."""
        data = await self._store.async_load()
        records = data.get("cameras") if isinstance(data, dict) else None
        if isinstance(records, dict):
            self._records = {k: v for k, v in records.items() if isinstance(v, dict)}

    def info(self, entry_id: str) -> CameraInfo | None:
        """Return what the entry's camera was at its last probe (None: unknown or unfit)."""
        record = self._records.get(entry_id)
        info = info_from_data(record.get("info")) if record else None
        if record and info is None:
            LOGGER.debug("The stored record of %s does not fit; probing afresh", entry_id)
        return info

    def events(self, entry_id: str) -> KnownEvents | None:
        """Return what the entry's camera could report at its last discovery (None: unknown)."""
        record = self._records.get(entry_id) or {}
        events = record.get("events")
        if not isinstance(events, dict):
            return None
        capabilities = _capabilities_from(events.get("capabilities"))
        vendor_value = events.get("vendor")
        try:
            vendor = SourceKind(vendor_value) if vendor_value is not None else None
        except ValueError:
            return None
        return None if capabilities is None else (capabilities, vendor)

    @callback
    def async_remember_info(self, entry_id: str, info: CameraInfo) -> None:
        """Keep what a probe found."""
        record = self._records.setdefault(entry_id, {})
        data = info_to_data(info)
        if record.get("info") != data:
            record["info"] = data
            self._save()

    @callback
    def async_remember_events(
        self, entry_id: str, capabilities: set[Capability], vendor: SourceKind | None
    ) -> None:
        """Keep what the camera can report."""
        record = self._records.setdefault(entry_id, {})
        data = {
            "capabilities": [
                {"kind": c.kind.value, "channel": c.channel, "rule": c.rule}
                for c in sorted(capabilities, key=lambda c: c.key)
            ],
            "vendor": vendor.value if vendor is not None else None,
        }
        if record.get("events") != data:
            record["events"] = data
            self._save()

    @callback
    def async_forget(self, entry_id: str) -> None:
        """Drop a removed entry's record."""
        if self._records.pop(entry_id, None) is not None:
            self._save()

    def _save(self) -> None:
        self._store.async_delay_save(lambda: {"cameras": self._records}, SAVE_DELAY)


async def async_known_cameras(hass: HomeAssistant) -> KnownCameras:
    """Return the records, read from storage by the first caller."""
    if (known := hass.data.get(_KNOWN)) is not None:
        return known
    lock = hass.data.setdefault(_LOAD_LOCK, asyncio.Lock())
    async with lock:
        if (known := hass.data.get(_KNOWN)) is None:
            known = KnownCameras(hass)
            await known.async_load()
            hass.data[_KNOWN] = known
    return known
