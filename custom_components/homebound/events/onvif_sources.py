"""ONVIF event sources: PullPoint (long-poll) and WS-BaseNotification push to a webhook.

Both talk to the camera through onvif-zeep-async's service clients (built by the device
client, so they share its session, clock offset and error boundary). onvif-zeep-async's
``PullPointManager``/``NotificationManager`` are not used: they renew on a fixed schedule but
leave the pulling to the caller (Home Assistant adds 0.75 s between pulls and 60 s after an
error), restart every 40 s without backoff, and their Notify parsing drops CurrentTime and
TerminationTime. Here a pull follows the previous answer at once, a camera that ignores the
long-poll timeout is held to one pull a second, renewals run beside the pulls, a lost
subscription is made again with doubling delays, and stopping unsubscribes — cameras have few
subscription slots, and subscriptions left behind fill them (home-assistant/core#91485).

At rest only what is needed is sent: a long poll a minute (as Home Assistant's own), a renewal
at 80 % of each subscription's life, and for push a SetSynchronizationPoint only at a renewal
that no push preceded — a push, any push, already proves the path. Subscriptions are asked for
fifteen minutes (Home Assistant's own: ten, renewed every eight), so that the renewals and the
synchronization point together cost no more than its renewals alone: at rest, three requests
every 24 minutes against its three (see :data:`SUBSCRIPTION_SECONDS`).
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
import datetime as dt
import logging
from typing import TYPE_CHECKING, Any, Final

from ..device import CameraError
from .model import Event, SourceKind
from .onvif_messages import from_pull_result, parse_notify
from .readers import Channels, read_onvif
from .source import Backoff, EventSink, EventSource, SourceUnavailable
from .xml import UnsafeXmlError

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..device import OnvifClient

_LOGGER = logging.getLogger(__name__)

SUBSCRIPTION_SECONDS: Final = 900
"""Lifetime asked for each subscription (in seconds: some cameras misread minutes).

