"""Watching the ruleset: a signal within a second when Homebound's table changes or goes.

Why ``nft monitor``: the kernel sends a netlink notification for every change of the
ruleset (a rule, a set element, a chain, a table; ``nft flush ruleset`` is a delete of every
object and then of every table), and ``nft -j monitor`` prints each as one JSON line. Polling
the table every few seconds would cost a full listing each time and still leave a gap; the
monitor costs nothing while nothing changes. Packets that fill the attempts sets and timeout
elements that expire do not notify, so a busy camera does not wake the watcher.

The same watcher runs on the Home Assistant host (a subprocess) and on a router (a channel of
the SSH session already open): both are a :class:`~.runner.StreamingRunner`. It only says
*that* something happened; what changed is verify's business. So the parsing is small and
suspicious: a line is a signal when it names Homebound's table, and a line that cannot be read
but mentions it is a signal too (a change is never hidden, a false alarm costs one check).

Proof that it works: right after the monitor starts, the watcher creates and deletes an empty
table of its own (``homebound_watch_N``, no chain, no effect on traffic) and waits to see that
come back through the monitor. Until then it is not ``ready``; the guard re-verifies once it
is, which closes the gap between starting the monitor and its first event. The same probe is
a barrier (:meth:`TableWatcher.sync`): events come in commit order, so once a probe made now
comes back, everything committed before it was reported.

Trap: ``nft`` 1.0.6 (Debian bookworm) prints garbage for the elements of interval sets with
concatenations (``svc4``/``svc6``) in ``nft monitor``, text and JSON alike, and often crashes
on them - that is, on every apply. The watcher starts again at once (a stream that proved
itself restarts after ``backoff_min``) and the guard re-verifies on ``READY``, so nothing
committed meanwhile goes unseen; it is only found by that check instead of by a line.

When the stream ends (the router rebooted, the SSH session died, ``nft`` was killed) it says
so and starts again after a pause that doubles up to ``backoff_max`` and resets once a stream
proved itself. ``stop()`` ends it cleanly: the task is cancelled, the command stopped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
import itertools
import json
import logging
import time
from typing import Any

from .errors import FirewallError
from .nft_render import FAMILY, TABLE
from .runner import LineStream, StreamingRunner

_LOGGER = logging.getLogger(__name__)

MONITOR = ("nft", "-j", "monitor")
PROBE_TABLE = f"{TABLE}_watch"
PROBE_TRIES = 12
PROBE_FIRST_WAIT, PROBE_MAX_WAIT = 0.02, 5.0
HEARTBEAT = 30.0
"""Seconds between the probes that prove a running monitor still reports."""


class WatchKind(StrEnum):
    """What the watcher saw."""

    READY = "ready"
    """The monitor runs and its probe came back: every later change will be seen."""
    CHANGED = "changed"
    """Something in Homebound's table changed (an element, a rule, a chain, a set)."""
    REMOVED = "removed"
    """Homebound's table was deleted (``delete table``, ``nft flush ruleset``, ``fw4 flush``)."""
    LOST = "lost"
    """The monitor stopped (the connection broke, the command ended); it starts again."""


@dataclass(frozen=True, slots=True)
class WatchEvent:
    """One signal: what, when (``time.monotonic()``), and the error of a lost stream."""

    kind: WatchKind
    at: float
    error: FirewallError | None = None


def classify(line: str, table: str = TABLE, family: str = FAMILY) -> WatchKind | None:
    """Tell what a line of ``nft -j monitor`` means for ``table`` (None: nothing for us).

    Never raises: the line comes from a router that may be hostile.
    """
    if table not in line:
        return None
    try:
        data: Any = json.loads(line)
    except (ValueError, RecursionError):
        return WatchKind.CHANGED
    if not isinstance(data, dict) or len(data) != 1:
        return WatchKind.CHANGED
    ((verb, body),) = data.items()
    if not isinstance(body, dict) or len(body) != 1:
        return WatchKind.CHANGED
    ((kind, obj),) = body.items()
    if not isinstance(obj, dict):
        return WatchKind.CHANGED
    if obj.get("family") not in (None, family):
        return None
    if kind == "table":
        if obj.get("name") != table:
            return None
        return WatchKind.REMOVED if verb == "delete" else WatchKind.CHANGED
    return WatchKind.CHANGED if obj.get("table") == table else None


async def cancel_and_wait(task: asyncio.Task[Any]) -> None:
    """Cancel ``task`` and wait for its end, swallowing its errors of the firewall.

    Only the task's own cancellation is swallowed: when the caller itself is being cancelled
    meanwhile, that goes on (``contextlib.suppress(CancelledError)`` would eat it too and
    leave the caller running).
    """
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise
    except FirewallError:
        return


def probe_script(name: str) -> str:
    """Write the probe: an empty table of the watcher's own, created and deleted in one go."""
    return f"add table {FAMILY} {name}\ndelete table {FAMILY} {name}\n"


def probe_seen(line: str) -> str | None:
    """Return the probe table whose deletion a line reports (None: the line is no probe's)."""
    if PROBE_TABLE not in line:
        return None
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return None
    body = data.get("delete") if isinstance(data, dict) else None
    table = body.get("table") if isinstance(body, dict) else None
    name = table.get("name") if isinstance(table, dict) else None
    return name if isinstance(name, str) and name.startswith(PROBE_TABLE) else None


