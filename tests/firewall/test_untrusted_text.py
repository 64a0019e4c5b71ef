"""What a camera says reaches no rule, file or log line unescaped (issue 14, point 1).

Python's ``ipaddress`` accepts an IPv6 scope id of any characters, newlines included, and gives
it back from ``str()``. A camera reporting such an address in GetNetworkInterfaces used to get
it through ``camera_addresses`` and ``CameraIdentity.parse`` into the nft script (which nft then
refused as a whole: no camera's isolation could change any more) and into the ip6tables export
(lines of the camera's choosing in the file the user is told to load).
"""

from __future__ import annotations

from ipaddress import IPv6Address, ip_address, ip_network

import pytest

from custom_components.homebound.firewall import (
    CameraIdentity,
    PolicyError,
    build_policy,
    camera_addresses,
    export_iptables,
    export_nftables,
)
from custom_components.homebound.firewall.nft_render import render_apply
from custom_components.homebound.firewall.safe import (
    parse_address,
    plain_address,
    plain_network,
    shown,
)

HA = "198.18.0.10"
MAC = "02:00:00:00:00:01"
RULE_TEXT = "\nadd rule inet homebound forward accept\n-I FORWARD 1 -j ACCEPT\n"
SCOPED = f"2001:db8:1::5%eth0{RULE_TEXT}"


def _lines_are_ours(text: str) -> None:
    for line in text.splitlines():
        assert not line.startswith("-I FORWARD 1 -j ACCEPT")
        assert "forward accept" not in line
    assert "%" not in text.replace("%s", "")


def test_a_scoped_report_never_reaches_the_rules() -> None:
    assert IPv6Address(SCOPED).scope_id  # the library really accepts it
    reported = camera_addresses(["198.18.1.5", SCOPED, "2001:db8:1::6"])
    assert reported == ("198.18.1.5", "2001:db8:1::6")
    camera = CameraIdentity.parse(MAC, reported, "Porch")
    policy = build_policy(cameras=[camera], ha_hosts=[HA, "2001:db8::10"])
    _lines_are_ours(render_apply(policy).script)
    _lines_are_ours(export_nftables(policy))
    _lines_are_ours(export_iptables(policy, 6))
    _lines_are_ours(export_iptables(policy, 4))


def test_scoped_addresses_are_refused_wherever_they_are_given() -> None:
    with pytest.raises(PolicyError):
        CameraIdentity.parse(MAC, [SCOPED])
    scoped = IPv6Address(SCOPED)
    with pytest.raises(PolicyError, match="scope"):
        build_policy(cameras=[CameraIdentity(MAC, ipv6=(scoped,))], ha_hosts=[HA])
    for field in ("ha_hosts", "gateways", "ntp_servers", "dns_servers"):
        args: dict[str, object] = {"cameras": [], "ha_hosts": [HA], field: [SCOPED]}
        with pytest.raises(PolicyError, match="scope"):
            build_policy(**args)  # type: ignore[arg-type]
    with pytest.raises(PolicyError, match="scope"):
        build_policy(cameras=[], ha_hosts=[HA], lan_ranges=["fd00::%x\ny/64"])
    with pytest.raises(PolicyError, match="scope"):
        build_policy(cameras=[], ha_hosts=[HA], ntp_redirect=SCOPED)


def test_a_scoped_variant_of_a_protected_address_is_not_a_way_around_it() -> None:
    # A scoped address compares unequal to the same address unscoped: it must not slip past
    # the protected set (the HA host) or the "claimed twice" check.
    scoped_ha = IPv6Address("2001:db8::10%1")
    assert scoped_ha != IPv6Address("2001:db8::10")
    with pytest.raises(PolicyError):
        build_policy(
            cameras=[CameraIdentity(MAC, ipv6=(scoped_ha,))], ha_hosts=[HA, "2001:db8::10"]
        )


def test_export_chain_names_do_not_carry_the_mac() -> None:
    macs = ["a4:14:37:bc:de:f0", "02:00:00:00:00:02"]
    policy = build_policy(cameras=[CameraIdentity(m) for m in macs], ha_hosts=[HA])
    for version in (4, 6):
        text = export_iptables(policy, version)
        chains = [line[1:].split()[0] for line in text.splitlines() if line.startswith(":")]
        assert len(chains) == 3
        for chain in chains:
            for mac in macs:
                assert mac.replace(":", "") not in chain.lower()


def test_plain_text_helpers() -> None:
    assert parse_address("2001:db8::1%eth0") is None
    assert parse_address(" 198.18.1.5 ") == ip_address("198.18.1.5")
    assert parse_address(IPv6Address("fe80::1%2")) is None
    assert parse_address("nonsense") is None
    assert plain_address(IPv6Address("2001:db8::1%x")) == "2001:db8::1"
    assert plain_address(ip_address("198.18.1.5")) == "198.18.1.5"

    assert plain_network(ip_network("fd00::%z/64")) == "fd00::/64"
    hostile = shown("a\nb\x1b[31m\u202e" + "x" * 200)
    assert hostile.isprintable()
    assert len(hostile) < 100
    assert hostile.startswith("'a\\nb\\x1b[31m\\u202e")
    assert hostile.endswith("…'")
    assert shown("Porch") == "'Porch'"
