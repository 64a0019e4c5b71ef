"""Each camera's isolation figures: blocked attempts, destinations, the last one, the gaps.

The counts come from the router's counters (made ever-growing across router reboots by the
coordinator); the gaps are the times the firewall was found not holding the camera's isolation
in the last 30 days - each one also a logbook line, an event and, when it deserves it, a repair.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import (
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory

from ..catalog import describe_destination
from ..firewall import BlockedAttempt
from ..link import CameraHandle
from .coordinator import CameraFigures, FirewallCoordinator
from .entity import FirewallCameraEntity


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


class FirewallCount(FirewallCameraEntity, SensorEntity):
    """Blocked packets (ever growing, across router reboots) or distinct destinations."""

    entity_description: FirewallSensorDescription

    def __init__(
        self,
        coordinator: FirewallCoordinator,
        camera: CameraHandle,
        description: FirewallSensorDescription,
    ) -> None:
        """Describe one count."""
        super().__init__(coordinator, camera, description.key)
        self.entity_description = description

    @property
    def native_value(self) -> int:
        """The count; 0 for a camera never isolated."""
        figures = self.coordinator.figures(self._camera) or CameraFigures(0)
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

    def __init__(self, coordinator: FirewallCoordinator, camera: CameraHandle) -> None:
        """Describe the sensor."""
        super().__init__(coordinator, camera, "last_blocked")

    def _label(self, attempt: BlockedAttempt) -> str:
        destination = attempt.destination
        return describe_destination(
            destination.address, destination.protocol, destination.port, self.coordinator.resolved
        )

    def _recent(self) -> tuple[BlockedAttempt, ...]:
        figures = self.coordinator.figures(self._camera)
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


class IsolationGaps(FirewallCameraEntity, SensorEntity):
    """How many times in the last 30 days the firewall did not hold the camera's isolation.

    Counted whether Homebound repaired the gap in a second or it lasted: each is a time the
    camera could reach the internet. Shown also while the router does not answer (the gaps
    counted are still true); the card reads it by its translation key ``isolation_gaps``.
    """

    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_state_class = SensorStateClass.MEASUREMENT

    def __init__(self, coordinator: FirewallCoordinator, camera: CameraHandle) -> None:
        """Describe the sensor."""
        super().__init__(coordinator, camera, "isolation_gaps")

    @property
    def available(self) -> bool:
        """Where a backend is checked ("export only" has no gaps to count)."""
        return self.coordinator.backend is not None

    @property
    def native_value(self) -> int:
        """The count, the open gap included."""
        return self.coordinator.gaps(self._camera)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """When the last gap began, and how long it lasted (None while open)."""
        last = self.coordinator.last_gap(self._camera)
        duration = last.duration if last is not None else None
        return {
            "last_started": last.started.isoformat() if last is not None else None,
            "last_duration": round(duration.total_seconds(), 3) if duration else None,
        }
