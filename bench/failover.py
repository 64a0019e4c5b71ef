"""The failover tables: a camera's event channel dies and comes back, per vendor.

**Vendor stream** (Homebound only: the built-in onvif integration has no vendor stream): a
Hikvision or Dahua camera is added through the config flow with its event source on "auto"
(its vendor stream first, then ONVIF push, then PullPoint), and its stream is then

* *killed*: cut, and refused (HTTP 503) until it returns, as when the firmware's event process
  dies; or
* *stalled*: open and silent, as when it hangs — only the learned heartbeat tells, so the
  stall begins once the stream's rhythm is measured (diagnostics say so);

and returned ``outage`` seconds later. Measured from Home Assistant's state machine (each
change's ``last_changed``, wall clock, against the wall-clock time of the control request):
death → the motion sensor unavailable (nothing delivers; "never" when the next source took
over before the old one was dropped), death → the "Event source" sensor naming a fallback and
the motion sensor showing a state again (the next source delivers), return → the Event source
sensor naming the vendor stream again (a probe delivered: moved up).
A motion start is raised right after each death and each return, its end once it was shown:
a change never shown within ``wait`` seconds is lost.

**Camera reboot** (both integrations, side by side on the same camera: the equivalent the
built-in has — every subscription and stream the camera had is gone): from the camera back
online, a motion start and end is raised every ``pace`` seconds until one is shown; the table
gives the time to the first shown and how many raised changes were never shown.

Production constants throughout (the simulator's heartbeats are Hikvision's 10 s and the 5 s
Homebound asks Dahua for), so the figures are what a user meets; they are printed, never
asserted.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
import time
from typing import Any

from devtools.harness import Simulator
from devtools.hass_process import HassProcess

from .adding import INTEGRATIONS, add_camera
from .events import _motion_sensor, _raise
from .harness import StateWatcher, control, home_assistant, simulator

VENDORS = {"hikvision": "hikvision_alert_stream", "dahua": "dahua_event_stream"}
FALLBACKS = {"onvif_webhook", "onvif_pullpoint"}
"""What the Event source sensor names while a fallback is in use."""
CASES = ("kill", "stall")
UNAVAILABLE = "unavailable"


@dataclass(frozen=True, slots=True)
class Plan:
    """How long each case lasts."""

    outage: float = 30.0
    """Seconds from the stream's death to its return."""
    wait: float = 60.0
    """Seconds a change may take before it counts as lost (a stall is found after its window)."""
    rhythm: float = 60.0
    """Seconds at most to wait for a stream's heartbeat to be measured before a stall."""
    reboot_downtime: float = 5.0
    reboot_limit: float = 180.0
    """Seconds after a reboot within which events must come back (else: none within)."""
    pace: float = 1.0
    personas: tuple[str, ...] = tuple(VENDORS)


QUICK = Plan(outage=5.0, wait=30.0, rhythm=45.0, reboot_limit=15.0, personas=("dahua",))
"""The smoke run: Dahua only (its 5 s heartbeat makes its stall the quick one)."""


def _current(watcher: StateWatcher, entity_id: str) -> str | None:
    """Return the entity's latest state, as last seen."""
    return next((v for _, e, v in reversed(watcher.stamped) if e == entity_id), None)


def _first(watcher: StateWatcher, since: float, entity_id: str, states: set[str]) -> float | None:
    for stamp, entity, value in watcher.stamped:
        if stamp >= since and entity == entity_id and value in states:
            return stamp
    return None


async def _until(
    watcher: StateWatcher, since: float, entity_id: str, states: set[str], timeout: float
) -> float | None:
    """Return when ``entity_id`` first took one of ``states`` from ``since`` on (None: not)."""
    try:
        async with asyncio.timeout(timeout):
            while (found := _first(watcher, since, entity_id, states)) is None:
                watcher.changed.clear()
                await watcher.changed.wait()
    except TimeoutError:
        return None
    return found


async def _diagnostics(hass: HassProcess, entry_id: str) -> dict[str, Any]:
    answer = await hass.rest("GET", f"/api/diagnostics/config_entry/{entry_id}")
    events: dict[str, Any] = answer.get("data", {}).get("events", {})
    return events


