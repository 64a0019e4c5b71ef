"""Per-camera firewall entities: on the camera's device, fed by the firewall entry.

Why they belong to the camera entry: since Home Assistant 2026.8 a device belongs to exactly
one config entry, and the camera's device is its camera entry's. So the camera entry's
platforms add these entities while a firewall entry is loaded (at once, or when it loads
later), and the entities go away when the firewall unloads; the firewall coordinator's runtime
data is what they read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import HomeboundConfigEntry
from .entity import device_info
from .firewall_cameras import entry_mac
from .firewall_coordinator import FirewallCoordinator
from .firewall_link import SIGNAL_FIREWALL_LOADED, SIGNAL_FIREWALL_UNLOADED, firewall_link

type EntityMaker = Callable[[HomeboundConfigEntry, FirewallCoordinator, str], Iterable[Entity]]


@callback
def async_setup_firewall_platform(
    hass: HomeAssistant,
    entry: HomeboundConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    make: EntityMaker,
) -> None:
    """Add a camera's firewall entities of one platform now and whenever the firewall loads.

    A camera whose MAC is unknown cannot be matched on the firewall, so it gets none.
    """
    mac = entry_mac(entry)
    if mac is None:
        return

    @callback
    def add(coordinator: FirewallCoordinator) -> None:
        async_add_entities(list(make(entry, coordinator, mac)))

    if (coordinator := firewall_link(hass).coordinator) is not None:
        add(coordinator)
    entry.async_on_unload(async_dispatcher_connect(hass, SIGNAL_FIREWALL_LOADED, add))


class FirewallCameraEntity(CoordinatorEntity[FirewallCoordinator]):
    """One figure or switch of a camera's isolation."""

    _attr_has_entity_name = True

    def __init__(
        self, entry: HomeboundConfigEntry, coordinator: FirewallCoordinator, mac: str, key: str
    ) -> None:
        """Attach to the camera's device; ``key`` names the entity and its translation."""
        super().__init__(coordinator)
        self._mac = mac
        device_id = entry.unique_id or entry.runtime_data.info.identity.unique_id
        self._attr_unique_id = f"{device_id}_{key}"
        self._attr_translation_key = key
        self._attr_device_info = device_info(entry)

    async def async_added_to_hass(self) -> None:
        """Follow the firewall; leave when it unloads."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(self.hass, SIGNAL_FIREWALL_UNLOADED, self._firewall_gone)
        )

    @callback
    def _firewall_gone(self) -> None:
        self.hass.async_create_task(self.async_remove(), eager_start=True)

    @property
    def available(self) -> bool:
        """Figures exist only where a backend reads them ("export only" has none).

        The coordinator does not fail its update when the firewall does not answer (the
        problem sensor must stay available to report that), so the figures check the
        state's error themselves: a count the firewall could not confirm is not shown.
        """
        state = self.coordinator.data
        return (
            super().available
            and self.coordinator.backend is not None
            and (state is None or state.error is None)
        )
