"""Home Assistant processes that resolve names only on 127.0.0.1: nothing they look up leaves.

A firewall entry makes Home Assistant resolve the vendors' cloud domains (to name what a camera
tried to reach), through the machine's resolver, which forwards them off the machine. The
demo, the benchmarks and the tests that run a real ``hass`` must not: every ``hass`` of the
harness runs in a private mount namespace whose ``/etc/resolv.conf`` names only 127.0.0.1
(:func:`wrap_command`, ``unshare --mount`` with a bind mount; the host's file is untouched and
the mount vanishes with the process), where :class:`LoopbackDns` refuses every query. Home
Assistant's own code is unchanged: glibc's resolver (``loop.getaddrinfo``, which the firewall
uses) and c-ares (aiohttp's) both read that file.

Why a responder at all (a nameserver where nothing listens would fail as fast): something
else on the machine may listen on 127.0.0.1:53 and forward. The responder binds the port
itself (with ``SO_REUSEPORT``, so the harness's processes share it), which fails when another
server holds it, and answers one name, :data:`CHECK_NAME`, with :data:`CHECK_ADDRESS`: a
resolver that answers it is one of these responders, never a forwarding one (``.invalid``
names do not exist anywhere else, RFC 6761). :func:`check_resolver` proves it from inside a
running ``hass``'s namespace.

Why written here and not with a DNS library: it parses one question and writes a header
(and, for the check name, one A record); a dependency for that would be larger than this.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
import ipaddress
import json
import os
from pathlib import Path
import socket
import struct
import sys

LOOPBACK = "127.0.0.1"
DNS_PORT = 53
CHECK_NAME = "homebound-loopback-resolver.invalid"
CHECK_ADDRESS = "127.0.0.53"
"""The check name's answer: an address nothing else gives for a name that exists nowhere."""
RESOLV_CONF = (
    f"# Written by devtools/loopback_dns.py\nnameserver {LOOPBACK}\noptions timeout:1 attempts:1\n"
)

_HEADER = struct.Struct(">HHHHHH")
_QR, _AA, _RD = 0x8000, 0x0400, 0x0100
_OPCODE = 0x7800
NOERROR, FORMERR, REFUSED = 0, 1, 5
TYPE_A, CLASS_IN = 1, 1
MAX_NAME = 255

# Bind-mounts the file named first over /etc/resolv.conf in a private mount namespace, then
# runs the command. No /etc/resolv.conf at all means 127.0.0.1 to glibc and c-ares already.
_WRAPPER = (
    "set -e; conf=$1; shift; if [ -e /etc/resolv.conf ]; then "
    'mount --bind "$conf" "$(realpath /etc/resolv.conf)"; fi; exec "$@"'
)


class ResolverError(RuntimeError):
    """The loopback resolver cannot be set up, or a check found the namespace unprotected."""


def _question(query: bytes) -> tuple[str, int, int, int] | None:
    """Return (name, type, class, end offset) of a query's first question, None if malformed."""
    labels: list[str] = []
    offset = _HEADER.size
    while offset < len(query):
        length = query[offset]
        offset += 1
        if length == 0:
            if offset + 4 > len(query):
                return None
            qtype, qclass = struct.unpack_from(">HH", query, offset)
            name = ".".join(labels).lower()
            return (name, qtype, qclass, offset + 4) if len(name) <= MAX_NAME else None
        if length > 63 or offset + length > len(query):  # 63: a label's limit
            return None  # compression pointers never appear in a question we accept
        labels.append(query[offset : offset + length].decode("ascii", "replace"))
        offset += length
    return None


def answer(query: bytes) -> bytes | None:
    """Return the reply to one DNS query (None for something that is not one)."""
    if len(query) < _HEADER.size:
        return None
    ident, flags, qdcount, _, _, _ = _HEADER.unpack_from(query)
    if flags & _QR:
        return None  # a response, not a query
    base = _QR | (flags & (_OPCODE | _RD))
    question = _question(query) if qdcount == 1 else None
    if question is None:
        return _HEADER.pack(ident, base | FORMERR, 0, 0, 0, 0)
    name, qtype, qclass, end = question
    asked = query[_HEADER.size : end]
    if name != CHECK_NAME:
        return _HEADER.pack(ident, base | REFUSED, 1, 0, 0, 0) + asked
    if (qtype, qclass) != (TYPE_A, CLASS_IN):
        return _HEADER.pack(ident, base | _AA | NOERROR, 1, 0, 0, 0) + asked
    record = struct.pack(">HHHIH", 0xC000 | _HEADER.size, TYPE_A, CLASS_IN, 0, 4)
    record += ipaddress.IPv4Address(CHECK_ADDRESS).packed
    return _HEADER.pack(ident, base | _AA | NOERROR, 1, 1, 0, 0) + asked + record


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, owner: LoopbackDns) -> None:
        self.owner = owner
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.DatagramTransport)
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        reply = answer(data)
        if reply is None or self.transport is None:
            return
        self.owner.queries += 1
        self.transport.sendto(reply, addr)


