"""Event entities: one per camera channel, firing ``motion_start``, ``person_detected``.

Automations that react to a happening rather than a state (a line crossed twice within the
auto-off time still is two crossings) trigger on these. Their event types follow what the
camera can report: a kind first seen in an event (person and vehicle on many firmwares, which
their lists leave out) is added to its channel's entity before that event fires, and a channel
first seen gets an entity of its own that fires the event that revealed it once it is added.
After a restart the types come from the stored capabilities (known.py keeps learned ones).
"""

from __future__ import annotations

from typing import Final

from homeassistant.components.event import EventEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..events import Capability, Event
from ..events.triggers import event_type_of
from .coordinator import CameraConfigEntry
from .entity import HomeboundEntity

MAX_WAITING: Final = 16
"""Events kept for an entity not added yet (one that stays disabled is never added)."""


async def async_setup_detection_events(
    hass: HomeAssistant,
    entry: CameraConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One event entity per channel that has capabilities; more as channels are found."""
    hub = entry.runtime_data.hub
    entities = {
        channel: HomeboundDetections(entry, channel)
        for channel in sorted({c.channel for c in hub.capabilities})
    }
    async_add_entities(entities.values())

    @callback
    def new_capability(capability: Capability) -> None:
        if (entity := entities.get(capability.channel)) is not None:
            entity.types_changed()
            return
        entity = entities[capability.channel] = HomeboundDetections(entry, capability.channel)
        async_add_entities([entity])

    @callback
    def event(event: Event) -> None:
        if (entity := entities.get(event.capability.channel)) is not None:
            entity.fire(event)

    entry.async_on_unload(hub.async_listen_new(new_capability))
    entry.async_on_unload(hub.async_listen_events(event))


class HomeboundDetections(HomeboundEntity, EventEntity):
    """Fires an event type for each detection the camera reports on one channel."""

    def __init__(self, entry: CameraConfigEntry, channel: str) -> None:
        """Describe the channel's event entity."""
        super().__init__(entry)
        self._hub = entry.runtime_data.hub
        self._channel = channel
        self._attr_unique_id = f"{self._device_id}_detections" + (f"_{channel}" if channel else "")
        if channel:
            self._attr_translation_key = "detections_where"
            self._attr_translation_placeholders = {"where": channel}
        else:
            self._attr_translation_key = "detections"
        self._attr_event_types = self._hub.detections.event_types(channel)
        self._waiting: list[Event] | None = []
        """Events that came before the entity was added (the one that revealed its channel)."""

    async def async_added_to_hass(self) -> None:
        """Fire what came while the entity was being added."""
        await super().async_added_to_hass()
        waiting, self._waiting = self._waiting, None
        for event in waiting or ():
            self.fire(event)

    @callback
    def types_changed(self) -> None:
        """Offer the types of a kind just found (written at once: triggers list them)."""
        types = self._hub.detections.event_types(self._channel)
        if types != self._attr_event_types:
            self._attr_event_types = types
            if self.hass is not None and self._waiting is None:
                self.async_write_ha_state()

    @callback
    def fire(self, event: Event) -> None:
        """Fire the event's type (a change the camera reported on this channel)."""
        if self._waiting is not None:
            if len(self._waiting) < MAX_WAITING:
                self._waiting.append(event)
            return
        event_type = event_type_of(event)
        if event_type is None or event_type not in self.event_types:
            return
        self._trigger_event(
            event_type,
            {"rule": event.capability.rule, "source": event.source.value},
        )
        self.async_write_ha_state()
