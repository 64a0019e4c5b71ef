"""The overview: the household's summary on a "Homebound" service device.

How many of the user's cameras are made by makers a US federal action names, how many run
firmware known to be exploited: a figure about all cameras, so no camera entry can hold it, and
since Home Assistant 2026.8 a device belongs to exactly one config entry. The firewall entry is
optional, so it cannot hold it either. Homebound therefore keeps a third kind of entry that it
manages by itself: created by a flow with the system source when a camera entry is set up and
there is none (one only), removed with the last camera entry. It owns the service device and
its sensors, and reads the cameras only through :mod:`..link` (their facts, each with what the
camera half concluded about its maker and firmware, and the signal that they changed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, TypeGuard

from homeassistant.config_entries import SOURCE_SYSTEM, ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import discovery_flow

from .. import link
from ..catalog import summarize
from ..catalog.status import Summary
from ..const import CONF_KIND, DOMAIN, KIND_OVERVIEW
from ..kind import camera_entries, is_overview_entry

PLATFORMS: Final = [Platform.SENSOR]
TITLE: Final = "Homebound"
"""The overview entry's title and its device's name (a proper name: not translated)."""

type OverviewConfigEntry = ConfigEntry[Overview]


def is_overview(entry: ConfigEntry[Any]) -> TypeGuard[OverviewConfigEntry]:
    """Whether the entry is the overview."""
    return is_overview_entry(entry)


class Overview:
    """The household figures, counted again whenever cameras or their conclusions change."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Nothing is counted before :meth:`refresh`."""
        self.hass = hass
        self.cameras: list[link.CameraFacts] = []
        self.summary = summarize([])
        self._listeners: list[Callable[[], None]] = []

    @property
    def checked(self) -> list[link.CameraFacts]:
        """The cameras whose maker and firmware were checked (this run or the last)."""
        return [camera for camera in self.cameras if camera.maker is not None]

    @callback
    def refresh(self) -> None:
        """Count again from the cameras' facts; tell the sensors."""
        self.cameras = sorted(link.camera_facts(self.hass), key=lambda c: c.name.casefold())
        summary: Summary = summarize(
            (camera.maker.status, camera.maker.firmware)
            for camera in self.cameras
            if camera.maker is not None
        )
        self.summary = summary
        for listener in list(self._listeners):
            listener()

    @callback
    def async_listen(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call ``listener`` after each count."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def figures(self) -> dict[str, int]:
        """Every figure of the summary, and how many camera entries were never checked."""
        summary = self.summary
        return {
            "cameras": summary.cameras,
            "covered": summary.covered,
            "known_exploited": summary.known_exploited,
            "known_vulnerable": summary.known_vulnerable,
            "possibly_vulnerable": summary.possibly_vulnerable,
            "unknown_maker": summary.unknown_maker,
            "not_checked": len(self.cameras) - summary.cameras,
        }


async def async_setup_overview_entry(hass: HomeAssistant, entry: OverviewConfigEntry) -> bool:
    """Count, follow the cameras, and add the summary sensors."""
    overview = Overview(hass)
    overview.refresh()
    entry.runtime_data = overview
    entry.async_on_unload(link.async_listen_cameras(hass, overview.refresh))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_overview_entry(hass: HomeAssistant, entry: OverviewConfigEntry) -> bool:
    """Remove the summary sensors."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


@callback
def async_ensure_overview(hass: HomeAssistant) -> None:
    """Start the overview's flow unless the overview exists (even disabled or ignored)."""
    entries = hass.config_entries.async_entries(DOMAIN, include_ignore=True, include_disabled=True)
    if not any(is_overview_entry(entry) for entry in entries):
        discovery_flow.async_create_flow(
            hass, DOMAIN, context={"source": SOURCE_SYSTEM}, data={CONF_KIND: KIND_OVERVIEW}
        )


@callback
def async_remove_overview_if_last(hass: HomeAssistant, removed_entry_id: str) -> None:
    """Remove the overview with the last camera entry (``removed_entry_id`` is going now)."""
    if any(entry.entry_id != removed_entry_id for entry in camera_entries(hass)):
        return
    for entry in hass.config_entries.async_entries(DOMAIN, include_ignore=True):
        if is_overview_entry(entry):
            hass.async_create_task(
                hass.config_entries.async_remove(entry.entry_id), "homebound remove overview"
            )
