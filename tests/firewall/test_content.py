"""Verify by content, on a real listing: every change is named, nothing that changes by itself is.

``data/listing-nft-1.0.6.json`` is what nft 1.0.6 printed for the policy below (two cameras,
one with an update window open for 600 s, an NTP redirect, one recorded attempt), loaded in a
network namespace. Each test changes one thing in it, the way a person or a firmware would on
the router, and checks the code verify reports - through the real driver, fed that text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
import copy
from datetime import UTC, datetime, timedelta
import functools
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.homebound.firewall import CommandResult, NftablesDriver, RouterOutputError
from custom_components.homebound.firewall.nft_content import (
    atom_json,
    atom_text,
    collapse,
    content_of,
    range_text,
)
from custom_components.homebound.firewall.nft_expect import (
    RuleBaseline,
    expected_table,
    priority,
    seconds,
)
from custom_components.homebound.firewall.nft_readings import problems
from custom_components.homebound.firewall.nft_render import FAMILY, TABLE, render_apply
from custom_components.homebound.firewall.nft_state import parse_table
from custom_components.homebound.firewall.policy import (
    CameraIdentity,
    FirewallPolicy,
    build_policy,
)
from custom_components.homebound.firewall.runner import DEFAULT_TIMEOUT

from .test_parsers import JSON, nftish

DATA = Path(__file__).parent / "data" / "listing-nft-1.0.6.json"
T0 = datetime(2026, 12, 1, tzinfo=UTC)
WINDOW = 600
ANY4 = ".".join(["0"] * 4)
"""The IPv4 "any" address (written so, the linter takes the literal for a bind)."""
GARDEN, PORCH = "02:48:42:00:00:50", "02:48:42:00:00:51"


def listed_policy(**overrides: Any) -> FirewallPolicy:
    """The policy the listing was made from."""
    args: dict[str, Any] = {
        "cameras": [
            CameraIdentity.parse(GARDEN, ["198.18.1.50", "2001:db8:1::50"], "Garden"),
            CameraIdentity.parse(PORCH, [], "Porch"),
        ],
        "ha_hosts": ["198.18.0.10", "2001:db8::10"],
        "gateways": ["198.18.0.1", "198.18.1.1", "2001:db8:1::1"],
        "lan_ranges": ["198.18.1.0/24"],
        "ntp_servers": ["198.18.0.53"],
        "dns_servers": ["198.18.0.53"],
        "ntp_redirect": "198.18.0.53",
        "update_windows": {PORCH: T0 + timedelta(seconds=WINDOW)},
    }
    args.update(overrides)
    return build_policy(**args)


def listing() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text())
    return data


def item(doc: dict[str, Any], kind: str, name: str) -> dict[str, Any]:
    """The body of one object of the listing (a chain, a set...)."""
    for entry in doc["nftables"]:
        body = entry.get(kind)
        if body is not None and body.get("name") == name:
            return dict(body)
    raise KeyError(name)


def edit(
    doc: dict[str, Any], kind: str, name: str, change: Callable[[dict[str, Any]], None]
) -> None:
    for entry in doc["nftables"]:
        body = entry.get(kind)
        if body is not None and body.get("name") == name:
            change(body)
            return
    raise KeyError(name)


def rules(doc: dict[str, Any], chain: str) -> list[dict[str, Any]]:
    return [e["rule"] for e in doc["nftables"] if "rule" in e and e["rule"]["chain"] == chain]


def found(
    doc: dict[str, Any],
    *,
    elapsed: float = 1.0,
    policy: FirewallPolicy | None = None,
    baseline: RuleBaseline | None = None,
) -> list[str]:
    """What verify reports for this listing, ``elapsed`` seconds after it was made."""
    policy = policy or listed_policy()
    rendered = render_apply(policy, T0 + timedelta(seconds=elapsed))
    return problems(rendered, policy, parse_table(json.dumps(doc)), baseline)


def learnt() -> RuleBaseline:
    """The rules' kernel form, as the driver records it after an apply."""
    baseline = RuleBaseline()
    want = expected_table(render_apply(listed_policy(), T0).script, FAMILY, TABLE)
    baseline.learn(want, content_of(listing()["nftables"], TABLE, want.dynamic))
    return baseline


