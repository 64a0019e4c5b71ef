"""Raise detections on running virtual cameras from a shell: ``python -m simulator event|burst``.

The cameras run in another ``python -m simulator`` process; this talks to its control API
(the ``control_port`` of its ready line) on 127.0.0.1 and exits 0 when the camera took it::

    python -m simulator event --control-port 8999 motion start
    python -m simulator event --control-port 8999 --camera 1 line_crossing pulse --region Gate
    python -m simulator burst --control-port 8999 person 5 200   # 5 on/off within 200 ms
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

import aiohttp

from .detections import Kind

COMMANDS = ("event", "burst")
_STATES = {"start": (True, False), "end": (False, False), "pulse": (True, True)}


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse ``event ...`` or ``burst ...``."""
    parser = argparse.ArgumentParser(
        prog="python -m simulator", description="Raise detections on running virtual cameras."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    event = commands.add_parser("event", help="one detection starts, ends or pulses")
    burst = commands.add_parser("burst", help="N starts and ends within M milliseconds")
    for sub in (event, burst):
        sub.add_argument("--control-port", type=int, required=True, help="the ready line's port")
        sub.add_argument("--camera", type=int, default=0, help="camera index (default 0)")
        sub.add_argument("--channel", type=int, default=1, help="channel, from 1 (default 1)")
        sub.add_argument("--region", default=None, help="line, zone or rule name")
        sub.add_argument("kind", choices=[kind.value for kind in Kind])
    event.add_argument("state", choices=sorted(_STATES))
    burst.add_argument("transitions", type=int, help="how many starts (each with its end)")
    burst.add_argument("within_ms", type=float, help="over how many milliseconds")
    return parser.parse_args(argv)


def request_of(args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    """Return the control route and JSON body the command means."""
    body: dict[str, Any] = {"kind": args.kind, "channel": args.channel, "region": args.region}
    if args.command == "event":
        active, pulse = _STATES[args.state]
        return f"/cameras/{args.camera}/detection", {**body, "active": active, "pulse": pulse}
    burst = {"transitions": args.transitions, "within_ms": args.within_ms}
    return f"/cameras/{args.camera}/burst", {**body, **burst}


async def send(port: int, path: str, body: dict[str, Any]) -> tuple[int, str]:
    """POST ``body`` to the control API on 127.0.0.1:``port``."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://127.0.0.1:{port}{path}", json=body) as response,
    ):
        return response.status, await response.text()


def main(argv: list[str]) -> int:
    """Run one command; print the control API's refusal and exit 1 when it refuses."""
    args = parse_args(argv)
    path, body = request_of(args)
    try:
        status, text = asyncio.run(send(args.control_port, path, body))
    except aiohttp.ClientError as err:
        sys.stderr.write(f"cannot reach the control API on port {args.control_port}: {err}\n")
        return 1
    if status != 200:
        sys.stderr.write(f"refused (HTTP {status}): {text}\n")
        return 1
    return 0
