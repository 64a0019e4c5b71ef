"""The fix flow of a camera's "cloud features are on" repair.

It offers what Homebound can change on the camera for what is on now (:meth:`SettingsAudit.fixes
<.settings.SettingsAudit.fixes>`): switch the maker's cloud features off, point the clock at a
local time server, take away the default gateway and outside resolvers. Each runs only when the
user submits its step, is read back, and ends on a page that says, per setting, what the camera
did — "the camera ignored the change" is said as such, never as done. From there the user goes
on with what is still on, or finishes: the repair is closed only when the audit that follows
every change found nothing left (otherwise the flow aborts and the repair stays).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.selector import TextSelector

from ..compat import RepairsFlowResult, vol
from ..const import DOMAIN
from ..device.settings_model import SwitchResult
from .coordinator import CameraConfigEntry, is_camera_entry
from .settings import (
    FIX_REMOVE_GATEWAY,
    FIX_SET_NTP,
    FIX_SWITCH_OFF,
    SettingsAudit,
)
from .settings_ntp import clean_server, default_ntp_server
from .settings_text import async_texts

ATTR_SERVER: Final = "server"
FINISH: Final = "finish"


class CloudFeaturesFlow(RepairsFlow):
    """Change what the camera has on beyond the LAN, one kind of change at a time."""

    def __init__(self, entry: CameraConfigEntry | None) -> None:
        """Keep the camera entry the repair is about."""
        self._entry = entry
        self._results = ""

    def _audit(self) -> SettingsAudit | None:
        entry = self._entry
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return None
        return entry.runtime_data.settings

    def _name(self) -> str:
        return self._entry.title if self._entry is not None else ""

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Offer what can be changed now (straight to it when there is one thing)."""
        if (audit := self._audit()) is None:
            return self.async_abort(reason="entry_gone")
        fixes = audit.fixes()
        if not fixes:
            return self.async_abort(reason="nothing_to_fix")
        if len(fixes) == 1:
            return await self._step(fixes[0])
        return self.async_show_menu(
            step_id="init", menu_options=fixes, description_placeholders={"name": self._name()}
        )

    async def _step(self, fix: str) -> RepairsFlowResult:
        if fix == FIX_SWITCH_OFF:
            return await self.async_step_switch_off()
        if fix == FIX_SET_NTP:
            return await self.async_step_set_ntp()
        return await self.async_step_remove_gateway()

    async def async_step_switch_off(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Say what will be switched off; switch it off when the user submits."""
        if (audit := self._audit()) is None:
            return self.async_abort(reason="entry_gone")
        if user_input is not None:
            return await self._show_results(await audit.async_switch_off())
        texts = await async_texts(self.hass)
        listed = [found for found in audit.findings if found.setting in audit.switchable]
        return self.async_show_form(
            step_id=FIX_SWITCH_OFF,
            data_schema=vol.Schema({}),
            description_placeholders={"name": self._name(), "features": texts.features(listed)},
        )

    async def async_step_set_ntp(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Ask for the time server (the option's, or the firewall's NTP redirect, to start)."""
        if (audit := self._audit()) is None:
            return self.async_abort(reason="entry_gone")
        errors: dict[str, str] = {}
        if user_input is not None:
            if (server := clean_server(user_input.get(ATTR_SERVER))) is None:
                errors[ATTR_SERVER] = "invalid_server"
            else:
                return await self._show_results((await audit.async_set_ntp(server),))
        assert self._entry is not None
        suggested = default_ntp_server(self.hass, self._entry)
        schema = vol.Schema(
            {vol.Required(ATTR_SERVER, description={"suggested_value": suggested}): TextSelector()}
        )
        return self.async_show_form(
            step_id=FIX_SET_NTP,
            data_schema=schema,
            errors=errors,
            description_placeholders={"name": self._name()},
        )

    async def async_step_remove_gateway(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Explain what taking the gateway away means; do it when the user submits."""
        if (audit := self._audit()) is None:
            return self.async_abort(reason="entry_gone")
        if user_input is not None:
            return await self._show_results(await audit.async_remove_gateway_and_dns())
        return self.async_show_form(
            step_id=FIX_REMOVE_GATEWAY,
            data_schema=vol.Schema({}),
            description_placeholders={"name": self._name()},
        )

    async def _show_results(self, results: tuple[SwitchResult, ...]) -> RepairsFlowResult:
        self._results = (await async_texts(self.hass)).outcomes(results)
        return await self.async_step_results()

    async def async_step_results(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Show what the camera did, setting by setting; go on with what is left, or finish."""
        if (audit := self._audit()) is None:
            return self.async_abort(reason="entry_gone")
        return self.async_show_menu(
            step_id="results",
            menu_options=[*audit.fixes(), FINISH],
            description_placeholders={"name": self._name(), "results": self._results},
        )

    async def async_step_finish(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Close the repair if the audit found nothing left; else leave it open."""
        if ir.async_get(self.hass).async_get_issue(DOMAIN, self.issue_id) is None:
            return self.async_create_entry(data={})
        return self.async_abort(reason="still_on", description_placeholders={"name": self._name()})


def _entry(hass: HomeAssistant, data: Mapping[str, Any] | None) -> CameraConfigEntry | None:
    entry = hass.config_entries.async_get_entry(str((data or {}).get("entry_id", "")))
    return entry if entry is not None and is_camera_entry(entry) else None


async def async_create_settings_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """Return the fix flow of a camera's settings repair."""
    return CloudFeaturesFlow(_entry(hass, data))
