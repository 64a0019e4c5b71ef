"""The SSH backend against a real OpenSSH server in the router's namespace."""

from __future__ import annotations

import asyncio
from pathlib import Path
import socket
import subprocess

import asyncssh
import pytest

from custom_components.homebound.firewall import (
    AuthRefusedError,
    HostKeyChangedError,
    PersistKind,
    PersistTarget,
    RouterUnreachableError,
    SshBackend,
    SshTarget,
    fingerprint,
)

from .lab import CLOUD4, ROUTER_HA4, Lab, Sshd, connect_from
from .test_isolation import lab_policy


def factory(lab: Lab):  # type: ignore[no-untyped-def]
    """Connect from the Home Assistant host's namespace."""

    async def connect(host: str, port: int) -> socket.socket:
        return await asyncio.to_thread(connect_from, lab, "ha", host, port)

    return connect


def target(sshd: Sshd, **overrides: object) -> SshTarget:
    """The lab's router, logging in with the client key; pinned to the key sshd offers now."""
    args: dict[str, object] = {
        "host": ROUTER_HA4,
        "client_key": (sshd.directory / "client").read_text(),
        "pinned_host_key": sshd.host_key,
    }
    args.update(overrides)
    return SshTarget(**args)  # type: ignore[arg-type]


def keygen_fingerprint(path: Path) -> str:
    out = subprocess.run(  # noqa: S603
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(path)],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
        timeout=20,
    ).stdout
    return out.split()[1]


async def test_apply_persist_reboot_and_remove_over_ssh(
    lab: Lab, sshd: Sshd, tmp_path: Path
) -> None:
    lab.start_echo("inet", "443/tcp")
    stored = tmp_path / "etc" / "homebound.nft"
    backend = SshBackend(
        target(sshd),
        persist=PersistTarget.for_kind(PersistKind.FILE, str(stored)),
        connect_socket=factory(lab),
    )
    try:
        host_key = await backend.connect()
        assert fingerprint(host_key) == keygen_fingerprint(sshd.directory / "host_a.pub")
        policy = lab_policy()
        result = await backend.apply(policy)
        assert result.persistent is True
        assert lab.probe([("tcp", CLOUD4, 443)]) == [False]
        status = await backend.verify(policy)
        assert status.in_force
        assert status.persistent
        assert stored.read_text() == backend.script(policy)
        reading = (await backend.read(policy)).cameras[policy.cameras[0].mac]
        assert reading.blocked_packets == 1

        # A reboot (or fw4 flush): the table is gone and verify says so...
        lab.nft("flush", "ruleset")
        status = await backend.verify(policy)
        assert not status.in_force
        assert status.problems == ("table_missing",)
        # ...and what the router loads at boot brings it back.
        lab.nft("-f", str(stored))
        assert (await backend.verify(policy)).in_force
        assert lab.probe([("tcp", CLOUD4, 443)]) == [False]

        await backend.remove()
        assert lab.nft("list", "tables").stdout.strip() == ""
        assert not stored.exists()
        assert lab.probe([("tcp", CLOUD4, 443)]) == [True]
    finally:
        await backend.close()


async def test_changed_host_key_stops_everything(lab: Lab, sshd: Sshd) -> None:
    first = SshBackend(
        target(sshd),
        persist=PersistTarget.for_kind(PersistKind.FILE, "/nonexistent/x.nft"),
        connect_socket=factory(lab),
    )
    pinned = await first.connect()
    await first.close()

    # The same key again: accepted.
    again = SshBackend(
        target(sshd, pinned_host_key=pinned), persist=first.persist, connect_socket=factory(lab)
    )
    assert await again.connect() == pinned
    await again.close()

    # Another machine answers at the router's address.
    sshd.stop()
    sshd.start(sshd.keygen("host_b"), sshd.directory / "authorized_keys")
    changed = SshBackend(
        target(sshd, pinned_host_key=pinned), persist=first.persist, connect_socket=factory(lab)
    )
    with pytest.raises(HostKeyChangedError) as caught:
        await changed.apply(lab_policy())
    assert caught.value.pinned == fingerprint(pinned)
    assert caught.value.offered == keygen_fingerprint(sshd.directory / "host_b.pub")
    assert lab.nft("list", "tables").stdout.strip() == ""
    await changed.close()


async def test_refused_login_and_unreachable_router(lab: Lab, sshd: Sshd) -> None:
    wrong_key = (sshd.directory / sshd.keygen("stranger").name).read_text()
    for bad in (
        target(sshd, client_key=wrong_key),
        target(sshd, client_key=None, password="not-the-password"),
    ):
        backend = SshBackend(bad, persist=None, connect_socket=factory(lab))
        with pytest.raises(AuthRefusedError):
            await backend.connect()
        await backend.close()
    nobody = SshBackend(target(sshd, port=2222), persist=None, connect_socket=factory(lab))
    with pytest.raises(RouterUnreachableError):
        await nobody.connect()


def test_errors_say_why_in_words() -> None:
    from custom_components.homebound.firewall.ssh_check import reason

    assert reason(TimeoutError()) == "no answer in time"
    assert "refused" in reason(ConnectionRefusedError())
    assert reason(OSError(113, "No route to host")) == "no route to host"
    assert reason(asyncssh.ConnectionLost("Server not responding to keepalive")) == (
        "Server not responding to keepalive"
    )
    assert reason(ValueError()) == "ValueError"


async def test_the_key_of_a_router_that_does_not_answer(lab: Lab, sshd: Sshd) -> None:
    from custom_components.homebound.firewall.ssh_check import fetch_offered_key

    with pytest.raises(RouterUnreachableError, match=r"cannot reach 198\.18\.0\.1: \S"):
        await fetch_offered_key(target(sshd, port=2222), factory(lab))
