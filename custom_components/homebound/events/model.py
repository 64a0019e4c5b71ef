"""The normalized event model every source reports in.

Cameras describe the same happening in many ways: ONVIF topics with ``IsMotion``, ``State`` or
``IsPeople`` items, Hikvision ``eventType``/``eventState`` XML, Dahua ``Code=…;action=…`` lines.
Sources translate them into :class:`Event`: what kind of thing happened, on which channel (and,
where the camera names one, which rule or region), and whether it started or ended — or, for a
happening without duration, that it just happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import datetime as dt
import enum


class EventKind(enum.StrEnum):
    """What a camera detected (one binary sensor kind each)."""

    MOTION = "motion"
    PERSON = "person"
    VEHICLE = "vehicle"
    ANIMAL = "animal"
    FACE = "face"
    LINE_CROSSING = "line_crossing"
    INTRUSION = "intrusion"
    LOITERING = "loitering"
    TAMPER = "tamper"
    AUDIO = "audio"
    DIGITAL_INPUT = "digital_input"


class SourceKind(enum.StrEnum):
    """Where events come from, best first."""

    HIKVISION = "hikvision_alert_stream"
    DAHUA = "dahua_event_stream"
    WEBHOOK = "onvif_webhook"
    PULLPOINT = "onvif_pullpoint"


@dataclass(frozen=True, slots=True)
class Capability:
    """One thing a camera can report: a kind on a channel, optionally for one rule/region.

    ``channel`` is the camera's own name for the video source or input (an ONVIF source token,
    a Hikvision channel id, a Dahua index); ``rule`` names a rule or region when the camera
    reports several of the same kind.
    """

    kind: EventKind
    channel: str = ""
    rule: str = ""

    @property
    def key(self) -> str:
        """Return a stable identifier for unique ids (``motion``, ``line_crossing_1_Gate``)."""
        parts = [self.kind.value]
        if self.channel:
            parts.append(self.channel)
        if self.rule:
            parts.append(self.rule)
        return "_".join(parts)


@dataclass(frozen=True, slots=True)
class Event:
    """One happening, as any source reports it."""

    capability: Capability
    active: bool
    """True: started (or happened); False: ended."""
    source: SourceKind
    time: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    topic: str = ""
    """What the camera called it (ONVIF topic, vendor event type), for diagnostics."""
    initial: bool = False
    """A state the camera reported on (re)subscription, not a change."""
    pulse: bool = False
    """A happening without duration (e.g. a line crossed): it has no "ended" of its own."""
