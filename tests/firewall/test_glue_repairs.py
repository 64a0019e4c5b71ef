"""Repairs the firewall raises: keys a camera may not have, an unsafe allow-list (and its fix
flow), a router that is away, a failed removal."""

from __future__ import annotations

from pathlib import Path

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.homebound.const import CONF_GATEWAYS, CONF_MAC, DOMAIN
from custom_components.homebound.firewall import ApplyOutcome, fingerprint

from .glue import add_ssh_firewall, coordinator_of, install_hooks
from .lab import HA4, Lab, Sshd

UNSEEN_MAC = "02:00:00:00:99:01"


async def test_a_camera_at_the_home_assistant_host_is_refused_per_camera(
    hass: HomeAssistant,
    lab: Lab,
    sshd: Sshd,
    tmp_path: Path,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A camera entry at the HA host's address: its keys are refused, the rest is applied."""
    install_hooks(hass, lab, tmp_path)
    firewall = await add_ssh_firewall(hass, sshd, isolate_new=True)
    camera = MockConfigEntry(
        domain=DOMAIN,
        title="Misconfigured [camera](http://evil.example)",
        unique_id=UNSEEN_MAC,
        data={CONF_HOST: HA4, CONF_MAC: UNSEEN_MAC, "port": 80, "username": "u", "password": "p"},
    )
    camera.add_to_hass(hass)  # never set up: it still belongs to the policy
    coordinator = coordinator_of(firewall)
    await coordinator.async_refresh()
    state = coordinator.data
    assert state.error is None
    assert state.status is not None
    assert state.status.in_force  # the policy stands, without the camera
    match = coordinator.match(camera.entry_id)
    assert match is not None
    assert not match.isolated
    refused = {(r.key, r.reason.value) for r in match.refusals}
    assert (HA4, "ha_host") in refused
    assert (UNSEEN_MAC, "mac_mismatch") in refused
    for kind in ("camera_key_ha_host", "camera_key_mac_mismatch", "not_isolated"):
        issue = issue_registry.async_get_issue(DOMAIN, f"{kind}_{camera.entry_id}")
        assert issue is not None, kind
        placeholders = issue.translation_placeholders or {}
        assert placeholders["camera"] == r"Misconfigured \[camera\]\(http://evil.example\)"
    issue = issue_registry.async_get_issue(DOMAIN, f"camera_key_ha_host_{camera.entry_id}")
    assert issue is not None
    assert f"`{HA4}`" in (issue.translation_placeholders or {})["keys"]
    assert HA4 not in lab.nft("list", "set", "inet", "homebound", "cams4").stdout

    # Switching it on answers with a translated error, not an HTTP 500; the choice is kept.
    with pytest.raises(HomeAssistantError) as caught:
        await coordinator.async_set_isolated([camera.entry_id], True)
    assert caught.value.translation_key == "camera_keys_refused"
    assert coordinator.is_isolated(camera.entry_id)

    # The user gives the camera its own address: the issues go, it is isolated by address.
    hass.config_entries.async_update_entry(camera, data={**camera.data, CONF_HOST: "198.18.1.77"})
    coordinator.cameras_changed()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert issue_registry.async_get_issue(DOMAIN, f"not_isolated_{camera.entry_id}") is None
    assert issue_registry.async_get_issue(DOMAIN, f"camera_key_ha_host_{camera.entry_id}") is None
    by_address = issue_registry.async_get_issue(DOMAIN, f"isolated_by_address_{camera.entry_id}")
    assert by_address is not None
    assert "198.18.1.77" in lab.nft("list", "table", "inet", "homebound").stdout


async def test_an_unsafe_allow_list_raises_a_fixable_issue(
    hass: HomeAssistant,
    lab: Lab,
    sshd: Sshd,
    tmp_path: Path,
    issue_registry: ir.IssueRegistry,
    hass_client: ClientSessionGenerator,
) -> None:
    """A gateway on the internet makes no safe policy: a repair, and its fix flow."""
    # Before the HTTP client starts: a running server takes no more views.
    assert await async_setup_component(hass, "repairs", {})
    install_hooks(hass, lab, tmp_path)
    firewall = await add_ssh_firewall(hass, sshd, isolate_new=True)
    good = dict(firewall.data)
    hass.config_entries.async_update_entry(firewall, data={**good, CONF_GATEWAYS: ["8.8.8.8"]})
    coordinator = coordinator_of(firewall)
    await coordinator.async_refresh()
    assert coordinator.data.error == "invalid_policy"
    issue_id = f"apply_failed_{firewall.entry_id}"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.is_fixable
    assert "8.8.8.8" in str(issue.translation_placeholders)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, firewall)
    assert "8.8.8.8" in diagnostics["rules"]["error"]
    assert diagnostics["entry"]["data"]["host_key"] == fingerprint(firewall.data["host_key"])
    assert diagnostics["entry"]["data"]["client_key"] == "**REDACTED**"

    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    assert result["step_id"] == "init"
    result = await manager.async_configure(result["flow_id"], {})
    assert result["errors"] == {"base": "still_failing"}
    assert "8.8.8.8" in str(result["description_placeholders"])

    # The user puts the gateway right; applying again works.
    hass.config_entries.async_update_entry(firewall, data=good)
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert coordinator.data.error is None


async def test_failed_removal_tells_how_to_clean_up(
    hass: HomeAssistant,
    lab: Lab,
    sshd: Sshd,
    tmp_path: Path,
    issue_registry: ir.IssueRegistry,
) -> None:
    install_hooks(hass, lab, tmp_path)
    firewall = await add_ssh_firewall(hass, sshd, isolate_new=True)
    sshd.stop()
    backend = coordinator_of(firewall).backend
    assert backend is not None
    await backend.close()
    coordinator = coordinator_of(firewall)
    await coordinator.async_refresh()
    assert coordinator.data.error == "ssh_unreachable"
    # Nothing changed: nothing to send, nothing refused.
    assert await coordinator.async_apply_now() is ApplyOutcome.APPLIED
    # The router comes back (same key): the next check finds it, then it goes away for good.
    sshd.start(sshd.directory / "host_a", sshd.directory / "authorized_keys")
    await coordinator.async_refresh()
    state = coordinator.data  # a new check (mypy still narrows the old one)
    assert state.error is None
    assert state.status is not None
    assert state.status.in_force
    sshd.stop()
    await backend.close()
    await hass.config_entries.async_remove(firewall.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    issue = issue_registry.async_get_issue(DOMAIN, f"remove_failed_{firewall.entry_id}")
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING
