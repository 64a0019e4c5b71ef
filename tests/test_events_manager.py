"""The event manager's choices, with sources that do exactly what a test says.

The sources here speak no protocol (the protocol tests are test_events_failover and the
vendor/ONVIF tests); they start, deliver, die and refuse on command, so that the manager's
own rules can be checked one by one: the next source is started before the old one stops,
a source whose task dies is replaced, the better sources are probed one at a time and take
over once they deliver, the same change from two sources is passed on once, and stop()
returns whatever the sources do.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from custom_components.homebound.events import Capability, Event, EventKind, SourceKind, status
from custom_components.homebound.events.manager import Candidate, EventManager
from custom_components.homebound.events.source import EventSink, EventSource, SourceUnavailable
from custom_components.homebound.events.status import SourceState, SourceStatus

WAIT = 10.0
MOTION = Capability(EventKind.MOTION)


@dataclass
class Camera:
    """What the fake sources share: a log of what happened, and switches per kind."""

    log: list[str] = field(default_factory=list)
    refuse: set[SourceKind] = field(default_factory=set)
    die: set[SourceKind] = field(default_factory=set)
    close_raises: set[SourceKind] = field(default_factory=set)
    deliver_on_start: set[SourceKind] = field(default_factory=set)
    hold_close: asyncio.Event | None = None
    running: list[FakeSource] = field(default_factory=list)
    most_running: int = 0
    noted: asyncio.Event = field(default_factory=asyncio.Event)

    def note(self, what: str) -> None:
        self.log.append(what)
        self.noted.set()

    async def until_noted(self, what: str) -> None:
        async with asyncio.timeout(WAIT):
            while what not in self.log:
                self.noted.clear()
                await self.noted.wait()


class FakeSource(EventSource):
    """A source that does what its camera says."""

    silence_window = None

    def __init__(self, sink: EventSink, kind: SourceKind, camera: Camera) -> None:
        super().__init__(sink)
        self.kind = kind
        self.camera = camera
        self.go = asyncio.Event()

    async def _open(self) -> None:
        self.camera.note(f"open {self.kind.value}")
        if self.kind in self.camera.refuse:
            raise SourceUnavailable("refused")
        self.camera.running.append(self)
        self.camera.most_running = max(self.camera.most_running, len(self.camera.running))
        if self.kind in self.camera.deliver_on_start:
            asyncio.get_running_loop().call_soon(self.deliver)

    async def _run(self) -> None:
        await self.go.wait()
        if self.kind in self.camera.die:
            raise RuntimeError("a bug in reading")
        await asyncio.Event().wait()

    async def _close(self) -> None:
        self.camera.note(f"close {self.kind.value}")
        if self in self.camera.running:
            self.camera.running.remove(self)
        if self.camera.hold_close is not None:
            await self.camera.hold_close.wait()
        if self.kind in self.camera.close_raises:
            raise RuntimeError("closing failed")

    def deliver(self, event: Event | None = None) -> None:
        self._alive()
        if event is not None:
            self._report(event)


KINDS = [SourceKind.HIKVISION, SourceKind.WEBHOOK, SourceKind.PULLPOINT]


class Harness:
    """A manager over fake sources, and what it passed on."""

    def __init__(self, camera: Camera, kinds: list[SourceKind] = KINDS) -> None:
        self.camera = camera
        self.events: list[Event] = []
        self.statuses: list[SourceStatus] = []
        self.sources: dict[SourceKind, list[FakeSource]] = {kind: [] for kind in kinds}
        self.manager = EventManager(
            "test",
            [Candidate(kind, self._factory(kind)) for kind in kinds],
            self.events.append,
            on_status=self.statuses.append,
        )

    def _factory(self, kind: SourceKind) -> Callable[[EventSink], EventSource]:
        def make(sink: EventSink) -> EventSource:
            source = FakeSource(sink, kind, self.camera)
            self.sources[kind].append(source)
            return source

        return make

    def latest(self, kind: SourceKind) -> FakeSource:
        return self.sources[kind][-1]

    async def until(self, check: Callable[[], bool]) -> None:
        async with asyncio.timeout(WAIT):
            while not check():
                self.manager.changed.clear()
                await self.manager.changed.wait()


def state_of(manager: EventManager) -> SourceState:
    """The manager's state, read afresh (not narrowed by an earlier assertion)."""
    return manager.status.state


def _motion(source: SourceKind, active: bool = True) -> Event:
    return Event(MOTION, active, source)


