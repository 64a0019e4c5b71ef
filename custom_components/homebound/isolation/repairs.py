"""Fix flows of the firewall's repair issues: accept a new host key, apply the rules again.

Accepting a new host key follows the same order as the config flow: fetch the key the router
offers now (nothing sent), check it is the one whose fingerprint the user was shown, then log
in accepting exactly that key; only a login that got that far (the key matched) pins it, and
the entry reloads with it. A key that changed again in between stops there, before anything
is sent. The exported-rules notice's flow is the user saying the rules are loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir

from ..compat import RepairsFlowResult, vol
from ..const import CONF_HOST_KEY, DOMAIN
from ..firewall import AuthRefusedError, FirewallError, HostKeyChangedError, LocalBackend
from .backend import async_make_backend, host_key_fingerprint
from .coordinator import FirewallConfigEntry, error_key, is_isolation_entry
from .export_file import RULES_EXPORTED
from .host_key import async_fetch_host_key


def _entry(hass: HomeAssistant, data: Mapping[str, Any] | None) -> FirewallConfigEntry | None:
    entry_id = str((data or {}).get("entry_id", ""))
    entry = hass.config_entries.async_get_entry(entry_id)
    return entry if entry is not None and is_isolation_entry(entry) else None


def same_fingerprint(key: str, fingerprint: str) -> bool:
    """Whether ``key`` is the key whose fingerprint the user was shown."""
    try:
        return host_key_fingerprint(key) == fingerprint
    except FirewallError:
        return False


def _accept_error(err: FirewallError) -> str:
    key = error_key(err)
    return key if key == "ssh_unreachable" else "firewall_error"


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
            error = await self._async_pin_and_log_in(entry)
            if error is None:
                return self.async_create_entry(data={})
            errors["base"] = error
        return self.async_show_form(
            step_id="accept",
            data_schema=vol.Schema({}),
            errors=errors,
            description_placeholders={"offered": self._offered},
        )

    async def _async_pin_and_log_in(self, entry: FirewallConfigEntry) -> str | None:
        """Fetch, compare, pin, log in; the error key when the key is not pinned, else None."""
        try:
            key = await async_fetch_host_key(self.hass, entry.data)
        except FirewallError as err:
            return _accept_error(err)
        if not same_fingerprint(key, self._offered):
            return "host_key_differs"
        data = {**entry.data, CONF_HOST_KEY: key}
        backend = await async_make_backend(self.hass, data)
        assert backend is not None
        assert not isinstance(backend, LocalBackend)
        try:
            await backend.connect()
        except HostKeyChangedError:
            return "host_key_differs"  # yet another key between the fetch and the login
        except AuthRefusedError:
            pass  # the key was right: pinned; the reload asks for a new login (reauth)
        except FirewallError as err:
            return _accept_error(err)
        finally:
            await backend.close()
        self.hass.config_entries.async_update_entry(entry, data=data)
        self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return None

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


class RulesLoadedFlow(RepairsFlow):
    """The exported rules changed: the user loads them on the router and says so here."""

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Show the confirmation (the init step is handed the issue's data, not an answer)."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Confirm the rules are loaded; the notice comes back when they change again."""
        if user_input is not None:
            return self.async_create_entry(data={})
        issue = ir.async_get(self.hass).async_get_issue(DOMAIN, self.issue_id)
        return self.async_show_form(
            step_id="confirm",
            data_schema=vol.Schema({}),
            description_placeholders=dict(issue.translation_placeholders or {}) if issue else None,
        )


async def async_create_isolation_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """Return the fix flow of one of Homebound's fixable issues."""
    entry = _entry(hass, data)
    if issue_id.startswith("host_key_changed_"):
        return HostKeyFlow(entry, str((data or {}).get("offered", "")))
    if issue_id.startswith(f"{RULES_EXPORTED}_"):
        return RulesLoadedFlow()
    return ApplyAgainFlow(entry)
