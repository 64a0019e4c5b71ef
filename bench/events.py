"""The events table: from the camera raising a detection to the binary sensor's state change.

Each case is one virtual camera added through an integration's config flow, its event source
chosen through the options flow, then driven through the simulator's control API: single
detections in two patterns, and bursts (10 on/off transitions within 100 ms). Back to back,
each change is raised the moment the previous one is seen; 2 s apart, each is raised two
seconds after the previous one. The patterns differ for a source that polls: the built-in
PullPoint waits a fixed time between pulls, and a change raised right after the previous one
was seen always lands inside that wait, while changes 2 s apart mostly arrive during a pull.

Both Home Assistants run side by side; for each source, who goes first alternates.

Latency is Home Assistant's ``last_changed`` of the sensor's new state minus the wall-clock
time the simulator raised the detection (both clocks are this machine's), so neither the
control request nor the WebSocket that reports the change is counted. In a burst, the changes
the sensor showed are matched in order with the raised ones (:func:`attribute`); raised changes
the sensor never showed on its own are counted as lost.
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

from .adding import add_camera, in_order
from .harness import StateWatcher, control, home_assistant, simulator


@dataclass(frozen=True, slots=True)
class Case:
    """One integration with one event source against one kind of virtual camera."""

    label: str
    integration: str
    persona: str
    options: dict[str, Any]


CASES: tuple[Case, ...] = (
    Case("ONVIF webhook", "homebound", "generic", {"event_source": "onvif_webhook"}),
    Case("ONVIF PullPoint", "homebound", "generic", {"event_source": "onvif_pullpoint"}),
    Case("Hikvision alert stream", "homebound", "hikvision", {"event_source": "auto"}),
    Case("Dahua event stream", "homebound", "dahua", {"event_source": "auto"}),
    Case("ONVIF webhook", "onvif", "generic", {"enable_webhooks": True}),
    Case("ONVIF PullPoint", "onvif", "generic", {"enable_webhooks": False}),
)


@dataclass(frozen=True, slots=True)
class Plan:
    """How much to measure."""

    singles: int = 100
    """On/off pairs raised one at a time, back to back (each change waited for): 2x events."""
    spaced: int = 20
    """On/off pairs raised ``spacing`` seconds apart (each change waited for): 2x events."""
    spacing: float = 2.0
    bursts: int = 20
    """Bursts of ``transitions`` on/off pairs within ``within_ms``."""
    transitions: int = 10
    within_ms: float = 100.0
    wait: float = 5.0
    """Seconds a change may take before it counts as lost."""


HOMEBOUND_OPTIONS = {"rtsp_transport": "tcp", "auto_off": 60}


async def _set_options(hass: HassProcess, case: Case, entry_id: str) -> None:
    """Save the case's options through the options flow (which reloads the entry)."""
    flow = await hass.rest("POST", "/api/config/config_entries/options/flow", {"handler": entry_id})
    data = dict(case.options)
    if case.integration == "homebound":
        data = {**HOMEBOUND_OPTIONS, **data}
    # A section (the built-in's "more_options" from Home Assistant 2026.10 on) is required
    # even when every field in it has a default.
    for field in flow.get("data_schema") or []:
        if field.get("type") == "expandable" and field.get("name") not in data:
            data[field["name"]] = {}
    result = await hass.rest(
        "POST", f"/api/config/config_entries/options/flow/{flow['flow_id']}", data
    )
    if result.get("type") != "create_entry":
        raise RuntimeError(f"options of {case.integration} refused: {result}")


def _after(
    watcher: StateWatcher, since: float, state: str, prefix: str
) -> tuple[float, str] | None:
    """Return the first change to ``state`` of an entity ``prefix``… taken from ``since`` on."""
    for stamp, entity_id, value in watcher.stamped:
        if stamp >= since and value == state and entity_id.startswith(prefix):
            return stamp, entity_id
    return None


async def _raise(sim: Simulator, active: bool) -> float:
    body = {"kind": "motion", "active": active}
    answer = await control(sim, "POST", "/cameras/0/detection", body)
    return float(answer["at"])


async def _wait_state(
    watcher: StateWatcher, since: float, state: str, prefix: str, timeout: float
) -> tuple[float, str] | None:
    try:
        async with asyncio.timeout(timeout):
            while (found := _after(watcher, since, state, prefix)) is None:
                watcher.changed.clear()
                await watcher.changed.wait()
    except TimeoutError:
        return None
    return found


