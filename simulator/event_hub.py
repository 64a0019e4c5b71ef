"""The camera's events, before any protocol: properties, and the subscribers they go to.

Every triggered event is a property (a state with a source, such as "motion on video source
configuration vsc_main"). The hub keeps each property's latest message and hands every change to
every live subscriber (an ONVIF PullPoint or push subscription). Topics are ONVIF topic names;
a persona declares the topics it has.

Detections (``detections.Detection``: "motion started on channel 1") come in through
``detect``: the hub renders each as ONVIF property changes on the persona's topics and hands
the detection itself to every listener (a Hikvision or Dahua event stream connection), which
renders it its own way. The hub also keeps which detections are ongoing, for streams that
repeat them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
import datetime as dt
from typing import TYPE_CHECKING, Final, Protocol

from .detections import ONVIF_RENDERINGS, Detection, Kind, OnvifRendering, onvif_messages
from .quirks import Quirk

if TYPE_CHECKING:
    from .detections import DetectionListener
    from .state import CameraState

type Items = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class TopicDescription:
    """A topic the camera declares (GetEventProperties), with its items and initial state."""

    topic: str
    source: tuple[tuple[str, str, str], ...]
    """(name, xs type, initial value) of each Source SimpleItem."""
    data: tuple[tuple[str, str, str], ...]
    """(name, xs type, initial value) of each Data SimpleItem."""

    @property
    def default_source(self) -> dict[str, str]:
        """Source items with their default values."""
        return {name: value for name, _type, value in self.source}

    @property
    def initial_data(self) -> dict[str, str]:
        """Data items in their idle state."""
        return {name: value for name, _type, value in self.data}


GENERIC_TOPICS: Final = (
    TopicDescription(
        "tns1:VideoSource/MotionAlarm",
        (("Source", "tt:ReferenceToken", "vs_main"),),
        (("State", "xs:boolean", "false"),),
    ),
    TopicDescription(
        "tns1:RuleEngine/CellMotionDetector/Motion",
        (
            ("VideoSourceConfigurationToken", "tt:ReferenceToken", "vsc_main"),
            ("VideoAnalyticsConfigurationToken", "tt:ReferenceToken", "vac_main"),
            ("Rule", "xs:string", "MyMotionDetectorRule"),
        ),
        (("IsMotion", "xs:boolean", "false"),),
    ),
    TopicDescription(
        "tns1:RuleEngine/TamperDetector/Tamper",
        (
            ("VideoSourceConfigurationToken", "tt:ReferenceToken", "vsc_main"),
            ("VideoAnalyticsConfigurationToken", "tt:ReferenceToken", "vac_main"),
            ("Rule", "xs:string", "MyTamperDetectorRule"),
        ),
        (("IsTamper", "xs:boolean", "false"),),
    ),
)


def normalize_topic(topic: str) -> str:
    """``RuleEngine/X`` and ``tns1:RuleEngine/X/`` both become ``tns1:RuleEngine/X``."""
    topic = topic.strip().strip("/")
    if ":" not in topic.split("/", 1)[0]:
        topic = f"tns1:{topic}"
    return topic


@dataclass(frozen=True, slots=True)
class EventMessage:
    """One change of one property."""

    topic: str
    source: Items
    data: Items
    utc_time: dt.datetime
    operation: str
    """PropertyOperation: Initialized, Changed or Deleted."""

    @property
    def key(self) -> tuple[str, Items]:
        """Identity of the property this message is about."""
        return (self.topic, self.source)


class Subscriber(Protocol):
    """What the hub delivers to; each service keeps its own kind."""

    def expired(self) -> bool:
        """Whether the subscriber has run out (the hub then drops it)."""

    def offer(self, message: EventMessage) -> None:
        """Take one message (queue it, or start sending it)."""

    def drop(self) -> None:
        """Stop: release waiters, stop sending. Called once, by the hub."""

    async def finished(self) -> None:
        """Return once the subscriber's background work (if any) has ended after drop()."""


