"""The allow-list form's checks and defaults: nothing it accepts opens the internet."""

from __future__ import annotations

from ipaddress import ip_interface

import pytest

from custom_components.homebound.firewall import (
    AdapterInfo,
    AllowListError,
    check_allow_list,
    form_errors,
    plan_policy,
    suggest_allow_list,
)

LAN = AdapterInfo("eth0", (ip_interface("192.168.1.10/24"), ip_interface("fd00:1::10/64")))
SITE = AdapterInfo("eth1", (ip_interface("2a02:1:2:3::10/64"),))
CAMERA = "192.168.1.50"


def codes(**values: object) -> dict[str, str]:
    base: dict[str, object] = {"ha_hosts": ["192.168.1.10"]}
    base.update(values)
    problems = check_allow_list(base, adapters=[LAN, SITE], camera_addresses=[CAMERA])  # type: ignore[arg-type]
    return form_errors(problems)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("lan_ranges", "2002::/16", AllowListError.LAN_RANGE_TRANSLATION),
        ("lan_ranges", "2001::/32", AllowListError.LAN_RANGE_TRANSLATION),
        ("lan_ranges", "64:ff9b::/96", AllowListError.LAN_RANGE_TRANSLATION),
        ("lan_ranges", "64:ff9b:1::/48", AllowListError.LAN_RANGE_TRANSLATION),
        ("lan_ranges", "::ffff:0:0/96", AllowListError.LAN_RANGE_TRANSLATION),
        ("lan_ranges", "2001:db8::/32", AllowListError.LAN_RANGE_DOCUMENTATION),
        ("lan_ranges", "8.8.8.0/24", AllowListError.LAN_RANGE_PUBLIC),
        ("lan_ranges", "198.18.0.0/15", AllowListError.LAN_RANGE_PUBLIC),
        ("lan_ranges", "100.64.0.0/10", AllowListError.LAN_RANGE_PUBLIC),
        ("lan_ranges", "0.0.0.0/0", AllowListError.LAN_RANGE_PUBLIC),
        ("lan_ranges", "::/0", AllowListError.LAN_RANGE_TRANSLATION),
        ("lan_ranges", "2a02:1:2::/47", AllowListError.LAN_RANGE_PUBLIC),
        ("lan_ranges", "10.0.0.0/7", AllowListError.LAN_RANGE_PUBLIC),
        ("lan_ranges", "fd00::%eth0/64", AllowListError.SCOPED_ADDRESS),
        ("lan_ranges", "lan", AllowListError.NOT_A_NETWORK),
        ("gateways", "8.8.8.8", AllowListError.GATEWAY_NOT_ON_LAN),
        ("gateways", "2002:808:808::1", AllowListError.GATEWAY_NOT_ON_LAN),
        ("gateways", "2001:db8::1", AllowListError.GATEWAY_NOT_ON_LAN),
        ("gateways", CAMERA, AllowListError.GATEWAY_IS_CAMERA),
        ("gateways", "224.0.0.1", AllowListError.NOT_A_HOST),
        ("ha_hosts", "1.1.1.1", AllowListError.HA_HOST_NOT_ON_LAN),
        ("ha_hosts", CAMERA, AllowListError.HA_HOST_IS_CAMERA),
        ("ha_hosts", "fe80::1%eth0", AllowListError.SCOPED_ADDRESS),
        ("ha_hosts", "homeassistant.local", AllowListError.NOT_AN_ADDRESS),
        ("ntp_servers", "64:ff9b::808:808", AllowListError.SERVER_NOT_USABLE),
        ("dns_servers", "240.0.0.1", AllowListError.SERVER_NOT_USABLE),
        ("dns_servers", "127.0.0.1", AllowListError.NOT_A_HOST),
        ("ntp_redirect", "2001:db8::123", AllowListError.SERVER_NOT_USABLE),
    ],
)
def test_each_refusal_has_its_code(field: str, value: str, code: AllowListError) -> None:
    values: object = value if field == "ntp_redirect" else [value]
    assert codes(**{field: values}) == {field: code.value}


