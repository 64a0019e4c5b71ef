"""The camera's settings on its device: features still on, clock offset, and the switch-off.

* **Cloud features** (sensor): how many of the camera's settings that reach outside the home
  are on, as the latest audit found (unknown until the first one); which ones, by setting id,
  in the ``features`` attribute.
* **Clock offset** (sensor): how far the camera's clock is from Home Assistant's, measured at
  every audit (at connecting until then). A camera far off signs ONVIF requests badly and
  stamps its recordings wrong; pointing it at a local time server fixes both.
* **Disable cloud features** (button, only on cameras with a local switch): switches every one
  of the maker's switchable settings off, each read back; whatever the camera did not do is
  raised as a translated error naming each setting (the button's press then shows it).
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.button import ButtonEntity
from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfTime

from .coordinator import CameraConfigEntry
from .entity import HomeboundEntity
from .settings import SettingsAudit
from .settings_text import async_raise_unless_done


def _audit(entry: CameraConfigEntry) -> SettingsAudit:
    audit = entry.runtime_data.settings
    assert audit is not None  # set before the platforms are
    return audit


def settings_sensors(entry: CameraConfigEntry) -> list[SensorEntity]:
    """Return the camera's settings sensors."""
    audit = _audit(entry)
    return [CloudFeaturesSensor(entry, audit), ClockOffsetSensor(entry, audit)]


def settings_buttons(entry: CameraConfigEntry) -> list[ButtonEntity]:
    """Return the switch-off button, for a camera whose cloud Homebound can switch off."""
    audit = _audit(entry)
    return [DisableCloudButton(entry, audit)] if audit.has_local_switch else []


class _AuditEntity(HomeboundEntity):
    """An entity that shows what the camera's settings audit found."""

    def __init__(self, entry: CameraConfigEntry, audit: SettingsAudit, key: str) -> None:
        super().__init__(entry)
        self._audit = audit
        self._attr_unique_id = f"{self._device_id}_{key}"

    async def async_added_to_hass(self) -> None:
        """Follow the audit as well as the camera's availability."""
        await super().async_added_to_hass()
        self.async_on_remove(self._audit.async_listen(self.async_write_ha_state))


class CloudFeaturesSensor(_AuditEntity, SensorEntity):
    """How many of the camera's features that reach outside the home are on."""

    _attr_translation_key = "cloud_features"
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, entry: CameraConfigEntry, audit: SettingsAudit) -> None:
        """Make the sensor of ``entry``'s camera."""
        super().__init__(entry, audit, "cloud_features")

    @property
    def native_value(self) -> int | None:
        """The count (None until the first audit)."""
        return self._audit.count

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Which settings are on (Homebound's setting ids), and whether it can switch them."""
        return {
            "features": [finding.setting.value for finding in self._audit.findings],
            "local_switch": self._audit.has_local_switch,
        }


class ClockOffsetSensor(_AuditEntity, SensorEntity):
    """How far the camera's clock is from Home Assistant's."""

    _attr_translation_key = "clock_offset"
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_device_class = SensorDeviceClass.DURATION
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_native_unit_of_measurement = UnitOfTime.SECONDS
    _attr_suggested_display_precision = 0

    def __init__(self, entry: CameraConfigEntry, audit: SettingsAudit) -> None:
        """Make the sensor of ``entry``'s camera."""
        super().__init__(entry, audit, "clock_offset")
        self._client = entry.runtime_data.client

    @property
    def native_value(self) -> int:
        """Whole seconds the camera's clock is ahead (negative: behind; it says no more)."""
        offset = self._audit.clock_offset
        return round(offset if offset is not None else self._client.clock_skew)


class DisableCloudButton(_AuditEntity, ButtonEntity):
    """Switch the camera's cloud features off, each read back."""

    _attr_translation_key = "disable_cloud_features"
    _attr_entity_category = EntityCategory.CONFIG

    def __init__(self, entry: CameraConfigEntry, audit: SettingsAudit) -> None:
        """Make the button of ``entry``'s camera."""
        super().__init__(entry, audit, "disable_cloud_features")
        self._title = entry.title

    async def async_press(self) -> None:
        """Switch off; raise what the camera did not do, naming each setting."""
        results = await self._audit.async_switch_off()
        await async_raise_unless_done(self.hass, [(self._title, results)])