class EventHub:
    """Properties and subscribers of one camera's events (``VirtualCamera.events``)."""

    def __init__(
        self,
        state: CameraState,
        topics: tuple[TopicDescription, ...],
        renderings: Mapping[Kind, OnvifRendering] = ONVIF_RENDERINGS,
    ) -> None:
        """Start with every declared topic in its idle state and nothing ongoing."""
        self._state = state
        self.topics = topics
        self.renderings = renderings
        self._by_name = {description.topic: description for description in topics}
        self._properties: dict[tuple[str, Items], EventMessage] = {}
        self._subscribers: list[Subscriber] = []
        self._listeners: list[DetectionListener] = []
        self.ongoing: dict[tuple[Kind, int, str | None], Detection] = {}
        """Detections started and not ended, by ``Detection.key`` (pulses never are)."""
        self._initialize()

    def _initialize(self) -> None:
        now = self._state.now()
        self._properties = {}
        for description in self.topics:
            message = EventMessage(
                topic=description.topic,
                source=tuple(description.default_source.items()),
                data=tuple(description.initial_data.items()),
                utc_time=now,
                operation="Initialized",
            )
            self._properties[message.key] = message

    # --- properties -----------------------------------------------------------------------

    def trigger(
        self,
        topic: str,
        data: dict[str, str],
        source: dict[str, str] | None = None,
        *,
        deliver: bool = True,
    ) -> EventMessage:
        """Change (or create) a property and offer the message to every live subscriber.

        ``source`` defaults to the declared source items of a known topic. Without
        ``deliver`` the property changes silently (a camera that fails to say so).
        """
        topic = normalize_topic(topic)
        if source is None:
            description = self._by_name.get(topic)
            source = description.default_source if description else {}
        source_items = tuple((str(key), str(value)) for key, value in source.items())
        key = (topic, source_items)
        message = EventMessage(
            topic=topic,
            source=source_items,
            data=tuple((str(name), str(value)) for name, value in data.items()),
            utc_time=self._state.now(),
            operation="Changed" if key in self._properties else "Initialized",
        )
        self._properties[key] = message
        if deliver:
            for subscriber in self.subscriptions:
                subscriber.offer(message)
        return message

    def detect(self, detection: Detection) -> None:
        """Say ``detection`` on every source: ONVIF properties, and every stream listener.

        With DROPS_OFF_MESSAGES an end is recorded (the camera knows) but sent nowhere.
        """
        if not detection.active:
            self.ongoing.pop(detection.key, None)
        elif not detection.pulse:
            self.ongoing[detection.key] = detection
        deliver = detection.active or Quirk.DROPS_OFF_MESSAGES not in self._state.quirks
        rendering = self.renderings.get(detection.kind)
        if rendering is not None:
            for topic, data, source in onvif_messages(rendering, detection):
                self.trigger(topic, data, source, deliver=deliver)
        if deliver:
            for listener in list(self._listeners):
                listener.detected(detection)

    def current(self) -> list[EventMessage]:
        """Every property's state as an Initialized message (new subscribers, sync points)."""
        now = self._state.now()
        return [
            EventMessage(m.topic, m.source, m.data, now, "Initialized")
            for m in self._properties.values()
        ]

    # --- subscribers ----------------------------------------------------------------------

    def listen(self, listener: DetectionListener) -> None:
        """Hand every detection to ``listener`` from now on (a vendor stream connection)."""
        self._listeners.append(listener)
        self._state.wake()

    @property
    def listeners(self) -> list[DetectionListener]:
        """The vendor stream connections open now."""
        return list(self._listeners)

    def unlisten(self, listener: DetectionListener) -> None:
        """Stop handing detections to ``listener`` (it is not dropped)."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def add(self, subscriber: Subscriber) -> None:
        """Deliver to ``subscriber`` from now on."""
        self._subscribers.append(subscriber)

    def remove(self, subscriber: Subscriber) -> None:
        """Stop delivering to ``subscriber`` and drop it."""
        if subscriber in self._subscribers:
            self._subscribers.remove(subscriber)
            subscriber.drop()

    @property
    def subscriptions(self) -> list[Subscriber]:
        """Live subscribers (expired ones are dropped on the way)."""
        for subscriber in [s for s in self._subscribers if s.expired()]:
            self.remove(subscriber)
        return list(self._subscribers)

    async def reset(self) -> None:
        """Drop every subscriber and listener; every property idle, nothing ongoing (a reboot)."""
        subscribers, self._subscribers = self._subscribers, []
        listeners, self._listeners = self._listeners, []
        self.ongoing = {}
        for listener in listeners:
            listener.drop()
        for subscriber in subscribers:
            subscriber.drop()
        await asyncio.gather(*(s.finished() for s in subscribers), return_exceptions=True)
        self._initialize()
