"""One camera's events inside Home Assistant: the source manager and the detection states.

The hub owns what ``events/`` needs from Home Assistant — a local-only webhook (webhook.py),
the shared HTTP session, timers — and
turns the normalized events into what the entities show: a state per capability that turns
off by itself :data:`auto-off <CONF_AUTO_OFF>` seconds after the last "on" (no sensor ever
stays on because an "off" was lost), an event for the event entity, and a bus event for device
triggers. While an event source is alive it is the proof that the camera is there, and the
coordinator stops polling; when the source is in trouble, polling resumes.

After each trouble (a stream lost and opened again, a subscription made anew) whatever answers
may be another camera that took the address: events are held until the coordinator's check
says it is this one (:meth:`EventHub.identity_checked`), and dropped — the sources stopped
until the right camera is back — when it is not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from contextlib import suppress
from typing import Any, Final

import aiohttp
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from ..const import (
    CONF_AUTO_OFF,
    CONF_EVENT_SOURCE,
    CONF_OBSERVED_MAC,
    DEFAULT_AUTO_OFF,
    EVENT_SOURCE_AUTO,
    LOGGER,
    PULSE_SECONDS,
    SIGNAL_EVENT,
)
from ..device import CameraInfo, OnvifClient
from ..events import Capability, Event, EventKind, SourceKind
from ..events.capabilities import (
    DEFAULT_KINDS,
    VendorHttp,
    deliverable_kinds,
    detect_vendor,
    onvif_capabilities,
    vendor_capabilities,
)
from ..events.manager import Candidate, EventManager
from ..events.plan import source_plan
from ..events.readers import Channels
from ..events.source import EventSource
from ..events.state import DetectionState
from ..events.triggers import event_type_of
from .known import KnownEvents
from .webhook import CameraWebhook

MAX_HELD: Final = 256
"""Events kept while the camera's identity is checked (a burst is a few dozen)."""

type StateListener = Callable[[Capability], None]

__all__ = ["EventHub"]


