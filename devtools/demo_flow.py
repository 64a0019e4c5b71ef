"""Adding the simulated cameras to a running Home Assistant the way a user does, over REST."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from devtools.harness import Deadline, DemoError, SimulatedCamera, say
from devtools.hass_process import HassProcess

DOMAIN = "homebound"
JPEG_MAGIC = b"\xff\xd8\xff"
MANUAL_ENTRY = "manual"
SEARCH_CHOICES = ("search_results", "search_again")
"""The camera list's search choices: while a search runs, and when none does."""
UNAVAILABLE_STATES = frozenset({"unavailable", "unknown"})


def _select_options(flow: dict[str, Any], field: str) -> list[str]:
    """Return the option values a form offers for a select field."""
    for item in flow.get("data_schema") or []:
        if item.get("name") != field:
            continue
        select = (item.get("selector") or {}).get("select") or {}
        options = select.get("options") or item.get("options") or []
        values = []
        for option in options:
            if isinstance(option, dict):
                values.append(str(option.get("value")))
            elif isinstance(option, (list, tuple)) and option:
                values.append(str(option[0]))
            else:
                values.append(str(option))
        return values
    return []


def _describe(flow: dict[str, Any]) -> str:
    return (
        f"type={flow.get('type')} step={flow.get('step_id')} "
        f"errors={flow.get('errors')} reason={flow.get('reason')}"
    )


async def _wait_progress(
    hass: HassProcess, flow: dict[str, Any], deadline: Deadline
) -> dict[str, Any]:
    """Re-fetch a flow while it shows a progress step (bounded by the budget)."""
    while flow.get("type") in ("progress", "progress_done"):
        await deadline.pause(f"the {flow.get('progress_action') or 'progress'} step to finish")
        flow = await hass.flow_get(flow["flow_id"])
    return flow


async def _run_add_flow(
    hass: HassProcess, camera: SimulatedCamera, deadline: Deadline
) -> dict[str, Any]:
    """Walk the user flow for ``camera``; return the final result (create_entry or abort)."""
    flow = await hass.flow_start(DOMAIN)
    try:
        if flow.get("type") == "menu":  # "Add integration" asks: a camera or the firewall
            flow = await hass.flow_step(flow["flow_id"], {"next_step_id": "camera"})
        return await _drive_add_flow(hass, camera, flow, deadline)
    except BaseException:
        await hass.flow_abort(flow["flow_id"])
        raise


async def _drive_add_flow(
    hass: HassProcess, camera: SimulatedCamera, flow: dict[str, Any], deadline: Deadline
) -> dict[str, Any]:
    flow_id = flow["flow_id"]
    flow = await _wait_progress(hass, flow, deadline)
    searched = False
    for _ in range(8):  # pick [-> search -> pick] -> credentials -> done, or manual -> done
        kind, step = flow.get("type"), flow.get("step_id")
        if kind != "form":
            return flow
        if flow.get("errors"):
            msg = f"config flow step {step!r} reported errors: {flow['errors']}"
            raise DemoError(msg)
        if step == "pick":
            offered = _select_options(flow, "device")
            search = next((o for o in SEARCH_CHOICES if o in offered), None)
            if camera.address in offered:
                say(f"   discovered {camera.address}; choosing it")
                choice = camera.address
            elif search is not None and not searched:
                # The list came at once, before the search behind it heard this camera:
                # ask for what the search finds, as a user would.
                say(f"   {camera.address} is not listed yet; choosing {search!r}")
                choice, searched = search, True
            else:
                say(f"   discovery did not offer {camera.address} (offered {offered})")
                choice = MANUAL_ENTRY
            flow = await hass.flow_step(flow_id, {"device": choice})
        elif step == "credentials":
            flow = await hass.flow_step(
                flow_id, {"username": camera.username, "password": camera.password}
            )
        elif step == "manual":
            say(f"   entering {camera.address} by hand")
            flow = await hass.flow_step(
                flow_id,
                {
                    "host": camera.host,
                    "port": camera.onvif_port,
                    "username": camera.username,
                    "password": camera.password,
                },
            )
        else:
            msg = f"unexpected config flow step: {_describe(flow)}"
            raise DemoError(msg)
        flow = await _wait_progress(hass, flow, deadline)
    msg = f"config flow did not finish: {_describe(flow)}"
    raise DemoError(msg)


async def _reconfigure(
    hass: HassProcess, entry_id: str, camera: SimulatedCamera, deadline: Deadline
) -> None:
    """Point an existing entry at the camera's current address (reconfigure flow)."""
    flow = await hass.rest(
        "POST",
        "/api/config/config_entries/flow",
        {"handler": DOMAIN, "entry_id": entry_id, "show_advanced_options": False},
    )
    flow = await _wait_progress(hass, flow, deadline)
    if flow.get("type") == "form" and flow.get("step_id") == "reconfigure":
        flow = await hass.flow_step(
            flow["flow_id"],
            {
                "host": camera.host,
                "port": camera.onvif_port,
                "username": camera.username,
                "password": camera.password,
            },
        )
    if flow.get("type") != "abort" or flow.get("reason") != "reconfigure_successful":
        with suppress(KeyError):
            await hass.flow_abort(flow["flow_id"])
        msg = f"reconfiguring entry {entry_id} failed: {_describe(flow)}"
        raise DemoError(msg)


def _normal_mac(mac: str) -> str:
    return "".join(ch for ch in mac.lower() if ch in "0123456789abcdef")