class LoopbackDns:
    """A DNS responder on 127.0.0.1:53 (UDP) that refuses every name but :data:`CHECK_NAME`."""

    def __init__(self) -> None:
        """Nothing listens before :meth:`start`."""
        self.queries = 0
        """Queries this responder answered (the harness's processes share the port)."""
        self._transport: asyncio.DatagramTransport | None = None

    async def start(self) -> None:
        """Bind 127.0.0.1:53; raise ResolverError when that is not possible."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((LOOPBACK, DNS_PORT))
        except PermissionError as err:
            sock.close()
            msg = (
                f"cannot listen on {LOOPBACK}:{DNS_PORT} ({err}): Home Assistant runs here with "
                "a loopback resolver, which needs root"
            )
            raise ResolverError(msg) from err
        except OSError as err:
            sock.close()
            msg = (
                f"{LOOPBACK}:{DNS_PORT} is held by another DNS server ({err}); it may forward "
                "queries off the machine, so Home Assistant is not started with it"
            )
            raise ResolverError(msg) from err
        sock.setblocking(False)
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(lambda: _Protocol(self), sock=sock)
        self._transport = transport

    def stop(self) -> None:
        """Stop answering."""
        transport, self._transport = self._transport, None
        if transport is not None:
            transport.close()


def write_resolv_conf(path: Path) -> Path:
    """Write the resolv.conf Home Assistant's namespace sees; return its path."""
    path.write_text(RESOLV_CONF)
    return path


def wrap_command(resolv_conf: Path, command: list[str]) -> list[str]:
    """Return ``command`` run in a private mount namespace that sees ``resolv_conf``."""
    if os.geteuid() != 0:
        msg = "Home Assistant runs here in a private mount namespace, which needs root"
        raise ResolverError(msg)
    return [
        "unshare",
        "--mount",
        "--propagation",
        # slave, not private: network namespaces made after Home Assistant started (the demo's
        # "router" brought back) must still appear under its /run/netns; its own bind mount
        # of resolv.conf still never reaches the host.
        "slave",
        "--",
        "/bin/sh",
        "-c",
        _WRAPPER,
        "hass-resolver",
        str(resolv_conf),
        *command,
    ]


def nameservers(pid: int) -> list[str]:
    """Return the nameservers a running process sees (its mount namespace's resolv.conf)."""
    try:
        # The file as the process sees it, through its own root and mount namespace.
        text = Path("/proc", str(pid), "root", "etc", "resolv.conf").read_text()
    except FileNotFoundError:
        return []  # no file: glibc and c-ares use 127.0.0.1
    return [
        line.split()[1]
        for line in text.splitlines()
        if line.split()[:1] == ["nameserver"] and len(line.split()) > 1
    ]


_PROBE = """
import json, socket, sys
out = {}
for name in sys.argv[1:]:
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except OSError as err:
        out[name] = {"error": type(err).__name__ + ": " + str(err)}
    else:
        out[name] = {"addresses": sorted({info[4][0] for info in infos})}
print(json.dumps(out))
"""


async def check_resolver(pid: int, names: list[str]) -> dict[str, dict[str, object]]:
    """Resolve ``names`` from inside process ``pid``'s mount namespace, as Home Assistant does.

    Raise ResolverError unless that namespace names only 127.0.0.1, the check name resolves to
    :data:`CHECK_ADDRESS` there (a loopback responder answered) and none of ``names``
    resolves. Returns what each name gave.
    """
    servers = nameservers(pid)
    if any(server != LOOPBACK for server in servers):
        msg = f"Home Assistant (pid {pid}) resolves through {servers}, not {LOOPBACK} only"
        raise ResolverError(msg)
    proc = await asyncio.create_subprocess_exec(
        "nsenter",
        f"--target={pid}",
        "--mount",
        "--root",
        "--wd",
        "--",
        sys.executable,
        "-c",
        _PROBE,
        CHECK_NAME,
        *names,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(proc.communicate(), 30)
    except TimeoutError:
        with suppress(ProcessLookupError):
            proc.kill()
        await proc.wait()
        msg = "resolving names inside Home Assistant's namespace took over 30 s"
        raise ResolverError(msg) from None
    if proc.returncode != 0:
        msg = f"the resolver probe failed: {stderr.decode(errors='replace')[-500:]}"
        raise ResolverError(msg)
    results: dict[str, dict[str, object]] = json.loads(stdout)
    if results.get(CHECK_NAME, {}).get("addresses") != [CHECK_ADDRESS]:
        msg = f"{CHECK_NAME} was not answered by a loopback responder: {results.get(CHECK_NAME)}"
        raise ResolverError(msg)
    resolved = {k: v for k, v in results.items() if k != CHECK_NAME and "error" not in v}
    if resolved:
        msg = f"names resolved inside Home Assistant's namespace: {resolved}"
        raise ResolverError(msg)
    return results
