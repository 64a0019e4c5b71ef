"""The camera steps' forms, and the checks of what is typed into them before anything is sent.

How Home Assistant's frontend draws a field decides what the user sees before typing, so the
fields are chosen for it (checked in the frontend bundles of 2026.2 and 2026.10 alike):

* A plain ``str`` field that is ``vol.Required`` is drawn with ``autoValidate`` and the
  message "Required", shown as soon as the field loses focus; and a config flow gives the field
  named ``username`` the focus when the form opens. On the address form (host first) the user
  clicks into the host, the username field loses focus, and "Required" appears under a field
  nobody has typed in yet. A text *selector* is drawn without that validation, so every text
  field here is a :class:`TextSelector`: the user learns what is missing when submitting.
* A value the schema refuses never reaches the step: Home Assistant answers with the
  validator's own English text ("value must be at least 1"), untranslated. So the port is a
  number selector without bounds and the step checks the range itself
  (:func:`valid_port`), as it checks the host's syntax (:func:`valid_host`); both become
  translated field errors.

The host check is syntax only (Home Assistant's ``is_host_valid``): no name is resolved before
the probe, so a form error costs no DNS query; a well-formed name that does not resolve is the
probe's "nothing answered".

What a camera calls itself (its WS-Discovery name, maker and model) becomes the entry's title
and appears in the forms. The camera is untrusted: :func:`plain` keeps such text to one line
without control or invisible formatting characters (a line break would forge log lines, a
right-to-left override would disguise a name), and :func:`markdown_safe` escapes it where the
frontend renders Markdown (step descriptions), so a name cannot become a link or a heading.
"""

from __future__ import annotations

from collections.abc import Iterable
import math
import re
from typing import Any
import unicodedata

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.util.network import is_host_valid

from ..compat import vol
from ..const import DEFAULT_PORT
from ..device import CameraInfo
from ..kind import is_camera_kind
from .scanner import configured_addresses

MIN_PORT = 1
MAX_PORT = 65535
MAX_NAME = 100
"""The longest camera-given name kept for a title (cameras pad fields, or send novels)."""
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")

_HOST = TextSelector(TextSelectorConfig(type=TextSelectorType.TEXT))
_USERNAME = TextSelector(TextSelectorConfig(type=TextSelectorType.TEXT, autocomplete="username"))
_PASSWORD = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
)
_PORT = NumberSelector(NumberSelectorConfig(mode=NumberSelectorMode.BOX, step=1))

MANUAL_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): _HOST,
        vol.Required(CONF_PORT, default=DEFAULT_PORT): _PORT,
        vol.Required(CONF_USERNAME): _USERNAME,
        vol.Required(CONF_PASSWORD): _PASSWORD,
    }
)
CREDENTIALS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_USERNAME): _USERNAME,
        vol.Required(CONF_PASSWORD): _PASSWORD,
    }
)
RECONFIGURE_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): _HOST,
        vol.Required(CONF_PORT): _PORT,
        vol.Required(CONF_USERNAME): _USERNAME,
        vol.Optional(CONF_PASSWORD): _PASSWORD,
    }
)


def default_port_input(host: str | None) -> dict[str, Any]:
    """Return what the address form starts with."""
    return {CONF_HOST: host or "", CONF_PORT: DEFAULT_PORT}


def valid_host(text: Any) -> str | None:
    """Return the host as it will be stored, or None when it is no address or host name.

    Surrounding spaces (a paste) and the brackets of an IPv6 literal are taken off; what is
    left must be an IP address or a syntactically valid host name — a pasted ``http://…``
    address, a port after a colon or a space inside are not.
    """
    host = str(text).strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host if host and is_host_valid(host) else None


def valid_port(value: Any) -> int | None:
    """Return the port as a whole number, or None when it is not one from 1 to 65535."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or not number.is_integer():
        return None
    port = int(number)
    return port if MIN_PORT <= port <= MAX_PORT else None


def address_taken(
    entries: Iterable[ConfigEntry], host: str, port: int, *, but: ConfigEntry | None = None
) -> bool:
    """Whether a camera entry (other than ``but``) already uses this address and port.

    Host names compare in any case. Checked before the probe, so the form says so on the
    address, where the user can change it, and nothing is sent to a camera already added.
    """
    skip = but.entry_id if but is not None else None
    cameras = [e for e in entries if is_camera_kind(e) and e.entry_id != skip]
    taken = {(known.lower(), known_port) for known, known_port in configured_addresses(cameras)}
    return (host.lower(), port) in taken


def plain(text: str) -> str:
    """Return camera-given text as one line of visible characters (spaces collapsed)."""
    visible = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    return " ".join(visible.split())[:MAX_NAME].strip()


def markdown_safe(text: str) -> str:
    """Return :func:`plain` text with Markdown's punctuation escaped (it renders unchanged)."""
    return _MARKDOWN.sub(r"\\\1", plain(text))


def camera_title(info: CameraInfo, name_hint: str | None) -> str:
    """Return the entry's title: the name the camera announced, else maker and model (once)."""
    if name_hint and (name := plain(name_hint)):
        return name
    identity = info.identity
    maker, model = plain(identity.manufacturer), plain(identity.model)
    if model.lower().startswith(maker.lower()):
        return model
    return plain(f"{maker} {model}")
