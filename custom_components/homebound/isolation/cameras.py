"""Which cameras the firewall knows, and where Home Assistant reaches each one.

A camera is known by its entry (loaded or not: a camera that is offline or disabled in Home
Assistant is still on the network and stays isolated), read through :mod:`..link` - every
camera entry, also one that knows no MAC (isolated by its address until the network shows its
MAC). Where Home Assistant reaches it (its *contact* addresses: the entry's host, resolved when
it is a name) is what ties the camera to the network's observations; nothing the camera says
about itself does.
"""

from __future__ import annotations

import asyncio
from typing import Final

from homeassistant.core import HomeAssistant

from ..const import LOGGER
from ..firewall import PolicyError, canonical_mac, parse_address, plain_address, shown
from ..link import CameraFacts
from . import backend

RESOLVE_TIMEOUT: Final = 5.0
"""Seconds a camera's host name may take to resolve (the check waits for it)."""


def facts_mac(facts: CameraFacts) -> str | None:
    """Return the MAC the entry claims for its camera in the firewall's form; None if none."""
    if facts.mac is None:
        return None
    try:
        return canonical_mac(facts.mac)
    except PolicyError:
        return None


async def contact_addresses(hass: HomeAssistant, host: str) -> tuple[str, ...]:
    """Return the addresses Home Assistant reaches a camera at: its host, resolved if a name.

    An address is given back as it is; a name is resolved as Home Assistant resolves it (a
    name that does not resolve in time gives nothing: the camera is then isolated by what
    the network showed of its MAC, or not at all, and says so).
    """
    if (addr := parse_address(host)) is not None:
        return (plain_address(addr),)
    if not host or "%" in host:
        return ()
    try:
        async with asyncio.timeout(RESOLVE_TIMEOUT):
            found = await backend.system_resolve(hass, host)
    except (OSError, TimeoutError) as err:
        LOGGER.debug("The camera host %s does not resolve: %s", shown(host), err)
        return ()
    kept = [plain_address(a) for a in map(parse_address, found) if a is not None]
    return tuple(dict.fromkeys(kept))
