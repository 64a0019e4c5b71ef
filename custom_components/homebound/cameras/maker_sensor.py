"""The Maker status sensor: who made the camera and what governments did about that maker.

A diagnostic enum sensor on each camera's device. Its state says whether actions in force name
the maker (``listed``), reached it through a former parent (``affiliate``), none are known
(``none_known``), or the maker is not established (``unknown_maker``: a suspected maker is never
shown as the maker). Its attributes carry the evidence a person (or a dashboard card) needs:

* ``maker``, ``sold_as``, ``brand``, ``confidence``, ``badges``, ``summary``, ``covered`` — the
  dashboard card's badge is ``maker`` · "sold as " ``sold_as`` · ``badges[0]``;
* ``actions``: each action in force with its date, its scope said plainly and its sources
  (``proposals`` and ``ownership`` changes likewise);
* ``home_use``: ``not_illegal``, translated into the line that none of these actions makes
  owning or using the camera at home illegal (``home_use_detail``: the catalogue's wording);
* ``firmware_findings``: what the firmware check found, known or only possible.

It stays available while the camera does not answer: who made it does not change then.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity
from homeassistant.const import EntityCategory
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..catalog import StatusState
from .coordinator import CameraConfigEntry
from .entity import device_info

HOME_USE: Final = "not_illegal"
"""The ``home_use`` attribute's one value (translated: the actions bind others, not owners)."""


def maker_attributes(entry: CameraConfigEntry) -> dict[str, Any]:
    """Return the sensor's attributes (also what the diagnostics show of the conclusion)."""
    result = entry.runtime_data.maker.result
    if result is None:
        return {}
    status, report = result.status, result.firmware
    attributes = status.attributes()
    attributes["home_use"] = HOME_USE
    attributes["home_use_detail"] = status.private_use
    attributes["firmware_findings"] = [
        {
            "cve": finding.vulnerability.cve,
            "verdict": finding.verdict.value,
            "known_exploited": finding.known_exploited,
            "kev_date": finding.vulnerability.kev.date,
            "fixed": finding.vulnerability.fixed,
            "advisory": finding.vulnerability.advisory,
        }
        for finding in report.findings
    ]
    return attributes


class MakerStatusSensor(SensorEntity):
    """Who made the camera, and what governments did about its maker."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_translation_key = "maker_status"
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_device_class = SensorDeviceClass.ENUM
    # Long, and the same for months: kept out of the recorder's history.
    _unrecorded_attributes = frozenset(
        {"actions", "proposals", "ownership", "home_use_detail", "firmware_findings"}
    )

    def __init__(self, entry: CameraConfigEntry) -> None:
        """Attach to the camera's device."""
        self._entry = entry
        self._attr_options = [state.value for state in StatusState]
        device = entry.unique_id or entry.runtime_data.info.identity.unique_id
        self._attr_unique_id = f"{device}_maker_status"
        self._attr_device_info = device_info(entry)

    async def async_added_to_hass(self) -> None:
        """Follow the conclusion (a firmware update checks it again)."""
        self.async_on_remove(self._entry.runtime_data.maker.async_listen(self.async_write_ha_state))

    @property
    def native_value(self) -> str | None:
        """The status of the camera's maker."""
        result = self._entry.runtime_data.maker.result
        return result.status.state.value if result is not None else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The conclusion, each action with its date, scope and sources, and the firmware."""
        return maker_attributes(self._entry)


def async_add_maker_sensor(
    entry: CameraConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add the camera's Maker status sensor."""
    async_add_entities([MakerStatusSensor(entry)])
