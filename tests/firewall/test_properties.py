"""Property tests over arbitrary camera reports, observations and allow-lists (issue 14).

Through the real path: neighbour-table JSON -> :func:`parse_neighbours` -> :class:`Sightings`
-> :func:`plan_isolation` -> :func:`render_apply` / :func:`export_iptables`, and then the real
tools inside a throw-away network namespace: ``nft -c -f -`` (checks against the kernel,
changes nothing) and ``iptables-restore --test`` / ``ip6tables-restore --test`` (Debian's
nftables-based ones, and the legacy ones where present: the nftables-based ``--test`` lets an
undefined chain or target through, the legacy one does not). Whatever the cameras report:

* every script and export loads;
* the script matches only keys the network observed (a MAC seen at the camera's contact
  address, addresses tied to that MAC) or, for a camera without a known MAC, its contact
  addresses;
* no protected key (HA host, gateway, server, the firewall machine's own, a bystander's) is
  ever matched;
* an allow-list the form accepts is one the policy accepts.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address, ip_interface
import json
import re
import shutil
import subprocess

from hypothesis import HealthCheck, event, given, settings, strategies as st
import pytest

from custom_components.homebound.firewall import (
    AdapterInfo,
    CameraClaim,
    NetworkView,
    PolicyError,
    Sightings,
    Source,
    check_allow_list,
    export_iptables,
    export_nftables,
    plan_isolation,
)
from custom_components.homebound.firewall.nft_render import render_apply
from custom_components.homebound.firewall.observe import parse_neighbours
from custom_components.homebound.firewall.safe import parse_address, plain_address

from .lab import IP, Lab, ip

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
MACS = [f"02:00:00:00:00:{i:02x}" for i in range(1, 17)]
CAMERA_ADDRESSES = [f"198.18.1.{i}" for i in range(10, 22)] + [
    f"2001:db8:1::{i:x}" for i in range(10, 16)
]
SERVICES = ["198.18.0.10", "198.18.0.1", "198.18.1.1", "198.18.0.53", "2001:db8::10", "fd00::53"]
HOSTILE = ["2001:db8:1::5%eth0\n-I FORWARD 1 -j ACCEPT", "8.8.8.8", "2002:808:808::1",
           "fe80::1", "224.0.0.1", "0.0.0.0", "::ffff:198.18.1.5", "64:ff9b::808:808",  # noqa: S104
           "not an address", "198.18.1.5 ", "2001:db8:1::5%1"]  # fmt: skip
BAD_MACS = ["01:00:5e:00:00:01", "00:00:00:00:00:00", "nonsense\nrule", "ff:ff:ff:ff:ff:ff", ""]
RANGES = ["198.18.1.0/24", "192.168.0.0/16", "fd00::/8", "2001:db8:1::/64", "10.0.0.0/8",
          "2002::/16", "0.0.0.0/0", "64:ff9b::/96", "8.8.8.0/24", "fd00::%x\n/64"]  # fmt: skip
ADAPTERS = [AdapterInfo("eth0", (ip_interface("198.18.0.10/24"), ip_interface("2001:db8::10/64")))]

services = st.sampled_from(SERVICES)
# Mostly plausible values, so that most examples isolate something; hostile ones among them
# (another host's address, a scope id with rule text, public and translated addresses, junk).
any_address = st.one_of(
    *[st.sampled_from(CAMERA_ADDRESSES)] * 6,
    services,
    st.sampled_from(HOSTILE),
    st.text(max_size=12),
)
macs = st.sampled_from(MACS)
any_mac = st.one_of(macs, macs, macs, st.sampled_from(BAD_MACS), st.text(max_size=20))
ranges = st.one_of(st.sampled_from(RANGES[:5]), st.sampled_from(RANGES))
names = st.text(max_size=30)  # control characters, bidi overrides, quotes: anything


@st.composite
def claims(draw: st.DrawFn) -> list[CameraClaim]:
    count = draw(st.integers(1, 4))
    return [
        CameraClaim(
            id=f"entry-{n}",
            isolate=draw(st.booleans()),
            contact=tuple(draw(st.lists(any_address, min_size=1, max_size=2))),
            macs=tuple(draw(st.lists(any_mac, max_size=2))),
            reported=tuple(draw(st.lists(any_address, max_size=4))),
            name=draw(names),
        )
        for n in range(count)
    ]


@st.composite
def neighbour_json(draw: st.DrawFn, cameras: list[CameraClaim]) -> str:
    """A neighbour table as ``ip -j neigh`` prints it: mostly the cameras at the addresses
    they are reached at or report (on any MAC), and hostile entries among them."""
    entries: list[object] = []
    entries += [
        {"dst": address, "lladdr": draw(any_mac), "state": ["STALE"]}
        for claim in cameras
        for address in claim.contact + claim.reported
        if draw(st.integers(0, 3))
    ]
    entries += [
        {"dst": draw(any_address), "lladdr": draw(any_mac), "state": ["REACHABLE"]}
        for _ in range(draw(st.integers(0, 6)))
    ]
    entries += draw(st.lists(st.sampled_from([{"dst": 1}, "x", {"lladdr": MACS[0]}]), max_size=2))
    return json.dumps(draw(st.permutations(entries)))


VALID_ALLOW = st.fixed_dictionaries(
    {
        "ha_hosts": st.lists(st.sampled_from(["198.18.0.10", "2001:db8::10"]), min_size=1),
        "gateways": st.lists(st.sampled_from(["198.18.0.1", "198.18.1.1"]), max_size=2),
        "lan_ranges": st.lists(st.sampled_from(RANGES[:5]), max_size=2),
        "ntp_servers": st.lists(services, max_size=1),
        "dns_servers": st.lists(services, max_size=1),
        "ntp_redirect": st.one_of(st.none(), st.just("198.18.0.53")),
    }
)
ANY_ALLOW = st.fixed_dictionaries(
    {
        "ha_hosts": st.lists(any_address, min_size=1, max_size=2),
        "gateways": st.lists(any_address, max_size=2),
        "lan_ranges": st.lists(ranges, max_size=2),
        "ntp_servers": st.lists(any_address, max_size=1),
        "dns_servers": st.lists(any_address, max_size=1),
        "ntp_redirect": st.one_of(st.none(), any_address),
    }
)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[str, list[CameraClaim], dict[str, object]]:
    """Cameras, what the network shows of them, and an allow-list (mostly a valid one)."""
    cameras = draw(claims())
    allow: dict[str, object] = draw(st.one_of(VALID_ALLOW, VALID_ALLOW, ANY_ALLOW))
    return draw(neighbour_json(cameras)), cameras, allow


@pytest.fixture(scope="module")
def netns() -> Iterator[str]:
    """One empty network namespace for the checks (nothing is loaded into it)."""
    lab = Lab()
    name = lab.ns("rtr")
    ip("netns", "add", name)
    try:
        yield name
    finally:
        lab.close()
        assert not lab.leftovers()


def _loads(netns: str, tool: str, text: str, *args: str) -> None:
    path = shutil.which(tool)
    if path is None:
        assert tool.endswith("legacy-restore")  # the others script/setup installs
        return
    done = subprocess.run(  # noqa: S603 - fixed argv, a namespace this test made
        [IP, "netns", "exec", netns, path, *args], input=text, capture_output=True,
        text=True, timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"{tool}: {done.stderr}\n{text}"


_ELEMENTS = re.compile(r"^add element inet homebound (cams|cams4|cams6) \{ (.*) \}$", re.M)


def _matched(script: str) -> set[str]:
    return {key.strip() for _, items in _ELEMENTS.findall(script) for key in items.split(",")}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenarios(), st.lists(macs, max_size=2), st.booleans())
def test_any_report_makes_rules_that_load_and_match_only_what_was_observed(
    netns: str,
    scenario: tuple[str, list[CameraClaim], dict[str, object]],
    ha_macs: list[str],
    router_view: bool,
) -> None:
    neighbours, cameras, allow = scenario
    observations = parse_neighbours(neighbours, Source.NEIGHBOUR, NOW)
    memory = Sightings()
    memory.record(observations)
    view = NetworkView(
        NOW,
        own_macs=frozenset(MACS[-1:]) if router_view else frozenset(),
        own_addresses=frozenset({ip_address("198.18.0.1")}) if router_view else frozenset(),
    )
    form = check_allow_list(allow, adapters=ADAPTERS)  # type: ignore[arg-type]
    try:
        plan = plan_isolation(
            cameras,
            memory,
            allow,
            view=view,
            ha_macs=ha_macs,
            update_windows={c.id: NOW + timedelta(minutes=5) for c in cameras[:1]},
        )
    except PolicyError as err:
        assert form, "the policy refused an allow-list the form accepts"
        event("allow-list refused: " + str(err)[:30])
        return
    policy = plan.policy
    event(f"{min(len(policy.cameras), 2)} cameras isolated (2: two or more)")
    event("one by address only" if any(c.by_address_only for c in policy.cameras) else "all by MAC")
    event("refusals" if policy.refusals else "no refusals")

    script = render_apply(policy, NOW).script
    _loads(netns, "nft", script, "-c", "-f", "-")
    _loads(netns, "nft", export_nftables(policy), "-c", "-f", "-")
    for version, tool in ((4, "iptables"), (6, "ip6tables")):
        rules = export_iptables(policy, version)
        _loads(netns, f"{tool}-restore", rules, "--test", "--noflush")
        _loads(netns, f"{tool}-legacy-restore", rules, "--test", "--noflush")

    # Only observed keys: MACs the network showed, addresses tied to them, or a MAC-less
    # camera's own contact addresses.
    observed = {o.mac for o in observations} | {plain_address(o.address) for o in observations}
    contacts = {
        plain_address(a) for c in cameras for t in c.contact if (a := parse_address(t)) is not None
    }
    matched = _matched(script)
    assert matched <= observed | contacts
    reported_only = {t for c in cameras for t in c.reported} - observed - contacts
    assert not matched & reported_only
    for cam in policy.cameras:
        claim = next(c for c in cameras if c.id == cam.id)
        if cam.mac:
            owners = {memory.owner(a) for t in claim.contact if (a := parse_address(t))}
            assert cam.mac in owners
            assert set(cam.addresses) <= set(memory.addresses(cam.mac))
        else:
            assert {plain_address(a) for a in cam.addresses} <= contacts

    # Never a protected key.
    protected = {plain_address(a) for a in (*policy.ha_hosts, *policy.gateways)}
    protected |= {plain_address(a) for a in (*policy.ntp_servers, *policy.dns_servers)}
    protected |= {plain_address(a) for a in view.own_addresses} | set(view.own_macs)
    protected |= set(ha_macs)
    for addr in (*policy.ha_hosts, *policy.gateways, *policy.ntp_servers, *policy.dns_servers):
        protected |= {m for m in (memory.owner(addr), *memory.contested(addr)) if m}
    bystanders = [plan.cameras[c.id] for c in cameras if not c.isolate]
    protected |= {b.mac for b in bystanders if b.mac}
    protected |= {plain_address(a) for b in bystanders for a in b.addresses}
    assert not matched & protected
    # Two cameras never share a key.
    keys = [k for cam in policy.cameras for k in (cam.mac, *map(plain_address, cam.addresses)) if k]
    assert len(keys) == len(set(keys))
    # Nothing a camera sent is in the text unescaped.
    for text in (script, export_iptables(policy, 4), export_iptables(policy, 6)):
        assert "%" not in text
        assert "FORWARD 1 -j ACCEPT" not in text
    for refusal in plan.refusals:
        assert refusal.key.isprintable()
