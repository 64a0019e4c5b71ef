"""The guard against real tampering, with real nftables, on the local and the SSH backend.

Each kind of change (an element in each allow set, a flush, a deletion, a rule dropped or
changed, a priority moved, the table made dormant) must be reported by verify with its code,
signalled by the watcher (the periodic check is an hour away here), and undone by the guard,
every gap recorded. Waiting is on the guard's events, bounded; nothing is timed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from custom_components.homebound.firewall import (
    LocalBackend,
    PersistKind,
    PersistTarget,
    SshBackend,
)
from custom_components.homebound.firewall.guard import IsolationGuard
from custom_components.homebound.firewall.guard_state import GapFinder, GuardEventKind

from .guarding import EVENT_TIMEOUT, Recorder
from .lab import CAMERA_MAC, CLOUD4, Lab, Sshd
from .tampering import TAMPERS
from .test_isolation import lab_policy
from .test_ssh import factory, target


@pytest.fixture(params=["local", "ssh"])
async def backend(
    request: pytest.FixtureRequest, lab: Lab, tmp_path: Path
) -> AsyncIterator[LocalBackend | SshBackend]:
    """The local backend in the router's namespace, or the SSH backend to the lab's sshd."""
    if request.param == "local":
        yield LocalBackend(lab.runner())
        return
    sshd: Sshd = request.getfixturevalue("sshd")
    ssh = SshBackend(
        target(sshd),
        persist=PersistTarget.for_kind(PersistKind.FILE, str(tmp_path / "etc" / "hb.nft")),
        connect_socket=factory(lab),
    )
    try:
        yield ssh
    finally:
        await ssh.close()


async def test_every_tamper_is_found_signalled_and_undone(
    lab: Lab, backend: LocalBackend | SshBackend
) -> None:
    lab.start_echo("inet", "443/tcp")
    policy = lab_policy()
    recorder = Recorder()
    guard = IsolationGuard(backend, lambda: policy, listener=recorder, check_interval=3600)
    try:
        await guard.start()
        assert guard.state.isolated(CAMERA_MAC)
        assert guard.watcher is not None
        assert await guard.watcher.wait_ready(EVENT_TIMEOUT)
        for number, tamper in enumerate(TAMPERS):
            # The monitor reported everything before (nft 1.0.6's may have crashed on the
            # last repair's elements and be starting again: see the watcher's docstring).
            assert await guard.watcher.sync(EVENT_TIMEOUT)
            await asyncio.to_thread(tamper.run, lab, policy)
            restored = await recorder.wait_event(GuardEventKind.ISOLATION_RESTORED, after=number)
            gap = restored.gap
            assert gap is not None, tamper.name
            assert tamper.reported(gap.problems), (tamper.name, gap.problems)
            assert gap.cause is tamper.cause, tamper.name
            # Found by the watcher; sets nft 1.0.6's monitor cannot report, by the poll.
            assert gap.found_by in {GapFinder.WATCH, GapFinder.POLL}, tamper.name
            assert gap.repaired, tamper.name
            assert gap.ended is not None
            assert gap.started <= gap.ended
            lost = recorder.events(GuardEventKind.ISOLATION_LOST)[number]
            assert lost.gap is not None
            assert lost.gap.started == gap.started
            status = await backend.verify(policy)
            assert status.in_force, (tamper.name, status.problems)
        assert lab.probe([("tcp", CLOUD4, 443)]) == [False]
        found = [g for g in guard.state.gaps if any(t.reported(g.problems) for t in TAMPERS)]
        assert len(found) == len(TAMPERS), [g.problems for g in guard.state.gaps]
        assert guard.state.gaps_since(found[0].started)[0] == found[0]
        assert guard.state.gap is None
        assert guard.state.isolated(CAMERA_MAC)
    finally:
        await guard.stop()
    # Stopped: the rules stay, nothing watches any more.
    assert not guard.watcher.ready
    assert (await backend.verify(policy)).in_force


async def test_verify_reports_each_tamper_by_its_code(lab: Lab) -> None:
    """Without a guard: verify alone names what changed, and an apply undoes it."""
    backend = LocalBackend(lab.runner())
    policy = lab_policy()
    applied = await backend.apply(policy)
    assert applied.status is not None
    assert applied.status.in_force, applied.status.problems
    digest = applied.status.digest
    for tamper in TAMPERS:
        await asyncio.to_thread(tamper.run, lab, policy)
        status = await backend.verify(policy)
        assert not status.in_force, tamper.name
        assert tamper.reported(status.problems), (tamper.name, status.problems)
        assert status.digest != digest, tamper.name
        again = await backend.repair(policy, status.problems)
        assert again.status is not None
        assert again.status.in_force, (tamper.name, again.status.problems)
        assert again.status.digest == digest, tamper.name
