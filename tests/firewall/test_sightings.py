"""The memory of observations: who owns an address, when that ends, and what is contested."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
import json

from hypothesis import given, settings, strategies as st

from custom_components.homebound.firewall import Observation, Sightings, Source
from custom_components.homebound.firewall.sightings import MAX_BINDINGS

T0 = datetime(2026, 12, 1, tzinfo=UTC)
A, B, H = "02:00:00:00:00:0a", "02:00:00:00:00:0b", "02:00:00:00:00:99"
X = ip_address("198.18.1.30")


def obs(mac: str, address: str, source: Source, seen: datetime) -> Observation:
    made = Observation.make(mac, address, source, seen)
    assert made is not None
    return made


def test_a_newer_neighbour_sighting_moves_the_address() -> None:
    memory = Sightings()
    memory.record([obs(A, "198.18.1.30", Source.NEIGHBOUR, T0)])
    assert memory.owner(X) == A
    assert memory.addresses(A) == (X,)
    memory.record([obs(B, "198.18.1.30", Source.NEIGHBOUR, T0 + timedelta(hours=1))])
    assert memory.owner(X) == B
    assert memory.addresses(A) == ()


def test_dhcp_reuse_is_contested_until_the_neighbour_table_shows_the_new_owner() -> None:
    # Camera A is away; DHCP hands its address to B. The lease alone (a client's claim)
    # does not take the address from a device the neighbour table showed there: nobody owns
    # it for a while, so neither A's rules nor B's catch the other.
    memory = Sightings()
    memory.record([obs(A, "198.18.1.30", Source.NEIGHBOUR, T0)])
    memory.record([obs(B, "198.18.1.30", Source.DHCP_LEASE, T0 + timedelta(hours=2))])
    assert memory.owner(X) is None
    assert memory.contested(X) == (A, B)
    memory.record([obs(B, "198.18.1.30", Source.NEIGHBOUR, T0 + timedelta(hours=3))])
    assert memory.owner(X) == B


def test_a_hostile_lease_never_takes_an_active_hosts_address() -> None:
    memory = Sightings()
    for hour in range(3):
        now = T0 + timedelta(hours=hour)
        memory.record(
            [
                obs(H, "198.18.1.30", Source.NEIGHBOUR, now),
                obs(A, "198.18.1.30", Source.DHCPV6_LEASE, now),
            ]
        )
        assert memory.owner(X) is None
        assert A not in [memory.owner(a) for a in [X]]


def test_leases_replace_older_leases_and_bindings_expire_after_a_week() -> None:
    memory = Sightings()
    memory.record([obs(A, "198.18.1.30", Source.DHCP_LEASE, T0)])
    memory.record([obs(B, "198.18.1.30", Source.DHCP_DISCOVERY, T0 + timedelta(minutes=5))])
    assert memory.owner(X) == B
    memory.expire(T0 + timedelta(days=7))
    assert memory.owner(X) == B
    memory.expire(T0 + timedelta(days=7, minutes=6))
    assert memory.owner(X) is None
    assert memory.bindings() == []


def test_storage_round_trip_and_hostile_storage() -> None:
    memory = Sightings()
    memory.record(
        [
            obs(A, "198.18.1.30", Source.NEIGHBOUR, T0),
            obs(A, "2001:db8:1::30", Source.DHCPV6_LEASE, T0),
        ]
    )
    data = json.loads(json.dumps(memory.to_data()))
    again = Sightings.from_data(data)
    assert again.addresses(A) == memory.addresses(A)
    assert again.bindings()[0].strong_seen == T0
    hostile = [
        {"mac": A, "address": "198.18.1.31%x\n", "first_seen": T0.isoformat(),
         "last_seen": T0.isoformat()},
        {"mac": "nonsense", "address": "198.18.1.32", "first_seen": T0.isoformat(),
         "last_seen": T0.isoformat()},
        {"mac": A, "address": "198.18.1.33", "first_seen": "yesterday", "last_seen": "x"},
        {"mac": A, "address": "198.18.1.34", "first_seen": "2026-12-01T00:00:00",
         "last_seen": "2026-12-01T00:00:00"},
        "junk",
    ]  # fmt: skip
    assert Sightings.from_data(hostile).bindings() == []
    assert Sightings.from_data({"not": "a list"}).bindings() == []


def test_memory_is_bounded() -> None:
    memory = Sightings()
    batch = [
        obs(f"02:00:00:00:{i >> 8:02x}:{i & 255:02x}", f"10.0.{i >> 8}.{i & 255}",
            Source.NEIGHBOUR, T0 + timedelta(seconds=i))
        for i in range(1, MAX_BINDINGS + 11)
    ]  # fmt: skip
    memory.record(batch)
    assert len(memory.bindings()) == MAX_BINDINGS
    assert memory.owner(ip_address("10.0.0.1")) is None  # the oldest went first


MACS = st.sampled_from([A, B, H])
ADDRS = st.sampled_from(["198.18.1.30", "198.18.1.31", "2001:db8:1::30"])
SOURCES = st.sampled_from(list(Source))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(MACS, ADDRS, SOURCES, st.integers(0, 20)), max_size=30))
def test_an_owner_was_seen_after_everybody_else(items: list[tuple[str, str, Source, int]]) -> None:
    """An address has an owner only if no other MAC was seen there since (or at the same time)."""
    memory = Sightings()
    for mac, address, source, hour in items:
        memory.record([obs(mac, address, source, T0 + timedelta(hours=hour))])
    for address in {a for _, a, _, _ in items}:
        owner = memory.owner(ip_address(address))
        seen = [(h, m, s) for m, a, s, h in items if a == address]
        if owner is None:
            assert len({m for _, m, _ in seen}) > 1  # only a conflict leaves an address unowned
            continue
        owner_last = max(h for h, m, _ in seen if m == owner)
        assert all(h < owner_last for h, m, _ in seen if m != owner)
