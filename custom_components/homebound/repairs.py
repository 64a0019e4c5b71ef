"""Fix flows of the firewall's repair issues: accept a new host key, apply the rules again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from .compat import RepairsFlowResult, vol
from .const import CONF_HOST_KEY
from .firewall import FirewallError, LocalBackend
from .firewall_backend import async_make_backend, host_key_fingerprint, is_firewall_entry
from .firewall_coordinator import FirewallConfigEntry, error_key


def _entry(hass: HomeAssistant, data: Mapping[str, Any] | None) -> FirewallConfigEntry | None:
    entry_id = str((data or {}).get("entry_id", ""))
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or not is_firewall_entry(entry):
        return None
    return cast("FirewallConfigEntry", entry)


class HostKeyFlow(RepairsFlow):
    """The router's SSH host key changed: accept the new one, or reconfigure the entry."""

    def __init__(self, entry: FirewallConfigEntry | None, offered: str) -> None:
        """Keep which entry and which key (by fingerprint) the user is shown."""
        self._entry = entry
        self._offered = offered

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Offer the two ways out."""
        if self._entry is None:
            return self.async_abort(reason="entry_gone")
        return self.async_show_menu(step_id="init", menu_options=["accept", "reconfigure"])

    async def async_step_accept(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Pin the new key once the user confirms it is the router's (and it still is)."""
        assert self._entry is not None
        entry = self._entry
        errors: dict[str, str] = {}
        if user_input is not None:
            backend = await async_make_backend(self.hass, entry.data, pin=False)
            assert backend is not None
            assert not isinstance(backend, LocalBackend)
            try:
                key = await backend.connect()
            except FirewallError as err:
                key = error_key(err)
                errors["base"] = key if key in ("ssh_unreachable", "ssh_auth") else "firewall_error"
            else:
                if host_key_fingerprint(key) != self._offered:
                    errors["base"] = "host_key_differs"
                else:
                    self.hass.config_entries.async_update_entry(
                        entry, data={**entry.data, CONF_HOST_KEY: key}
                    )
                    self.hass.config_entries.async_schedule_reload(entry.entry_id)
                    return self.async_create_entry(data={})
            finally:
                await backend.close()
        return self.async_show_form(
            step_id="accept",
            data_schema=vol.Schema({}),
            errors=errors,
            description_placeholders={"offered": self._offered},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Point at the entry's Reconfigure, which connects afresh and shows the key."""
        return self.async_abort(reason="use_reconfigure")


class ApplyAgainFlow(RepairsFlow):
    """The firewall refused the rules: fix the cause, then apply them again from here."""

    def __init__(self, entry: FirewallConfigEntry | None) -> None:
        """Keep the entry."""
        self._entry = entry

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Apply again when the user confirms; say why when it fails again."""
        entry = self._entry
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="entry_gone")
        errors: dict[str, str] = {}
        placeholders = {"error": ""}
        if user_input is not None:
            try:
                await entry.runtime_data.async_apply_now()
            except HomeAssistantError as err:
                errors["base"] = "still_failing"
                placeholders["error"] = str(err)
            else:
                return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="init",
            data_schema=vol.Schema({}),
            errors=errors,
            description_placeholders=placeholders,
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """Return the fix flow of one of Homebound's fixable issues."""
    entry = _entry(hass, data)
    if issue_id.startswith("host_key_changed_"):
        return HostKeyFlow(entry, str((data or {}).get("offered", "")))
    return ApplyAgainFlow(entry)
