"""The ruleset watcher's logic: classifying monitor lines, proving itself, restarting, stopping.

The monitor here is a stand-in that echoes the watcher's own probes the way ``nft monitor``
does (the real one, locally and over SSH, is in test_guard_lab and test_guard_ssh): what is
tested is what the watcher does with lines, ends and failures. Waits are on events, bounded.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
import json

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.homebound.firewall import (
    CommandResult,
    RouterUnreachableError,
    watch as watch_module,
)
from custom_components.homebound.firewall.runner import DEFAULT_TIMEOUT, LineSplitter
from custom_components.homebound.firewall.watch import (
    TableWatcher,
    WatchEvent,
    WatchKind,
    classify,
    probe_seen,
)

from .guarding import EVENT_TIMEOUT
from .lab import Lab


class FakeStream:
    """One running monitor: lines pushed by the test or echoed from commands."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.closed = False

    async def lines(self) -> AsyncIterator[str]:
        while (line := await self.queue.get()) is not None:
            yield line

    async def close(self) -> None:
        self.closed = True
        self.queue.put_nowait(None)


class FakeMonitor:
    """A runner whose ``nft -f -`` commands show up, as nft monitor prints them, on its streams."""

    def __init__(self) -> None:
        self.streams: list[FakeStream] = []
        self.refuse = 0
        self.echo = True

    async def run(
        self, argv: Sequence[str], *, stdin: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> CommandResult:
        for line in (stdin or "").splitlines():
            verb, _, family, name = line.split()
            if self.echo:
                self.emit(json.dumps({verb: {"table": {"family": family, "name": name}}}))
        return CommandResult(0, "", "")

    async def stream(self, argv: Sequence[str]) -> FakeStream:
        if self.refuse:
            self.refuse -= 1
            raise RouterUnreachableError("cannot reach 198.18.0.1: no answer in time")
        stream = FakeStream()
        self.streams.append(stream)
        return stream

    def emit(self, line: str) -> None:
        for stream in self.streams:
            if not stream.closed:
                stream.queue.put_nowait(line)


class Signals:
    """The watcher's notify: records events and wakes waiters."""

    def __init__(self) -> None:
        self.events: list[WatchEvent] = []
        self._changed = asyncio.Event()

    def __call__(self, event: WatchEvent) -> None:
        self.events.append(event)
        self._changed.set()

    def kinds(self) -> list[WatchKind]:
        return [e.kind for e in self.events]

    async def wait_for(self, kind: WatchKind, count: int = 1) -> None:
        async with asyncio.timeout(EVENT_TIMEOUT):
            while self.kinds().count(kind) < count:
                self._changed.clear()
                await self._changed.wait()


def is_ready(watcher: TableWatcher) -> bool:
    """The watcher's readiness, read afresh (not narrowed by an earlier assert)."""
    return watcher.ready


def element_line(table: str = "homebound") -> str:
    return json.dumps({"add": {"element": {"family": "inet", "table": table, "name": "allow4",
                                           "elem": {"set": ["192.0.2.1"]}}}})  # fmt: skip


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (element_line(), WatchKind.CHANGED),
        (element_line("fw4"), None),
        ('{"delete": {"table": {"family": "inet", "name": "homebound"}}}', WatchKind.REMOVED),
        ('{"add": {"table": {"family": "inet", "name": "homebound"}}}', WatchKind.CHANGED),
        ('{"delete": {"table": {"family": "ip", "name": "homebound"}}}', None),
        ('{"delete": {"table": {"family": "inet", "name": "homebound_watch_3"}}}', None),
        ('{"add": {"table": {"family": "inet", "name": "homebound", "flags": ', WatchKind.CHANGED),
        ('["homebound"]', WatchKind.CHANGED),
        ('{"add": ["homebound"]}', WatchKind.CHANGED),
        ('{"add": {"rule": "homebound"}}', WatchKind.CHANGED),
        ("add element inet fw4 x { 1.2.3.4 }", None),
        ("", None),
    ],
)
def test_classify(line: str, kind: WatchKind | None) -> None:
    assert classify(line) is kind


