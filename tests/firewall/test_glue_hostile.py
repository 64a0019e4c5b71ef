"""A lying camera through Home Assistant: refused per camera, everybody else unharmed.

The virtual camera (the lab's camera host's traffic; ONVIF on loopback) reports over ONVIF the
Home Assistant host's MAC, the HA host's and the DNS server's addresses, an honest LAN host's
address and a scoped IPv6 address carrying rule text. A second camera entry is that honest
host. Through the real config flow, the SSH backend and the router's real neighbour table: the
liar is isolated by what the network showed of it (its own MAC, IPv4 and IPv6), each lie is a
repair of its own, the honest camera is isolated too, and the HA host, the DNS server and the
router keep the internet. Nothing raises.
"""

from __future__ import annotations

import json
from pathlib import Path

from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.const import CONF_MAC, DOMAIN
from custom_components.homebound.firewall import RefusalReason
from simulator import CameraConfig, VirtualCamera
from simulator.lies import Lies

from ..conftest import entry_data
from .glue import add_ssh_firewall, coordinator_of, install_hooks
from .lab import (
    CAMERA4,
    CAMERA6,
    CAMERA_MAC,
    CLOUD4,
    CLOUD6,
    HA4,
    HONEST4,
    HONEST6,
    HONEST_MAC,
    LOCAL_SERVER,
    Lab,
    Sshd,
)
from .test_isolation import start_servers

SCOPED = "2001:db8:1::5%lan\n-I FORWARD 1 -j ACCEPT"
CLOUD = [("tcp", CLOUD4, 443), ("tcp", CLOUD6, 443)]


def ha_mac(lab: Lab) -> str:
    """The Home Assistant host's MAC on its link to the router."""
    links = json.loads(lab.exec("ha", "ip", "-j", "link", "show").stdout)
    (mac,) = [link["address"] for link in links if link.get("link_type") == "ether"]
    return str(mac)


@pytest.fixture
def camera_config(lab: Lab) -> CameraConfig:
    """The camera host's MAC, lying about itself over ONVIF."""
    lies = Lies(mac=ha_mac(lab), addresses=(HA4, LOCAL_SERVER, HONEST4, SCOPED))
    return CameraConfig(rtsp=False, mac=CAMERA_MAC, lies=lies)


async def test_a_lying_camera_is_refused_per_camera_and_nobody_else_loses(
    hass: HomeAssistant,
    lab: Lab,
    sshd: Sshd,
    tmp_path: Path,
    camera: VirtualCamera,
    issue_registry: ir.IssueRegistry,
) -> None:
    lab.add_lan_host()
    start_servers(lab)
    install_hooks(hass, lab, tmp_path)
    firewall = await add_ssh_firewall(hass, sshd, isolate_new=True)
    liar_mac = ha_mac(lab)
    # What the camera claimed when it was added (its ONVIF MAC) is what its entry holds.
    liar = MockConfigEntry(
        domain=DOMAIN,
        title="Liar [cam](http://evil.example)",
        unique_id=liar_mac,
        data=entry_data(camera, **{CONF_MAC: liar_mac}),
    )
    honest = MockConfigEntry(
        domain=DOMAIN,
        title="Honest Camera",
        unique_id=HONEST_MAC,
        data={CONF_HOST: HONEST4, CONF_MAC: HONEST_MAC, "port": 80, "username": "u",
              "password": "p"},
    )  # fmt: skip
    honest.add_to_hass(hass)  # never set up: it still belongs to the policy
    liar.add_to_hass(hass)
    assert await hass.config_entries.async_setup(liar.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    coordinator = coordinator_of(firewall)
    await coordinator.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert coordinator.data.error is None
    assert coordinator.data.status is not None
    assert coordinator.data.status.in_force

    # The liar: isolated by what the network showed of it, never by what it said.
    match = coordinator.match(liar.entry_id)
    assert match is not None
    assert match.isolated
    assert match.mac == CAMERA_MAC
    assert {str(a) for a in match.addresses} <= {CAMERA4, CAMERA6}
    assert coordinator.confirmed(liar.entry_id)
    reasons = {(r.key, r.reason) for r in match.refusals}
    assert (liar_mac, RefusalReason.MAC_MISMATCH) in reasons
    refused_keys = {key for key, _ in reasons}
    assert HA4 in refused_keys
    assert HONEST4 in refused_keys
    issue = issue_registry.async_get_issue(DOMAIN, f"camera_key_mac_mismatch_{liar.entry_id}")
    assert issue is not None
    placeholders = issue.translation_placeholders or {}
    assert placeholders["camera"] == r"Liar \[cam\]\(http://evil.example\)"
    assert f"`{liar_mac}`" in placeholders["keys"]
    assert issue_registry.async_get_issue(DOMAIN, f"not_isolated_{liar.entry_id}") is None
    liar_issues = [
        i for (d, i) in issue_registry.issues if d == DOMAIN and i.endswith(liar.entry_id)
    ]
    assert len(liar_issues) >= 2, liar_issues  # the MAC, and the addresses of others

    # The honest camera is isolated by its own MAC, untouched by the liar's claims.
    honest_match = coordinator.match(honest.entry_id)
    assert honest_match is not None
    assert honest_match.isolated
    assert honest_match.mac == HONEST_MAC
    assert not [r for r in honest_match.refusals if r.reason is RefusalReason.OTHER_CAMERA]

    # The rules: no lie in them, no rule text, nothing of the HA host or the DNS server.
    ruleset = lab.nft("list", "ruleset").stdout
    assert "FORWARD" not in ruleset
    assert "%" not in ruleset
    assert liar_mac not in ruleset
    cams4 = lab.nft("list", "set", "inet", "homebound", "cams4").stdout
    assert HA4 not in cams4
    assert LOCAL_SERVER not in cams4

    # What reaches the internet: the HA host (and the DNS server on it) does; both cameras do not.
    assert lab.probe(CLOUD) == [False, False]
    assert lab.probe_from("peer", CLOUD) == [False, False]
    assert lab.probe_from("ha", CLOUD) == [True, True]
    assert HONEST6 not in cams4
