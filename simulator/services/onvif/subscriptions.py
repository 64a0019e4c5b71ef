"""ONVIF event subscriptions: PullPoint (a long-polled queue) and push (WS-BaseNotification).

A PullMessages is a real long poll: it returns as soon as a message is queued, when its Timeout
runs out, when the subscription ends, or when the camera drops its connections. A push
subscription POSTs one wsnt:Notify per message to its consumer, in order, from one short-lived
sender task.

Two firmware habits are switchable: IGNORES_PULL_TIMEOUT answers every PullMessages at once,
NEVER_PUSHES accepts Subscribe but never POSTs a Notify; BODIES_IN_PIECES sends each Notify
in small pieces with pauses.
"""

from __future__ import annotations

import asyncio
from collections import deque
import contextlib
import datetime as dt
import logging
from typing import TYPE_CHECKING, Final
import uuid

import aiohttp

from ...errors import FaultError
from ...quirks import Quirk
from ...soap import (
    SOAP_CONTENT_TYPE,
    Fault,
    new_envelope,
    parse_datetime,
    parse_duration,
    serialize,
    sub,
    xml_datetime,
)
from .. import pieces

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from lxml import etree

    from ...event_hub import EventMessage
    from ...state import CameraState

_LOGGER = logging.getLogger(__name__)

CONCRETE_SET_DIALECT: Final = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
NOTIFY_ACTION: Final = "http://docs.oasis-open.org/wsn/bw-2/NotificationConsumer/Notify"
DEFAULT_TERMINATION: Final = dt.timedelta(minutes=10)
MAX_TERMINATION: Final = dt.timedelta(days=1)
MAX_PULL_TIMEOUT: Final = dt.timedelta(minutes=10)
MAX_QUEUED_MESSAGES: Final = 1000
NOTIFY_TIMEOUT: Final = 10.0


def _termination_fault(reason: str) -> FaultError:
    return FaultError(
        Fault("env:Sender", ("wsnt:UnacceptableInitialTerminationTimeFault",), reason)
    )


def termination_time(text: str | None, now: dt.datetime) -> dt.datetime:
    """Turn an (Initial)TerminationTime, a duration or a dateTime, into a camera-clock time."""
    if text is None or not text.strip():
        return now + DEFAULT_TERMINATION
    duration = parse_duration(text)
    if duration is not None:
        termination = now + duration
    else:
        absolute = parse_datetime(text)
        if absolute is None:
            raise _termination_fault(f"Cannot understand termination time {text!r}")
        termination = absolute
    if termination <= now:
        raise _termination_fault("The termination time is in the past")
    return min(termination, now + MAX_TERMINATION)


def write_message(
    parent: etree._Element,
    message: EventMessage,
    producer: str,
    subscription: str | None,
) -> None:
    """Append a wsnt:NotificationMessage (with a SubscriptionReference for push)."""
    holder = sub(parent, "wsnt:NotificationMessage")
    if subscription is not None:
        reference = sub(holder, "wsnt:SubscriptionReference")
        sub(reference, "wsa:Address", subscription)
    sub(holder, "wsnt:Topic", message.topic, {"Dialect": CONCRETE_SET_DIALECT})
    sub(sub(holder, "wsnt:ProducerReference"), "wsa:Address", producer)
    wrapper = sub(holder, "wsnt:Message")
    element = sub(
        wrapper,
        "tt:Message",
        attrib={"UtcTime": xml_datetime(message.utc_time), "PropertyOperation": message.operation},
    )
    for name, items in (("tt:Source", message.source), ("tt:Data", message.data)):
        if items or name == "tt:Data":
            holder_items = sub(element, name)
            for key, value in items:
                sub(holder_items, "tt:SimpleItem", attrib={"Name": key, "Value": value})