@pytest.fixture
def fast_probes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Probe within milliseconds instead of seconds (the schedule's shape is unchanged)."""
    monkeypatch.setattr(status, "PROBE_FIRST", 0.01)
    monkeypatch.setattr(status, "PROBE_MAX", 0.05)
    monkeypatch.setattr(status, "PROBE_SLOW", 0.05)
    monkeypatch.setattr(status, "PROBE_SLOW_MAX", 0.1)
    monkeypatch.setattr(status, "PROBE_WAIT", 0.2)


async def test_the_next_source_starts_before_the_old_one_stops() -> None:
    camera = Camera()
    harness = Harness(camera)
    manager = harness.manager
    await manager.start()
    try:
        hik = harness.latest(SourceKind.HIKVISION)
        hik.deliver()
        assert state_of(manager) is SourceState.LIVE
        camera.log.clear()
        hik._give_up("the stream ended")
        await harness.until(lambda: manager.kind is SourceKind.WEBHOOK)
        await camera.until_noted("close hikvision_alert_stream")
        assert camera.log.index("open onvif_webhook") < camera.log.index(
            "close hikvision_alert_stream"
        )
        assert manager.failures == {"hikvision_alert_stream": "the stream ended"}
        assert state_of(manager) is SourceState.STARTING  # until the webhook delivers
        harness.latest(SourceKind.WEBHOOK).deliver()
        assert manager.status == SourceStatus(
            SourceKind.WEBHOOK,
            SourceState.LIVE,
            {"hikvision_alert_stream": "the stream ended"},
            manager.status.since,
        )
        assert [s.as_dict()["to"] for s in manager.switches] == [
            "hikvision_alert_stream",
            "onvif_webhook",
        ]
    finally:
        await manager.stop()
    assert state_of(manager) is SourceState.STOPPED


async def test_a_source_whose_task_dies_is_replaced() -> None:
    """An unexpected exception in the reader task ends the source, said once; the manager
    notices and starts the next; stop() returns."""
    camera = Camera(die={SourceKind.HIKVISION})
    harness = Harness(camera)
    manager = harness.manager
    await manager.start()
    try:
        hik = harness.latest(SourceKind.HIKVISION)
        hik.go.set()
        await harness.until(lambda: manager.kind is SourceKind.WEBHOOK)
        assert hik.stats.errors == 1
        assert manager.failures["hikvision_alert_stream"] == "reader stopped by RuntimeError"
    finally:
        await manager.stop()


async def test_stop_never_raises() -> None:
    """Sources whose closing raises, a probe under way, a retiring source: stop returns."""
    camera = Camera(close_raises=set(KINDS), refuse={SourceKind.HIKVISION})
    harness = Harness(camera)
    await harness.manager.start()
    assert harness.manager.kind is SourceKind.WEBHOOK
    await harness.manager.stop()
    assert harness.manager.running == ()


@pytest.mark.usefixtures("fast_probes")
async def test_a_better_source_takes_over_once_it_delivers() -> None:
    """On a fallback, the better sources are probed; one that delivers takes over at once,
    and the fallback is stopped after."""
    camera = Camera(refuse={SourceKind.HIKVISION, SourceKind.WEBHOOK})
    harness = Harness(camera)
    manager = harness.manager
    await manager.start()
    try:
        assert manager.kind is SourceKind.PULLPOINT
        harness.latest(SourceKind.PULLPOINT).deliver()
        camera.log.clear()
        camera.refuse.clear()
        await harness.until(lambda: manager.candidate is not None)
        candidate = manager.candidate
        assert isinstance(candidate, FakeSource)
        assert manager.kind is SourceKind.PULLPOINT  # started is not delivering
        candidate.deliver(_motion(candidate.kind))  # an event is a delivery
        assert manager.kind is candidate.kind
        assert [(e.capability, e.active, e.source) for e in harness.events] == [
            (MOTION, True, candidate.kind)
        ]
        camera.deliver_on_start.add(SourceKind.HIKVISION)  # if the webhook came first
        await harness.until(lambda: manager.kind is SourceKind.HIKVISION)
        assert manager.status.live
        await camera.until_noted("close onvif_pullpoint")
        if "open onvif_webhook" in camera.log:
            await camera.until_noted("close onvif_webhook")
        assert [s.kind for s in manager.running] == [SourceKind.HIKVISION]
    finally:
        await manager.stop()


@pytest.mark.usefixtures("fast_probes")
async def test_probes_go_one_at_a_time() -> None:
    """However many sources are better, at most one probe is open beside the one in use."""
    camera = Camera(refuse={SourceKind.HIKVISION, SourceKind.WEBHOOK})
    harness = Harness(camera)
    manager = harness.manager
    await manager.start()
    try:
        camera.refuse = {SourceKind.HIKVISION}
        # The webhook is started but never delivers: each probe of it times out.
        await harness.until(lambda: len(harness.sources[SourceKind.WEBHOOK]) >= 4)
        assert camera.most_running <= 2
        assert manager.kind is SourceKind.PULLPOINT
        assert manager.failures["onvif_webhook"].startswith("did not deliver within")
    finally:
        await manager.stop()


@pytest.mark.usefixtures("fast_probes")
async def test_the_same_change_from_two_sources_is_passed_on_once() -> None:
    """While a replaced source is still stopping, what both report is passed on once; a
    different change from either still comes through."""
    camera = Camera(refuse={SourceKind.HIKVISION})
    harness = Harness(camera)
    manager = harness.manager
    await manager.start()
    try:
        webhook = harness.latest(SourceKind.WEBHOOK)
        webhook.deliver()
        camera.hold_close = asyncio.Event()  # the webhook will take its time to stop
        camera.refuse.clear()
        await harness.until(lambda: manager.candidate is not None)
        hik = manager.candidate
        assert isinstance(hik, FakeSource)
        hik.deliver(_motion(SourceKind.HIKVISION))
        assert manager.kind is SourceKind.HIKVISION
        webhook.deliver(_motion(SourceKind.WEBHOOK))  # the same start, from the old source
        webhook.deliver(_motion(SourceKind.WEBHOOK, active=False))  # news
        hik.deliver(_motion(SourceKind.HIKVISION, active=False))  # the same end
        assert [(e.source, e.active) for e in harness.events] == [
            (SourceKind.HIKVISION, True),
            (SourceKind.WEBHOOK, False),
        ]
        assert manager.duplicates == 2
        camera.hold_close.set()
    finally:
        await manager.stop()


@pytest.mark.usefixtures("fast_probes")
async def test_a_new_start_from_the_new_source_is_no_duplicate() -> None:
    """On, off from the old source, then on from the new one within the window: a new
    motion, not the old one again (it was lost when duplicates were keyed on the change
    alone, and the sensor stayed off through a real motion)."""
    camera = Camera(refuse={SourceKind.HIKVISION})
    harness = Harness(camera)
    manager = harness.manager
    await manager.start()
    try:
        webhook = harness.latest(SourceKind.WEBHOOK)
        webhook.deliver(_motion(SourceKind.WEBHOOK))
        webhook.deliver(_motion(SourceKind.WEBHOOK, active=False))
        camera.refuse.clear()
        await harness.until(lambda: manager.candidate is not None)
        hik = manager.candidate
        assert isinstance(hik, FakeSource)
        hik.deliver(_motion(SourceKind.HIKVISION))
        hik.deliver(_motion(SourceKind.HIKVISION, active=False))
        assert [(e.source, e.active) for e in harness.events] == [
            (SourceKind.WEBHOOK, True),
            (SourceKind.WEBHOOK, False),
            (SourceKind.HIKVISION, True),
            (SourceKind.HIKVISION, False),
        ]
        assert manager.duplicates == 0
    finally:
        await manager.stop()


@pytest.mark.usefixtures("fast_probes")
async def test_when_nothing_works_everything_is_tried_again() -> None:
    camera = Camera(refuse=set(KINDS))
    harness = Harness(camera)
    manager = harness.manager
    await manager.start()
    try:
        assert manager.kind is None
        assert manager.status.state is SourceState.NONE
        assert set(manager.status.failures) == {kind.value for kind in KINDS}
        camera.refuse = {SourceKind.HIKVISION}
        await harness.until(lambda: manager.kind is not None)
        assert manager.kind in (SourceKind.WEBHOOK, SourceKind.PULLPOINT)
    finally:
        await manager.stop()


def test_the_probe_pace() -> None:
    """A source that worked is probed soon after its loss; one that never did, rarely."""
    middle = lambda: 0.5  # noqa: E731 - no jitter
    fast = [status.probe_delay(n, worked=True, lost_for=10, rng=middle) for n in range(7)]
    assert fast == [1, 2, 4, 8, 15, 15, 15]
    assert status.probe_delay(0, worked=True, lost_for=3600, rng=middle) == 300
    assert status.probe_delay(0, worked=False, lost_for=0, rng=middle) == 300
    assert status.probe_delay(5, worked=False, lost_for=0, rng=middle) == 900
    assert 0.8 <= status.probe_delay(0, worked=True, lost_for=0, rng=lambda: 0.0) < 1
