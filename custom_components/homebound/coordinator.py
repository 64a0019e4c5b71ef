"""Runtime data and the health check that keeps availability truthful."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .const import DOMAIN, HEALTH_CHECK_INTERVAL, LOGGER
from .device import CameraAuthError, CameraError, CameraInfo, OnvifClient

type HomeboundConfigEntry = ConfigEntry[HomeboundData]


@dataclass(frozen=True, slots=True)
class CameraStatus:
    """What the last health check found."""

    online: bool
    error: str | None = None


@dataclass(slots=True)
class HomeboundData:
    """Everything a loaded Homebound entry holds."""

    client: OnvifClient
    info: CameraInfo
    coordinator: HomeboundCoordinator


class HomeboundCoordinator(DataUpdateCoordinator[CameraStatus]):
    """Asks the camera every 30 seconds whether it is still there.

    An unreachable camera is not an update failure: the check succeeds with ``online=False``,
    entities turn unavailable, and the log says so once at info level (and once more when the
    camera is back) instead of an error on every retry. A refused password starts reauth.
    """

    config_entry: HomeboundConfigEntry

    def __init__(
        self, hass: HomeAssistant, config_entry: HomeboundConfigEntry, client: OnvifClient
    ) -> None:
        """Check ``client``'s camera on a timer."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=config_entry,
            name=f"{DOMAIN} {client.host}",
            update_interval=HEALTH_CHECK_INTERVAL,
            always_update=False,
        )
        self.client = client

    async def _async_update_data(self) -> CameraStatus:
        was_online = self.data.online if self.data is not None else True
        try:
            await self.client.async_check()
        except CameraAuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="invalid_auth",
                translation_placeholders={"host": self.client.host},
            ) from err
        except CameraError as err:
            if was_online:
                LOGGER.info("Camera %s is unavailable: %s", self.client.host, err)
            return CameraStatus(online=False, error=str(err))
        if not was_online:
            LOGGER.info("Camera %s is back online", self.client.host)
        return CameraStatus(online=True)
