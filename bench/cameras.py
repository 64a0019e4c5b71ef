"""The camera tables: set-up, start-up with many cameras, memory, requests at rest.

Each figure is measured for Homebound and for Home Assistant's built-in ``onvif`` integration
against the same kind of virtual cameras in the same run, so the ratios compare like with like.
Who goes first alternates (:func:`bench.adding.in_order`): set-up runs alternate between the
two Home Assistants, running side by side; starts alternate from one start to the next.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
import statistics
import time
from typing import Any

from devtools.harness import Simulator
from devtools.hass_process import HassProcess

from . import rest
from .adding import INTEGRATIONS, add_camera, capabilities, in_order, one_camera_run
from .harness import StateWatcher, home_assistant, rss_mib, simulator
from .rest import events_live, reset_all


@dataclass(frozen=True, slots=True)
class Plan:
    """How much to measure."""

    runs: int = 5
    many: int = 32
    starts: int = 3
    """Starts of Home Assistant per figure (alone, with the cameras): start times vary."""
    rest_cameras: int = 4
    rest_seconds: float = 600.0
    rest_poll: float = 5.0


QUICK = Plan(runs=2, many=2, starts=2, rest_cameras=1, rest_seconds=5.0, rest_poll=1.0)
SETTLE_SECONDS = 2.0
"""Wait before reading memory, so the last set-up's background work is done."""
CAPABILITY_CHECKS: dict[str, list[str]] = {
    "H.265-only camera": ["--main-codec", "H265", "--sub-codec", "H265"],
    "no GetNetworkInterfaces": ["--quirk", "no_network_interfaces"],
    "HTTP Digest on SOAP": ["--quirk", "soap_http_digest"],
}


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": len(values),
    }


def _spread_all(values: list[float | None]) -> dict[str, float] | None:
    """Return the spread, or None when any run lacked the figure."""
    present = [v for v in values if v is not None]
    return _spread(present) if present and len(present) == len(values) else None


async def _settled_rss(hass: HassProcess) -> float:
    """Resident memory once the last set-up's background work had time to finish."""
    await asyncio.sleep(SETTLE_SECONDS)
    return rss_mib(hass.pid or 0)


async def _entries_loaded(hass: HassProcess, domain: str, count: int) -> float:
    """Wait until ``count`` entries of ``domain`` are loaded; return time.monotonic() then."""
    async with asyncio.timeout(240):
        while True:
            entries = await hass.config_entries(domain)
            if len(entries) >= count and all(e.get("state") == "loaded" for e in entries):
                return time.monotonic()
            await asyncio.sleep(0.05)


async def _cameras_available(hass: HassProcess, count: int) -> float:
    """Wait until ``count`` camera entities have a state other than unavailable."""
    async with asyncio.timeout(240):
        while True:
            ready = [
                s
                for s in await hass.states()
                if s["entity_id"].startswith("camera.") and s["state"] != "unavailable"
            ]
            if len(ready) >= count:
                return time.monotonic()
            await asyncio.sleep(0.05)


def _one_figures(runs: list[dict[str, Any]]) -> dict[str, Any]:
    if errors := [r["error"] for r in runs if "error" in r]:
        return {"error": errors[0]}
    last = runs[-1]
    setup = last["setup_counts"]
    return {
        "discovery_s": _spread([r["discovery_s"] for r in runs]),
        "camera_s": _spread([r["camera_s"] for r in runs]),
        "user_s": _spread([r["user_s"] for r in runs]),
        "sensor_s": _spread_all([r["sensor_s"] for r in runs]),
        "snapshot_s": _spread_all([r["snapshot_s"] for r in runs]),
        "setup_requests": sum(v for k, v in setup.items() if k != "snapshot"),
        "setup_snapshots": setup.get("snapshot", 0),
        "setup_requests_by_operation": setup,
        "first_jpeg_requests_by_operation": last["first_jpeg_counts"],
        "requests_by_run": [
            {"setup": r["setup_counts"], "first_jpeg": r["first_jpeg_counts"]} for r in runs
        ],
    }


class _Side:
    """One integration's simulators, configuration and figures across the phases."""

    def __init__(self, integration: str, work: Path) -> None:
        self.integration = integration
        self.config = work / f"ha-{integration}"
        self.work = work
        self.sim: Simulator
        self.kinds: dict[str, Simulator] = {}
        self.alone: list[float] = []
        self.runs: list[dict[str, Any]] = []
        self.many: dict[str, Any] = {}

    async def open(self, stack: AsyncExitStack, plan: Plan) -> None:
        work = self.work
        name = self.integration
        self.sim = await stack.enter_async_context(
            simulator(work / name, "--count", str(plan.many))
        )
        for index, (kind, args) in enumerate(CAPABILITY_CHECKS.items()):
            self.kinds[kind] = await stack.enter_async_context(
                simulator(work / f"{name}-{index}", *args)
            )

    @property
    def everyone(self) -> list[Any]:
        return [*self.sim.cameras, *(c for s in self.kinds.values() for c in s.cameras)]

    def hass(self) -> Any:
        return home_assistant(self.config, self.everyone)


