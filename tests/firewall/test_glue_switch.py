"""The Cloud blocking switch: a refused change is a translated error with its reason, and the
switch never shows more than is in force.

The camera entry's address is the Home Assistant host's (a camera that took it, or a typo):
every key the network shows for it belongs to the HA host, so nothing isolates it without
cutting Home Assistant off. Switching it on must fail as the user sees failures (the
frontend's websocket call: a translated message that says why, not an empty one), leave the
switch off, and put nothing of the HA host in the rules. (A camera that merely *reports* the HA
host's address is isolated by its own keys, the lie refused: ``test_glue_hostile``.)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.homebound.const import DOMAIN
from simulator import CameraConfig
from simulator.lies import Lies

from ..conftest import state_of
from .glue import PROBLEM, SWITCH, install_hooks, use_hooks
from .lab import CAMERA_MAC, HA4, Lab
from .test_glue_local import add_local_firewall


@pytest.fixture
def camera_config() -> CameraConfig:
    """The lab's camera, also claiming the Home Assistant host's address."""
    return CameraConfig(rtsp=False, mac=CAMERA_MAC, lies=Lies(addresses=(HA4,)))


async def test_a_refused_change_says_why_and_the_switch_stays_off(
    hass: HomeAssistant,
    lab: Lab,
    tmp_path: Path,
    config_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    hooks = install_hooks(hass, lab, tmp_path)
    use_hooks(replace(hooks, contacts={"127.0.0.1": (HA4,)}))  # the entry is at HA's address
    assert await async_setup_component(hass, DOMAIN, {})
    await add_local_firewall(hass)
    assert state_of(hass, SWITCH) == STATE_OFF

    # As the frontend calls it: a translated message carrying the reason.
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "call_service",
            "domain": "switch",
            "service": "turn_on",
            "service_data": {"entity_id": SWITCH},
        }
    )
    answer = await client.receive_json()
    assert not answer["success"]
    error = answer["error"]
    assert error["translation_domain"] == DOMAIN
    assert error["translation_key"] == "camera_keys_refused"
    assert error["message"].startswith("Virtual Camera cannot be isolated: ")
    assert HA4 in error["message"]
    assert "{" not in error["message"]
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state_of(hass, SWITCH) == STATE_OFF  # chosen, but nothing is in force
    assert state_of(hass, PROBLEM) == STATE_ON

    # The same from an automation's service call; never an empty detail.
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call("switch", "turn_on", {"entity_id": SWITCH}, blocking=True)
    assert caught.value.translation_key == "camera_keys_refused"
    assert HA4 in str(caught.value)
    assert state_of(hass, SWITCH) == STATE_OFF
    assert HA4 not in lab.nft("list", "set", "inet", "homebound", "cams4").stdout