async def _rhythm_known(hass: HassProcess, entry_id: str, limit: float) -> bool:
    """Wait until the stream in use has measured its heartbeat (a stall shows only then)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        active = ((await _diagnostics(hass, entry_id)).get("manager") or {}).get("active") or {}
        if active.get("measured"):
            return True
        await asyncio.sleep(1.0)  # polls diagnostics; the heartbeat comes every 5-10 s
    return False


async def _raised_shown(
    sim: Simulator, watcher: StateWatcher, motion: str, wait: float
) -> tuple[int, int]:
    """Raise a motion start now, its end once shown; return (raised, lost)."""
    started = await _raise(sim, True)
    shown = await _until(watcher, started, motion, {"on"}, wait)
    ended = await _raise(sim, False)
    gone = await _until(watcher, ended, motion, {"off"}, wait)
    return 2, (shown is None) + (gone is None)


async def _vendor_case(
    hass: HassProcess,
    sim: Simulator,
    watcher: StateWatcher,
    ids: tuple[str, str, str],
    vendor: str,
    case: str,
    plan: Plan,
) -> dict[str, Any]:
    entry_id, motion, source = ids
    if case == "stall" and not await _rhythm_known(hass, entry_id, plan.rhythm):
        return {"error": "the stream's heartbeat was not measured"}
    body = {"serving": False} if case == "kill" else {"stalled": True}
    died = time.time()
    await control(sim, "POST", "/cameras/0/event_stream", body)
    during = asyncio.create_task(_raised_shown(sim, watcher, motion, plan.wait))
    # The next source in use (named by the Event source sensor), then delivering: the motion
    # sensor shows a state again (after being unavailable, or the motion raised at the death).
    fell = await _until(watcher, died, source, FALLBACKS, plan.wait)
    unavailable = _first(watcher, died, motion, {UNAVAILABLE})
    since = max(fell or died, unavailable or died)
    live = await _until(watcher, since, motion, {"on", "off"}, plan.wait) if fell else None
    raised, lost = await during
    await asyncio.sleep(max(0.0, died + plan.outage - time.time()))  # the outage's length
    body = {"serving": True} if case == "kill" else {"stalled": False}
    returned = time.time()
    await control(sim, "POST", "/cameras/0/event_stream", body)
    again = asyncio.create_task(_raised_shown(sim, watcher, motion, plan.wait))
    up = await _until(watcher, returned, source, {vendor}, plan.wait)
    raised_back, lost_back = await again
    return {
        "unavailable_s": None if unavailable is None else unavailable - died,
        "fallback_s": None if live is None else live - died,
        "moved_up_s": None if up is None else up - returned,
        "raised": raised + raised_back,
        "lost_falling": lost,
        "lost_moving_up": lost_back,
    }


async def _add(
    hass: HassProcess, sim: Simulator, watcher: StateWatcher, integration: str
) -> tuple[str, str, str] | str:
    """Add camera 0; return (entry id, motion sensor, event source sensor) or why not."""
    added = await add_camera(hass, integration, sim.cameras[0], watcher)
    if "error" in added:
        return str(added["error"])
    motion = await _motion_sensor(sim, watcher, 30.0)
    if motion is None:
        return "no binary sensor turned on for motion"
    sources = [e for e in watcher.appeared if e.startswith("sensor.") and "event_source" in e]
    return str(added["entry_id"]), motion, (sources[-1] if sources else "")


async def _in_use(watcher: StateWatcher, entity_id: str, state: str, timeout: float) -> bool:
    try:
        async with asyncio.timeout(timeout):
            while _current(watcher, entity_id) != state:
                watcher.changed.clear()
                await watcher.changed.wait()
    except TimeoutError:
        return False
    return True


async def _vendor(work: Path, persona: str, plan: Plan) -> dict[str, Any]:
    results: dict[str, Any] = {}
    async with (
        simulator(work / f"failover-{persona}", "--persona", persona) as sim,
        home_assistant(work / f"ha-failover-{persona}", sim.cameras) as hass,
        StateWatcher(hass) as watcher,
    ):
        ids = await _add(hass, sim, watcher, "homebound")
        if isinstance(ids, str):
            return {case: {"error": ids} for case in CASES}
        vendor = VENDORS[persona]
        for case in CASES:
            # Each case starts from the vendor stream in use.
            if not await _in_use(watcher, ids[2], vendor, plan.wait):
                results[case] = {"error": "the vendor stream was not in use"}
                continue
            results[case] = await _vendor_case(hass, sim, watcher, ids, vendor, case, plan)
    return results


async def _reboot(work: Path, persona: str, plan: Plan) -> dict[str, Any]:
    """Both integrations on one camera; it reboots; when does each show events again."""
    results: dict[str, Any] = {}
    async with AsyncExitStack() as stack:
        sim = await stack.enter_async_context(
            simulator(work / f"reboot-{persona}", "--persona", persona)
        )
        motions: dict[str, tuple[HassProcess, StateWatcher, str]] = {}
        for integration in INTEGRATIONS:
            hass = await stack.enter_async_context(
                home_assistant(work / f"ha-reboot-{persona}-{integration}", sim.cameras)
            )
            watcher = await stack.enter_async_context(StateWatcher(hass))
            ids = await _add(hass, sim, watcher, integration)
            if isinstance(ids, str):
                results[integration] = {"error": ids}
                continue
            motions[integration] = (hass, watcher, ids[1])
        await control(sim, "POST", "/cameras/0/reboot", {"downtime": plan.reboot_downtime})
        back = time.time()
        first: dict[str, float] = {}
        lost = dict.fromkeys(motions, 0)
        raised = 0
        while len(first) < len(motions) and time.time() - back < plan.reboot_limit:
            for active, state in ((True, "on"), (False, "off")):
                at = await _raise(sim, active)
                raised += 1
                await asyncio.sleep(plan.pace)  # paces the camera; each sensor is read after
                for integration, (_, watcher, motion) in motions.items():
                    shown = _first(watcher, at, motion, {state})
                    if shown is None:
                        lost[integration] += 1
                    else:
                        first.setdefault(integration, shown - back)
        for integration in motions:
            results[integration] = {
                "events_again_s": first.get(integration),
                "raised": raised,
                "lost": lost[integration],
                "limit_s": plan.reboot_limit,
            }
    return results


async def run(work: Path, plan: Plan) -> dict[str, Any]:
    """Every vendor's stream cases, then a reboot with both integrations."""
    return {
        "vendor_stream": {persona: await _vendor(work, persona, plan) for persona in plan.personas},
        "reboot": {persona: await _reboot(work, persona, plan) for persona in plan.personas},
    }


