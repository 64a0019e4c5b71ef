"""The guard over SSH: a router that goes away and comes back, a host key changed under it.

The router's link to Home Assistant is taken down for real (``ip link set ... down`` in its
namespace): the SSH session gets no answer, its keepalives go unanswered, the watcher's
channel dies, and the guard says the router is unreachable - with a reason in words. A change
made then is *pending*: the firewall keeps the old rules (the camera stays isolated), the
state says what waits, and it is applied, once, when the link is back.

The host key is changed while the guard's session lives on (sshd restarted with another key:
OpenSSH keeps running sessions): the re-check on a new connection that sends no credentials
finds it, and the guard stops sending anything.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
import subprocess

import pytest

from custom_components.homebound.firewall import (
    HostKeyChangedError,
    PersistKind,
    PersistTarget,
    SshBackend,
    fingerprint,
)
from custom_components.homebound.firewall.guard import IsolationGuard
from custom_components.homebound.firewall.guard_state import ApplyOutcome, GuardEventKind
from custom_components.homebound.firewall.policy import FirewallPolicy
from custom_components.homebound.firewall.ssh import SshRunner

from .guarding import EVENT_TIMEOUT, Recorder
from .lab import CAMERA_MAC, CLOUD4, Lab, Sshd
from .test_isolation import lab_policy
from .test_ssh import factory, keygen_fingerprint, target

AWAY_TIMEOUT = 60.0
"""Bound for noticing a dead link (keepalives: 3 s x 3) and for a connect to time out."""


def backend_for(lab: Lab, sshd: Sshd, tmp_path: Path, **overrides: object) -> SshBackend:
    return SshBackend(
        target(sshd, **overrides),
        persist=PersistTarget.for_kind(PersistKind.FILE, str(tmp_path / "etc" / "hb.nft")),
        connect_socket=factory(lab),
    )


def chooser() -> tuple[dict[str, bool], Callable[[], FirewallPolicy]]:
    """The user's choice (isolated or not) and the policy it makes."""
    choice = {"isolated": True}

    def policy() -> FirewallPolicy:
        return lab_policy() if choice["isolated"] else lab_policy(cameras=[])

    return choice, policy


async def test_unreachable_router_then_pending_change_applied_on_return(
    lab: Lab, sshd: Sshd, tmp_path: Path
) -> None:
    lab.start_echo("inet", "443/tcp")
    # Keep the router's addresses on that link while it is down (IPv6 drops them otherwise).
    lab.exec("rtr", "sysctl", "-q", "-w", "net.ipv6.conf.ha.keep_addr_on_down=1")
    backend = backend_for(lab, sshd, tmp_path)
    choice, policy = chooser()
    recorder = Recorder()
    guard = IsolationGuard(backend, policy, listener=recorder, check_interval=3600)
    try:
        await guard.start()
        assert guard.watcher is not None
        assert await guard.watcher.wait_ready(EVENT_TIMEOUT)
        assert guard.state.reachable

        await asyncio.to_thread(lab.exec, "rtr", "ip", "link", "set", "ha", "down")
        away = await recorder.wait_event(GuardEventKind.UNREACHABLE, timeout=AWAY_TIMEOUT)
        assert away.error is not None
        message = str(away.error)
        assert "198.18.0.1" in message
        assert message.rsplit(":", 1)[-1].strip(), f"no reason given: {message!r}"
        away_state = guard.state
        assert not away_state.reachable
        assert away_state.unreachable_since is not None

        # The user releases the camera while the router is away: pending, not refused.
        choice["isolated"] = False
        assert await guard.apply_now() is ApplyOutcome.PENDING
        state = guard.state
        assert state.pending
        assert state.pending_for(CAMERA_MAC)
        assert not state.wanted(CAMERA_MAC)
        assert state.isolated(CAMERA_MAC)  # what the firewall was last seen holding
        assert recorder.events(GuardEventKind.PENDING)
        assert lab.probe([("tcp", CLOUD4, 443)]) == [False]  # nothing reached the router

        await asyncio.to_thread(lab.exec, "rtr", "ip", "link", "set", "ha", "up")
        await recorder.wait_event(GuardEventKind.PENDING_APPLIED, timeout=AWAY_TIMEOUT)
        await recorder.wait_event(GuardEventKind.REACHABLE, timeout=AWAY_TIMEOUT)
        state = guard.state
        assert not state.pending
        assert state.reachable
        assert not state.isolated(CAMERA_MAC)
        assert state.confirmed == lab_policy(cameras=[])
        assert lab.probe([("tcp", CLOUD4, 443)]) == [True]
        assert len(recorder.events(GuardEventKind.PENDING_APPLIED)) == 1
    finally:
        await guard.stop()
        await backend.close()


