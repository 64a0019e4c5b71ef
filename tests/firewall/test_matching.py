"""Match keys from the network: what a camera claims is a hint, what the network shows decides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
import json
import sys

from custom_components.homebound.firewall import (
    CameraClaim,
    NetworkView,
    Observation,
    RefusalReason,
    Sightings,
    Source,
    plan_isolation,
)
from custom_components.homebound.firewall.nft_driver import NftablesDriver
from custom_components.homebound.firewall.nft_render import render_apply

from .lab import (
    CAMERA4,
    CAMERA6,
    CAMERA_MAC,
    CLOUD4,
    CLOUD6,
    HA4,
    HA6,
    HERE,
    LOCAL_SERVER,
    ROUTER_HA4,
    Lab,
)

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
CAM, HONEST, HA_MAC, RTR = (
    "02:00:00:00:00:50",
    "02:00:00:00:00:51",
    "02:00:00:00:00:10",
    "02:00:00:00:00:01",
)
SETTINGS = {
    "ha_hosts": ["198.18.1.10"],
    "gateways": ["198.18.1.1"],
    "lan_ranges": ["198.18.1.0/24"],
    "dns_servers": ["198.18.1.53"],
}


def seen(*pairs: tuple[str, str], source: Source = Source.NEIGHBOUR) -> Sightings:
    memory = Sightings()
    found = [Observation.make(mac, addr, source, NOW) for mac, addr in pairs]
    memory.record([o for o in found if o is not None])
    return memory


NETWORK = (
    (CAM, "198.18.1.50"),
    (CAM, "2001:db8:1::50"),
    (CAM, "fe80::50"),
    (HONEST, "198.18.1.51"),
    (HA_MAC, "198.18.1.10"),
    (RTR, "198.18.1.1"),
    ("02:00:00:00:00:53", "198.18.1.53"),
)


def refused(plan, camera: str) -> set[tuple[str, RefusalReason]]:  # type: ignore[no-untyped-def]
    return {(r.key, r.reason) for r in plan.cameras[camera].refusals}


def test_a_lying_camera_gets_only_what_the_network_ties_to_it() -> None:
    liar = CameraClaim(
        "entry-liar",
        contact=("198.18.1.50",),
        macs=(HA_MAC, "not-a-mac\n"),
        reported=("198.18.1.10", "198.18.1.51", "2001:db8:1::5%x\n-I FORWARD 1 -j ACCEPT",
                  "198.18.1.77", "198.18.1.50"),
        name="Porch\x1b[31m\n",
    )  # fmt: skip
    honest = CameraClaim("entry-honest", isolate=False, contact=("198.18.1.51",), macs=(HONEST,))
    plan = plan_isolation([liar, honest], seen(*NETWORK), SETTINGS)
    match = plan.cameras["entry-liar"]
    assert match.mac == CAM
    assert match.isolated
    assert not match.by_address_only
    assert [str(a) for a in match.addresses] == ["198.18.1.50", "2001:db8:1::50"]
    assert refused(plan, "entry-liar") == {
        (HA_MAC, RefusalReason.MAC_MISMATCH),
        ("'not-a-mac\\n'", RefusalReason.MALFORMED),
        ("198.18.1.10", RefusalReason.SEEN_ON_OTHER_MAC),
        ("198.18.1.51", RefusalReason.SEEN_ON_OTHER_MAC),
        ("'2001:db8:1::5%x\\n-I FORWARD 1 -j ACCEPT'", RefusalReason.MALFORMED),
        ("198.18.1.77", RefusalReason.UNCONFIRMED),
    }
    assert not plan.cameras["entry-honest"].isolated
    assert plan.cameras["entry-honest"].refusals == ()
    (cam,) = plan.policy.cameras
    assert cam.name == "Porch [31m"
    script = render_apply(plan.policy).script
    for other in ("198.18.1.10", "198.18.1.51", HA_MAC, HONEST):
        assert f"{other} : " not in script


def test_a_camera_on_the_ha_hosts_mac_is_matched_by_address_only() -> None:
    # The network itself shows the HA host's MAC at the camera's address (a camera behind the
    # HA host, or one that answers ARP for it): that MAC is protected, the address stays.
    network = seen((HA_MAC, "198.18.1.10"), (HA_MAC, "198.18.1.60"))
    claim = CameraClaim("entry-1", contact=("198.18.1.60",))
    plan = plan_isolation([claim], network, SETTINGS)
    match = plan.cameras["entry-1"]
    assert match.by_address_only
    assert [str(a) for a in match.addresses] == ["198.18.1.60"]
    assert refused(plan, "entry-1") == {(HA_MAC, RefusalReason.HA_HOST)}


def test_a_protected_macs_other_addresses_are_never_a_cameras() -> None:
    # Found by the property test: a camera whose contact addresses include the HA host's was
    # given every address the network ties to the HA host's MAC - blocking the HA host there.
    network = seen((HA_MAC, "198.18.1.10"), (HA_MAC, "198.18.1.11"))
    claim = CameraClaim(
        "entry-1", contact=("198.18.1.10", "198.18.1.60"), reported=("198.18.1.11",)
    )
    plan = plan_isolation([claim], network, SETTINGS)
    keys = {str(a) for cam in plan.policy.cameras for a in cam.addresses}
    assert "198.18.1.11" not in keys
    assert "198.18.1.10" not in keys
    assert (HA_MAC, RefusalReason.HA_HOST) in refused(plan, "entry-1")


def test_an_unseen_camera_is_isolated_by_its_contact_address_only() -> None:
    claim = CameraClaim("entry-2", contact=("198.18.1.70", "cam.local"), macs=(CAM,),
                        reported=("2001:db8:1::70",))  # fmt: skip
    plan = plan_isolation([claim], Sightings(), SETTINGS)
    match = plan.cameras["entry-2"]
    assert match.by_address_only
    assert match.mac == ""
    assert [str(a) for a in match.addresses] == ["198.18.1.70"]
    assert refused(plan, "entry-2") == {
        (CAM, RefusalReason.UNCONFIRMED),
        ("2001:db8:1::70", RefusalReason.UNCONFIRMED),
    }
    assert plan.policy.cameras[0].id == "entry-2"


def test_a_camera_at_the_routers_address_is_not_isolated_at_all() -> None:
    view = NetworkView(
        NOW, own_macs=frozenset({RTR}), own_addresses=frozenset({ip_address("203.0.113.1")})
    )
    claim = CameraClaim("entry-3", contact=("198.18.1.1",))
    plan = plan_isolation([claim], seen(*NETWORK), SETTINGS, view=view)
    assert not plan.cameras["entry-3"].isolated
    assert refused(plan, "entry-3") == {
        (RTR, RefusalReason.GATEWAY),
        ("198.18.1.1", RefusalReason.GATEWAY),
        ("", RefusalReason.NOTHING_TO_MATCH),
    }
    assert plan.policy.cameras == ()
    # The router's own WAN address is protected although nobody listed it.
    wan = CameraClaim("entry-4", contact=("203.0.113.1",))
    wan_plan = plan_isolation([wan], Sightings(), SETTINGS, view=view)
    assert ("203.0.113.1", RefusalReason.GATEWAY) in refused(wan_plan, "entry-4")


def test_contested_contact_and_given_macs() -> None:
    memory = seen((CAM, "198.18.1.80"))
    memory.record(
        [o for o in [Observation.make(HONEST, "198.18.1.80", Source.NEIGHBOUR, NOW)] if o]
    )
    plan = plan_isolation([CameraClaim("entry-5", contact=("198.18.1.80",))], memory, SETTINGS)
    assert not plan.cameras["entry-5"].isolated
    given = plan_isolation(
        [CameraClaim("entry-6", contact=("198.18.1.50",))],
        seen(*NETWORK),
        SETTINGS,
        ha_macs=[CAM, "junk"],
        update_windows={"entry-6": NOW + timedelta(minutes=1)},
    )
    assert given.cameras["entry-6"].by_address_only
    assert (CAM, RefusalReason.HA_HOST) in refused(given, "entry-6")
    assert set(given.policy.update_windows) == {"entry-6"}


def _ping(lab: Lab, host: str, *addresses: str) -> None:
    tries = json.dumps([("icmp", a, 0) for a in addresses])
    lab.exec(host, sys.executable, str(HERE / "probe.py"), tries)


async def test_a_lying_camera_in_the_lab(lab: Lab) -> None:
    """The camera claims the HA host's MAC and addresses; the router's view decides."""
    lab.start_echo("inet", "443/tcp")
    _ping(lab, "cam", "198.18.1.1", "2001:db8:1::1")
    _ping(lab, "ha", ROUTER_HA4, "2001:db8::1")
    driver = NftablesDriver(lab.runner())
    view = await driver.observe()
    memory = Sightings()
    memory.record(view.observations)
    ha_mac = memory.owner(ip_address(HA4))
    assert ha_mac is not None
    assert ha_mac != CAMERA_MAC
    liar = CameraClaim(
        "entry-liar",
        contact=(CAMERA4,),
        macs=(ha_mac,),
        reported=(
            HA4,
            HA6,
            LOCAL_SERVER,
            "2001:db8:1::5%lan\nadd rule inet homebound forward accept",
        ),
    )
    settings = {
        "ha_hosts": [HA4, HA6],
        "gateways": [ROUTER_HA4, "198.18.1.1", "2001:db8:1::1"],
        "lan_ranges": ["198.18.1.0/24"],
        "dns_servers": [LOCAL_SERVER],
    }
    plan = plan_isolation([liar], memory, settings, view=view)
    match = plan.cameras["entry-liar"]
    assert match.mac == CAMERA_MAC
    assert {str(a) for a in match.addresses} == {CAMERA4, CAMERA6}
    reasons = {(r.key, r.reason) for r in match.refusals}
    assert (ha_mac, RefusalReason.MAC_MISMATCH) in reasons
    assert (HA4, RefusalReason.SEEN_ON_OTHER_MAC) in reasons
    await driver.apply(plan.policy)
    assert lab.probe([("tcp", CLOUD4, 443), ("tcp", CLOUD6, 443)]) == [False, False]
    ha_out = lab.exec("ha", sys.executable, str(HERE / "probe.py"),
                      json.dumps([("tcp", CLOUD4, 443), ("tcp", CLOUD6, 443)])).stdout  # fmt: skip
    assert json.loads(ha_out) == [True, True]
    assert (await driver.verify(plan.policy)).in_force
