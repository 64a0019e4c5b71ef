"""The firewall part of Homebound's one config flow: backend, connection test, allow-list.

Steps: choose the backend (SSH to an OpenWrt or Linux router, nftables on this Home Assistant
host, or export only) -> for SSH, the router's address and login -> a connection test, shown
as progress (the router may take seconds to answer): logged in, ``nft`` present and permitted
-> for SSH, the router's host key, pinned once the user has seen it -> the allow-list, with
defaults from Home Assistant's network settings. Reauthentication (new SSH credentials) and
reconfiguration run the same steps.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.helpers.selector import (
    BooleanSelector,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .compat import vol
from .const import (
    BACKEND_LOCAL,
    BACKEND_SSH,
    BACKENDS,
    CONF_BACKEND,
    CONF_CLIENT_KEY,
    CONF_DNS_SERVERS,
    CONF_GATEWAYS,
    CONF_HA_HOSTS,
    CONF_HOST_KEY,
    CONF_ISOLATE_NEW,
    CONF_KIND,
    CONF_LAN_RANGES,
    CONF_NTP_REDIRECT,
    CONF_NTP_SERVERS,
    CONF_PERSIST,
    FIREWALL_UNIQUE_ID,
    KIND_FIREWALL,
    LOGGER,
)
from .firewall import (
    FirewallError,
    LocalBackend,
    PersistKind,
    PolicyError,
    build_policy,
)
from .firewall_backend import (
    async_make_backend,
    host_key_fingerprint,
    is_firewall_entry,
    policy_settings,
)
from .firewall_coordinator import error_key
from .firewall_flow_defaults import network_defaults, network_settings

_LIST = TextSelector(TextSelectorConfig(multiple=True))
_PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_KEY = TextSelector(TextSelectorConfig(multiline=True, type=TextSelectorType.PASSWORD))
_PORT = vol.All(vol.Coerce(int), vol.Range(min=1, max=65535))

BACKEND_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_BACKEND, default=BACKEND_SSH): SelectSelector(
            SelectSelectorConfig(
                options=list(BACKENDS), mode=SelectSelectorMode.LIST, translation_key=CONF_BACKEND
            )
        )
    }
)
SSH_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): str,
        vol.Required(CONF_PORT, default=22): _PORT,
        vol.Required(CONF_USERNAME, default="root"): str,
        vol.Optional(CONF_PASSWORD): _PASSWORD,
        vol.Optional(CONF_CLIENT_KEY): _KEY,
    }
)
CREDENTIALS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_USERNAME): str,
        vol.Optional(CONF_PASSWORD): _PASSWORD,
        vol.Optional(CONF_CLIENT_KEY): _KEY,
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


MODE_ADD, MODE_REAUTH, MODE_RECONFIGURE = "add", "reauth", "reconfigure"
_SECRETS = (CONF_PASSWORD, CONF_CLIENT_KEY)


class FirewallFlowMixin(ConfigFlow):
    """The firewall steps of :class:`~.config_flow.HomeboundConfigFlow`."""

    def __init__(self) -> None:
        """Nothing chosen yet."""
        self._fw: dict[str, Any] = {}
        self._fw_mode = MODE_ADD
        self._fw_errors: dict[str, str] = {}
        self._fw_task: asyncio.Task[str | None] | None = None
        self._fw_offered: str | None = None

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

    async def async_step_firewall_ssh(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the router's address and the login Homebound uses on it."""
        errors, self._fw_errors = self._fw_errors, {}
        if user_input is not None:
            updates = dict(user_input)
            updates[CONF_PORT] = int(updates[CONF_PORT])
            for secret in _SECRETS:  # empty: keep what the entry has (reconfigure)
                updates[secret] = updates.get(secret) or self._fw.get(secret) or None
            self._fw.update(updates)
            return await self.async_step_firewall_test()
        suggested = {k: v for k, v in self._fw.items() if k not in _SECRETS}
        return self.async_show_form(
            step_id="firewall_ssh",
            data_schema=self.add_suggested_values_to_schema(SSH_SCHEMA, suggested),
            errors=errors,
        )

    async def async_step_firewall_test(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Test the connection, showing progress while the router answers."""
        # Progress is shown first even when the test is over at once (a local check can be):
        # a step that goes straight to "progress done" would be handed this step's input.
        first = self._fw_task is None
        if self._fw_task is None:
            self._fw_task = self.hass.async_create_task(
                self._async_test_connection(), "homebound firewall connection test"
            )
        if first or not self._fw_task.done():
            return self.async_show_progress(
                step_id="firewall_test",
                progress_action="firewall_test",
                progress_task=self._fw_task,
            )
        error, self._fw_task = self._fw_task.result(), None
        if error is not None:
            self._fw_errors = {"base": error}
            if self._fw_mode == MODE_REAUTH:
                return self.async_show_progress_done(next_step_id="firewall_reauth")
            if self._fw[CONF_BACKEND] == BACKEND_SSH:
                return self.async_show_progress_done(next_step_id="firewall_ssh")
            return self.async_show_progress_done(next_step_id="firewall")
        if self._fw_mode == MODE_REAUTH:
            return self.async_show_progress_done(next_step_id="firewall_reauth_done")
        if self._fw[CONF_BACKEND] == BACKEND_SSH:
            return self.async_show_progress_done(next_step_id="firewall_host_key")
        return self.async_show_progress_done(next_step_id="firewall_network")

    async def _async_test_connection(self) -> str | None:
        """Log in and list the table: the translation key of what failed, None when all works.

        Reauthentication checks the pinned host key; adding and reconfiguring accept any key,
        which the next step shows before it is pinned.
        """
        backend = await async_make_backend(self.hass, self._fw, pin=self._fw_mode == MODE_REAUTH)
        assert backend is not None
        try:
            if isinstance(backend, LocalBackend):
                await backend.check()
            else:
                self._fw_offered = await backend.connect()
                persist = backend.persist
                if persist is not None and persist.kind is not PersistKind.FILE:
                    self._fw[CONF_PERSIST] = persist.kind.value
            await backend.read_state()  # nft is there and may read the ruleset
        except FirewallError as err:
            LOGGER.debug("Firewall connection test failed: %s", err)
            return error_key(err)
        except Exception:  # noqa: BLE001 - a config flow shows an error, not a traceback
            LOGGER.exception("Unexpected error while testing the firewall")
            return "unknown"
        finally:
            await backend.close()
        return None

    async def async_step_firewall_host_key(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the router's host key; it is pinned when the user goes on."""
        assert self._fw_offered is not None
        if user_input is not None:
            self._fw[CONF_HOST_KEY] = self._fw_offered
            return await self.async_step_firewall_network()
        return self.async_show_form(
            step_id="firewall_host_key",
            description_placeholders={
                "host": str(self._fw[CONF_HOST]),
                "fingerprint": host_key_fingerprint(self._fw_offered),
            },
        )

    async def async_step_firewall_network(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask what isolated cameras may still reach; check it as a policy before saving."""
        errors: dict[str, str] = {}
        placeholders = {"error": ""}
        if user_input is not None:
            settings = network_settings(user_input)
            try:
                build_policy(cameras=(), **policy_settings(settings))
            except PolicyError as err:
                errors["base"] = "invalid_policy"
                placeholders["error"] = str(err)
            else:
                return self._async_finish({**self._fw, **settings, CONF_KIND: KIND_FIREWALL})
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
            title = f"Firewall on {data[CONF_HOST]}"
        elif backend == BACKEND_LOCAL:
            title = "Firewall on this Home Assistant host"
        else:
            title = "Firewall rules to export"
        return self.async_create_entry(title=title, data=data)

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
        updates = {key: self._fw.get(key) for key in (CONF_USERNAME, *_SECRETS)}
        return self.async_update_reload_and_abort(self._get_reauth_entry(), data_updates=updates)
