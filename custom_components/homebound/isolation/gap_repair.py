"""The fix flow of the "isolation gaps" repair: the user acknowledges it, and it goes.

The repair stays (across restarts) until then, because a gap it reports was a time the isolated
cameras could reach the internet; nothing can undo that, so the only fix is that the user knows.
A later gap that deserves attention raises it again.
"""

from __future__ import annotations

from typing import Final

from homeassistant.components.repairs import RepairsFlow
from homeassistant.helpers import issue_registry as ir

from ..compat import RepairsFlowResult, vol
from ..const import DOMAIN

ISSUE_PREFIX: Final = "isolation_gaps_"
"""The repair's issue id is this and the firewall entry's id."""


class GapsAcknowledgeFlow(RepairsFlow):
    """Show what happened once more; acknowledging removes the repair."""

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Go to the acknowledgement."""
        return await self.async_step_acknowledge()

    async def async_step_acknowledge(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Acknowledge the gaps (the repairs manager then deletes the issue)."""
        if user_input is not None:
            return self.async_create_entry(data={})
        issue = ir.async_get(self.hass).async_get_issue(DOMAIN, self.issue_id)
        placeholders = dict(issue.translation_placeholders or {}) if issue else {}
        return self.async_show_form(
            step_id="acknowledge",
            data_schema=vol.Schema({}),
            description_placeholders={
                "count": placeholders.get("count", "?"),
                "longest": placeholders.get("longest", "?"),
            },
        )
