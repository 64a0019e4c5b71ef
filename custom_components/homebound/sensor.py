"""Each camera's blocked-traffic sensors: attempts, distinct destinations, the last one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import (
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .catalog import describe_destination
from .coordinator import HomeboundConfigEntry
from .firewall import BlockedAttempt
from .firewall_coordinator import CameraFigures, FirewallCoordinator
from .firewall_entity import FirewallCameraEntity, async_setup_firewall_platform

# Read from the firewall coordinator; nothing is polled per entity.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class FirewallSensorDescription(SensorEntityDescription):
    """A figure of one camera, read from its :class:`CameraFigures`."""

    value_fn: Callable[[CameraFigures], int]


COUNTS = (
    FirewallSensorDescription(
        key="blocked_attempts",
        translation_key="blocked_attempts",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda figures: figures.total,
    ),
    FirewallSensorDescription(
        key="blocked_destinations",
        translation_key="blocked_destinations",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda figures: figures.destinations_24h,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HomeboundConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the camera's sensors while a firewall entry is loaded."""

    def make(
        e: HomeboundConfigEntry, coordinator: FirewallCoordinator, mac: str
    ) -> list[SensorEntity]:
        sensors: list[SensorEntity] = [FirewallCount(e, coordinator, mac, d) for d in COUNTS]
        sensors.append(LastBlocked(e, coordinator, mac))
        return sensors

    async_setup_firewall_platform(hass, entry, async_add_entities, make)


class FirewallCount(FirewallCameraEntity, SensorEntity):
    """Blocked packets (ever growing, across router reboots) or distinct destinations."""

    entity_description: FirewallSensorDescription

    def __init__(
        self,
        entry: HomeboundConfigEntry,
        coordinator: FirewallCoordinator,
        mac: str,
        description: FirewallSensorDescription,
    ) -> None:
        """Describe one count."""
        super().__init__(entry, coordinator, mac, description.key)
        self.entity_description = description

    @property
    def native_value(self) -> int:
        """The count; 0 for a camera never isolated."""
        figures = self.coordinator.figures(self._mac) or CameraFigures(0)
        return self.entity_description.value_fn(figures)


def _attempt(attempt: BlockedAttempt, label: str) -> dict[str, Any]:
    destination = attempt.destination
    return {
        "destination": label,
        "address": str(destination.address),
        "protocol": destination.protocol,
        "port": destination.port,
        "last_seen": attempt.last_seen.isoformat(),
    }


class LastBlocked(FirewallCameraEntity, SensorEntity):
    """The destination the camera last tried, named from the cloud catalogue."""

    _unrecorded_attributes = frozenset({"recent"})

    def __init__(
        self, entry: HomeboundConfigEntry, coordinator: FirewallCoordinator, mac: str
    ) -> None:
        """Describe the sensor."""
        super().__init__(entry, coordinator, mac, "last_blocked")

    def _label(self, attempt: BlockedAttempt) -> str:
        destination = attempt.destination
        return describe_destination(
            destination.address, destination.protocol, destination.port, self.coordinator.resolved
        )

    def _recent(self) -> tuple[BlockedAttempt, ...]:
        figures = self.coordinator.figures(self._mac)
        return figures.recent if figures is not None else ()

    @property
    def native_value(self) -> str | None:
        """``easy4ipcloud.com — Dahua P2P, UDP 8800``; unknown before anything was blocked."""
        recent = self._recent()
        return self._label(recent[0])[:255] if recent else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The recent destinations, newest first."""
        return {"recent": [_attempt(a, self._label(a)) for a in self._recent()]}
