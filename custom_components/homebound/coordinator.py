"""Runtime data and the coordinator that keeps a camera's availability truthful.

The coordinator's data is what the camera is (:class:`CameraInfo`). The setup probe runs once
in ``_async_setup`` — or, for a camera known from the last run, one request that proves it is
still the camera it was (see known.py); after that the coordinator asks the camera every
minute whether it is still there. Failures are ``UpdateFailed`` with a translated message, so
Home Assistant marks the entities unavailable, logs the outage once and the recovery once; a
refused password starts reauthentication. A camera that comes back after an outage is probed
again, because a camera that rebooted may hand out other stream addresses or profiles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CoreState, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import CONF_MAC, CONF_SERIAL, DOMAIN, HEALTH_CHECK_INTERVAL, LOGGER
from .device import CameraAuthError, CameraError, CameraInfo, OnvifClient
from .identity import entry_identity

if TYPE_CHECKING:
    from .hub import EventHub
    from .known import KnownCameras

type HomeboundConfigEntry = ConfigEntry[HomeboundData]


@dataclass(slots=True)
class HomeboundData:
    """Everything a loaded Homebound entry holds."""

    client: OnvifClient
    coordinator: HomeboundCoordinator
    hub: EventHub

    @property
    def info(self) -> CameraInfo:
        """What the camera is, as its latest probe found."""
        return self.coordinator.data


def wrong_camera_issue_id(entry: ConfigEntry) -> str:
    """Return the repair issue raised while another camera answers at an entry's address."""
    return f"wrong_camera_{entry.entry_id}"


class HomeboundCoordinator(DataUpdateCoordinator[CameraInfo]):
    """Probes the camera once, then checks every minute that it still answers."""

    config_entry: HomeboundConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        config_entry: HomeboundConfigEntry,
        client: OnvifClient,
        known: KnownCameras,
    ) -> None:
        """Check ``client``'s camera on a timer; ``known`` keeps what probes find."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=config_entry,
            name=f"{DOMAIN} {client.host}",
            update_interval=HEALTH_CHECK_INTERVAL,
            always_update=False,
        )
        self.client = client
        self.known = known
        self.resumed = False
        """Whether setup started from the record of the last run (nothing was probed)."""
        self._just_probed = False

    @callback
    def set_events_alive(self, alive: bool) -> None:
        """Stop asking while an event source proves the camera is there; ask when it fails.

        Asked once at once when the source gets into trouble, so that an unplugged camera
        turns unavailable without waiting for the next poll, and once when it comes back.
        """
        self.update_interval = None if alive else HEALTH_CHECK_INTERVAL
        if not alive:
            self.config_entry.async_create_background_task(
                self.hass, self.async_request_refresh(), "homebound health check"
            )
        elif not self.last_update_success:
            # Not through the debouncer: the check made when the source got into trouble
            # would hold this one back for ten seconds while events already flow again.
            self.config_entry.async_create_background_task(
                self.hass, self.async_refresh(), "homebound health check"
            )

    async def _async_setup(self) -> None:
        """Probe the camera (unless the config flow just did); refuse a different camera."""
        info = self.client.info if self.client.connected and self.client.info else None
        if info is None:
            # Only while Home Assistant starts: a reload asked for later means "look again".
            remembered = (
                self.known.info(self.config_entry.entry_id)
                if self.hass.state is not CoreState.running
                else None
            )
            info = await self._probe(remembered)
            self.resumed = info is remembered
        entry = self.config_entry
        if not info.identity.matches(*entry_identity(entry)):
            await self.client.async_close()
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                wrong_camera_issue_id(entry),
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key="wrong_camera",
                translation_placeholders={"name": entry.title, "host": self.client.host},
            )
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="wrong_camera",
                translation_placeholders={"host": self.client.host},
            )
        ir.async_delete_issue(self.hass, DOMAIN, wrong_camera_issue_id(entry))
        self.known.async_remember_info(entry.entry_id, info)
        self._remember_identifiers(info)
        self.data = info
        self._just_probed = True

    async def _async_update_data(self) -> CameraInfo:
        """Check the camera; probe it again when it is back after an outage."""
        if self._just_probed:
            self._just_probed = False
            return self.data
        try:
            if self.last_update_success:
                await self.client.async_check()
                return self.data
            info = await self.client.async_connect()
        except CameraAuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="invalid_auth",
                translation_placeholders={"host": self.client.host},
            ) from err
        except CameraError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="unavailable",
                translation_placeholders={"host": self.client.host, "error": str(err)},
            ) from err
        self.known.async_remember_info(self.config_entry.entry_id, info)
        if {p.token for p in info.profiles} != {p.token for p in self.data.profiles}:
            LOGGER.info("Camera %s has other media profiles now; reloading", self.client.host)
            self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
        return info

    async def _probe(self, remembered: CameraInfo | None) -> CameraInfo:
        try:
            if remembered is not None:
                return await self.client.async_resume(remembered)
            return await self.client.async_connect()
        except CameraAuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="invalid_auth",
                translation_placeholders={"host": self.client.host},
            ) from err
        except CameraError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="cannot_connect",
                translation_placeholders={"host": self.client.host, "error": str(err)},
            ) from err

    def _remember_identifiers(self, info: CameraInfo) -> None:
        """Store the serial and MAC the camera reports, for entries made before they were kept."""
        entry = self.config_entry
        updates = {}
        if info.identity.serial and not entry.data.get(CONF_SERIAL):
            updates[CONF_SERIAL] = info.identity.serial
        if info.identity.mac and not entry.data.get(CONF_MAC):
            updates[CONF_MAC] = info.identity.mac
        if updates:
            self.hass.config_entries.async_update_entry(entry, data={**entry.data, **updates})