class TableWatcher:
    """Follows ``nft -j monitor`` through a runner and calls ``notify`` for each signal."""

    def __init__(
        self,
        runner: StreamingRunner,
        notify: Callable[[WatchEvent], None],
        *,
        argv: tuple[str, ...] = MONITOR,
        backoff_min: float = 0.5,
        backoff_max: float = 30.0,
        heartbeat: float = HEARTBEAT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Prepare; nothing runs before :meth:`start`."""
        self._runner = runner
        self._notify = notify
        self._argv = argv
        self._backoff = (backoff_min, backoff_max)
        self._heartbeat = heartbeat
        self._clock = clock
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._probes = itertools.count(1)
        self._seen: set[str] = set()
        self._seen_changed = asyncio.Condition()
        self.streams = 0
        """How many times the monitor was started (for diagnostics and tests)."""

    @property
    def ready(self) -> bool:
        """Whether the monitor runs and was seen to report changes."""
        return self._ready.is_set()

    def start(self) -> None:
        """Start following the ruleset in a task of its own (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name="homebound firewall watcher"
            )

    async def stop(self) -> None:
        """Stop following: the task ends and the monitor command with it."""
        task, self._task = self._task, None
        self._ready.clear()
        if task is not None:
            await cancel_and_wait(task)

    async def wait_ready(self, timeout: float) -> bool:
        """Wait (at most ``timeout`` seconds) until the monitor proved itself; whether it did."""
        try:
            async with asyncio.timeout(timeout):
                await self._ready.wait()
        except TimeoutError:
            return False
        return True

    async def sync(self, timeout: float) -> bool:
        """Wait until the monitor reported everything committed before this call; whether it did.

        Makes a probe now and waits for it to come back (probing again while the monitor is
        restarting), at most ``timeout`` seconds.
        """
        name = f"{PROBE_TABLE}_{next(self._probes)}"
        try:
            async with asyncio.timeout(timeout):
                wait = PROBE_FIRST_WAIT
                while not await self._probe(name, wait):
                    wait = min(wait * 2, PROBE_MAX_WAIT)
        except TimeoutError:
            return False
        return True

    async def _probe(self, name: str, wait: float) -> bool:
        """Run probe ``name``; whether it came back through the monitor within ``wait``."""
        try:
            await self._runner.run(("nft", "-f", "-"), stdin=probe_script(name), timeout=wait + 5)
        except FirewallError:
            await asyncio.sleep(wait)
            return False
        try:
            async with asyncio.timeout(wait):
                async with self._seen_changed:
                    await self._seen_changed.wait_for(lambda: name in self._seen)
        except TimeoutError:
            return False
        self._seen.discard(name)
        return True

    async def _saw_probe(self, name: str) -> None:
        async with self._seen_changed:
            self._seen.add(name)
            if len(self._seen) > PROBE_TRIES * 4:
                self._seen.clear()
                self._seen.add(name)
            self._seen_changed.notify_all()

    def _signal(self, kind: WatchKind, error: FirewallError | None = None) -> None:
        self._notify(WatchEvent(kind, self._clock(), error))

    async def _run(self) -> None:
        delay = self._backoff[0]
        while True:
            error: FirewallError | None = None
            proved = False
            try:
                proved = await self._follow()
            except FirewallError as err:
                error = err
            except Exception:  # a bug must not end the watcher
                _LOGGER.exception("The ruleset watcher failed unexpectedly")
            self._ready.clear()
            self._signal(WatchKind.LOST, error)
            delay = self._backoff[0] if proved else min(delay * 2, self._backoff[1])
            await asyncio.sleep(delay)

    async def _follow(self) -> bool:
        """Run one monitor until it ends; whether it proved itself first."""
        stream = await self._runner.stream(self._argv)
        self.streams += 1
        probe = asyncio.get_running_loop().create_task(self._prove(stream))
        try:
            async for line in stream.lines():
                if (name := probe_seen(line)) is not None:
                    await self._saw_probe(name)
                elif (kind := classify(line)) is not None:
                    self._signal(kind)
            return self._ready.is_set()
        finally:
            try:
                await cancel_and_wait(probe)
            finally:
                await stream.close()

    async def _prove(self, stream: LineStream) -> None:
        """Probe a new monitor until it reports the probe (then it is ready), then now and then.

        The monitor subscribes a moment after its command starts, and nothing says when: the
        probe is repeated, each time waiting twice as long for it to come back (bounded).
        Afterwards a probe every ``heartbeat`` seconds proves the monitor still reports; one
        that does not come back ends the stream (a hung or silently dead ``nft``), and the
        watcher starts again.
        """
        name = f"{PROBE_TABLE}_{next(self._probes)}"
        wait = PROBE_FIRST_WAIT
        for _ in range(PROBE_TRIES):
            if await self._probe(name, wait):
                self._ready.set()
                self._signal(WatchKind.READY)
                break
            wait = min(wait * 2, PROBE_MAX_WAIT)
        else:
            return
        while True:
            await asyncio.sleep(self._heartbeat)
            if not await self.sync(PROBE_MAX_WAIT * 2):
                await stream.close()
                return
