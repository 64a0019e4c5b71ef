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
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
import datetime as dt
from typing import TYPE_CHECKING, Any, Final

from ..device import CameraError
from .model import SourceKind
from .onvif_messages import from_pull_result, parse_notify
from .readers import Channels, read_onvif
from .source import Backoff, EventSink, EventSource, SourceUnavailable
from .xml import UnsafeXmlError

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..device import OnvifClient

SUBSCRIPTION_SECONDS: Final = 600
"""Lifetime asked for each subscription (in seconds: some cameras misread minutes)."""
RENEW_AT: Final = 0.8
"""Share of the lifetime after which a subscription is renewed (as onvif-zeep-async does)."""
MIN_LIFETIME: Final = 60.0
POLL_SECONDS: Final = 30
"""PullMessages long-poll timeout."""
MIN_PULL_INTERVAL: Final = 1.0
"""An empty answer faster than this means the camera ignores Timeout: the next pull waits."""
MESSAGE_LIMIT: Final = 100
WEBHOOK_FIRST_DELIVERY: Final = 15.0
"""Seconds after Subscribe (and each synchronization point) within which a push must arrive."""
WEBHOOK_SYNC_INTERVAL: Final = 300.0
"""How often the camera is asked to re-send its states, which proves the push path works."""


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
    """What both ONVIF sources share: subscription renewal and unsubscribing."""

    def __init__(self, sink: EventSink, client: OnvifClient, channels: Channels) -> None:
        super().__init__(sink)
        self._client = client
        self._channels = channels
        self._manager: Any = None
        self._lifetime = float(SUBSCRIPTION_SECONDS)
        self._backoff = Backoff()
        self._subscribed = asyncio.Event()

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
            self._alive_after_renewal()

    def _alive_after_renewal(self) -> None:
        self._alive()

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

    def __init__(self, sink: EventSink, client: OnvifClient, channels: Channels) -> None:
        """Pull events of ``client``'s camera."""
        super().__init__(sink, client, channels)
        self._pull: Any = None

    async def _open(self) -> None:
        if not self._client.has_events:
            raise SourceUnavailable("the camera has no ONVIF event service")
        try:
            await self._subscribe()
        except CameraError as err:
            raise SourceUnavailable(f"PullPoint subscription refused: {err}") from err
        self._spawn(self._renewals(), "renewals")

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
            self._backoff.reset()
            self._alive()
            messages, broken = from_pull_result(result)
            self.stats.malformed += broken
            for event in await read_onvif(messages, self._channels, self.kind, self.stats):
                self._report(event)
            if not messages and loop.time() - started < MIN_PULL_INTERVAL:
                await asyncio.sleep(MIN_PULL_INTERVAL)


class WebhookSource(_OnvifSource):
    """Subscribe with a Home Assistant webhook as consumer; the camera POSTs Notify there.

    A push channel is silent by nature while nothing happens, so silence alone proves
    nothing. The camera is asked every WEBHOOK_SYNC_INTERVAL to push its states again
    (SetSynchronizationPoint); when that push does not arrive within WEBHOOK_FIRST_DELIVERY —
    or none ever arrived after Subscribe (a camera that cannot reach Home Assistant, or
    firmware that accepts Subscribe but never pushes) — the source counts as silent.
    """

    kind = SourceKind.WEBHOOK
    silence_window = WEBHOOK_SYNC_INTERVAL + WEBHOOK_FIRST_DELIVERY

    def __init__(self, sink: EventSink, client: OnvifClient, channels: Channels, url: str) -> None:
        """Have ``client``'s camera push its events to ``url`` (a local-only webhook)."""
        super().__init__(sink, client, channels)
        self._url = url
        self._sync: Any = None
        self.delivered = False

    async def start(self, on_silent: Callable[[], None]) -> None:
        """Subscribe; the push path counts as alive only once a Notify arrives."""
        self._on_silent = on_silent
        await self._open()
        self._expect_delivery()
        self._task = asyncio.get_running_loop().create_task(
            self._run(), name=f"homebound {self.kind.value}"
        )

    def _expect_delivery(self) -> None:
        """Give the camera WEBHOOK_FIRST_DELIVERY seconds to push something."""
        if self._silence is not None:
            self._silence.cancel()
        self._silence = asyncio.get_running_loop().call_later(
            WEBHOOK_FIRST_DELIVERY, self._went_silent
        )

    def _alive_after_renewal(self) -> None:
        """Do nothing: a renewal says the camera is there, not that its pushes arrive."""

    async def _open(self) -> None:
        if not self._client.has_events:
            raise SourceUnavailable("the camera has no ONVIF event service")
        try:
            await self._subscribe()
        except CameraError as err:
            raise SourceUnavailable(f"notification subscription refused: {err}") from err
        self._spawn(self._renewals(), "renewals")

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
        self._subscribed.set()
        await self._synchronize()

    async def _synchronize(self) -> None:
        """Ask the camera to push every state again (a delivery to wait for)."""
        with suppress(CameraError):  # optional for cameras; a real event proves the path too
            await self._client.call(self._sync.SetSynchronizationPoint())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(WEBHOOK_SYNC_INTERVAL)
            try:
                if self._manager is None:
                    await self._subscribe()
                    self.stats.reconnects += 1
                else:
                    await self._synchronize()
            except (CameraError, SourceUnavailable):
                self._subscription_lost()
                self._trouble()
                await self._backoff.wait()
                continue
            self._backoff.reset()
            self._expect_delivery()

    async def handle_notify(self, body: bytes) -> None:
        """Read a Notify POST the webhook received."""
        try:
            messages, broken = parse_notify(body)
        except UnsafeXmlError:
            self.stats.malformed += 1
            return
        self.stats.malformed += broken
        self.delivered = True
        self._alive()
        for event in await read_onvif(messages, self._channels, self.kind, self.stats):
            self._report(event)
