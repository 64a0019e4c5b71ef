"""From what a camera sent to :class:`Event`: ONVIF messages and vendor parts alike.

The readers also name channels. A camera with one video source reports it under some token
(``vs_main``, ``VideoSourceToken``, channel ``1``, index ``0``); its sensors are the camera's
own, so the channel is left out. A camera with several (an NVR, a multi-sensor camera) keeps
them apart: ONVIF tokens become their position among the camera's video sources, vendor
channel numbers are counted from 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from .model import Capability, Event, EventKind, SourceKind
from .onvif_messages import OnvifMessage
from .onvif_topics import Reading, classify, classify_with_onvif_parsers
from .source import SourceStats

MAX_CHANNEL: Final = 4096
"""Highest channel number taken from a camera (NVRs have up to a few hundred)."""


def channel_number(text: str) -> int | None:
    """Read a channel number a camera wrote; None for anything but a plain decimal number.

    ``str.isdigit`` is not enough: it says yes to ``²`` and other digits ``int`` refuses.
    """
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return None
    number = int(text)
    return number if number <= MAX_CHANNEL else None


@dataclass(frozen=True, slots=True)
class Channels:
    """How one camera's channels are named (see the module docstring)."""

    video_sources: tuple[str, ...] = ()
    """ONVIF video source tokens, in the camera's order."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Other tokens (video source configurations) -> the video source they belong to."""

    @property
    def single(self) -> bool:
        """Whether the camera has at most one video source."""
        return len(self.video_sources) <= 1

    def onvif(self, token: str) -> str:
        """Return the channel name of an ONVIF token."""
        if self.single or not token:
            return ""
        source = self.aliases.get(token, token)
        if source in self.video_sources:
            return str(self.video_sources.index(source) + 1)
        return token

    def numbered(self, number: int, *, zero_based: bool = False) -> str:
        """Return the channel name of a vendor channel number."""
        if self.single:
            return ""
        return str(number + 1 if zero_based else number)


def events_of(
    reading: Reading,
    message: OnvifMessage,
    channels: Channels,
    source: SourceKind,
) -> list[Event]:
    """Return the events one classified ONVIF message reports."""
    channel = channels.onvif(reading.channel_token)
    initial = message.operation.lower() == "initialized"
    return [
        Event(
            capability=Capability(kind, channel, reading.rule),
            active=state,
            source=source,
            topic=message.topic,
            initial=initial,
            pulse=reading.pulse,
            **({"time": message.time} if message.time is not None else {}),
        )
        for kind, state in reading.states
    ]


async def read_onvif(
    messages: Sequence[OnvifMessage], channels: Channels, source: SourceKind, stats: SourceStats
) -> list[Event]:
    """Classify ONVIF messages (our table first, onvif-parsers for the rest) into events."""
    events: list[Event] = []
    for message in messages:
        if message.operation.lower() == "deleted":
            stats.note_topic(message.topic, known=True)
            continue
        reading = classify(message)
        if reading is None:
            reading = await classify_with_onvif_parsers(message)
        stats.note_topic(message.topic, known=reading is not None)
        if reading is not None:
            events.extend(events_of(reading, message, channels, source))
    return events


def vendor_event(
    kind: EventKind | None,
    active: bool,
    channel: str,
    region: str,
    topic: str,
    source: SourceKind,
    stats: SourceStats,
    *,
    pulse: bool = False,
) -> Event | None:
    """One vendor stream event (None, counted as ignored, for an unknown event type)."""
    stats.note_topic(topic, known=kind is not None)
    if kind is None:
        return None
    return Event(
        capability=Capability(kind, channel, region),
        active=active,
        source=source,
        topic=topic,
        pulse=pulse,
    )