def test_what_a_home_network_needs_is_accepted() -> None:
    accepted = {
        "ha_hosts": ["192.168.1.10", "fd00:1::10", "2a02:1:2:3::10"],
        "gateways": ["192.168.1.1", "fe80::1"],
        "lan_ranges": ["192.168.1.0/24", "10.0.0.0/8", "fd00::/8", "fe80::/10", "2a02:1:2:3::/64"],
        "ntp_servers": ["192.168.1.1", "162.159.200.1"],
        "dns_servers": ["9.9.9.9", "2620:fe::fe"],
        "ntp_redirect": "192.168.1.1",
    }
    assert codes(**accepted) == {}
    # The policy agrees with the form on everything the form accepts.
    policy = plan_policy(cameras=(), **accepted)  # type: ignore[arg-type]
    assert len(policy.lan_ranges) == 5


def test_no_ha_host_and_lab_ranges_through_the_adapters() -> None:
    assert codes(ha_hosts=[]) == {"ha_hosts": AllowListError.HA_HOST_MISSING.value}
    lab = AdapterInfo("eth0", (ip_interface("198.18.0.10/24"), ip_interface("2001:db8::10/64")))
    problems = check_allow_list(
        {"ha_hosts": ["198.18.0.10"], "lan_ranges": ["198.18.0.0/24", "2001:db8::/64"]},
        adapters=[lab],
    )
    assert problems == []
    problem = check_allow_list({"ha_hosts": ["x\n-I FORWARD"]})[0]
    assert problem.value == "'x\\n-I FORWARD'"


def test_adapters_are_read_from_home_assistants_shape() -> None:
    adapter = AdapterInfo.from_mapping(
        {
            "name": "eth0",
            "enabled": True,
            "default": True,
            "ipv4": [{"address": "192.168.1.10", "network_prefix": 24}, {"address": "junk"}],
            "ipv6": [
                {"address": "fe80::1%eth0", "network_prefix": 64, "scope_id": 2},
                {"address": "fd00::10", "network_prefix": 64, "scope_id": 0},
                {"address": "fd00::11", "network_prefix": True},
            ],
        }
    )
    assert adapter.default
    assert [str(i) for i in adapter.interfaces] == ["192.168.1.10/24", "fd00::10/64"]
    assert AdapterInfo.from_mapping({"ipv4": "nonsense"}).interfaces == ()


def test_defaults_come_from_the_adapter_facing_the_cameras() -> None:
    wan = AdapterInfo(
        "wan", (ip_interface("203.0.113.7/24"), ip_interface("10.99.0.2/24")), default=True
    )
    cams = AdapterInfo("cams", (ip_interface("192.168.50.1/24"), ip_interface("fe80::1/64")))
    other = AdapterInfo("iot", (ip_interface("192.168.60.1/24"),))
    defaults = suggest_allow_list(
        [wan, cams, other],
        ["192.168.50.23"],
        router="192.168.50.254",
        router_wan=["10.99.0.2"],
    )
    assert defaults.facing == ("cams",)
    assert defaults.ha_hosts == ("192.168.50.1",)
    # Link-local is never forwarded: no range for it.
    assert defaults.lan_ranges == ("192.168.50.0/24",)
    assert defaults.gateways == defaults.dns_servers == defaults.ntp_servers == ("192.168.50.254",)
    # Home Assistant is the router and no camera is known yet: never the WAN side.
    local = suggest_allow_list([wan, cams], ha_is_router=True, router_wan=["10.99.0.2"])
    assert local.facing == ("cams",)
    assert "10.99.0.2" not in local.ha_hosts
    assert "203.0.113.7" not in local.ha_hosts
    assert local.gateways == ()
    # A router address on the WAN side is never suggested as a gateway.
    assert suggest_allow_list([cams], router="10.99.0.2", router_wan=["10.99.0.2"]).gateways == ()
    site = suggest_allow_list([SITE, LAN], ["2a02:1:2:3::99"])
    assert site.facing == ("eth1",)
    assert site.ha_hosts == ()
    assert site.lan_ranges == ("2a02:1:2:3::/64",)
    defaults_values = {"ha_hosts": list(defaults.ha_hosts), "lan_ranges": list(defaults.lan_ranges)}
    assert check_allow_list(defaults_values, adapters=[wan, cams, other]) == []
