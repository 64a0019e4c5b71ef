"""The logbook platform: Homebound's own events in words (the firewall's gaps, above all)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback

from .isolation.logbook import Describe, async_describe_isolation_events


@callback
def async_describe_events(hass: HomeAssistant, async_describe_event: Describe) -> None:
    """Describe Homebound's events for the logbook."""
    async_describe_isolation_events(async_describe_event)