def test_probe_lines() -> None:
    assert probe_seen('{"delete": {"table": {"family": "inet", "name": "homebound_watch_7"}}}') == (
        "homebound_watch_7"
    )
    assert probe_seen('{"add": {"table": {"family": "inet", "name": "homebound_watch_7"}}}') is None
    assert probe_seen("homebound_watch_7 {") is None
    assert probe_seen('["homebound_watch_7"]') is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_classify_never_raises(line: str) -> None:
    assert classify(line) in {None, *WatchKind}
    assert probe_seen(line) is None or probe_seen(line).startswith("homebound_watch")  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600), st.lists(st.integers(1, 50), max_size=30), st.integers(1, 40))
def test_line_splitter_is_bounded_and_exact(data: bytes, cuts: list[int], limit: int) -> None:
    splitter = LineSplitter(limit)
    lines: list[str] = []
    start = 0
    for size in [*cuts, len(data)]:
        lines += splitter.feed(data[start : start + size])
        start += size
    expected = [part[:limit].decode("utf-8", "replace") for part in data.split(b"\n")[:-1]]
    assert lines == expected


async def test_the_watcher_proves_itself_signals_restarts_and_stops() -> None:
    monitor, signals = FakeMonitor(), Signals()
    watcher = TableWatcher(monitor, signals, backoff_min=0.001, backoff_max=0.01)
    watcher.start()
    watcher.start()  # idempotent
    assert await watcher.wait_ready(EVENT_TIMEOUT)
    monitor.emit(element_line())
    monitor.emit(element_line("fw4"))
    monitor.emit('{"delete": {"table": {"family": "inet", "name": "homebound"}}}')
    await signals.wait_for(WatchKind.REMOVED)
    assert signals.kinds() == [WatchKind.READY, WatchKind.CHANGED, WatchKind.REMOVED]
    assert await watcher.sync(EVENT_TIMEOUT)

    # The monitor ends (nft crashed): lost, started again, proved again.
    await monitor.streams[0].close()
    await signals.wait_for(WatchKind.READY, 2)
    assert WatchKind.LOST in signals.kinds()
    assert watcher.streams == 2
    assert watcher.ready

    await watcher.stop()
    assert not is_ready(watcher)
    assert all(stream.closed for stream in monitor.streams)
    await watcher.stop()  # idempotent


async def test_a_monitor_that_cannot_start_is_retried_with_its_reason() -> None:
    monitor, signals = FakeMonitor(), Signals()
    monitor.refuse = 2
    watcher = TableWatcher(monitor, signals, backoff_min=0.001, backoff_max=0.002)
    watcher.start()
    await signals.wait_for(WatchKind.READY)
    lost = [e for e in signals.events if e.kind is WatchKind.LOST]
    assert len(lost) == 2
    assert all(isinstance(e.error, RouterUnreachableError) for e in lost)
    await watcher.stop()


async def test_a_deaf_monitor_is_found_by_its_heartbeat(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watch_module, "PROBE_MAX_WAIT", 0.05)
    monitor, signals = FakeMonitor(), Signals()
    watcher = TableWatcher(monitor, signals, backoff_min=0.001, heartbeat=0.01)
    watcher.start()
    await signals.wait_for(WatchKind.READY)
    monitor.echo = False  # still running, reports nothing any more
    await signals.wait_for(WatchKind.LOST)
    assert monitor.streams[0].closed
    assert not await watcher.sync(0.05)
    monitor.echo = True
    await signals.wait_for(WatchKind.READY, 2)
    await watcher.stop()


async def test_the_real_monitor_reports_a_deleted_table(lab: Lab) -> None:
    lab.nft("add", "table", "inet", "homebound")
    signals = Signals()
    watcher = TableWatcher(lab.runner(), signals)
    watcher.start()
    try:
        assert await watcher.wait_ready(EVENT_TIMEOUT)
        await asyncio.to_thread(lab.nft, "delete", "table", "inet", "homebound")
        await signals.wait_for(WatchKind.REMOVED)
    finally:
        await watcher.stop()
