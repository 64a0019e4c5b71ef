"""Run inside the camera's namespace: try destinations once each, print what answered.

Usage: probe.py JSON, where JSON is a list of [kind, address, port] with kind tcp, udp or
icmp. Each attempt sends exactly one packet towards its destination (a TCP SYN is not
retransmitted within the timeout, a UDP datagram, an ICMP echo), so the router's counters can
be compared exactly. Prints a JSON list of booleans: whether each destination answered.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
import ipaddress
import json
import socket
import struct
import sys

TIMEOUT = 0.6
"""Shorter than Linux's first SYN retransmission (1 s): one SYN per TCP attempt."""


def _family(address: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ipaddress.ip_address(address).version == 6 else socket.AF_INET


def tcp(address: str, port: int) -> bool:
    with socket.socket(_family(address), socket.SOCK_STREAM) as sock:
        sock.settimeout(TIMEOUT)
        try:
            sock.connect((address, port))
            sock.sendall(b"ping")
            return sock.recv(16) == b"ping"
        except OSError:
            return False


def udp(address: str, port: int) -> bool:
    with socket.socket(_family(address), socket.SOCK_DGRAM) as sock:
        sock.settimeout(TIMEOUT)
        try:
            sock.sendto(b"ping", (address, port))
            return sock.recv(16) == b"ping"
        except OSError:
            return False


def icmp(address: str, _port: int) -> bool:
    v6 = _family(address) == socket.AF_INET6
    proto = socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP
    kind, reply = (128, 129) if v6 else (8, 0)
    ident = 0x4842
    header = struct.pack("!BBHHH", kind, 0, 0, ident, 1) + b"homebound"
    if not v6:
        padded = header + b"\0" * (len(header) % 2)
        total = sum(struct.unpack(f"!{len(padded) // 2}H", padded))
        total = (total >> 16) + (total & 0xFFFF)
        checksum = ~(total + (total >> 16)) & 0xFFFF
        header = header[:2] + struct.pack("!H", checksum) + header[4:]
    with socket.socket(_family(address), socket.SOCK_RAW, proto) as sock:
        sock.settimeout(TIMEOUT)
        sock.sendto(header, (address, 0))
        try:
            while True:
                data, _ = sock.recvfrom(256)
                body = data if v6 else data[(data[0] & 0x0F) * 4 :]
                if body[0] == reply and struct.unpack("!H", body[4:6])[0] == ident:
                    return True
        except OSError:
            return False


def main() -> None:
    tries = json.loads(sys.argv[1])
    kinds = {"tcp": tcp, "udp": udp, "icmp": icmp}
    with ThreadPoolExecutor(max_workers=max(1, len(tries))) as pool:
        results = list(pool.map(lambda t: kinds[t[0]](t[1], int(t[2])), tries))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
