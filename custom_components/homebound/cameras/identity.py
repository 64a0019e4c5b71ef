"""What a config entry knows about its camera's identity, for telling cameras apart.

An entry's unique id is the camera's canonical key (the MAC it reports, else its serial; see
``DeviceIdentity.unique_id``). Entries also keep, in their data, every further identifier
learnt: the MAC seen by DHCP or reported over ONVIF, and the serial number. Entries made by
earlier versions kept only the unique id, which is a MAC or a serial: it counts as whichever
it looks like.
"""

from __future__ import annotations

from collections.abc import Iterable

from homeassistant.config_entries import ConfigEntry

from ..const import CONF_MAC, CONF_SERIAL
from ..device import DeviceIdentity, format_mac
from ..device.models import normalize_serial


def entry_identity(entry: ConfigEntry) -> tuple[str | None, str | None]:
    """Return the (MAC, serial) an entry knows its camera by."""
    mac = format_mac(str(entry.data.get(CONF_MAC) or "")) if entry.data.get(CONF_MAC) else None
    serial = normalize_serial(entry.data.get(CONF_SERIAL))
    unique_id = entry.unique_id or ""
    if (as_mac := format_mac(unique_id)) is not None:
        mac = mac or as_mac
    else:
        serial = serial or normalize_serial(unique_id)
    return mac, serial


def find_entry(
    entries: Iterable[ConfigEntry], identity: DeviceIdentity, mac_hint: str | None = None
) -> ConfigEntry | None:
    """Return the entry of this camera, by any identifier it or DHCP gave; None when new."""
    hint = format_mac(mac_hint) if mac_hint else None
    for entry in entries:
        known_mac, known_serial = entry_identity(entry)
        if identity.matches(known_mac, known_serial):
            return entry
        if hint is not None and known_mac == hint:
            return entry
    return None


def find_entry_by_mac(entries: Iterable[ConfigEntry], mac: str) -> ConfigEntry | None:
    """Return the entry that knows this MAC address (DHCP gives nothing else)."""
    wanted = format_mac(mac)
    return next((e for e in entries if wanted and entry_identity(e)[0] == wanted), None)


def contradicts(entry: ConfigEntry, seen: DeviceIdentity) -> bool:
    """Whether what a camera just said of itself rules out that it is the entry's camera.

    For the minute's health check, whose answer (GetDeviceInformation) carries a serial but
    no MAC: unlike :meth:`DeviceIdentity.matches`, saying nothing comparable is no proof of
    a stranger here (the full check runs whenever the camera is probed again).
    """
    mac, serial = entry_identity(entry)
    if seen.mac and mac and format_mac(seen.mac) != mac:
        return True
    own = normalize_serial(seen.serial)
    return bool(own and serial and own != serial)
