"""Helpers for the Home Assistant side of the firewall: the flow against the lab, entity ids."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
import socket
from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_USERNAME, EVENT_STATE_CHANGED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType

from custom_components.homebound.catalog import Resolver
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
from custom_components.homebound.firewall import (
    CommandRunner,
    PersistKind,
    PersistTarget,
    SocketFactory,
)
from custom_components.homebound.isolation.coordinator import FirewallCoordinator

from .guarding import EVENT_TIMEOUT
from .lab import CAMERA4, CLOUD4, HA4, HA6, LOCAL_SERVER, ROUTER_HA4, Lab, Sshd, connect_from

ROUTER_HA6 = "2001:db8::1"
"""The router's address on the lab HA host's IPv6 network."""

CAMERA = "virtual_camera"
SWITCH = f"switch.{CAMERA}_cloud_blocking"
ATTEMPTS = f"sensor.{CAMERA}_blocked_connection_attempts"
DESTINATIONS = f"sensor.{CAMERA}_blocked_destinations_24_h"
LAST = f"sensor.{CAMERA}_last_blocked_destination"
PROBLEM = f"binary_sensor.{CAMERA}_cloud_isolation"
GAPS = f"sensor.{CAMERA}_isolation_gaps_30_days"
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


@dataclass(slots=True)
class FirewallHooks:
    """What a test puts between Homebound's firewall glue and the machine (None: as in use).

    ``tests/firewall/conftest.py`` replaces the backend classes and the resolver the glue uses
    (``isolation/backend.py``) by ones that read the hooks in force (:func:`use_hooks`).
    """

    connect_socket: SocketFactory | None = None
    """Opens the SSH backend's TCP connection (a socket connected inside the lab)."""
    local_runner: CommandRunner | None = None
    """Runs the local backend's commands (behind ``ip netns exec`` into the lab's router)."""
    persist: PersistTarget | None = None
    """Where the SSH backend stores the ruleset (a file in a temporary directory)."""
    netlink_probe: Callable[[], Awaitable[bool]] | None = None
    resolver: Resolver | None = None
    """Resolves cloud domains (a fake: tests have no DNS)."""
    adapters: list[dict[str, Any]] = field(default_factory=lambda: [lab_adapter()])
    """Home Assistant's network adapters as the allow-list form sees them: the lab's HA host."""
    contacts: Mapping[str, tuple[str, ...]] | None = None
    """Where Home Assistant "reaches" a camera entry's host in the lab: the virtual camera
    answers ONVIF on 127.0.0.1, while the lab's camera host (whose traffic the firewall sees)
    is at :data:`~.lab.CAMERA4`. Hosts not named here resolve as in use."""


def lab_adapter(*interfaces: tuple[str, int]) -> dict[str, Any]:
    """A network adapter in Home Assistant's shape; by default the lab's HA host (/24, /64)."""
    found = interfaces or ((HA4, 24), (HA6, 64))
    return {
        "name": "eth0",
        "index": 0,
        "enabled": True,
        "auto": True,
        "default": True,
        "ipv4": [{"address": a, "network_prefix": p} for a, p in found if ":" not in a],
        "ipv6": [
            {"address": a, "network_prefix": p, "flowinfo": 0, "scope_id": 0}
            for a, p in found
            if ":" in a
        ],
    }


IN_FORCE: list[FirewallHooks] = [FirewallHooks()]
"""The hooks of the running test (the conftest resets them after each test)."""


def use_hooks(hooks: FirewallHooks) -> FirewallHooks:
    """Put ``hooks`` in force for the rest of the test."""
    IN_FORCE[0] = hooks
    return hooks


def install_hooks(hass: HomeAssistant, lab: Lab, tmp_path: Path) -> FirewallHooks:
    """Point Homebound's firewall at the lab."""
    return use_hooks(
        FirewallHooks(
            connect_socket=socket_factory(lab),
            local_runner=lab.runner(),
            persist=PersistTarget.for_kind(
                PersistKind.FILE, str(tmp_path / "etc" / "homebound.nft")
            ),
            resolver=fake_resolver,
            contacts={"127.0.0.1": (CAMERA4,)},
        )
    )


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
    """The allow-list of the lab: HA host, router, the local NTP/DNS server.

    Everything on the lab HA host's own networks (198.18.0.0/24, 2001:db8::/64), which is what
    the form accepts as LAN: the camera LAN (198.18.1.0/24) is neither private nor an adapter's
    of Home Assistant. No LAN range: cameras reach HA and the servers by their addresses.
    """
    data: dict[str, Any] = {
        CONF_HA_HOSTS: [HA4, HA6],
        CONF_GATEWAYS: [ROUTER_HA4, ROUTER_HA6],
        CONF_LAN_RANGES: [],
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
    """Let the host-key fetch or the connection test run to its end; the step after it."""
    assert result["type"] is FlowResultType.SHOW_PROGRESS, result
    assert result["progress_action"] in ("firewall_fetch", "firewall_test")
    await hass.async_block_till_done(wait_background_tasks=True)
    return await hass.config_entries.flow.async_configure(result["flow_id"])


async def add_ssh_firewall(hass: HomeAssistant, sshd: Sshd, **network: Any) -> ConfigEntry:
    """Add the firewall entry through the flow, against the lab's sshd."""
    result = await start_firewall_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_BACKEND: "ssh"}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], ssh_input(sshd))
    result = await finish_progress(hass, result)  # the host key, fetched: nothing sent yet
    assert result["step_id"] == "firewall_host_key", result
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await finish_progress(hass, result)  # the login, with the key just pinned
    assert result["step_id"] == "firewall_network", result
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


class BusRecorder:
    """Records Home Assistant bus events (and entity states) and waits, bounded, for them."""

    def __init__(self, hass: HomeAssistant, *event_types: str) -> None:
        """Listen to ``event_types`` and to every state change until the test ends."""
        self.events: list[Event[Any]] = []
        self.states: list[tuple[str, str]] = []
        self._changed = asyncio.Event()
        for event_type in event_types:
            hass.bus.async_listen(event_type, self._record)
        hass.bus.async_listen(EVENT_STATE_CHANGED, self._state)

    @callback
    def _record(self, event: Event[Any]) -> None:
        self.events.append(event)
        self._changed.set()

    @callback
    def _state(self, event: Event[Any]) -> None:
        new = event.data.get("new_state")
        if new is not None:
            self.states.append((new.entity_id, new.state))
            self._changed.set()

    def of(self, event_type: str) -> list[Event[Any]]:
        """The events of one type so far."""
        return [e for e in self.events if e.event_type == event_type]

    def states_of(self, entity_id: str) -> list[str]:
        """Every state an entity took so far, in order."""
        return [state for eid, state in self.states if eid == entity_id]

    async def wait(self, condition: Callable[[], bool], timeout: float = EVENT_TIMEOUT) -> bool:
        """Wait until ``condition()`` holds (bounded); whether it did."""
        try:
            async with asyncio.timeout(timeout):
                while not condition():
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            return condition()
        return True

    async def wait_for(
        self, event_type: str, count: int = 1, timeout: float = EVENT_TIMEOUT
    ) -> Event[Any]:
        """The ``count``-th event of ``event_type`` (bounded wait; fails when it did not come)."""
        came = await self.wait(lambda: len(self.of(event_type)) >= count, timeout)
        assert came, f"no {event_type} #{count} within {timeout} s: {self.events}"
        return self.of(event_type)[count - 1]
