"""Benchmark the isolation guard: from each kind of tampering to the isolation restored.

In the firewall tests' namespace lab (made here, removed at the end, also on errors), for the
local backend and the SSH backend (a real sshd in the router's namespace): the guard runs with
its periodic check an hour away, so what is measured is the watcher (``nft monitor``) or the
poll of the sets the monitor cannot report, then verify and repair. Each kind of tampering is
made ``rounds`` times; the time is from just before the command that tampers to the moment
the guard reports the isolation restored (confirmed by content; the repair rate limit is set
aside: each round is a new tampering, not a fight). Over SSH it also measures how
long a router whose link went down takes to be known unreachable, and how long after the link
is back a change made meanwhile is in force. Figures are printed, never asserted.

    python -m bench.firewall_guard [--quick] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
import json
from pathlib import Path
import statistics
import tempfile
import time
from typing import Any

from custom_components.homebound.firewall import (
    CameraIdentity,
    FirewallPolicy,
    LocalBackend,
    PersistKind,
    PersistTarget,
    SshBackend,
    SshTarget,
    build_policy,
)
from custom_components.homebound.firewall.guard import IsolationGuard
from custom_components.homebound.firewall.guard_state import GuardEventKind, GuardUpdate
from tests.firewall.lab import CAMERA_MAC, HA4, HA6, LOCAL_SERVER, ROUTER_HA4, Lab, Sshd
from tests.firewall.tampering import TAMPERS
from tests.firewall.test_ssh import factory

WAIT = 60.0
"""Most seconds one event is waited for (a bound, not an expectation)."""


def bench_policy(cameras: bool = True) -> FirewallPolicy:
    """Return the lab camera's policy (the same shape as the tests')."""
    return build_policy(
        cameras=[CameraIdentity(CAMERA_MAC, name="Garden")] if cameras else [],
        ha_hosts=[HA4, HA6],
        gateways=[ROUTER_HA4, "198.18.1.1", "2001:db8:1::1"],
        lan_ranges=["198.18.1.0/24"],
        ntp_servers=[LOCAL_SERVER],
        dns_servers=[LOCAL_SERVER],
    )


@dataclass
class Clocked:
    """The guard's listener: each event with the monotonic time it was told."""

    seen: list[tuple[GuardEventKind, float, Any]] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def __call__(self, update: GuardUpdate) -> None:
        """Note each event of an update with the time it arrived."""
        now = time.monotonic()
        self.seen += [(event.kind, now, event.gap) for event in update.events]
        self._changed.set()

    def count(self, kind: GuardEventKind) -> int:
        """Count the events of ``kind`` so far."""
        return sum(1 for k, _, _ in self.seen if k is kind)

    async def next(self, kind: GuardEventKind, after: int) -> tuple[float, Any]:
        """Wait for the event of ``kind`` beyond the first ``after``; its time and gap."""
        async with asyncio.timeout(WAIT):
            while self.count(kind) <= after:
                self._changed.clear()
                await self._changed.wait()
        _, at, gap = [item for item in self.seen if item[0] is kind][after]
        return at, gap


async def _settled(guard: IsolationGuard) -> None:
    """Wait until the rules are whole again and every signal of the last repair is consumed.

    A restore is announced once the rules are back, but the repair's own changes still reach
    the watcher afterwards; on a loaded machine the next tamper could otherwise meet a table
    still being rebuilt (an element added to a set about to be replaced fails).
    """
    assert guard.watcher is not None
    async with asyncio.timeout(WAIT):
        while True:
            await guard.watcher.sync(WAIT)
            state = await guard.check_now()
            if state.gap is None and state.status is not None and state.status.in_force:
                await guard.watcher.sync(WAIT)
                return


async def _tampers(lab: Lab, guard: IsolationGuard, clock: Clocked, rounds: int) -> list[Any]:
    policy = bench_policy()
    assert guard.watcher is not None
    rows = []
    for tamper in TAMPERS:
        times, finders = [], set()
        for _ in range(rounds):
            await _settled(guard)
            done = clock.count(GuardEventKind.ISOLATION_RESTORED)
            start = time.monotonic()
            await asyncio.to_thread(tamper.run, lab, policy)
            at, gap = await clock.next(GuardEventKind.ISOLATION_RESTORED, done)
            times.append(at - start)
            finders.add(gap.found_by.value)
        rows.append({
            "tamper": tamper.name,
            "median_ms": round(statistics.median(times) * 1000),
            "max_ms": round(max(times) * 1000),
            "found_by": "/".join(sorted(finders)),
        })  # fmt: skip
    return rows