async def _motion_sensor(sim: Simulator, watcher: StateWatcher, timeout: float) -> str | None:
    """Raise motion until a binary sensor turns on; return it (motion then ended again)."""
    for _ in range(3):
        found = await _wait_state(watcher, await _raise(sim, True), "on", "binary_sensor.", timeout)
        ended = await _raise(sim, False)
        if found is not None:
            await _wait_state(watcher, ended, "off", found[1], timeout)
            return found[1]
    return None


def _quantiles(values: list[float]) -> dict[str, float] | None:
    if not values:
        return None
    ordered = sorted(values)
    return {
        "p50": statistics.median(ordered),
        "p99": ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))],
        "max": ordered[-1],
        "count": len(ordered),
    }


def attribute(
    raised: list[tuple[float, str]], shown: list[tuple[float, str]]
) -> tuple[list[float], int]:
    """Match shown changes to raised ones; return the latencies and how many were lost.

    ``raised`` and ``shown`` are (time, state) in time order. Each shown change is matched, in
    order, with the first raised change of its state not yet matched and not after it (a
    source slower than the burst's spacing is still matched one to one).
    """
    latencies: list[float] = []
    start = 0
    for stamp, state in shown:
        match = None
        for index in range(start, len(raised)):
            at, value = raised[index]
            if at > stamp:
                break
            if value == state:
                match = index
                break
        if match is None:
            continue
        latencies.append(stamp - raised[match][0])
        start = match + 1
    return latencies, len(raised) - len(latencies)


async def _singles(
    sim: Simulator,
    watcher: StateWatcher,
    entity_id: str,
    plan: Plan,
    *,
    pairs: int,
    spacing: float = 0.0,
) -> dict[str, Any]:
    """Raise ``pairs`` on/off pairs one at a time; return their latencies and losses.

    Each change is raised once the previous one was seen (or lost) and, with ``spacing``, no
    sooner than that many seconds after the previous one was raised.
    """
    latencies: list[float] = []
    lost = 0
    previous: float | None = None
    for _ in range(pairs):
        for active, state in ((True, "on"), (False, "off")):
            if spacing and previous is not None:
                # The pattern is the figure here: this pause paces the camera, it waits for nothing.
                await asyncio.sleep(max(0.0, previous + spacing - time.time()))
            raised = previous = await _raise(sim, active)
            found = await _wait_state(watcher, raised, state, entity_id, plan.wait)
            if found is None:
                lost += 1
            else:
                latencies.append(found[0] - raised)
    return {"latency_s": _quantiles(latencies), "lost": lost, "raised": 2 * pairs}


async def _bursts(
    sim: Simulator, watcher: StateWatcher, entity_id: str, plan: Plan
) -> dict[str, Any]:
    latencies: list[float] = []
    lost = 0
    for _ in range(plan.bursts):
        begun = len(watcher.stamped)
        answer = await control(
            sim,
            "POST",
            "/cameras/0/burst",
            {"kind": "motion", "transitions": plan.transitions, "within_ms": plan.within_ms},
        )
        times = [float(t) for t in answer["at"]]
        raised = [(t, "on" if i % 2 == 0 else "off") for i, t in enumerate(times)]
        await _wait_state(watcher, times[-1], "off", entity_id, plan.wait)
        shown = [
            (stamp, value)
            for stamp, entity, value in watcher.stamped[begun:]
            if entity == entity_id and stamp >= times[0]
        ]
        burst_latencies, burst_lost = attribute(raised, shown)
        latencies.extend(burst_latencies)
        lost += burst_lost
    return {
        "latency_s": _quantiles(latencies),
        "lost": lost,
        "raised": 2 * plan.bursts * plan.transitions,
    }


def _enum_name(value: Any) -> str:
    """Read ``STARTED`` out of the diagnostics' ``{"repr": "<X.STARTED: 1>"}`` of an enum."""
    text = str(value.get("repr", value) if isinstance(value, dict) else value)
    return text.split(".")[-1].split(":")[0].strip("<>").lower()


async def _source_in_use(hass: HassProcess, case: Case, entry_id: str) -> str:
    """Return what the integration's diagnostics say it receives events through."""
    diagnostics = await hass.rest("GET", f"/api/diagnostics/config_entry/{entry_id}")
    events = diagnostics.get("data", {}).get("events", {})
    if case.integration == "onvif":
        webhook = _enum_name(events.get("webhook_manager_state"))
        pullpoint = _enum_name(events.get("pullpoint_manager_state"))
        return f"webhook {webhook}, PullPoint {pullpoint}"
    active = (events.get("manager") or {}).get("active") or {}
    return str(active.get("source"))