Fifteen minutes, renewed at twelve: with the push path proved at every other renewal that
no push preceded, a camera at rest is asked two Renews and one SetSynchronizationPoint per 24
minutes — what Home Assistant's onvif integration asks in Renews alone (every 8 minutes) —
and a push path that stopped shows within two renewals (about 24 minutes). A camera that
grants less is renewed sooner (:func:`lifetime`); a subscription Home Assistant could not
end (a crash) holds the camera's slot five minutes longer than at ten.
"""
RENEW_AT: Final = 0.8
"""Share of the lifetime after which a subscription is renewed (as onvif-zeep-async does)."""
MIN_LIFETIME: Final = 60.0
POLL_SECONDS: Final = 60
"""PullMessages long-poll timeout (Home Assistant's onvif integration asks the same)."""
MIN_PULL_INTERVAL: Final = 1.0
"""An empty answer faster than this means the camera ignores Timeout: the next pull waits."""
MESSAGE_LIMIT: Final = 100
WEBHOOK_FIRST_DELIVERY: Final = 15.0
"""Seconds after Subscribe (and each synchronization point) within which a push must arrive."""


def _address(result: Any) -> str:
    reference = getattr(result, "SubscriptionReference", None)
    address = getattr(getattr(reference, "Address", None), "_value_1", None)
    if not address:
        raise SourceUnavailable("the camera answered the subscription without an address")
    return str(address).strip()


def lifetime(result: Any) -> float:
    """Return the seconds the camera gives a subscription (what it says, or what was asked)."""
    current = getattr(result, "CurrentTime", None)
    termination = getattr(result, "TerminationTime", None)
    seconds = float(SUBSCRIPTION_SECONDS)
    if isinstance(current, dt.datetime) and isinstance(termination, dt.datetime):
        try:
            seconds = (termination - current).total_seconds()
        except TypeError:  # one naive, one aware
            seconds = float(SUBSCRIPTION_SECONDS)
    return max(seconds, MIN_LIFETIME)


class _OnvifSource(EventSource):
    """What both ONVIF sources share: subscribing, renewal and unsubscribing."""

    refused: str
    """What a refused subscription is called in the failure (for diagnostics)."""

    def __init__(self, sink: EventSink, client: OnvifClient, channels: Channels) -> None:
        super().__init__(sink)
        self._client = client
        self._channels = channels
        self._manager: Any = None
        self._lifetime = float(SUBSCRIPTION_SECONDS)
        self._backoff = Backoff()
        self._subscribed = asyncio.Event()

    async def _open(self) -> None:
        # The plan (plan.py) offers ONVIF sources only for a camera with an event service.
        try:
            await self._subscribe()
        except CameraError as err:
            raise SourceUnavailable(f"{self.refused} refused: {err}") from err
        self._spawn(self._renewals, "renewals")

    async def _subscribe(self) -> None:
        raise NotImplementedError

    def _subscription_lost(self) -> None:
        """Forget a subscription the camera lost (it rebooted) or refused to keep."""
        self._manager = None
        self._subscribed.clear()

    async def _renewals(self) -> None:
        """Renew each subscription before it runs out; a failed renewal means start over."""
        while True:
            await self._subscribed.wait()
            await asyncio.sleep(self._lifetime * RENEW_AT)
            manager = self._manager
            if manager is None:
                continue
            try:
                result = await self._client.call(
                    manager.Renew({"TerminationTime": f"PT{SUBSCRIPTION_SECONDS}S"})
                )
            except CameraError:
                self._subscription_lost()
                self._trouble()
                continue
            self._lifetime = lifetime(result)
            await self._renewed()

    async def _renewed(self) -> None:
        """After a renewal: the camera is there."""
        self._alive(delivery=False)

    async def _close(self) -> None:
        manager = self._manager
        self._subscription_lost()
        if manager is not None:
            # Best effort: a camera that is gone has forgotten the subscription anyway.
            with suppress(CameraError):
                await self._client.call(manager.Unsubscribe())


class PullPointSource(_OnvifSource):
    """CreatePullPointSubscription, then PullMessages in a loop."""

    kind = SourceKind.PULLPOINT
    silence_window = POLL_SECONDS + 30.0
    refused = "PullPoint subscription"

    def __init__(self, sink: EventSink, client: OnvifClient, channels: Channels) -> None:
        """Pull events of ``client``'s camera."""
        super().__init__(sink, client, channels)
        self._pull: Any = None

    async def _subscribe(self) -> None:
        events = await self._client.service("events")
        result = await self._client.call(
            events.CreatePullPointSubscription(
                {"InitialTerminationTime": f"PT{SUBSCRIPTION_SECONDS}S"}
            )
        )
        address = _address(result)
        self._manager = await self._client.service(
            "subscription", "PullPointSubscription", address=address
        )
        self._pull = await self._client.service(
            "pullpoint", "PullPointSubscription", address=address
        )
        self._lifetime = lifetime(result)
        self._subscribed.set()

    def _subscription_lost(self) -> None:
        super()._subscription_lost()
        self._pull = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                if self._pull is None:
                    await self._subscribe()
                    self.stats.reconnects += 1
                started = loop.time()
                result = await self._client.call(
                    self._pull.PullMessages(
                        {"Timeout": f"PT{POLL_SECONDS}S", "MessageLimit": MESSAGE_LIMIT}
                    ),
                    timeout=POLL_SECONDS + 15,
                )
            except (CameraError, SourceUnavailable):
                # Gone (a reboot forgets subscriptions), unreachable or refusing: start over.
                self._subscription_lost()
                self._trouble()
                await self._backoff.wait()
                continue
            except Exception:  # noqa: BLE001 - an answer the library choked on: start over
                self.stats.malformed += 1
                self.stats.errors += 1
                _LOGGER.debug("%s: a pull failed unexpectedly", self.kind.value, exc_info=True)
                self._subscription_lost()
                self._trouble()
                await self._backoff.wait()
                continue
            self._backoff.reset()
            self._alive()
            events = await self._read_answer(result)
            if events is not None:
                for event in events:
                    self._report(event)
            if not events and loop.time() - started < MIN_PULL_INTERVAL:
                await asyncio.sleep(MIN_PULL_INTERVAL)

    async def _read_answer(self, result: Any) -> list[Event] | None:
        """Return the events of one PullMessages answer (None: nothing in it could be read)."""
        try:
            messages, broken = from_pull_result(result)
            self.stats.malformed += broken
            return await read_onvif(messages, self._channels, self.kind, self.stats)
        except UnsafeXmlError:
            self.stats.malformed += 1
        except Exception:  # noqa: BLE001 - one odd answer must not end the source
            self.stats.malformed += 1
            self.stats.errors += 1
            _LOGGER.debug("%s: an answer could not be read", self.kind.value, exc_info=True)
        return None


class WebhookSource(_OnvifSource):
    """Subscribe with a Home Assistant webhook as consumer; the camera POSTs Notify there.

    A push channel is silent by nature while nothing happens, so silence alone proves
    nothing, and a push proves the path. At each renewal that no push preceded, the camera
    is asked to push its states again (SetSynchronizationPoint); when that push does not
    arrive within WEBHOOK_FIRST_DELIVERY — or none ever arrived after Subscribe (a camera
    that cannot reach Home Assistant, or firmware that accepts Subscribe but never pushes) —
    the source counts as silent.
    """

    kind = SourceKind.WEBHOOK
    refused = "notification subscription"

    def __init__(self, sink: EventSink, client: OnvifClient, channels: Channels, url: str) -> None:
        """Have ``client``'s camera push its events to ``url`` (a local-only webhook)."""
        super().__init__(sink, client, channels)
        self._url = url
        self._sync: Any = None
        self._pushed = False
        """Whether a push came since the last renewal."""
        self._lost = asyncio.Event()

    async def start(self, on_silent: Callable[[], None]) -> None:
        """Subscribe; the push path counts as alive only once a Notify arrives."""
        self._on_silent = on_silent
        await self._open()
        self._arm(WEBHOOK_FIRST_DELIVERY)
        self._task = asyncio.get_running_loop().create_task(
            self._guarded(self._run, "resubscriber"), name=f"homebound {self.kind.value}"
        )

    def _window(self) -> float | None:
        """After a push: until the renewal after next has had its chance to prove the path."""
        return 2 * self._lifetime * RENEW_AT + WEBHOOK_FIRST_DELIVERY

    async def _subscribe(self) -> None:
        notification = await self._client.service("notification")
        result = await self._client.call(
            notification.Subscribe(
                {
                    "ConsumerReference": {"Address": self._url},
                    "InitialTerminationTime": f"PT{SUBSCRIPTION_SECONDS}S",
                }
            )
        )
        address = _address(result)
        self._manager = await self._client.service(
            "subscription", "NotificationConsumer", address=address
        )
        self._sync = await self._client.service(
            "pullpoint", "NotificationConsumer", address=address
        )
        self._lifetime = lifetime(result)
        self._lost.clear()
        self._subscribed.set()
        await self._synchronize()

    def _subscription_lost(self) -> None:
        super()._subscription_lost()
        self._lost.set()

    async def _synchronize(self) -> None:
        """Ask the camera to push every state again (a delivery to wait for)."""
        with suppress(CameraError):  # optional for cameras; a real event proves the path too
            await self._client.call(self._sync.SetSynchronizationPoint())

    async def _renewed(self) -> None:
        """Prove the push path if no push did since the last renewal (a renewal does not)."""
        if self._pushed:
            self._pushed = False
            return
        await self._synchronize()
        self._arm(WEBHOOK_FIRST_DELIVERY)

    async def _run(self) -> None:
        """Subscribe again whenever the subscription is lost (a refused renewal)."""
        while True:
            await self._lost.wait()
            try:
                await self._subscribe()
            except (CameraError, SourceUnavailable):
                self._trouble()
                await self._backoff.wait()
                continue
            self.stats.reconnects += 1
            self._backoff.reset()
            self._arm(WEBHOOK_FIRST_DELIVERY)

    async def handle_notify(self, body: bytes) -> None:
        """Read a Notify POST the webhook received (whole: see ``device.body.read_body``)."""
        try:
            messages, broken = parse_notify(body)
            events = await read_onvif(messages, self._channels, self.kind, self.stats)
        except UnsafeXmlError:
            self.stats.malformed += 1
            return
        except Exception:  # noqa: BLE001 - one odd push must not reach the webhook's caller
            self.stats.malformed += 1
            self.stats.errors += 1
            _LOGGER.debug("%s: a push could not be read", self.kind.value, exc_info=True)
            return
        self.stats.malformed += broken
        self._pushed = True
        self._alive()
        for event in events:
            self._report(event)
