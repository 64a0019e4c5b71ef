"""Diagnostics of the firewall entry: settings, state and the exported rules, without secrets.

SSH passwords and keys are redacted; the host key is given as its fingerprint. Camera MAC
addresses, which the camera entries' diagnostics also leave out, are replaced by stand-ins
(``02:00:00:00:00:01``, ...) everywhere, the rules included, which stay loadable.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from .const import CONF_CLIENT_KEY, CONF_HOST_KEY
from .firewall import (
    FirewallError,
    PolicyError,
    export_iptables,
    export_nftables,
)
from .firewall_backend import host_key_fingerprint
from .firewall_coordinator import FirewallConfigEntry

TO_REDACT = {CONF_PASSWORD, CONF_CLIENT_KEY, CONF_USERNAME}


def _stand_ins(macs: list[str]) -> dict[str, str]:
    """MAC -> a locally administered stand-in, in both spellings the rules use."""
    found: dict[str, str] = {}
    for number, mac in enumerate(sorted(macs), start=1):
        stand_in = f"02:00:00:00:{number >> 8:02x}:{number & 0xFF:02x}"
        found[mac] = stand_in
        found[mac.replace(":", "")] = stand_in.replace(":", "")
    return found


def _hide(text: str, stand_ins: dict[str, str]) -> str:
    for real, stand_in in stand_ins.items():
        text = text.replace(real, stand_in)
    return text


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
        macs = list(coordinator.cameras)
    else:
        macs = sorted({*coordinator.cameras, *(c.mac for c in policy.cameras)})
        rules = {
            "nftables": export_nftables(policy),
            "iptables": export_iptables(policy, 4),
            "ip6tables": export_iptables(policy, 6),
        }
    stand_ins = _stand_ins(macs)
    state = coordinator.data
    cameras = {}
    for mac in macs:
        figures = coordinator.figures(mac)
        cameras[stand_ins[mac]] = {
            "isolated": coordinator.is_isolated(mac),
            "update_window_open": coordinator.window_open(mac),
            "isolation_problem": coordinator.isolation_problem(mac),
            "blocked_attempts": figures.total if figures else 0,
            "destinations_24h": figures.destinations_24h if figures else 0,
            "recent": [str(a.destination) for a in figures.recent] if figures else [],
        }
    status = state.status if state else None
    return {
        "entry": {"title": entry.title, "data": data},
        "state": {
            "error": state.error if state else None,
            "in_force": status.in_force if status else None,
            "persistent": status.persistent if status else None,
            "problems": list(status.problems) if status else [],
            "host_key_changed": coordinator.halted is not None,
            "resolved_cloud_addresses": len(coordinator.resolved),
        },
        "cameras": cameras,
        "rules": {name: _hide(text, stand_ins) for name, text in rules.items()},
    }
