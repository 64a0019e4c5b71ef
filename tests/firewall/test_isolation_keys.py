"""In the kernel: a camera matched by address only, and keys a camera may not claim.

The namespace lab of issue 14: a camera claiming the LAN DNS server's address used to stop that
server reaching the internet. Now the claim is refused and the server keeps its way out, while
the camera (matched by its own addresses only: no MAC) stays isolated over IPv4 and IPv6.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address
import sys

from custom_components.homebound.firewall import CameraIdentity, RefusalReason, plan_policy
from custom_components.homebound.firewall.nft_driver import NftablesDriver

from .lab import CAMERA4, CAMERA6, CLOUD4, CLOUD6, HA4, HA6, LOCAL_SERVER, ROUTER_HA4, Lab

CONNECT_FROM = """
import socket, sys
source, address, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
family = socket.AF_INET6 if ":" in address else socket.AF_INET
with socket.socket(family, socket.SOCK_STREAM) as sock:
    sock.settimeout(0.6)
    sock.bind((source, 0))
    try:
        sock.connect((address, port))
    except OSError:
        print("closed")
    else:
        print("open")
"""


def reaches(lab: Lab, host: str, source: str, address: str, port: int) -> bool:
    """Whether a TCP connection from ``source`` (inside ``host``) to ``address:port`` opens."""
    out = lab.exec(host, sys.executable, "-c", CONNECT_FROM, source, address, str(port))
    return out.stdout.strip() == "open"


def settings() -> dict[str, object]:
    return {
        "ha_hosts": [HA4, HA6],
        "gateways": [ROUTER_HA4, "198.18.1.1", "2001:db8:1::1"],
        "lan_ranges": ["198.18.1.0/24"],
        "ntp_servers": [LOCAL_SERVER],
        "dns_servers": [LOCAL_SERVER],
    }


async def test_claimed_server_and_ha_addresses_stay_open(lab: Lab) -> None:
    lab.start_echo("inet", "443/tcp")
    liar = CameraIdentity(
        "",
        ipv4=(IPv4Address(CAMERA4), IPv4Address(LOCAL_SERVER), IPv4Address(HA4)),
        ipv6=(IPv6Address(CAMERA6), IPv6Address(HA6)),
        ident="entry-liar",
    )
    policy = plan_policy(cameras=[liar], **settings())  # type: ignore[arg-type]
    assert {(r.key, r.reason) for r in policy.refusals} == {
        (LOCAL_SERVER, RefusalReason.ALLOWED_SERVER),
        (HA4, RefusalReason.HA_HOST),
        (HA6, RefusalReason.HA_HOST),
    }
    driver = NftablesDriver(lab.runner())
    result = await driver.apply(policy)
    assert result.newly_isolated == ("entry-liar",)

    # Nobody else lost anything: the DNS server and the HA host still reach the internet...
    assert reaches(lab, "ha", LOCAL_SERVER, CLOUD4, 443)
    assert reaches(lab, "ha", HA4, CLOUD4, 443)
    assert reaches(lab, "ha", HA6, CLOUD6, 443)
    # ...and the camera, matched by its own addresses only (no MAC), is isolated on both.
    assert lab.probe([("tcp", CLOUD4, 443), ("tcp", CLOUD6, 443)]) == [False, False]

    reading = (await driver.read(policy)).cameras["entry-liar"]
    assert reading.blocked_packets == 2
    assert (await driver.verify(policy)).in_force
    again = await driver.apply(policy)
    assert again.newly_isolated == ()
