"""Diagnostics of the firewall entry: settings, state and the exported rules, without secrets.

SSH passwords and keys are redacted; the host key is given as its fingerprint. No MAC address
leaves: not the cameras' (which the camera entries' diagnostics leave out too), not the router's
or the Home Assistant host's the network showed. Rather than trusting each field to remember
that, the whole document is scrubbed at the end (:func:`hide_macs`): every MAC written with
colons or dashes, in any case, and every known MAC also without separators (counter names such
as ``cam_024842000050``), is replaced by a stand-in (``02:00:00:00:00:01``, ...) - the same
stand-in for the same MAC everywhere, so the rules stay loadable and readable. An IPv6 address
made from a MAC (SLAAC's EUI-64 interface id) is a MAC too: it keeps its prefix and gets the
stand-in's interface id. Other addresses stay: the rules need them, and they say what is matched.
"""

from __future__ import annotations

from collections.abc import Iterable
import ipaddress
import re
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from ..const import CONF_CLIENT_KEY, CONF_HOST_KEY
from ..firewall import (
    FirewallError,
    PolicyError,
    export_iptables,
    export_nftables,
)
from .backend import host_key_fingerprint
from .cameras import facts_mac
from .coordinator import FirewallConfigEntry

TO_REDACT = {CONF_PASSWORD, CONF_CLIENT_KEY, CONF_USERNAME}

_HEX = "[0-9A-Fa-f]"
_SEPARATED = re.compile(
    rf"(?<!{_HEX})(?<!{_HEX}[:-])(?<!::)"
    rf"({_HEX}{{2}})([:-])({_HEX}{{2}})\2({_HEX}{{2}})\2({_HEX}{{2}})\2({_HEX}{{2}})\2({_HEX}{{2}})"
    rf"(?!{_HEX})(?![:-]{_HEX})"
)
"""A MAC with ``:`` or ``-`` between its six octets, not part of a longer chain of groups (an
IPv6 address has eight, or a ``::``), but found after a word and a colon (``camera_missing:``)."""
_BARE = re.compile(rf"(?<![0-9A-Fa-f]){_HEX}{{12}}(?![0-9A-Fa-f])")
_V6 = re.compile(r"(?<![0-9A-Fa-f:])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(?![0-9A-Fa-f:])")
"""Anything that may be an IPv6 address (checked by parsing it)."""


def _eui64_mac(token: str) -> str | None:
    """Return the MAC an IPv6 address was made from (EUI-64: ``...xxff:fexx...``), if any."""
    try:
        packed = ipaddress.IPv6Address(token).packed
    except ValueError:
        return None
    if packed[11:13] != b"\xff\xfe":
        return None
    octets = (packed[8] ^ 0x02, packed[9], packed[10], *packed[13:16])
    return ":".join(f"{octet:02x}" for octet in octets)


def _with_mac(token: str, mac: str) -> str:
    """Return the IPv6 address ``token`` with its EUI-64 interface id made from ``mac``."""
    octets = bytes.fromhex(mac.replace(":", ""))
    iid = bytes((octets[0] ^ 0x02, octets[1], octets[2], 0xFF, 0xFE, *octets[3:6]))
    return str(ipaddress.IPv6Address(ipaddress.IPv6Address(token).packed[:8] + iid))


def _stand_in(number: int) -> str:
    return f"02:00:00:00:{number >> 8:02x}:{number & 0xFF:02x}"


