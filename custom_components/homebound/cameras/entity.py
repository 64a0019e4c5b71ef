"""Base entity: one Homebound camera device."""

from __future__ import annotations

from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.helpers.device_registry import CONNECTION_NETWORK_MAC, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from ..const import DOMAIN
from ..device import DeviceIdentity
from .coordinator import CameraConfigEntry, HomeboundCoordinator
from .maker import manufacturer_label


def hardware_version(identity: DeviceIdentity) -> str | None:
    """Return what ONVIF's HardwareId adds to the model, if anything.

    Firmwares put a board revision, a model code or the model again into HardwareId. Shown as
    the hardware version, and left out where it only repeats the model (the device page would
    print it twice, as "VC-1 (VC-1)" or "Virtual Camera VC-1 (VC-1)").
    """
    hardware = identity.hardware_id.strip()
    if not hardware or hardware.lower() in identity.model.lower():
        return None
    return hardware


def device_info(entry: CameraConfigEntry) -> DeviceInfo:
    """Return the device registry entry of an entry's camera.

    The manufacturer is the real maker when identification is sure ("Hikvision (sold as LTS)",
    see maker.py), else what the camera says.
    """
    identity = entry.runtime_data.info.identity
    host = entry.data[CONF_HOST]
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    port = entry.data[CONF_PORT]
    return DeviceInfo(
        identifiers={(DOMAIN, entry.unique_id or identity.unique_id)},
        connections={(CONNECTION_NETWORK_MAC, identity.mac)} if identity.mac else set(),
        manufacturer=manufacturer_label(entry.runtime_data.maker) or identity.manufacturer,
        model=identity.model,
        hw_version=hardware_version(identity),
        sw_version=identity.firmware or None,
        serial_number=identity.serial or None,
        name=entry.title,
        configuration_url=f"http://{host}:{port}/" if port != 80 else f"http://{host}/",
    )


class HomeboundEntity(CoordinatorEntity[HomeboundCoordinator]):
    """An entity of one camera; unavailable whenever the camera does not answer."""

    _attr_has_entity_name = True

    def __init__(self, entry: CameraConfigEntry) -> None:
        """Attach the entity to the camera's device."""
        super().__init__(entry.runtime_data.coordinator)
        self._device_id = entry.unique_id or entry.runtime_data.info.identity.unique_id
        self._attr_device_info = device_info(entry)
