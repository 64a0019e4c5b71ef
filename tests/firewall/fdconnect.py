"""Run inside a lab namespace: connect a TCP socket there and hand it to the test process.

Usage: fdconnect.py UNIX_FD HOST PORT. The test process keeps its own sockets on loopback (as
pytest-socket wants); this helper opens the connection from the Home Assistant host's
namespace and passes the connected descriptor back over the inherited Unix socket
(SCM_RIGHTS). A socket keeps the namespace it was made in, wherever its descriptor goes.
"""

from __future__ import annotations

import socket
import sys


def main() -> None:
    channel = socket.socket(fileno=int(sys.argv[1]))
    host, port = sys.argv[2], int(sys.argv[3])
    try:
        conn = socket.create_connection((host, port), timeout=5.0)
    except OSError as err:
        channel.sendall(f"error {err.errno}".encode())
        return
    socket.send_fds(channel, [b"ok"], [conn.fileno()])
    conn.close()
    channel.close()


if __name__ == "__main__":
    main()