def _macs_in(value: Any) -> Iterable[str]:
    """Every colon/dash-separated MAC in a structure's keys and texts, canonical."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _macs_in(key)
            yield from _macs_in(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _macs_in(item)
    elif isinstance(value, str):
        for match in _SEPARATED.finditer(value):
            yield ":".join(match.group(i) for i in (1, 3, 4, 5, 6, 7)).lower()
        for token in _V6.findall(value):
            if (mac := _eui64_mac(token)) is not None:
                yield mac


def hide_macs(data: dict[str, Any], known: Iterable[str] = ()) -> dict[str, Any]:
    """Return ``data`` with every MAC replaced by a stand-in, in one pass.

    ``known`` MACs (canonical, ``aa:bb:cc:dd:ee:ff``) are also found without separators; any
    MAC written with separators is found whatever it is, and so is any MAC inside an IPv6
    address made from it (SLAAC's EUI-64 interface id): such an address keeps its prefix and
    gets the stand-in's interface id.
    """
    macs = sorted({*(m.lower() for m in known), *_macs_in(data)})
    stand_ins = {mac: _stand_in(number) for number, mac in enumerate(macs, start=1)}
    bare = {mac.replace(":", ""): stand_in.replace(":", "") for mac, stand_in in stand_ins.items()}

    def separated(match: re.Match[str]) -> str:
        mac = ":".join(match.group(i) for i in (1, 3, 4, 5, 6, 7)).lower()
        return stand_ins[mac].replace(":", match.group(2))

    def unseparated(match: re.Match[str]) -> str:
        return bare.get(match.group().lower(), match.group())

    def eui64(match: re.Match[str]) -> str:
        token = match.group()
        mac = _eui64_mac(token)
        return _with_mac(token, stand_ins[mac]) if mac is not None else token

    def text(value: str) -> str:
        return _BARE.sub(unseparated, _SEPARATED.sub(separated, _V6.sub(eui64, value)))

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {walk(k) if isinstance(k, str) else k: walk(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(item) for item in value]
        if isinstance(value, set | frozenset):
            return sorted(walk(item) for item in value)
        return text(value) if isinstance(value, str) else value

    scrubbed: dict[str, Any] = walk(data)
    return scrubbed


async def async_get_firewall_diagnostics(
    hass: HomeAssistant, entry: FirewallConfigEntry
) -> dict[str, Any]:
    """Return the firewall entry's settings, state and rules, redacted."""
    coordinator = entry.runtime_data
    data = async_redact_data(dict(entry.data), TO_REDACT)
    if data.get(CONF_HOST_KEY):
        try:
            data[CONF_HOST_KEY] = host_key_fingerprint(str(data[CONF_HOST_KEY]))
        except FirewallError:
            data[CONF_HOST_KEY] = "**UNREADABLE**"
    try:
        policy = coordinator.build()
    except PolicyError as err:
        rules: dict[str, str] = {"error": str(err)}
        macs: set[str] = set()
    else:
        macs = {c.mac for c in policy.cameras if c.mac}
        rules = {
            "nftables": export_nftables(policy),
            "iptables": export_iptables(policy, 4),
            "ip6tables": export_iptables(policy, 6),
        }
    for ident in coordinator.cameras:
        match = coordinator.match(ident)
        if match is not None and match.mac:
            macs.add(match.mac)
        if (claimed := facts_mac(coordinator.cameras[ident])) is not None:
            macs.add(claimed)
    state = coordinator.data
    cameras = {}
    for number, ident in enumerate(sorted(coordinator.cameras), start=1):
        figures = coordinator.figures(ident)
        match = coordinator.match(ident)
        cameras[f"camera_{number}"] = {
            "isolated": coordinator.is_isolated(ident),
            "confirmed": coordinator.confirmed(ident),
            "pending": coordinator.pending(ident),
            "matched_by": ("mac" if match.mac else "address") if match and match.isolated else None,
            "refused": sorted({r.reason.value for r in match.refusals}) if match else [],
            "update_window_open": coordinator.window_open(ident),
            "isolation_problem": coordinator.isolation_problem(ident),
            "isolation_gaps_30d": coordinator.gaps(ident),
            "blocked_attempts": figures.total if figures else 0,
            "destinations_24h": figures.destinations_24h if figures else 0,
            "recent": [str(a.destination) for a in figures.recent] if figures else [],
        }
    status = state.status
    guard = state.guard
    found = {
        "entry": {"title": entry.title, "data": data},
        "state": {
            "error": state.error,
            "in_force": status.in_force if status else None,
            "persistent": status.persistent if status else None,
            "problems": list(status.problems) if status else [],
            "host_key_changed": coordinator.halted is not None,
            "reachable": guard.reachable if guard else None,
            "pending": guard.pending if guard else False,
            "gaps_30d": len(guard.gaps) if guard else 0,
            "resolved_cloud_addresses": len(coordinator.resolved),
        },
        "cameras": cameras,
        "rules": rules,
    }
    return hide_macs(found, macs)
