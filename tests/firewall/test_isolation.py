"""The isolation itself, in the kernel: what the camera can and cannot reach, and the counts."""

from __future__ import annotations

from custom_components.homebound.firewall.nft_driver import NftablesDriver
from custom_components.homebound.firewall.policy import CameraIdentity, FirewallPolicy, build_policy

from .lab import (
    CAMERA_MAC,
    CLOUD4,
    CLOUD6,
    HA4,
    HA6,
    LOCAL_SERVER,
    PUBLIC_DNS,
    ROUTER_HA4,
    Lab,
)

CLOUD_TRIES = [
    ("tcp", CLOUD4, 443),
    ("udp", CLOUD4, 8800),
    ("icmp", CLOUD4, 0),
    ("udp", PUBLIC_DNS, 53),
    ("tcp", PUBLIC_DNS, 53),
    ("tcp", PUBLIC_DNS, 853),
    ("tcp", CLOUD6, 443),
    ("udp", CLOUD6, 8800),
    ("icmp", CLOUD6, 0),
]
LOCAL_TRIES = [
    ("tcp", HA4, 8123),
    ("tcp", HA6, 8123),
    ("icmp", HA4, 0),
    ("udp", LOCAL_SERVER, 123),
    ("udp", LOCAL_SERVER, 53),
]


def lab_policy(**overrides: object) -> FirewallPolicy:
    """The policy of the lab's camera: HA host, router, local NTP/DNS server."""
    args: dict[str, object] = {
        "cameras": [CameraIdentity(CAMERA_MAC, name="Garden")],
        "ha_hosts": [HA4, HA6],
        "gateways": [ROUTER_HA4, "198.18.1.1", "2001:db8:1::1"],
        "lan_ranges": ["198.18.1.0/24"],
        "ntp_servers": [LOCAL_SERVER],
        "dns_servers": [LOCAL_SERVER],
    }
    args.update(overrides)
    return build_policy(**args)  # type: ignore[arg-type]


def start_servers(lab: Lab) -> None:
    lab.start_echo("inet", "443/tcp", "8800/udp", "53/udp", "53/tcp", "853/tcp", "123/udp")
    lab.start_echo("ha", "8123/tcp", "123/udp", "53/udp", "80/tcp")


async def test_isolation_blocks_cloud_keeps_local_and_counts_exactly(lab: Lab) -> None:
    start_servers(lab)
    assert lab.probe(CLOUD_TRIES) == [True] * len(CLOUD_TRIES)
    assert lab.probe(LOCAL_TRIES) == [True] * len(LOCAL_TRIES)

    driver = NftablesDriver(lab.runner())
    policy = lab_policy()
    result = await driver.apply(policy)
    assert result.newly_isolated == (CAMERA_MAC,)

    assert lab.probe(CLOUD_TRIES) == [False] * len(CLOUD_TRIES)
    assert lab.probe(LOCAL_TRIES) == [True] * len(LOCAL_TRIES)
    # The local server is allowed for NTP and DNS only, not for anything else.
    assert lab.probe([("tcp", LOCAL_SERVER, 80)]) == [False]

    reading = (await driver.read(policy)).cameras[CAMERA_MAC]
    assert reading.blocked_packets == len(CLOUD_TRIES) + 1
    tried = {(str(a.destination.address), a.destination.protocol, a.destination.port)
             for a in reading.recent}  # fmt: skip
    assert reading.destinations_24h == len(CLOUD_TRIES) + 1
    assert len(reading.recent) == 10
    expected = {(addr, kind if kind != "icmp" or ":" not in addr else "icmpv6",
                 None if kind == "icmp" else port) for kind, addr, port in CLOUD_TRIES}  # fmt: skip
    expected.add((LOCAL_SERVER, "tcp", 80))
    assert tried == expected
    assert (await driver.verify(policy)).in_force
