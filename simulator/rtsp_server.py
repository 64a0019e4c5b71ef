"""RTSP server of the virtual camera, run as a child process under Debian's python3 (python3-gi).

It serves one mount per ``--mount PATH:WIDTH:HEIGHT:CODEC:KBPS`` (H.264 or H.265) from
GStreamer's RTSP server, bound to 127.0.0.1 for RTSP and for RTP over UDP, with RTSP Basic
authentication when credentials are given. Protocol with the parent process:

* credentials arrive in the environment (``HOMEBOUND_RTSP_USER``/``HOMEBOUND_RTSP_PASSWORD``);
* stdout: exactly one line, ``READY <port>`` once the server listens, ``UNAVAILABLE <why>`` when
  GStreamer or a needed element is missing (exit status 3), ``ERROR <why>`` when the port cannot be
  bound (exit status 2);
* ``--server TEXT`` replaces GStreamer's ``Server`` header in every answer (empty: none), so
  the camera's RTSP server names itself as its persona's firmware does;
* stdin: ``CREDENTIALS <base64 user> <base64 password>`` lines replace the credentials; ``DROP``
  closes every client connection (the camera rebooted); end of file (the parent went away)
  stops the server, and so does SIGTERM or SIGINT.

This file must stay runnable by Python 3.11 and needs nothing but the standard library and gi.
"""

from __future__ import annotations

import argparse
import base64
import os
import signal
import sys
from typing import Any
import warnings

EXIT_BIND_FAILED = 2
EXIT_UNAVAILABLE = 3
FRAME_RATE = 15
RTP_PORT_RANGE = (40000, 59999)


def _launch(width: int, height: int, codec: str, bitrate: int, label: str) -> str:
    """Return the gst-launch description of one mount's pipeline."""
    safe_label = "".join(ch for ch in label if ch.isalnum() or ch in " -_.:")
    source = (
        f"videotestsrc is-live=true pattern=ball "
        f"! video/x-raw,width={width},height={height},framerate={FRAME_RATE}/1 "
        f'! clockoverlay text="{safe_label}" shaded-background=true '
        f'time-format="%Y-%m-%d %H:%M:%S" ! videoconvert '
    )
    if codec == "H265":
        encoder = (
            f"! x265enc tune=zerolatency speed-preset=ultrafast key-int-max={FRAME_RATE} "
            f"bitrate={bitrate} ! video/x-h265,profile=main ! h265parse "
            f"! rtph265pay name=pay0 pt=96 config-interval=1"
        )
    else:
        encoder = (
            f"! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={FRAME_RATE} "
            f"bitrate={bitrate} ! video/x-h264,profile=baseline "
            f"! rtph264pay name=pay0 pt=96 config-interval=1"
        )
    return f"( {source}{encoder} )"


def _mount(text: str) -> tuple[str, int, int, str, int]:
    """Parse ``PATH:WIDTH:HEIGHT:CODEC:KBPS``."""
    error = argparse.ArgumentTypeError(f"not PATH:WIDTH:HEIGHT:H264|H265:KBPS: {text}")
    parts = text.split(":")
    if len(parts) != 5 or not parts[0].startswith("/") or parts[3] not in ("H264", "H265"):
        raise error
    try:
        return parts[0], int(parts[1]), int(parts[2]), parts[3], int(parts[4])
    except ValueError:
        raise error from None


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _rename_server(server: Any, gst_rtsp: Any, name: str) -> None:
    """Make every answer carry ``Server: name`` (or none) instead of GStreamer's own.

    GStreamer adds its header before it emits ``send-message``, so the handler swaps it. The
    binding cannot hand Python the signal's context argument and says so with a GLib warning
    on every answer; the argument is not needed, so that warning is silenced.
    """
    warnings.filterwarnings("ignore", message=".*G_VALUE_HOLDS_OBJECT")
    field = gst_rtsp.RTSPHeaderField.SERVER

    def on_send(_client: Any, _context: Any, message: Any = None) -> None:
        if message is None:
            return
        message.remove_header(field, -1)
        if name:
            message.add_header(field, name)

    def on_client(_server: Any, client: Any) -> None:
        client.connect("send-message", on_send)

    server.connect("client-connected", on_client)


