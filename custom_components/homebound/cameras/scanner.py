"""Background WS-Discovery: new cameras show up as "Discovered" cards, the way DHCP finds do.

Home Assistant's own onvif integration searches only while its config flow shows a spinner.
Homebound searches at a low rate in the background instead — once Home Assistant has started,
then every :data:`SCAN_INTERVAL` — from the adapters enabled in Settings → System → Network,
and starts a discovery flow for each camera not added yet. The "Add integration" flow then
lists what is already known at once; when that is stale (or nothing was searched yet, as in a
Home Assistant that has no camera entry), it starts a search in the background and shows its
first screen without waiting for it: cameras found meanwhile become "Discovered" cards, and the
flow lists them when the user asks (:meth:`Scanner.async_search`, one search at a time).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime

from homeassistant.components import network
from homeassistant.config_entries import SOURCE_INTEGRATION_DISCOVERY, ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import discovery_flow
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.start import async_at_started
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from ..const import DISCOVERY_TIMEOUT, DOMAIN, LOGGER, SCAN_FRESH, SCAN_INTERVAL
from ..device import DiscoveredCamera, async_discover
from ..device.discovery import probe_plan

DATA_SCANNER: HassKey[Scanner] = HassKey(f"{DOMAIN}_scanner")


def configured_addresses(entries: list[ConfigEntry]) -> set[tuple[str, int]]:
    """Return the (host, port) of every camera entry."""
    return {
        (str(entry.data.get(CONF_HOST)), int(entry.data.get(CONF_PORT) or 0)) for entry in entries
    }


class Scanner:
    """Searches the LAN for ONVIF cameras and remembers what answered."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Nothing is searched until :meth:`async_scan` or :meth:`async_start`."""
        self.hass = hass
        self.found: list[DiscoveredCamera] = []
        self.scanned_at: datetime | None = None
        self._lock = asyncio.Lock()
        self._search: asyncio.Task[None] | None = None

    @property
    def searching(self) -> bool:
        """Whether a search started by :meth:`async_search` is still listening."""
        return self._search is not None and not self._search.done()

    @callback
    def async_search(self) -> asyncio.Task[None]:
        """Search and offer what is found, in the background; return the search running.

        A search already running is returned rather than a second one started: the flow that
        asks for one while the background search listens waits for that search's answers.
        Callers that wait for it must shield it: it belongs to no flow, and a flow that is
        closed must not end the search (nor the "Discovered" cards it makes).
        """
        if self._search is None or self._search.done():
            self._search = self.hass.async_create_background_task(
                self.async_scan_and_offer(), "homebound background WS-Discovery", eager_start=True
            )
        return self._search

    @property
    def fresh(self) -> bool:
        """Whether the last search is recent enough to show without searching again."""
        return self.scanned_at is not None and dt_util.utcnow() - self.scanned_at < SCAN_FRESH

    async def async_scan(self) -> list[DiscoveredCamera]:
        """Search now (one search at a time; a caller arriving meanwhile gets its result)."""
        started = dt_util.utcnow()
        async with self._lock:
            if self.scanned_at is not None and self.scanned_at >= started:
                return self.found
            addresses = [str(ip) for ip in await network.async_get_enabled_source_ips(self.hass)]
            plan = probe_plan(addresses)
            try:
                self.found = await async_discover(plan, timeout=DISCOVERY_TIMEOUT)
            except OSError as err:
                LOGGER.warning("Searching for ONVIF cameras failed: %s", err)
                self.found = []
            self.scanned_at = dt_util.utcnow()
            LOGGER.debug(
                "WS-Discovery from %s found %s camera(s)", ", ".join(plan.sources), len(self.found)
            )
            return self.found

    async def async_scan_and_offer(self) -> None:
        """Search, then start a discovery flow for every camera not added yet."""
        found = await self.async_scan()
        known = configured_addresses(self.hass.config_entries.async_entries(DOMAIN))
        for camera in found:
            if (camera.host, camera.port) in known:
                continue
            discovery_flow.async_create_flow(
                self.hass,
                DOMAIN,
                context={"source": SOURCE_INTEGRATION_DISCOVERY},
                data=asdict(camera),
            )

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Search once Home Assistant has started, then every SCAN_INTERVAL; return a stop."""

        @callback
        def scan(_: object = None) -> None:
            self.async_search()

        stops: list[Callable[[], None]] = [
            async_at_started(self.hass, scan),
            async_track_time_interval(self.hass, scan, SCAN_INTERVAL, cancel_on_shutdown=True),
        ]

        @callback
        def stop() -> None:
            for cancel in stops:
                cancel()

        return stop


@callback
def async_get_scanner(hass: HomeAssistant) -> Scanner:
    """Return the one scanner of this Home Assistant (made on first use, e.g. by a flow)."""
    if (scanner := hass.data.get(DATA_SCANNER)) is None:
        scanner = hass.data[DATA_SCANNER] = Scanner(hass)
    return scanner
