"""Render a policy as an nftables script for ``nft -f``: one ``inet`` table of Homebound's own.

Why a table of our own: nftables' ``drop`` is final in every table, while an ``accept`` (or
``return``) only ends the current base chain. A separate table hooked at ``forward`` can
therefore only add restrictions, never open what fw4 or the user's own rules close, and it is
never touched by ``fw4 reload`` (which rebuilds only ``inet fw4``).

Why this shape of script: a file given to ``nft -f`` is one kernel transaction, so either all
of it applies or none does, and the previous ruleset stays in force on any error. The script
declares every object with ``add`` (a no-op for what exists), then ``flush``-es chains, maps and
the fixed sets and re-adds their content. That keeps the named per-camera counters and the
attempts already recorded; the "delete table, create table" idiom would reset both.

Why this many rules: a fixed number, whatever the number of cameras. Cameras are elements of
sets and maps keyed by MAC (and by address for routers that see no MAC); a per-camera named
counter is selected through a map (``counter name ether saddr map @ctr_mac``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
import ipaddress
from ipaddress import IPv4Address, IPv4Network, IPv6Network

from .policy import CameraIdentity, FirewallPolicy, IPAddress, IPNetwork
from .safe import plain_address as _a, plain_network

TABLE = "homebound"
FAMILY = "inet"
FORWARD_PRIORITY = "filter - 10"
"""Before fw4's forward chain (priority filter), so drops happen before fw4 accepts."""
NAT_PRIORITY = "dstnat - 5"
ATTEMPTS_SIZE = 65535
"""Most attempted destinations remembered per set; the router's memory stays bounded."""
PORT_PROTOCOLS = "{ tcp, udp, sctp, dccp }"

# The sets and maps: name -> declaration. Attempts sets are never flushed (they are the record).
_FIXED_SETS = {
    "cams": "type ether_addr;",
    "cams4": "type ipv4_addr;",
    "cams6": "type ipv6_addr;",
    "win": "type ether_addr; flags timeout;",
    "win4": "type ipv4_addr; flags timeout;",
    "win6": "type ipv6_addr; flags timeout;",
    "allow4": "type ipv4_addr; flags interval;",
    "allow6": "type ipv6_addr; flags interval;",
    "svc4": "type ipv4_addr . inet_proto . inet_service; flags interval;",
    "svc6": "type ipv6_addr . inet_proto . inet_service; flags interval;",
}
_MAPS = {
    "ctr_mac": "type ether_addr : counter;",
    "ctr4": "type ipv4_addr : counter;",
    "ctr6": "type ipv6_addr : counter;",
}
ATTEMPT_SETS = {
    "att_mac4": "ether_addr . ipv4_addr . inet_proto . inet_service",
    "att_mac6": "ether_addr . ipv6_addr . inet_proto . inet_service",
    "att4": "ipv4_addr . ipv4_addr . inet_proto . inet_service",
    "att6": "ipv6_addr . ipv6_addr . inet_proto . inet_service",
}
CHAINS = ("forward", "drop_mac", "drop4", "drop6")
NAT_CHAIN = "ntp"


def counter_name(camera: CameraIdentity) -> str:
    """Name the counter of one camera's blocked packets."""
    return f"cam_{camera.key}"


@dataclass(frozen=True, slots=True)
class Rendered:
    """A script and what the kernel should hold once it is loaded (for verify)."""

    script: str
    rules: dict[str, int]
    """Chain -> number of rules it must hold."""
    cameras: frozenset[str] = field(default_factory=frozenset)
    """MACs in the ``cams`` set."""


def _drop_chain(source: str, counter_map: str, sets: tuple[str, str]) -> list[str]:
    """Write the rules of a drop chain: count, record the destination, drop."""
    v4, v6 = sets
    rules = [f"counter name {source} map @{counter_map}"]
    for family, daddr, target in (("ipv4", "ip daddr", v4), ("ipv6", "ip6 daddr", v6)):
        if not target:
            continue
        rules += [
            f"meta nfproto {family} meta l4proto {PORT_PROTOCOLS} "
            f"update @{target} {{ {source} . {daddr} . meta l4proto . th dport }}",
            f"meta nfproto {family} meta l4proto != {PORT_PROTOCOLS} "
            f"update @{target} {{ {source} . {daddr} . meta l4proto . 0 }}",
        ]
    return [*rules, "drop"]


def chain_rules(policy: FirewallPolicy) -> dict[str, list[str]]:
    """Write the rules of each chain (fixed in number; only the redirect depends on policy)."""
    rules = {
        "forward": [
            "ip daddr @allow4 return",
            "ip6 daddr @allow6 return",
            "ip daddr . meta l4proto . th dport @svc4 return",
            "ip6 daddr . meta l4proto . th dport @svc6 return",
            "ether saddr @win return",
            "ip saddr @win4 return",
            "ip6 saddr @win6 return",
            "ether saddr @cams goto drop_mac",
            "ip saddr @cams4 goto drop4",
            "ip6 saddr @cams6 goto drop6",
        ],
        "drop_mac": _drop_chain("ether saddr", "ctr_mac", ("att_mac4", "att_mac6")),
        "drop4": _drop_chain("ip saddr", "ctr4", ("att4", "")),
        "drop6": _drop_chain("ip6 saddr", "ctr6", ("", "att6")),
    }
    target = policy.ntp_redirect
    if target is not None:
        fam = "ip" if isinstance(target, IPv4Address) else "ip6"
        source_set = "cams4" if fam == "ip" else "cams6"
        tail = f"udp dport 123 {fam} daddr != {_a(target)} dnat {fam} to {_a(target)}"
        rules[NAT_CHAIN] = [f"ether saddr @cams {tail}", f"{fam} saddr @{source_set} {tail}"]
    return rules


