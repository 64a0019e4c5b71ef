"""Helpers for driving Homebound's config flow in tests."""

from __future__ import annotations

import socket
from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.homebound.const import CONF_DEVICE, DOMAIN, MANUAL_ENTRY
from simulator import VirtualCamera


def free_tcp_port() -> int:
    """A TCP port on 127.0.0.1 where nothing listens (a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def credentials(camera: VirtualCamera, **overrides: str) -> dict[str, str]:
    """The credentials form's input for ``camera``."""
    data = {CONF_USERNAME: camera.config.username, CONF_PASSWORD: camera.config.password}
    data.update(overrides)
    return data


def manual_input(camera: VirtualCamera) -> dict[str, Any]:
    """The address form's input for ``camera``."""
    return {CONF_HOST: camera.host, CONF_PORT: camera.onvif_port, **credentials(camera)}


def pick_options(result: ConfigFlowResult) -> list[dict[str, str]]:
    """The choices of the "pick" form."""
    schema = result["data_schema"]
    assert schema is not None
    options: list[dict[str, str]] = schema.schema[CONF_DEVICE].config["options"]
    return options


async def start_user_flow(hass: HomeAssistant, *, manual: bool = False) -> ConfigFlowResult:
    """Start the user flow, choose "Camera" and let WS-Discovery finish.

    With ``manual``, go on to the address form.

    The first flow of a test searches (a progress step); later ones list the fresh findings.
    """
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["camera", "firewall"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "camera"}
    )
    if result["type"] is FlowResultType.SHOW_PROGRESS:
        assert result["progress_action"] == "discovery"
        await hass.async_block_till_done()
        result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["step_id"] == "pick"
    if manual:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_DEVICE: MANUAL_ENTRY}
        )
        assert result["step_id"] == "manual"
    return result
