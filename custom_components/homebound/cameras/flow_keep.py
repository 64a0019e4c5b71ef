"""Keeping a camera entry current: reauthentication and reconfiguration.

New credentials, or a new address or login: the camera must still be the same one, and its
entities and history stay.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME

from .flow_forms import (
    CREDENTIALS_SCHEMA,
    RECONFIGURE_SCHEMA,
    address_taken,
    markdown_safe,
    valid_host,
    valid_port,
)
from .flow_probe import async_probe
from .identity import entry_identity


class CameraKeepSteps(ConfigFlow):
    """The reauthentication and reconfiguration steps of a camera entry."""

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for new credentials and check them."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            info, error = await async_probe(self.hass, {**entry.data, **user_input})
            if info is not None:
                if not info.identity.matches(*entry_identity(entry)):
                    return self.async_abort(reason="wrong_camera")
                return self.async_update_reload_and_abort(entry, data_updates=user_input)
            errors["base"] = error
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=self.add_suggested_values_to_schema(
                CREDENTIALS_SCHEMA, user_input or {CONF_USERNAME: entry.data[CONF_USERNAME]}
            ),
            errors=errors,
            description_placeholders={
                "name": markdown_safe(entry.title),
                "host": markdown_safe(entry.data[CONF_HOST]),
            },
        )

    async def async_reconfigure_camera(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address or credentials of a camera without losing its entities.

        The form's step is ``reconfigure``: the flow class hands its input back here.
        """
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            host, port = valid_host(user_input[CONF_HOST]), valid_port(user_input[CONF_PORT])
            if host is None:
                errors[CONF_HOST] = "invalid_host"
            if port is None:
                errors[CONF_PORT] = "invalid_port"
            current = self._async_current_entries(include_ignore=False)
            if (
                host is not None
                and port is not None
                and address_taken(current, host, port, but=entry)
            ):
                # Another camera's address: said on the field, where the user can change it.
                errors[CONF_HOST] = "already_configured"
            if not errors:
                updates = {**user_input, CONF_HOST: host, CONF_PORT: port}
                if not updates.get(CONF_PASSWORD):
                    updates[CONF_PASSWORD] = entry.data[CONF_PASSWORD]
                info, error = await async_probe(self.hass, {**entry.data, **updates})
                if info is not None:
                    if not info.identity.matches(*entry_identity(entry)):
                        return self.async_abort(reason="wrong_camera")
                    return self.async_update_reload_and_abort(entry, data_updates=updates)
                errors["base"] = error
        suggested = user_input or {
            CONF_HOST: entry.data[CONF_HOST],
            CONF_PORT: entry.data[CONF_PORT],
            CONF_USERNAME: entry.data[CONF_USERNAME],
        }
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(RECONFIGURE_SCHEMA, suggested),
            errors=errors,
            description_placeholders={"name": markdown_safe(entry.title)},
        )
