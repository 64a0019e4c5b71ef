"""The ONVIF events service plug-in: event properties, PullPoint and push subscriptions.

The camera's ``EventHub`` holds the properties; this service makes ONVIF subscriptions of it. A
new subscription, and every SetSynchronizationPoint, receives the current state of every
property with PropertyOperation "Initialized"; a change afterwards is sent as "Changed". The
subscription managers live at ``/onvif/pullpoint/<id>`` and ``/onvif/subscription/<id>``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
import datetime as dt
from typing import TYPE_CHECKING, ClassVar, Final

from ...errors import FaultError
from ...soap import NS, Fault, invalid_arg, parse_duration, sub, xml_datetime
from .endpoint import OnvifService, Operation
from .subscriptions import CONCRETE_SET_DIALECT, Subscription, termination_time, write_message

if TYPE_CHECKING:
    from aiohttp import web
    from lxml import etree
    from lxml.etree import _Element

    from ...soap import SoapRequest
    from ...state import CameraState

EVENTS_PATH: Final = "/onvif/events_service"
PULLPOINT_PATH: Final = "/onvif/pullpoint/"
SUBSCRIPTION_PATH: Final = "/onvif/subscription/"
CONCRETE_DIALECT: Final = "http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete"
ITEM_FILTER_DIALECT: Final = "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter"
MAX_SUBSCRIPTIONS: Final = 32

type ManagerOperation = Callable[
    [CameraState, SoapRequest, _Element, Subscription], Awaitable[None]
]
"""An operation at a subscription manager address, given the live subscription."""


def write_event_capabilities(parent: etree._Element) -> None:
    """Fill a tev:Capabilities element."""
    parent.set("WSSubscriptionPolicySupport", "false")
    parent.set("WSPullPointSupport", "true")
    parent.set("WSPausableSubscriptionManagerInterfaceSupport", "false")
    parent.set("MaxNotificationProducers", str(MAX_SUBSCRIPTIONS))
    parent.set("MaxPullPoints", str(MAX_SUBSCRIPTIONS))
    parent.set("PersistentNotificationStorage", "false")


def _write_reference(
    body: etree._Element,
    operation: str,
    reference_prefix: str,
    subscription: Subscription,
    state: CameraState,
) -> None:
    """Answer a subscription request: its manager's address, the camera time, the end."""
    response = sub(body, f"{operation}Response")
    reference = sub(response, f"{reference_prefix}:SubscriptionReference")
    sub(reference, "wsa:Address", subscription.address)
    sub(response, "wsnt:CurrentTime", xml_datetime(state.now()))
    sub(response, "wsnt:TerminationTime", xml_datetime(subscription.termination))


