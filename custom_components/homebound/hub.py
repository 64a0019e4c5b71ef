"""One camera's events inside Home Assistant: the webhook, the source manager, sensor states.

The hub owns what ``events/`` needs from Home Assistant — a local-only webhook (random id,
local URL only, requests from other addresses refused), the shared HTTP session, timers — and
turns the normalized events into what the entities show: a state per capability that turns
off by itself :data:`auto-off <CONF_AUTO_OFF>` seconds after the last "on" (no sensor ever
stays on because an "off" was lost), an event for the event entity, and a bus event for device
triggers. While an event source is alive it is the proof that the camera is there, and the
coordinator stops polling; when the source is in trouble, polling resumes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import suppress
import ipaddress
import secrets
import socket
from typing import Any, Final

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.network import NoURLAvailableError, get_url

from .const import (
    CONF_AUTO_OFF,
    CONF_EVENT_SOURCE,
    DEFAULT_AUTO_OFF,
    DOMAIN,
    EVENT_SOURCE_AUTO,
    LOGGER,
    PULSE_SECONDS,
    SIGNAL_EVENT,
)
from .device import CameraInfo, OnvifClient
from .events import Capability, Event, EventKind, SourceKind
from .events.capabilities import (
    DEFAULT_KINDS,
    VendorHttp,
    detect_vendor,
    onvif_capabilities,
    vendor_capabilities,
)
from .events.manager import Candidate, EventManager
from .events.onvif_sources import PullPointSource, WebhookSource
from .events.readers import Channels
from .events.vendor_sources import DahuaSource, HikvisionSource
from .known import KnownEvents

MAX_NOTIFY_BYTES: Final = 256 * 1024

type StateListener = Callable[[Capability], None]

# What each kind's start (and, for those with one, end) is called as an event type.
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
        self.capabilities: set[Capability] = set()
        self.states: dict[Capability, bool] = {}
        self.vendor: SourceKind | None = None
        self.channels = Channels()
        self.manager: EventManager | None = None
        self.webhook_id: str | None = None
        self._offs: dict[Capability, CALLBACK_TYPE] = {}
        self._direct: dict[Capability, bool] = {}
        """What events said of rule-less capabilities themselves (see :meth:`_aggregate`)."""
        self._listeners: list[StateListener] = []
        self._new_capability: list[Callable[[Capability], None]] = []
        self._alive = False
        self.source_active = False
        """Whether an event source has answered since setup (restored states end then)."""
        self.first_alive = asyncio.Event()
        """Set when an event source first answers (tests and benchmarks wait on it)."""
        self._camera_ip: str | None = None
        self._event_listeners: list[Callable[[Event], None]] = []
        self._starting: asyncio.Task[None] | None = None
        self.device_id: str | None = None

    # -- setup -----------------------------------------------------------------------------

    def _http(self) -> VendorHttp:
        host = self._data[CONF_HOST]
        if ":" in host:
            host = f"[{host}]"
        return VendorHttp(
            async_get_clientsession(self.hass, verify_ssl=False),
            f"http://{host}:{self._data[CONF_PORT]}",
            self._data[CONF_USERNAME],
            self._data[CONF_PASSWORD],
        )

    async def async_discover(self, info: CameraInfo, known: KnownEvents | None = None) -> None:
        """Learn what the camera can report and which vendor stream it speaks.

        ``known`` is what the camera could report at the last run: taken as it is when the
        camera itself is unchanged (a capability seen later in its events is added then).
        """
        self.channels = Channels(info.video_sources, info.source_aliases)
        if known is not None:
            self.capabilities, self.vendor = set(known[0]), known[1]
            return
        http = self._http()
        self.vendor = await detect_vendor(http, info.identity.manufacturer, info.identity.mac)
        found = await onvif_capabilities(self._client)
        if self.vendor is not None:
            found |= await vendor_capabilities(self.vendor, http, self.channels)
        if not found and (self._client.has_events or self.vendor is not None):
            found = {Capability(kind) for kind in DEFAULT_KINDS}
        self.capabilities = found

    def _plan(self, webhook_url: str | None) -> list[Candidate]:
        http = self._http()
        args = (http.session, http.base_url, http.username, http.password, self.channels)
        plan: list[Candidate] = []
        if self.vendor is SourceKind.HIKVISION:
            plan.append(Candidate(SourceKind.HIKVISION, lambda sink: HikvisionSource(sink, *args)))
        elif self.vendor is SourceKind.DAHUA:
            plan.append(Candidate(SourceKind.DAHUA, lambda sink: DahuaSource(sink, *args)))
        if webhook_url is not None and self._client.has_events:
            plan.append(
                Candidate(
                    SourceKind.WEBHOOK,
                    lambda sink: WebhookSource(sink, self._client, self.channels, webhook_url),
                )
            )
        if self._client.has_events:
            plan.append(
                Candidate(
                    SourceKind.PULLPOINT,
                    lambda sink: PullPointSource(sink, self._client, self.channels),
                )
            )
        if self.source_choice != EVENT_SOURCE_AUTO:
            plan = [c for c in plan if c.kind.value == self.source_choice] or plan
        return plan

    @callback
    def async_start(self, entry: ConfigEntry) -> None:
        """Subscribe in the background: a slow camera must not hold up Home Assistant."""
        self._starting = entry.async_create_background_task(
            self.hass, self._async_start(), f"homebound {self._title} event source"
        )

    async def _async_start(self) -> None:
        """Register the webhook and start the best working source."""
        webhook_url = await self._async_register_webhook()
        manager = EventManager(
            self._title,
            self._plan(webhook_url),
            self._on_event,
            self._on_source_alive,
            self._on_source_trouble,
        )
        self.manager = manager
        await manager.start()
        if manager.active is None:
            self._set_alive(False)

    async def _async_register_webhook(self) -> str | None:
        """Register a local-only webhook with a random id; return its local URL (or None)."""
        try:
            base = get_url(
                self.hass, allow_external=False, allow_cloud=False, prefer_external=False
            )
        except NoURLAvailableError:
            LOGGER.debug("%s: no local URL for Home Assistant; no ONVIF push", self._title)
            return None
        host = self._data[CONF_HOST]
        try:
            self._camera_ip = str(ipaddress.ip_address(host))
        except ValueError:
            infos = await self.hass.loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
            self._camera_ip = str(infos[0][4][0]) if infos else None
        self.webhook_id = secrets.token_urlsafe(24)
        webhook.async_register(
            self.hass,
            DOMAIN,
            f"Homebound {self._title}",
            self.webhook_id,
            self._async_handle_webhook,
            local_only=True,
            allowed_methods=("POST",),
        )
        return f"{base.rstrip('/')}{webhook.async_generate_path(self.webhook_id)}"

    async def async_stop(self) -> None:
        """Stop the source (unsubscribing on the camera), the webhook and the timers."""
        starting, self._starting = self._starting, None
        if starting is not None and not starting.done():
            starting.cancel()
            with suppress(asyncio.CancelledError):
                await starting
        manager, self.manager = self.manager, None
        if manager is not None:
            await manager.stop()
        if self.webhook_id is not None:
            webhook.async_unregister(self.hass, self.webhook_id)
            self.webhook_id = None
        for cancel in self._offs.values():
            cancel()
        self._offs.clear()

    async def _async_handle_webhook(
        self, hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        """Take a Notify POST from the camera, and from nothing else."""
        if request.remote is None or request.remote != self._camera_ip:
            LOGGER.debug("%s: refused a webhook POST from %s", self._title, request.remote)
            return web.Response(status=403)
        body = await request.content.read(MAX_NOTIFY_BYTES + 1)
        if len(body) > MAX_NOTIFY_BYTES:
            return web.Response(status=413)
        manager = self.manager
        source = manager.active if manager is not None else None
        if isinstance(source, WebhookSource):
            await source.handle_notify(body)
        return web.Response(status=200)

    # -- state -----------------------------------------------------------------------------

    @callback
    def async_listen(self, listener: StateListener) -> CALLBACK_TYPE:
        """Call ``listener`` with a capability whenever its state changes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @callback
    def async_listen_events(self, listener: Callable[[Event], None]) -> CALLBACK_TYPE:
        """Call ``listener`` with every event that is a change (not an initial state)."""
        self._event_listeners.append(listener)

        def remove() -> None:
            self._event_listeners.remove(listener)

        return remove

    @callback
    def async_listen_new(self, listener: Callable[[Capability], None]) -> CALLBACK_TYPE:
        """Call ``listener`` for capabilities first seen in events (new entities)."""
        self._new_capability.append(listener)
        return lambda: self._new_capability.remove(listener)

    @callback
    def _on_event(self, event: Event) -> None:
        capability = event.capability
        if capability not in self.capabilities:
            self.capabilities.add(capability)
            for listener in list(self._new_capability):
                listener(capability)
        if cancel := self._offs.pop(capability, None):
            cancel()
        active = event.active
        self.states[capability] = active
        if not capability.rule:
            self._direct[capability] = active
        if active:
            delay = PULSE_SECONDS if event.pulse else self.auto_off
            self._offs[capability] = async_call_later(self.hass, delay, self._turn_off(capability))
        self._aggregate(capability)
        if not event.initial:
            for event_listener in list(self._event_listeners):
                event_listener(event)
            if (event_type := event_type_of(event)) is not None:
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
        self._notify(capability)

    def _turn_off(self, capability: Capability) -> Callable[[Any], None]:
        @callback
        def off(_: Any) -> None:
            self._offs.pop(capability, None)
            if not capability.rule:
                self._direct[capability] = False
            if self.states.get(capability):
                self.states[capability] = False
                self._notify(capability)
            self._aggregate(capability)

        return off

    def _aggregate(self, changed: Capability) -> None:
        """Keep a rule-less sensor on while any rule of its kind and channel is on.

        Cameras declare "line crossing" (Hikvision triggers, Dahua caps, ONVIF topics) but
        report each crossing with the rule or region it happened in: the declared sensor is
        the "any rule" one an automation wants, the per-rule sensors appear as rules show up.
        """
        whole = Capability(changed.kind, changed.channel)
        if whole not in self.capabilities:
            return
        on = self._direct.get(whole, False) or any(
            state
            for capability, state in self.states.items()
            if capability.rule
            and capability.kind is whole.kind
            and capability.channel == whole.channel
        )
        if self.states.get(whole, False) != on:
            self.states[whole] = on
            self._notify(whole)

    def _notify(self, capability: Capability) -> None:
        for listener in list(self._listeners):
            listener(capability)

    @callback
    def _on_source_alive(self) -> None:
        self._set_alive(True)

    @callback
    def _on_source_trouble(self) -> None:
        self._set_alive(False)

    def _set_alive(self, alive: bool) -> None:
        if alive and not self.source_active:
            self.source_active = True
            self.first_alive.set()
            for capability in list(self.capabilities):
                self._notify(capability)
        if alive != self._alive:
            self._alive = alive
            self._on_alive(alive)

    def describe(self) -> dict[str, Any]:
        """For diagnostics: vendor, capabilities, states and the source manager."""
        return {
            "vendor": self.vendor.value if self.vendor else None,
            "auto_off_seconds": self.auto_off,
            "source_choice": self.source_choice,
            "webhook": self.webhook_id is not None,
            "capabilities": sorted(c.key for c in self.capabilities),
            "states": {
                c.key: state for c, state in sorted(self.states.items(), key=lambda i: i[0].key)
            },
            "manager": self.manager.describe() if self.manager is not None else None,
        }
