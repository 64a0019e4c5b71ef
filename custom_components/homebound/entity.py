"""Base entity: one Homebound camera device."""

from __future__ import annotations

from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.helpers.device_registry import CONNECTION_NETWORK_MAC, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import HomeboundConfigEntry, HomeboundCoordinator


class HomeboundEntity(CoordinatorEntity[HomeboundCoordinator]):
    """An entity of one camera; unavailable whenever the camera does not answer."""

    _attr_has_entity_name = True

    def __init__(self, entry: HomeboundConfigEntry) -> None:
        """Attach the entity to the camera's device."""
        super().__init__(entry.runtime_data.coordinator)
        identity = entry.runtime_data.info.identity
        self._device_id = entry.unique_id or identity.unique_id
        host = entry.data[CONF_HOST]
        if ":" in host:  # an IPv6 literal
            host = f"[{host}]"
        port = entry.data[CONF_PORT]
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, self._device_id)},
            connections={(CONNECTION_NETWORK_MAC, identity.mac)} if identity.mac else set(),
            manufacturer=identity.manufacturer,
            model=identity.model,
            model_id=identity.hardware_id or None,
            sw_version=identity.firmware or None,
            serial_number=identity.serial or None,
            name=entry.title,
            configuration_url=f"http://{host}:{port}/" if port != 80 else f"http://{host}/",
        )

    @property
    def available(self) -> bool:
        """Available while the camera answers its health check."""
        return super().available and self.coordinator.data.online
