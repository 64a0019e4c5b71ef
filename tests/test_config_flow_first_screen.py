"""The camera flow's first screen comes at once; a search runs behind it, never before it.

A search listens for :data:`~custom_components.homebound.const.DISCOVERY_TIMEOUT` seconds. To
see the flow while a search is still listening, without racing the clock, the tests hold the
search at a gate (the real WS-Discovery over loopback runs once the gate opens).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_INTEGRATION_DISCOVERY, SOURCE_USER
from homeassistant.const import CONF_PASSWORD, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.data_entry_flow import FlowManagerIndexView
from homeassistant.setup import async_setup_component
import pytest

from custom_components.homebound.cameras.scanner import async_get_scanner
from custom_components.homebound.const import CONF_DEVICE, DOMAIN, MANUAL_ENTRY, SEARCH_RESULTS
from custom_components.homebound.device import async_discover
from simulator import VirtualCamera

from .flows import credentials, offered, start_user_flow, suggested, time_user_path

type Gate = asyncio.Event


@pytest.fixture
async def gate() -> AsyncIterator[Gate]:
    """Every search waits here before it probes (then probes for real, over loopback)."""
    opened = asyncio.Event()

    async def held(*args: Any, **kwargs: Any) -> Any:
        await opened.wait()
        return await async_discover(*args, **kwargs)

    with patch("custom_components.homebound.cameras.scanner.async_discover", held):
        yield opened
    opened.set()


async def _camera_list(hass: HomeAssistant) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    return dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"next_step_id": "camera"}
        )
    )


async def test_the_list_comes_before_the_search_ends(
    hass: HomeAssistant, discoverable: VirtualCamera, gate: Gate
) -> None:
    """A Home Assistant that never searched: the list opens at once, empty, with the address
    form chosen; the camera the search finds meanwhile is listed when asked for, and is
    offered as a "Discovered" card too."""
    result = await _camera_list(hass)
    assert result["type"] is FlowResultType.FORM  # not a progress step
    assert result["step_id"] == "pick"
    assert async_get_scanner(hass).searching
    assert result["description_placeholders"] == {"found": "0", "added": "0"}
    assert offered(result) == [MANUAL_ENTRY, SEARCH_RESULTS]
    assert suggested(result, CONF_DEVICE) == MANUAL_ENTRY

    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_DEVICE: SEARCH_RESULTS}
        )
    )
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    gate.set()
    await hass.async_block_till_done()
    result = dict(await hass.config_entries.flow.async_configure(result["flow_id"]))
    key = f"127.0.0.1:{discoverable.onvif_port}"
    assert result["step_id"] == "pick"
    assert offered(result)[0] == key
    assert result["description_placeholders"] == {"found": "1", "added": "0"}
    cards = [
        flow
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == SOURCE_INTEGRATION_DISCOVERY
    ]
    assert len(cards) == 1

    result = dict(
        await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_DEVICE: key})
    )
    result = dict(
        await hass.config_entries.flow.async_configure(result["flow_id"], credentials(discoverable))
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_closing_the_flow_does_not_end_the_search(
    hass: HomeAssistant, discoverable: VirtualCamera, gate: Gate
) -> None:
    """The user closes the dialog while it waits for the search: the search, which belongs to
    no flow, still ends and offers what it found."""
    result = await _camera_list(hass)
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_DEVICE: SEARCH_RESULTS}
        )
    )
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    hass.config_entries.flow.async_abort(result["flow_id"])
    await hass.async_block_till_done()
    assert async_get_scanner(hass).searching
    gate.set()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert [camera.port for camera in async_get_scanner(hass).found] == [discoverable.onvif_port]
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [f["context"]["source"] for f in flows] == [SOURCE_INTEGRATION_DISCOVERY]


async def test_results_of_a_search_that_ended_meanwhile(
    hass: HomeAssistant, discoverable: VirtualCamera, gate: Gate
) -> None:
    """The list offered the running search's results, and that search ended before the user
    chose them: the list comes back at once, with what it found (no second search)."""
    result = await _camera_list(hass)
    assert SEARCH_RESULTS in offered(result)
    gate.set()
    await hass.async_block_till_done(wait_background_tasks=True)
    scanned_at = async_get_scanner(hass).scanned_at
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_DEVICE: SEARCH_RESULTS}
        )
    )
    assert result["type"] is FlowResultType.FORM
    assert offered(result)[0] == f"127.0.0.1:{discoverable.onvif_port}"
    assert not async_get_scanner(hass).searching
    assert async_get_scanner(hass).scanned_at == scanned_at


async def test_a_search_is_never_waited_for_unasked(
    hass: HomeAssistant, camera: VirtualCamera, gate: Gate
) -> None:
    """From "Add integration" to the created entry by hand: no progress step on the way, even
    with the search still listening the whole time."""
    path = await time_user_path(hass, camera)
    assert path.waited == 0.0
    assert path.entity_id.startswith("camera.")
    assert async_get_scanner(hass).searching


def _fields(hass: HomeAssistant, result: Any) -> dict[str, dict[str, Any]]:
    """A form's fields as Home Assistant's REST and WebSocket APIs send them to the frontend."""
    view = FlowManagerIndexView(hass.config_entries.flow)
    return {field["name"]: field for field in view._prepare_result_json(result)["data_schema"]}


def _drawn_with_required_note(field: dict[str, Any]) -> bool:
    """Whether the frontend draws the field with "Required" before anything is typed.

    Both frontends (2026.2, 2026.10) draw a ``"type": "string"`` field through
    ``ha-form-string``, which turns on ``autoValidate`` and the "Required" message for a
    required field; a text selector is drawn without them.
    """
    return field.get("type") == "string" and bool(field.get("required"))


async def test_no_field_says_required_before_typing(
    hass: HomeAssistant, discoverable: VirtualCamera
) -> None:
    """The address form and the sign-in form: every text field is a selector (no "Required"
    under an untouched field), the username is one the browser may fill in, and the port
    has no bounds the schema would refuse in English (the step checks them)."""
    result = await start_user_flow(hass, found=True)
    key = offered(result)[0]
    manual = await start_user_flow(hass, manual=True)
    fields = _fields(hass, manual)
    assert list(fields) == ["host", "port", "username", "password"]
    assert not [name for name, field in fields.items() if _drawn_with_required_note(field)]
    assert fields["username"]["selector"]["text"]["autocomplete"] == "username"
    number = fields["port"]["selector"]["number"]
    assert "min" not in number
    assert "max" not in number
    assert fields["port"]["default"] == 80

    sign_in = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_DEVICE: key})
    assert sign_in["step_id"] == "credentials"
    fields = _fields(hass, sign_in)
    assert not [name for name, field in fields.items() if _drawn_with_required_note(field)]
    assert fields[CONF_PASSWORD]["selector"]["text"]["type"] == "password"


async def test_port_out_of_range_over_rest(
    hass: HomeAssistant,
    camera: VirtualCamera,
    hass_client: Callable[[], Any],
) -> None:
    """Over the API the frontend uses, a port of 0 is a translated field error on a form
    (HTTP 200), not the schema's English text in an HTTP 400."""
    # What registers web routes (the config API, Homebound's cards) comes before the client
    # starts the web app, whose routes are frozen from then on.
    assert await async_setup_component(hass, "config", {})
    assert await async_setup_component(hass, DOMAIN, {})
    client = await hass_client()
    response = await client.post(
        "/api/config/config_entries/flow", json={"handler": DOMAIN, "show_advanced_options": False}
    )
    flow = await response.json()
    path = f"/api/config/config_entries/flow/{flow['flow_id']}"
    for data in ({"next_step_id": "camera"}, {CONF_DEVICE: MANUAL_ENTRY}):
        response = await client.post(path, json=data)
        flow = await response.json()
    assert flow["step_id"] == "manual"
    response = await client.post(
        path,
        json={"host": camera.host, CONF_PORT: 0, **credentials(camera)},
    )
    assert response.status == 200
    flow = await response.json()
    assert flow["type"] == "form"
    assert flow["errors"] == {CONF_PORT: "invalid_port"}
