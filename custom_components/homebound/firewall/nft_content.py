"""Homebound's table by content: the kernel's listing in a normalised form that verify compares.

Why content and not counts: every object of the table can change a verdict. One element added
to ``allow4`` lets a camera out while the rule count, the hooks and the camera set stay the
same; a priority moved behind the router's own accept, a policy flipped, a table made
``dormant``, an extra base chain - none of these shows in a count. So verify compares the
whole table: chains (type, hook, priority, policy, each rule's statements), sets and maps
(declaration and elements), named counters, and any other object found in it.

What is left out, because it changes by itself: handles, packet and byte values, the elements
of dynamic sets (the attempts record the packet path writes) and the ``expires`` of timeout
elements (kept apart, for the update windows that close by themselves).

Every value is canonicalised so that two spellings of one thing compare equal: addresses as
``ipaddress`` prints them (a /32 prefix is the address), ranges that are one prefix as that
prefix, MACs in lower case, protocol names as numbers, the 1-dimensional interval sets of
addresses as the collapsed networks they cover, anonymous sets in rules sorted. The listing
comes from a router that may be hostile: anything of an unknown shape becomes a text that
compares unequal (a change is reported, never hidden), and the only exception raised is
:class:`~.errors.RouterOutputError`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
import hashlib
import ipaddress
import json
from typing import Any

from .errors import RouterOutputError

MAX_ELEMENTS = 2_000_000
"""Most set elements canonicalised from one listing (a Homebound table holds far fewer)."""
MAX_DEPTH = 48
"""Deepest nesting of a rule's statements that is walked."""
_PROTOCOLS = {
    "icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "gre": 47, "esp": 50, "ah": 51, "dccp": 33,
    "icmpv6": 58, "ipv6-icmp": 58, "sctp": 132, "udplite": 136,
}  # fmt: skip
_ADDRESS_TYPES = frozenset({"ipv4_addr", "ipv6_addr"})
_COMPARED_FLAGS = frozenset({"interval", "timeout", "constant"})
"""Set flags compared (``dynamic`` is left out: nft versions differ in printing it)."""
_VERDICTS = frozenset({"accept", "drop", "return", "continue", "reject", "queue"})
_STATE_KEYS = frozenset({"packets", "bytes", "used"})
"""Values a stateful statement (counter, quota) changes as traffic passes."""


@dataclass(frozen=True, slots=True)
class ChainContent:
    """A chain: its base-chain declaration (all None for a regular chain) and its rules."""

    type: str | None = None
    hook: str | None = None
    priority: int | None = None
    policy: str | None = None
    rules: tuple[str, ...] = ()
    """Each rule's statements as canonical JSON (kernel side) or as written (expected side)."""


@dataclass(frozen=True, slots=True)
class SetContent:
    """A set or a map: declaration and elements (each one canonical text)."""

    kind: str = "set"
    """``set`` or ``map``."""
    type: str | None = None
    """Key type, ``ipv4_addr . inet_proto . inet_service``; None when unknown (``typeof``)."""
    data: str | None = None
    """A map's value type (``counter``, ``verdict``...)."""
    flags: frozenset[str] = frozenset()
    timeout: int | None = None
    size: int | None = None
    elements: frozenset[str] = frozenset()
    expiring: Mapping[str, float] = field(default_factory=dict)
    """Element -> seconds left, for elements that carry a timeout."""


