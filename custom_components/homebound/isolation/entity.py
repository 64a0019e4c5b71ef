"""The base of the isolation half's per-camera entities, and what puts them on each camera.

Why on the camera's device: since Home Assistant 2026.8 a device belongs to exactly one config
entry, and the camera's device is its camera entry's. So the camera entry's platforms add these
entities, through :mod:`..link`, while the firewall entry is loaded (at once, or when it loads
later), and the entities go away when it unloads; the firewall coordinator is what they read.
"""

from __future__ import annotations

from homeassistant.core import callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from ..link import SIGNAL_EXTRAS_UNLOADED, CameraHandle
from .coordinator import FirewallCoordinator


class FirewallCameraEntity(CoordinatorEntity[FirewallCoordinator]):
    """One figure or switch of a camera's isolation."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: FirewallCoordinator, camera: CameraHandle, key: str) -> None:
        """Attach to the camera's device; ``key`` names the entity and its translation."""
        super().__init__(coordinator)
        self._camera = camera.facts.entry_id
        """The camera's id in the firewall's plan (its entry id: a MAC it may not know)."""
        self._attr_unique_id = f"{camera.unique_id}_{key}"
        self._attr_translation_key = key
        self._attr_device_info = camera.device_info

    async def async_added_to_hass(self) -> None:
        """Follow the firewall; leave when it unloads."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(self.hass, SIGNAL_EXTRAS_UNLOADED, self._firewall_gone)
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
