"""The memory of observations: which address belongs to which MAC, and for how long.

Why a memory at all: a camera that is quiet right now is not in the neighbour table, yet its
addresses must stay matched; and Home Assistant restarts. Why it forgets: an address changes
hands (DHCP gives a departed camera's address to the next device), so a binding lasts
:data:`TTL` (a week) after it was last seen, and ends as soon as the network shows the address
on another MAC.

Who wins when two MACs are seen at one address: the neighbour table (the kernel's own view,
refreshed by traffic) outweighs a lease (what a DHCP client asked for, and a client chooses
its MAC and DUID) and discovery. A newer neighbour sighting ends every older binding of the
address; a lease or discovery ends only older bindings that no neighbour table ever showed.
Whatever remains contested has no owner (:meth:`Sightings.owner` is None), so a contested
address is nobody's match key: when evidence conflicts, nobody loses their internet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .observe import Observation, Source
from .policy import IPAddress
from .safe import plain_address

TTL = timedelta(days=7)
"""A binding not seen again for this long is forgotten."""
MAX_BINDINGS = 16384
"""Most bindings kept (the oldest go first): memory and storage stay bounded."""
STRONG = frozenset({Source.NEIGHBOUR, Source.HOST_NEIGHBOUR})
"""Sources that show who really answers at an address (a neighbour table)."""


@dataclass(slots=True)
class Binding:
    """One MAC at one address: first and last seen, and last seen by a neighbour table."""

    mac: str
    address: IPAddress
    first_seen: datetime
    last_seen: datetime
    strong_seen: datetime | None
    sources: set[Source]


class Sightings:
    """Address <-> MAC bindings learnt from observations, with expiry and conflict rules."""

    def __init__(self, bindings: Iterable[Binding] = (), *, ttl: timedelta = TTL) -> None:
        """Start from stored bindings (see :meth:`from_data`)."""
        self.ttl = ttl
        self._by_address: dict[IPAddress, dict[str, Binding]] = {}
        self._owned: dict[str, list[IPAddress]] | None = None
        """MAC -> uncontested addresses, rebuilt after a change (lookups stay linear)."""
        for binding in bindings:
            self._by_address.setdefault(binding.address, {})[binding.mac] = binding

    def record(self, observations: Iterable[Observation]) -> None:
        """Take in observations (strongest source first within one read)."""
        ordered = sorted(observations, key=lambda o: (o.seen, o.source not in STRONG))
        self._owned = None
        for obs in ordered:
            held = self._by_address.setdefault(obs.address, {})
            binding = held.get(obs.mac)
            strong = obs.source in STRONG
            if binding is None:
                binding = Binding(obs.mac, obs.address, obs.seen, obs.seen, None, set())
                held[obs.mac] = binding
            binding.last_seen = max(binding.last_seen, obs.seen)
            binding.first_seen = min(binding.first_seen, obs.seen)
            binding.sources.add(obs.source)
            if strong:
                binding.strong_seen = max(binding.strong_seen or obs.seen, obs.seen)
            for mac, other in list(held.items()):
                if mac == obs.mac or other.last_seen >= obs.seen:
                    continue
                if strong or other.strong_seen is None:
                    del held[mac]
        self._bound()

    def expire(self, now: datetime) -> None:
        """Forget bindings not seen for :attr:`ttl`."""
        limit = now - self.ttl
        self._owned = None
        for address, held in list(self._by_address.items()):
            for mac, binding in list(held.items()):
                if binding.last_seen < limit:
                    del held[mac]
            if not held:
                del self._by_address[address]

    def _bound(self) -> None:
        if sum(map(len, self._by_address.values())) <= MAX_BINDINGS:
            return
        everything = [b for held in self._by_address.values() for b in held.values()]
        everything.sort(key=lambda b: b.last_seen)
        for binding in everything[: len(everything) - MAX_BINDINGS]:
            held = self._by_address[binding.address]
            del held[binding.mac]
            if not held:
                del self._by_address[binding.address]

    def owner(self, address: IPAddress) -> str | None:
        """Return the one MAC the network ties to ``address`` (None: none, or contested)."""
        held = self._by_address.get(address, {})
        return next(iter(held)) if len(held) == 1 else None

    def contested(self, address: IPAddress) -> tuple[str, ...]:
        """Return the MACs that claim ``address`` when more than one does."""
        held = self._by_address.get(address, {})
        return tuple(sorted(held)) if len(held) > 1 else ()

    def addresses(self, mac: str) -> tuple[IPAddress, ...]:
        """Every address owned (uncontested) by ``mac``, IPv4 first."""
        if self._owned is None:
            self._owned = {}
            for address, held in self._by_address.items():
                if len(held) == 1:
                    self._owned.setdefault(next(iter(held)), []).append(address)
        owned = self._owned.get(mac, [])
        return tuple(sorted(owned, key=lambda a: (a.version, int(a))))

    def bindings(self) -> list[Binding]:
        """Every binding held (for diagnostics and storage)."""
        return [b for held in self._by_address.values() for b in held.values()]

    def to_data(self) -> list[dict[str, Any]]:
        """JSON-able form, for Home Assistant's storage."""
        return [
            {
                "mac": b.mac,
                "address": plain_address(b.address),
                "first_seen": b.first_seen.isoformat(),
                "last_seen": b.last_seen.isoformat(),
                "strong_seen": b.strong_seen.isoformat() if b.strong_seen else None,
                "sources": sorted(s.value for s in b.sources),
            }
            for b in self.bindings()
        ]

    @classmethod
    def from_data(cls, data: object, *, ttl: timedelta = TTL) -> Sightings:
        """Read :meth:`to_data`'s form back; entries that do not parse are dropped."""
        bindings: list[Binding] = []
        for item in data[:MAX_BINDINGS] if isinstance(data, list) else []:
            binding = _binding(item) if isinstance(item, Mapping) else None
            if binding is not None:
                bindings.append(binding)
        return cls(bindings, ttl=ttl)


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _binding(item: Mapping[str, Any]) -> Binding | None:
    first, last = _time(item.get("first_seen")), _time(item.get("last_seen"))
    if first is None or last is None:
        return None
    obs = Observation.make(item.get("mac"), item.get("address"), Source.DHCP_DISCOVERY, last)
    if obs is None:
        return None
    sources = item.get("sources")
    names = {s.value for s in Source}
    kept = {Source(s) for s in sources if s in names} if isinstance(sources, list) else set()
    strong = _time(item.get("strong_seen"))
    return Binding(obs.mac, obs.address, min(first, last), last, strong, kept)
