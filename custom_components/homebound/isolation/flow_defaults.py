"""The allow-list form's defaults and checks, from Home Assistant's adapters and the cameras.

Why from the adapters *facing the cameras*: the adapter whose prefix holds a camera's address is
the LAN the cameras live on, and its addresses are the Home Assistant host's there; the adapter
with the default route is, on a Home Assistant that routes, the internet side - never a default.
The router an SSH backend logs in to is, in a home, also the gateway and usually the DNS and NTP
server. The checks (:func:`~..firewall.check_allow_list`) refuse what would open the internet
(a public "gateway", a 6to4 "LAN range", ...) and a camera's address as a Home Assistant host or
gateway, field by field, each with its translated reason.

The cameras are known through :mod:`..link` by the address each entry reaches its camera at
(what Home Assistant talks to, kept current by DHCP) - never by what a camera reports about
itself: a camera claiming the Home Assistant host's address must not make the form refuse it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components.network import async_get_adapters
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant

from ..const import (
    BACKEND_LOCAL,
    BACKEND_SSH,
    CONF_BACKEND,
    CONF_DNS_SERVERS,
    CONF_GATEWAYS,
    CONF_HA_HOSTS,
    CONF_ISOLATE_NEW,
    CONF_LAN_RANGES,
    CONF_NTP_REDIRECT,
    CONF_NTP_SERVERS,
)
from ..firewall import AdapterInfo, check_allow_list, form_errors, suggest_allow_list
from ..link import camera_facts

LIST_FIELDS = (CONF_HA_HOSTS, CONF_GATEWAYS, CONF_LAN_RANGES, CONF_NTP_SERVERS, CONF_DNS_SERVERS)


async def ha_adapters(hass: HomeAssistant) -> list[AdapterInfo]:
    """Return Home Assistant's network adapters as the allow-list checks take them."""
    return [AdapterInfo.from_mapping(adapter) for adapter in await async_get_adapters(hass)]


def known_camera_addresses(hass: HomeAssistant) -> list[str]:
    """List the addresses HA reaches its cameras at (names are skipped by the checks)."""
    return list(dict.fromkeys(facts.host for facts in camera_facts(hass)))


async def network_defaults(hass: HomeAssistant, data: Mapping[str, Any]) -> dict[str, Any]:
    """Return what the allow-list form starts with: the cameras' LAN, this host, the router."""
    ssh = data.get(CONF_BACKEND) == BACKEND_SSH
    defaults = suggest_allow_list(
        await ha_adapters(hass),
        known_camera_addresses(hass),
        router=str(data.get(CONF_HOST) or "") or None if ssh else None,
        ha_is_router=data.get(CONF_BACKEND) == BACKEND_LOCAL,
    )
    return {
        CONF_HA_HOSTS: list(defaults.ha_hosts),
        CONF_GATEWAYS: list(defaults.gateways),
        CONF_LAN_RANGES: list(defaults.lan_ranges),
        CONF_NTP_SERVERS: list(defaults.ntp_servers),
        CONF_DNS_SERVERS: list(defaults.dns_servers),
        CONF_ISOLATE_NEW: True,
    }


def network_settings(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return the network form's answers as the entry stores them (lists without blanks)."""
    settings: dict[str, Any] = {
        name: [str(v).strip() for v in user_input.get(name) or [] if str(v).strip()]
        for name in LIST_FIELDS
    }
    settings[CONF_NTP_REDIRECT] = str(user_input.get(CONF_NTP_REDIRECT) or "").strip() or None
    settings[CONF_ISOLATE_NEW] = bool(user_input.get(CONF_ISOLATE_NEW))
    return settings


async def allow_list_errors(
    hass: HomeAssistant, settings: Mapping[str, Any]
) -> tuple[dict[str, str], str]:
    """Check the form's answers: field -> error key, and the refused values (safe to show)."""
    problems = check_allow_list(
        settings, adapters=await ha_adapters(hass), camera_addresses=known_camera_addresses(hass)
    )
    refused = ", ".join(dict.fromkeys(p.value for p in problems if p.value))
    return form_errors(problems), refused
