"""A repair issue for firmware known to be vulnerable, and its fix: isolate, or add the firewall.

Raised only for a *known* finding — the catalogue's source lists that very firmware for that
model family — never for "possibly vulnerable" or "unknown: OEM firmware", which the Maker
status sensor's attributes and the diagnostics carry instead (an issue that cries wolf is
ignored). Critical when CISA lists the vulnerability as exploited, a warning otherwise; the
"learn more" link is the maker's advisory. It goes when the camera reports a firmware out of
the range, and when the camera entry is removed.

The mitigation offered is cloud isolation: the firewall entry's allow-list stops the camera
reaching the internet, so nobody outside reaches it through its cloud or a port it opened on
the router. The fix flow isolates this camera when a firewall entry is loaded (through the
``homebound.isolate_camera`` action, so the camera half does not reach into the firewall's),
or offers the firewall's set-up (a discovered flow on the integrations page) when there is
none. Once the user isolated the camera from here, the issue is not raised again for that
firmware.
"""

from __future__ import annotations

import re
from typing import Final

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import SOURCE_INTEGRATION_DISCOVERY, ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, discovery_flow, issue_registry as ir

from ..catalog import Finding
from ..compat import RepairsFlowResult, vol
from ..const import CONF_KIND, DOMAIN, KIND_FIREWALL
from ..kind import is_firewall_entry
from .coordinator import CameraConfigEntry, is_camera_entry
from .maker import MakerCheck

ISSUE_PREFIX: Final = "vulnerable_firmware_"
ISOLATE_ACTION: Final = "isolate_camera"
"""The isolation half's service action (registered in ``async_setup``)."""
_MARKDOWN: Final = re.compile(r"([\\`*_{}\[\]()<>#|~!])")


def issue_id(entry_id: str, cve: str) -> str:
    """Return the issue of one camera entry and one CVE."""
    return f"{ISSUE_PREFIX}{entry_id}_{cve}"


def markdown_text(value: str) -> str:
    """Camera-supplied text as plain text in the issue's Markdown (no links, no markup)."""
    return _MARKDOWN.sub(r"\\\1", value)


def _placeholders(entry: CameraConfigEntry, finding: Finding, check: MakerCheck) -> dict[str, str]:
    assert check.result is not None
    report = check.result.firmware
    vulnerability = finding.vulnerability
    return {
        "camera": markdown_text(entry.title),
        "model": markdown_text(report.model),
        "firmware": markdown_text(report.firmware),
        "cve": vulnerability.cve,
        "title": vulnerability.title,
        "allows": vulnerability.allows,
        "fixed": vulnerability.fixed,
        "kev_date": vulnerability.kev.date or "",
    }


@callback
def async_update_issues(hass: HomeAssistant, entry: CameraConfigEntry, check: MakerCheck) -> None:
    """Raise an issue per known vulnerability of the camera's firmware; drop the others."""
    wanted: dict[str, Finding] = {}
    result = check.result
    if result is not None:
        isolated = check.isolated
        wanted = {
            f.vulnerability.cve: f
            for f in result.firmware.known
            if isolated.get(f.vulnerability.cve) != result.firmware.firmware
        }
    for vulnerability in check.catalog.vulnerabilities:
        if vulnerability.cve not in wanted:
            ir.async_delete_issue(hass, DOMAIN, issue_id(entry.entry_id, vulnerability.cve))
    for cve, finding in wanted.items():
        exploited = finding.known_exploited
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id(entry.entry_id, cve),
            is_fixable=True,
            severity=ir.IssueSeverity.CRITICAL if exploited else ir.IssueSeverity.WARNING,
            translation_key="vulnerable_firmware_exploited" if exploited else "vulnerable_firmware",
            translation_placeholders=_placeholders(entry, finding, check),
            learn_more_url=finding.vulnerability.advisory,
            data={"entry_id": entry.entry_id, "cve": cve},
        )


@callback
def async_watch_issues(hass: HomeAssistant, entry: CameraConfigEntry, check: MakerCheck) -> None:
    """Keep the camera's issues in step with its firmware while the entry is loaded."""
    async_update_issues(hass, entry, check)
    entry.async_on_unload(check.async_listen(lambda: async_update_issues(hass, entry, check)))


@callback
def async_remove_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Drop a removed camera's issues."""
    prefix = issue_id(entry_id, "")
    for domain, issue in list(ir.async_get(hass).issues):
        if domain == DOMAIN and issue.startswith(prefix):
            ir.async_delete_issue(hass, DOMAIN, issue)


class VulnerableFirmwareFlow(RepairsFlow):
    """Isolate the camera (a firewall entry is loaded), or offer the firewall's set-up."""

    def __init__(self, entry_id: str, cve: str) -> None:
        """Keep which camera and which vulnerability."""
        self._entry_id = entry_id
        self._cve = cve

    def _camera(self) -> CameraConfigEntry | None:
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        return entry if entry is not None and is_camera_entry(entry) else None

    def _placeholders(self, camera: CameraConfigEntry) -> dict[str, str]:
        return {"camera": markdown_text(camera.title), "cve": self._cve}

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Go the way the firewall allows: isolate now, or add the firewall first."""
        if self._camera() is None:
            return self.async_abort(reason="camera_gone")
        entries = self.hass.config_entries.async_entries(DOMAIN)
        firewalls = [e for e in entries if is_firewall_entry(e)]
        if any(e.state is ConfigEntryState.LOADED for e in firewalls):
            return await self.async_step_isolate()
        if firewalls:
            return self.async_abort(reason="firewall_not_loaded")
        return await self.async_step_add_firewall()

    async def async_step_isolate(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Isolate the camera on the firewall once the user confirms."""
        camera = self._camera()
        if camera is None:
            return self.async_abort(reason="camera_gone")
        errors: dict[str, str] = {}
        placeholders = {**self._placeholders(camera), "error": ""}
        if user_input is not None:
            devices = dr.async_entries_for_config_entry(dr.async_get(self.hass), camera.entry_id)
            try:
                await self.hass.services.async_call(
                    DOMAIN,
                    ISOLATE_ACTION,
                    {ATTR_DEVICE_ID: [device.id for device in devices]},
                    blocking=True,
                )
            except HomeAssistantError as err:
                errors["base"] = "isolate_failed"
                placeholders["error"] = str(err)
            else:
                if camera.state is ConfigEntryState.LOADED:
                    camera.runtime_data.maker.async_isolated(self._cve)
                return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="isolate",
            data_schema=vol.Schema({}),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_add_firewall(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Offer the firewall's set-up on the integrations page once the user confirms."""
        camera = self._camera()
        if camera is None:
            return self.async_abort(reason="camera_gone")
        if user_input is not None:
            discovery_flow.async_create_flow(
                self.hass,
                DOMAIN,
                context={"source": SOURCE_INTEGRATION_DISCOVERY},
                data={CONF_KIND: KIND_FIREWALL},
            )
            return self.async_abort(reason="firewall_offered")
        return self.async_show_form(
            step_id="add_firewall",
            data_schema=vol.Schema({}),
            description_placeholders=self._placeholders(camera),
        )


async def async_create_maker_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """Return the fix flow of a vulnerable-firmware issue."""
    data = data or {}
    return VulnerableFirmwareFlow(str(data.get("entry_id", "")), str(data.get("cve", "")))
