"""Ready-to-paste rulesets for routers no backend drives: nftables and iptables-restore.

The glue returns these from a service call and puts them in diagnostics. The nftables text is
exactly what the backends load (counter-preserving, so it can be loaded again and again with
``nft -f``). The iptables form is for routers without nftables: ``iptables-restore --noflush``
keeps the router's own rules; each camera gets a chain of its own whose DROP rule's packet
counter is its count of blocked packets (iptables has no dynamic sets, so the attempted
destinations are not recorded there).
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

from .nft_render import render_apply
from .policy import FirewallPolicy
from .safe import plain_address, plain_network

CHAIN = "HOMEBOUND"
NAT_CHAIN = "HOMEBOUND_NTP"


def export_nftables(policy: FirewallPolicy) -> str:
    """Return the nftables ruleset (``nft -f homebound.nft``) with a header saying how."""
    header = (
        "# Homebound camera isolation: load with  nft -f homebound.nft\n"
        "# Loading it again keeps the counters; remove it with\n"
        "#   nft delete table inet homebound\n"
    )
    return header + render_apply(policy).script


def _chain(index: int) -> str:
    """Name a camera's chain by its place in the policy, so rules never spell out its MAC."""
    return f"HB_CAM{index}"


def export_iptables(policy: FirewallPolicy, version: int = 4) -> str:
    """Return the ``iptables-restore --noflush`` (``version=6``: ip6tables) ruleset."""
    want_v4 = version == 4
    tool = "iptables" if want_v4 else "ip6tables"
    lines = [
        f"# Homebound camera isolation for {tool}-restore --noflush (IPv{version}).",
        f"# Load with  {tool}-restore --noflush < homebound{version}.rules",
        "# The jump from FORWARD is inserted by the line below; before loading again, run",
        f"#   {tool} -D FORWARD -j {CHAIN}",
        "*filter",
        f":{CHAIN} - [0:0]",
    ]
    lines += [f":{_chain(n)} - [0:0]" for n, _ in enumerate(policy.cameras, start=1)]
    for net in policy.allowed_networks():
        if isinstance(net, IPv4Network) == want_v4:
            lines.append(f"-A {CHAIN} -d {plain_network(net)} -j RETURN")
    for addr, proto, port in policy.allowed_services():
        if isinstance(addr, IPv4Address) == want_v4:
            lines.append(
                f"-A {CHAIN} -d {plain_address(addr)} -p {proto} --dport {int(port)} -j RETURN"
            )
    for number, cam in enumerate(policy.cameras, start=1):
        target = _chain(number)
        if cam.mac:
            lines.append(f"-A {CHAIN} -m mac --mac-source {cam.mac} -j {target}")
        for addr in cam.ipv4 if want_v4 else cam.ipv6:
            lines.append(f"-A {CHAIN} -s {plain_address(addr)} -j {target}")
        lines.append(f"-A {target} -j DROP")
    lines += [f"-I FORWARD 1 -j {CHAIN}", "COMMIT"]
    redirect = policy.ntp_redirect
    if redirect is not None and isinstance(redirect, IPv4Address) == want_v4:
        lines += ["*nat", f":{NAT_CHAIN} - [0:0]"]
        target = plain_address(redirect)
        tail = f"-p udp --dport 123 ! -d {target} -j DNAT --to-destination {target}"
        for cam in policy.cameras:
            if cam.mac:
                lines.append(f"-A {NAT_CHAIN} -m mac --mac-source {cam.mac} {tail}")
            for addr in cam.ipv4 if want_v4 else cam.ipv6:
                lines.append(f"-A {NAT_CHAIN} -s {plain_address(addr)} {tail}")
        lines += [f"-I PREROUTING 1 -j {NAT_CHAIN}", "COMMIT"]
    return "\n".join(lines) + "\n"
