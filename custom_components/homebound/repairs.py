"""Fix flows of Homebound's repair issues, handed to their half by the issue id's prefix."""

from __future__ import annotations

from homeassistant.components.repairs import RepairsFlow
from homeassistant.core import HomeAssistant

from .cameras.maker_repairs import (
    ISSUE_PREFIX as VULNERABLE_FIRMWARE_PREFIX,
    async_create_maker_fix_flow,
)
from .cameras.settings_issue import ISSUE_PREFIX as SETTINGS_ISSUE_PREFIX
from .cameras.settings_repairs import async_create_settings_fix_flow
from .isolation.gap_repair import ISSUE_PREFIX as GAPS_ISSUE_PREFIX, GapsAcknowledgeFlow
from .isolation.repairs import async_create_isolation_fix_flow


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """Return the fix flow of one of Homebound's fixable issues."""
    if issue_id.startswith(SETTINGS_ISSUE_PREFIX):
        return await async_create_settings_fix_flow(hass, issue_id, data)
    if issue_id.startswith(VULNERABLE_FIRMWARE_PREFIX):
        return await async_create_maker_fix_flow(hass, issue_id, data)
    if issue_id.startswith(GAPS_ISSUE_PREFIX):
        return GapsAcknowledgeFlow()
    return await async_create_isolation_fix_flow(hass, issue_id, data)
