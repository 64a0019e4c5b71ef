"""The demo's motion check: the virtual camera sees motion, Home Assistant's sensor follows.

The simulator raises the ONVIF motion event on its control API; the camera pushes it to Home
Assistant over whichever source the integration chose (a webhook, in the demo). The check waits
for the entry's motion sensor to turn on, then clears the motion and waits for it to turn off:
the whole event path of a real camera, end to end.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from devtools.harness import Deadline, DemoError, SimulatedCamera, Simulator
from devtools.hass_process import HassProcess

MOTION_TOPIC = "tns1:RuleEngine/CellMotionDetector/Motion"


async def motion_sensor(hass: HassProcess, entry_id: str, deadline: Deadline) -> str:
    """Return the entry's motion sensor (device class motion), waiting for it to have a state."""
    while True:
        own = {
            entity["entity_id"]
            for entity in await hass.entity_registry()
            if entity.get("config_entry_id") == entry_id
        }
        for state in await hass.states():
            if (
                state["entity_id"] in own
                and state["entity_id"].startswith("binary_sensor.")
                and state.get("attributes", {}).get("device_class") == "motion"
            ):
                return str(state["entity_id"])
        await deadline.pause("the camera's motion sensor")


async def _state(hass: HassProcess, entity_id: str) -> str | None:
    states = {s["entity_id"]: s["state"] for s in await hass.states()}
    return states.get(entity_id)


async def _wait_state(hass: HassProcess, entity_id: str, wanted: str, deadline: Deadline) -> None:
    while (state := await _state(hass, entity_id)) != wanted:
        await deadline.pause(f"{entity_id} to turn {wanted} (it is {state})")


async def _motion(simulator: Simulator, index: int, moving: bool) -> None:
    body: dict[str, Any] = {"topic": MOTION_TOPIC, "data": {"IsMotion": str(moving).lower()}}
    url = f"http://127.0.0.1:{simulator.control_port}/cameras/{index}/event"
    async with aiohttp.ClientSession() as http, http.post(url, json=body) as response:
        if response.status != 200:
            msg = f"the simulator refused the motion event: HTTP {response.status}"
            raise DemoError(msg)


async def check_motion(
    hass: HassProcess,
    simulator: Simulator,
    camera: SimulatedCamera,
    entry_id: str,
    deadline: Deadline,
) -> str:
    """Raise motion on the camera and clear it again; return the sensor that followed."""
    entity_id = await motion_sensor(hass, entry_id, deadline)
    await _wait_state(hass, entity_id, "off", deadline)
    index = simulator.cameras.index(camera)
    await _motion(simulator, index, moving=True)
    await _wait_state(hass, entity_id, "on", deadline)
    await _motion(simulator, index, moving=False)
    await _wait_state(hass, entity_id, "off", deadline)
    return entity_id
