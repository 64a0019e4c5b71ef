"""Options of a camera entry: how its streams are pulled and how its events are read."""

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
)

from .compat import vol
from .const import (
    CONF_AUTO_OFF,
    CONF_EVENT_SOURCE,
    CONF_RTSP_TRANSPORT,
    DEFAULT_AUTO_OFF,
    DEFAULT_RTSP_TRANSPORT,
    EVENT_SOURCE_AUTO,
    EVENT_SOURCES,
    RTSP_TRANSPORTS,
)


class HomeboundOptionsFlow(OptionsFlowWithReload):
    """Stream transport, detection auto-off, event source; saving reloads the camera."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose the options."""
        if user_input is not None:
            user_input[CONF_AUTO_OFF] = int(user_input[CONF_AUTO_OFF])
            return self.async_create_entry(data=user_input)
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
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)
