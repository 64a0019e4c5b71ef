"""The firewall in Home Assistant, end to end over SSH against the lab's real sshd and nftables.

A user adds the firewall entry through the config flow, turns "Cloud blocking" on for a
camera, and the lab's camera can no longer reach the "internet" while it still reaches Home
Assistant and the local NTP/DNS server; the sensors count and name what it tried; an fw4-style
flush is repaired within one check interval; a changed host key stops everything until the
user accepts it; release and removal leave nothing behind.
"""

from __future__ import annotations

from enum import StrEnum
import json
from pathlib import Path
import subprocess
from typing import Any

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.homebound.const import (
    CONF_HOST_KEY,
    DOMAIN,
    FIREWALL_ENTITY_KEYS,
)
from custom_components.homebound.firewall import fingerprint
from custom_components.homebound.isolation.notices import (
    EVENT_ISOLATION_LOST,
    EVENT_ISOLATION_RESTORED,
)
from simulator import CameraConfig

from ..conftest import state_of
from .glue import (
    ATTEMPTS,
    DESTINATIONS,
    GAPS,
    LAST,
    PROBLEM,
    SWITCH,
    BusRecorder,
    add_ssh_firewall,
    coordinator_of,
    install_hooks,
)
from .guarding import EVENT_TIMEOUT
from .lab import CAMERA_MAC, CLOUD4, Lab, Sshd
from .test_isolation import CLOUD_TRIES, LOCAL_TRIES, start_servers
from .test_lifecycle import FW4_LIKE
from .test_ssh import keygen_fingerprint


@pytest.fixture
def camera_config() -> CameraConfig:
    """The virtual camera answers ONVIF with the MAC of the lab's camera host."""
    return CameraConfig(rtsp=False, mac=CAMERA_MAC)


def load_fw4_like(lab: Lab) -> None:
    """A table of the router's own that accepts established traffic, as fw4's does."""
    lab.exec("rtr", "sh", "-c", f"nft -f - <<'EOF'\n{FW4_LIKE}\nEOF")


def use_session(lab: Lab, session: subprocess.Popen[str]) -> str:
    """Send on the camera's open session: ``ok`` when the echo came back, else ``dead``."""
    assert session.stdin is not None
    session.stdin.write("send\n")
    session.stdin.flush()
    return lab.readline(session)


def rule_count(lab: Lab) -> int:
    """How many rules Homebound's table holds in the kernel."""
    listing = json.loads(lab.nft("-j", "list", "table", "inet", "homebound").stdout)
    return sum(1 for item in listing["nftables"] if "rule" in item)


def firewall_states(hass: HomeAssistant) -> dict[str, Any]:
    """The firewall entities' states and attributes, without the times of attempts."""
    found: dict[str, Any] = {}
    for entity_id in (SWITCH, ATTEMPTS, DESTINATIONS, LAST, PROBLEM):
        state = hass.states.get(entity_id)
        assert state is not None, entity_id
        # Plain strings: from 2026.10 attribute names (and state classes) are enum members.
        attributes: dict[str, Any] = {
            str(k): str(v) if isinstance(v, StrEnum) else v for k, v in state.attributes.items()
        }
        value = state.state
        if "recent" in attributes:
            # Attempts within one second tie (the kernel counts seconds): which of them is
            # "last" is not fixed, only that it is one of them.
            assert value in {r["destination"] for r in attributes["recent"]}
            value = "<the newest of recent>"
            attributes["recent"] = sorted(
                ({k: v for k, v in r.items() if k != "last_seen"} for r in attributes["recent"]),
                key=lambda r: (r["address"], r["protocol"], r["port"] or 0),
            )
        found[entity_id] = {"state": value, "attributes": attributes}
    return found


async def next_check(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Run the guard's full check now (its periodic one, without waiting a minute for it)."""
    await coordinator_of(entry).async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)


async def watching(entry: ConfigEntry) -> None:
    """Wait (bounded) until the guard's ruleset watcher runs and reported all before now."""
    guard = coordinator_of(entry).guard
    assert guard is not None
    assert guard.watcher is not None
    assert await guard.watcher.wait_ready(EVENT_TIMEOUT)
    assert await guard.watcher.sync(EVENT_TIMEOUT)


