"""The guard through Home Assistant: every gap shown, a pending change, a key changed live.

Real nftables in the namespace lab, the real config flow, the real entities. What the user and
an automation see is asserted: the problem sensor (it turned on, also for a gap repaired within
a second), the bus events ``homebound_isolation_lost`` / ``_restored``, the logbook's words for
them (the integration's logbook platform fed the very events fired), the "Isolation gaps (30
days)" sensor, the repairs; and what the camera can reach. Every wait is bounded and waits on
an event or a state, never on a sleep.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound import logbook
from custom_components.homebound.const import CONF_HOST_KEY, DOMAIN
from custom_components.homebound.isolation import coordinator as coordinator_module
from custom_components.homebound.isolation.notices import (
    EVENT_ISOLATION_LOST,
    EVENT_ISOLATION_RESTORED,
    EVENT_PENDING,
    EVENT_PENDING_APPLIED,
    EVENT_REACHABLE,
    EVENT_UNREACHABLE,
)
from simulator import CameraConfig, VirtualCamera

from ..conftest import entry_data, state_of
from .glue import (
    GAPS,
    PROBLEM,
    SWITCH,
    BusRecorder,
    add_ssh_firewall,
    coordinator_of,
    install_hooks,
)
from .lab import CAMERA_MAC, CLOUD4, CLOUD6, Lab, Sshd
from .test_glue_local import add_local_firewall
from .test_glue_ssh import watching
from .test_isolation import start_servers
from .test_ssh import keygen_fingerprint

AWAY_TIMEOUT = 60.0
"""Bound for noticing a dead link (keepalives: 3 s x 3) and for the link's return."""


@pytest.fixture
def camera_config() -> CameraConfig:
    """The virtual camera answers ONVIF with the MAC of the lab's camera host."""
    return CameraConfig(rtsp=False, mac=CAMERA_MAC)


def logbook_lines(hass: HomeAssistant, events: list[Event[Any]]) -> list[str]:
    """The logbook's line for each event, from the integration's logbook platform."""
    describers: dict[str, Callable[[Any], dict[str, str]]] = {}

    def describe(domain: str, event_type: str, describer: Callable[[Any], dict[str, str]]) -> None:
        assert domain == DOMAIN
        describers[event_type] = describer

    logbook.async_describe_events(hass, describe)
    lines = []
    for event in events:
        found = describers[str(event.event_type)](event)
        lines.append(f"{found['name']} {found['message']}")
    return lines


class IssueLog:
    """Every repair issue created and removed, in order."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Listen until the test ends."""
        self.changes: list[tuple[str, str]] = []
        hass.bus.async_listen(ir.EVENT_REPAIRS_ISSUE_REGISTRY_UPDATED, self._changed)

    @callback
    def _changed(self, event: Event[Any]) -> None:
        self.changes.append((event.data["action"], event.data["issue_id"]))