async def _existing_entry(hass: HassProcess, camera: SimulatedCamera) -> str | None:
    """Return the entry id of a homebound entry whose device is this camera, if any."""
    entries = {entry["entry_id"] for entry in await hass.config_entries(DOMAIN)}
    if not entries:
        return None
    devices = await hass.ws_command({"type": "config/device_registry/list"})
    mac = _normal_mac(camera.mac)
    for device in devices or []:
        macs = {
            _normal_mac(str(value))
            for kind, value in device.get("connections") or []
            if kind == "mac"
        }
        ids = {str(value) for domain, value in device.get("identifiers") or [] if domain == DOMAIN}
        if mac in macs or camera.serial in ids or camera.mac in ids:
            for entry_id in device.get("config_entries") or []:
                if entry_id in entries:
                    return str(entry_id)
    return None


async def _entry_state(hass: HassProcess, entry_id: str) -> dict[str, Any]:
    for entry in await hass.config_entries(DOMAIN):
        if entry["entry_id"] == entry_id:
            return entry
    msg = f"config entry {entry_id} disappeared"
    raise DemoError(msg)


async def ensure_camera_entry(
    hass: HassProcess, camera: SimulatedCamera, deadline: Deadline
) -> str:
    """Add ``camera`` (or refresh its existing entry); return the entry id once it is loaded."""
    entry_id = await _existing_entry(hass, camera)
    if entry_id is None:
        say(f"-> adding {camera.name} ({camera.address}) through the config flow")
        result = await _run_add_flow(hass, camera, deadline)
        if result.get("type") == "create_entry":
            entry_id = str(result["result"]["entry_id"])
            say(f"   created entry {result.get('title')!r}")
        elif result.get("type") == "abort" and result.get("reason") == "already_configured":
            entries = await hass.config_entries(DOMAIN)
            if len(entries) != 1:
                msg = "the flow says the camera is configured, but its entry is not identifiable"
                raise DemoError(msg)
            entry_id = str(entries[0]["entry_id"])
            say(f"   already configured as {entries[0]['title']!r}; updating its address")
            await _reconfigure(hass, entry_id, camera, deadline)
        else:
            msg = f"adding the camera failed: {_describe(result)}"
            raise DemoError(msg)
    else:
        say(f"-> {camera.name} is already added; pointing it at {camera.address}")
        await _reconfigure(hass, entry_id, camera, deadline)

    while True:
        entry = await _entry_state(hass, entry_id)
        state = entry.get("state")
        if state == "loaded":
            return entry_id
        if state in ("setup_error", "migration_error", "failed_unload"):
            msg = f"config entry {entry_id} is in state {state}: {entry.get('reason')}"
            raise DemoError(msg)
        await deadline.pause(f"config entry {entry_id} to load (state {state})")


async def wait_camera_entity(hass: HassProcess, entry_id: str, deadline: Deadline) -> str:
    """Return a camera entity of the entry once its state is not unavailable."""
    last = "no camera entity registered"
    while True:
        registry = await hass.entity_registry()
        cameras = [
            item["entity_id"]
            for item in registry
            if item.get("platform") == DOMAIN
            and item.get("config_entry_id") == entry_id
            and str(item.get("entity_id", "")).startswith("camera.")
            and not item.get("disabled_by")
        ]
        if cameras:
            states = {state["entity_id"]: state for state in await hass.states()}
            for entity_id in sorted(cameras):
                state = states.get(entity_id, {}).get("state")
                if state is not None and state not in UNAVAILABLE_STATES:
                    return str(entity_id)
            last = ", ".join(f"{e}={states.get(e, {}).get('state')}" for e in sorted(cameras))
        await deadline.pause(f"an available camera entity ({last})")


async def check_snapshot(hass: HassProcess, entity_id: str, deadline: Deadline) -> int:
    """Fetch ``/api/camera_proxy/<entity>`` until it is a JPEG; return its size."""
    last = ""
    while True:
        status, content_type, body = await hass.get_bytes(f"/api/camera_proxy/{entity_id}")
        if status == 200 and content_type == "image/jpeg" and body.startswith(JPEG_MAGIC):
            return len(body)
        last = f"HTTP {status}, {content_type}, {len(body)} bytes"
        await deadline.pause(f"a JPEG from /api/camera_proxy/{entity_id} (last: {last})")


# --------------------------------------------------------------------------- main


async def put_in_area(hass: HassProcess, entry_id: str, area_name: str) -> str | None:
    """Put the entry's camera device in ``area_name`` unless the user chose an area already.

    Home Assistant's default dashboard shows devices by area; a device in none hides behind a
    "Devices" card. Returns the area id the device is in afterwards (None if it has no device).
    """
    devices = await hass.ws_command({"type": "config/device_registry/list"})
    device = next((d for d in devices or [] if entry_id in (d.get("config_entries") or [])), None)
    if device is None:
        return None
    if device.get("area_id"):
        return str(device["area_id"])
    areas = await hass.ws_command({"type": "config/area_registry/list"})
    area = next((a for a in areas or [] if a.get("name") == area_name), None)
    if area is None:
        area = await hass.ws_command({"type": "config/area_registry/create", "name": area_name})
    await hass.ws_command(
        {
            "type": "config/device_registry/update",
            "device_id": device["id"],
            "area_id": area["area_id"],
        }
    )
    return str(area["area_id"])


async def failed_login_notices(hass: HassProcess) -> list[str]:
    """Return the "Login attempt failed" notifications Home Assistant shows (none, we hope)."""
    return [
        str(n.get("title") or n.get("notification_id"))
        for n in await hass.notifications()
        if str(n.get("notification_id", "")).startswith("http-login")
        or "login attempt" in str(n.get("title", "")).lower()
    ]