class Subscription:
    """A PullPoint (``consumer`` None) or a push subscription; an ``EventHub`` subscriber."""

    def __init__(
        self,
        state: CameraState,
        *,
        address: str,
        producer: str,
        termination: dt.datetime,
        consumer: str | None,
        sub_id: str | None = None,
    ) -> None:
        """Make a live subscription; the hub offers it messages once it is added."""
        self.id = sub_id or uuid.uuid4().hex
        self.address = address
        self.producer = producer
        self.termination = termination
        """Termination time on the camera clock."""
        self.consumer = consumer
        self.queue: deque[EventMessage] = deque(maxlen=MAX_QUEUED_MESSAGES)
        self.wakeup = asyncio.Event()
        self.dropped = False
        self._state = state
        self._sender: asyncio.Task[None] | None = None

    @property
    def is_pullpoint(self) -> bool:
        """True for a PullPoint subscription."""
        return self.consumer is None

    # --- Subscriber -----------------------------------------------------------------------

    def expired(self) -> bool:
        """Past its termination time on the camera clock."""
        return self.termination <= self._state.now()

    def offer(self, message: EventMessage) -> None:
        """Queue the message; a push subscription starts sending if it is not already."""
        if self.dropped:
            return
        if not self.is_pullpoint and Quirk.NEVER_PUSHES in self._state.quirks:
            return
        self.queue.append(message)
        self.wakeup.set()
        if self.is_pullpoint:
            return
        if self._sender is None or self._sender.done():
            self._sender = asyncio.get_running_loop().create_task(
                self._deliver(), name=f"simulator-notify-{self.id}"
            )

    def drop(self) -> None:
        """End: wake a waiting pull, cancel a delivery in flight."""
        self.dropped = True
        self.queue.clear()
        self.wakeup.set()
        if self._sender is not None:
            self._sender.cancel()

    async def finished(self) -> None:
        """Wait for a cancelled delivery to end."""
        if self._sender is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender

    # --- PullPoint ------------------------------------------------------------------------

    async def pull(self, timeout: dt.timedelta, limit: int) -> list[EventMessage]:
        """Wait until a message is queued (or the wait ends otherwise); take up to ``limit``."""
        state = self._state
        generation = state.generation
        loop = asyncio.get_running_loop()
        wait = min(timeout, MAX_PULL_TIMEOUT).total_seconds()
        if Quirk.IGNORES_PULL_TIMEOUT in state.quirks:
            wait = 0.0
        deadline = loop.time() + wait
        with state.watch(self.wakeup):
            while not self.queue and not self.dropped and state.generation == generation:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                self.wakeup.clear()
                try:
                    async with asyncio.timeout(remaining):
                        await self.wakeup.wait()
                except TimeoutError:
                    break
        messages: list[EventMessage] = []
        while self.queue and len(messages) < max(limit, 1):
            messages.append(self.queue.popleft())
        return messages

    # --- push -----------------------------------------------------------------------------

    def notify_body(self, messages: list[EventMessage]) -> bytes:
        """Build the wsnt:Notify envelope of these messages."""
        envelope, header, body = new_envelope()
        sub(header, "wsa:Action", NOTIFY_ACTION)
        sub(header, "wsa:MessageID", f"urn:uuid:{uuid.uuid4()}")
        sub(header, "wsa:To", self.consumer or "")
        notify = sub(body, "wsnt:Notify")
        for message in messages:
            write_message(notify, message, self.producer, self.address)
        return serialize(envelope)

    async def _deliver(self) -> None:
        """POST queued messages to the consumer, one Notify per message, in order."""
        state = self._state
        while self.queue and not self.dropped:
            message = self.queue.popleft()
            session = state.http_session
            if session is None or not state.online:
                continue
            body = self.notify_body([message])
            headers = {"Content-Type": f"{SOAP_CONTENT_TYPE}; charset=utf-8"}
            data: bytes | AsyncIterator[bytes] = body
            if pieces.in_pieces(state):
                # The whole length up front, the body in pieces: how a slow camera sends it.
                headers["Content-Length"] = str(len(body))
                data = pieces.pieces(body)
            try:
                async with session.post(
                    self.consumer or "",
                    data=data,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=NOTIFY_TIMEOUT),
                ) as response:
                    await response.read()
                    if response.status >= 300:
                        _LOGGER.debug(
                            "%s: consumer answered Notify with HTTP %s",
                            state.config.name,
                            response.status,
                        )
            except (aiohttp.ClientError, TimeoutError) as err:
                _LOGGER.debug(
                    "%s: could not deliver Notify to %s: %s", state.config.name, self.consumer, err
                )