def main() -> int:
    """Run the server until told to stop."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mount", action="append", type=_mount, default=[], dest="mounts")
    parser.add_argument("--label", default="Virtual Camera")
    parser.add_argument("--server", default=None)
    args = parser.parse_args()
    if not args.mounts:
        parser.error("at least one --mount is needed")

    try:
        import gi  # noqa: PLC0415

        gi.require_version("Gst", "1.0")
        gi.require_version("GstRtspServer", "1.0")
        gi.require_version("GstRtsp", "1.0")
        from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: PLC0415
    except (ImportError, ValueError) as err:
        _say(f"UNAVAILABLE python3-gi or GstRtspServer: {err}")
        return EXIT_UNAVAILABLE

    Gst.init(None)
    needed = ["videotestsrc", "clockoverlay", "videoconvert"]
    codecs = {mount[3] for mount in args.mounts}
    if "H264" in codecs:
        needed += ["x264enc", "rtph264pay"]
    if "H265" in codecs:
        needed += ["x265enc", "h265parse", "rtph265pay"]
    missing = [name for name in needed if Gst.ElementFactory.find(name) is None]
    if missing:
        _say(f"UNAVAILABLE missing GStreamer elements: {' '.join(missing)}")
        return EXIT_UNAVAILABLE

    user = os.environ.get("HOMEBOUND_RTSP_USER", "")
    password = os.environ.get("HOMEBOUND_RTSP_PASSWORD", "")

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    # RTP/RTCP over UDP: allocate from 127.0.0.1 only (without a pool the server binds 0.0.0.0).
    pool = GstRtspServer.RTSPAddressPool()
    pool.add_range("127.0.0.1", "127.0.0.1", RTP_PORT_RANGE[0], RTP_PORT_RANGE[1], 0)

    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_permission_for_role("user", "media.factory.access", True)
    permissions.add_permission_for_role("user", "media.factory.construct", True)

    mounts = server.get_mount_points()
    for path, width, height, codec, bitrate in args.mounts:
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(_launch(width, height, codec, bitrate, f"{args.label} {path[1:]}"))
        factory.set_shared(True)
        factory.set_address_pool(pool)
        if user:
            factory.set_permissions(permissions)
        mounts.add_factory(path, factory)

    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", "user")
    state: dict[str, Any] = {"basic": None}

    def set_credentials(new_user: str, new_password: str) -> None:
        if state["basic"] is not None:
            auth.remove_basic(state["basic"])
        state["basic"] = GstRtspServer.RTSPAuth.make_basic(new_user, new_password)
        auth.add_basic(state["basic"], token)

    if user:
        set_credentials(user, password)
        server.set_auth(auth)

    if args.server is not None:
        _rename_server(server, GstRtsp, args.server)

    if server.attach(None) == 0:
        _say(f"ERROR cannot listen on 127.0.0.1:{args.port}")
        return EXIT_BIND_FAILED

    loop = GLib.MainLoop()

    def on_stdin(channel: Any, condition: Any) -> bool:
        if condition & GLib.IOCondition.IN:
            line = channel.readline()
            if line:
                parts = line.split()
                if len(parts) == 3 and parts[0] == "CREDENTIALS" and user:
                    set_credentials(
                        base64.b64decode(parts[1]).decode(), base64.b64decode(parts[2]).decode()
                    )
                elif parts == ["DROP"]:
                    server.client_filter(
                        lambda _server, _client, *_: GstRtspServer.RTSPFilterResult.REMOVE
                    )
                return True
        loop.quit()
        return False

    channel = GLib.IOChannel.unix_new(sys.stdin.fileno())
    GLib.io_add_watch(
        channel, GLib.PRIORITY_DEFAULT, GLib.IOCondition.IN | GLib.IOCondition.HUP, on_stdin
    )
    for signum in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signum, loop.quit)

    _say(f"READY {args.port}")
    # Nothing else may go to the pipe the parent stops reading.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
