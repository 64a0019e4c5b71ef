"""Each camera's "Cloud isolation" problem sensor (added by the binary_sensor platform)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.const import EntityCategory

from .compat import BinarySensorDeviceClass
from .coordinator import HomeboundConfigEntry
from .firewall_coordinator import FirewallCoordinator
from .firewall_entity import FirewallCameraEntity


class CloudIsolationProblem(FirewallCameraEntity, BinarySensorEntity):
    """On when the camera is not isolated although it should be.

    That is: its rules are missing (a router reboot or ``fw4 flush`` before Homebound put them
    back), the firewall rejected them, or the firewall does not answer. Available whenever the
    firewall entry is loaded: an unreachable firewall is the problem it reports, not a reason
    to say nothing.
    """

    _attr_device_class = BinarySensorDeviceClass.PROBLEM
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(
        self, entry: HomeboundConfigEntry, coordinator: FirewallCoordinator, mac: str
    ) -> None:
        """Describe the sensor."""
        super().__init__(entry, coordinator, mac, "cloud_isolation")

    @property
    def available(self) -> bool:
        """Always, where a backend can be checked."""
        return self.coordinator.backend is not None

    @property
    def is_on(self) -> bool:
        """Whether the camera should be isolated and is not."""
        return self.coordinator.isolation_problem(self._mac)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Why, in the firewall's own terms."""
        state = self.coordinator.data
        problems = list(state.status.problems) if state and state.status else []
        return {"error": state.error if state else None, "problems": problems}