def test_the_listing_is_what_the_script_makes() -> None:
    assert found(listing()) == []
    assert found(listing(), baseline=learnt()) == []


def test_what_changes_by_itself_is_no_alarm() -> None:
    doc = listing()
    for entry in doc["nftables"]:
        body = next(iter(entry.values()))
        if isinstance(body, dict) and "handle" in body:
            body["handle"] += 1000
    edit(doc, "counter", "cam_024842000050", lambda c: c.update(packets=99, bytes=9999))
    edit(doc, "set", "att_mac4", lambda s: s["elem"].append(s["elem"][0] | {}))
    edit(doc, "set", "att4", lambda s: s.update(elem=[{"elem": {"val": {"concat": [
        "198.18.1.50", "192.0.2.80", "tcp", 443]}, "expires": 5}}]))  # fmt: skip
    assert found(doc, baseline=learnt()) == []


def _window_expires(doc: dict[str, Any], left: float | None) -> None:
    """Set (or, with None, drop) the update window's time left, in its three sets."""
    for name in ("win", "win4", "win6"):
        if left is None:
            edit(doc, "set", name, lambda s: s.pop("elem", None))
        else:
            edit(doc, "set", name, functools.partial(_expires, left=left))


def _expires(body: dict[str, Any], left: float) -> None:
    for element in body.get("elem", []):
        element["elem"]["expires"] = left


@pytest.mark.parametrize(
    ("elapsed", "left", "codes"),
    [
        (300, 300, []),  # half-way: as expected
        (300, 299, []),  # whole-second clocks
        (WINDOW - 1, 1, []),  # about to close
        (WINDOW + 1, None, []),  # closed by the kernel, as the policy says
        (WINDOW + 1, 1, []),  # the kernel is a second behind
        (300, 5000, ["set_changed:win"]),  # someone extended it
        (10, None, ["set_changed:win"]),  # someone closed it early
    ],
)
def test_update_windows_expire_without_alarm(
    elapsed: float, left: float | None, codes: list[str]
) -> None:
    doc = listing()
    _window_expires(doc, left)
    assert [c for c in found(doc, elapsed=elapsed) if c.startswith("set_changed:win")][:1] == codes


def test_a_window_nobody_opened_is_named() -> None:
    doc = listing()
    edit(doc, "set", "win", lambda s: s["elem"].append("02:48:42:00:00:50"))
    assert "set_changed:win" in found(doc)
    doc = listing()
    edit(doc, "set", "win", lambda s: s["elem"].append(
        {"elem": {"val": "02:00:00:00:00:99", "timeout": 3600, "expires": 3600}}))  # fmt: skip
    assert "set_changed:win" in found(doc)