class EventsService(OnvifService):
    """``onvif/events``: events ver10 and its subscription managers."""

    name: ClassVar[str] = "onvif/events"
    namespace: ClassVar[str] = NS["tev"]
    prefix: ClassVar[str] = "tev"
    path: ClassVar[str] = EVENTS_PATH

    def register(self, router: web.UrlDispatcher) -> None:
        """Serve the events service and both kinds of subscription manager."""
        super().register(router)
        router.add_post(PULLPOINT_PATH + "{sub_id}", self.handle_manager)
        router.add_post(SUBSCRIPTION_PATH + "{sub_id}", self.handle_manager)

    def operations(self) -> Mapping[tuple[str, str], Operation]:
        """Operations at the events service address."""
        return {
            (NS["tev"], "GetEventProperties"): self.get_event_properties,
            (NS["tev"], "GetServiceCapabilities"): self.get_service_capabilities,
            (NS["tev"], "CreatePullPointSubscription"): self.create_pull_point_subscription,
            (NS["wsnt"], "Subscribe"): self.subscribe,
        }

    def write_capabilities(self, parent: etree._Element) -> None:
        """tev:Capabilities."""
        write_event_capabilities(parent)

    async def handle_manager(self, request: web.Request) -> web.StreamResponse:
        """Answer one POST at a subscription manager address."""
        sub_id = request.match_info["sub_id"]
        operations: dict[tuple[str, str], ManagerOperation] = {
            (NS["wsnt"], "Renew"): self.renew,
            (NS["wsnt"], "Unsubscribe"): self.unsubscribe,
            (NS["tev"], "SetSynchronizationPoint"): self.set_synchronization_point,
        }
        if request.path.startswith(PULLPOINT_PATH):
            operations[(NS["tev"], "PullMessages")] = self.pull_messages

        def resolve(soap: SoapRequest) -> Operation | None:
            operation = operations.get((soap.namespace, soap.name))
            if operation is None:
                return None
            manager_operation = operation

            async def bound(state: CameraState, soap: SoapRequest, body: etree._Element) -> None:
                await manager_operation(state, soap, body, self.find(sub_id))

            return bound

        return await self.serve(request, resolve)

    # --- subscriptions --------------------------------------------------------------------

    def _subscriptions(self) -> dict[str, Subscription]:
        return {s.id: s for s in self.context.events.subscriptions if isinstance(s, Subscription)}

    def find(self, sub_id: str) -> Subscription:
        """Return the live subscription with this id, or raise a fault."""
        subscription = self._subscriptions().get(sub_id)
        if subscription is None:
            raise FaultError(
                Fault(
                    "env:Sender",
                    ("wsrf-rw:ResourceUnknownFault",),
                    "The subscription does not exist or has expired",
                )
            )
        return subscription

    def _create(self, termination_text: str | None, consumer: str | None) -> Subscription:
        if len(self._subscriptions()) >= MAX_SUBSCRIPTIONS:
            raise FaultError(
                Fault(
                    "env:Receiver",
                    ("ter:Action", "ter:TooManySubscriptions"),
                    "The maximum number of subscriptions is reached",
                )
            )
        state = self.state
        termination = termination_time(termination_text, state.now())
        subscription = Subscription(
            state,
            address="",
            producer=self.xaddr(),
            termination=termination,
            consumer=consumer,
        )
        prefix = SUBSCRIPTION_PATH if consumer else PULLPOINT_PATH
        subscription.address = state.url(prefix + subscription.id)
        self.context.events.add(subscription)
        for message in self.context.events.current():
            subscription.offer(message)
        return subscription

    # --- operations -----------------------------------------------------------------------

    async def get_event_properties(
        self, _state: CameraState, _request: SoapRequest, body: etree._Element
    ) -> None:
        """tev:GetEventProperties: the persona's topic set."""
        response = sub(body, "tev:GetEventPropertiesResponse")
        sub(
            response,
            "tev:TopicNamespaceLocation",
            "http://www.onvif.org/onvif/ver10/topics/topicns.xml",
        )
        sub(response, "wsnt:FixedTopicSet", "true")
        topic_set = sub(response, "wstop:TopicSet")
        for description in self.context.events.topics:
            parent = topic_set
            for segment in description.topic.removeprefix("tns1:").split("/"):
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
        self, _state: CameraState, _request: SoapRequest, body: etree._Element
    ) -> None:
        """tev:GetServiceCapabilities."""
        response = sub(body, "tev:GetServiceCapabilitiesResponse")
        write_event_capabilities(sub(response, "tev:Capabilities"))

    async def create_pull_point_subscription(
        self, state: CameraState, request: SoapRequest, body: etree._Element
    ) -> None:
        """tev:CreatePullPointSubscription."""
        subscription = self._create(request.child_text("InitialTerminationTime"), None)
        _write_reference(body, "tev:CreatePullPointSubscription", "tev", subscription, state)

    async def subscribe(
        self, state: CameraState, request: SoapRequest, body: etree._Element
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
        _write_reference(body, "wsnt:Subscribe", "wsnt", subscription, state)

    async def pull_messages(
        self,
        state: CameraState,
        request: SoapRequest,
        body: etree._Element,
        subscription: Subscription,
    ) -> None:
        """tev:PullMessages: long poll."""
        if not subscription.is_pullpoint:
            raise FaultError(invalid_arg("ter:InvalidArgs", "Not a PullPoint subscription"))
        timeout = parse_duration(request.child_text("Timeout") or "") or dt.timedelta(0)
        try:
            limit = int(request.child_text("MessageLimit") or "1")
        except ValueError:
            limit = 1
        messages = await subscription.pull(timeout, limit)
        response = sub(body, "tev:PullMessagesResponse")
        sub(response, "tev:CurrentTime", xml_datetime(state.now()))
        sub(response, "tev:TerminationTime", xml_datetime(subscription.termination))
        for message in messages:
            write_message(response, message, self.xaddr(), None)

    async def renew(
        self,
        state: CameraState,
        request: SoapRequest,
        body: etree._Element,
        subscription: Subscription,
    ) -> None:
        """wsnt:Renew (both subscription kinds)."""
        now = state.now()
        subscription.termination = termination_time(request.child_text("TerminationTime"), now)
        response = sub(body, "wsnt:RenewResponse")
        sub(response, "wsnt:TerminationTime", xml_datetime(subscription.termination))
        sub(response, "wsnt:CurrentTime", xml_datetime(now))

    async def unsubscribe(
        self,
        _state: CameraState,
        _request: SoapRequest,
        body: etree._Element,
        subscription: Subscription,
    ) -> None:
        """wsnt:Unsubscribe."""
        self.context.events.remove(subscription)
        sub(body, "wsnt:UnsubscribeResponse")

    async def set_synchronization_point(
        self,
        _state: CameraState,
        _request: SoapRequest,
        body: etree._Element,
        subscription: Subscription,
    ) -> None:
        """tev:SetSynchronizationPoint: re-send every property as Initialized."""
        for message in self.context.events.current():
            subscription.offer(message)
        sub(body, "tev:SetSynchronizationPointResponse")
