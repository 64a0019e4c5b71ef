"""Export only: the rules in files where the user looks, a notice that follows them, no dead
entities.

The files are loaded for real - ``nft -c -f``, ``iptables-restore --test`` and
``ip6tables-restore --test`` inside the lab router's namespace - as the notice tells the user
to, so "paste-ready" is checked by the tools that will read them.
"""

from __future__ import annotations

from pathlib import Path

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.const import DOMAIN
from simulator import CameraConfig

from ..conftest import state_of
from .glue import ATTEMPTS, DESTINATIONS, LAST, PROBLEM, SWITCH, FirewallHooks, use_hooks
from .lab import CAMERA4, CAMERA_MAC, Lab
from .test_glue_services import export_firewall

FILES = ("homebound.nft", "homebound4.rules", "homebound6.rules")


@pytest.fixture
def camera_config() -> CameraConfig:
    """The virtual camera answers ONVIF with the MAC of the lab's camera host."""
    return CameraConfig(rtsp=False, mac=CAMERA_MAC)


def load_in(lab: Lab, directory: Path) -> None:
    """Load each file as its header says, in check mode, on the lab's router (raises if not)."""
    nft, ip4, ip6 = (str(directory / name) for name in FILES)
    lab.exec("rtr", "nft", "-c", "-f", nft)
    lab.exec("rtr", "sh", "-c", f"iptables-restore --test --noflush < '{ip4}'")
    lab.exec("rtr", "sh", "-c", f"ip6tables-restore --test --noflush < '{ip6}'")


def notice(issue_registry: ir.IssueRegistry, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return issue_registry.async_get_issue(DOMAIN, f"rules_exported_{entry.entry_id}")


async def test_rules_are_written_where_the_notice_says_and_follow_the_switch(
    hass: HomeAssistant,
    lab: Lab,
    config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    use_hooks(FirewallHooks(contacts={"127.0.0.1": (CAMERA4,)}))  # the lab camera's address
    assert await async_setup_component(hass, "repairs", {})
    assert await async_setup_component(hass, DOMAIN, {})  # the camera entry too
    entry = await export_firewall(hass)
    directory = Path(hass.config.path("homebound"))

    # Only the switch: nothing counts attempts or checks rules the user loads by hand.
    assert state_of(hass, SWITCH) == STATE_OFF
    for entity_id in (ATTEMPTS, DESTINATIONS, LAST, PROBLEM):
        assert hass.states.get(entity_id) is None
        assert entity_registry.async_get(entity_id) is None

    issue = notice(issue_registry, entry)
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["path"] == str(directory)
    assert issue.translation_placeholders["cameras"] == "0"
    assert sorted(p.name for p in directory.iterdir()) == sorted(FILES)
    assert CAMERA_MAC not in (directory / "homebound.nft").read_text()
    load_in(lab, directory)

    # The user loads them and says so: the notice goes.
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue.issue_id})
    assert result["type"] is FlowResultType.FORM
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["path"] == str(directory)
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert notice(issue_registry, entry) is None

    # A refresh that changes nothing writes nothing and says nothing.
    written = {name: (directory / name).stat().st_mtime_ns for name in FILES}
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert notice(issue_registry, entry) is None
    assert {name: (directory / name).stat().st_mtime_ns for name in FILES} == written

    # Isolating the camera changes the rules: new files, and the notice is back.
    await hass.services.async_call("switch", "turn_on", {"entity_id": SWITCH}, blocking=True)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state_of(hass, SWITCH) == STATE_ON
    issue = notice(issue_registry, entry)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["cameras"] == "1"
    # Export only observes nothing: the camera is matched by the address Home Assistant
    # reaches it at (the "isolated by address" repair says what that leaves open).
    assert CAMERA4 in (directory / "homebound.nft").read_text()
    assert f"-s {CAMERA4}" in (directory / "homebound4.rules").read_text()
    assert CAMERA_MAC not in (directory / "homebound.nft").read_text()
    load_in(lab, directory)

    # Removing the entry takes the files (and the directory, which holds nothing else) away.
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert not directory.exists()


async def test_a_directory_that_cannot_be_written_is_a_repair(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    directory = Path(hass.config.path("homebound"))
    directory.write_text("a file where the directory belongs")
    assert await async_setup_component(hass, DOMAIN, {})
    entry = await export_firewall(hass)
    issue = issue_registry.async_get_issue(DOMAIN, f"rules_not_written_{entry.entry_id}")
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["path"] == str(directory)
    assert issue.translation_placeholders["error"]
    assert notice(issue_registry, entry) is None

    # Once it can be written, the repair goes and the notice comes.
    directory.unlink()
    await hass.services.async_call("switch", "turn_on", {"entity_id": SWITCH}, blocking=True)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert issue_registry.async_get_issue(DOMAIN, f"rules_not_written_{entry.entry_id}") is None
    assert notice(issue_registry, entry) is not None


async def test_entities_left_from_a_backend_go_in_export_mode(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """The firewall entry had a backend before (reconfigured to export only): its counters and
    problem sensor would stay "Unavailable" for good, so they are removed; the switch stays."""
    leftovers = [
        ("sensor", "blocked_attempts"),
        ("sensor", "last_blocked"),
        ("binary_sensor", "cloud_isolation"),
    ]
    for platform, key in leftovers:
        entity_registry.async_get_or_create(
            platform,
            DOMAIN,
            f"{config_entry.unique_id}_{key}",
            config_entry=config_entry,
            translation_key=key,
        )
    assert await async_setup_component(hass, DOMAIN, {})
    await export_firewall(hass)
    for platform, key in leftovers:
        unique_id = f"{config_entry.unique_id}_{key}"
        assert entity_registry.async_get_entity_id(platform, DOMAIN, unique_id) is None
    assert state_of(hass, SWITCH) == STATE_OFF
