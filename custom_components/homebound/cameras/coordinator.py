"""Runtime data and the coordinator that keeps a camera's availability truthful.

The coordinator's data is what the camera is (:class:`CameraInfo`). The setup probe runs once
in ``_async_setup`` — or, for a camera known from the last run, one request that proves it is
still the camera it was (see known.py); after that the coordinator asks the camera every
minute whether it is still there — unless an event source proves it (its pushes, heartbeats
and renewals): then nothing is polled, and each time the source gets into trouble the camera
is asked once at once. Failures are ``UpdateFailed`` with a translated message, so Home
Assistant marks the entities unavailable, logs the outage once and the recovery once; a
refused password starts reauthentication. A camera that comes back after an outage is probed
again, because a camera that rebooted may hand out other stream addresses or profiles.

**Identity at every reconnect**: whatever answers is checked to be the entry's camera — in
full when it is probed again, by its serial at every health check. Another camera (one that
got the address from DHCP, with the same factory password) is refused: the ``wrong_camera``
repair, the entities unavailable, and nothing follows it — the listeners of
:meth:`HomeboundCoordinator.async_listen_identity` (the event hub, the camera entities) stop
using it, the stored identity, device page and the firewall's facts stay the right camera's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, CoreState, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from ..const import CONF_MAC, CONF_SERIAL, DOMAIN, HEALTH_CHECK_INTERVAL, LOGGER
from ..device import CameraAuthError, CameraError, CameraInfo, OnvifClient
from ..kind import is_camera_kind
from .identity import contradicts, entry_identity

if TYPE_CHECKING:
    from .hub import EventHub
    from .known import KnownCameras
    from .maker import MakerCheck
    from .settings import SettingsAudit

type CameraConfigEntry = ConfigEntry[CameraData]


def is_camera_entry(entry: ConfigEntry[Any]) -> TypeGuard[CameraConfigEntry]:
    """Whether the entry is a camera's (not the firewall's, not the overview's)."""
    return is_camera_kind(entry)


@dataclass(slots=True)
class CameraData:
    """Everything a loaded Homebound entry holds."""

    client: OnvifClient
    coordinator: HomeboundCoordinator
    hub: EventHub
    maker: MakerCheck
    """Who made the camera, what governments did about its maker, its firmware (maker.py)."""
    settings: SettingsAudit | None = None
    """The audit of the camera's settings that reach outside the home (set after the probe)."""

    @property
    def info(self) -> CameraInfo:
        """What the camera is, as its latest probe found."""
        return self.coordinator.data


def wrong_camera_issue_id(entry: ConfigEntry) -> str:
    """Return the repair issue raised while another camera answers at an entry's address."""
    return f"wrong_camera_{entry.entry_id}"


class HomeboundCoordinator(DataUpdateCoordinator[CameraInfo]):
    """Probes the camera once, then checks every minute that it still answers."""

    config_entry: CameraConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        config_entry: CameraConfigEntry,
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
        self.refused = False
        """Whether another camera answers at the address (the wrong_camera repair is up)."""
        self._just_probed = False
        self._identity_listeners: list[Callable[[bool], None]] = []

    @callback
    def async_listen_identity(self, listener: Callable[[bool], None]) -> CALLBACK_TYPE:
        """Tell ``listener`` who answers at the address; return the remover.

        ``listener(True)`` after each request that proved the camera is the entry's,
        ``listener(False)`` when another camera was refused.
        """
        self._identity_listeners.append(listener)
        return lambda: self._identity_listeners.remove(listener)

    def _identity_checked(self, right: bool) -> None:
        for listener in list(self._identity_listeners):
            listener(right)

    @callback
    def set_events_alive(self, alive: bool) -> None:
        """Stop asking while an event source proves the camera is there; ask when it fails.

        Called with False at each trouble of the source (a stream lost before it is opened
        again, nothing working): the camera is asked once at once, so that an unplugged
        camera turns unavailable without waiting for the next poll, and so that a camera that
        answers again is checked to be this one (the hub holds events until then); polling
        resumes until the source is alive. Called with True while it is: the check Home
        Assistant scheduled (a minute after set-up) is called off, and a camera marked
        unavailable is asked again at once.
        """
        if alive:
            self.update_interval = None
            self._async_unsub_refresh()
            if not self.last_update_success:
                self._check_soon()
        else:
            self.update_interval = HEALTH_CHECK_INTERVAL
            self._check_soon()

    def _check_soon(self) -> None:
        # Not through the debouncer: a check asked within its ten seconds would be held back
        # while events wait for it. Refreshes still run one at a time (the coordinator's lock).
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
            raise await self._async_wrong_camera()
        ir.async_delete_issue(self.hass, DOMAIN, wrong_camera_issue_id(entry))
        self.known.async_remember_info(entry.entry_id, info)
        self._remember_identifiers(info)
        self.data = info
        self._just_probed = True

    async def _async_wrong_camera(self) -> UpdateFailed:
        """Let go of another camera answering at the address; the error to raise."""
        await self.client.async_close()
        entry = self.config_entry
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            wrong_camera_issue_id(entry),
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key="wrong_camera",
            translation_placeholders={"name": entry.title, "host": self.client.host},
        )
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="wrong_camera",
            translation_placeholders={"host": self.client.host},
        )

    async def _async_update_data(self) -> CameraInfo:
        """Check the camera; probe it again when it is back after an outage."""
        if self._just_probed:
            self._just_probed = False
            return self.data
        try:
            if self.last_update_success:
                seen = await self.client.async_check()
                if contradicts(self.config_entry, seen):
                    raise await self._refuse()
                self._identity_checked(True)
                return self.data
            info = await self.client.async_connect()
        except CameraError as err:
            raise self._failure(err, "unavailable") from err
        if not info.identity.matches(*entry_identity(self.config_entry)):
            raise await self._refuse()
        if self.refused:
            self.refused = False
            ir.async_delete_issue(self.hass, DOMAIN, wrong_camera_issue_id(self.config_entry))
            LOGGER.info("%s answers again at %s", self.config_entry.title, self.client.host)
        self.known.async_remember_info(self.config_entry.entry_id, info)
        self._identity_checked(True)
        if {p.token for p in info.profiles} != {p.token for p in self.data.profiles}:
            LOGGER.info("Camera %s has other media profiles now; reloading", self.client.host)
            self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
        return info

    async def _refuse(self) -> UpdateFailed:
        """Refuse the camera that answers: it is not this one. The error to raise."""
        if not self.refused:
            LOGGER.warning(
                "Another camera answers at %s, not %s; it is not used",
                self.client.host,
                self.config_entry.title,
            )
        self.refused = True
        self.update_interval = HEALTH_CHECK_INTERVAL  # asked every minute until it is back
        error = await self._async_wrong_camera()
        self._identity_checked(False)
        return error

    async def _probe(self, remembered: CameraInfo | None) -> CameraInfo:
        try:
            if remembered is not None:
                return await self.client.async_resume(remembered)
            return await self.client.async_connect()
        except CameraError as err:
            raise self._failure(err, "cannot_connect") from err

    def _failure(self, err: CameraError, key: str) -> ConfigEntryAuthFailed | UpdateFailed:
        """Translate a camera error: reauthentication for a refused login, else ``key``."""
        if isinstance(err, CameraAuthError):
            return ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="invalid_auth",
                translation_placeholders={"host": self.client.host},
            )
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders={"host": self.client.host, "error": str(err)},
        )

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
