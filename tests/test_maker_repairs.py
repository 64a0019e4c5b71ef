"""Firmware known to be vulnerable: the repair issue, its fix flow, and when it goes away."""

from __future__ import annotations

from collections.abc import AsyncIterator
import re
from typing import Any

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import SOURCE_INTEGRATION_DISCOVERY, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from hypothesis import given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.cameras.maker_repairs import issue_id, markdown_text
from custom_components.homebound.const import (
    CONF_BACKEND,
    CONF_DNS_SERVERS,
    CONF_GATEWAYS,
    CONF_HA_HOSTS,
    CONF_ISOLATE_NEW,
    CONF_KIND,
    CONF_LAN_RANGES,
    CONF_NTP_SERVERS,
    DOMAIN,
    FIREWALL_UNIQUE_ID,
    KIND_FIREWALL,
)
from simulator import VirtualCamera

from .maker_support import StartCamera, camera_starter, persona_entry, set_up

KEV_CVE = "CVE-2017-7921"
VULNERABLE = "V5.4.0 build 160530"
FUZZ = settings(max_examples=300, deadline=None, derandomize=True)
UPDATED = "V5.7.3 build 220112"


@pytest.fixture
async def start_camera() -> AsyncIterator[StartCamera]:
    async with camera_starter() as start:
        yield start


def _issue(hass: HomeAssistant, entry: MockConfigEntry, cve: str) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, issue_id(entry.entry_id, cve))


def _findings(hass: HomeAssistant) -> list[dict[str, Any]]:
    state = hass.states.get("sensor.front_door_maker_status")
    assert state is not None
    findings: list[dict[str, Any]] = state.attributes["firmware_findings"]
    return findings


async def _vulnerable(
    hass: HomeAssistant, start_camera: StartCamera
) -> tuple[VirtualCamera, MockConfigEntry]:
    camera = await start_camera("hikvision-exploited")
    entry = persona_entry(hass, camera)
    await set_up(hass, entry)
    return camera, entry


def _firewall(hass: HomeAssistant) -> MockConfigEntry:
    """An export-only firewall entry (no router: the policy is kept, nothing is sent)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Firewall rules to export",
        unique_id=FIREWALL_UNIQUE_ID,
        data={
            CONF_KIND: KIND_FIREWALL,
            CONF_BACKEND: "export",
            CONF_HA_HOSTS: ["198.18.0.2"],
            CONF_GATEWAYS: ["198.18.0.1"],
            CONF_LAN_RANGES: ["198.18.0.0/24"],
            CONF_NTP_SERVERS: [],
            CONF_DNS_SERVERS: [],
            CONF_ISOLATE_NEW: False,
        },
    )
    entry.add_to_hass(hass)
    return entry


async def test_known_exploited_firmware_raises_a_critical_issue(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """Known (and KEV-listed) CVE-2017-7921 raises one; possible CVE-2021-36260 does not."""
    _camera, entry = await _vulnerable(hass, start_camera)
    issue = _issue(hass, entry, KEV_CVE)
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.CRITICAL
    assert issue.translation_key == "vulnerable_firmware_exploited"
    assert issue.is_fixable
    assert str(issue.learn_more_url).startswith("https://www.hikvision.com/")
    placeholders = issue.translation_placeholders or {}
    assert placeholders["cve"] == KEV_CVE
    assert placeholders["kev_date"] == "2026-03-05"
    assert placeholders["firmware"] == "V5.4.0 build 160530"
    assert placeholders["model"] == "DS-2CD2132F-IS"
    assert "without a password" in placeholders["allows"]
    assert "5.4.41" in placeholders["fixed"]
    assert _issue(hass, entry, "CVE-2021-36260") is None  # only possibly: the sensor says so
    findings = {f["cve"]: f["verdict"] for f in _findings(hass)}
    assert findings == {KEV_CVE: "known_vulnerable", "CVE-2021-36260": "possibly_vulnerable"}


async def test_camera_text_stays_plain_text_in_the_issue(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """A name with Markdown in it (a camera may announce one) makes no link in the issue."""
    camera = await start_camera("hikvision-exploited")
    entry = persona_entry(hass, camera, title="[Front](https://example.com/x) *door*")
    await set_up(hass, entry)
    issue = _issue(hass, entry, KEV_CVE)
    assert issue is not None
    placeholders = issue.translation_placeholders or {}
    assert placeholders["camera"] == r"\[Front\]\(https://example.com/x\) \*door\*"


async def test_a_firmware_string_with_markdown_stays_plain(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """The firmware string is the camera's own: it reaches the issue escaped, as text."""
    camera = await start_camera("hikvision-exploited", firmware=f"{VULNERABLE} [x](https://a.b)")
    entry = persona_entry(hass, camera)
    await set_up(hass, entry)
    issue = _issue(hass, entry, KEV_CVE)
    assert issue is not None
    placeholders = issue.translation_placeholders or {}
    assert placeholders["firmware"] == rf"{VULNERABLE} \[x\]\(https://a.b\)"


