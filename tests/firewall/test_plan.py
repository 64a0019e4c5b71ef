"""Validation per camera: a bad key is left out with a typed refusal, never the whole policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address, IPv6Address

import pytest

from custom_components.homebound.firewall import (
    CameraIdentity,
    FirewallPolicy,
    PolicyError,
    Refusal,
    RefusalReason,
    export_iptables,
    plan_policy,
)
from custom_components.homebound.firewall.nft_render import counter_name, render_apply

HA = "198.18.0.10"
GW = "198.18.0.1"
DNS = "198.18.0.53"
A, B = "02:00:00:00:00:0a", "02:00:00:00:00:0b"


def v4(text: str) -> IPv4Address:
    return IPv4Address(text)


def plan(*cameras: CameraIdentity, **kwargs: object) -> FirewallPolicy:
    args: dict[str, object] = {
        "cameras": cameras,
        "ha_hosts": [HA, "2001:db8::10"],
        "gateways": [GW],
        "dns_servers": [DNS],
    }
    args.update(kwargs)
    return plan_policy(**args)  # type: ignore[arg-type]


def reasons(policy: FirewallPolicy) -> set[tuple[str, str, RefusalReason]]:
    return {(r.camera, r.key, r.reason) for r in policy.refusals}


def test_a_protected_key_is_left_out_and_the_rest_is_built() -> None:
    liar = CameraIdentity(A, ipv4=(v4(HA), v4("198.18.1.10"), v4(GW), v4(DNS)))
    honest = CameraIdentity(B, ipv4=(v4("198.18.1.11"),))
    policy = plan(liar, honest)
    assert reasons(policy) == {
        (A, HA, RefusalReason.HA_HOST),
        (A, GW, RefusalReason.GATEWAY),
        (A, DNS, RefusalReason.ALLOWED_SERVER),
    }
    assert [c.id for c in policy.cameras] == [A, B]
    assert policy.camera(A) is not None
    assert policy.camera(A).ipv4 == (v4("198.18.1.10"),)  # type: ignore[union-attr]
    script = render_apply(policy).script
    assert f"{HA} : " not in script
    assert "198.18.1.10 : " in script


def test_protected_macs_and_an_address_only_camera() -> None:
    ha_mac = "02:00:00:00:00:99"
    liar = CameraIdentity(ha_mac, ipv4=(v4("198.18.1.20"),), ipv6=(IPv6Address("2001:db8:1::20"),))
    policy = plan(liar, protected_macs={ha_mac: RefusalReason.HA_HOST})
    assert reasons(policy) == {(ha_mac, ha_mac, RefusalReason.HA_HOST)}
    (cam,) = policy.cameras
    assert cam.by_address_only
    assert cam.id == ha_mac  # the id stays what the caller knew the camera by
    script = render_apply(policy).script
    assert ha_mac not in script
    assert "add element inet homebound cams4 { 198.18.1.20 }" in script
    assert "add element inet homebound cams6 { 2001:db8:1::20 }" in script
    assert not [
        line
        for line in script.splitlines()
        if line.startswith(
            ("add element inet homebound cams ", "add element inet homebound ctr_mac ")
        )
    ]
    v4_rules = export_iptables(policy, 4)
    assert "--mac-source" not in v4_rules
    assert "-A HOMEBOUND -s 198.18.1.20 -j HB_CAM1" in v4_rules


def test_a_reused_address_is_nobodys_and_both_cameras_stay_isolated() -> None:
    # DHCP handed camera A's old address to camera B while A was away.
    shared = v4("198.18.1.30")
    first = CameraIdentity(A, ipv4=(shared,))
    second = CameraIdentity(B, ipv4=(shared, v4("198.18.1.31")))
    policy = plan(first, second)
    assert {(r.camera, r.key, r.reason, r.other) for r in policy.refusals} == {
        (A, "198.18.1.30", RefusalReason.OTHER_CAMERA, B),
        (B, "198.18.1.30", RefusalReason.OTHER_CAMERA, A),
    }
    assert [c.mac for c in policy.cameras] == [A, B]
    assert policy.camera(B).ipv4 == (v4("198.18.1.31"),)  # type: ignore[union-attr]


def test_a_bystanders_keys_are_protected_too() -> None:
    bystander = CameraIdentity(B, ipv4=(v4("198.18.1.40"),))
    policy = plan(CameraIdentity(A, ipv4=(v4("198.18.1.40"),)), bystanders=[bystander])
    assert reasons(policy) == {(A, "198.18.1.40", RefusalReason.OTHER_CAMERA)}
    mac_thief = plan(CameraIdentity(B, ident="entry-x"), bystanders=[bystander])
    assert reasons(mac_thief) == {
        ("entry-x", B, RefusalReason.OTHER_CAMERA),
        ("entry-x", "", RefusalReason.NOTHING_TO_MATCH),
    }
    assert mac_thief.cameras == ()


def test_public_and_translated_addresses_are_never_keys() -> None:
    cam = CameraIdentity(
        A,
        ipv4=(v4("8.8.8.8"),),
        ipv6=(IPv6Address("2002:808:808::1"), IPv6Address("2a00:1450::5")),
    )
    policy = plan(cam)
    assert reasons(policy) == {
        (A, "8.8.8.8", RefusalReason.NOT_ON_LAN),
        (A, "2002:808:808::1", RefusalReason.NOT_ON_LAN),
    }
    # A global IPv6 address (SLAAC from the provider's prefix) is a camera's own.
    assert policy.cameras[0].ipv6 == (IPv6Address("2a00:1450::5"),)


def test_malformed_keys_are_refused_with_their_text_escaped() -> None:
    cam = CameraIdentity("nonsense\nrule", ipv4=(v4("198.18.1.50"),), ident="entry-1")
    scoped = CameraIdentity(B, ipv6=(IPv6Address("2001:db8:1::5%x\ny"),))
    policy = plan(cam, scoped)
    refused = {(r.camera, r.reason): r for r in policy.refusals}
    assert refused["entry-1", RefusalReason.MALFORMED].key == "'nonsense\\nrule'"
    assert "\n" not in refused[B, RefusalReason.MALFORMED].key
    assert [c.id for c in policy.cameras] == ["entry-1", B]
    assert policy.cameras[0].by_address_only


def test_nothing_left_means_not_isolated_and_said_so() -> None:
    policy = plan(CameraIdentity("", ipv4=(v4(HA),), ident="entry-2"))
    assert policy.cameras == ()
    assert reasons(policy) == {
        ("entry-2", HA, RefusalReason.HA_HOST),
        ("entry-2", "", RefusalReason.NOTHING_TO_MATCH),
    }
    with pytest.raises(PolicyError, match="id"):
        plan(CameraIdentity("", ipv4=(v4("198.18.1.9"),)))


def test_the_same_camera_twice_is_kept_once() -> None:
    policy = plan(CameraIdentity(A), CameraIdentity(A.upper().replace(":", "-")))
    assert [c.mac for c in policy.cameras] == [A]
    assert reasons(policy) == {(A, f"'{A}'", RefusalReason.OTHER_CAMERA)}


def test_an_address_only_camera_has_its_own_counter_and_window() -> None:
    now = datetime.now(UTC)
    cam = CameraIdentity("", ipv4=(v4("198.18.1.60"),), ident="entry-3")
    policy = plan(
        cam,
        update_windows={"entry-3": now + timedelta(minutes=5), "gone": now},
    )
    (kept,) = policy.cameras
    assert counter_name(kept).startswith("cam_x")
    assert len(counter_name(kept)) == len("cam_") + 16
    assert policy.open_windows(now) == {"entry-3": 300}
    script = render_apply(policy, now).script
    assert "win4 { 198.18.1.60 timeout 300s }" in script
    assert "add element inet homebound win " not in script


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"gateways": ["8.8.8.8"]}, "gateway"),
        ({"ha_hosts": ["1.1.1.1"]}, "Home Assistant host"),
        ({"ha_hosts": [HA, "2a00:1450::1"]}, "Home Assistant host"),
        ({"gateways": ["2002:808:808::1"]}, "gateway"),
        ({"lan_ranges": ["2002::/16"]}, "private"),
        ({"lan_ranges": ["2001::/32"]}, "private"),
        ({"lan_ranges": ["64:ff9b::/96"]}, "private"),
        ({"lan_ranges": ["64:ff9b:1::/48"]}, "private"),
        ({"lan_ranges": ["::ffff:0:0/96"]}, "private"),
    ],
)
def test_the_allow_list_still_fails_as_a_whole(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        plan(**kwargs)


def test_public_servers_are_single_services_not_networks() -> None:
    policy = plan(ntp_servers=["162.159.200.1"], dns_servers=["9.9.9.9"])
    assert (IPv4Address("9.9.9.9"), "udp", 53) in policy.allowed_services()
    assert all(net.num_addresses < 2**24 for net in policy.allowed_networks())
    assert Refusal("x", "", RefusalReason.NOTHING_TO_MATCH).other == ""
