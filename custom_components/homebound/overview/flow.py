"""The overview's flow step: the system source makes the one overview entry, unasked.

Started by :func:`~.async_ensure_overview` when a camera entry is set up and there is no
overview; it shows nothing to the user (as Home Assistant's own system entries do).
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult

from ..const import CONF_KIND, KIND_OVERVIEW, OVERVIEW_UNIQUE_ID
from ..kind import is_overview_entry
from . import TITLE


class OverviewFlowMixin(ConfigFlow):
    """The overview step of :class:`~..config_flow.HomeboundConfigFlow`."""

    async def async_step_system(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Make the overview entry, once."""
        await self.async_set_unique_id(OVERVIEW_UNIQUE_ID, raise_on_progress=False)
        if any(is_overview_entry(e) for e in self._async_current_entries(include_ignore=True)):
            return self.async_abort(reason="overview_exists")
        return self.async_create_entry(title=TITLE, data={CONF_KIND: KIND_OVERVIEW})