async def test_cloud_blocking_end_to_end_over_ssh(
    hass: HomeAssistant,
    lab: Lab,
    sshd: Sshd,
    tmp_path: Path,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    issue_registry: ir.IssueRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    start_servers(lab)
    load_fw4_like(lab)  # the router tracks connections, as fw4 does
    install_hooks(hass, lab, tmp_path)
    stored = tmp_path / "etc" / "homebound.nft"
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(SWITCH) is None  # no firewall, no firewall entities
    # Before isolation the camera reaches the "cloud" every way it can, and holds a session.
    assert lab.probe(CLOUD_TRIES) == [True] * len(CLOUD_TRIES)
    assert lab.probe(LOCAL_TRIES) == [True] * len(LOCAL_TRIES)
    session = lab.start("cam", *lab.python("session.py", CLOUD4, "443"), ready="connected")
    assert use_session(lab, session) == "ok"

    entry = await add_ssh_firewall(hass, sshd)
    assert entry.state is ConfigEntryState.LOADED
    assert fingerprint(entry.data[CONF_HOST_KEY]) == keygen_fingerprint(
        sshd.directory / "host_a.pub"
    )
    # The camera was there before the firewall: it stays as it was until the user switches.
    assert state_of(hass, SWITCH) == STATE_OFF
    assert state_of(hass, PROBLEM) == STATE_OFF
    assert lab.probe([("udp", CLOUD4, 8800)]) == [True]

    await hass.services.async_call("switch", "turn_on", {"entity_id": SWITCH}, blocking=True)
    assert state_of(hass, SWITCH) == STATE_ON
    assert state_of(hass, PROBLEM) == STATE_OFF
    assert stored.read_text()  # kept on the router for its next boot
    assert lab.probe([("udp", CLOUD4, 8800)]) == [False]
    assert lab.probe(LOCAL_TRIES) == [True] * len(LOCAL_TRIES)

    await next_check(hass, entry)
    assert state_of(hass, ATTEMPTS) == "1"
    assert state_of(hass, DESTINATIONS) == "1"
    assert state_of(hass, LAST) == "easy4ipcloud.com — Dahua P2P, UDP 8800"
    last = hass.states.get(LAST)
    assert last is not None
    (recent,) = last.attributes["recent"]
    assert (recent["address"], recent["protocol"], recent["port"]) == (CLOUD4, "udp", 8800)

    assert lab.probe(CLOUD_TRIES) == [False] * len(CLOUD_TRIES)
    await next_check(hass, entry)
    assert state_of(hass, ATTEMPTS) == str(1 + len(CLOUD_TRIES))
    assert state_of(hass, DESTINATIONS) == str(len(CLOUD_TRIES))
    # Exactly what the camera tried, each destination once, ICMP without a port.
    last = hass.states.get(LAST)
    assert last is not None
    tried = {(r["address"], r["protocol"], r["port"]) for r in last.attributes["recent"]}
    assert tried == {
        (address, "icmpv6" if kind == "icmp" and ":" in address else kind,
         None if kind == "icmp" else port)
        for kind, address, port in CLOUD_TRIES
    }  # fmt: skip
    assert firewall_states(hass) == snapshot

    # Applying again (here: the entry reloads, as at a restart) changes nothing and keeps
    # the counts, in the kernel and on the sensors.
    counters = lab.nft("list", "counters").stdout
    rules = rule_count(lab)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert lab.nft("list", "counters").stdout == counters
    assert rule_count(lab) == rules
    assert state_of(hass, ATTEMPTS) == str(1 + len(CLOUD_TRIES))
    assert state_of(hass, DESTINATIONS) == str(len(CLOUD_TRIES))
    assert lab.probe(CLOUD_TRIES) == [False] * len(CLOUD_TRIES)
    await next_check(hass, entry)
    assert state_of(hass, ATTEMPTS) == str(1 + 2 * len(CLOUD_TRIES))

    # fw4 flush (or a reboot before the router loaded the stored rules): all tables go. The
    # guard's watcher finds it within seconds, puts the rules back, and every sign of the gap
    # stays: the problem sensor was on, the events, the logbook line, the gap sensor.
    changes: list[tuple[str, str]] = []

    @callback
    def issue_changed(event: Event[Any]) -> None:
        changes.append((event.data["action"], event.data["issue_id"]))

    hass.bus.async_listen(ir.EVENT_REPAIRS_ISSUE_REGISTRY_UPDATED, issue_changed)
    recorder = BusRecorder(hass, EVENT_ISOLATION_LOST, EVENT_ISOLATION_RESTORED)
    await watching(entry)
    lab.nft("flush", "ruleset")
    restored = await recorder.wait_for(EVENT_ISOLATION_RESTORED)
    lost = f"isolation_lost_{entry.entry_id}"
    assert ("create", lost) in changes
    assert changes.index(("create", lost)) < changes.index(("remove", lost))
    assert issue_registry.async_get_issue(DOMAIN, lost) is None
    assert restored.data["cause"] == "removed"
    assert restored.data["repaired"] is True
    assert restored.data["cameras"] == ["Virtual Camera"]
    assert recorder.of(EVENT_ISOLATION_LOST)[0].data["started"] == restored.data["started"]
    assert STATE_ON in recorder.states_of(PROBLEM)
    assert state_of(hass, PROBLEM) == STATE_OFF
    assert state_of(hass, GAPS) == "1"
    assert lab.probe([("tcp", CLOUD4, 443)]) == [False]
    await next_check(hass, entry)
    # The router's counter started again from zero; the sensor does not go back.
    assert state_of(hass, ATTEMPTS) == str(2 + 2 * len(CLOUD_TRIES))
    # The session the camera held to the cloud since before isolation is dead.
    assert use_session(lab, session) == "dead"

    await hass.services.async_call("switch", "turn_off", {"entity_id": SWITCH}, blocking=True)
    assert lab.probe([("tcp", CLOUD4, 443)]) == [True]
    listing = lab.nft("list", "table", "inet", "homebound").stdout
    assert CAMERA_MAC not in listing

    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert lab.nft("list", "ruleset").stdout.strip() == ""
    assert not stored.exists()
    assert hass.states.get(SWITCH) is None
    assert hass.states.get(ATTEMPTS) is None
    entities = er.async_entries_for_config_entry(entity_registry, config_entry.entry_id)
    assert entities
    assert not [e for e in entities if e.translation_key in FIREWALL_ENTITY_KEYS]


async def test_changed_host_key_stops_everything_until_accepted(
    hass: HomeAssistant,
    lab: Lab,
    sshd: Sshd,
    tmp_path: Path,
    config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    start_servers(lab)
    install_hooks(hass, lab, tmp_path)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    entry = await add_ssh_firewall(hass, sshd)
    await hass.services.async_call("switch", "turn_on", {"entity_id": SWITCH}, blocking=True)
    pinned = entry.data[CONF_HOST_KEY]

    # Another machine (or a reinstalled router) answers at the router's address.
    sshd.stop()
    sshd.start(sshd.keygen("host_b"), sshd.directory / "authorized_keys")
    offered = keygen_fingerprint(sshd.directory / "host_b.pub")
    backend = coordinator_of(entry).backend
    assert backend is not None
    await backend.close()  # a rebooted router drops the connection: the next check reconnects
    await next_check(hass, entry)
    issue_id = f"host_key_changed_{entry.entry_id}"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {
        "host": "198.18.0.1",
        "pinned": fingerprint(pinned),
        "offered": offered,
    }
    assert state_of(hass, PROBLEM) == STATE_ON
    # Figures the firewall cannot confirm are not shown; the choice still is.
    assert state_of(hass, ATTEMPTS) == STATE_UNAVAILABLE
    assert state_of(hass, LAST) == STATE_UNAVAILABLE
    assert state_of(hass, SWITCH) == STATE_ON  # what was last confirmed
    # Nothing more is sent to it: the rules flushed now stay flushed.
    lab.nft("flush", "ruleset")
    await next_check(hass, entry)
    assert lab.nft("list", "ruleset").stdout.strip() == ""
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call("switch", "turn_off", {"entity_id": SWITCH}, blocking=True)
    assert caught.value.translation_key == "host_key_changed"

    # The user reads both fingerprints and accepts the new key.
    assert await async_setup_component(hass, "repairs", {})
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    assert result["type"] is FlowResultType.MENU
    result = await manager.async_configure(result["flow_id"], {"next_step_id": "accept"})
    assert result["step_id"] == "accept"
    assert result["description_placeholders"] == {"offered": offered}
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done(wait_background_tasks=True)
    assert fingerprint(entry.data[CONF_HOST_KEY]) == offered
    assert entry.state is ConfigEntryState.LOADED
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert state_of(hass, PROBLEM) == STATE_OFF
    assert state_of(hass, SWITCH) == STATE_ON
    assert lab.probe([("tcp", CLOUD4, 443)]) == [False]  # isolated again
    assert coordinator_of(entry).halted is None

    # "Reconfigure instead" only points the user to the entry's Reconfigure.
    sshd.stop()
    sshd.start(sshd.keygen("host_c"), sshd.directory / "authorized_keys")
    backend = coordinator_of(entry).backend
    assert backend is not None
    await backend.close()
    await next_check(hass, entry)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    result = await manager.async_configure(result["flow_id"], {"next_step_id": "reconfigure"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "use_reconfigure"
    # Accepting fails when yet another key answers by then.
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    result = await manager.async_configure(result["flow_id"], {"next_step_id": "accept"})
    sshd.stop()
    sshd.start(sshd.keygen("host_d"), sshd.directory / "authorized_keys")
    result = await manager.async_configure(result["flow_id"], {})
    assert result["errors"] == {"base": "host_key_differs"}
    sshd.stop()
    result = await manager.async_configure(result["flow_id"], {})
    assert result["errors"] == {"base": "ssh_unreachable"}
