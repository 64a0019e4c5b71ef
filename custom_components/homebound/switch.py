"""The "Cloud blocking" switch of each camera: on = its egress allow-list is in force."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import HomeboundConfigEntry
from .firewall_coordinator import FirewallCoordinator
from .firewall_entity import FirewallCameraEntity, async_setup_firewall_platform

# Each switch changes the router's ruleset; one change at a time is plenty.
PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HomeboundConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the camera's switch while a firewall entry is loaded."""
    async_setup_firewall_platform(
        hass, entry, async_add_entities, lambda e, c, mac: [CloudBlockingSwitch(e, c, mac)]
    )


class CloudBlockingSwitch(FirewallCameraEntity, SwitchEntity):
    """On: the camera may reach only Home Assistant, the LAN and the NTP/DNS servers named."""

    _attr_entity_category = EntityCategory.CONFIG

    def __init__(
        self, entry: HomeboundConfigEntry, coordinator: FirewallCoordinator, mac: str
    ) -> None:
        """Describe the camera's switch."""
        super().__init__(entry, coordinator, mac, "cloud_blocking")

    @property
    def available(self) -> bool:
        """The choice can be made, and exported, whatever the firewall answers."""
        return True

    @property
    def is_on(self) -> bool:
        """Whether the user chose to block this camera's cloud."""
        return self.coordinator.is_isolated(self._mac)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Block the camera's cloud now."""
        await self.coordinator.async_set_isolated(self._mac, True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Let the camera reach everything again."""
        await self.coordinator.async_set_isolated(self._mac, False)