def _add_elem(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        edit(doc, "set", name, lambda s: s.setdefault("elem", []).append(value))

    return change


def _set_rule(chain: str, index: int, expr: list[Any]) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        rules(doc, chain)[index]["expr"] = expr

    return change


def _drop_entry(kind: str, name: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["nftables"] = [e for e in doc["nftables"] if e.get(kind, {}).get("name") != name]

    return change


def _add_entry(kind: str, body: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["nftables"].append({kind: {"family": "inet", "table": TABLE, **body}})

    return change


def _drop_rule(chain: str, index: int) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        target = rules(doc, chain)[index]
        doc["nftables"] = [e for e in doc["nftables"] if e.get("rule") is not target]

    return change


RETURN_ALLOW4_SADDR = [
    {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}},
               "right": "@allow4"}},
    {"return": None},
]  # fmt: skip
ACCEPT_ALLOW4 = [
    {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "daddr"}},
               "right": "@allow4"}},
    {"accept": None},
]  # fmt: skip
CHANGES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("allow4 prefix", _add_elem("allow4", {"prefix": {"addr": "198.51.100.0", "len": 24}}),
     "set_changed:allow4"),
    ("allow4 range", _add_elem("allow4", {"range": ["192.0.2.1", "192.0.2.9"]}),
     "set_changed:allow4"),
    ("allow6 prefix", _add_elem("allow6", {"prefix": {"addr": "2001:db8:ff::", "len": 48}}),
     "set_changed:allow6"),
    ("svc4 any udp", _add_elem("svc4", {"concat": [{"prefix": {"addr": ANY4, "len": 0}},
                                                   "udp", {"range": [0, 65535]}]}),
     "set_changed:svc4"),
    ("svc6 one", _add_elem("svc6", {"concat": ["2001:db8:ff::2", "tcp", 443]}),
     "set_changed:svc6"),
    ("cams4 other", _add_elem("cams4", "198.18.1.99"), "set_changed:cams4"),
    ("ctr_mac value", lambda d: edit(d, "map", "ctr_mac", lambda m: m["elem"][0].__setitem__(
        1, "cam_024842000051")), "set_changed:ctr_mac"),
    ("cams gone", lambda d: edit(d, "set", "cams", lambda s: s.__setitem__("elem", [PORCH])),
     f"camera_missing:{GARDEN}"),
    ("counter gone", _drop_entry("counter", "cam_024842000050"), f"counter_missing:{GARDEN}"),
    ("svc6 gone", _drop_entry("set", "svc6"), "set_missing:svc6"),
    ("ntp chain gone", _drop_entry("chain", "ntp"), "chain_missing:ntp"),
    ("allow4 not interval", lambda d: edit(d, "set", "allow4", lambda s: s.pop("flags")),
     "set_changed:allow4"),
    ("attempts size", lambda d: edit(d, "set", "att_mac4", lambda s: s.update(size=10)),
     "set_changed:att_mac4"),
    ("priority", lambda d: edit(d, "chain", "forward", lambda c: c.update(prio=10)),
     "priority_changed:forward"),
    ("hook", lambda d: edit(d, "chain", "forward", lambda c: c.update(hook="input")),
     "hook_changed:forward"),
    ("policy", lambda d: edit(d, "chain", "ntp", lambda c: c.update(policy="drop")),
     "policy_changed:ntp"),
    ("drop rule gone", _drop_rule("drop_mac", -1), "rules_changed:drop_mac"),
    ("verdict changed", _set_rule("forward", 0, ACCEPT_ALLOW4), "rules_changed:forward"),
    ("extra chain", _add_entry("chain", {"name": "x", "type": "filter", "hook": "forward",
                                         "prio": -300, "policy": "accept"}), "chain_added:x"),
    ("extra set", _add_entry("set", {"name": "y", "type": "ipv4_addr"}), "set_added:y"),
    ("flowtable", _add_entry("flowtable", {"name": "ft"}), "object_added:flowtable:ft"),
    ("dormant", lambda d: edit(d, "table", TABLE, lambda t: t.update(flags="garbage")),
     "table_flags_changed"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "change", "code"), CHANGES, ids=[c[0] for c in CHANGES])
def test_each_change_is_named(
    what: str, change: Callable[[dict[str, Any]], None], code: str
) -> None:
    doc = listing()
    change(doc)
    assert code in found(doc, baseline=learnt()), what
    assert code in found(doc) or code.startswith("rules_changed"), what


def test_a_rule_changed_within_its_signature_needs_the_learnt_form() -> None:
    doc = listing()
    _set_rule("forward", 0, RETURN_ALLOW4_SADDR)(doc)
    # Same set, same verdict: only the kernel's form recorded after the apply tells.
    assert found(doc) == []
    assert found(doc, baseline=learnt()) == ["rules_changed:forward"]


def test_same_coverage_written_otherwise_is_the_same() -> None:
    doc = listing()

    def respell(s: dict[str, Any]) -> None:
        s["elem"] = [
            {"range": ["198.18.1.0", "198.18.1.127"]},
            {"prefix": {"addr": "198.18.1.128", "len": 25}},
            {"prefix": {"addr": "198.18.0.1", "len": 32}},
            "198.18.0.10",
        ]

    edit(doc, "set", "allow4", respell)
    assert found(doc) == []


def test_digest_follows_content_not_state() -> None:
    policy = listed_policy()
    want = expected_table(render_apply(policy, T0).script, FAMILY, TABLE)
    base = content_of(listing()["nftables"], TABLE, want.dynamic).digest()
    doc = listing()
    edit(doc, "counter", "cam_024842000050", lambda c: c.update(packets=5))
    assert content_of(doc["nftables"], TABLE, want.dynamic).digest() == base
    _add_elem("allow4", "192.0.2.1")(doc)
    assert content_of(doc["nftables"], TABLE, want.dynamic).digest() != base


