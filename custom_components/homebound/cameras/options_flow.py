"""Options of a camera entry: its streams, its events, and the time server its clock keeps to."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlowWithReload
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)

from ..compat import vol
from ..const import (
    CONF_AUTO_OFF,
    CONF_EVENT_SOURCE,
    CONF_NTP_SERVER,
    CONF_RTSP_TRANSPORT,
    DEFAULT_AUTO_OFF,
    DEFAULT_RTSP_TRANSPORT,
    EVENT_SOURCE_AUTO,
    EVENT_SOURCES,
    RTSP_TRANSPORTS,
)
from .settings_ntp import async_apply_ntp_option, default_ntp_server


class HomeboundOptionsFlow(OptionsFlowWithReload):
    """Stream transport, detection auto-off, event source, time server; saving reloads."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose the options (a new time server is set on the camera, read back, first)."""
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input[CONF_AUTO_OFF] = int(user_input[CONF_AUTO_OFF])
            error = await async_apply_ntp_option(self.hass, self.config_entry, user_input)
            if error is None:
                return self.async_create_entry(data=user_input)
            errors[CONF_NTP_SERVER] = error
        options = self.config_entry.options
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_RTSP_TRANSPORT,
                    default=options.get(CONF_RTSP_TRANSPORT, DEFAULT_RTSP_TRANSPORT),
                ): SelectSelector(
                    SelectSelectorConfig(
                        options=list(RTSP_TRANSPORTS),
                        mode=SelectSelectorMode.DROPDOWN,
                        translation_key=CONF_RTSP_TRANSPORT,
                    )
                ),
                vol.Required(
                    CONF_AUTO_OFF, default=options.get(CONF_AUTO_OFF, DEFAULT_AUTO_OFF)
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=5,
                        max=3600,
                        step=1,
                        mode=NumberSelectorMode.BOX,
                        unit_of_measurement="s",
                    )
                ),
                vol.Required(
                    CONF_EVENT_SOURCE, default=options.get(CONF_EVENT_SOURCE, EVENT_SOURCE_AUTO)
                ): SelectSelector(
                    SelectSelectorConfig(
                        options=list(EVENT_SOURCES),
                        mode=SelectSelectorMode.DROPDOWN,
                        translation_key=CONF_EVENT_SOURCE,
                    )
                ),
                vol.Optional(
                    CONF_NTP_SERVER,
                    description={
                        "suggested_value": default_ntp_server(self.hass, self.config_entry)
                    },
                ): TextSelector(),
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema, errors=errors)
