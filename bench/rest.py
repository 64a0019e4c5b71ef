"""At rest: what each integration sends to cameras whose events are live, per camera per minute.

Each integration gets its own virtual cameras and Home Assistant, side by side in the same
minutes (requests at rest are counted, not timed, so neither disturbs the other's figure).
The cameras are added through the config flow, the window opens once every camera's event
subscription stands, and it lasts ``rest_seconds`` — ten minutes for the figures, long enough
for the timers that fire every few minutes (a synchronisation point, a subscription renewal)
and the one a minute after set-up. The camera's counts are read every ``rest_poll`` seconds,
so each request kind is listed with when, in the window, it arrived.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
import time
from typing import Any

from devtools.harness import Simulator

from .adding import INTEGRATIONS, add_camera, camera_counts, delta
from .harness import StateWatcher, control, home_assistant, simulator

SUBSCRIPTIONS = frozenset({"Subscribe", "CreatePullPointSubscription"})
"""A camera's events are live once the integration asked for one of these."""
LIVE_TIMEOUT = 120.0


async def _all_counts(sim: Simulator) -> list[dict[str, int]]:
    return list(await asyncio.gather(*(camera_counts(sim, i)() for i in range(len(sim.cameras)))))


async def reset_all(sim: Simulator) -> None:
    """Zero the request counts of every camera of ``sim``."""
    await asyncio.gather(
        *(control(sim, "POST", f"/cameras/{i}/counts/reset") for i in range(len(sim.cameras)))
    )


async def events_live(sim: Simulator, timeout: float = LIVE_TIMEOUT) -> float:
    """Wait until every camera of ``sim`` was asked for an event subscription.

    Counted since the cameras' counts were last reset; returns time.monotonic() then (the
    counts are read every 0.1 s).
    """
    async with asyncio.timeout(timeout):
        while True:
            counts = await _all_counts(sim)
            if all(SUBSCRIPTIONS & {k for k, v in c.items() if v} for c in counts):
                return time.monotonic()
            await asyncio.sleep(0.1)


async def rest_of(
    work: Path, integration: str, cameras: int, seconds: float, poll: float
) -> dict[str, Any]:
    """One integration at rest: its requests by kind, per camera per minute, and when."""
    async with (
        simulator(work / f"rest-{integration}", "--count", str(cameras)) as sim,
        home_assistant(work / f"ha-rest-{integration}", sim.cameras) as hass,
        StateWatcher(hass) as watcher,
    ):
        await reset_all(sim)
        for camera in sim.cameras:
            added = await add_camera(hass, integration, camera, watcher)
            if "error" in added:
                return {"error": added["error"]}
        try:
            await events_live(sim)
        except TimeoutError:
            return {"error": "not every camera's events became live"}
        await reset_all(sim)
        opened = time.monotonic()
        seen: Counter[str] = Counter()
        when: dict[str, list[float]] = {}
        while (elapsed := time.monotonic() - opened) < seconds:
            await asyncio.sleep(min(poll, seconds - elapsed))
            now: Counter[str] = Counter()
            for counts in await _all_counts(sim):
                now.update(counts)
            at = round(time.monotonic() - opened)
            for name, count in delta(dict(now), dict(seen)).items():
                when.setdefault(name, []).extend([at] * count)
            seen = now
        window = time.monotonic() - opened
    per_minute = 60.0 / window / cameras
    return {
        "cameras": cameras,
        "seconds": window,
        "requests": sum(seen.values()),
        "per_camera_per_minute": sum(seen.values()) * per_minute,
        "by_request": {
            name: {"count": count, "per_camera_per_minute": count * per_minute, "at_s": when[name]}
            for name, count in sorted(seen.items())
        },
    }


async def run(work: Path, cameras: int, seconds: float, poll: float) -> dict[str, Any]:
    """Both integrations at rest, side by side."""
    found = await asyncio.gather(
        *(rest_of(work, integration, cameras, seconds, poll) for integration in INTEGRATIONS)
    )
    return dict(zip(INTEGRATIONS, found, strict=True))


def _when(at: list[float]) -> str:
    """``at 300 s (x4)`` for the offsets requests arrived at, grouped."""
    groups = Counter(at)
    return ", ".join(
        f"{second} s" + (f" (x{n})" if n > 1 else "") for second, n in sorted(groups.items())
    )


def rows(results: dict[str, Any]) -> list[list[str]]:
    """Return the at-rest table: totals, then each kind of request each side sent, and when."""
    table = [["at rest, events live", "requests per camera per minute", "what, and when"]]
    for integration, name in zip(INTEGRATIONS, ("Homebound", "built-in onvif"), strict=True):
        figures = results.get(integration) or {}
        if "error" in figures:
            table.append([name, f"cannot: {figures['error']}", ""])
            continue
        table.append(
            [
                f"{name} ({figures['cameras']} cameras, {figures['seconds']:.0f} s)",
                f"{figures['per_camera_per_minute']:.2f}",
                "nothing" if not figures["by_request"] else "",
            ]
        )
        for request, kind in figures["by_request"].items():
            table.append(
                [
                    f"  {request}",
                    f"{kind['per_camera_per_minute']:.2f}",
                    f"{kind['count']} in all: {_when(kind['at_s'])}",
                ]
            )
    return table