async def test_host_key_changed_under_a_live_session_stops_everything(
    lab: Lab, sshd: Sshd, tmp_path: Path
) -> None:
    first = backend_for(lab, sshd, tmp_path)
    pinned = await first.connect()
    await first.close()
    backend = backend_for(lab, sshd, tmp_path, pinned_host_key=pinned)
    policy = lab_policy()
    recorder = Recorder()
    guard = IsolationGuard(
        backend, lambda: policy, listener=recorder, check_interval=3600, host_key_interval=0.5
    )
    try:
        await guard.start()
        assert guard.watcher is not None
        assert await guard.watcher.wait_ready(EVENT_TIMEOUT)
        session = backend.ssh._conn
        assert session is not None

        # Another machine answers at the router's address; the open session lives on.
        sshd.stop()
        sshd.start(sshd.keygen("host_b"), sshd.directory / "authorized_keys")
        changed = await recorder.wait_event(GuardEventKind.HOST_KEY_CHANGED)
        assert isinstance(changed.error, HostKeyChangedError)
        assert changed.error.pinned == fingerprint(pinned)
        assert changed.error.offered == keygen_fingerprint(sshd.directory / "host_b.pub")
        state = guard.state
        assert state.halted is changed.error
        assert not state.watching
        assert session.is_closed()
        assert backend.ssh._conn is None

        # Nothing more is sent: a flush stays unrepaired, a change is refused.
        lab.nft("flush", "ruleset")
        await guard.check_now()
        assert lab.nft("list", "tables").stdout.strip() == ""
        with pytest.raises(HostKeyChangedError):
            await guard.apply_now()
    finally:
        await guard.stop()
        await backend.close()


async def test_a_reconnect_checks_the_pinned_key(lab: Lab, sshd: Sshd) -> None:
    runner = SshRunner(target(sshd), connect_socket=factory(lab))
    assert (await runner.run(("true",))).ok
    first = runner.host_key
    assert first is not None
    await runner.close()
    sshd.stop()
    sshd.start(sshd.keygen("host_b"), sshd.directory / "authorized_keys")
    with pytest.raises(HostKeyChangedError) as caught:
        await runner.run(("true",))
    assert caught.value.pinned == fingerprint(first)
    # The explicit re-check says the same, on a connection of its own.
    with pytest.raises(HostKeyChangedError):
        await runner.recheck_host_key()
    await runner.close()


async def test_a_key_of_another_type_is_a_changed_key_not_an_unreachable_router(
    lab: Lab, sshd: Sshd
) -> None:
    """A machine with no key of the pinned type fails the key exchange: asked again, it shows."""
    pinned = await _first_key(lab, sshd)
    rsa = sshd.directory / "host_rsa"
    await asyncio.to_thread(
        subprocess.run,
        ["ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", str(rsa)],
        check=True,
        timeout=60,
    )
    sshd.stop()
    sshd.start(rsa, sshd.directory / "authorized_keys")
    runner = SshRunner(target(sshd, pinned_host_key=pinned), connect_socket=factory(lab))
    with pytest.raises(HostKeyChangedError) as caught:
        await runner.recheck_host_key()
    assert caught.value.offered == keygen_fingerprint(rsa.with_suffix(".pub"))
    with pytest.raises(HostKeyChangedError):
        await runner.run(("true",))  # a reconnect says the same, no password offered
    await runner.close()


async def _first_key(lab: Lab, sshd: Sshd) -> str:
    runner = SshRunner(target(sshd), connect_socket=factory(lab))
    await runner.run(("true",))
    await runner.close()
    assert runner.host_key is not None
    return runner.host_key
