"""Run the third-party ONVIF server ipycam confined to the loopback interface.

This file is executed with the interpreter of ``.venv-ipycam`` (where ipycam is
installed); the test suite only imports its constants:

    .venv-ipycam/bin/python tests/peers/ipycam_launch.py \
        --config camera_config.json --source clip.mp4

It makes three changes before handing control to ipycam's own command line:

* every ``bind`` to a wildcard address ("", 0.0.0.0, ::) is redirected to
  127.0.0.1, so the ONVIF/HTTP server, the RTSP server and RTP sockets only
  listen on loopback;
* ipycam's WS-Discovery responder (UDP 3702, multicast) is replaced by a no-op;
* once ipycam's ``IPCamera.start`` has returned (the HTTP and RTSP sockets are
  checked to listen on loopback) and the first video frame has been handed to
  ``IPCamera.stream`` (so snapshots and RTSP have a picture), the launcher
  prints exactly one line to stdout:
  ``HOMEBOUND-IPYCAM-READY {"host": ..., "onvif_port": ..., "rtsp_port": ...}``
  (or ``HOMEBOUND-IPYCAM-FAILED <reason>``). After that line the process's
  stdout is pointed at its stderr, so the parent sees end-of-file on the pipe
  and does not need to keep draining it.

The remaining arguments are passed to ipycam unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
import importlib
import json
import os
from pathlib import Path
import socket
import sys
from typing import Any

READY_PREFIX = "HOMEBOUND-IPYCAM-READY "
FAILED_PREFIX = "HOMEBOUND-IPYCAM-FAILED "
LOOPBACK = "127.0.0.1"
_WILDCARDS = frozenset({"", "0.0.0.0", "::", "::0"})  # noqa: S104 - matched, not bound


def _confine_binds_to_loopback() -> None:
    """Rewrite wildcard binds of IPv4 sockets to 127.0.0.1."""
    original_bind = socket.socket.bind

    def bind(self: socket.socket, address: Any, /) -> None:
        if (
            self.family == socket.AF_INET
            and isinstance(address, tuple)
            and address
            and address[0] in _WILDCARDS
        ):
            address = (LOOPBACK, *address[1:])
        elif self.family == socket.AF_INET6 and isinstance(address, tuple):
            msg = "ipycam launcher: IPv6 listening sockets are not allowed"
            raise OSError(msg)
        original_bind(self, address)

    socket.socket.bind = bind  # type: ignore[method-assign, assignment]


class _NoDiscovery:
    """Stand-in for ipycam's WS-Discovery server: never opens a socket."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Accept and ignore ipycam's constructor arguments."""

    def start(self) -> None:
        """Do nothing."""

    def stop(self) -> None:
        """Do nothing."""

    def join(self, *args: object, **kwargs: object) -> None:
        """Do nothing."""


def _announce(line: str) -> None:
    """Write the single status line, then detach stdout from the parent's pipe."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())


def _listening_port(sock: Any) -> int | None:
    """Return the local port of a listening socket bound to loopback, else None."""
    if not isinstance(sock, socket.socket):
        return None
    host, port = sock.getsockname()[:2]
    if host != LOOPBACK:
        return None
    return int(port)


def _wrap_camera(camera_class: Any) -> None:
    """Make ipycam report readiness once its servers listen and a first frame is in.

    ``IPCamera.start`` opens the HTTP (ONVIF) and RTSP servers; the first
    ``IPCamera.stream`` call stores the frame that snapshots and RTSP encode, so
    the readiness line is printed after that call returns.
    """
    original_start: Callable[[Any], bool] = camera_class.start
    original_stream: Callable[[Any, Any], bool] = camera_class.stream
    state: dict[str, Any] = {"ready": None, "announced": False}

    def start(self: Any) -> bool:
        started = bool(original_start(self))
        if not started:
            state["announced"] = True
            _announce(FAILED_PREFIX + "IPCamera.start() returned False")
            return started
        http_server = getattr(self, "_http_server", None)
        onvif_port = _listening_port(getattr(http_server, "socket", None))
        rtsp_server = getattr(self, "rtsp_server", None)
        rtsp_port = _listening_port(getattr(rtsp_server, "_server_socket", None))
        if onvif_port is None or rtsp_port is None:
            state["announced"] = True
            _announce(
                FAILED_PREFIX
                + f"servers not listening on loopback (onvif={onvif_port}, rtsp={rtsp_port},"
                f" streaming mode={getattr(self, '_streaming_mode', '?')})"
            )
            return started
        state["ready"] = {"host": LOOPBACK, "onvif_port": onvif_port, "rtsp_port": rtsp_port}
        return started

    def stream(self: Any, frame: Any) -> bool:
        result = bool(original_stream(self, frame))
        if not state["announced"] and state["ready"] is not None:
            state["announced"] = True
            _announce(READY_PREFIX + json.dumps(state["ready"]))
        return result

    camera_class.start = start
    camera_class.stream = stream


def _forget_own_directory() -> None:
    """Drop this file's directory from ``sys.path``.

    Run as a script, Python puts ``tests/peers`` first on the path, where the
    test helper ``ipycam.py`` would shadow the real ipycam package.
    """
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]


def main() -> int:
    """Patch ipycam, then run its command-line entry point."""
    _forget_own_directory()
    _confine_binds_to_loopback()
    camera_module: Any = importlib.import_module("ipycam.camera")
    camera_module.WSDiscoveryServer = _NoDiscovery
    _wrap_camera(camera_module.IPCamera)
    cli: Any = importlib.import_module("ipycam.__main__")
    sys.argv[0] = "ipycam"
    result = cli.main()
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