def _elements(items: list[str]) -> str:
    return ", ".join(items)


def _set_contents(policy: FirewallPolicy, now: datetime | None) -> dict[str, list[str]]:
    """Elements of the fixed sets and maps."""
    windows = policy.open_windows(now) if now is not None else {}
    contents: dict[str, list[str]] = {name: [] for name in (*_FIXED_SETS, *_MAPS)}
    for cam in policy.cameras:
        counter = f'"{counter_name(cam)}"'
        if cam.mac:
            contents["cams"].append(cam.mac)
            contents["ctr_mac"].append(f"{cam.mac} : {counter}")
        contents["cams4"] += [_a(a) for a in cam.ipv4]
        contents["cams6"] += [_a(a) for a in cam.ipv6]
        contents["ctr4"] += [f"{_a(a)} : {counter}" for a in cam.ipv4]
        contents["ctr6"] += [f"{_a(a)} : {counter}" for a in cam.ipv6]
        if cam.id in windows:
            timeout = f" timeout {int(windows[cam.id])}s"
            if cam.mac:
                contents["win"].append(cam.mac + timeout)
            contents["win4"] += [f"{_a(a)}{timeout}" for a in cam.ipv4]
            contents["win6"] += [f"{_a(a)}{timeout}" for a in cam.ipv6]
    for net in _merge(policy.allowed_networks()):
        contents["allow4" if isinstance(net, IPv4Network) else "allow6"].append(plain_network(net))
    for addr, proto, port in policy.allowed_services():
        contents[_family_set("svc", addr)].append(f"{_a(addr)} . {proto} . {int(port)}")
    return contents


def _family_set(prefix: str, addr: IPAddress) -> str:
    return f"{prefix}4" if isinstance(addr, IPv4Address) else f"{prefix}6"


def _merge(nets: tuple[IPNetwork, ...]) -> list[IPNetwork]:
    """Collapse overlapping networks: interval sets refuse overlapping elements."""
    v4 = [n for n in nets if isinstance(n, IPv4Network)]
    v6 = [n for n in nets if isinstance(n, IPv6Network)]
    return [*ipaddress.collapse_addresses(v4), *ipaddress.collapse_addresses(v6)]


def render_apply(policy: FirewallPolicy, now: datetime | None = None) -> Rendered:
    """Write the ``nft -f`` script that makes the kernel hold ``policy`` (one transaction).

    ``now`` places the open update windows; without it the script opens none (the form
    stored for reboots and ``fw4 reload``, which must never reopen a window that closed).
    It deletes nothing that might be missing, so it loads on an empty ruleset and on one
    that already holds it alike.
    """
    t = f"{FAMILY} {TABLE}"
    lines = [f"add table {t}"]
    counters = [counter_name(cam) for cam in policy.cameras]
    lines += [f"add counter {t} {name}" for name in counters]
    for name, decl in (*_FIXED_SETS.items(), *_MAPS.items()):
        lines.append(f"add {'map' if name in _MAPS else 'set'} {t} {name} {{ {decl} }}")
    for name, key in ATTEMPT_SETS.items():
        lines.append(
            f"add set {t} {name} {{ type {key}; flags dynamic, timeout; "
            f"timeout {policy.attempts_timeout}s; size {ATTEMPTS_SIZE}; }}"
        )
    rules = chain_rules(policy)
    lines += [
        f"add chain {t} forward {{ type filter hook forward priority {FORWARD_PRIORITY}; "
        "policy accept; }",
        *(f"add chain {t} {name}" for name in CHAINS[1:]),
        f"add chain {t} {NAT_CHAIN} {{ type nat hook prerouting priority {NAT_PRIORITY}; "
        "policy accept; }",
    ]
    # Flush what rules reference before re-adding; chains first so no rule dangles.
    lines += [f"flush chain {t} {name}" for name in (*CHAINS, NAT_CHAIN)]
    if NAT_CHAIN not in rules:
        lines.append(f"delete chain {t} {NAT_CHAIN}")
    lines += [f"flush {'map' if n in _MAPS else 'set'} {t} {n}" for n in (*_FIXED_SETS, *_MAPS)]
    for name, items in _set_contents(policy, now).items():
        if items:
            lines.append(f"add element {t} {name} {{ {_elements(items)} }}")
    for chain, chain_lines in rules.items():
        lines += [f"add rule {t} {chain} {rule}" for rule in chain_lines]
    return Rendered(
        script="\n".join(lines) + "\n",
        rules={chain: len(chain_lines) for chain, chain_lines in rules.items()},
        cameras=frozenset(cam.mac for cam in policy.cameras if cam.mac),
    )


def render_cleanup(counters: list[str], attempts: dict[str, list[str]]) -> str:
    """Delete counters and recorded attempts of cameras no longer isolated.

    Loaded after the apply, on its own: an attempt may expire between the read and this
    script, and a failing cleanup must not fail the apply.
    """
    t = f"{FAMILY} {TABLE}"
    lines = [f"delete counter {t} {name}" for name in counters]
    lines += [
        f"delete element {t} {name} {{ {_elements(keys)} }}"
        for name, keys in attempts.items()
        if keys
    ]
    return "\n".join(lines) + "\n" if lines else ""


def render_remove() -> str:
    """Write the script that removes all Homebound made; it succeeds if nothing is there."""
    return f"add table {FAMILY} {TABLE}\ndelete table {FAMILY} {TABLE}\n"


def count_rules(policy: FirewallPolicy) -> int:
    """How many rules the ruleset holds for ``policy`` (the same for any number of cameras)."""
    return sum(len(r) for r in chain_rules(policy).values())
