"""Detection sensors: one binary sensor per thing the camera can report (motion, person, …)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from ..compat import BinarySensorDeviceClass
from ..events import Capability, EventKind
from .coordinator import CameraConfigEntry
from .entity import HomeboundEntity

MANY_RULES: Final = 4
"""Above this many rule or region sensors, those sensors start disabled (the camera has dozens)."""


@dataclass(frozen=True, kw_only=True)
class DetectionDescription(BinarySensorEntityDescription):
    """A detection kind's sensor; ``where_translation_key`` names one of several of a kind."""

    kind: EventKind
    where_translation_key: str


DESCRIPTIONS: Final[dict[EventKind, DetectionDescription]] = {
    EventKind.MOTION: DetectionDescription(
        key="motion",
        kind=EventKind.MOTION,
        translation_key="motion",
        where_translation_key="motion_where",
        device_class=BinarySensorDeviceClass.MOTION,
    ),
    EventKind.PERSON: DetectionDescription(
        key="person",
        kind=EventKind.PERSON,
        translation_key="person",
        where_translation_key="person_where",
        device_class=BinarySensorDeviceClass.OCCUPANCY,
    ),
    EventKind.VEHICLE: DetectionDescription(
        key="vehicle",
        kind=EventKind.VEHICLE,
        translation_key="vehicle",
        where_translation_key="vehicle_where",
        device_class=BinarySensorDeviceClass.MOTION,
    ),
    EventKind.ANIMAL: DetectionDescription(
        key="animal",
        kind=EventKind.ANIMAL,
        translation_key="animal",
        where_translation_key="animal_where",
        device_class=BinarySensorDeviceClass.MOTION,
    ),
    EventKind.FACE: DetectionDescription(
        key="face",
        kind=EventKind.FACE,
        translation_key="face",
        where_translation_key="face_where",
        device_class=BinarySensorDeviceClass.OCCUPANCY,
    ),
    EventKind.LINE_CROSSING: DetectionDescription(
        key="line_crossing",
        kind=EventKind.LINE_CROSSING,
        translation_key="line_crossing",
        where_translation_key="line_crossing_where",
        device_class=BinarySensorDeviceClass.MOTION,
    ),
    EventKind.INTRUSION: DetectionDescription(
        key="intrusion",
        kind=EventKind.INTRUSION,
        translation_key="intrusion",
        where_translation_key="intrusion_where",
        device_class=BinarySensorDeviceClass.SAFETY,
    ),
    EventKind.LOITERING: DetectionDescription(
        key="loitering",
        kind=EventKind.LOITERING,
        translation_key="loitering",
        where_translation_key="loitering_where",
        device_class=BinarySensorDeviceClass.OCCUPANCY,
    ),
    EventKind.TAMPER: DetectionDescription(
        key="tamper",
        kind=EventKind.TAMPER,
        translation_key="tamper",
        where_translation_key="tamper_where",
        device_class=BinarySensorDeviceClass.TAMPER,
    ),
    EventKind.AUDIO: DetectionDescription(
        key="audio",
        kind=EventKind.AUDIO,
        translation_key="audio",
        where_translation_key="audio_where",
        device_class=BinarySensorDeviceClass.SOUND,
    ),
    EventKind.DIGITAL_INPUT: DetectionDescription(
        key="digital_input",
        kind=EventKind.DIGITAL_INPUT,
        translation_key="digital_input",
        where_translation_key="digital_input_where",
        device_class=None,
    ),
}


def where(capability: Capability) -> str:
    """Return what tells two sensors of one kind apart: channel and rule, as named."""
    return " ".join(part for part in (capability.channel, capability.rule) if part)


async def async_setup_detections(
    hass: HomeAssistant,
    entry: CameraConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a sensor per capability the camera declared, and one per capability it reveals."""
    hub = entry.runtime_data.hub

    def many_rules() -> bool:
        return sum(1 for c in hub.capabilities if c.rule) > MANY_RULES

    async_add_entities(
        HomeboundDetection(entry, capability, enabled=not (capability.rule and many_rules()))
        for capability in sorted(hub.capabilities, key=lambda c: c.key)
    )

    @callback
    def new_capability(capability: Capability) -> None:
        async_add_entities(
            [HomeboundDetection(entry, capability, enabled=not (capability.rule and many_rules()))]
        )

    entry.async_on_unload(hub.async_listen_new(new_capability))


class HomeboundDetection(HomeboundEntity, RestoreEntity, BinarySensorEntity):
    """On while the camera reports its kind of detection; off after it ends or times out.

    The last state is restored across a restart only until the camera's event source first
    answers; from then on the camera's own reports (or "off") decide. Unavailable, not "off",
    while no source that carries its kind delivers (a stream dead or stalled and nothing in
    its place, or a fallback that cannot carry it): "off" would be a guess.
    """

    entity_description: DetectionDescription

    def __init__(self, entry: CameraConfigEntry, capability: Capability, *, enabled: bool) -> None:
        """Describe the sensor of one capability."""
        super().__init__(entry)
        self._hub = entry.runtime_data.hub
        self._capability = capability
        self.entity_description = DESCRIPTIONS[capability.kind]
        self._attr_unique_id = f"{self._device_id}_{capability.key}"
        if where(capability):
            self._attr_translation_key = self.entity_description.where_translation_key
            self._attr_translation_placeholders = {"where": where(capability)}
        self._attr_entity_registry_enabled_default = enabled
        self._restored: bool | None = None

    async def async_added_to_hass(self) -> None:
        """Restore the last state; follow the hub from now on."""
        await super().async_added_to_hass()
        if (last := await self.async_get_last_state()) is not None:
            self._restored = last.state == STATE_ON
        self.async_on_remove(self._hub.async_listen(self._changed))

    @callback
    def _changed(self, capability: Capability) -> None:
        if capability == self._capability:
            self.async_write_ha_state()

    @property
    def available(self) -> bool:
        """Whether the camera answers and a source that carries this kind delivers."""
        return super().available and self._hub.detections.available(self._capability)

    @property
    def is_on(self) -> bool | None:
        """The camera's latest report; the restored state until its events arrive."""
        state = self._hub.states.get(self._capability)
        if state is not None:
            return state
        if self._hub.source_active:
            return False
        return self._restored
