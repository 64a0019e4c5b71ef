"""ONVIF events of the virtual camera: properties, PullPoint and WS-BaseNotification.

Every triggered event is a property (a state with a source, such as "motion on video source
configuration vsc_main"). A new subscription, and every SetSynchronizationPoint, receives the
current state of every property with PropertyOperation "Initialized"; a change afterwards is sent
as "Changed". PullMessages is a real long poll: it returns as soon as a message is queued for the
subscription, or when its Timeout runs out. Push subscriptions (Subscribe) get wsnt:Notify POSTs
at their consumer address, in order, from one short-lived sender task per subscription.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
import datetime as dt
import logging
from typing import TYPE_CHECKING, Final
import uuid

import aiohttp

from .errors import FaultError
from .soap import (
    NS,
    SOAP_CONTENT_TYPE,
    Fault,
    invalid_arg,
    new_envelope,
    parse_datetime,
    parse_duration,
    serialize,
    sub,
    xml_datetime,
)

if TYPE_CHECKING:
    from lxml import etree

    from .camera import VirtualCamera
    from .soap import SoapRequest

_LOGGER = logging.getLogger(__name__)

CONCRETE_SET_DIALECT: Final = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
CONCRETE_DIALECT: Final = "http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete"
ITEM_FILTER_DIALECT: Final = "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter"
NOTIFY_ACTION: Final = "http://docs.oasis-open.org/wsn/bw-2/NotificationConsumer/Notify"
PULLPOINT_PATH: Final = "/onvif/pullpoint/"
SUBSCRIPTION_PATH: Final = "/onvif/subscription/"
DEFAULT_TERMINATION: Final = dt.timedelta(minutes=10)
MAX_TERMINATION: Final = dt.timedelta(days=1)
MAX_PULL_TIMEOUT: Final = dt.timedelta(minutes=10)
MAX_QUEUED_MESSAGES: Final = 1000
MAX_SUBSCRIPTIONS: Final = 32
NOTIFY_TIMEOUT: Final = 10.0


@dataclass(frozen=True, slots=True)
class TopicDescription:
    """A topic the camera declares in GetEventProperties, with its items and initial state."""

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


TOPICS: Final = (
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
_TOPICS_BY_NAME: Final = {description.topic: description for description in TOPICS}


def normalize_topic(topic: str) -> str:
    """``RuleEngine/X`` and ``tns1:RuleEngine/X/`` both become ``tns1:RuleEngine/X``."""
    topic = topic.strip().strip("/")
    if ":" not in topic.split("/", 1)[0]:
        topic = f"tns1:{topic}"
    return topic


@dataclass(frozen=True, slots=True)
class EventMessage:
    """One notification message."""

    topic: str
    source: tuple[tuple[str, str], ...]
    data: tuple[tuple[str, str], ...]
    utc_time: dt.datetime
    operation: str
    """PropertyOperation: Initialized, Changed or Deleted."""

    @property
    def key(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """Identity of the property this message is about."""
        return (self.topic, self.source)

    def write(
        self, parent: etree._Element, camera: VirtualCamera, subscription: Subscription | None
    ) -> None:
        """Append a wsnt:NotificationMessage for this message."""
        holder = sub(parent, "wsnt:NotificationMessage")
        if subscription is not None:
            reference = sub(holder, "wsnt:SubscriptionReference")
            sub(reference, "wsa:Address", subscription.address)
        sub(holder, "wsnt:Topic", self.topic, {"Dialect": CONCRETE_SET_DIALECT})
        producer = sub(holder, "wsnt:ProducerReference")
        sub(producer, "wsa:Address", camera.url("/onvif/events_service"))
        wrapper = sub(holder, "wsnt:Message")
        message = sub(
            wrapper,
            "tt:Message",
            attrib={"UtcTime": xml_datetime(self.utc_time), "PropertyOperation": self.operation},
        )
        for name, items in (("tt:Source", self.source), ("tt:Data", self.data)):
            if items or name == "tt:Data":
                element = sub(message, name)
                for key, value in items:
                    sub(element, "tt:SimpleItem", attrib={"Name": key, "Value": value})


@dataclass(eq=False)
class Subscription:
    """A PullPoint or a push (WS-BaseNotification) subscription."""

    id: str
    address: str
    termination: dt.datetime
    """Termination time on the camera clock."""
    consumer: str | None = None
    """Consumer address for push subscriptions; None for a PullPoint."""
    queue: deque[EventMessage] = field(default_factory=lambda: deque(maxlen=MAX_QUEUED_MESSAGES))
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    sender: asyncio.Task[None] | None = None

    @property
    def is_pullpoint(self) -> bool:
        """True for a PullPoint subscription."""
        return self.consumer is None


class EventBroker:
    """Properties, subscriptions and delivery of one camera's events."""

    def __init__(self, camera: VirtualCamera) -> None:
        """Start with every declared topic in its idle state."""
        self._camera = camera
        self._properties: dict[tuple[str, tuple[tuple[str, str], ...]], EventMessage] = {}
        self._subscriptions: dict[str, Subscription] = {}
        self._closed = False
        now = camera.now()
        for description in TOPICS:
            message = EventMessage(
                topic=description.topic,
                source=tuple(description.default_source.items()),
                data=tuple(description.initial_data.items()),
                utc_time=now,
                operation="Initialized",
            )
            self._properties[message.key] = message

    # --- state ----------------------------------------------------------------------------

    def trigger(self, topic: str, data: dict[str, str], source: dict[str, str] | None) -> None:
        """Change (or create) a property and deliver the message to every subscription."""
        topic = normalize_topic(topic)
        if source is None:
            description = _TOPICS_BY_NAME.get(topic)
            source = description.default_source if description else {}
        source_items = tuple((str(key), str(value)) for key, value in source.items())
        key = (topic, source_items)
        message = EventMessage(
            topic=topic,
            source=source_items,
            data=tuple((str(name), str(value)) for name, value in data.items()),
            utc_time=self._camera.now(),
            operation="Changed" if key in self._properties else "Initialized",
        )
        self._properties[key] = message
        self._purge_expired()
        for subscription in list(self._subscriptions.values()):
            self._enqueue(subscription, message)

    def _initialized_messages(self) -> list[EventMessage]:
        now = self._camera.now()
        return [
            EventMessage(m.topic, m.source, m.data, now, "Initialized")
            for m in self._properties.values()
        ]

    def _enqueue(self, subscription: Subscription, message: EventMessage) -> None:
        subscription.queue.append(message)
        subscription.wakeup.set()
        if subscription.is_pullpoint:
            return
        if subscription.sender is None or subscription.sender.done():
            subscription.sender = asyncio.get_running_loop().create_task(
                self._deliver(subscription), name=f"simulator-notify-{subscription.id}"
            )

    # --- subscriptions --------------------------------------------------------------------

    def _termination(self, text: str | None, now: dt.datetime) -> dt.datetime:
        if text is None or not text.strip():
            return now + DEFAULT_TERMINATION
        duration = parse_duration(text)
        if duration is not None:
            termination = now + duration
        else:
            absolute = parse_datetime(text)
            if absolute is None:
                raise FaultError(
                    Fault(
                        "env:Sender",
                        ("wsnt:UnacceptableInitialTerminationTimeFault",),
                        f"Cannot understand termination time {text!r}",
                    )
                )
            termination = absolute
        if termination <= now:
            raise FaultError(
                Fault(
                    "env:Sender",
                    ("wsnt:UnacceptableInitialTerminationTimeFault",),
                    "The termination time is in the past",
                )
            )
        return min(termination, now + MAX_TERMINATION)

    def _purge_expired(self) -> None:
        now = self._camera.now()
        for key, subscription in list(self._subscriptions.items()):
            if subscription.termination <= now:
                self._drop(key)

    def _drop(self, key: str) -> None:
        subscription = self._subscriptions.pop(key, None)
        if subscription is not None:
            subscription.wakeup.set()

    def _create(self, termination_text: str | None, consumer: str | None) -> Subscription:
        self._purge_expired()
        if len(self._subscriptions) >= MAX_SUBSCRIPTIONS:
            raise FaultError(
                Fault(
                    "env:Receiver",
                    ("ter:Action", "ter:TooManySubscriptions"),
                    "The maximum number of subscriptions is reached",
                )
            )
        now = self._camera.now()
        termination = self._termination(termination_text, now)
        sub_id = uuid.uuid4().hex
        path = (SUBSCRIPTION_PATH if consumer else PULLPOINT_PATH) + sub_id
        subscription = Subscription(
            id=sub_id, address=self._camera.url(path), termination=termination, consumer=consumer
        )
        self._subscriptions[sub_id] = subscription
        for message in self._initialized_messages():
            self._enqueue(subscription, message)
        return subscription

    def find(self, sub_id: str) -> Subscription:
        """Return the live subscription with this id, or raise a fault."""
        self._purge_expired()
        subscription = self._subscriptions.get(sub_id)
        if subscription is None:
            raise FaultError(
                Fault(
                    "env:Sender",
                    ("wsrf-rw:ResourceUnknownFault",),
                    "The subscription does not exist or has expired",
                )
            )
        return subscription

    @property
    def subscriptions(self) -> list[Subscription]:
        """Live subscriptions."""
        self._purge_expired()
        return list(self._subscriptions.values())

    # --- delivery -------------------------------------------------------------------------

    async def pull(
        self, subscription: Subscription, timeout: dt.timedelta, limit: int
    ) -> list[EventMessage]:
        """Wait until a message is queued (or the timeout ends) and take up to ``limit``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(timeout, MAX_PULL_TIMEOUT).total_seconds()
        while not subscription.queue and not self._closed and self._camera.online:
            if self._subscriptions.get(subscription.id) is not subscription:
                break
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            subscription.wakeup.clear()
            try:
                async with asyncio.timeout(remaining):
                    await subscription.wakeup.wait()
            except TimeoutError:
                break
        messages: list[EventMessage] = []
        while subscription.queue and len(messages) < max(limit, 1):
            messages.append(subscription.queue.popleft())
        return messages

    def notify_body(self, subscription: Subscription, messages: list[EventMessage]) -> bytes:
        """Build a wsnt:Notify envelope for a push subscription."""
        envelope, header, body = new_envelope()
        sub(header, "wsa:Action", NOTIFY_ACTION)
        sub(header, "wsa:MessageID", f"urn:uuid:{uuid.uuid4()}")
        sub(header, "wsa:To", subscription.consumer or "")
        notify = sub(body, "wsnt:Notify")
        for message in messages:
            message.write(notify, self._camera, subscription)
        return serialize(envelope)

    async def _deliver(self, subscription: Subscription) -> None:
        """POST queued messages to the consumer, one Notify per message, in order."""
        session = self._camera.http_session
        while subscription.queue and not self._closed:
            message = subscription.queue.popleft()
            if (
                session is None
                or not self._camera.online
                or self._subscriptions.get(subscription.id) is not subscription
            ):
                continue
            payload = self.notify_body(subscription, [message])
            try:
                async with session.post(
                    subscription.consumer or "",
                    data=payload,
                    headers={"Content-Type": f"{SOAP_CONTENT_TYPE}; charset=utf-8"},
                    timeout=aiohttp.ClientTimeout(total=NOTIFY_TIMEOUT),
                ) as response:
                    await response.read()
                    if response.status >= 300:
                        _LOGGER.debug(
                            "%s: consumer answered Notify with HTTP %s",
                            self._camera.config.name,
                            response.status,
                        )
            except (aiohttp.ClientError, TimeoutError) as err:
                _LOGGER.debug(
                    "%s: could not deliver Notify to %s: %s",
                    self._camera.config.name,
                    subscription.consumer,
                    err,
                )

    def wake_all(self) -> None:
        """Release every waiting PullMessages (used when the camera goes offline)."""
        for subscription in self._subscriptions.values():
            subscription.wakeup.set()

    async def close(self) -> None:
        """Release waiters and stop deliveries."""
        self._closed = True
        senders = [s.sender for s in self._subscriptions.values() if s.sender is not None]
        for subscription in self._subscriptions.values():
            subscription.wakeup.set()
        for sender in senders:
            sender.cancel()
        if senders:
            await asyncio.gather(*senders, return_exceptions=True)
        self._subscriptions.clear()

    # --- SOAP operations ------------------------------------------------------------------

    async def get_event_properties(
        self, _camera: VirtualCamera, _request: SoapRequest, body: etree._Element
    ) -> None:
        """tev:GetEventProperties: the declared topic set."""
        response = sub(body, "tev:GetEventPropertiesResponse")
        sub(
            response,
            "tev:TopicNamespaceLocation",
            "http://www.onvif.org/onvif/ver10/topics/topicns.xml",
        )
        sub(response, "wsnt:FixedTopicSet", "true")
        topic_set = sub(response, "wstop:TopicSet")
        for description in TOPICS:
            parent = topic_set
            segments = description.topic.removeprefix("tns1:").split("/")
            for segment in segments:
                found = parent.find(f"tns1:{segment}", namespaces=NS)
                parent = found if found is not None else sub(parent, f"tns1:{segment}")
            parent.set(f"{{{NS['wstop']}}}topic", "true")
            message = sub(parent, "tt:MessageDescription", attrib={"IsProperty": "true"})
            for name, items in (("tt:Source", description.source), ("tt:Data", description.data)):
                holder = sub(message, name)
                for item_name, item_type, _value in items:
                    sub(
                        holder,
                        "tt:SimpleItemDescription",
                        attrib={"Name": item_name, "Type": item_type},
                    )
        sub(response, "wsnt:TopicExpressionDialect", CONCRETE_SET_DIALECT)
        sub(response, "wsnt:TopicExpressionDialect", CONCRETE_DIALECT)
        sub(response, "tev:MessageContentFilterDialect", ITEM_FILTER_DIALECT)
        sub(
            response,
            "tev:MessageContentSchemaLocation",
            "http://www.onvif.org/onvif/ver10/schema/onvif.xsd",
        )

    async def get_service_capabilities(
        self, _camera: VirtualCamera, _request: SoapRequest, body: etree._Element
    ) -> None:
        """tev:GetServiceCapabilities."""
        response = sub(body, "tev:GetServiceCapabilitiesResponse")
        write_event_capabilities(sub(response, "tev:Capabilities"))

    async def create_pull_point_subscription(
        self, camera: VirtualCamera, request: SoapRequest, body: etree._Element
    ) -> None:
        """tev:CreatePullPointSubscription."""
        subscription = self._create(request.child_text("InitialTerminationTime"), None)
        response = sub(body, "tev:CreatePullPointSubscriptionResponse")
        reference = sub(response, "tev:SubscriptionReference")
        sub(reference, "wsa:Address", subscription.address)
        sub(response, "wsnt:CurrentTime", xml_datetime(camera.now()))
        sub(response, "wsnt:TerminationTime", xml_datetime(subscription.termination))

    async def subscribe(
        self, camera: VirtualCamera, request: SoapRequest, body: etree._Element
    ) -> None:
        """wsnt:Subscribe (push notifications to the consumer address)."""
        consumer = request.findtext("wsnt:ConsumerReference/wsa:Address")
        if not consumer or not consumer.startswith(("http://", "https://")):
            raise FaultError(
                Fault(
                    "env:Sender",
                    ("wsnt:SubscribeCreationFailedFault",),
                    "ConsumerReference must hold an http(s) address",
                )
            )
        subscription = self._create(request.child_text("InitialTerminationTime"), consumer)
        response = sub(body, "wsnt:SubscribeResponse")
        reference = sub(response, "wsnt:SubscriptionReference")
        sub(reference, "wsa:Address", subscription.address)
        sub(response, "wsnt:CurrentTime", xml_datetime(camera.now()))
        sub(response, "wsnt:TerminationTime", xml_datetime(subscription.termination))

    async def pull_messages(
        self, camera: VirtualCamera, request: SoapRequest, body: etree._Element, sub_id: str
    ) -> None:
        """tev:PullMessages: long poll."""
        subscription = self.find(sub_id)
        if not subscription.is_pullpoint:
            raise FaultError(invalid_arg("ter:InvalidArgs", "Not a PullPoint subscription"))
        timeout = parse_duration(request.child_text("Timeout") or "") or dt.timedelta(0)
        try:
            limit = int(request.child_text("MessageLimit") or "1")
        except ValueError:
            limit = 1
        messages = await self.pull(subscription, timeout, limit)
        response = sub(body, "tev:PullMessagesResponse")
        sub(response, "tev:CurrentTime", xml_datetime(camera.now()))
        sub(response, "tev:TerminationTime", xml_datetime(subscription.termination))
        for message in messages:
            message.write(response, camera, None)

    async def renew(
        self, camera: VirtualCamera, request: SoapRequest, body: etree._Element, sub_id: str
    ) -> None:
        """wsnt:Renew (both subscription kinds)."""
        subscription = self.find(sub_id)
        now = camera.now()
        subscription.termination = self._termination(request.child_text("TerminationTime"), now)
        response = sub(body, "wsnt:RenewResponse")
        sub(response, "wsnt:TerminationTime", xml_datetime(subscription.termination))
        sub(response, "wsnt:CurrentTime", xml_datetime(now))

    async def unsubscribe(
        self, _camera: VirtualCamera, request: SoapRequest, body: etree._Element, sub_id: str
    ) -> None:
        """wsnt:Unsubscribe."""
        self.find(sub_id)
        self._drop(sub_id)
        sub(body, "wsnt:UnsubscribeResponse")

    async def set_synchronization_point(
        self, _camera: VirtualCamera, request: SoapRequest, body: etree._Element, sub_id: str
    ) -> None:
        """tev:SetSynchronizationPoint: re-send every property as Initialized."""
        subscription = self.find(sub_id)
        for message in self._initialized_messages():
            self._enqueue(subscription, message)
        sub(body, "tev:SetSynchronizationPointResponse")


def write_event_capabilities(parent: etree._Element) -> None:
    """Fill a tev:Capabilities element."""
    parent.set("WSSubscriptionPolicySupport", "false")
    parent.set("WSPullPointSupport", "true")
    parent.set("WSPausableSubscriptionManagerInterfaceSupport", "false")
    parent.set("MaxNotificationProducers", str(MAX_SUBSCRIPTIONS))
    parent.set("MaxPullPoints", str(MAX_SUBSCRIPTIONS))
    parent.set("PersistentNotificationStorage", "false")
