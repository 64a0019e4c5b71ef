"""Event entities: one per camera channel, firing ``motion_start``, ``person_detected``.

Automations that react to a happening rather than a state (a line crossed twice within the
auto-off time still is two crossings) trigger on these.
"""

from __future__ import annotations

from homeassistant.components.event import EventEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import HomeboundConfigEntry
from .entity import HomeboundEntity
from .events import Event
from .hub import event_type_of, event_types_for

# Pushed by the hub; nothing is polled.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HomeboundConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One event entity per channel that has capabilities."""
    hub = entry.runtime_data.hub
    channels = sorted({c.channel for c in hub.capabilities})
    async_add_entities(HomeboundDetections(entry, channel) for channel in channels)


class HomeboundDetections(HomeboundEntity, EventEntity):
    """Fires an event type for each detection the camera reports on one channel."""

    def __init__(self, entry: HomeboundConfigEntry, channel: str) -> None:
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
        kinds = {c.kind for c in self._hub.capabilities if c.channel == channel}
        self._attr_event_types = event_types_for(kinds)

    async def async_added_to_hass(self) -> None:
        """Follow the hub's events."""
        await super().async_added_to_hass()
        self.async_on_remove(self._hub.async_listen_events(self._event))

    @callback
    def _event(self, event: Event) -> None:
        if event.capability.channel != self._channel:
            return
        event_type = event_type_of(event)
        if event_type is None or event_type not in self.event_types:
            return
        self._trigger_event(
            event_type,
            {"rule": event.capability.rule, "source": event.source.value},
        )
        self.async_write_ha_state()
