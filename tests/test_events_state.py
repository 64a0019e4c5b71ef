"""The detection state machine on its own, without Home Assistant.

Auto-off and pulses, rule aggregation, the caps on rules and channels, availability per
capability as sources come and go, the event types that grow with what is found, and the
"no working event source" signal. Timers are the event loop's, shortened to milliseconds;
every wait is on a listener's call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import aiohttp
import pytest

from custom_components.homebound.device import OnvifClient
from custom_components.homebound.events import Capability, Event, EventKind, SourceKind
from custom_components.homebound.events.capabilities import deliverable_kinds, onvif_capabilities
from custom_components.homebound.events.state import DetectionState, EventSourceView
from custom_components.homebound.events.status import SourceState, SourceStatus
from custom_components.homebound.events.triggers import event_types_for
from simulator import CameraConfig, VirtualCamera

WAIT = 10.0
MOTION = Capability(EventKind.MOTION)
CROSSING = Capability(EventKind.LINE_CROSSING)
HIK, WEBHOOK = SourceKind.HIKVISION, SourceKind.WEBHOOK


def _event(
    capability: Capability,
    active: bool = True,
    source: SourceKind = HIK,
    *,
    initial: bool = False,
    pulse: bool = False,
) -> Event:
    return Event(capability, active, source, initial=initial, pulse=pulse)


class Watch:
    """Everything a state machine tells its listeners."""

    def __init__(self, state: DetectionState) -> None:
        self.state = state
        self.changed: list[Capability] = []
        self.events: list[Event] = []
        self.new: list[Capability] = []
        self.sources: list[EventSourceView] = []
        self._wake = asyncio.Event()
        state.listen(self._note(self.changed))
        state.listen_events(self._note(self.events))
        state.listen_new(self._note(self.new))
        state.listen_source(self._note(self.sources))

    def _note[T](self, into: list[T]) -> Callable[[T], None]:
        def note(item: T) -> None:
            into.append(item)
            self._wake.set()

        return note

    async def until(self, check: Callable[[], bool]) -> None:
        async with asyncio.timeout(WAIT):
            while not check():
                self._wake.clear()
                await self._wake.wait()


def _machine(*capabilities: Capability, **kwargs: object) -> tuple[DetectionState, Watch]:
    options: dict[str, object] = {"auto_off": 60.0, "pulse_seconds": 5.0, **kwargs}
    state = DetectionState(capabilities, **options)  # type: ignore[arg-type]
    return state, Watch(state)


def _live(kind: SourceKind | None) -> SourceStatus:
    return SourceStatus(kind, SourceState.LIVE)


async def test_an_on_turns_off_by_itself_and_a_new_on_starts_the_time_again() -> None:
    state, watch = _machine(MOTION, auto_off=0.05)
    state.event(_event(MOTION))
    assert state.is_on(MOTION) is True
    state.event(_event(MOTION))  # a repeat: the time starts again, no second timer
    await watch.until(lambda: state.is_on(MOTION) is False)
    assert [e.active for e in watch.events] == [True, True]
    state.stop()


async def test_a_pulse_ends_after_the_pulse_time() -> None:
    state, watch = _machine(CROSSING, pulse_seconds=0.05)
    state.event(_event(CROSSING, pulse=True))
    assert state.is_on(CROSSING)
    await watch.until(lambda: state.is_on(CROSSING) is False)


async def test_an_end_said_by_the_camera_ends_at_once() -> None:
    state, _ = _machine(MOTION)
    state.event(_event(MOTION))
    state.event(_event(MOTION, active=False))
    assert state.is_on(MOTION) is False
    state.stop()


def test_restored_states_stand_until_a_source_answers() -> None:
    state, watch = _machine(MOTION, CROSSING)
    assert state.is_on(MOTION) is None
    state.alive()
    assert state.is_on(MOTION) is False
    assert set(watch.changed) == {MOTION, CROSSING}


async def test_the_rule_less_sensor_is_on_while_any_rule_is() -> None:
    gate, door = (Capability(EventKind.LINE_CROSSING, rule=r) for r in ("Gate", "Door"))
    state, watch = _machine(CROSSING)
    state.event(_event(gate))
    assert watch.new == [gate]
    assert state.is_on(CROSSING)
    assert state.is_on(gate)
    state.event(_event(door))
    state.event(_event(gate, active=False))
    assert state.is_on(CROSSING)  # Door still is
    state.event(_event(door, active=False))
    assert state.is_on(CROSSING) is False
    state.event(_event(CROSSING))  # said of the rule-less one itself
    assert state.is_on(CROSSING)
    state.stop()


async def test_initial_states_set_sensors_but_fire_no_event() -> None:
    state, watch = _machine(MOTION)
    state.event(_event(MOTION, initial=True))
    assert state.is_on(MOTION)
    assert watch.events == []
    state.stop()


async def test_300_region_names_make_a_bounded_number_of_sensors() -> None:
    """Rules beyond the cap show on their rule-less sensor, which they keep on; each still
    fires its event; they end by auto-off like any other."""
    state, watch = _machine(auto_off=0.05, max_rules=4)
    for number in range(300):
        state.event(_event(Capability(EventKind.INTRUSION, rule=f"Zone {number}")))
    rules = [c for c in state.capabilities if c.rule]
    assert len(rules) == 4
    whole = Capability(EventKind.INTRUSION)
    assert whole in state.capabilities  # made to show the rest
    assert state.is_on(whole)
    assert state.folded == 296
    assert len(watch.events) == 300
    for rule in rules:
        state.event(_event(rule, active=False))
    assert state.is_on(whole)  # the folded ones are still on
    await watch.until(lambda: state.is_on(whole) is False)
    assert state.describe()["folded_events"] == 296


async def test_channels_beyond_the_cap_show_on_the_camera_wide_sensor() -> None:
    state, _ = _machine(max_channels=2)
    for channel in ("1", "2", "3", "4"):
        state.event(_event(Capability(EventKind.MOTION, channel)))
    assert {c.channel for c in state.capabilities} == {"1", "2", ""}
    assert state.is_on(MOTION)
    state.stop()


async def test_availability_follows_the_source() -> None:
    """Before any delivery the restored state stands; nothing working is unavailable; a
    live source makes its kinds available; its loss makes them unavailable until another
    delivers; a fallback that cannot carry a kind leaves that kind unavailable."""
    person = Capability(EventKind.PERSON)
    state, watch = _machine(MOTION, CROSSING, person, deliverable={WEBHOOK: {EventKind.MOTION}})
    assert state.available(MOTION)
    state.source_status(SourceStatus(None, SourceState.NONE))
    assert not state.available(MOTION)
    state.source_status(SourceStatus(HIK, SourceState.STARTING))
    assert state.available(MOTION)  # nothing has been live yet: restored states stand
    state.source_status(_live(HIK))
    assert all(state.available(c) for c in (MOTION, CROSSING, person))
    watch.changed.clear()
    state.source_status(SourceStatus(None, SourceState.STARTING))  # the stream died
    assert not any(state.available(c) for c in (MOTION, CROSSING, person))
    assert set(watch.changed) == {MOTION, CROSSING, person}  # entities write "unavailable"
    state.source_status(_live(WEBHOOK))
    assert state.available(MOTION)
    assert not state.available(CROSSING)
    state.event(_event(person, source=WEBHOOK))  # the fallback turns out to carry it
    assert state.available(person)
    state.source_status(SourceStatus(WEBHOOK, SourceState.STOPPED))
    assert state.available(CROSSING)
    state.stop()


async def test_no_working_source_for_long_is_signalled_with_what_was_tried() -> None:
    state, watch = _machine(MOTION, no_source_after=0.05)
    failures = {"hikvision_alert_stream": "opening it again failed: HTTP 503"}
    state.source_status(SourceStatus(None, SourceState.NONE, failures))
    await watch.until(lambda: state.no_source)
    view = watch.sources[-1]
    assert (view.no_source, view.state, dict(view.failures)) == (True, SourceState.NONE, failures)
    state.source_status(_live(WEBHOOK))
    assert watch.sources[-1].no_source is False
    assert watch.sources[-1].kind is WEBHOOK
    state.stop()


async def test_a_source_that_comes_back_in_time_raises_nothing() -> None:
    state, watch = _machine(MOTION, no_source_after=60)
    state.source_status(SourceStatus(None, SourceState.STARTING))
    state.source_status(_live(HIK))
    state.event(_event(MOTION))
    assert state.source.last_event == watch.events[-1].time
    assert not state.no_source
    state.stop()


async def test_event_types_grow_with_the_kinds_found() -> None:
    state, watch = _machine(MOTION)
    assert state.event_types("") == ["motion_start", "motion_end"]
    state.event(_event(Capability(EventKind.PERSON)))
    assert state.event_types("") == event_types_for({EventKind.MOTION, EventKind.PERSON})
    state.event(_event(Capability(EventKind.VEHICLE, "2")))
    assert state.event_types("2") == ["vehicle_detected"]
    assert watch.new == [Capability(EventKind.PERSON), Capability(EventKind.VEHICLE, "2")]
    state.stop()


@pytest.mark.parametrize("pulse", [False, True])
async def test_stop_cancels_every_timer(pulse: bool) -> None:
    state, _ = _machine(MOTION, no_source_after=0.01)
    state.event(_event(MOTION, pulse=pulse))
    state.source_status(SourceStatus(None, SourceState.NONE))
    state.stop()
    assert not state._offs  # nothing left to fire after unload
    assert state._no_source_timer is None


async def test_a_fallback_carries_what_the_camera_s_onvif_topics_declare() -> None:
    """A Hikvision's ONVIF topic set declares motion and tamper only: on the webhook, its
    line crossing and intrusion sensors are unavailable; on its alert stream, all are."""
    async with (
        VirtualCamera(CameraConfig(persona="hikvision", rtsp=False)) as camera,
        aiohttp.ClientSession() as session,
    ):
        client = OnvifClient(camera.host, camera.onvif_port, "admin", "secret", session)
        await client.async_connect()
        try:
            onvif = await onvif_capabilities(client)
        finally:
            await client.async_close()
    assert {c.kind for c in onvif} == {EventKind.MOTION, EventKind.TAMPER}
    intrusion = Capability(EventKind.INTRUSION)
    state, _ = _machine(MOTION, CROSSING, intrusion, deliverable=deliverable_kinds(onvif))
    state.source_status(_live(HIK))
    assert all(state.available(c) for c in (MOTION, CROSSING, intrusion))
    state.source_status(_live(WEBHOOK))
    assert state.available(MOTION)
    assert not state.available(CROSSING)
    assert not state.available(intrusion)
    assert deliverable_kinds(set()) == {}  # an unreadable topic set restricts nothing
