"""The one repair issue per camera about its settings that reach outside the home.

``cloud_features`` lists what is on (fixable: the fix flow in :mod:`.settings_repairs` offers
what Homebound can change on the camera). ``cloud_no_switch`` says that a camera whose maker the
catalogue knows has no setting Homebound can reach to switch its cloud off, and points at cloud
isolation; it is not fixable, and the user may ignore it (the issue id stays the same, so an
ignored message stays ignored across restarts). Both use one issue id per camera entry, so the
repair changes in place as the camera's settings change; it goes when nothing is left to say,
and with the camera's entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from ..const import DOMAIN
from .settings_text import async_texts

if TYPE_CHECKING:
    from .coordinator import CameraConfigEntry
    from .settings import SettingsAudit

ISSUE_PREFIX: Final = "cloud_features_"
"""Issue ids of these repairs start with this (the top ``repairs.py`` routes by it)."""


def settings_issue_id(entry_id: str) -> str:
    """Return the repair issue id of one camera entry."""
    return f"{ISSUE_PREFIX}{entry_id}"


async def async_update_issue(
    hass: HomeAssistant, entry: CameraConfigEntry, audit: SettingsAudit
) -> None:
    """Raise, change or remove the camera's repair after an audit."""
    issue_id = settings_issue_id(entry.entry_id)
    if not audit.findings and audit.no_switch_maker is None:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    if not audit.findings:
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="cloud_no_switch",
            translation_placeholders={"name": entry.title, "maker": audit.no_switch_maker or ""},
            data={"entry_id": entry.entry_id},
        )
        return
    texts = await async_texts(hass)
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=bool(audit.fixes()),
        severity=ir.IssueSeverity.WARNING,
        translation_key="cloud_features",
        translation_placeholders={
            "name": entry.title,
            "features": texts.features(audit.findings, audit.no_switch_maker),
        },
        data={"entry_id": entry.entry_id},
    )


@callback
def async_delete_settings_issue(hass: HomeAssistant, entry_id: str) -> None:
    """Remove a removed camera's repair."""
    ir.async_delete_issue(hass, DOMAIN, settings_issue_id(entry_id))
