"""The kinds of tampering the guard must find and undo, as commands run on the lab's router.

Shared by the lab tests and ``bench/firewall.py`` (which times each kind). Each tamper is what
a person, a script or a firmware could do to Homebound's table without touching its rule
count, hooks or camera set - or what wipes it (a flush, a deletion).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import json

from custom_components.homebound.firewall.guard_state import GapCause
from custom_components.homebound.firewall.nft_render import chain_rules
from custom_components.homebound.firewall.policy import FirewallPolicy

from .lab import Lab


@dataclass(frozen=True)
class Tamper:
    """One change made on the router, and the problem code verify must report for it."""

    name: str
    run: Callable[[Lab, FirewallPolicy], object]
    code: str
    cause: GapCause = GapCause.CHANGED
    alternative: str | None = None
    """Another code verify may report instead (nft 1.0.6 lists a dormant table with garbage)."""

    def reported(self, problems: tuple[str, ...]) -> bool:
        """Whether verify's problems name this tamper."""
        return self.code in problems or self.alternative in problems


def _nft(*args: str) -> Callable[[Lab, FirewallPolicy], object]:
    return lambda lab, _policy: lab.nft(*args)


def _handle(lab: Lab, chain: str, index: int) -> str:
    listing = json.loads(lab.nft("-a", "-j", "list", "chain", "inet", "homebound", chain).stdout)
    handles = [item["rule"]["handle"] for item in listing["nftables"] if "rule" in item]
    return str(handles[index])


def _drop_rule(lab: Lab, _policy: FirewallPolicy) -> object:
    """Delete the last rule of the MAC drop chain (its ``drop``)."""
    return lab.nft("delete", "rule", "inet", "homebound", "drop_mac", "handle",
                   _handle(lab, "drop_mac", -1))  # fmt: skip


def _change_rule(lab: Lab, _policy: FirewallPolicy) -> object:
    """Replace the first forward rule by one that names the same set and verdict."""
    return lab.nft("replace", "rule", "inet", "homebound", "forward", "handle",
                   _handle(lab, "forward", 0), "ip", "saddr", "@allow4", "return")  # fmt: skip


def _move_priority(lab: Lab, policy: FirewallPolicy) -> object:
    """Recreate the forward chain behind the router's own filter chain, same rules."""
    t = "inet homebound"
    lines = [
        f"flush chain {t} forward",
        f"delete chain {t} forward",
        f"add chain {t} forward {{ type filter hook forward priority filter + 10; policy accept; }}",  # noqa: E501
        *(f"add rule {t} forward {rule}" for rule in chain_rules(policy)["forward"]),
    ]
    script = "\n".join(lines) + "\n"
    return lab.exec("rtr", "sh", "-c", f"nft -f - <<'EOF'\n{script}EOF")


def _redeclare_set(lab: Lab, policy: FirewallPolicy) -> object:
    """Declare ``allow4`` anew without ``flags interval``: a plain re-apply cannot load it."""
    t = "inet homebound"
    lines = [
        f"flush chain {t} forward",
        f"delete set {t} allow4",
        f"add set {t} allow4 {{ type ipv4_addr; }}",
        f"add element {t} allow4 {{ 192.0.2.80 }}",
        *(f"add rule {t} forward {rule}" for rule in chain_rules(policy)["forward"]),
    ]
    script = "\n".join(lines) + "\n"
    return lab.exec("rtr", "sh", "-c", f"nft -f - <<'EOF'\n{script}EOF")


TAMPERS = (
    Tamper("allow4 element", _nft("add", "element", "inet", "homebound", "allow4",
                                  "{ 198.51.100.0/24 }"), "set_changed:allow4"),
    Tamper("allow6 element", _nft("add", "element", "inet", "homebound", "allow6",
                                  "{ 2001:db8:ff::/48 }"), "set_changed:allow6"),
    Tamper("svc4 element", _nft("add", "element", "inet", "homebound", "svc4",
                                "{ 198.51.100.53 . udp . 53 }"), "set_changed:svc4"),
    Tamper("svc6 element", _nft("add", "element", "inet", "homebound", "svc6",
                                "{ 2001:db8:ff::2 . tcp . 443 }"), "set_changed:svc6"),
    Tamper("window element", _nft("add", "element", "inet", "homebound", "win",
                                  "{ 02:48:42:00:00:50 timeout 1h }"), "set_changed:win"),
    Tamper("flush ruleset", _nft("flush", "ruleset"), "table_missing", GapCause.REMOVED),
    Tamper("delete table", _nft("delete", "table", "inet", "homebound"), "table_missing",
           GapCause.REMOVED),
    Tamper("drop a rule", _drop_rule, "rules_changed:drop_mac"),
    Tamper("change a rule", _change_rule, "rules_changed:forward"),
    Tamper("change a priority", _move_priority, "priority_changed:forward"),
    Tamper("set re-declared", _redeclare_set, "set_changed:allow4"),
    Tamper("dormant table", _nft("add", "table", "inet", "homebound", "{ flags dormant; }"),
           "table_flags_changed", alternative="table_unreadable"),
)  # fmt: skip
