"""Policy invariants and the renderer's shape (no kernel needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address, IPv6Address, ip_address

import pytest

from custom_components.homebound.firewall import (
    CameraIdentity,
    MonotonicTotals,
    PolicyError,
    build_policy,
    camera_addresses,
    canonical_mac,
    export_iptables,
    export_nftables,
)
from custom_components.homebound.firewall.nft_render import count_rules, render_apply

HA = "198.18.0.10"


def cams(n: int) -> list[CameraIdentity]:
    return [
        CameraIdentity(f"02:00:00:{i >> 16:02x}:{(i >> 8) & 255:02x}:{i & 255:02x}")
        for i in range(1, n + 1)
    ]


def test_rule_count_does_not_grow_with_cameras() -> None:
    counts = {count_rules(build_policy(cameras=cams(n), ha_hosts=[HA])) for n in (0, 1, 10, 1000)}
    assert len(counts) == 1
    script = render_apply(build_policy(cameras=cams(1000), ha_hosts=[HA])).script
    assert script.count("add rule") == counts.pop()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ha_hosts": []}, "Home Assistant host"),
        ({"cameras": [CameraIdentity("02:00:00:00:00:01", ipv4=(IPv4Address(HA),))]}, "protected"),
        (
            {
                "gateways": ["198.18.0.1"],
                "cameras": [CameraIdentity("02:00:00:00:00:01", ipv4=(IPv4Address("198.18.0.1"),))],
            },
            "protected",
        ),
        (
            {"cameras": [CameraIdentity("02:00:00:00:00:01"), CameraIdentity("02-00-00-00-00-01")]},
            "twice",
        ),
        ({"cameras": [CameraIdentity("01:00:5e:00:00:01")]}, "unicast"),
        ({"cameras": [CameraIdentity("nonsense")]}, "not a MAC"),
        ({"lan_ranges": ["0.0.0.0/0"]}, "private"),
        ({"lan_ranges": ["8.8.8.0/24"]}, "private"),
        ({"lan_ranges": ["bogus"]}, "not a network"),
        ({"dns_servers": ["224.0.0.1"]}, "not a host"),
        ({"ntp_servers": ["x"]}, "not an IP"),
        ({"update_windows": {"02:00:00:00:00:09": datetime.now(UTC)}}, "not an isolated"),
        (
            {"cameras": cams(1), "update_windows": {"02:00:00:00:00:01": datetime.now()}},
            "timezone",
        ),
        ({"attempts_timeout": 1}, "minute"),
        ({"cameras": cams(4097)}, "at most"),
        (
            {
                "cameras": [
                    CameraIdentity("02:00:00:00:00:01", ipv4=(IPv4Address("198.18.1.5"),)),
                    CameraIdentity("02:00:00:00:00:02", ipv4=(IPv4Address("198.18.1.5"),)),
                ]
            },
            "claimed",
        ),
    ],
)
def test_unsafe_policies_are_refused(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"cameras": [], "ha_hosts": [HA]}
    args.update(kwargs)
    with pytest.raises(PolicyError, match=message):
        build_policy(**args)  # type: ignore[arg-type]


def test_ha_host_and_gateway_are_always_allowed() -> None:
    policy = build_policy(
        cameras=cams(2),
        ha_hosts=[HA, "2001:db8::10"],
        gateways=["198.18.0.1"],
        ntp_redirect="198.18.0.53",
    )
    allowed = {str(n) for n in policy.allowed_networks()}
    assert {"198.18.0.10/32", "2001:db8::10/128", "198.18.0.1/32"} <= allowed
    assert ip_address("198.18.0.53") in policy.ntp_servers
    assert policy.camera("02-00-00-00-00-01") is not None
    assert policy.camera("02:00:00:00:00:09") is None
    script = render_apply(policy).script
    assert "198.18.0.10" in script
    assert "dnat ip to 198.18.0.53" in script


def test_update_window_is_rendered_only_with_a_clock() -> None:
    now = datetime.now(UTC)
    policy = build_policy(
        cameras=cams(1),
        ha_hosts=[HA],
        update_windows={"02:00:00:00:00:01": now + timedelta(minutes=30)},
    )
    assert "timeout 1800s" in render_apply(policy, now).script
    assert "add element inet homebound win " not in render_apply(policy).script
    assert policy.open_windows(now + timedelta(hours=1)) == {}


def test_canonical_mac_spellings() -> None:
    assert canonical_mac("AA-BB-CC-00-00-01") == "aa:bb:cc:00:00:01"
    assert canonical_mac("aabb.cc00.0001") == "aa:bb:cc:00:00:01"
    with pytest.raises(PolicyError):
        canonical_mac("00:00:00:00:00:00")


def test_monotonic_totals_survive_counter_resets() -> None:
    totals = MonotonicTotals()
    assert [totals.update("m", raw) for raw in (0, 5, 9, 2, 4, 1)] == [0, 5, 9, 11, 13, 14]


def test_exports_name_every_camera() -> None:
    policy = build_policy(
        cameras=[
            CameraIdentity(
                "02:00:00:00:00:01",
                ipv4=(IPv4Address("198.18.1.50"),),
                ipv6=(IPv6Address("2001:db8:1::50"),),
            )
        ],
        ha_hosts=[HA, "2001:db8::10"],
        lan_ranges=["198.18.1.0/24"],
        dns_servers=["198.18.0.53"],
        ntp_redirect="198.18.0.53",
    )
    nft = export_nftables(policy)
    assert nft.startswith("# Homebound")
    assert "add counter inet homebound cam_020000000001" in nft
    v4 = export_iptables(policy, 4)
    assert "-A HOMEBOUND -m mac --mac-source 02:00:00:00:00:01 -j HB_CAM1" in v4
    assert "-A HOMEBOUND -s 198.18.1.50 -j HB_CAM1" in v4
    assert "-A HOMEBOUND -d 198.18.0.53 -p udp --dport 53 -j RETURN" in v4
    assert "*nat" in v4
    assert v4.count("COMMIT") == 2
    v6 = export_iptables(policy, 6)
    assert "-A HOMEBOUND -s 2001:db8:1::50 -j HB_CAM1" in v6
    assert "198.18" not in v6
    assert "*nat" not in v6


def test_camera_identity_from_text() -> None:
    cam = CameraIdentity.parse("AA-BB-CC-00-00-01", ["198.18.1.5", "2001:db8:1::5"], "Door")
    assert cam.mac == "aa:bb:cc:00:00:01"
    assert cam.ipv4 == (IPv4Address("198.18.1.5"),)
    assert cam.ipv6 == (IPv6Address("2001:db8:1::5"),)
    with pytest.raises(PolicyError):
        CameraIdentity.parse("aa:bb:cc:00:00:01", ["not-an-address"])


def test_camera_addresses_keep_only_what_a_router_sees() -> None:
    texts = [
        "cam.local",
        "127.0.0.1",
        "::1",
        "0.0.0.0",  # noqa: S104 - an unspecified address, dropped
        "224.0.0.1",
        "169.254.3.4",
        "fe80::1",
        " 192.168.1.50 ",
        "2001:db8::50",
        "192.168.1.50",
    ]
    assert camera_addresses(texts) == ("192.168.1.50", "2001:db8::50")
