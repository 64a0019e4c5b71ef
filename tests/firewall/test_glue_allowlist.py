"""The allow-list form: defaults from the adapter facing the cameras, refusals field by field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.const import (
    CONF_BACKEND,
    CONF_DNS_SERVERS,
    CONF_GATEWAYS,
    CONF_HA_HOSTS,
    CONF_LAN_RANGES,
    CONF_NTP_REDIRECT,
    CONF_NTP_SERVERS,
    DOMAIN,
)

from .glue import IN_FORCE, finish_progress, lab_adapter, start_firewall_flow
from .test_glue_flow import Permitted, suggested


async def test_export_only_with_defaults_from_the_adapter_facing_the_cameras(
    hass: HomeAssistant,
) -> None:
    """Defaults from the adapter that holds a camera; everything that opens the internet, and
    a camera's address as Home Assistant's, refused field by field; the dialog says where the
    rules go."""
    # Home Assistant has two adapters: the default route (the internet side of a host that
    # routes) and the cameras' LAN, where one camera entry points.
    IN_FORCE[0].adapters = [
        lab_adapter(("203.0.113.9", 24)) | {"name": "wan", "default": True},
        lab_adapter(("192.168.7.2", 24), ("fd07::2", 64)) | {"name": "cams", "default": False},
    ]
    assert await async_setup_component(hass, DOMAIN, {})
    camera = MockConfigEntry(domain=DOMAIN, title="Porch", data=camera_data("192.168.7.50"))
    camera.add_to_hass(hass)  # never set up: what Home Assistant knows of it is enough
    result = await start_firewall_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_BACKEND: "export"}
    )
    assert result["step_id"] == "firewall_network"
    defaults = suggested(result)
    assert defaults[CONF_HA_HOSTS] == ["192.168.7.2", "fd07::2"]
    assert defaults[CONF_LAN_RANGES] == ["192.168.7.0/24", "fd07::/64"]
    assert defaults[CONF_GATEWAYS] == []

    unsafe = {
        CONF_HA_HOSTS: ["192.168.7.50"],  # the camera's own address
        CONF_GATEWAYS: ["8.8.8.8"],  # "gateways" are allowed every port
        CONF_LAN_RANGES: ["192.168.7.0/24", "2002::/16"],  # 6to4 reaches the internet
        CONF_NTP_SERVERS: ["2001::1"],  # Teredo
        CONF_DNS_SERVERS: ["192.168.7.1%eth0"],
    }
    result = await hass.config_entries.flow.async_configure(result["flow_id"], unsafe)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {
        CONF_HA_HOSTS: "ha_host_is_camera",
        CONF_GATEWAYS: "gateway_not_on_lan",
        CONF_LAN_RANGES: "lan_range_translation",
        CONF_NTP_SERVERS: "server_not_usable",
        CONF_DNS_SERVERS: "scoped_address",
        "base": "allow_list_refused",
    }
    refused = str(result["description_placeholders"])
    for value in ("192.168.7.50", "8.8.8.8", "2002::/16", "2001::1"):
        assert value in refused
    assert suggested(result)[CONF_GATEWAYS] == ["8.8.8.8"]  # what the user typed stays

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_LAN_RANGES: ["192.168.7.0/24"]}
    )
    assert result["errors"] == {CONF_HA_HOSTS: "ha_host_missing", "base": "allow_list_refused"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HA_HOSTS: ["192.168.7.2"],
            CONF_GATEWAYS: ["192.168.7.1"],
            CONF_NTP_SERVERS: ["192.168.7.1"],
            CONF_DNS_SERVERS: ["9.9.9.9"],  # a public resolver: one port, allowed
            CONF_NTP_REDIRECT: " 192.168.7.1 ",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Firewall rules to export"
    assert result["data"][CONF_NTP_REDIRECT] == "192.168.7.1"
    assert result["description"] == "export_rules"
    assert result["description_placeholders"] == {"path": hass.config.path("homebound")}
    await hass.async_block_till_done(wait_background_tasks=True)
    assert result["result"].state is ConfigEntryState.LOADED

    # One firewall only.
    result = await start_firewall_flow_expecting_abort(hass)
    assert result["reason"] == "firewall_already_configured"


async def test_local_backend_defaults_never_the_internet_side(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    """Home Assistant is the router: without a camera on any adapter, the default-route adapter
    (its WAN) is never suggested."""
    IN_FORCE[0].adapters = [
        lab_adapter(("192.168.50.20", 24)) | {"name": "wan", "default": True},
        lab_adapter(("10.1.2.1", 24)) | {"name": "lan", "default": False},
    ]

    IN_FORCE[0].local_runner = Permitted()
    result = await start_firewall_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_BACKEND: "local"}
    )
    result = await finish_progress(hass, result)
    assert result["step_id"] == "firewall_network", result
    defaults = suggested(result)
    assert defaults[CONF_HA_HOSTS] == ["10.1.2.1"]
    assert defaults[CONF_LAN_RANGES] == ["10.1.2.0/24"]
    hass.config_entries.flow.async_abort(result["flow_id"])


def camera_data(host: str) -> dict[str, Any]:
    """A camera entry's data (never set up here: only its address matters)."""
    return {CONF_HOST: host, CONF_PORT: 80, CONF_USERNAME: "u", CONF_PASSWORD: "p"}


async def start_firewall_flow_expecting_abort(hass: HomeAssistant):  # type: ignore[no-untyped-def]
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": "user"})
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "firewall"}
    )