async def measure_case(
    hass: HassProcess, sim: Simulator, watcher: StateWatcher, case: Case, plan: Plan
) -> dict[str, Any]:
    """Add the camera, choose its source, and time its detections."""
    added = await add_camera(hass, case.integration, sim.cameras[0], watcher)
    if "error" in added:
        return {"error": added["error"]}
    try:
        await _set_options(hass, case, added["entry_id"])
        entity_id = await _motion_sensor(sim, watcher, 30.0)
        if entity_id is None:
            return {"error": "no binary sensor turned on for motion"}
        figures = {
            "entity_id": entity_id,
            "source": await _source_in_use(hass, case, added["entry_id"]),
            "single": await _singles(sim, watcher, entity_id, plan, pairs=plan.singles),
            "spaced": await _singles(
                sim, watcher, entity_id, plan, pairs=plan.spaced, spacing=plan.spacing
            ),
            "burst": await _bursts(sim, watcher, entity_id, plan),
        }
    finally:
        await hass.rest("DELETE", f"/api/config/config_entries/entry/{added['entry_id']}")
    return figures


PERSONAS = ("generic", "hikvision", "dahua")


async def run(work: Path, plan: Plan) -> dict[str, Any]:
    """Every case: one simulator per persona, one Home Assistant per integration."""
    results: dict[str, dict[str, Any]] = {"homebound": {}, "onvif": {}}
    async with AsyncExitStack() as stack:
        sims = {
            persona: await stack.enter_async_context(
                simulator(work / f"events-{persona}", "--persona", persona)
            )
            for persona in PERSONAS
        }
        cameras = [sim.cameras[0] for sim in sims.values()]
        running: dict[str, tuple[HassProcess, StateWatcher]] = {}
        for integration in results:
            hass = await stack.enter_async_context(
                home_assistant(work / f"ha-events-{integration}", cameras)
            )
            running[integration] = (hass, await stack.enter_async_context(StateWatcher(hass)))
        labels = list(dict.fromkeys(case.label for case in CASES))
        for index, label in enumerate(labels):
            for integration in in_order(index):
                for case in CASES:
                    if (case.integration, case.label) == (integration, label):
                        hass, watcher = running[integration]
                        results[integration][label] = await measure_case(
                            hass, sims[case.persona], watcher, case, plan
                        )
    return results


def _ms(figures: dict[str, Any] | None, key: str) -> str:
    latency = (figures or {}).get("latency_s")
    return "-" if not latency else f"{latency[key] * 1000:.1f} ms"


def _lost(figures: dict[str, Any] | None) -> str:
    if not figures:
        return "-"
    return f"{figures['lost']} of {figures['raised']}"


def _ratio(a: dict[str, Any] | None, b: dict[str, Any] | None) -> str:
    x, y = (a or {}).get("latency_s"), (b or {}).get("latency_s")
    if x and b and not y:
        return "built-in showed none"
    return "-" if not x or not y or not y["p99"] else f"{x['p99'] / y['p99']:.2f}x"


def tables(results: dict[str, Any]) -> list[tuple[str, list[list[str]]]]:
    """Return the latency table (first row: header), Homebound's sources and the built-in's."""
    rows = [
        [
            "integration, source",
            "in use",
            "back to back p50",
            "p99",
            "lost",
            "2 s apart p50",
            "p99",
            "lost",
            "burst p50",
            "burst p99",
            "lost",
            "burst p99 / built-in's",
        ]
    ]
    core = results.get("onvif", {})
    for integration, name in (("homebound", "Homebound"), ("onvif", "built-in onvif")):
        for label, figures in results.get(integration, {}).items():
            if "error" in figures:
                rows.append([f"{name}, {label}", f"cannot: {figures['error']}"])
                continue
            single, spaced, burst = (figures.get(k) for k in ("single", "spaced", "burst"))
            # A vendor stream is compared with the built-in's best: its ONVIF webhook.
            same = core.get(label if label in core else "ONVIF webhook", {}).get("burst")
            rows.append(
                [
                    f"{name}, {label}",
                    str(figures.get("source")),
                    _ms(single, "p50"),
                    _ms(single, "p99"),
                    _lost(single),
                    _ms(spaced, "p50"),
                    _ms(spaced, "p99"),
                    _lost(spaced),
                    _ms(burst, "p50"),
                    _ms(burst, "p99"),
                    _lost(burst),
                    _ratio(burst, same) if integration == "homebound" else "",
                ]
            )
    return [("Events: raised on the camera -> binary sensor state", rows)]
