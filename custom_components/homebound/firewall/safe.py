"""Text for rules, commands, files and log lines, made only from parsed, canonical values.

Why this module: Python's :mod:`ipaddress` accepts an IPv6 *scope id* made of any characters,
newlines included (``2001:db8::5%eth0<newline>-I FORWARD 1 -j ACCEPT``), keeps it on the
parsed object and gives it back from ``str()`` - on networks as well as on addresses. A
scoped address also compares unequal to the same address without the scope, so it slips
past set-membership checks (the protected set, "claimed twice"). Every address a camera, a
router or a form hands in therefore goes through :func:`parse_address`, which refuses scope
ids, and every address written out goes through :func:`plain_address`, which writes the
number and nothing else. Whatever hostile text is shown to a person (a repair, a log line)
goes through :func:`shown`: escaped, quoted and cut short.
"""

from __future__ import annotations

import ipaddress
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

type IPAddress = IPv4Address | IPv6Address
type IPNetwork = IPv4Network | IPv6Network

SHOWN_LIMIT = 64
"""Most characters of an untrusted value put in a message."""


def is_scoped(value: IPAddress | IPNetwork) -> bool:
    """Whether an IPv6 address or network carries a scope id (``%...``)."""
    if isinstance(value, IPv6Address):
        return value.scope_id is not None
    if isinstance(value, IPv6Network):
        return value.network_address.scope_id is not None
    return False


def parse_address(value: object) -> IPAddress | None:
    """Return the address ``value`` holds (text or object), without scope; None if it is none.

    An address with a scope id is refused, not stripped: the scope is the part a hostile
    sender chose, and what it meant is unknown.
    """
    if isinstance(value, IPv4Address | IPv6Address):
        return None if is_scoped(value) else value
    if not isinstance(value, str) or len(value) > 100:
        return None
    try:
        addr = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    return None if is_scoped(addr) else addr


def parse_network(value: object) -> IPNetwork | None:
    """Return the network ``value`` holds (host bits dropped), without scope; None otherwise."""
    if isinstance(value, IPv4Network | IPv6Network):
        return None if is_scoped(value) else value
    if not isinstance(value, str) or len(value) > 100:
        return None
    try:
        net = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        return None
    return None if is_scoped(net) else net


def plain_address(addr: IPAddress) -> str:
    """Write an address from its number alone (never a scope id)."""
    if isinstance(addr, IPv4Address):
        return str(IPv4Address(int(addr)))
    return str(IPv6Address(int(addr)))


def plain_network(net: IPNetwork) -> str:
    """Write a network as ``address/prefix`` from its numbers alone."""
    return f"{plain_address(net.network_address)}/{net.prefixlen}"


def unscoped(addr: IPAddress) -> IPAddress:
    """Return the same address as a fresh object without a scope id."""
    if isinstance(addr, IPv4Address):
        return addr
    return IPv6Address(int(addr))


def shown(value: object, limit: int = SHOWN_LIMIT) -> str:
    """Quote an untrusted value for a message: escaped, printable, at most ``limit`` characters.

    ``repr`` escapes control and format characters (newlines, ANSI escapes, bidi overrides),
    so a value shown this way cannot start a new log line or restyle a terminal.
    """
    text = value if isinstance(value, str) else str(value)
    cut = text[:limit] + ("…" if len(text) > limit else "")
    return repr(cut)


def safe_name(name: object, limit: int = SHOWN_LIMIT) -> str:
    """Return a name fit for labels: printable characters only, whitespace folded, cut short."""
    text = name if isinstance(name, str) else ""
    kept = "".join(ch if ch.isprintable() else " " for ch in text[: limit * 4])
    return " ".join(kept.split())[:limit]