@FUZZ
@given(st.text(max_size=80))
def test_camera_text_escapes_every_markdown_mark(text: str) -> None:
    """Whatever the text, no Markdown mark survives unescaped, and nothing else changes."""
    shown = markdown_text(text)
    assert re.sub(r"\\(.)", r"\1", shown, flags=re.DOTALL) == text
    unescaped = re.sub(r"\\.", "", shown, flags=re.DOTALL)
    assert not set(unescaped) & set("\\`*_{}[]()<>#|~!")


async def test_known_but_not_exploited_is_a_warning(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    camera = await start_camera("xiongmai")
    entry = persona_entry(hass, camera)
    await set_up(hass, entry)
    issue = _issue(hass, entry, "CVE-2025-65856")
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.translation_key == "vulnerable_firmware"


async def test_the_issue_goes_when_the_firmware_is_updated(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """The camera comes back from an outage on a new firmware: checked again, issue gone."""
    camera, entry = await _vulnerable(hass, start_camera)
    assert _issue(hass, entry, KEV_CVE) is not None
    coordinator = entry.runtime_data.coordinator
    await camera.set_online(False)
    await coordinator.async_refresh()
    assert not coordinator.last_update_success
    camera.config.firmware = UPDATED
    await camera.set_online(True)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert coordinator.last_update_success
    assert _issue(hass, entry, KEV_CVE) is None
    assert _findings(hass) == []


async def test_removing_the_camera_removes_its_issues(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    _camera, entry = await _vulnerable(hass, start_camera)
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert _issue(hass, entry, KEV_CVE) is None


async def _fix_flow(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """Open the vulnerable-firmware issue's fix flow, as the repairs dashboard does."""
    assert await async_setup_component(hass, "repairs", {})
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id(entry.entry_id, KEV_CVE)})
    return dict(result)


async def _fix_step(hass: HomeAssistant, flow_id: str) -> dict[str, Any]:
    manager = repairs_flow_manager(hass)
    assert manager is not None
    return dict(await manager.async_configure(flow_id, {}))


async def test_without_a_firewall_the_fix_offers_to_add_one(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """The fix starts the firewall's flow (a discovered card); the issue stays meanwhile."""
    _camera, entry = await _vulnerable(hass, start_camera)
    result = await _fix_flow(hass, entry)
    assert result["step_id"] == "add_firewall"
    result = await _fix_step(hass, result["flow_id"])
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "firewall_offered"
    await hass.async_block_till_done()
    (offered,) = [
        f
        for f in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if f["context"]["source"] == SOURCE_INTEGRATION_DISCOVERY
    ]
    assert offered["step_id"] == "firewall_offer"
    result = dict(await hass.config_entries.flow.async_configure(offered["flow_id"], {}))
    assert result["step_id"] == "firewall"  # the firewall's own steps from here
    assert _issue(hass, entry, KEV_CVE) is not None


async def test_with_a_firewall_the_fix_isolates_the_camera(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """Isolated through the firewall's own action; the issue goes and stays gone."""
    camera, entry = await _vulnerable(hass, start_camera)
    firewall = _firewall(hass)
    await set_up(hass, firewall)
    assert firewall.state is ConfigEntryState.LOADED
    result = await _fix_flow(hass, entry)
    assert result["step_id"] == "isolate"
    result = await _fix_step(hass, result["flow_id"])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert firewall.runtime_data.is_isolated(camera.config.mac)
    assert _issue(hass, entry, KEV_CVE) is None
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert _issue(hass, entry, KEV_CVE) is None  # not raised again for this firmware


async def test_with_a_firewall_not_loaded_the_fix_says_so(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    _camera, entry = await _vulnerable(hass, start_camera)
    _firewall(hass)  # added, never set up
    result = await _fix_flow(hass, entry)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "firewall_not_loaded"


async def test_the_fix_says_why_the_firewall_did_not_isolate(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """The firewall went away between showing the form and the user's confirmation."""
    _camera, entry = await _vulnerable(hass, start_camera)
    firewall = _firewall(hass)
    await set_up(hass, firewall)
    result = await _fix_flow(hass, entry)
    assert result["step_id"] == "isolate"
    assert await hass.config_entries.async_unload(firewall.entry_id)
    result = await _fix_step(hass, result["flow_id"])
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "isolate_failed"}
    assert result["description_placeholders"]["error"]
    assert _issue(hass, entry, KEV_CVE) is not None


async def test_the_fix_of_a_removed_camera_ends(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    _camera, entry = await _vulnerable(hass, start_camera)
    assert await async_setup_component(hass, "repairs", {})
    manager = repairs_flow_manager(hass)
    assert manager is not None
    flow = await manager.async_init(DOMAIN, data={"issue_id": issue_id(entry.entry_id, KEV_CVE)})
    assert await hass.config_entries.async_remove(entry.entry_id)
    result = await manager.async_configure(flow["flow_id"], {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "camera_gone"


async def test_the_offered_firewall_flow_ends_when_a_firewall_exists(
    hass: HomeAssistant,
) -> None:
    _firewall(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_INTEGRATION_DISCOVERY},
        data={CONF_KIND: KIND_FIREWALL},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "firewall_already_configured"
