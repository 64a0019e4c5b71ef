"""Where the camera entries find the loaded firewall (one per Home Assistant).

Why not ``async_loaded_entries``: the camera platforms must see the firewall from the moment
its setup tells them, before Home Assistant marks the entry loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant, callback
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN

if TYPE_CHECKING:
    from .firewall_coordinator import FirewallCoordinator


@dataclass(slots=True)
class FirewallLink:
    """The loaded firewall, where the camera entries' platforms find it."""

    coordinator: FirewallCoordinator | None = None

    @callback
    def cameras_changed(self) -> None:
        """Check the policy soon: a camera entry was set up, unloaded or removed."""
        if (coordinator := self.coordinator) is not None:
            coordinator.config_entry.async_create_background_task(
                coordinator.hass, coordinator.async_request_refresh(), "homebound cameras changed"
            )


DATA_LINK: HassKey[FirewallLink] = HassKey(f"{DOMAIN}_firewall_link")
SIGNAL_FIREWALL_LOADED = f"{DOMAIN}_firewall_loaded"
SIGNAL_FIREWALL_UNLOADED = f"{DOMAIN}_firewall_unloaded"


def firewall_link(hass: HomeAssistant) -> FirewallLink:
    """Return the one link of this Home Assistant (made on first use)."""
    if (link := hass.data.get(DATA_LINK)) is None:
        link = hass.data[DATA_LINK] = FirewallLink()
    return link
