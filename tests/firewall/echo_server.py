"""Run inside a lab namespace: echo on the TCP and UDP ports given, on every address.

Usage: echo_server.py PORT/PROTO... ; prints ``ready`` once every socket listens and then one
line per connection or datagram received (``tcp 443 198.18.1.50``), so a test can tell what
reached the host. Ends by itself after LIFETIME seconds, and when its standard input closes.
"""

from __future__ import annotations

import selectors
import socket
import sys
import time

LIFETIME = 600.0


def main() -> None:
    sel = selectors.DefaultSelector()
    for spec in sys.argv[1:]:
        port, proto = spec.split("/")
        kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
        sock = socket.socket(socket.AF_INET6, kind)
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("::", int(port)))
        if proto == "tcp":
            sock.listen(16)
        sel.register(sock, selectors.EVENT_READ, ("listen" if proto == "tcp" else "udp", port))
    sel.register(sys.stdin, selectors.EVENT_READ, ("stdin", ""))
    print("ready", flush=True)
    deadline = time.monotonic() + LIFETIME
    while time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1.0):
            role, port = key.data
            if role == "stdin":
                if not sys.stdin.readline():
                    return
                continue
            peer_sock = key.fileobj
            assert isinstance(peer_sock, socket.socket)
            _serve(sel, peer_sock, role, port)


def _serve(sel: selectors.BaseSelector, sock: socket.socket, role: str, port: str) -> None:
    """Accept, echo a datagram, or echo what a connection sent."""
    if role == "listen":
        conn, peer = sock.accept()
        conn.setblocking(False)
        sel.register(conn, selectors.EVENT_READ, ("conn", port))
        print(f"tcp {port} {_host(peer[0])}", flush=True)
    elif role == "udp":
        data, peer = sock.recvfrom(2048)
        print(f"udp {port} {_host(peer[0])}", flush=True)
        sock.sendto(data, peer)
    else:
        try:
            data = sock.recv(2048)
        except OSError:
            data = b""
        if data:
            sock.send(data)
        else:
            sel.unregister(sock)
            sock.close()


def _host(address: str) -> str:
    return address.removeprefix("::ffff:")


if __name__ == "__main__":
    main()