async def run(work: Path, plan: Plan) -> dict[str, Any]:
    """Every camera table, both integrations."""
    sides = {integration: _Side(integration, work) for integration in INTEGRATIONS}
    results: dict[str, Any] = {"one": {}, "many": {}, "capabilities": {}}
    async with AsyncExitStack() as stack:
        for side in sides.values():
            await side.open(stack, plan)
            async with side.hass():  # the first start onboards
                pass
        for start in range(plan.starts):
            for integration in in_order(start):
                async with sides[integration].hass() as hass:
                    sides[integration].alone.append(time.monotonic() - hass.spawned_at)
        await _added(sides, plan, results)
        for start in range(plan.starts):
            for integration in in_order(start):
                await _restart(sides[integration], plan, first=start == 0)
    for integration, side in sides.items():
        results["many"][integration] = _many_figures(side, plan)
    results["rest"] = await rest.run(work, plan.rest_cameras, plan.rest_seconds, plan.rest_poll)
    results["order"] = "alternating: Homebound first in odd runs and starts, the built-in in even"
    return results


async def _added(sides: dict[str, _Side], plan: Plan, results: dict[str, Any]) -> None:
    """Run both Home Assistants side by side for the figures of adding cameras.

    One camera added and removed ``plan.runs`` times (who goes first alternating), the
    capability checks, then every camera added one by one (alternating too).
    """
    async with AsyncExitStack() as stack:
        running: dict[str, tuple[HassProcess, StateWatcher]] = {}
        for integration in INTEGRATIONS:
            hass = await stack.enter_async_context(sides[integration].hass())
            running[integration] = (hass, await stack.enter_async_context(StateWatcher(hass)))
            sides[integration].many["rss_empty_mib"] = await _settled_rss(hass)
        for run_index in range(plan.runs):
            for integration in in_order(run_index):
                hass, watcher = running[integration]
                sides[integration].runs.append(
                    await one_camera_run(hass, sides[integration].sim, watcher, integration)
                )
        for integration, (hass, watcher) in running.items():
            side = sides[integration]
            results["one"][integration] = _one_figures(side.runs)
            results["capabilities"][integration] = await capabilities(
                hass, side.kinds, watcher, integration
            )
            side.many["rss_before_mib"] = await _settled_rss(hass)
        for index in range(plan.many):
            for integration in in_order(index):
                hass, watcher = running[integration]
                camera = sides[integration].sim.cameras[index]
                figures = await add_camera(hass, integration, camera, watcher)
                if "error" in figures:
                    sides[integration].many["error"] = figures["error"]
        for integration, (hass, _) in running.items():
            await _entries_loaded(hass, integration, plan.many)
            sides[integration].many["rss_added_mib"] = await _settled_rss(hass)


async def _restart(side: _Side, plan: Plan, *, first: bool) -> None:
    """One start with every entry: loaded, cameras available, events live; memory once."""
    if "error" in side.many:
        return
    await reset_all(side.sim)
    async with side.hass() as hass:
        live = asyncio.create_task(events_live(side.sim, timeout=240))
        loaded = await _entries_loaded(hass, side.integration, plan.many)
        available = await _cameras_available(hass, plan.many)
        try:
            events_at: float | None = await live
        except TimeoutError:
            events_at = None
        for key, at in (("loaded", loaded), ("available", available), ("live", events_at)):
            side.many.setdefault(key, []).append(None if at is None else at - hass.spawned_at)
        if first:
            side.many["rss_restarted_mib"] = await _settled_rss(hass)


def _median(values: list[float | None]) -> float | None:
    return None if not values or None in values else statistics.median(v or 0 for v in values)


def _many_figures(side: _Side, plan: Plan) -> dict[str, Any]:
    many = side.many
    if "error" in many:
        return {"error": many["error"]}
    alone = statistics.median(side.alone)
    loaded = _median(many["loaded"]) or 0.0
    empty = many["rss_empty_mib"]
    return {
        "cameras": plan.many,
        "starts": plan.starts,
        "start_alone_s": alone,
        "start_with_cameras_s": loaded,
        "start_added_s": loaded - alone,
        "cameras_available_s": _median(many["available"]),
        "events_live_s": _median(many["live"]),
        "rss_empty_mib": empty,
        "rss_before_mib": many["rss_before_mib"],
        "rss_added_mib": many["rss_added_mib"],
        "rss_restarted_mib": many["rss_restarted_mib"],
        "mib_per_camera_added": (many["rss_added_mib"] - empty) / plan.many,
        "mib_per_camera_marginal": (many["rss_added_mib"] - many["rss_before_mib"]) / plan.many,
        "mib_per_camera_restarted": (many["rss_restarted_mib"] - empty) / plan.many,
    }