def test_the_script_is_read_generically() -> None:
    policy = listed_policy(ntp_redirect=None, update_windows={})
    want = expected_table(render_apply(policy).script, FAMILY, TABLE)
    assert "ntp" not in want.chains  # deleted by the script
    assert want.chains["forward"].priority == -10
    assert want.chains["forward"].hook == "forward"
    assert want.dynamic == {"att_mac4", "att_mac6", "att4", "att6"}
    assert want.sets["allow4"].elements == frozenset({"198.18.0.1", "198.18.0.10",
                                                      "198.18.1.0/24"})  # fmt: skip
    assert want.sets["svc4"].elements == frozenset(
        {"198.18.0.53 . 17 . 123", "198.18.0.53 . 17 . 53", "198.18.0.53 . 6 . 53"}
    )
    assert want.sets["ctr_mac"].elements == frozenset(
        {f"{GARDEN} : cam_024842000050", f"{PORCH} : cam_024842000051"}
    )
    assert want.counters == {"cam_024842000050", "cam_024842000051"}
    windowed = expected_table(render_apply(listed_policy(), T0).script, FAMILY, TABLE)
    assert windowed.sets["win"].expiring == {PORCH: WINDOW}
    other = "add table ip other\nadd chain ip other c\n"
    assert expected_table(other, FAMILY, TABLE).chains == {}
    inline = (
        f"add table {FAMILY} {TABLE}\nadd set {FAMILY} {TABLE} s {{ type ipv4_addr; "
        "flags interval, constant; elements = { 10.0.0.0/8, 192.0.2.1 }; }\n"
        f"add quota {FAMILY} {TABLE} q\nadd chain {FAMILY} {TABLE} c\n"
        f"add rule {FAMILY} {TABLE} c jump c2\ndelete set {FAMILY} {TABLE} s\n"
    )
    read = expected_table(inline, FAMILY, TABLE)
    assert read.objects == {("quota", "q")}
    assert "s" not in read.sets
    assert read.chains["c"].rules == ("jump c2",)


@pytest.mark.parametrize(
    "script",
    [
        "add element inet homebound nowhere { 1.2.3.4 }\n",
        "list ruleset inet homebound\n",
        "add\n",
    ],
)
def test_a_script_verify_cannot_read_is_an_error_of_ours(script: str) -> None:
    with pytest.raises(ValueError, match=r"verify cannot read|never declares"):
        expected_table(script, FAMILY, TABLE)


def test_priorities_durations_and_atoms() -> None:
    assert priority("filter - 10") == -10
    assert priority("dstnat - 5") == -105
    assert priority("mangle + 3") == -147
    assert priority("-150") == -150
    assert priority("nonsense") is None
    assert priority("filter -") is None
    assert seconds("86400s") == 86400
    assert seconds("1h30m") == 5400
    assert seconds("500ms") == 0.5
    with pytest.raises(ValueError, match="duration"):
        seconds("1 hour")
    assert atom_text("198.18.0.1/32", "ipv4_addr") == "198.18.0.1"
    assert atom_text("2001:DB8::1/128", "ipv6_addr") == "2001:db8::1"
    assert atom_text("10.0.0.0-10.0.0.255", "ipv4_addr") == "10.0.0.0/24"
    assert atom_text("10.0.0.1-10.0.0.5", "ipv4_addr") == "10.0.0.1-10.0.0.5"
    assert atom_text("not-an-address", "ipv4_addr") == "not-an-address"
    assert atom_text("UDP", "inet_proto") == "17"
    assert atom_text("0053", "inet_service") == "53"
    assert atom_text("1-65535", "inet_service") == "1-65535"
    assert atom_text("AA:BB:CC:00:00:01", "ether_addr") == "aa:bb:cc:00:00:01"
    assert atom_json(True, None).startswith("?")
    assert atom_json({"prefix": {"addr": "10.0.0.0", "len": "8"}}, None).startswith("?")
    assert atom_json({"range": [1, 1]}, "inet_service") == "1"
    assert atom_json({"weird": object()}, None) == "?"
    assert range_text("a", "b") == "a-b"
    assert range_text("10.0.0.0", "2001:db8::") == "10.0.0.0-2001:db8::"
    assert collapse(["10.0.0.0/25", "10.0.0.128-10.0.0.255"]) == frozenset({"10.0.0.0/24"})
    assert collapse(["10.0.0.0/25", "?junk"]) == frozenset({"10.0.0.0/25", "?junk"})


