"""The firewall flow's connection steps: the router's login, its host key, the connection test.

Host key first, password after. For SSH the flow fetches the key the machine at the router's
address offers (key exchange only: nothing is sent, not even a user name), shows its
fingerprint, pins it once the user goes on, and only then logs in - accepting exactly that key,
so a password never reaches a machine the user has not seen. Reconfiguring to the same router
keeps the pin when the router still offers it; a different key is shown next to the pinned one
and replaces it only when the user confirms. Reauthentication logs in with the pin the entry
holds. The local backend goes straight to the test.

Secrets: an empty password or key field keeps the *entry's* stored one when reconfiguring
(the form never shows secrets); within one flow, a secret typed and then erased is gone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig, TextSelectorType

from ..compat import vol
from ..const import BACKEND_SSH, CONF_BACKEND, CONF_CLIENT_KEY, CONF_HOST_KEY, CONF_PERSIST, LOGGER
from ..firewall import FirewallError, LocalBackend, PersistKind
from .backend import async_make_backend, host_key_fingerprint
from .coordinator import error_key
from .host_key import async_fetch_host_key

_PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_KEY = TextSelector(TextSelectorConfig(multiline=True, type=TextSelectorType.PASSWORD))
_PORT = vol.All(vol.Coerce(int), vol.Range(min=1, max=65535))

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

MODE_ADD, MODE_REAUTH, MODE_RECONFIGURE = "add", "reauth", "reconfigure"
SECRETS = (CONF_PASSWORD, CONF_CLIENT_KEY)


def same_key(one: str | None, other: str | None) -> bool:
    """Whether two host keys (OpenSSH one-line form) are the same key, comments aside."""
    if not one or not other:
        return False
    try:
        return host_key_fingerprint(one) == host_key_fingerprint(other)
    except FirewallError:  # an unreadable stored key matches nothing
        return False


class FirewallConnectionSteps(ConfigFlow):
    """The steps that reach the firewall; :class:`.flow.FirewallFlowMixin` builds on them."""

    def __init__(self) -> None:
        """Nothing chosen yet."""
        super().__init__()
        self._fw: dict[str, Any] = {}
        self._fw_mode = MODE_ADD
        self._fw_errors: dict[str, str] = {}
        self._fw_task: asyncio.Task[str | None] | None = None
        self._fw_offered: str | None = None

    async def async_step_firewall_ssh(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the router's address and the login Homebound uses on it."""
        errors, self._fw_errors = self._fw_errors, {}
        if user_input is not None:
            updates = dict(user_input)
            updates[CONF_PORT] = int(updates[CONF_PORT])
            stored = self._get_reconfigure_entry().data if self._fw_mode == MODE_RECONFIGURE else {}
            for secret in SECRETS:
                updates[secret] = updates.get(secret) or stored.get(secret) or None
            self._fw.update(updates)
            self._fw.pop(CONF_HOST_KEY, None)  # pinned again, for this address
            return await self.async_step_firewall_fetch()
        suggested = {k: v for k, v in self._fw.items() if k not in SECRETS}
        return self.async_show_form(
            step_id="firewall_ssh",
            data_schema=self.add_suggested_values_to_schema(SSH_SCHEMA, suggested),
            errors=errors,
        )

    async def async_step_firewall_fetch(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Fetch the router's host key (nothing is sent), showing progress meanwhile."""
        shown = self._work("firewall_fetch", self._async_fetch_key, back_to="firewall_ssh")
        if shown is not None:
            return shown
        pinned = self._pinned_here()
        if pinned is None:
            return self.async_show_progress_done(next_step_id="firewall_host_key")
        if same_key(pinned, self._fw_offered):
            self._fw[CONF_HOST_KEY] = pinned  # the same router, the same key: kept
            return self.async_show_progress_done(next_step_id="firewall_test")
        return self.async_show_progress_done(next_step_id="firewall_new_host_key")

    def _work(
        self,
        step_id: str,
        work: Callable[[], Coroutine[Any, Any, str | None]],
        *,
        back_to: str,
    ) -> ConfigFlowResult | None:
        """Show progress while ``work`` runs; once it failed, go back to ``back_to`` with its error.

        ``work`` returns the translation key of what failed, or None; None here means it
        succeeded and the step goes on. Progress is shown first even when the work is over at
        once: a step that goes straight to "progress done" would be handed the previous step's
        input.
        """
        first = self._fw_task is None
        if self._fw_task is None:
            self._fw_task = self.hass.async_create_task(work(), f"homebound {step_id}")
        if first or not self._fw_task.done():
            return self.async_show_progress(
                step_id=step_id, progress_action=step_id, progress_task=self._fw_task
            )
        task, self._fw_task = self._fw_task, None
        if (error := task.result()) is None:
            return None
        self._fw_errors = {"base": error}
        return self.async_show_progress_done(next_step_id=back_to)

    async def _async_fetch_key(self) -> str | None:
        """Read the key the router offers: the translation key of what failed, or None."""
        try:
            self._fw_offered = await async_fetch_host_key(self.hass, self._fw)
        except FirewallError as err:
            LOGGER.debug("Could not read the router's host key: %s", err)
            return error_key(err)
        except Exception:
            LOGGER.exception("Unexpected error while reading the router's host key")
            return "unknown"
        return None

    def _pinned_here(self) -> str | None:
        """Return the key the entry pinned for this very router (reconfigure), else None."""
        if self._fw_mode != MODE_RECONFIGURE:
            return None
        stored = self._get_reconfigure_entry().data
        here = (str(self._fw[CONF_HOST]), int(self._fw[CONF_PORT]))
        if stored.get(CONF_BACKEND) != BACKEND_SSH or not stored.get(CONF_HOST_KEY):
            return None
        if (str(stored.get(CONF_HOST)), int(stored.get(CONF_PORT) or 0)) != here:
            return None
        return str(stored[CONF_HOST_KEY])

    async def async_step_firewall_host_key(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the router's host key; it is pinned, and the login tried, when the user goes on."""
        assert self._fw_offered is not None
        if user_input is not None:
            self._fw[CONF_HOST_KEY] = self._fw_offered
            return await self.async_step_firewall_test()
        return self.async_show_form(
            step_id="firewall_host_key",
            description_placeholders={
                "host": str(self._fw[CONF_HOST]),
                "fingerprint": host_key_fingerprint(self._fw_offered),
            },
        )

    async def async_step_firewall_new_host_key(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the router's new key beside the pinned one; replace the pin only if confirmed."""
        assert self._fw_offered is not None
        if user_input is not None:
            self._fw[CONF_HOST_KEY] = self._fw_offered
            return await self.async_step_firewall_test()
        pinned = str(self._get_reconfigure_entry().data[CONF_HOST_KEY])
        return self.async_show_form(
            step_id="firewall_new_host_key",
            description_placeholders={
                "host": str(self._fw[CONF_HOST]),
                "pinned": _fingerprint_or_unreadable(pinned),
                "offered": host_key_fingerprint(self._fw_offered),
            },
        )

    async def async_step_firewall_test(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Test the connection, showing progress while the router answers."""
        back_to = (
            "firewall_reauth"
            if self._fw_mode == MODE_REAUTH
            else "firewall_ssh"
            if self._fw[CONF_BACKEND] == BACKEND_SSH
            else "firewall"
        )
        shown = self._work("firewall_test", self._async_test_connection, back_to=back_to)
        if shown is not None:
            return shown
        if self._fw_mode == MODE_REAUTH:
            return self.async_show_progress_done(next_step_id="firewall_reauth_done")
        return self.async_show_progress_done(next_step_id="firewall_network")

    async def _async_test_connection(self) -> str | None:
        """Log in and list the table: the translation key of what failed, None when all works.

        An SSH login accepts only the pinned key (the entry's, or the one just confirmed).
        """
        backend = await async_make_backend(self.hass, self._fw)
        assert backend is not None
        try:
            if isinstance(backend, LocalBackend):
                await backend.check()
            else:
                await backend.connect()
                persist = backend.persist
                if persist is not None and persist.kind is not PersistKind.FILE:
                    self._fw[CONF_PERSIST] = persist.kind.value
            await backend.read_state()  # nft is there and may read the ruleset
        except FirewallError as err:
            LOGGER.debug("Firewall connection test failed: %s", err)
            return error_key(err)
        except Exception:
            LOGGER.exception("Unexpected error while testing the firewall")
            return "unknown"
        finally:
            await backend.close()
        return None


def _fingerprint_or_unreadable(key: str) -> str:
    try:
        return host_key_fingerprint(key)
    except FirewallError:
        return "(unreadable)"
