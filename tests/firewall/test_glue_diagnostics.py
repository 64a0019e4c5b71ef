"""Firewall diagnostics leave no MAC address: every field, whatever spelling it is written in."""

from __future__ import annotations

import json

from hypothesis import given, strategies as st

from custom_components.homebound.isolation.diagnostics import hide_macs

from .lab import Lab

CAMERA = "02:48:42:00:00:50"
ROUTER = "a4:14:37:bc:de:f0"


def lab_macs(lab: Lab) -> set[str]:
    """Every MAC of every interface in the lab (camera, router, Home Assistant, internet)."""
    found: set[str] = set()
    for host in ("cam", "rtr", "ha", "inet"):
        for link in json.loads(lab.exec(host, "ip", "-j", "link").stdout):
            address = str(link.get("address", ""))
            if address.count(":") == 5 and address != "00:00:00:00:00:00":
                found.add(address.lower())
    return found


def spellings(mac: str) -> list[str]:
    """A MAC as rules, logs and routers write it: colons, dashes, none; either case."""
    plain = mac.lower()
    forms = [plain, plain.replace(":", "-"), plain.replace(":", "")]
    return [*forms, *(form.upper() for form in forms)]


def assert_no_mac(document: object, macs: set[str]) -> None:
    """Grep the whole document (keys and values) for any of ``macs`` in any spelling."""
    text = json.dumps(document)
    leaked = [form for mac in macs for form in spellings(mac) if form in text]
    assert leaked == []


def test_every_field_and_spelling_is_hidden() -> None:
    document = {
        "cameras": {CAMERA: {"isolated": True}},
        "state": {"problems": [f"camera_missing:{CAMERA}", "table_missing"]},
        "refusals": [{"key": ROUTER.upper().replace(":", "-"), "reason": "gateway"}],
        "sightings": [{"mac": ROUTER, "address": "198.18.1.1"}],
        "rules": {
            "nftables": f'add element inet homebound ctr_mac {{ {CAMERA} : "cam_024842000050" }}',
            "iptables": f"-A HOMEBOUND -m mac --mac-source {CAMERA} -j HB_CAM1",
            "legacy": "-A HOMEBOUND -j HB_024842000050",
        },
    }
    hidden = hide_macs(document, [CAMERA])
    assert_no_mac(hidden, {CAMERA, ROUTER})
    # The same MAC gets the same stand-in everywhere, in the spelling it had.
    assert hidden["cameras"] == {"02:00:00:00:00:01": {"isolated": True}}
    assert hidden["state"]["problems"][0] == "camera_missing:02:00:00:00:00:01"
    assert hidden["refusals"][0]["key"] == "02-00-00-00-00-02"
    assert hidden["sightings"][0] == {"mac": "02:00:00:00:00:02", "address": "198.18.1.1"}
    assert '"cam_020000000001"' in hidden["rules"]["nftables"]
    assert hidden["rules"]["legacy"] == "-A HOMEBOUND -j HB_020000000001"


def test_what_is_not_a_mac_is_left_alone() -> None:
    document = {
        "addresses": [
            "fe80::48:42aa:fe00:50",
            "2001:db8:1:2:3:4:5:6",
            "2001:db8:aa:bb:cc:dd:ee:ff",
        ],
        "digest": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "counter": "cam_x0123456789abcde",
        "when": "2026-12-07T14:34:16+00:00",
        "blocked": 123456789012,
    }
    assert hide_macs(document) == document


def test_a_mac_inside_an_ipv6_address_is_hidden() -> None:
    """SLAAC addresses carry the MAC (EUI-64): the prefix stays, the interface id is replaced."""
    document = {
        "addresses": ["fe80::48:42ff:fe00:50", "2001:db8:1:0:48:42ff:fe00:50/128"],
        "rules": f"ether saddr {CAMERA} ip6 saddr 2001:db8:1::48:42ff:fe00:50 drop",
    }
    hidden = hide_macs(document)
    assert_no_mac(hidden, {CAMERA})
    assert "48:42ff:fe00:50" not in json.dumps(hidden)
    assert hidden["addresses"] == ["fe80::ff:fe00:1", "2001:db8:1::ff:fe00:1/128"]
    assert hidden["rules"] == "ether saddr 02:00:00:00:00:01 ip6 saddr 2001:db8:1::ff:fe00:1 drop"


@given(st.lists(st.binary(min_size=6, max_size=6), min_size=1, max_size=4), st.text())
def test_any_mac_in_any_text(raw: list[bytes], noise: str) -> None:
    macs = {":".join(f"{b:02x}" for b in mac) for mac in raw}
    text = f" {noise} ".join(form for mac in sorted(macs) for form in spellings(mac))
    assert_no_mac(hide_macs({"text": text, noise: list(macs)}, macs), macs)