async def test_every_gap_is_shown_and_repeated_gaps_are_a_repair(
    hass: HomeAssistant,
    lab: Lab,
    tmp_path: Path,
    camera: VirtualCamera,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Tampering and a deleted table, each undone within seconds and each shown."""
    assert await async_setup_component(hass, "repairs", {})
    start_servers(lab)
    install_hooks(hass, lab, tmp_path)
    firewall = await add_local_firewall(hass)  # cameras added later are isolated
    config_entry = MockConfigEntry(
        domain=DOMAIN, title="Virtual Camera", unique_id=CAMERA_MAC, data=entry_data(camera)
    )
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state_of(hass, SWITCH) == STATE_ON
    assert state_of(hass, PROBLEM) == STATE_OFF
    assert state_of(hass, GAPS) == "0"
    issues = IssueLog(hass)
    recorder = BusRecorder(hass, EVENT_ISOLATION_LOST, EVENT_ISOLATION_RESTORED)
    lost_id = f"isolation_lost_{firewall.entry_id}"
    gaps_id = f"isolation_gaps_{firewall.entry_id}"

    # 1. Someone lets a whole network out through the allow set; counts, hooks unchanged.
    await watching(firewall)
    lab.nft("add", "element", "inet", "homebound", "allow4", "{ 203.0.113.0/24 }")
    restored = await recorder.wait_for(EVENT_ISOLATION_RESTORED)
    lost = recorder.of(EVENT_ISOLATION_LOST)[0]
    assert lost.data["cause"] == "changed"
    assert "set_changed:allow4" in lost.data["problems"]
    assert lost.data["cameras"] == ["Virtual Camera"]
    assert restored.data["repaired"] is True
    assert restored.data["started"] == lost.data["started"]
    assert restored.data["duration"] is not None
    assert STATE_ON in recorder.states_of(PROBLEM)  # on for the gap, however short
    assert await recorder.wait(lambda: state_of(hass, PROBLEM) == STATE_OFF)
    assert state_of(hass, GAPS) == "1"
    assert issues.changes.index(("create", lost_id)) < issues.changes.index(("remove", lost_id))
    assert "203.0.113.0/24" not in lab.nft("list", "set", "inet", "homebound", "allow4").stdout
    assert lab.probe([("tcp", CLOUD4, 443)]) == [False]

    # 2. The table is deleted: a second gap within the hour is a repair the user acknowledges.
    await watching(firewall)
    lab.nft("delete", "table", "inet", "homebound")
    restored = await recorder.wait_for(EVENT_ISOLATION_RESTORED, count=2)
    assert restored.data["cause"] == "removed"
    assert "table_missing" in restored.data["problems"]
    assert await recorder.wait(lambda: state_of(hass, GAPS) == "2")
    assert recorder.states_of(PROBLEM).count(STATE_ON) == 2
    assert state_of(hass, PROBLEM) == STATE_OFF
    gaps_sensor = hass.states.get(GAPS)
    assert gaps_sensor is not None
    assert gaps_sensor.attributes["last_started"] == restored.data["started"]
    issue = issue_registry.async_get_issue(DOMAIN, gaps_id)
    assert issue is not None
    assert issue.is_fixable
    assert issue.is_persistent
    assert (issue.translation_placeholders or {})["count"] == "2"
    assert lab.probe([("tcp", CLOUD4, 443), ("tcp", CLOUD6, 443)]) == [False, False]

    lines = logbook_lines(hass, recorder.events)
    assert len(lines) == 4
    assert "lost cloud isolation: its rules were changed (set_changed:allow4" in lines[0]
    assert "(Virtual Camera exposed)" in lines[0]
    assert "restored cloud isolation after" in lines[1]
    assert "repaired by Homebound" in lines[1]
    assert "lost cloud isolation: its rules were removed (table_missing" in lines[2]

    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": gaps_id})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "acknowledge"
    assert (result["description_placeholders"] or {})["count"] == "2"
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert issue_registry.async_get_issue(DOMAIN, gaps_id) is None
    # Acknowledging does not forget: the sensor still counts both.
    assert state_of(hass, GAPS) == "2"


async def test_router_away_a_release_waits_and_is_applied_when_it_answers(
    hass: HomeAssistant,
    lab: Lab,
    sshd: Sshd,
    tmp_path: Path,
    config_entry: MockConfigEntry,
) -> None:
    """Link down: the problem sensor says so; a switch change is pending, then applied."""
    start_servers(lab)
    # Keep the router's addresses on that link while it is down (IPv6 drops them otherwise).
    lab.exec("rtr", "sysctl", "-q", "-w", "net.ipv6.conf.ha.keep_addr_on_down=1")
    install_hooks(hass, lab, tmp_path)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    firewall = await add_ssh_firewall(hass, sshd)
    await hass.services.async_call("switch", "turn_on", {"entity_id": SWITCH}, blocking=True)
    assert state_of(hass, SWITCH) == STATE_ON
    await watching(firewall)
    recorder = BusRecorder(
        hass, EVENT_UNREACHABLE, EVENT_REACHABLE, EVENT_PENDING, EVENT_PENDING_APPLIED
    )

    await asyncio.to_thread(lab.exec, "rtr", "ip", "link", "set", "ha", "down")
    away = await recorder.wait_for(EVENT_UNREACHABLE, timeout=AWAY_TIMEOUT)
    assert "198.18.0.1" in away.data["error"]
    assert away.data["error"].rsplit(":", 1)[-1].strip(), away.data  # a reason, in words
    assert await recorder.wait(lambda: state_of(hass, PROBLEM) == STATE_ON)
    problem = hass.states.get(PROBLEM)
    assert problem is not None
    assert problem.attributes["unreachable_since"] is not None
    assert problem.attributes["error"] == "ssh_unreachable"

    # The user releases the camera meanwhile: no error, the change waits and says so.
    await hass.services.async_call("switch", "turn_off", {"entity_id": SWITCH}, blocking=True)
    await recorder.wait_for(EVENT_PENDING)
    switch = hass.states.get(SWITCH)
    assert switch is not None
    assert switch.state == STATE_ON  # what the firewall holds: the camera is still isolated
    assert switch.attributes["pending"] is True
    assert switch.attributes["chosen"] is False
    assert lab.probe([("tcp", CLOUD4, 443)]) == [False]

    await asyncio.to_thread(lab.exec, "rtr", "ip", "link", "set", "ha", "up")
    await recorder.wait_for(EVENT_PENDING_APPLIED, timeout=AWAY_TIMEOUT)
    await recorder.wait_for(EVENT_REACHABLE, timeout=AWAY_TIMEOUT)
    assert await recorder.wait(lambda: state_of(hass, SWITCH) == STATE_OFF)
    switch = hass.states.get(SWITCH)
    assert switch is not None
    assert switch.attributes["pending"] is False
    assert state_of(hass, PROBLEM) == STATE_OFF  # released: nothing is missing
    assert lab.probe([("tcp", CLOUD4, 443)]) == [True]
    assert len(recorder.of(EVENT_PENDING_APPLIED)) == 1
    lines = logbook_lines(hass, recorder.events)
    assert any("cannot reach the router: " in line for line in lines)
    assert any("applied the change that waited for the router" in line for line in lines)


async def test_host_key_changed_under_a_live_session_is_found_and_nothing_sent(
    hass: HomeAssistant,
    lab: Lab,
    sshd: Sshd,
    tmp_path: Path,
    config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """The session stays open; the periodic re-check on a new connection finds the new key."""
    start_servers(lab)
    install_hooks(hass, lab, tmp_path)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    with patch.object(coordinator_module, "HOST_KEY_RECHECK", timedelta(seconds=0.5)):
        firewall = await add_ssh_firewall(hass, sshd)
    await hass.services.async_call("switch", "turn_on", {"entity_id": SWITCH}, blocking=True)
    pinned = firewall.data[CONF_HOST_KEY]
    issue_id = f"host_key_changed_{firewall.entry_id}"
    recorder = BusRecorder(hass, str(ir.EVENT_REPAIRS_ISSUE_REGISTRY_UPDATED))

    # Another machine answers at the router's address; nothing closes the guard's session.
    sshd.stop()
    sshd.start(sshd.keygen("host_b"), sshd.directory / "authorized_keys")
    assert await recorder.wait(
        lambda: issue_registry.async_get_issue(DOMAIN, issue_id) is not None, AWAY_TIMEOUT
    )
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.is_fixable
    placeholders = issue.translation_placeholders or {}
    assert placeholders["offered"] == keygen_fingerprint(sshd.directory / "host_b.pub")
    assert firewall.data[CONF_HOST_KEY] == pinned
    assert coordinator_of(firewall).halted is not None
    assert state_of(hass, PROBLEM) == STATE_ON

    # Nothing more goes to that machine: rules flushed there stay flushed.
    lab.nft("flush", "ruleset")
    await coordinator_of(firewall).async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert lab.nft("list", "ruleset").stdout.strip() == ""


async def test_a_table_lost_while_home_assistant_was_away_is_a_gap_at_start(
    hass: HomeAssistant,
    lab: Lab,
    tmp_path: Path,
    camera: VirtualCamera,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Isolation had been confirmed; at the next start the table is gone: shown, repaired."""
    start_servers(lab)
    install_hooks(hass, lab, tmp_path)
    firewall = await add_local_firewall(hass)
    config_entry = MockConfigEntry(
        domain=DOMAIN, title="Virtual Camera", unique_id=CAMERA_MAC, data=entry_data(camera)
    )
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state_of(hass, SWITCH) == STATE_ON

    assert await hass.config_entries.async_unload(firewall.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert lab.probe([("tcp", CLOUD4, 443)]) == [False]  # unloading leaves the rules in force
    lab.nft("delete", "table", "inet", "homebound")  # meanwhile, on the firewall
    recorder = BusRecorder(hass, EVENT_ISOLATION_LOST, EVENT_ISOLATION_RESTORED)
    assert await hass.config_entries.async_setup(firewall.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    restored = await recorder.wait_for(EVENT_ISOLATION_RESTORED)
    assert restored.data["found_by"] == "start"
    assert restored.data["cause"] == "removed"
    assert restored.data["cameras"] == ["Virtual Camera"]
    assert state_of(hass, GAPS) == "1"
    assert state_of(hass, SWITCH) == STATE_ON
    # It began at an unknown time: the user hears about it until they acknowledge it.
    assert issue_registry.async_get_issue(DOMAIN, f"isolation_gaps_{firewall.entry_id}")
    assert lab.probe([("tcp", CLOUD4, 443)]) == [False]