def _s(value: float | None) -> str:
    return "never" if value is None else f"{value:.2f} s"


def tables(results: dict[str, Any]) -> list[tuple[str, list[list[str]]]]:
    """Return the vendor stream table (Homebound) and the reboot table (both integrations)."""
    rows = [
        [
            "vendor, stream",
            "death -> sensors unavailable",
            "death -> next source live",
            "return -> moved back up",
            "lost falling back",
            "lost moving up",
        ]
    ]
    for persona, cases in results.get("vendor_stream", {}).items():
        for case, figures in cases.items():
            label = f"{persona.capitalize()}, stream {'killed' if case == 'kill' else 'stalled'}"
            if "error" in figures:
                rows.append([label, f"cannot: {figures['error']}"])
                continue
            half = figures["raised"] // 2
            rows.append(
                [
                    label,
                    _s(figures["unavailable_s"]),
                    _s(figures["fallback_s"]),
                    _s(figures["moved_up_s"]),
                    f"{figures['lost_falling']} of {half}",
                    f"{figures['lost_moving_up']} of {half}",
                ]
            )
    reboot = [["camera reboots", "integration", "back -> events shown again", "lost"]]
    for persona, sides in results.get("reboot", {}).items():
        for integration, name in zip(INTEGRATIONS, ("Homebound", "built-in onvif"), strict=True):
            figures = sides.get(integration) or {}
            if "error" in figures:
                reboot.append([persona.capitalize(), name, f"cannot: {figures['error']}", ""])
                continue
            again = figures.get("events_again_s")
            reboot.append(
                [
                    persona.capitalize(),
                    name,
                    _s(again) if again is not None else f"none within {figures['limit_s']:.0f} s",
                    f"{figures['lost']} of {figures['raised']}",
                ]
            )
    return [
        (
            "Event failover: the vendor stream dies and returns (Homebound; the built-in has none)",
            rows,
        ),
        ("Event failover: the camera reboots (both integrations on one camera)", reboot),
    ]
