"""The camera tables: set-up time, start-up with many cameras, memory, requests, snapshots.

Each figure is measured for Homebound and for Home Assistant's built-in ``onvif`` integration
against the same virtual cameras in the same run, so the ratios compare like with like.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
import statistics
import time
from typing import Any

from devtools.harness import SimulatedCamera, Simulator
from devtools.hass_process import HassProcess

from .harness import (
    StateWatcher,
    control,
    first_entity,
    home_assistant,
    newest_entity,
    rss_mib,
    simulator,
)

INTEGRATIONS = ("homebound", "onvif")


@dataclass(frozen=True, slots=True)
class Plan:
    """How much to measure."""

    runs: int = 5
    many: int = 32
    rest_seconds: float = 60.0
    starts: int = 3
    """Starts of Home Assistant per figure (alone, with the cameras): start times vary."""


SETTLE_SECONDS = 2.0
"""Wait before reading memory, so the last set-up's background work is done."""


# -- adding one camera through each integration's config flow ------------------------------


async def _homebound_form(hass: HassProcess) -> tuple[str, float]:
    """Walk Homebound's flow to the address form; return the flow id and the discovery wait."""
    started = time.monotonic()
    flow = await hass.flow_start("homebound")
    if flow.get("type") == "menu":
        flow = await hass.flow_step(flow["flow_id"], {"next_step_id": "camera"})
    while flow.get("type") in ("progress", "progress_done"):
        await asyncio.sleep(0.05)
        flow = await hass.flow_get(flow["flow_id"])
    discovery = time.monotonic() - started
    flow = await hass.flow_step(flow["flow_id"], {"device": "manual"})
    return str(flow["flow_id"]), discovery


async def _onvif_form(hass: HassProcess) -> tuple[str, float]:
    flow = await hass.flow_start("onvif")
    flow = await hass.flow_step(flow["flow_id"], {"auto": False})
    return str(flow["flow_id"]), 0.0


def _address(integration: str, camera: SimulatedCamera) -> dict[str, Any]:
    data: dict[str, Any] = {
        "host": camera.host,
        "port": camera.onvif_port,
        "username": camera.username,
        "password": camera.password,
    }
    if integration == "onvif":
        data["name"] = camera.name
    return data


async def add_camera(
    hass: HassProcess, integration: str, camera: SimulatedCamera, watcher: StateWatcher
) -> dict[str, Any]:
    """Add one camera; time from submitting its address to its entities and first JPEG."""
    form = _homebound_form if integration == "homebound" else _onvif_form
    flow_id, discovery = await form(hass)
    submitted = time.monotonic()
    result = await hass.flow_step(flow_id, _address(integration, camera))
    if result.get("type") != "create_entry":
        return {"error": f"{result.get('type')}: {result.get('errors') or result.get('reason')}"}
    camera_at = await watcher.wait(first_entity("camera.", submitted))
    entity_id = newest_entity(watcher, "camera.", submitted)
    figures: dict[str, Any] = {
        "entry_id": result["result"]["entry_id"],
        "discovery_s": discovery,
        "camera_s": camera_at - submitted,
    }
    try:
        sensor_at = await watcher.wait(first_entity("binary_sensor.", submitted), timeout=20)
        figures["sensor_s"] = sensor_at - submitted
    except TimeoutError:
        figures["sensor_s"] = None
    asked = time.monotonic()
    status, _, body = await hass.get_bytes(f"/api/camera_proxy/{entity_id}")
    figures["snapshot_s"] = (
        time.monotonic() - asked if status == 200 and body[:2] == b"\xff\xd8" else None
    )
    return figures


async def _entries_loaded(
    hass: HassProcess, domain: str, count: int, timeout: float = 240
) -> float:
    """Wait until ``count`` entries of ``domain`` are loaded; return time.monotonic() then."""
    async with asyncio.timeout(timeout):
        while True:
            entries = await hass.config_entries(domain)
            if len(entries) >= count and all(e.get("state") == "loaded" for e in entries):
                return time.monotonic()
            await asyncio.sleep(0.05)


async def _cameras_available(hass: HassProcess, count: int, timeout: float = 240) -> float:
    """Wait until ``count`` camera entities have a state other than unavailable."""
    async with asyncio.timeout(timeout):
        while True:
            ready = [
                s
                for s in await hass.states()
                if s["entity_id"].startswith("camera.") and s["state"] != "unavailable"
            ]
            if len(ready) >= count:
                return time.monotonic()
            await asyncio.sleep(0.05)


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


