"""The firewall steps of Homebound's one config flow: backend, connection, allow-list.

Steps: choose the backend (SSH to an OpenWrt or Linux router, nftables on this Home Assistant
host, or export only) -> for SSH, the router's address and login, then its host key - fetched
without logging in, shown, pinned - and a login with exactly that key (:mod:`.flow_ssh`) -> a
connection test, shown as progress -> the allow-list, with defaults from the adapter that faces
the cameras and checks that refuse, field by field, what would open the internet
(:mod:`.flow_defaults`). Reauthentication (new SSH credentials) and reconfiguration run the
same steps. An export-only entry's success dialog names the directory its rules are written to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME
from homeassistant.helpers.selector import (
    BooleanSelector,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
)

from ..compat import vol
from ..const import (
    BACKEND_LOCAL,
    BACKEND_SSH,
    BACKENDS,
    CONF_BACKEND,
    CONF_CLIENT_KEY,
    CONF_DNS_SERVERS,
    CONF_GATEWAYS,
    CONF_HA_HOSTS,
    CONF_ISOLATE_NEW,
    CONF_KIND,
    CONF_LAN_RANGES,
    CONF_NTP_REDIRECT,
    CONF_NTP_SERVERS,
    FIREWALL_UNIQUE_ID,
    KIND_FIREWALL,
)
from ..kind import is_firewall_entry
from .export_file import rules_directory
from .flow_defaults import allow_list_errors, network_defaults, network_settings
from .flow_ssh import (
    CREDENTIALS_SCHEMA,
    MODE_ADD,
    MODE_REAUTH,
    MODE_RECONFIGURE,
    SECRETS,
    FirewallConnectionSteps,
)

_LIST = TextSelector(TextSelectorConfig(multiple=True))

BACKEND_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_BACKEND, default=BACKEND_SSH): SelectSelector(
            SelectSelectorConfig(
                options=list(BACKENDS), mode=SelectSelectorMode.LIST, translation_key=CONF_BACKEND
            )
        )
    }
)
NETWORK_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_HA_HOSTS): _LIST,
        vol.Optional(CONF_GATEWAYS): _LIST,
        vol.Optional(CONF_LAN_RANGES): _LIST,
        vol.Optional(CONF_NTP_SERVERS): _LIST,
        vol.Optional(CONF_DNS_SERVERS): _LIST,
        vol.Optional(CONF_NTP_REDIRECT): str,
        vol.Required(CONF_ISOLATE_NEW, default=True): BooleanSelector(),
    }
)


class FirewallFlowMixin(FirewallConnectionSteps):
    """The firewall steps of :class:`~..config_flow.HomeboundConfigFlow`."""

    async def async_step_firewall(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose where the rules go; there is one firewall entry."""
        if self._fw_mode == MODE_ADD:
            await self.async_set_unique_id(FIREWALL_UNIQUE_ID, raise_on_progress=False)
            if any(is_firewall_entry(e) for e in self._async_current_entries()):
                return self.async_abort(reason="firewall_already_configured")
        errors, self._fw_errors = self._fw_errors, {}
        if user_input is not None:
            self._fw[CONF_BACKEND] = user_input[CONF_BACKEND]
            if user_input[CONF_BACKEND] == BACKEND_SSH:
                return await self.async_step_firewall_ssh()
            if user_input[CONF_BACKEND] == BACKEND_LOCAL:
                return await self.async_step_firewall_test()
            return await self.async_step_firewall_network()
        current = {CONF_BACKEND: self._fw.get(CONF_BACKEND, BACKEND_SSH)}
        return self.async_show_form(
            step_id="firewall",
            data_schema=self.add_suggested_values_to_schema(BACKEND_SCHEMA, current),
            errors=errors,
        )

    async def async_step_firewall_network(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask what isolated cameras may still reach; refuse, field by field, what is unsafe."""
        errors: dict[str, str] = {}
        placeholders = {"refused": ""}
        if user_input is not None:
            settings = network_settings(user_input)
            errors, placeholders["refused"] = await allow_list_errors(self.hass, settings)
            if not errors:
                return self._async_finish({**self._fw, **settings, CONF_KIND: KIND_FIREWALL})
            errors["base"] = "allow_list_refused"
        if user_input is not None:
            suggested: Mapping[str, Any] = user_input
        elif self._fw_mode == MODE_RECONFIGURE:
            suggested = self._fw
        else:
            suggested = await network_defaults(self.hass, self._fw)
        return self.async_show_form(
            step_id="firewall_network",
            data_schema=self.add_suggested_values_to_schema(NETWORK_SCHEMA, suggested),
            errors=errors,
            description_placeholders=placeholders,
        )

    def _async_finish(self, data: dict[str, Any]) -> ConfigFlowResult:
        if self._fw_mode == MODE_RECONFIGURE:
            return self.async_update_reload_and_abort(self._get_reconfigure_entry(), data=data)
        backend = data[CONF_BACKEND]
        if backend == BACKEND_SSH:
            return self.async_create_entry(title=f"Firewall on {data[CONF_HOST]}", data=data)
        if backend == BACKEND_LOCAL:
            return self.async_create_entry(title="Firewall on this Home Assistant host", data=data)
        # Export only: the success dialog says where the rules are written.
        return self.async_create_entry(
            title="Firewall rules to export",
            data=data,
            description="export_rules",
            description_placeholders={"path": str(rules_directory(self.hass))},
        )

    # -- keeping the entry current ---------------------------------------------------------

    async def async_step_firewall_reconfigure(self) -> ConfigFlowResult:
        """Run the steps again, starting from what the entry holds."""
        self._fw_mode = MODE_RECONFIGURE
        self._fw = dict(self._get_reconfigure_entry().data)
        return await self.async_step_firewall()

    async def async_step_firewall_reauth(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the current login (the router refused the stored one) and test it."""
        self._fw_mode = MODE_REAUTH
        entry = self._get_reauth_entry()
        errors, self._fw_errors = self._fw_errors, {}
        if user_input is not None:
            self._fw = {**entry.data, CONF_PASSWORD: None, CONF_CLIENT_KEY: None, **user_input}
            return await self.async_step_firewall_test()
        return self.async_show_form(
            step_id="firewall_reauth",
            data_schema=self.add_suggested_values_to_schema(
                CREDENTIALS_SCHEMA, {CONF_USERNAME: entry.data.get(CONF_USERNAME, "root")}
            ),
            errors=errors,
            description_placeholders={"host": str(entry.data.get(CONF_HOST, ""))},
        )

    async def async_step_firewall_reauth_done(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Store the login that worked and reload the entry."""
        updates = {key: self._fw.get(key) for key in (CONF_USERNAME, *SECRETS)}
        return self.async_update_reload_and_abort(self._get_reauth_entry(), data_updates=updates)
