"""What one camera's detections are right now, without Home Assistant.

The event manager hands over events and its :class:`~.status.SourceStatus`; this keeps, per
capability, whether it is on and whether it can be believed, and tells listeners:

* **Auto-off**: an "on" turns off by itself ``auto_off`` seconds after the last one (a pulse —
  a line crossed — after ``pulse_seconds``): no sensor stays on because an "off" was lost.
* **Rule aggregation**: a rule-less capability ("Intrusion") is on while any rule of its kind
  and channel is ("Intrusion Gate"), or while the camera says so of it directly.
* **A cap on what a camera can create**: at most :data:`MAX_RULES_PER_KIND` rule sensors per
  kind and :data:`MAX_CHANNELS_PER_KIND` channels per kind (300 distinct Dahua region names
  made 300 entities). What is beyond is folded: a further channel into the camera-wide
  sensor of its kind, a further rule into its channel's rule-less sensor, which it keeps on
  while it is on.
* **Availability per capability**: a detection sensor is believed only while a source that
  can deliver its kind is live. Before any source has delivered since start, the last
  (restored) state stands, unless no source works at all; after that, a sensor whose source
  is gone is unavailable, not "off", until one delivers again — and while a fallback is in
  use, the kinds only the better source carries (line crossing, intrusion, person on many
  firmwares) are unavailable rather than silently never on.
* **Event source**: the source in use, its state, the last event's time, what was tried, and
  "no working event source for :data:`NO_SOURCE_AFTER` seconds" for a repair. The hub
  (``cameras/hub.py``) is the Home Assistant adapter that feeds this and shows it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
import dataclasses
from dataclasses import dataclass, field
import datetime as dt
import logging
from typing import Any, Final

from .model import Capability, Event, EventKind, SourceKind
from .status import SourceState, SourceStatus
from .triggers import event_types_for

_LOGGER = logging.getLogger(__name__)

MAX_RULES_PER_KIND: Final = 32
MAX_CHANNELS_PER_KIND: Final = 64
MAX_FOLDED: Final = 256
"""Folded rules whose state is kept at most (a hostile camera can name millions)."""
NO_SOURCE_AFTER: Final = 600.0

type Listener = Callable[[Capability], None]
type Remove = Callable[[], None]


@dataclass(frozen=True, slots=True)
class EventSourceView:
    """What the "Event source" diagnostic sensor shows, and what the repair says."""

    kind: SourceKind | None
    state: SourceState
    since: dt.datetime
    last_event: dt.datetime | None
    failures: Mapping[str, str] = field(default_factory=dict)
    no_source: bool = False
    """Whether no source has delivered for NO_SOURCE_AFTER seconds (raise the repair)."""


def _listen[T](listeners: list[T], listener: T) -> Remove:
    listeners.append(listener)
    return lambda: listeners.remove(listener)


class DetectionState:
    """The detections of one camera: states, timers, aggregates, availability, listeners."""

    def __init__(
        self,
        capabilities: Iterable[Capability],
        *,
        auto_off: float,
        pulse_seconds: float,
        deliverable: Mapping[SourceKind, Iterable[EventKind]] | None = None,
        max_rules: int = MAX_RULES_PER_KIND,
        max_channels: int = MAX_CHANNELS_PER_KIND,
        no_source_after: float = NO_SOURCE_AFTER,
    ) -> None:
        """Start from the capabilities the camera declared (or had at the last run).

        ``deliverable``: the kinds each source is known to carry (vendor lists for the vendor
        stream, the ONVIF topic set for the webhook and PullPoint); a source not named may
        carry anything. Kinds a source is seen to deliver are added to its own.
        """
        self.capabilities: set[Capability] = set(capabilities)
        self.states: dict[Capability, bool] = {}
        self.auto_off = auto_off
        self.pulse_seconds = pulse_seconds
        self.source_active = False
        """Whether a source has answered since start (restored states end then)."""
        self.status = SourceStatus(None, SourceState.STARTING)
        self.last_event: dt.datetime | None = None
        self.no_source = False
        self.folded = 0
        """Events of capabilities beyond the caps, shown on a sensor of their kind instead."""
        self._deliverable = {k: set(v) for k, v in (deliverable or {}).items()}
        self._max_rules, self._max_channels = max_rules, max_channels
        self._no_source_after = no_source_after
        self._ever_live = False
        self._direct: dict[Capability, bool] = {}
        """What events said of rule-less capabilities themselves (see _aggregate)."""
        self._folded: dict[Capability, bool] = {}
        self._offs: dict[Capability, asyncio.TimerHandle] = {}
        self._no_source_timer: asyncio.TimerHandle | None = None
        self._listeners: list[Listener] = []
        self._event_listeners: list[Callable[[Event], None]] = []
        self._new_listeners: list[Listener] = []
        self._source_listeners: list[Callable[[EventSourceView], None]] = []

    # -- listening -------------------------------------------------------------------------

    def listen(self, listener: Listener) -> Remove:
        """Call ``listener`` with a capability whenever its state or availability changes."""
        return _listen(self._listeners, listener)

    def listen_events(self, listener: Callable[[Event], None]) -> Remove:
        """Call ``listener`` with every event that is a change (not an initial state)."""
        return _listen(self._event_listeners, listener)

    def listen_new(self, listener: Listener) -> Remove:
        """Call ``listener`` for capabilities first seen in events (new entities, types)."""
        return _listen(self._new_listeners, listener)

    def listen_source(self, listener: Callable[[EventSourceView], None]) -> Remove:
        """Call ``listener`` whenever the source in use, its state or the repair signal change."""
        return _listen(self._source_listeners, listener)

    # -- what the entities show ----------------------------------------------------------------

    def is_on(self, capability: Capability) -> bool | None:
        """Return the capability's state; None (keep the restored one) until a source answers."""
        state = self.states.get(capability)
        if state is not None:
            return state
        return False if self.source_active else None

    def available(self, capability: Capability) -> bool:
        """Whether the capability's state can be believed now (see the module docstring)."""
        state = self.status.state
        if state is SourceState.STOPPED:
            return True
        if not self._ever_live:
            return state is not SourceState.NONE
        if state is not SourceState.LIVE:
            return False
        kinds = self._deliverable.get(self.status.kind) if self.status.kind else None
        return kinds is None or capability.kind in kinds

    @property
    def deliverable(self) -> dict[SourceKind, frozenset[EventKind]]:
        """The kinds each named source is known to carry (a source not named: anything)."""
        return {kind: frozenset(kinds) for kind, kinds in self._deliverable.items()}

    @deliverable.setter
    def deliverable(self, value: Mapping[SourceKind, Iterable[EventKind]]) -> None:
        """Take what discovery found (it runs after the state machine is made).

        Availability may change with it: listeners hear of every capability that changed.
        """
        before = {c: self.available(c) for c in self.capabilities}
        self._deliverable = {k: set(v) for k, v in value.items()}
        for capability, was in before.items():
            if self.available(capability) != was:
                self._notify(capability)

    def event_types(self, channel: str) -> list[str]:
        """Return the event types ``channel``'s event entity can fire (grows with capabilities)."""
        return event_types_for({c.kind for c in self.capabilities if c.channel == channel})

    @property
    def source(self) -> EventSourceView:
        """What the "Event source" sensor shows."""
        status = self.status
        return EventSourceView(
            kind=status.kind,
            state=status.state,
            since=status.since,
            last_event=self.last_event,
            failures=status.failures,
            no_source=self.no_source,
        )

    # -- what the manager reports -------------------------------------------------------------

    def alive(self) -> None:
        """Note that a source answered: restored states end (sensors show the camera's word)."""
        if not self.source_active:
            self.source_active = True
            self._notify_all()

    def source_status(self, status: SourceStatus) -> None:
        """Take the manager's new state: availability follows, the repair timer too."""
        before = {c: self.available(c) for c in self.capabilities}
        self.status = status
        if status.state is SourceState.LIVE:
            self._ever_live = True
        self._arm_no_source()
        for capability, was in before.items():
            if self.available(capability) != was:
                self._notify(capability)
        self._notify_source()

    def event(self, event: Event) -> None:
        """Take one event: state, auto-off, aggregate, event listeners, state listeners."""
        self.last_event = event.time
        if event.source in self._deliverable:
            self._deliverable[event.source].add(event.capability.kind)
        capability, folded = self._place(event.capability)
        if folded:
            self._fold(dataclasses.replace(event, capability=capability))
            return
        self._take(dataclasses.replace(event, capability=capability))

    def _take(self, event: Event) -> None:
        capability = event.capability
        if capability not in self.capabilities:
            self._add(capability)
        if (timer := self._offs.pop(capability, None)) is not None:
            timer.cancel()
        active = event.active
        self.states[capability] = active
        if not capability.rule:
            self._direct[capability] = active
        if active:
            self._arm_off(capability, self.pulse_seconds if event.pulse else self.auto_off)
        self._aggregate(capability)
        self._fan_out(event)
        self._notify(capability)

    def _fan_out(self, event: Event) -> None:
        if not event.initial:
            for listener in list(self._event_listeners):
                listener(event)

    def _turn_off(self, capability: Capability) -> None:
        self._offs.pop(capability, None)
        if capability in self._folded:
            self._folded.pop(capability)
            self._aggregate(capability)
            return
        if not capability.rule:
            self._direct[capability] = False
        if self.states.get(capability):
            self.states[capability] = False
            self._notify(capability)
        self._aggregate(capability)

    def _arm_off(self, capability: Capability, delay: float) -> None:
        self._offs[capability] = asyncio.get_running_loop().call_later(
            delay, self._turn_off, capability
        )

    def _aggregate(self, changed: Capability) -> None:
        """Keep a rule-less sensor on while any rule of its kind and channel is on."""
        whole = Capability(changed.kind, changed.channel)
        if whole not in self.capabilities:
            return
        on = (
            self._direct.get(whole, False)
            or any(
                state
                for capability, state in self.states.items()
                if capability.rule
                and capability.kind is whole.kind
                and capability.channel == whole.channel
            )
            or any(
                state
                for capability, state in self._folded.items()
                if capability.kind is whole.kind and capability.channel == whole.channel
            )
        )
        if self.states.get(whole, False) != on:
            self.states[whole] = on
            self._notify(whole)

    # -- caps ------------------------------------------------------------------------------

    def _place(self, capability: Capability) -> tuple[Capability, bool]:
        """Where a capability's events go: itself, or folded (then True) within the caps."""
        if capability in self.capabilities:
            return capability, False
        same_kind = [c for c in self.capabilities if c.kind is capability.kind]
        channels = {c.channel for c in same_kind if c.channel}
        if (
            capability.channel
            and capability.channel not in channels
            and len(channels) >= self._max_channels
        ):
            self._log_fold(capability)
            capability = Capability(capability.kind, "", capability.rule)
            if capability in self.capabilities:
                return capability, False
        if capability.rule and sum(1 for c in same_kind if c.rule) >= self._max_rules:
            self._log_fold(capability)
            return capability, True
        return capability, False

    def _fold(self, event: Event) -> None:
        """Keep a rule beyond the cap as part of its channel's rule-less sensor."""
        capability = event.capability
        whole = Capability(capability.kind, capability.channel)
        if whole not in self.capabilities:
            self._add(whole)
        if (timer := self._offs.pop(capability, None)) is not None:
            timer.cancel()
        if event.active and (capability in self._folded or len(self._folded) < MAX_FOLDED):
            self._folded[capability] = True
            self._arm_off(capability, self.pulse_seconds if event.pulse else self.auto_off)
        else:
            self._folded.pop(capability, None)
        self.folded += 1
        self._aggregate(whole)
        self._fan_out(event)

    def _log_fold(self, capability: Capability) -> None:
        if not self.folded:
            _LOGGER.info(
                "The camera reports more %s rules or channels than sensors are made for; "
                "the rest show on the sensor of their kind",
                capability.kind.value,
            )

    def _add(self, capability: Capability) -> None:
        self.capabilities.add(capability)
        for listener in list(self._new_listeners):
            listener(capability)

    # -- the source ----------------------------------------------------------------------------

    def _arm_no_source(self) -> None:
        state = self.status.state
        if state is SourceState.LIVE or state is SourceState.STOPPED:
            if self._no_source_timer is not None:
                self._no_source_timer.cancel()
                self._no_source_timer = None
            self.no_source = False
        elif self._no_source_timer is None and not self.no_source:
            self._no_source_timer = asyncio.get_running_loop().call_later(
                self._no_source_after, self._no_source_for_long
            )

    def _no_source_for_long(self) -> None:
        self._no_source_timer = None
        self.no_source = True
        self._notify_source()

    def _notify(self, capability: Capability) -> None:
        for listener in list(self._listeners):
            listener(capability)

    def _notify_all(self) -> None:
        for capability in list(self.capabilities):
            self._notify(capability)

    def _notify_source(self) -> None:
        view = self.source
        for listener in list(self._source_listeners):
            listener(view)

    def forget(self) -> None:
        """Drop every state and its timer: each sensor shows "off" until an event says more.

        For a camera that is refused (another camera answers at its address): what arrived
        from it must not be shown, nor linger until auto-off, once the right camera is back.
        """
        for timer in self._offs.values():
            timer.cancel()
        self._offs.clear()
        self.states.clear()
        self._direct.clear()
        self._folded.clear()
        self._notify_all()

    def stop(self) -> None:
        """Cancel every timer (the entry unloads)."""
        for timer in self._offs.values():
            timer.cancel()
        self._offs.clear()
        if self._no_source_timer is not None:
            self._no_source_timer.cancel()
            self._no_source_timer = None

    def describe(self) -> dict[str, Any]:
        """For diagnostics: capabilities, states, availability, what was folded."""
        return {
            "capabilities": sorted(c.key for c in self.capabilities),
            "states": {
                c.key: state for c, state in sorted(self.states.items(), key=lambda i: i[0].key)
            },
            "unavailable": sorted(c.key for c in self.capabilities if not self.available(c)),
            "folded_events": self.folded,
            "source_state": self.status.state.value,
            "no_source": self.no_source,
        }