@dataclass(frozen=True, slots=True)
class TableContent:
    """Homebound's table as the kernel holds it (or as a script makes it)."""

    flags: tuple[str, ...] = ()
    chains: Mapping[str, ChainContent] = field(default_factory=dict)
    sets: Mapping[str, SetContent] = field(default_factory=dict)
    counters: frozenset[str] = frozenset()
    objects: frozenset[tuple[str, str]] = frozenset()
    """Other named objects (kind, name): quotas, flowtables, ct helpers..."""

    def digest(self) -> str:
        """Return a SHA-256 of the content (timeouts' seconds left out), for diagnostics."""
        body = {
            "flags": list(self.flags),
            "chains": {
                name: [c.type, c.hook, c.priority, c.policy, list(c.rules)]
                for name, c in sorted(self.chains.items())
            },
            "sets": {
                name: [
                    s.kind,
                    s.type,
                    s.data,
                    sorted(s.flags),
                    s.timeout,
                    s.size,
                    sorted(s.elements),
                ]
                for name, s in sorted(self.sets.items())
            },
            "counters": sorted(self.counters),
            "objects": sorted(self.objects),
        }
        text = json.dumps(body, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


# -- canonical values --------------------------------------------------------------------


def _address_text(text: str) -> str | None:
    """Write an address or prefix as ``ipaddress`` does (a full-length prefix: the address)."""
    try:
        net = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None
    if net.prefixlen == net.max_prefixlen:
        return str(net.network_address)
    return str(net)


def range_text(low: str, high: str) -> str:
    """Write a range as its one prefix when it is exactly one, else as ``low-high``."""
    if low == high:
        return low
    try:
        first, last = ipaddress.ip_address(low), ipaddress.ip_address(high)
        nets = list(ipaddress.summarize_address_range(first, last))
    except (ValueError, TypeError):
        return f"{low}-{high}"
    if len(nets) == 1:
        return _address_text(str(nets[0])) or f"{low}-{high}"
    return f"{low}-{high}"


def atom_text(text: str, kind: str | None) -> str:
    """One element part written as text (``198.18.0.1/32``, ``udp``, ``0-65535``), canonical."""
    text = text.strip().strip('"')
    if kind in _ADDRESS_TYPES or (kind is None and ("." in text or ":" in text)):
        if (addr := _address_text(text)) is not None:
            return addr
        low, sep, high = text.partition("-")
        if sep and low and high:
            return range_text(atom_text(low, kind), atom_text(high, kind))
        return text.lower()
    if kind == "inet_proto" and text.lower() in _PROTOCOLS:
        return str(_PROTOCOLS[text.lower()])
    low, sep, high = text.partition("-")
    if sep and low.isdigit() and high.isdigit():
        return range_text(str(int(low)), str(int(high)))
    if text.isdigit():
        return str(int(text))
    return text.lower()


def _unknown(value: Any) -> str:
    """Text for a value of a shape nobody here writes: never equal to a known element."""
    try:
        return "?" + json.dumps(value, sort_keys=True, separators=(",", ":"))[:200]
    except (TypeError, ValueError, RecursionError):
        return "?"


def atom_json(value: Any, kind: str | None) -> str:
    """One element part as the kernel's JSON gives it, canonical (see :func:`atom_text`)."""
    if isinstance(value, bool):
        return _unknown(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and len(value) <= 256:
        return atom_text(value, kind)
    if isinstance(value, dict) and len(value) == 1:
        prefix, span = value.get("prefix"), value.get("range")
        if isinstance(prefix, dict):
            addr, length = prefix.get("addr"), prefix.get("len")
            if isinstance(addr, str) and isinstance(length, int) and not isinstance(length, bool):
                return _address_text(f"{addr}/{length}") or _unknown(value)
        if isinstance(span, list) and len(span) == 2:
            return range_text(atom_json(span[0], kind), atom_json(span[1], kind))
    return _unknown(value)


def key_types(type_text: str | None) -> list[str | None]:
    """Each position's type of a key type ``a . b . c`` (``[None]`` when unknown)."""
    if type_text is None:
        return [None]
    return [part.strip() for part in type_text.split(" . ")]


def collapse(elements: Iterable[str]) -> frozenset[str]:
    """Return the networks a 1-dimensional address interval set covers, collapsed."""
    nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    kept = list(elements)
    for element in kept:
        low, sep, high = element.partition("-")
        try:
            if sep:
                first, last = ipaddress.ip_address(low), ipaddress.ip_address(high)
                nets += ipaddress.summarize_address_range(first, last)
            else:
                nets.append(ipaddress.ip_network(element, strict=False))
        except (ValueError, TypeError):
            return frozenset(kept)
    v4 = [n for n in nets if isinstance(n, ipaddress.IPv4Network)]
    v6 = [n for n in nets if isinstance(n, ipaddress.IPv6Network)]
    merged = [*ipaddress.collapse_addresses(v4), *ipaddress.collapse_addresses(v6)]
    return frozenset(_address_text(str(n)) or str(n) for n in merged)


def is_address_interval(content: SetContent) -> bool:
    """Whether a set is an interval set of plain addresses (compared by what it covers)."""
    return content.kind == "set" and "interval" in content.flags and content.type in _ADDRESS_TYPES


# -- the kernel's listing ----------------------------------------------------------------


def _names(value: Any) -> list[str]:
    """Return a JSON string or list of strings (types, flags) as a list."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return ["?"]


def _verdict_text(value: Any) -> str:
    """Write a map's value: a counter name, or a verdict as nft writes it."""
    if isinstance(value, str):
        return value[:256]
    if isinstance(value, dict) and len(value) == 1:
        ((key, body),) = value.items()
        if key in _VERDICTS and body is None:
            return str(key)
        target = body.get("target") if isinstance(body, dict) else None
        if key in {"goto", "jump"} and isinstance(target, str):
            return f"{key} {target}"
    return atom_json(value, None)


def _element(item: Any, types: list[str | None], is_map: bool) -> tuple[str, float | None]:
    """One element of the listing: its canonical text and, if it has one, its time left."""
    value: Any = None
    if is_map:
        if isinstance(item, list) and len(item) == 2:
            item, value = item
        else:
            return _unknown(item), None
    expires: float | None = None
    if isinstance(item, dict) and isinstance(item.get("elem"), dict):
        elem = item["elem"]
        left = elem.get("expires", elem.get("timeout"))
        if "timeout" in elem or "expires" in elem:
            valid = isinstance(left, int | float) and not isinstance(left, bool)
            expires = float(left) if valid else float("inf")
        item = elem.get("val")
    if isinstance(item, dict) and isinstance(item.get("concat"), list):
        parts = item["concat"]
        kinds = types if len(types) == len(parts) else [None] * len(parts)
        text = " . ".join(atom_json(p, k) for p, k in zip(parts, kinds, strict=True))
    else:
        text = atom_json(item, types[0] if len(types) == 1 else None)
    if is_map:
        text = f"{text} : {_verdict_text(value)}"
    return text, expires


def _set(body: dict[str, Any], kind: str, dynamic: bool, budget: list[int]) -> SetContent:
    types = _names(body.get("type")) if "type" in body else ["?"]
    type_text = " . ".join(types)
    data = " . ".join(_names(body["map"])) if kind == "map" and "map" in body else None
    flags = frozenset(_names(body.get("flags", []))) & _COMPARED_FLAGS
    timeout, size = body.get("timeout"), body.get("size")
    content = SetContent(
        kind=kind,
        type=type_text,
        data=data,
        flags=flags,
        timeout=timeout if isinstance(timeout, int) and not isinstance(timeout, bool) else None,
        size=size if isinstance(size, int) and not isinstance(size, bool) else None,
    )
    items = body.get("elem", [])
    if dynamic:
        return content
    if not isinstance(items, list):
        return SetContent(**{**_fields(content), "elements": frozenset({_unknown(items)})})
    budget[0] -= len(items)
    if budget[0] < 0:
        raise RouterOutputError("nft listed more set elements than a Homebound table holds")
    elements: set[str] = set()
    expiring: dict[str, float] = {}
    for item in items:
        text, left = _element(item, key_types(type_text), kind == "map")
        elements.add(text)
        if left is not None:
            expiring[text] = left
    found = frozenset(elements)
    if is_address_interval(content):
        found = collapse(found)
    return SetContent(**{**_fields(content), "elements": found, "expiring": expiring})


def _fields(content: SetContent) -> dict[str, Any]:
    return {name: getattr(content, name) for name in SetContent.__slots__}


def canonical_rule(expr: Any) -> str:
    """Write a rule's statements as canonical JSON (traffic counts out, anonymous sets sorted)."""
    try:
        return json.dumps(_strip(expr, 0), sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError) as err:
        raise RouterOutputError("nft listed a rule that cannot be read") from err


def _strip(value: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise RouterOutputError("nft listed a rule nested too deeply")
    if isinstance(value, list):
        return [_strip(v, depth + 1) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        kept = item
        if key in {"counter", "quota"} and isinstance(item, dict):
            kept = {k: v for k, v in item.items() if k not in _STATE_KEYS}
        stripped = _strip(kept, depth + 1)
        if key == "set" and isinstance(stripped, list):
            stripped = sorted(stripped, key=lambda v: json.dumps(v, sort_keys=True))
        out[key] = stripped
    return out


def content_of(items: Iterable[Any], table: str, dynamic: Collection[str] = ()) -> TableContent:
    """Normalise the objects of one table from ``nft -j list table`` (others are ignored).

    ``dynamic`` names the sets whose elements the packet path writes (not compared).
    """
    flags: tuple[str, ...] = ()
    chains: dict[str, ChainContent] = {}
    rules: dict[str, list[str]] = {}
    sets: dict[str, SetContent] = {}
    counters: set[str] = set()
    objects: set[tuple[str, str]] = set()
    budget = [MAX_ELEMENTS]
    for entry in items:
        if not isinstance(entry, dict) or len(entry) != 1:
            continue
        ((kind, body),) = entry.items()
        if not isinstance(body, dict) or body.get("family") not in (None, "inet"):
            continue
        owner = body.get("name") if kind == "table" else body.get("table")
        if owner != table or kind == "metainfo":
            continue
        name = body.get("name")
        if kind == "table":
            if body.get("flags") not in (None, [], ""):
                flags = tuple(str(f)[:40] for f in _names(body.get("flags")))
        elif kind == "rule":
            chain = body.get("chain")
            if isinstance(chain, str):
                rules.setdefault(chain, []).append(canonical_rule(body.get("expr")))
        elif not isinstance(name, str) or len(name) > 256:
            continue
        elif kind == "chain":
            prio = body.get("prio")
            chains[name] = ChainContent(
                type=_opt_text(body.get("type")),
                hook=_opt_text(body.get("hook")),
                priority=prio if isinstance(prio, int) and not isinstance(prio, bool) else None,
                policy=_opt_text(body.get("policy")),
            )
        elif kind in {"set", "map"}:
            sets[name] = _set(body, kind, name in dynamic, budget)
        elif kind == "counter":
            counters.add(name)
        else:
            objects.add((str(kind)[:40], name))
    for chain, listed in rules.items():
        if (base := chains.get(chain)) is not None:  # rules of no chain: the chain is missing
            chains[chain] = ChainContent(
                base.type, base.hook, base.priority, base.policy, tuple(listed)
            )
    return TableContent(flags, chains, sets, frozenset(counters), frozenset(objects))


def _opt_text(value: Any) -> str | None:
    return value[:64] if isinstance(value, str) else None