class Canned:
    """A runner that prints the given text for every command (the router's answer)."""

    def __init__(self, text: str, status: int = 0) -> None:
        self.text = text
        self.status = status
        self.commands: list[Sequence[str]] = []

    async def run(
        self, argv: Sequence[str], *, stdin: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> CommandResult:
        self.commands.append(argv)
        return CommandResult(self.status, self.text, "")


def driver_for(text: str, elapsed: float = 1.0) -> NftablesDriver:
    return NftablesDriver(Canned(text), clock=lambda: T0 + timedelta(seconds=elapsed))


async def test_the_driver_verifies_a_listing_and_the_polled_sets() -> None:
    status = await driver_for(DATA.read_text()).verify(listed_policy())
    assert status.in_force
    assert status.problems == ()
    assert status.digest is not None
    doc = listing()
    _add_elem("svc4", {"concat": ["198.51.100.53", "udp", 53]})(doc)
    assert driver_for("").blind_sets(listed_policy()) == ("svc4", "svc6")
    text = "".join(
        json.dumps({"nftables": [{"set": item(doc, "set", name)}]}) + "\n"
        for name in ("svc4", "svc6")
    )
    assert await driver_for(text).verify_sets(listed_policy(), ("svc4", "svc6")) == [
        "set_changed:svc4"
    ]
    assert await driver_for("").verify_sets(listed_policy(), ("svc4",)) == ["set_missing:svc4"]
    assert await driver_for("").verify_sets(listed_policy(), ()) == []
    unreadable = await driver_for("{not json").verify(listed_policy())
    assert unreadable.problems == ("table_unreadable",)
    assert not unreadable.in_force


LEAVES = st.one_of(JSON, st.sampled_from(["@allow4", "homebound", "drop", 0, -10, "udp"]))


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """The real listing with random values put in random places (a hostile router)."""
    doc = listing()
    entries = doc["nftables"]
    for _ in range(draw(st.integers(1, 6))):
        index = draw(st.integers(0, len(entries) - 1))
        node: Any = entries[index]
        for _depth in range(draw(st.integers(1, 5))):
            if isinstance(node, dict) and node:
                key = draw(st.sampled_from(sorted(node)))
                if draw(st.booleans()) or not isinstance(node[key], dict | list):
                    node[key] = draw(LEAVES)
                    break
                node = node[key]
            elif isinstance(node, list) and node:
                position = draw(st.integers(0, len(node) - 1))
                if draw(st.booleans()) or not isinstance(node[position], dict | list):
                    node[position] = draw(LEAVES)
                    break
                node = node[position]
            else:
                break
    return json.dumps(copy.deepcopy(doc))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(mutated(), nftish(), st.text(max_size=300)))
def test_verify_of_hostile_output_reports_never_raises(text: str) -> None:
    """Through the real driver: a status always, in force only when nothing that counts moved."""
    status = asyncio.run(driver_for(text).verify(listed_policy()))
    assert status.in_force == (not [p for p in status.problems if p != "not_persistent"])
    try:
        sets = asyncio.run(driver_for(text + "\n").verify_sets(listed_policy(), ("svc4", "svc6")))
    except RouterOutputError:
        return
    assert all(code.startswith(("set_changed:", "set_missing:")) for code in sets)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.one_of(nftish().map(json.loads), JSON), max_size=6))
def test_content_of_hostile_items_raises_only_its_error(items: list[Any]) -> None:
    flat = [e for i in items for e in (i.get("nftables", []) if isinstance(i, dict) else [i])]
    try:
        content = content_of(flat if isinstance(flat, list) else [], TABLE, {"att4"})
    except RouterOutputError:
        return
    assert isinstance(content.digest(), str)
