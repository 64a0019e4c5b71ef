"""Options of a camera entry: how its streams are pulled (events options join later)."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlowWithReload
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from .compat import vol
from .const import CONF_RTSP_TRANSPORT, DEFAULT_RTSP_TRANSPORT, RTSP_TRANSPORTS


class HomeboundOptionsFlow(OptionsFlowWithReload):
    """How Home Assistant pulls the camera's streams."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose the RTSP transport."""
        if user_input is not None:
            return self.async_create_entry(data=user_input)
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_RTSP_TRANSPORT,
                    default=self.config_entry.options.get(
                        CONF_RTSP_TRANSPORT, DEFAULT_RTSP_TRANSPORT
                    ),
                ): SelectSelector(
                    SelectSelectorConfig(
                        options=list(RTSP_TRANSPORTS),
                        mode=SelectSelectorMode.DROPDOWN,
                        translation_key=CONF_RTSP_TRANSPORT,
                    )
                )
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)