class EventHub:
    """Events of one camera entry, from its best source to its entities."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry_id: str,
        title: str,
        data: dict[str, Any],
        options: dict[str, Any],
        client: OnvifClient,
        on_alive: Callable[[bool], None],
    ) -> None:
        """Prepare; nothing is asked of the camera before :meth:`async_discover`."""
        self.hass = hass
        self._entry_id = entry_id
        self._title = title
        self._data = data
        self._client = client
        self._on_alive = on_alive
        self.auto_off: float = float(options.get(CONF_AUTO_OFF, DEFAULT_AUTO_OFF))
        self.source_choice: str = options.get(CONF_EVENT_SOURCE, EVENT_SOURCE_AUTO)
        self.detections = DetectionState((), auto_off=self.auto_off, pulse_seconds=PULSE_SECONDS)
        self.detections.listen_events(self._fire)
        self.detections.listen_new(self.learned_capability)
        self.vendor: SourceKind | None = None
        self.onvif_kinds: frozenset[EventKind] | None = None
        """The kinds the ONVIF topic set declares (what the webhook and PullPoint carry)."""
        self.learned: set[Capability] = set()
        """Capabilities first seen in events (kept across reloads, see known.py)."""
        self.channels = Channels()
        self.manager: EventManager | None = None
        self.webhook = CameraWebhook(hass, title, data[CONF_HOST], self._push_target)
        self._alive = False
        self.first_alive = asyncio.Event()
        """Set when an event source first answers (tests and benchmarks wait on it)."""
        self._starting: asyncio.Task[None] | None = None
        self._entry: ConfigEntry | None = None
        self._held: list[Event] | None = None
        """Events waiting for the camera's identity to be checked (None: nothing held)."""
        self.paused = False
        """Whether the sources are stopped because another camera answers at the address."""
        self.planned: tuple[SourceKind, ...] = ()
        """The sources worth trying, best first (none: the camera reports no events)."""
        self.device_id: str | None = None

    @property
    def capabilities(self) -> set[Capability]:
        """What the camera can report (grows as events reveal more)."""
        return self.detections.capabilities

    @capabilities.setter
    def capabilities(self, value: set[Capability]) -> None:
        self.detections.capabilities = value

    @property
    def states(self) -> dict[Capability, bool]:
        """Each capability's state."""
        return self.detections.states

    @property
    def source_active(self) -> bool:
        """Whether an event source has answered since setup (restored states end then)."""
        return self.detections.source_active

    # -- setup -----------------------------------------------------------------------------

    def _http(self, observers: tuple[aiohttp.ClientMiddlewareType, ...] = ()) -> VendorHttp:
        host = self._data[CONF_HOST]
        if ":" in host:
            host = f"[{host}]"
        return VendorHttp(
            async_get_clientsession(self.hass, verify_ssl=False),
            f"http://{host}:{self._data[CONF_PORT]}",
            self._data[CONF_USERNAME],
            self._data[CONF_PASSWORD],
            observers,
        )

    async def async_discover(
        self,
        info: CameraInfo,
        known: KnownEvents | None = None,
        *,
        learned: Iterable[Capability] = (),
        also: Iterable[str] = (),
        observers: tuple[aiohttp.ClientMiddlewareType, ...] = (),
    ) -> None:
        """Learn what the camera can report and which vendor stream it speaks.

        ``known`` is what the camera could report at the last run: taken as it is when the
        camera itself is unchanged (a capability seen later in its events is added then).
        ``learned``: what its events revealed before (taken whether or not the camera is
        asked again). ``also``: makers its firmware showed (maker.py), ``observers`` watch the
        answers; the MAC hinting at a maker is the one DHCP saw, never the camera's own report.
        """
        self.channels = Channels(info.video_sources, info.source_aliases)
        if known is not None:
            self.capabilities, self.vendor = set(known.capabilities), known.vendor
            self.onvif_kinds = known.onvif
        else:
            http = self._http(observers)
            mac = self._data.get(CONF_OBSERVED_MAC)
            self.vendor = await detect_vendor(http, info.identity.manufacturer, mac, also=also)
            onvif = await onvif_capabilities(self._client)
            self.onvif_kinds = frozenset(c.kind for c in onvif)
            found = set(onvif)
            if self.vendor is not None:
                found |= await vendor_capabilities(self.vendor, http, self.channels)
            if not found and (self._client.has_events or self.vendor is not None):
                found = {Capability(kind) for kind in DEFAULT_KINDS}
            self.capabilities = found
        self.learned = set(learned)
        self.capabilities = self.capabilities | self.learned
        if self.onvif_kinds is not None:
            self.detections.deliverable = deliverable_kinds(
                {Capability(kind) for kind in self.onvif_kinds}
            )

    @property
    def known_events(self) -> KnownEvents:
        """What to keep of the discovery for the next start (known.py)."""
        return KnownEvents(set(self.capabilities), self.vendor, self.onvif_kinds)

    @callback
    def learned_capability(self, capability: Capability) -> None:
        """Note a capability first seen in an event."""
        self.learned.add(capability)

    def _plan(self, webhook_url: str | None) -> list[Candidate]:
        choice = None if self.source_choice == EVENT_SOURCE_AUTO else self.source_choice
        return source_plan(
            self.vendor, self._http(), self._client, self.channels, webhook_url, choice
        )

    @callback
    def async_start(self, entry: ConfigEntry) -> None:
        """Subscribe in the background: a slow camera must not hold up Home Assistant."""
        self._entry = entry
        self.paused = False
        self._starting = entry.async_create_background_task(
            self.hass, self._async_start(), f"homebound {self._title} event source"
        )

    async def _async_start(self) -> None:
        """Register the webhook and start the best working source."""
        webhook_url = await self.webhook.async_register()
        plan = self._plan(webhook_url)
        self.planned = tuple(candidate.kind for candidate in plan)
        manager = EventManager(
            self._title,
            plan,
            self._on_event,
            self._on_source_alive,
            self._on_source_trouble,
            on_status=self.detections.source_status,
        )
        self.manager = manager
        await manager.start()
        if manager.active is None:
            self._set_alive(False)

    async def async_stop(self) -> None:
        """Stop the source (unsubscribing on the camera), the webhook and the timers."""
        await self._async_stop_sources()
        self.webhook.unregister()
        self.detections.stop()

    def _push_target(self) -> EventSource | None:
        """Return the running push source (in use or probed): the webhook hands pushes to it."""
        manager = self.manager
        return manager.source_of(SourceKind.WEBHOOK) if manager is not None else None

    async def _async_stop_sources(self) -> None:
        starting, self._starting = self._starting, None
        if starting is not None and not starting.done():
            starting.cancel()
            with suppress(asyncio.CancelledError):
                await starting
        manager, self.manager = self.manager, None
        if manager is not None:
            await manager.stop()

    # -- identity ----------------------------------------------------------------------------

    @callback
    def identity_checked(self, right: bool) -> None:
        """Take the coordinator's word on who answers at the address.

        The right camera: what was held is passed on, and sources stopped for a stranger
        start again. Another camera: what came from it is dropped, the sources stop (no
        stream, subscription or probe follows it), the states are forgotten.
        """
        if right:
            if self.paused and self._entry is not None:
                LOGGER.info("%s: the right camera answers again; events resume", self._title)
                self.async_start(self._entry)
            self._release()
            return
        self._held = None
        if not self.paused and self._entry is not None:
            self.paused = True
            self._alive = False
            self.detections.forget()
            self._entry.async_create_background_task(
                self.hass, self._async_stop_sources(), f"homebound {self._title} sources pause"
            )

    def _hold(self) -> None:
        if self._held is None:
            self._held = []

    def _release(self) -> None:
        held, self._held = self._held, None
        for event in held or ():
            self.detections.event(event)

    # -- state -----------------------------------------------------------------------------

    @callback
    def async_listen(self, listener: StateListener) -> CALLBACK_TYPE:
        """Call ``listener`` with a capability whenever its state or availability changes."""
        return self.detections.listen(listener)

    @callback
    def async_listen_events(self, listener: Callable[[Event], None]) -> CALLBACK_TYPE:
        """Call ``listener`` with every event that is a change (not an initial state)."""
        return self.detections.listen_events(listener)

    @callback
    def async_listen_new(self, listener: Callable[[Capability], None]) -> CALLBACK_TYPE:
        """Call ``listener`` for capabilities first seen in events (new entities)."""
        return self.detections.listen_new(listener)

    @callback
    def _on_event(self, event: Event) -> None:
        if self.paused:
            return
        if self._held is not None:
            if len(self._held) < MAX_HELD:
                self._held.append(event)
            return
        self.detections.event(event)

    @callback
    def _fire(self, event: Event) -> None:
        """Fire a bus event for device triggers (a change, not an initial state)."""
        if (event_type := event_type_of(event)) is not None:
            capability = event.capability
            self.hass.bus.async_fire(
                SIGNAL_EVENT,
                {
                    "device_id": self.device_id,
                    "type": event_type,
                    "channel": capability.channel,
                    "rule": capability.rule,
                    "source": event.source.value,
                },
            )

    @callback
    def _on_source_alive(self) -> None:
        self._set_alive(True)

    @callback
    def _on_source_trouble(self) -> None:
        """Each trouble: hold events and have the camera checked (once per trouble)."""
        if self.paused:
            return
        self._hold()
        self._alive = False
        self._on_alive(False)

    def _set_alive(self, alive: bool) -> None:
        if self.paused:
            return
        if alive and not self.source_active:
            self.first_alive.set()
            self.detections.alive()
        if alive != self._alive:
            self._alive = alive
            self._on_alive(alive)

    @property
    def webhook_id(self) -> str | None:
        """The id of the camera's webhook (None: none registered)."""
        return self.webhook.webhook_id

    def describe(self) -> dict[str, Any]:
        """For diagnostics: vendor, capabilities, states, the source and its manager.

        Times included: when each switch happened, since when the source is in its state.
        """
        source = self.detections.source
        return {
            "vendor": self.vendor.value if self.vendor else None,
            "auto_off_seconds": self.auto_off,
            "source_choice": self.source_choice,
            "webhook": self.webhook_id is not None,
            "capabilities": sorted(c.key for c in self.capabilities),
            "states": {
                c.key: state for c, state in sorted(self.states.items(), key=lambda i: i[0].key)
            },
            "onvif_kinds": sorted(k.value for k in self.onvif_kinds or ()),
            "learned": sorted(c.key for c in self.learned),
            "held_events": len(self._held) if self._held is not None else None,
            "paused": self.paused,
            "source": {
                "kind": source.kind.value if source.kind else None,
                "state": source.state.value,
                "since": source.since.isoformat(),
                "last_event": source.last_event.isoformat() if source.last_event else None,
                "tried": dict(source.failures),
                "no_source": source.no_source,
            },
            "detections": self.detections.describe(),
            "manager": (
                self.manager.describe(with_times=True) if self.manager is not None else None
            ),
        }