async def _away_and_back(
    lab: Lab, guard: IsolationGuard, clock: Clocked, choice: dict[str, bool]
) -> dict[str, float]:
    """Link down: time to unreachable; a change meanwhile; link up: time to it being applied."""
    lab.exec("rtr", "sysctl", "-q", "-w", "net.ipv6.conf.ha.keep_addr_on_down=1")
    start = time.monotonic()
    await asyncio.to_thread(lab.exec, "rtr", "ip", "link", "set", "ha", "down")
    away, _ = await clock.next(GuardEventKind.UNREACHABLE, 0)
    choice["isolated"] = False
    await guard.apply_now()
    back = time.monotonic()
    await asyncio.to_thread(lab.exec, "rtr", "ip", "link", "set", "ha", "up")
    applied, _ = await clock.next(GuardEventKind.PENDING_APPLIED, 0)
    return {"unreachable_s": round(away - start, 1), "pending_applied_s": round(applied - back, 1)}


async def _backend(lab: Lab, name: str, directory: Path, rounds: int) -> dict[str, Any]:
    choice = {"isolated": True}

    def policy() -> FirewallPolicy:
        return bench_policy(choice["isolated"])

    sshd = None
    if name == "local":
        backend: LocalBackend | SshBackend = LocalBackend(lab.runner())
    else:
        sshd = Sshd(lab, directory)
        client = sshd.keygen("client")
        authorized = directory / "authorized_keys"
        authorized.write_text(client.with_suffix(".pub").read_text())
        sshd.start(sshd.keygen("host"), authorized)
        backend = SshBackend(
            SshTarget(
                ROUTER_HA4,
                client_key=client.read_text(),
                pinned_host_key=(directory / "host.pub").read_text(),
            ),
            persist=PersistTarget.for_kind(PersistKind.FILE, str(directory / "hb.nft")),
            connect_socket=factory(lab),
        )
    clock = Clocked()
    # Every round is a fresh tampering, not a fight with the router: the repair rate limit
    # (20 at once, then one per 3 s) is set aside, or later rounds would measure it.
    guard = IsolationGuard(
        backend, policy, listener=clock, check_interval=3600, repair_burst=1000, repair_every=0.01
    )
    try:
        await guard.start()
        assert guard.watcher is not None
        await guard.watcher.wait_ready(WAIT)
        result: dict[str, Any] = {"tampers": await _tampers(lab, guard, clock, rounds)}
        if sshd is not None:
            result["away"] = await _away_and_back(lab, guard, clock, choice)
        return result
    finally:
        await guard.stop()
        await backend.close()
        if sshd is not None:
            sshd.stop()


def run(*, quick: bool) -> dict[str, Any]:
    """Measure both backends in a lab of their own (removed afterwards, also on errors)."""
    results: dict[str, Any] = {"rounds": 1 if quick else 5}
    for name in ("local", "ssh"):
        lab = Lab()
        try:
            lab.create()
            with tempfile.TemporaryDirectory() as directory:
                results[name] = asyncio.run(_backend(lab, name, Path(directory), results["rounds"]))
        finally:
            lab.close()
    return results


def rows(result: dict[str, Any]) -> list[list[str]]:
    """Return the figures as table rows (first row: header), for ``script/bench``."""
    table = [["tampering", "local: restored in", "SSH: restored in", "found by"]]
    for local, ssh in zip(result["local"]["tampers"], result["ssh"]["tampers"], strict=True):
        table.append([
            local["tamper"],
            f"{local['median_ms']} ms (max {local['max_ms']})",
            f"{ssh['median_ms']} ms (max {ssh['max_ms']})",
            local["found_by"] if local["found_by"] == ssh["found_by"]
            else f"{local['found_by']} / {ssh['found_by']}",
        ])  # fmt: skip
    away = result["ssh"]["away"]
    table.append(["SSH link down: known unreachable", "", f"{away['unreachable_s']} s", "watch"])
    table.append(["link back: pending change in force", "", f"{away['pending_applied_s']} s", ""])
    return table


def print_table(result: dict[str, Any]) -> None:
    """Print the figures as a plain table."""
    widths: list[int] = []
    lines = rows(result)
    for row in lines:
        widths = [max(w, len(c)) for w, c in zip(widths or [0] * len(row), row, strict=True)]
    for row in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print(f"(median and max of {result['rounds']} per kind; periodic check an hour away)")


def main(
    argv: list[str] | None = None, printer: Callable[[dict[str, Any]], None] = print_table
) -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one round instead of five")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    result = run(quick=args.quick)
    printer(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