async def one_camera(
    hass: HassProcess, sim: Simulator, watcher: StateWatcher, integration: str, plan: Plan
) -> dict[str, Any]:
    """Add and delete camera 0 ``plan.runs`` times; SOAP requests in set-up and at rest."""
    camera = sim.cameras[0]
    runs: list[dict[str, Any]] = []
    setup_requests: dict[str, int] = {}
    rest: dict[str, int] = {}
    for run in range(plan.runs):
        await control(sim, "POST", "/cameras/0/counts/reset")
        figures = await add_camera(hass, integration, camera, watcher)
        if "error" in figures:
            return {"error": figures["error"]}
        setup_requests = (await control(sim, "GET", "/cameras/0/counts"))["counts"]
        if run == plan.runs - 1:
            await control(sim, "POST", "/cameras/0/counts/reset")
            await asyncio.sleep(plan.rest_seconds)
            rest = (await control(sim, "GET", "/cameras/0/counts"))["counts"]
        await hass.rest("DELETE", f"/api/config/config_entries/entry/{figures['entry_id']}")
        runs.append(figures)
    per_minute = 60.0 / plan.rest_seconds
    return {
        "discovery_s": _spread([r["discovery_s"] for r in runs]),
        "camera_s": _spread([r["camera_s"] for r in runs]),
        "sensor_s": _spread_all([r["sensor_s"] for r in runs]),
        "snapshot_s": _spread_all([r["snapshot_s"] for r in runs]),
        "setup_requests": sum(setup_requests.values()),
        "setup_requests_by_operation": setup_requests,
        "rest_requests_per_minute": sum(rest.values()) * per_minute,
        "rest_requests_by_operation": {k: v * per_minute for k, v in rest.items()},
    }


async def capabilities(
    hass: HassProcess, sims: dict[str, Simulator], watcher: StateWatcher, integration: str
) -> dict[str, str | None]:
    """Why the integration cannot add each kind of camera (None: it can)."""
    found: dict[str, str | None] = {}
    for name, sim in sims.items():
        figures = await add_camera(hass, integration, sim.cameras[0], watcher)
        found[name] = figures.get("error")
        if "entry_id" in figures:
            await hass.rest("DELETE", f"/api/config/config_entries/entry/{figures['entry_id']}")
    return found


async def measure(work: Path, integration: str, plan: Plan) -> dict[str, Any]:
    """Every camera figure of one integration, from starts of one Home Assistant.

    The first start only onboards. Then ``plan.starts`` starts measure Home Assistant alone;
    the last of them goes on with one camera added and removed again, the capability checks,
    and the memory of ``plan.many`` cameras added one by one. Then ``plan.starts`` starts with
    those entries measure the start and, the first of them, the memory.
    """
    async with AsyncExitStack() as stack:
        sim = await stack.enter_async_context(
            simulator(work / integration, "--count", str(plan.many))
        )
        kinds = {
            name: await stack.enter_async_context(simulator(work / f"{integration}-{i}", *args))
            for i, (name, args) in enumerate(CAPABILITY_CHECKS.items())
        }
        everyone = [*sim.cameras, *(c for s in kinds.values() for c in s.cameras)]
        config = work / f"ha-{integration}"
        async with home_assistant(config, everyone):
            pass
        alone: list[float] = []
        for _ in range(plan.starts - 1):
            async with home_assistant(config, everyone) as hass:
                alone.append(time.monotonic() - hass.spawned_at)
        async with home_assistant(config, everyone) as hass:
            alone.append(time.monotonic() - hass.spawned_at)
            rss_empty = await _settled_rss(hass)
            async with StateWatcher(hass) as watcher:
                one = await one_camera(hass, sim, watcher, integration, plan)
                can = await capabilities(hass, kinds, watcher, integration)
                rss_before = await _settled_rss(hass)
                for camera in sim.cameras:
                    figures = await add_camera(hass, integration, camera, watcher)
                    if "error" in figures:
                        return {"one": one, "capabilities": can, "many": figures}
            await _entries_loaded(hass, integration, plan.many)
            rss_added = await _settled_rss(hass)
        loaded: list[float] = []
        available: list[float] = []
        rss_restarted = 0.0
        for start in range(plan.starts):
            async with home_assistant(config, everyone) as hass:
                loaded.append(await _entries_loaded(hass, integration, plan.many) - hass.spawned_at)
                available.append(await _cameras_available(hass, plan.many) - hass.spawned_at)
                if start == 0:
                    rss_restarted = await _settled_rss(hass)
    many = {
        "cameras": plan.many,
        "start_alone_s": statistics.median(alone),
        "start_with_cameras_s": statistics.median(loaded),
        "start_added_s": statistics.median(loaded) - statistics.median(alone),
        "cameras_available_s": statistics.median(available),
        "starts": plan.starts,
        "rss_empty_mib": rss_empty,
        "rss_before_mib": rss_before,
        "rss_added_mib": rss_added,
        "rss_restarted_mib": rss_restarted,
        "mib_per_camera_added": (rss_added - rss_empty) / plan.many,
        "mib_per_camera_marginal": (rss_added - rss_before) / plan.many,
        "mib_per_camera_restarted": (rss_restarted - rss_empty) / plan.many,
    }
    return {"one": one, "capabilities": can, "many": many}


