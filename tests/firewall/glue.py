"""Helpers for the Home Assistant side of the firewall: the flow against the lab, entity ids."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
import socket
from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.homebound.const import (
    CONF_BACKEND,
    CONF_CLIENT_KEY,
    CONF_DNS_SERVERS,
    CONF_GATEWAYS,
    CONF_HA_HOSTS,
    CONF_ISOLATE_NEW,
    CONF_LAN_RANGES,
    CONF_NTP_SERVERS,
    DOMAIN,
)
from custom_components.homebound.firewall import PersistKind, PersistTarget, SocketFactory
from custom_components.homebound.firewall_backend import DATA_HOOKS, FirewallHooks
from custom_components.homebound.firewall_coordinator import FirewallCoordinator

from .lab import CLOUD4, HA4, HA6, LOCAL_SERVER, ROUTER_HA4, Lab, Sshd, connect_from

CAMERA = "virtual_camera"
SWITCH = f"switch.{CAMERA}_cloud_blocking"
ATTEMPTS = f"sensor.{CAMERA}_blocked_connection_attempts"
DESTINATIONS = f"sensor.{CAMERA}_blocked_destinations_24_h"
LAST = f"sensor.{CAMERA}_last_blocked_destination"
PROBLEM = f"binary_sensor.{CAMERA}_cloud_isolation"
DAHUA_P2P = "www.easy4ipcloud.com"


def socket_factory(lab: Lab) -> SocketFactory:
    """TCP connections opened from the lab's Home Assistant host."""

    async def connect(host: str, port: int) -> socket.socket:
        return await asyncio.to_thread(connect_from, lab, "ha", host, port)

    return connect


async def fake_resolver(name: str) -> Iterable[str]:
    """The lab's DNS: one catalogue domain lives at the lab's "cloud" host."""
    if name == DAHUA_P2P:
        return [CLOUD4]
    raise OSError(f"{name} does not resolve in the lab")


def install_hooks(hass: HomeAssistant, lab: Lab, tmp_path: Path) -> FirewallHooks:
    """Point Homebound's firewall at the lab (the glue's one seam for tests)."""
    hooks = FirewallHooks(
        connect_socket=socket_factory(lab),
        local_runner=lab.runner(),
        persist=PersistTarget.for_kind(PersistKind.FILE, str(tmp_path / "etc" / "homebound.nft")),
        resolver=fake_resolver,
    )
    hass.data[DATA_HOOKS] = hooks
    return hooks


def ssh_input(sshd: Sshd, **overrides: Any) -> dict[str, Any]:
    """The router form's answers for the lab's sshd, logging in with the client key."""
    data: dict[str, Any] = {
        CONF_HOST: ROUTER_HA4,
        CONF_PORT: 22,
        CONF_USERNAME: "root",
        CONF_CLIENT_KEY: (sshd.directory / "client").read_text(),
    }
    data.update(overrides)
    return data


def network_input(**overrides: Any) -> dict[str, Any]:
    """The allow-list of the lab: HA host, router, the local NTP/DNS server."""
    data: dict[str, Any] = {
        CONF_HA_HOSTS: [HA4, HA6],
        CONF_GATEWAYS: [ROUTER_HA4, "198.18.1.1", "2001:db8:1::1"],
        CONF_LAN_RANGES: ["198.18.1.0/24"],
        CONF_NTP_SERVERS: [LOCAL_SERVER],
        CONF_DNS_SERVERS: [LOCAL_SERVER],
        CONF_ISOLATE_NEW: False,
    }
    data.update(overrides)
    return data


async def start_firewall_flow(hass: HomeAssistant) -> ConfigFlowResult:
    """Add integration -> Homebound -> Firewall: the backend form."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "firewall"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "firewall"
    return result


async def finish_progress(hass: HomeAssistant, result: ConfigFlowResult) -> ConfigFlowResult:
    """Let the connection test run to its end; the step after it."""
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    assert result["progress_action"] == "firewall_test"
    await hass.async_block_till_done(wait_background_tasks=True)
    return await hass.config_entries.flow.async_configure(result["flow_id"])


async def add_ssh_firewall(hass: HomeAssistant, sshd: Sshd, **network: Any) -> ConfigEntry:
    """Add the firewall entry through the flow, against the lab's sshd."""
    result = await start_firewall_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_BACKEND: "ssh"}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], ssh_input(sshd))
    result = await finish_progress(hass, result)
    assert result["step_id"] == "firewall_host_key", result
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["step_id"] == "firewall_network"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], network_input(**network)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done(wait_background_tasks=True)
    entry: ConfigEntry = result["result"]
    return entry


def coordinator_of(entry: ConfigEntry) -> FirewallCoordinator:
    """The firewall entry's coordinator."""
    coordinator: FirewallCoordinator = entry.runtime_data
    return coordinator
