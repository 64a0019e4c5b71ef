"""The camera's time server: what the user may type, what is offered, and the option's change.

The time-server option is the one standing order of the settings (settings.py): the daily
audit points the camera's clock at it again when the camera was reset or changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant

from .. import link
from ..const import CONF_NTP_SERVER
from ..device.settings_model import UNSHOWABLE, Outcome, clean_host

if TYPE_CHECKING:
    from .coordinator import CameraConfigEntry


def clean_server(text: object) -> str | None:
    """Return a time server the user typed as the camera is told it (None: not a host)."""
    host = clean_host(text) if isinstance(text, str) else None
    return host if host is not None and host != UNSHOWABLE else None


def default_ntp_server(hass: HomeAssistant, entry: CameraConfigEntry) -> str | None:
    """Return the camera's time-server option, else the firewall's NTP redirect (link)."""
    option = entry.options.get(CONF_NTP_SERVER)
    return str(option) if option else link.ntp_server(hass)


NTP_ERRORS: Final[dict[Outcome, str]] = {
    Outcome.IGNORED: "ntp_ignored",
    Outcome.REFUSED: "ntp_refused",
    Outcome.UNSUPPORTED: "ntp_unsupported",
    Outcome.UNDONE_BY_DHCP: "ntp_failed",
    Outcome.FAILED: "ntp_failed",
}
"""The options form's error for each way the camera did not take a time server."""


async def async_apply_ntp_option(
    hass: HomeAssistant, entry: CameraConfigEntry, user_input: dict[str, Any]
) -> str | None:
    """Set a changed time-server option on the camera, read back; the form's error, if any.

    The option is cleaned in ``user_input`` (an empty one removed). A camera that is not
    loaded gets it at its next set-up (the audit points the clock at the option).
    """
    asked = str(user_input.pop(CONF_NTP_SERVER, "") or "").strip()
    if not asked:
        return None
    if (server := clean_server(asked)) is None:
        return "invalid_ntp_server"
    user_input[CONF_NTP_SERVER] = server
    audit = entry.runtime_data.settings if entry.state is ConfigEntryState.LOADED else None
    if server == entry.options.get(CONF_NTP_SERVER) or audit is None:
        return None
    result = await audit.async_set_ntp(server)
    return NTP_ERRORS.get(result.outcome)