CAPABILITY_CHECKS: dict[str, list[str]] = {
    "H.265-only camera": ["--main-codec", "H265", "--sub-codec", "H265"],
    "no GetNetworkInterfaces": ["--quirk", "no_network_interfaces"],
    "HTTP Digest on SOAP": ["--quirk", "soap_http_digest"],
}


async def run(work: Path, plan: Plan) -> dict[str, Any]:
    """Every camera table, both integrations."""
    results: dict[str, Any] = {"one": {}, "many": {}, "capabilities": {}}
    for integration in INTEGRATIONS:
        measured = await measure(work, integration, plan)
        for key, value in measured.items():
            results[key][integration] = value
    return results


def _ms(x: dict[str, float] | None) -> str:
    if not x:
        return "-"
    return f"{x['median'] * 1000:.0f} ms ({x['min'] * 1000:.0f}-{x['max'] * 1000:.0f})"


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if not a or not b else f"{a / b:.2f}x"


def _median(x: dict[str, float] | None) -> float | None:
    return x["median"] if x else None


def _one_rows(hb: dict[str, Any], core: dict[str, Any]) -> list[list[str]]:
    rows = [
        ["one camera", "Homebound", "built-in onvif", "ratio"],
        ["discovery step's own wait", _ms(hb.get("discovery_s")), "- (no search)", ""],
    ]
    for label, key in (
        ("address submitted -> camera entity", "camera_s"),
        ("address submitted -> motion sensor", "sensor_s"),
        ("first JPEG from camera_proxy", "snapshot_s"),
    ):
        a, b = hb.get(key), core.get(key)
        rows.append([label, _ms(a), _ms(b), _ratio(_median(a), _median(b))])
    a_req, b_req = hb.get("setup_requests"), core.get("setup_requests")
    rows.append(["SOAP requests during set-up", str(a_req), str(b_req), _ratio(a_req, b_req)])
    rows.append(
        [
            "SOAP requests per minute at rest",
            f"{hb.get('rest_requests_per_minute', 0):.1f}",
            f"{core.get('rest_requests_per_minute', 0):.1f}",
            "",
        ]
    )
    return rows


def _many_rows(hb: dict[str, Any], core: dict[str, Any]) -> list[list[str]]:
    count = hb.get("cameras", core.get("cameras", "?"))
    rows = [[f"{count} cameras", "Homebound", "built-in onvif", "ratio"]]
    if "error" in hb or "error" in core:
        rows.append(["adding them", hb.get("error", "ok"), core.get("error", "ok"), ""])
        return rows
    for label, key, unit in (
        ("Home Assistant alone: start", "start_alone_s", "s"),
        (f"start with {count} entries", "start_with_cameras_s", "s"),
        ("added to the start", "start_added_s", "s"),
        ("start until every camera is available", "cameras_available_s", "s"),
        ("memory per camera, added one by one", "mib_per_camera_added", "MiB"),
        ("memory per camera, after a restart", "mib_per_camera_restarted", "MiB"),
        ("  of it per camera beyond the first", "mib_per_camera_marginal", "MiB"),
    ):
        a, b = hb.get(key), core.get(key)
        rows.append([label, f"{a or 0:.2f} {unit}", f"{b or 0:.2f} {unit}", _ratio(a, b)])
    rows.append(
        [
            "RSS after restart / added one by one",
            _ratio(hb.get("rss_restarted_mib"), hb.get("rss_added_mib")),
            _ratio(core.get("rss_restarted_mib"), core.get("rss_added_mib")),
            "",
        ]
    )
    return rows


def tables(results: dict[str, Any]) -> list[tuple[str, list[list[str]]]]:
    """Return the camera tables as rows of text (first row: header)."""
    caps = [["camera kind", "Homebound", "built-in onvif"]]
    capabilities = results["capabilities"]
    caps.extend(
        [
            name,
            *(
                "yes" if capabilities[i][name] is None else f"cannot: {capabilities[i][name]}"
                for i in INTEGRATIONS
            ),
        ]
        for name in CAPABILITY_CHECKS
    )
    return [
        ("Set-up of one camera", _one_rows(results["one"]["homebound"], results["one"]["onvif"])),
        ("Many cameras", _many_rows(results["many"]["homebound"], results["many"]["onvif"])),
        ("What each can add", caps),
    ]
