"""Run virtual cameras for the demo: ``python -m simulator [--count N] ...``.

When every camera answers, one JSON line goes to stdout::

    {"control_port": 8999, "cameras": [{"name": ..., "onvif_port": ..., ...}]}

and the cameras run until SIGTERM or SIGINT, then stop cleanly (RTSP children reaped).
``python -m simulator event|burst ...`` raises detections on cameras already running
(``cli_control``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import logging
import signal
import sys

from . import cli_control
from .camera import VirtualCamera
from .config import CameraConfig, Quirk, check_interval
from .control import ControlServer, describe, parse_seconds
from .netns import check_name
from .personas import DEFAULT_PERSONA, PERSONAS
from .profiles import CODECS

_LOGGER = logging.getLogger("simulator")


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port number")
    return value


def _delay(text: str) -> tuple[str, float]:
    target, equals, seconds = text.partition("=")
    try:
        value = parse_seconds(seconds) if equals and target else None
    except (TypeError, ValueError):
        value = None
    if value is None:
        raise argparse.ArgumentTypeError(f"not TARGET=SECONDS: {text}")
    return target, value


def _netns(text: str) -> str:
    try:
        return check_name(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _address(text: str) -> ipaddress.IPv4Address:
    try:
        return ipaddress.IPv4Address(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _interval(text: str) -> float:
    try:
        return check_interval(float(text), "the interval")
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m simulator", description="Run virtual ONVIF cameras on 127.0.0.1."
    )
    parser.add_argument("--count", type=int, default=1, help="number of cameras (default 1)")
    parser.add_argument("--onvif-port", type=_port, default=0, help="first ONVIF port (0: free)")
    parser.add_argument("--rtsp-port", type=_port, default=0, help="first RTSP port (0: free)")
    parser.add_argument(
        "--discovery-port",
        type=_port,
        default=None,
        help="first WS-Discovery UDP port (0: free; default: no discovery responder)",
    )
    parser.add_argument("--control-port", type=_port, default=0, help="control API port (0: free)")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="secret")
    parser.add_argument(
        "--persona",
        choices=sorted(PERSONAS),
        default=DEFAULT_PERSONA,
        help="kind of camera: "
        + "; ".join(f"{name}: {p.description}" for name, p in sorted(PERSONAS.items())),
    )
    parser.add_argument("--main-codec", choices=CODECS, default="H264")
    parser.add_argument(
        "--sub-codec", choices=CODECS, default="H264", help="JPEG for both: a JPEG-only camera"
    )
    parser.add_argument(
        "--delay",
        action="append",
        type=_delay,
        default=[],
        metavar="TARGET=SECONDS",
        help="delay a SOAP operation (GetStreamUri=2), every one (soap=0.5) or snapshots "
        "(snapshot=inf: hang until offline); repeatable",
    )
    parser.add_argument(
        "--quirk",
        action="extend",
        nargs="+",
        default=[],
        choices=[quirk.value for quirk in Quirk],
        metavar="NAME",
        help=f"quirk(s) for every camera: {', '.join(q.value for q in Quirk)}",
    )
    parser.add_argument(
        "--repeat-interval",
        type=_interval,
        default=1.0,
        metavar="SECONDS",
        help="Hikvision: seconds between the active repeats of an ongoing event (default 1)",
    )
    parser.add_argument(
        "--heartbeat-interval",
        type=_interval,
        default=None,
        metavar="SECONDS",
        help="vendor stream heartbeat (default: Hikvision 10 s of quiet, Dahua as asked)",
    )
    parser.add_argument("--no-rtsp", action="store_true", help="do not start RTSP servers")
    parser.add_argument(
        "--netns",
        type=_netns,
        default=None,
        metavar="NAME",
        help="serve each camera's ONVIF/HTTP port inside this network namespace (ip netns), "
        "at --address; control, RTSP and discovery stay on 127.0.0.1",
    )
    parser.add_argument(
        "--address",
        type=_address,
        default=None,
        metavar="IPV4",
        help="with --netns: the first camera's address there (camera i: IPV4 + i)",
    )
    parser.add_argument("--verbose", action="store_true", help="log at DEBUG level")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    if (args.netns is None) != (args.address is None):
        parser.error("--netns and --address go together")
    return args


def camera_configs(args: argparse.Namespace) -> list[CameraConfig]:
    """Return the configuration of camera i: the persona's identity numbered i+1, ports P+i.

    For the generic persona: "Virtual Camera <i+1>" (no number when alone), serial
    HBSIM000<i+1>, MAC 02:48:42:00:00:0<i+1>.
    """
    identity = PERSONAS[args.persona].identity
    configs = []
    for index in range(args.count):
        number = index + 1
        numbered = identity.numbered(number)
        configs.append(
            CameraConfig(
                name=identity.name if args.count == 1 else numbered.name,
                serial=numbered.serial,
                mac=numbered.mac,
                username=args.username,
                password=args.password,
                onvif_port=args.onvif_port + index if args.onvif_port else 0,
                rtsp_port=args.rtsp_port + index if args.rtsp_port else 0,
                rtsp=not args.no_rtsp,
                main_codec=args.main_codec,
                sub_codec=args.sub_codec,
                persona=args.persona,
                discovery_port=(
                    None
                    if args.discovery_port is None
                    else (args.discovery_port + index if args.discovery_port else 0)
                ),
                quirks=frozenset(Quirk(name) for name in args.quirk),
                repeat_interval=args.repeat_interval,
                heartbeat_interval=args.heartbeat_interval,
                **(
                    {"host": str(args.address + index), "netns": args.netns}
                    if args.netns is not None
                    else {}
                ),
            )
        )
    return configs


async def run(args: argparse.Namespace) -> int:
    """Start the cameras and the control server, print the JSON line, wait for a signal."""
    cameras = [VirtualCamera(config) for config in camera_configs(args)]
    for camera in cameras:
        for target, seconds in args.delay:
            camera.set_delay(target, seconds)
    control = ControlServer(cameras)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await asyncio.gather(*(camera.start() for camera in cameras))
        control_port = await control.start(args.control_port)
        line = {"control_port": control_port, "cameras": [describe(c) for c in cameras]}
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()
        await stop.wait()
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        await control.stop()
        await asyncio.gather(*(camera.stop() for camera in cameras), return_exceptions=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point: run cameras, or (``event``, ``burst``) talk to running ones."""
    arguments = sys.argv[1:] if argv is None else argv
    if arguments and arguments[0] in cli_control.COMMANDS:
        return cli_control.main(arguments)
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(run(args))
    return 130


if __name__ == "__main__":
    sys.exit(main())
