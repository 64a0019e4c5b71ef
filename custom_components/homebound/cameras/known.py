"""What each camera was at its last probe, kept across restarts (``.storage/homebound.cameras``).

With it a start of Home Assistant costs each camera one request instead of a probe of six or
more (see :meth:`~.device.OnvifClient.async_resume`), and what the camera can report (its event
capabilities, its vendor event stream) is not asked again: 32 cameras then add a fraction of a
second to Home Assistant's start instead of several. Nor is its firmware fingerprinted again
(who made it, maker.py) until its firmware changes, nor its settings read again before their
daily audit is due (settings.py). A reload while Home Assistant runs probes afresh (the user
may have changed the camera). One record per entry, written a few seconds
after it changes (and at shutdown); it goes when its entry is removed. A record that does not
fit this version is ignored, and the camera is probed as on its first day.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN, LOGGER
from ..device import CameraInfo
from ..device.stored import info_from_data, info_to_data
from ..events import Capability, EventKind, SourceKind

STORAGE_KEY: Final = f"{DOMAIN}.cameras"
STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 10.0
"""Seconds a change waits before it is written, so that a start with many cameras writes once."""

_KNOWN: HassKey[KnownCameras] = HassKey(f"{DOMAIN}_known")
_LOAD_LOCK: HassKey[asyncio.Lock] = HassKey(f"{DOMAIN}_known_lock")


@dataclass(frozen=True, slots=True)
class KnownEvents:
    """What a camera could report at its last discovery."""

    capabilities: set[Capability]
    vendor: SourceKind | None
    onvif: frozenset[EventKind] | None = None
    """The kinds its ONVIF topic set declared (None: unknown, a record of an older version)."""


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


def _capabilities_to(capabilities: set[Capability]) -> list[dict[str, str]]:
    return [
        {"kind": c.kind.value, "channel": c.channel, "rule": c.rule}
        for c in sorted(capabilities, key=lambda c: c.key)
    ]


def _kinds_from(data: Any) -> frozenset[EventKind] | None:
    if not isinstance(data, list):
        return None
    try:
        return frozenset(EventKind(item) for item in data)
    except (TypeError, ValueError):
        return None


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
        if capabilities is None:
            return None
        return KnownEvents(capabilities, vendor, _kinds_from(events.get("onvif")))

    def learned(self, entry_id: str) -> set[Capability]:
        """Return what the camera's events revealed beyond what it declared (kept on reload)."""
        record = self._records.get(entry_id) or {}
        return _capabilities_from(record.get("learned")) or set()

    @callback
    def async_remember_info(self, entry_id: str, info: CameraInfo) -> None:
        """Keep what a probe found."""
        record = self._records.setdefault(entry_id, {})
        data = info_to_data(info)
        if record.get("info") != data:
            record["info"] = data
            self._save()

    @callback
    def async_remember_events(self, entry_id: str, known: KnownEvents) -> None:
        """Keep what the camera can report."""
        record = self._records.setdefault(entry_id, {})
        data: dict[str, Any] = {
            "capabilities": _capabilities_to(known.capabilities),
            "vendor": known.vendor.value if known.vendor is not None else None,
        }
        if known.onvif is not None:
            data["onvif"] = sorted(kind.value for kind in known.onvif)
        if record.get("events") != data:
            record["events"] = data
            self._save()

    @callback
    def async_remember_learned(self, entry_id: str, learned: set[Capability]) -> None:
        """Keep the capabilities first seen in events.

        A reload asks the camera afresh, and its lists leave out what its events carry
        (person and vehicle on many firmwares): without this their sensors and event types
        would be gone until the next such event.
        """
        record = self._records.setdefault(entry_id, {})
        data = _capabilities_to(learned)
        if record.get("learned", []) != data:
            record["learned"] = data
            self._save()

    def maker(self, entry_id: str) -> dict[str, Any] | None:
        """Return what set-up found out about the camera's maker (see maker.py), or None."""
        record = self._records.get(entry_id) or {}
        found = record.get("maker")
        return found if isinstance(found, dict) else None

    @callback
    def async_remember_maker(self, entry_id: str, data: dict[str, Any]) -> None:
        """Keep the camera's fingerprint and what was concluded from it (maker.py's record)."""
        record = self._records.setdefault(entry_id, {})
        if record.get("maker") != data:
            record["maker"] = data
            self._save()

    def settings(self, entry_id: str) -> dict[str, Any] | None:
        """Return the camera's last settings audit (see settings.py), or None."""
        record = self._records.get(entry_id) or {}
        found = record.get("settings")
        return found if isinstance(found, dict) else None

    @callback
    def async_remember_settings(self, entry_id: str, data: dict[str, Any]) -> None:
        """Keep what the latest settings audit read, so that a restart need not read it again."""
        record = self._records.setdefault(entry_id, {})
        if record.get("settings") != data:
            record["settings"] = data
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
