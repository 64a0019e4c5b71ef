"""``script/bench``: Homebound measured side by side with Home Assistant's own onvif integration.

    python -m bench [cameras|events|firewall|all] [--quick] [--json FILE]
    python -m bench --compare OLD.json NEW.json

Starts its own virtual cameras on loopback and a real ``hass`` per integration, prints plain
tables and, with ``--json``, writes every figure so two runs can be compared. Figures are for
reading, not asserting: the tests only run ``--quick`` to keep the program from rotting.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
from pathlib import Path
import platform
import signal
import sys
import tempfile
from typing import Any

from homeassistant.const import __version__ as ha_version

from . import camera_tables, cameras, events, events_parse, failover, firewall, firewall_guard
from .harness import environment
from .report import compare, table, write


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="script/bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "tables", nargs="?", default="all", choices=["cameras", "events", "firewall", "all"]
    )
    parser.add_argument("--quick", action="store_true", help="one run, two cameras (smoke test)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"))
    args = parser.parse_args(argv)
    # Checked before the tables run, not when their figures are written, minutes later.
    if args.json is not None and not args.json.resolve().parent.is_dir():
        parser.error(f"--json {args.json}: its directory does not exist here")
    return args


async def _cameras(quick: bool) -> dict[str, Any]:
    plan = cameras.QUICK if quick else cameras.Plan()
    with tempfile.TemporaryDirectory(prefix="homebound-bench-") as work:
        results = await cameras.run(Path(work), plan)
    for title, rows, note in camera_tables.tables(results):
        write(table(title, rows) + (f"\n{note}" if note else ""))
    return results


async def _events(quick: bool) -> dict[str, Any]:
    plan = events.Plan(singles=5, spaced=2, bursts=1) if quick else events.Plan()
    with tempfile.TemporaryDirectory(prefix="homebound-bench-") as work:
        results = await events.run(Path(work), plan)
    for title, rows in events.tables(results):
        write(table(title, rows))
    return results


async def _failover(quick: bool) -> dict[str, Any]:
    plan = failover.QUICK if quick else failover.Plan()
    with tempfile.TemporaryDirectory(prefix="homebound-bench-") as work:
        results = await failover.run(Path(work), plan)
    for title, rows in failover.tables(results):
        write(table(title, rows))
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the chosen tables."""
    args = _parse(argv)
    # onvif-zeep-async configures the root logger at import (INFO, to stderr): the tables are
    # the output here, and the harness's own lines only in case of trouble.
    logging.basicConfig(level=logging.WARNING, force=True)
    # Stopped like Ctrl-C when terminated (a test's timeout, a CI job cancelled): the
    # simulators and Home Assistants it started are then stopped by their context managers
    # instead of being left running.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if args.compare:
        write(compare(*args.compare))
        return 0
    figures: dict[str, Any] = {
        "environment": {
            **environment(),
            "home_assistant": ha_version,
            "python": platform.python_version(),
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "quick": args.quick,
        }
    }
    write(
        f"Homebound benchmarks on Home Assistant {ha_version}, Python "
        f"{platform.python_version()}, {figures['environment']['cpus']} CPUs "
        f"({figures['environment']['cpu']})"
    )
    if args.tables in ("cameras", "all"):
        figures["cameras"] = asyncio.run(_cameras(args.quick))
    if args.tables in ("events", "all"):
        figures["events"] = asyncio.run(_events(args.quick))
        figures["failover"] = asyncio.run(_failover(args.quick))
        figures["event_parsers"] = events_parse.run(0.2 if args.quick else 2.0)
        write(table("Event parsers", events_parse.rows(figures["event_parsers"])))
    if args.tables in ("firewall", "all"):
        figures["firewall"] = firewall.run(quick=args.quick)
        write(
            table(
                "Firewall (nftables, local backend in a namespace)",
                firewall.rows(figures["firewall"]),
            )
        )
        figures["firewall_guard"] = firewall_guard.run(quick=args.quick)
        write(
            table(
                "Firewall guard: from tampering to isolation restored (lab, per backend)",
                firewall_guard.rows(figures["firewall_guard"]),
            )
        )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
