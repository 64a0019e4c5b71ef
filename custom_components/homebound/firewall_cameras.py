"""Which cameras the firewall knows: every camera entry with a MAC, and its addresses.

A camera is known by its entry (loaded or not: a camera that is offline or disabled in Home
Assistant is still on the network and stays isolated). Its addresses are the union of the
entry's host (which DHCP keeps current), what the camera reported over ONVIF while loaded,
and what it reported the last time it was (remembered for when it is not).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from homeassistant.config_entries import SOURCE_IGNORE, ConfigEntry, ConfigEntryState
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant

from .const import DOMAIN
from .firewall import PolicyError, camera_addresses, canonical_mac
from .firewall_backend import is_firewall_entry
from .identity import entry_identity


@dataclass(frozen=True, slots=True)
class KnownCamera:
    """A camera the firewall can isolate."""

    entry_id: str
    mac: str
    name: str
    addresses: tuple[str, ...]
    reported: tuple[str, ...]
    """The addresses the camera itself reported in this run (to remember)."""


def camera_entries(hass: HomeAssistant) -> list[ConfigEntry]:
    """Homebound's camera entries (not the firewall, not ignored discoveries)."""
    return [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if not is_firewall_entry(entry) and entry.source != SOURCE_IGNORE
    ]


def entry_mac(entry: ConfigEntry) -> str | None:
    """Return the camera's MAC in the firewall's form; None when the entry knows none."""
    mac = entry_identity(entry)[0]
    if mac is None:
        return None
    try:
        return canonical_mac(mac)
    except PolicyError:
        return None


def _reported(entry: ConfigEntry) -> tuple[str, ...]:
    if entry.state is not ConfigEntryState.LOADED:
        return ()
    return tuple(entry.runtime_data.info.addresses)


def known_cameras(
    hass: HomeAssistant, remembered: Mapping[str, Sequence[str]]
) -> dict[str, KnownCamera]:
    """MAC -> camera, for every camera entry that knows its camera's MAC."""
    found: dict[str, KnownCamera] = {}
    for entry in camera_entries(hass):
        if (mac := entry_mac(entry)) is None:
            continue
        reported = _reported(entry)
        texts = [str(entry.data.get(CONF_HOST) or ""), *reported, *remembered.get(mac, ())]
        found[mac] = KnownCamera(
            entry_id=entry.entry_id,
            mac=mac,
            name=entry.title,
            addresses=camera_addresses(texts),
            reported=camera_addresses(reported),
        )
    return found
