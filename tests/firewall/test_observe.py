"""What the network observed: parsers of hostile router output, and observe() in the lab."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
import json
from pathlib import Path
import time

from hypothesis import given, settings, strategies as st

from custom_components.homebound.firewall import LocalBackend, NftablesDriver, Source
from custom_components.homebound.firewall.observe import (
    Observation,
    mac_from_duid,
    parse_dnsmasq_leases,
    parse_neighbours,
    parse_odhcpd_leases,
    parse_own,
)
from custom_components.homebound.firewall.runner import SubprocessRunner

from .lab import CAMERA4, CAMERA6, CAMERA_MAC, HA4, ROUTER_HA4, Lab
from .test_parsers import JSON

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
LATER = int((NOW + timedelta(hours=6)).timestamp())
EARLIER = int((NOW - timedelta(hours=6)).timestamp())

NEIGH = [
    {"dst": "198.18.1.50", "dev": "lan", "lladdr": "02:48:42:00:00:50", "state": ["REACHABLE"]},
    {"dst": "2001:db8:1::50", "dev": "lan", "lladdr": "02:48:42:00:00:50", "state": ["STALE"]},
    {"dst": "fe80::48:42ff:fe00:50", "dev": "lan", "lladdr": "02:48:42:00:00:50", "router": None},
    {"dst": "198.18.1.51", "dev": "lan", "state": ["FAILED"]},
    {"dst": "198.18.1.52", "dev": "lan", "lladdr": "02:00:00:00:00:52", "state": ["INCOMPLETE"]},
    {"dst": "198.18.1.53%x\n", "dev": "lan", "lladdr": "02:00:00:00:00:53"},
    {"dst": "2001:db8:1::54%lan", "dev": "lan", "lladdr": "02:00:00:00:00:54"},
    {"dst": "198.18.1.55", "dev": "lan", "lladdr": "ff:ff:ff:ff:ff:ff"},
    {"dst": "224.0.0.1", "dev": "lan", "lladdr": "01:00:5e:00:00:01"},
    {"dst": 7, "lladdr": ["x"]},
    "junk",
]


def test_neighbour_table_real_shape() -> None:
    found = parse_neighbours(json.dumps(NEIGH), Source.NEIGHBOUR, NOW)
    assert [(o.mac, str(o.address)) for o in found] == [
        (CAMERA_MAC, "198.18.1.50"),
        (CAMERA_MAC, "2001:db8:1::50"),
        (CAMERA_MAC, "fe80::48:42ff:fe00:50"),
    ]
    assert {o.source for o in found} == {Source.NEIGHBOUR}
    assert all(o.seen == NOW for o in found)
    assert parse_neighbours("[" * 50_000, Source.NEIGHBOUR, NOW) == []
    assert parse_neighbours(" " * (9 * 1024 * 1024), Source.NEIGHBOUR, NOW) == []


def test_own_addresses_real_shape() -> None:
    text = json.dumps(
        [
            {"ifname": "lo", "link_type": "loopback", "address": "00:00:00:00:00:00",
             "addr_info": [{"family": "inet", "local": "127.0.0.1"}]},
            {"ifname": "lan", "link_type": "ether", "address": "02:aa:00:00:00:01",
             "addr_info": [{"family": "inet", "local": "198.18.1.1", "prefixlen": 24},
                           {"family": "inet6", "local": "fe80::1%lan"},
                           {"family": "inet6", "local": "2001:db8:1::1"}]},
            {"ifname": "wg0", "link_type": "none", "addr_info": "junk"},
        ]
    )  # fmt: skip
    macs, addresses = parse_own(text)
    assert macs == {"02:aa:00:00:00:01"}
    assert addresses == {ip_address("198.18.1.1"), ip_address("2001:db8:1::1")}


def test_dnsmasq_leases() -> None:
    text = "\n".join(
        [
            f"{LATER} 02:48:42:00:00:50 198.18.1.50 cam 01:02:48:42:00:00:50",
            f"{EARLIER} 02:00:00:00:00:99 198.18.1.99 gone *",
            "0 02:00:00:00:00:77 198.18.1.77 forever *",
            "duid 00:01:00:01:2c:00:00:01:02:aa:00:00:00:01",
            f"{LATER} 1234 2001:db8:1::50 cam 00:03:00:01:02:48:42:00:00:50",
            f"{LATER} 1234 2001:db8:1::60 other 00:02:00:00:ab:11:01:02:03:04",
            f"{LATER} 02:00:00:00:00:66 198.18.1.66 name with spaces *",
            f"{LATER} 02:00:00:00:00:67 198.18.1.67%x cam *",
            "garbage",
        ]
    )
    found = [(o.mac, str(o.address), o.source) for o in parse_dnsmasq_leases(text, NOW)]
    assert found == [
        (CAMERA_MAC, "198.18.1.50", Source.DHCP_LEASE),
        ("02:00:00:00:00:77", "198.18.1.77", Source.DHCP_LEASE),
        (CAMERA_MAC, "2001:db8:1::50", Source.DHCPV6_LEASE),
    ]


def test_odhcpd_leases() -> None:
    text = "\n".join(
        [
            f"# lan 00030001024842000050 50 cam {LATER} 50 128 2001:db8:1::50/128 fd00::50/128",
            "2001:db8:1::50\tcam",
            f"# lan 0001000100000001024842000051 51 cam2 {LATER} 51 64 2001:db8:1::51/64",
            f"# lan 024842000050 ipv4 cam {LATER} c6120132 32 198.18.1.50/32",
            # A hostname odhcpd found broken is written raw: its spaces shift every field.
            f"# lan 000300010200000000aa 1 broken\\x20x {LATER} 0 128 198.18.0.10/32 0 128 "
            "198.18.0.10/32",
            f"# lan 000300010200000000bb 1 old {EARLIER} 1 128 2001:db8:1::bb/128",
            "# lan 000300010200000000cc 1 cc -1 1 128 2001:db8:1::cc/128",
        ]
    )
    found = [(o.mac, str(o.address), o.source) for o in parse_odhcpd_leases(text, NOW)]
    assert found == [
        ("02:48:42:00:00:50", "2001:db8:1::50", Source.DHCPV6_LEASE),
        ("02:48:42:00:00:50", "fd00::50", Source.DHCPV6_LEASE),
        ("02:48:42:00:00:51", "2001:db8:1::51", Source.DHCPV6_LEASE),
        ("02:48:42:00:00:50", "198.18.1.50", Source.DHCP_LEASE),
        ("02:00:00:00:00:cc", "2001:db8:1::cc", Source.DHCPV6_LEASE),
    ]


def test_duids() -> None:
    assert mac_from_duid("00:03:00:01:02:48:42:00:00:50") == CAMERA_MAC
    assert mac_from_duid("0001000100000001024842000050") == CAMERA_MAC
    assert mac_from_duid("000300060248420000500000") is None  # not Ethernet
    assert mac_from_duid("0002000000ab11") is None  # DUID-EN: no MAC
    assert mac_from_duid("zz") is None
    assert mac_from_duid("0" * 1000) is None


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=300), JSON.map(json.dumps)))
def test_parsers_never_raise_and_give_only_clean_keys(text: str) -> None:
    found = [
        *parse_neighbours(text, Source.NEIGHBOUR, NOW),
        *parse_dnsmasq_leases(text, NOW),
        *parse_odhcpd_leases(text, NOW),
    ]
    parse_own(text)
    for obs in found:
        assert isinstance(obs, Observation)
        assert len(obs.mac) == 17
        assert "%" not in str(obs.address)


LEASE_LINE = st.builds(
    lambda e, m, a, h, c: f"{e} {m} {a} {h} {c}",
    st.sampled_from([str(LATER), "0", str(EARLIER), "x"]),
    st.sampled_from([CAMERA_MAC, "02:00:00:00:00:01", "ZZ", "1234"]),
    st.sampled_from(["198.18.1.5", "2001:db8::5%\n-I", "2001:db8::5", "x"]),
    st.text(max_size=8),
    st.text(max_size=30),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(LEASE_LINE, max_size=8).map("\n".join))
def test_lease_lines_with_hostile_names(text: str) -> None:
    for obs in [*parse_dnsmasq_leases(text, NOW), *parse_odhcpd_leases("# " + text, NOW)]:
        assert "%" not in str(obs.address)


async def test_lease_scripts_read_the_file_uci_names(tmp_path: Path) -> None:
    leases = tmp_path / "leases"
    leases.write_text(f"{LATER} {CAMERA_MAC} 198.18.1.50 cam *\n")
    odhcpd = tmp_path / "odhcpd"
    odhcpd.write_text(f"# lan 00030001024842000050 50 cam {LATER} 50 128 2001:db8:1::50/128\n")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "uci").write_text(
        f'#!/bin/sh\ncase "$3" in *dnsmasq*) echo {leases} ;; *odhcpd*) echo {odhcpd} ;; esac\n'
    )
    (fake / "uci").chmod(0o755)
    (fake / "ip").write_text("#!/bin/sh\necho '[]'\n")
    (fake / "ip").chmod(0o755)
    runner = SubprocessRunner(env={"PATH": f"{fake}:/usr/bin:/bin"})
    view = await NftablesDriver(runner, clock=lambda: NOW).observe()
    assert {(o.mac, str(o.address), o.source) for o in view.observations} == {
        (CAMERA_MAC, "198.18.1.50", Source.DHCP_LEASE),
        (CAMERA_MAC, "2001:db8:1::50", Source.DHCPV6_LEASE),
    }
    assert view.where == "router"
    assert view.read_at == NOW


async def test_observe_in_the_lab(lab: Lab) -> None:
    # The camera talks to the router (as a camera phoning home does): the router learns it.
    start = time.monotonic()
    lab.probe([("icmp", "198.18.1.1", 0), ("icmp", "2001:db8:1::1", 0)])
    view = await NftablesDriver(lab.runner("rtr")).observe()
    seen = {(o.mac, str(o.address)) for o in view.observations if o.mac == CAMERA_MAC}
    assert {(CAMERA_MAC, CAMERA4), (CAMERA_MAC, CAMERA6)} <= seen
    assert {o.source for o in view.observations} == {Source.NEIGHBOUR}
    assert ip_address(ROUTER_HA4) in view.own_addresses
    assert view.own_macs
    assert CAMERA_MAC not in view.own_macs
    # The Home Assistant host's own view (the local backend): its table, its own keys.
    local = await LocalBackend(lab.runner("ha")).observe()
    assert local.where == "ha_host"
    assert ip_address(HA4) in local.own_addresses
    assert all(o.source is Source.HOST_NEIGHBOUR for o in local.observations)
    assert time.monotonic() - start < 60
