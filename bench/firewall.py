"""Benchmark the nftables backend: render + apply for 10, 100, 1000 cameras, and read-back.

Runs the local backend inside a network namespace of its own (made here, removed at the end,
also on errors), so nothing touches the machine's own firewall. Prints a plain table;
``--json FILE`` also writes the figures. ``--quick`` takes fewer rounds (for the smoke test).

    python -m bench.firewall [--quick] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
import json
import os
from pathlib import Path
import secrets
import shutil
import statistics
import subprocess
import time
from typing import Any

from custom_components.homebound.firewall import (
    CameraIdentity,
    FirewallPolicy,
    LocalBackend,
    SubprocessRunner,
    build_policy,
)
from custom_components.homebound.firewall.nft_render import TABLE, render_apply

SIZES = (10, 100, 1000)
ATTEMPTS_PER_CAMERA = 5
IP = shutil.which("ip") or "/usr/sbin/ip"


def policy_for(count: int) -> FirewallPolicy:
    """Build a policy of ``count`` cameras with one IPv4 address each."""
    cams = [
        CameraIdentity.parse(
            f"02:00:00:00:{i >> 8:02x}:{i & 255:02x}", [f"198.18.{1 + (i >> 8)}.{i & 255}"]
        )
        for i in range(1, count + 1)
    ]
    return build_policy(
        cameras=cams,
        ha_hosts=["198.18.0.10"],
        gateways=["198.18.0.1"],
        lan_ranges=["198.18.0.0/24"],
        ntp_servers=["198.18.0.53"],
        dns_servers=["198.18.0.53"],
    )


def _nft(namespace: str, *args: str, stdin: str | None = None) -> str:
    return subprocess.run(  # noqa: S603 - fixed argv, names made here
        [IP, "netns", "exec", namespace, "nft", *args],
        input=stdin, check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip


def kernel_rules(namespace: str) -> int:
    """Rules the kernel holds in Homebound's table."""
    listing = json.loads(_nft(namespace, "-j", "list", "table", "inet", TABLE))
    return sum(1 for item in listing["nftables"] if "rule" in item)


def fill_attempts(namespace: str, policy: FirewallPolicy) -> int:
    """Record ATTEMPTS_PER_CAMERA attempted destinations per camera, as traffic would."""
    elements = [
        f"{cam.mac} . 203.0.113.{n} . udp . {8800 + n}"
        for cam in policy.cameras
        for n in range(1, ATTEMPTS_PER_CAMERA + 1)
    ]
    _nft(
        namespace,
        "-f",
        "-",
        stdin=f"add element inet {TABLE} att_mac4 {{ {', '.join(elements)} }}\n",
    )
    return len(elements)


async def measure(namespace: str, rounds: int) -> dict[str, Any]:
    """Every figure of the benchmark."""
    backend = LocalBackend(SubprocessRunner(prefix=(IP, "netns", "exec", namespace)))
    backend.flush_sessions = False
    rows = []
    for size in SIZES:
        policy = policy_for(size)
        renders, applies = [], []
        for _ in range(rounds):
            start = time.perf_counter()
            render_apply(policy, datetime.now(UTC))
            renders.append(time.perf_counter() - start)
            start = time.perf_counter()
            await backend.apply(policy)
            applies.append(time.perf_counter() - start)
        rows.append({
            "cameras": size,
            "render_ms": round(statistics.median(renders) * 1000, 2),
            "apply_ms": round(statistics.median(applies) * 1000, 2),
            "kernel_rules": kernel_rules(namespace),
        })  # fmt: skip
    policy = policy_for(SIZES[-1])
    attempts = fill_attempts(namespace, policy)
    reads = []
    for _ in range(rounds):
        start = time.perf_counter()
        readings = await backend.read(policy)
        reads.append(time.perf_counter() - start)
    assert sum(r.destinations_24h for r in readings.cameras.values()) == attempts
    await backend.remove()
    return {
        "apply": rows,
        "read": {"cameras": SIZES[-1], "attempts": attempts,
                 "read_ms": round(statistics.median(reads) * 1000, 2)},
        "rounds": rounds,
    }  # fmt: skip


def print_table(result: dict[str, Any]) -> None:
    """Print the figures as a plain table."""
    print(f"{'cameras':>8} {'render ms':>10} {'apply ms':>9} {'kernel rules':>13}")
    for row in result["apply"]:
        print(f"{row['cameras']:>8} {row['render_ms']:>10} {row['apply_ms']:>9} "
              f"{row['kernel_rules']:>13}")  # fmt: skip
    read = result["read"]
    print(
        f"read-back of {read['cameras']} cameras with {read['attempts']} attempts: "
        f"{read['read_ms']} ms (median of {result['rounds']})"
    )


def run(*, quick: bool) -> dict[str, Any]:
    """Measure in a network namespace of its own (removed afterwards, also on errors)."""
    namespace = f"hbb{os.getpid()}x{secrets.token_hex(2)}"
    subprocess.run([IP, "netns", "add", namespace], check=True, timeout=60)  # noqa: S603
    try:
        return asyncio.run(measure(namespace, 1 if quick else 5))
    finally:
        subprocess.run([IP, "netns", "delete", namespace], check=False, timeout=60)  # noqa: S603


def rows(result: dict[str, Any]) -> list[list[str]]:
    """Return the figures as table rows (first row: header), for ``script/bench``."""
    table = [["cameras", "render", "apply", "rules in the kernel"]]
    table.extend(
        [str(r["cameras"]), f"{r['render_ms']} ms", f"{r['apply_ms']} ms", str(r["kernel_rules"])]
        for r in result["apply"]
    )
    read = result["read"]
    table.append(
        [
            f"read-back: {read['cameras']}",
            f"{read['attempts']} attempts",
            f"{read['read_ms']} ms",
            "",
        ]
    )
    return table


def main() -> None:
    """Run the benchmark in a namespace of its own."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one round instead of five")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    result = run(quick=args.quick)
    print_table(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
