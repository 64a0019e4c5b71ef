"""What each detection fires as: the event types of the event entity and device triggers.

A kind's start (and, for those with one, its end) has an event type of its own; the event
entity of a channel offers the types of the kinds known on it, and grows as kinds are found
(:meth:`~.state.DetectionState.event_types`). Here, without Home Assistant, so that the state
machine and the glue read one table (it moves here from ``hub.py``).
"""

from __future__ import annotations

from typing import Final

from .model import Event, EventKind

EVENT_TYPES: Final[dict[EventKind, tuple[str, str | None]]] = {
    EventKind.MOTION: ("motion_start", "motion_end"),
    EventKind.PERSON: ("person_detected", None),
    EventKind.VEHICLE: ("vehicle_detected", None),
    EventKind.ANIMAL: ("animal_detected", None),
    EventKind.FACE: ("face_detected", None),
    EventKind.LINE_CROSSING: ("line_crossed", None),
    EventKind.INTRUSION: ("intrusion_detected", None),
    EventKind.LOITERING: ("loitering_detected", None),
    EventKind.TAMPER: ("tamper_detected", None),
    EventKind.AUDIO: ("sound_detected", None),
    EventKind.DIGITAL_INPUT: ("digital_input_on", "digital_input_off"),
}


def event_type_of(event: Event) -> str | None:
    """Return the event type an event fires as (None for an end that has none)."""
    start, end = EVENT_TYPES[event.capability.kind]
    return start if event.active else end


def event_types_for(kinds: set[EventKind]) -> list[str]:
    """Return every event type the given kinds can fire, in a stable order."""
    types: list[str] = []
    for kind in EventKind:
        if kind in kinds:
            start, end = EVENT_TYPES[kind]
            types.append(start)
            if end is not None:
                types.append(end)
    return types
