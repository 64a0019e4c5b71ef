"""What every benchmark table needs: a simulator, a real ``hass``, and watching its states.

The benchmarks run the same machinery as the demo — ``python -m simulator`` and a real Home
Assistant started by :class:`devtools.hass_process.HassProcess` — with logging quieted, and
watch Home Assistant's state machine over its WebSocket API, where a new entity is seen the
moment it is written (polling the REST API would add its own interval to every figure).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
import datetime as dt
import os
from pathlib import Path
import time
from typing import Any

import aiohttp

from devtools.harness import Deadline, SimulatedCamera, Simulator
from devtools.hass_process import HassProcess, free_port

BUDGET = 900.0
"""Seconds one benchmark run may take in all."""


def rss_mib(pid: int) -> float:
    """Resident memory of a process, in MiB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@asynccontextmanager
async def simulator(work: Path, *args: str) -> AsyncIterator[Simulator]:
    """Virtual cameras, logging into ``work``; stopped (by process group) afterwards."""
    work.mkdir(parents=True, exist_ok=True)
    sim = Simulator(work / "simulator.log", ["--no-rtsp", *args])
    try:
        await sim.start(Deadline(120))
        yield sim
    finally:
        await sim.stop()


@asynccontextmanager
async def home_assistant(
    config: Path, cameras: Sequence[SimulatedCamera]
) -> AsyncIterator[HassProcess]:
    """Run a quiet Home Assistant whose Homebound discovery probes only these cameras."""
    targets = ",".join(f"{c.host}:{c.discovery_port}" for c in cameras if c.discovery_port)
    hass = HassProcess(
        config,
        port=free_port(),
        env={"HOMEBOUND_DISCOVERY_TARGETS": targets or "127.0.0.1:9"},
        log_level="warning",
        start_timeout=240,
    )
    try:
        await hass.start()
        yield hass
    finally:
        await hass.stop()


@dataclass
class StateWatcher:
    """When each entity last appeared, and every state change, seen over a WebSocket.

    An entity "appears" when its old state is None: when it is first added, and again when
    an entry is deleted and added anew under the same entity id.
    """

    hass: HassProcess
    appeared: dict[str, float] = field(default_factory=dict)
    changes: list[tuple[float, str, str]] = field(default_factory=list)
    stamped: list[tuple[float, str, str]] = field(default_factory=list)
    """Every state change as (Home Assistant's ``last_changed`` wall-clock time, id, state):
    when the state machine took it, without the WebSocket's own delay."""
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None
    _ready: asyncio.Event = field(default_factory=asyncio.Event)

    async def __aenter__(self) -> StateWatcher:
        """Subscribe to state changes; return once the subscription stands."""
        self._task = asyncio.create_task(self._listen())
        async with asyncio.timeout(30):
            await self._ready.wait()
        return self

    async def __aexit__(self, *_: object) -> None:
        """Close the subscription."""
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task

    async def _listen(self) -> None:
        token = (await self.hass._headers())["Authorization"].removeprefix("Bearer ")  # noqa: SLF001
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(f"{self.hass.base_url}/api/websocket") as ws,
        ):
            await ws.receive_json()
            await ws.send_json({"type": "auth", "access_token": token})
            await ws.receive_json()
            await ws.send_json({"id": 1, "type": "subscribe_events", "event_type": "state_changed"})
            await ws.receive_json()
            self._ready.set()
            async for message in ws:
                data = message.json()
                event = data.get("event", {}).get("data", {})
                entity_id = str(event.get("entity_id", ""))
                new = event.get("new_state")
                now = time.monotonic()
                if new is not None and event.get("old_state") is None:
                    self.appeared[entity_id] = now
                if new is not None:
                    self.changes.append((now, entity_id, str(new.get("state"))))
                    changed_at = dt.datetime.fromisoformat(str(new.get("last_changed")))
                    self.stamped.append((changed_at.timestamp(), entity_id, str(new["state"])))
                self.changed.set()

    async def wait(self, predicate: Any, timeout: float = 60) -> float:
        """Wait until ``predicate(self)`` holds; return time.monotonic() when it first did."""
        async with asyncio.timeout(timeout):
            while (found := predicate(self)) is None:
                self.changed.clear()
                await self.changed.wait()
        return float(found)


def first_entity(prefix: str, since: float) -> Any:
    """Return a StateWatcher predicate: when the first entity so named appeared after ``since``."""

    def check(watcher: StateWatcher) -> float | None:
        times = [
            t
            for entity_id, t in watcher.appeared.items()
            if entity_id.startswith(prefix) and t >= since
        ]
        return min(times) if times else None

    return check


def newest_entity(watcher: StateWatcher, prefix: str, since: float) -> str:
    """Return the entity so named that appeared first after ``since``."""
    return min(
        (e for e, t in watcher.appeared.items() if e.startswith(prefix) and t >= since),
        key=watcher.appeared.__getitem__,
    )


async def control(sim: Simulator, method: str, path: str, body: Any = None) -> Any:
    """Call the simulator's control API."""
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, f"http://127.0.0.1:{sim.control_port}{path}", json=body) as response,
    ):
        response.raise_for_status()
        return await response.json()


def environment() -> dict[str, str]:
    """Describe the machine the figures were measured on."""
    cpus = os.cpu_count() or 0
    model = ""
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cpus": str(cpus), "cpu": model}
