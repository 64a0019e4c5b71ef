"""Run inside the camera's namespace: hold one TCP session open and use it on request.

Usage: session.py ADDRESS PORT. Prints ``connected`` (or ``failed``), then answers each line
``send`` on standard input with ``ok`` when the echo came back within TIMEOUT, else ``dead``.
Ends when its standard input closes.
"""

from __future__ import annotations

import socket
import sys

TIMEOUT = 0.6


def main() -> None:
    address, port = sys.argv[1], int(sys.argv[2])
    try:
        sock = socket.create_connection((address, port), timeout=2.0)
    except OSError:
        print("failed", flush=True)
        return
    print("connected", flush=True)
    sock.settimeout(TIMEOUT)
    for line in sys.stdin:
        if line.strip() != "send":
            continue
        try:
            sock.sendall(b"data")
            print("ok" if sock.recv(16) == b"data" else "dead", flush=True)
        except OSError:
            print("dead", flush=True)
    sock.close()


if __name__ == "__main__":
    main()
