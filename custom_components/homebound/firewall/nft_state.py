"""Parse ``nft -j list table inet homebound`` into what verify and the readings need.

The JSON comes from a router, which may be compromised or simply odd (other nft versions
print some values as numbers, others as names). The parser checks the type of every value it
uses, ignores what it does not know, bounds what it keeps, and raises
:class:`~.errors.RouterOutputError` and nothing else, whatever it is given.

Why not the ``nftables`` Python binding: it needs ``libnftables`` on the machine that parses,
and the JSON arrives over SSH from another machine anyway; parsing is plain ``json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import ipaddress
import json
from typing import Any

from .errors import RouterOutputError
from .nft_render import ATTEMPT_SETS, TABLE
from .policy import IPAddress

MAX_TEXT = 64 * 1024 * 1024
MAX_ATTEMPTS = 4 * 65535
"""Most attempt elements kept from one read (the four sets' sizes)."""
MAX_ITEMS = 1_000_000
PROTOCOLS = {1: "icmp", 6: "tcp", 17: "udp", 33: "dccp", 58: "icmpv6", 132: "sctp"}
_PROTO_NAMES = {"ipv6-icmp": "icmpv6", "icmp6": "icmpv6", **{v: v for v in PROTOCOLS.values()}}
PORT_PROTOCOLS = frozenset({"tcp", "udp", "sctp", "dccp"})


@dataclass(frozen=True, slots=True)
class ChainState:
    """A chain as the kernel holds it."""

    hook: str | None
    priority: int | None
    rules: int


@dataclass(frozen=True, slots=True)
class RawAttempt:
    """One element of an attempts set: who (MAC or address) tried what, and its expiry."""

    set_name: str
    source: str
    address: IPAddress
    protocol: str
    port: int | None
    expires: float | None
    key: str
    """The element as nft writes it, to delete it again."""


@dataclass(frozen=True, slots=True)
class TableState:
    """Homebound's table on the router, or its absence."""

    present: bool
    counters: dict[str, int] = field(default_factory=dict)
    """Counter name -> packets."""
    elements: dict[str, frozenset[str]] = field(default_factory=dict)
    """Set or map name -> its keys (as text)."""
    chains: dict[str, ChainState] = field(default_factory=dict)
    attempts: tuple[RawAttempt, ...] = ()
    timeouts: dict[str, int] = field(default_factory=dict)
    """Attempts set -> element timeout in seconds."""
    items: tuple[Any, ...] = ()
    """The listing's objects of Homebound's table, as parsed JSON (for the content check:
    :func:`~.nft_content.content_of`)."""


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and len(value) <= 256 else None


def _key_text(value: Any) -> str | None:
    """Return a simple element key (MAC, address, prefix) as text."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dict) and isinstance(value.get("prefix"), dict):
        addr, length = _text(value["prefix"].get("addr")), _int(value["prefix"].get("len"))
        return f"{addr}/{length}" if addr is not None and length is not None else None
    return None


def _protocol(value: Any) -> str | None:
    if isinstance(value, str):
        return _PROTO_NAMES.get(value.lower(), value.lower() if value.isalnum() else None)
    number = _int(value)
    if number is None or not 0 <= number <= 255:
        return None
    return PROTOCOLS.get(number, str(number))


def _attempt(set_name: str, item: Any) -> RawAttempt | None:
    """Parse an attempts element; None when it is not one we wrote."""
    expires: float | None = None
    if isinstance(item, dict) and isinstance(item.get("elem"), dict):
        elem = item["elem"]
        raw_expires = elem.get("expires")
        if isinstance(raw_expires, int | float) and not isinstance(raw_expires, bool):
            expires = float(raw_expires)
        item = elem.get("val")
    if not isinstance(item, dict) or not isinstance(item.get("concat"), list):
        return None
    parts = item["concat"]
    if len(parts) != 4:
        return None
    source, dest, proto, port = _text(parts[0]), _text(parts[1]), _protocol(parts[2]), parts[3]
    port_number = _int(port)
    if source is None or dest is None or proto is None or port_number is None:
        return None
    if not 0 <= port_number <= 65535:
        return None
    try:
        address = ipaddress.ip_address(dest)
    except ValueError:
        return None
    key = f"{source} . {address} . {proto if proto != 'icmpv6' else 58} . {port_number}"
    return RawAttempt(
        set_name=set_name,
        source=source.lower(),
        address=address,
        protocol=proto,
        port=port_number if proto in PORT_PROTOCOLS else None,
        expires=expires,
        key=key,
    )


def _map_key(item: Any) -> str | None:
    if isinstance(item, list) and len(item) == 2:
        return _key_text(item[0])
    if isinstance(item, dict) and isinstance(item.get("elem"), dict):
        return _key_text(item["elem"].get("val"))
    return _key_text(item)


def load_items(text: str) -> list[Any]:
    """Return the objects of one ``nft -j`` listing (RouterOutputError if it is not one)."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise RouterOutputError("nft printed something too large to be its JSON")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise RouterOutputError("nft printed something that is not JSON") from err
    if not isinstance(data, dict) or not isinstance(data.get("nftables"), list):
        raise RouterOutputError("nft printed JSON without an 'nftables' list")
    items: list[Any] = data["nftables"]
    if len(items) > MAX_ITEMS:
        raise RouterOutputError("nft printed more objects than a Homebound table holds")
    return items


def parse_table(text: str) -> TableState:
    """Parse the JSON listing of Homebound's table (objects of other tables are ignored)."""
    state = TableState(present=False)
    attempts: list[RawAttempt] = []
    ours: list[Any] = []
    for entry in load_items(text):
        if not isinstance(entry, dict) or len(entry) != 1:
            continue
        ((kind, body),) = entry.items()
        if not isinstance(body, dict) or body.get("table", body.get("name")) != TABLE:
            continue
        if body.get("family") not in (None, "inet"):
            continue
        ours.append(entry)
        name = _text(body.get("name"))
        if kind == "table" and name == TABLE:
            state = TableState(True, state.counters, state.elements, state.chains)
        elif kind == "counter" and name is not None:
            state.counters[name] = _int(body.get("packets")) or 0
        elif kind == "chain" and name is not None:
            old = state.chains.get(name)
            state.chains[name] = ChainState(
                hook=_text(body.get("hook")),
                priority=_int(body.get("prio")),
                rules=old.rules if old else 0,
            )
        elif kind == "rule":
            chain = _text(body.get("chain"))
            if chain is not None:
                old = state.chains.get(chain, ChainState(None, None, 0))
                state.chains[chain] = ChainState(old.hook, old.priority, old.rules + 1)
        elif kind in {"set", "map"} and name is not None:
            elems = body.get("elem", [])
            if not isinstance(elems, list):
                continue
            if name in ATTEMPT_SETS:
                timeout = _int(body.get("timeout"))
                if timeout is not None:
                    state.timeouts[name] = timeout
                for item in elems:
                    if len(attempts) >= MAX_ATTEMPTS:
                        break
                    if (attempt := _attempt(name, item)) is not None:
                        attempts.append(attempt)
            else:
                keys = (_map_key(item) for item in elems)
                state.elements[name] = frozenset(k.lower() for k in keys if k is not None)
    if not state.present:
        return TableState(present=False)
    return TableState(
        True, state.counters, state.elements, state.chains, tuple(attempts), state.timeouts,
        tuple(ours),
    )  # fmt: skip
