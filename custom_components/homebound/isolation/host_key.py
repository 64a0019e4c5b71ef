"""The router's SSH host key, fetched before any credential goes anywhere.

Every path of the firewall's glue that logs in to a router follows one order: fetch the key the
machine at the router's address offers (key exchange only: no user name, no password, no key is
sent), show its fingerprint, pin it once the user agrees, then log in accepting exactly that key
(:func:`.backend.async_make_backend` builds a pinned target). The config flow's add and
reconfigure steps and the host-key repair's "accept" use :func:`async_fetch_host_key`; reauth
and the periodic check log in with the pin the entry already holds.
"""

from __future__ import annotations

from collections.abc import Mapping
import importlib
from typing import Any

from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant

from .backend import SSH_MODULE


async def async_fetch_host_key(hass: HomeAssistant, data: Mapping[str, Any]) -> str:
    """Return the host key offered at the entry's router (OpenSSH one-line form).

    Raises :class:`~..firewall.RouterUnreachableError` (saying why) when nothing, or nothing
    that speaks SSH, answers there. The SSH module is imported in Home Assistant's import
    executor, as for the backend.
    """
    ssh = await hass.async_add_import_executor_job(importlib.import_module, SSH_MODULE)
    target = ssh.SshTarget(host=str(data[CONF_HOST]), port=int(data[CONF_PORT]))
    key: str = await ssh.fetch_host_key(target)
    return key
