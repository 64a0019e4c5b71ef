"""The summary sensors on the "Homebound" service device, for dashboards and automations.

Two counts, each with every figure of the household as attributes (what a dashboard card
shows beside it) and the names of the cameras it counts:

* **Cameras by covered makers** (``covered_cameras``): cameras whose maker a US federal action
  in force names (Entity List, NDAA §889, FCC Covered List) — relabels included, a maker only
  suspected never;
* **Cameras on exploited firmware** (``exploited_firmware``): cameras on firmware the
  catalogue's sources list as vulnerable to a CVE that CISA lists as known to be exploited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.components.sensor import (
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .. import link
from ..const import DOMAIN, OVERVIEW_UNIQUE_ID
from . import TITLE, Overview, OverviewConfigEntry


@dataclass(frozen=True, kw_only=True)
class SummaryDescription(SensorEntityDescription):
    """One count of the summary, and which cameras it counts."""

    counts: Callable[[link.CameraMaker], bool]


DESCRIPTIONS: Final = (
    SummaryDescription(
        key="covered_cameras",
        translation_key="covered_cameras",
        state_class=SensorStateClass.MEASUREMENT,
        counts=lambda maker: maker.status.covered,
    ),
    SummaryDescription(
        key="exploited_firmware",
        translation_key="exploited_firmware",
        state_class=SensorStateClass.MEASUREMENT,
        counts=lambda maker: maker.firmware.known_exploited,
    ),
)


def overview_device() -> DeviceInfo:
    """Return the "Homebound" service device the summary belongs to."""
    return DeviceInfo(
        identifiers={(DOMAIN, OVERVIEW_UNIQUE_ID)},
        name=TITLE,
        manufacturer=TITLE,
        entry_type=DeviceEntryType.SERVICE,
    )


class SummarySensor(SensorEntity):
    """One count of the household summary."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    entity_description: SummaryDescription

    def __init__(self, entry: OverviewConfigEntry, description: SummaryDescription) -> None:
        """Attach to the service device."""
        self.entity_description = description
        self._overview: Overview = entry.runtime_data
        self._attr_unique_id = f"{OVERVIEW_UNIQUE_ID}_{description.key}"
        self._attr_device_info = overview_device()

    async def async_added_to_hass(self) -> None:
        """Follow the counts."""
        self.async_on_remove(self._overview.async_listen(self.async_write_ha_state))

    def _counted(self) -> list[str]:
        counts = self.entity_description.counts
        return [
            camera.name
            for camera in self._overview.checked
            if camera.maker is not None and counts(camera.maker)
        ]

    @property
    def native_value(self) -> int:
        """How many cameras this sensor counts."""
        return len(self._counted())

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Every figure of the household, and the names of the cameras counted here."""
        return {**self._overview.figures(), "camera_names": self._counted()}


def async_add_summary_sensors(
    entry: OverviewConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add the summary sensors."""
    async_add_entities(SummarySensor(entry, description) for description in DESCRIPTIONS)
