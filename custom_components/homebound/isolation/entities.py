"""Each camera's isolation entities: the Cloud blocking switch and its problem sensor.

:class:`IsolationExtras` is what the isolation half gives :mod:`..link`: for each camera device
and platform, the entities to add there while the firewall entry is loaded - for every camera,
also one whose MAC is unknown (it is isolated by address, or not at all, and says so). The
figures (blocked attempts, destinations, the last one, the gaps) are in :mod:`.figures`.

The switch shows what the firewall **confirmed** by content, never what was asked: after a
change, at a restart, a reload, and the moment an entry is added. What the user chose, a change
waiting for the router (*pending*) and every key the camera is matched by are its attributes.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.switch import SwitchEntity
from homeassistant.const import EntityCategory, Platform
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import Entity

from ..compat import BinarySensorDeviceClass
from ..const import FIREWALL_ENTITY_KEYS
from ..firewall import plain_address
from ..link import CameraHandle
from .coordinator import FirewallCoordinator
from .entity import FirewallCameraEntity
from .figures import COUNTS, FirewallCount, IsolationGaps, LastBlocked


class IsolationExtras:
    """The isolation entities of every camera device, made while the firewall is loaded."""

    def __init__(self, coordinator: FirewallCoordinator) -> None:
        """Read ``coordinator``."""
        self._coordinator = coordinator

    def entities(self, platform: Platform, camera: CameraHandle) -> list[Entity]:
        """Return a camera's entities of one platform.

        In export mode only the switch: the user's choice, which the exported rules follow.
        """
        coordinator = self._coordinator
        if platform is Platform.SWITCH:
            return [CloudBlockingSwitch(coordinator, camera)]
        if coordinator.backend is None:
            self._forget_unfed(camera)
            return []
        if platform is Platform.SENSOR:
            sensors: list[Entity] = [
                FirewallCount(coordinator, camera, description) for description in COUNTS
            ]
            return [*sensors, LastBlocked(coordinator, camera), IsolationGaps(coordinator, camera)]
        if platform is Platform.BINARY_SENSOR:
            return [CloudIsolationProblem(coordinator, camera)]
        return []

    def _forget_unfed(self, camera: CameraHandle) -> None:
        """Remove the registry entries of the entities export mode does not make.

        Nothing counts attempts or checks the rules in export mode, so those entities would
        stay "Unavailable" for good; ones left from when the entry had a backend go as well.
        """
        registry = er.async_get(self._coordinator.hass)
        for item in er.async_entries_for_config_entry(registry, camera.facts.entry_id):
            if (
                item.translation_key in FIREWALL_ENTITY_KEYS
                and item.translation_key != SWITCH_KEY
                and item.unique_id.startswith(f"{camera.unique_id}_")
            ):
                registry.async_remove(item.entity_id)


SWITCH_KEY = "cloud_blocking"
"""The one isolation entity of export mode: the user's choice, which the exported rules follow."""


class CloudBlockingSwitch(FirewallCameraEntity, SwitchEntity):
    """On: the firewall holds the camera's isolation (it may reach only the LAN and the servers).

    "Export only" confirms nothing; there the switch is on when the exported rules isolate the
    camera (what the user was given to load), never merely because it was chosen.
    """

    _attr_entity_category = EntityCategory.CONFIG

    def __init__(self, coordinator: FirewallCoordinator, camera: CameraHandle) -> None:
        """Describe the camera's switch."""
        super().__init__(coordinator, camera, SWITCH_KEY)

    @property
    def available(self) -> bool:
        """The choice can be made (kept pending, or exported) whatever the firewall answers."""
        return True

    @property
    def is_on(self) -> bool:
        """Whether the firewall confirmed the camera's isolation."""
        return self.coordinator.confirmed(self._camera)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The choice, a change waiting for the router, and what the camera is matched by."""
        coordinator = self.coordinator
        match = coordinator.match(self._camera)
        return {
            "chosen": coordinator.is_isolated(self._camera),
            "pending": coordinator.pending(self._camera),
            "matched_mac": (match.mac or None) if match else None,
            "matched_addresses": [plain_address(a) for a in match.addresses] if match else [],
        }

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Block the camera's cloud now (pending while the router does not answer)."""
        await self._async_choose(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Let the camera reach everything again."""
        await self._async_choose(False)

    async def _async_choose(self, isolated: bool) -> None:
        """Apply the change; a refusal is raised translated, with its reason.

        After a refusal the firewall is checked again, so the state shows what is in force,
        not what was asked for.
        """
        try:
            await self.coordinator.async_set_isolated([self._camera], isolated)
        except HomeAssistantError:
            await self.coordinator.async_refresh()
            raise


class CloudIsolationProblem(FirewallCameraEntity, BinarySensorEntity):
    """On when the camera should be isolated and is not, or may not be.

    That is: a gap (its rules missing or changed - on for every gap, also one Homebound
    repaired within a second), a change waiting for the router, the firewall refusing the
    rules, not answering, or showing another host key, or the camera having nothing the
    firewall can match it by. Available whenever a backend is checked: an unreachable
    firewall is the problem it reports, not a reason to say nothing.
    """

    _attr_device_class = BinarySensorDeviceClass.PROBLEM
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, coordinator: FirewallCoordinator, camera: CameraHandle) -> None:
        """Describe the sensor."""
        super().__init__(coordinator, camera, "cloud_isolation")

    @property
    def available(self) -> bool:
        """Always, where a backend can be checked."""
        return self.coordinator.backend is not None

    @property
    def is_on(self) -> bool:
        """Whether the camera should be isolated and is not."""
        return self.coordinator.isolation_problem(self._camera)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Why, in the firewall's own terms."""
        state = self.coordinator.data
        guard = state.guard
        since = guard.unreachable_since if guard is not None else None
        return {
            "error": state.error,
            "problems": list(state.status.problems) if state.status else [],
            "pending": self.coordinator.pending(self._camera),
            "unreachable_since": since.isoformat() if since else None,
            "gap_since": state.gap.started.isoformat() if state.gap else None,
        }
