"""Adding one camera through each integration's config flow, timed the way a user lives it.

Two spans are timed: from the address submitted to the camera entity (the integration's own
work), and from the flow opened to the camera entity (what the user waits through, every step
of the flow included: Homebound's menu and camera list, the built-in's first form, and any
search either makes the user wait for before the address form: none, since Homebound's search
runs behind its first screen).
The requests the camera received are read twice: once the set-up has settled (no new request
for :data:`SETTLE_QUIET` seconds), and again after the bench's own first JPEG from
``camera_proxy``, so what the bench asked for is never counted as set-up.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
import time
from typing import Any

from devtools.flow_walk import RestFlows, add_by_address
from devtools.harness import SimulatedCamera, Simulator
from devtools.hass_process import HassProcess

from .harness import StateWatcher, control, first_entity, newest_entity

INTEGRATIONS = ("homebound", "onvif")
SNAPSHOT = "snapshot"
"""The simulator's name for a snapshot GET (every other counted request is a SOAP operation,
or a vendor API's request by name)."""
SETTLE_QUIET = 0.5
SETTLE_LIMIT = 10.0

type Counts = Callable[[], Awaitable[dict[str, int]]]


def in_order(index: int) -> tuple[str, ...]:
    """Return the integrations in the order of round ``index``: who goes first alternates."""
    return INTEGRATIONS if index % 2 == 0 else INTEGRATIONS[::-1]


def camera_counts(sim: Simulator, index: int = 0) -> Counts:
    """Read what camera ``index`` of ``sim`` was asked since its counts were last reset."""

    async def read() -> dict[str, int]:
        answer = await control(sim, "GET", f"/cameras/{index}/counts")
        return {str(k): int(v) for k, v in answer["counts"].items()}

    return read


def delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    """Return what ``after`` counts beyond ``before``."""
    grown = Counter(after)
    grown.subtract(before)
    return {name: count for name, count in sorted(grown.items()) if count > 0}


async def settled(counts: Counts) -> dict[str, int]:
    """Return the counts once nothing new arrived for SETTLE_QUIET s (SETTLE_LIMIT at most)."""
    last = await counts()
    quiet_since = began = time.monotonic()
    while time.monotonic() - quiet_since < SETTLE_QUIET and time.monotonic() - began < SETTLE_LIMIT:
        await asyncio.sleep(0.1)
        now = await counts()
        if now != last:
            last, quiet_since = now, time.monotonic()
    return last


async def _onvif_form(hass: HassProcess) -> str:
    """Walk the built-in's flow to its address form (its first form asks: search or not)."""
    flow = await hass.flow_start("onvif")
    flow = await hass.flow_step(flow["flow_id"], {"auto": False})
    return str(flow["flow_id"])


async def _submit_address(
    hass: HassProcess, integration: str, camera: SimulatedCamera
) -> tuple[dict[str, Any], float, float, float]:
    """Open the flow and submit the camera's address, as a user does.

    Return the flow's answer, when the flow was opened and the address submitted, and the
    seconds a progress step (a search) made the user wait before the address form. Homebound's
    path is :func:`devtools.flow_walk.add_by_address`, the walk its tests prove.
    """
    if integration == "homebound":
        walk = await add_by_address(RestFlows(hass), _address(integration, camera))
        return dict(walk.result), walk.opened, walk.submitted, walk.waited
    opened = time.monotonic()
    flow_id = await _onvif_form(hass)
    submitted = time.monotonic()
    result = await hass.flow_step(flow_id, _address(integration, camera))
    return result, opened, submitted, 0.0


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
    hass: HassProcess,
    integration: str,
    camera: SimulatedCamera,
    watcher: StateWatcher,
    counts: Counts | None = None,
) -> dict[str, Any]:
    """Add one camera; time it, and with ``counts``, tell set-up's requests from the bench's."""
    result, opened, submitted, waited = await _submit_address(hass, integration, camera)
    if result.get("type") != "create_entry":
        return {"error": f"{result.get('type')}: {result.get('errors') or result.get('reason')}"}
    camera_at = await watcher.wait(first_entity("camera.", submitted))
    entity_id = newest_entity(watcher, "camera.", submitted)
    figures: dict[str, Any] = {
        "entry_id": result["result"]["entry_id"],
        "discovery_s": waited,
        "camera_s": camera_at - submitted,
        "user_s": camera_at - opened,
    }
    try:
        sensor_at = await watcher.wait(first_entity("binary_sensor.", submitted), timeout=20)
        figures["sensor_s"] = sensor_at - submitted
    except TimeoutError:
        figures["sensor_s"] = None
    before = await settled(counts) if counts is not None else {}
    asked = time.monotonic()
    status, _, body = await hass.get_bytes(f"/api/camera_proxy/{entity_id}")
    figures["snapshot_s"] = (
        time.monotonic() - asked if status == 200 and body[:2] == b"\xff\xd8" else None
    )
    if counts is not None:
        figures["setup_counts"] = before
        figures["first_jpeg_counts"] = delta(await counts(), before)
    return figures


async def one_camera_run(
    hass: HassProcess, sim: Simulator, watcher: StateWatcher, integration: str
) -> dict[str, Any]:
    """Add camera 0 of ``sim`` and delete it again; its figures and requests."""
    await control(sim, "POST", "/cameras/0/counts/reset")
    figures = await add_camera(hass, integration, sim.cameras[0], watcher, camera_counts(sim))
    if "entry_id" in figures:
        await hass.rest("DELETE", f"/api/config/config_entries/entry/{figures['entry_id']}")
    return figures


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
