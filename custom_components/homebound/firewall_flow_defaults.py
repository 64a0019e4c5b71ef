"""The firewall flow's defaults, read from Home Assistant's network settings, and its answers.

Why defaults from the network helper: the adapters Home Assistant is set to use are the LAN
the cameras live on, and their addresses are the Home Assistant host's; the router an SSH
backend logs in to is, in a home, also the gateway and usually the DNS and NTP server.
"""

from __future__ import annotations

from collections.abc import Mapping
import ipaddress
from typing import Any

from homeassistant.components import network
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant

from .const import (
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

LIST_FIELDS = (CONF_HA_HOSTS, CONF_GATEWAYS, CONF_LAN_RANGES, CONF_NTP_SERVERS, CONF_DNS_SERVERS)


def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


async def network_defaults(hass: HomeAssistant, data: Mapping[str, Any]) -> dict[str, Any]:
    """Return what the network form starts with: this host, its LAN, and the router."""
    hosts: list[str] = []
    ranges: list[str] = []
    for adapter in await network.async_get_adapters(hass):
        if not adapter["enabled"]:
            continue
        found = [(a["address"], a["network_prefix"]) for a in adapter["ipv4"]]
        found += [(a["address"], a["network_prefix"]) for a in adapter["ipv6"]]
        for address, prefix in found:
            addr = ipaddress.ip_address(address)
            if addr.is_loopback or addr.is_link_local or not addr.is_private:
                continue
            hosts.append(str(addr))
            ranges.append(str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False)))
    router = _ip(str(data.get(CONF_HOST, ""))) if data.get(CONF_BACKEND) == BACKEND_SSH else None
    servers = [router] if router else []
    return {
        CONF_HA_HOSTS: list(dict.fromkeys(hosts)),
        CONF_GATEWAYS: servers,
        CONF_LAN_RANGES: list(dict.fromkeys(ranges)),
        CONF_NTP_SERVERS: servers,
        CONF_DNS_SERVERS: servers,
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
