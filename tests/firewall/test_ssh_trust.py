"""Host key first, password after: no credential ever reaches a server nobody has checked.

A rogue SSH server on 127.0.0.1 (:mod:`.rogue_ssh`) records whatever it is offered. The paths
owned here - fetching the key, logging in with a pin that does not match, the periodic runner -
must leave it with nothing; a login with its own key pinned shows that the recorder works.
"""

from __future__ import annotations

from pathlib import Path

import asyncssh
import pytest

from custom_components.homebound.firewall import (
    AuthRefusedError,
    HostKeyChangedError,
    HostKeyNotPinnedError,
    PersistKind,
    PersistTarget,
    RouterUnreachableError,
    SshBackend,
    SshTarget,
    fetch_host_key,
    fingerprint,
)

from .lab import ROUTER_HA4, Lab, Sshd
from .rogue_ssh import RogueSshServer, rogue_ssh_server
from .test_isolation import lab_policy
from .test_ssh import factory, keygen_fingerprint

SECRET = "root-password-of-the-router"
OTHER_KEY = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").decode()


def at(rogue: RogueSshServer, **overrides: object) -> SshTarget:
    args: dict[str, object] = {"host": "127.0.0.1", "port": rogue.port, "password": SECRET}
    args.update(overrides)
    return SshTarget(**args)  # type: ignore[arg-type]


async def test_fetching_the_key_sends_nothing() -> None:
    async with rogue_ssh_server() as rogue:
        key = await fetch_host_key(at(rogue))
        assert fingerprint(key) == fingerprint(rogue.public_keys[0])
        assert rogue.connections == 1
        assert rogue.usernames == []
        assert rogue.offers == []


async def test_a_pin_that_does_not_match_sends_nothing() -> None:
    async with rogue_ssh_server() as rogue:
        client_key = asyncssh.generate_private_key("ssh-ed25519").export_private_key().decode()
        for target in (
            at(rogue, pinned_host_key=OTHER_KEY),
            at(rogue, pinned_host_key=OTHER_KEY, client_key=client_key),
        ):
            backend = SshBackend(target, persist=PersistTarget.for_kind(PersistKind.FILE, "/x"))
            with pytest.raises(HostKeyChangedError) as caught:
                await backend.connect()
            assert caught.value.offered == fingerprint(rogue.public_keys[0])
            await backend.close()
        assert rogue.usernames == []
        assert rogue.offers == []


async def test_the_periodic_runner_sends_nothing_to_another_machine() -> None:
    async with rogue_ssh_server() as rogue:
        backend = SshBackend(
            at(rogue, pinned_host_key=OTHER_KEY),
            persist=PersistTarget.for_kind(PersistKind.FILE, "/x"),
        )
        for call in (backend.verify, backend.read, backend.apply):
            with pytest.raises(HostKeyChangedError):
                await call(lab_policy())
        with pytest.raises(HostKeyChangedError):
            await backend.observe()
        await backend.close()
        assert rogue.usernames == []
        assert rogue.offers == []


async def test_nothing_is_sent_without_a_pin() -> None:
    async with rogue_ssh_server() as rogue:
        backend = SshBackend(at(rogue), persist=None)
        with pytest.raises(HostKeyNotPinnedError):
            await backend.connect()
        assert isinstance(HostKeyNotPinnedError("x"), AuthRefusedError)
        assert rogue.connections == 0
        # With a client key too: no unpinned login at all, not even offering the key.
        client_key = asyncssh.generate_private_key("ssh-ed25519").export_private_key().decode()
        keyed = SshBackend(at(rogue, client_key=client_key), persist=None)
        with pytest.raises(HostKeyNotPinnedError):
            await keyed.connect()
        assert rogue.connections == 0
        assert rogue.offers == []


async def test_the_recorder_does_record_a_password_sent_to_the_pinned_key() -> None:
    """The positive control: the rogue's own key pinned, the password does reach it."""
    async with rogue_ssh_server() as rogue:
        backend = SshBackend(at(rogue, pinned_host_key=rogue.public_keys[0]), persist=None)
        with pytest.raises(AuthRefusedError):
            await backend.connect()
        assert rogue.usernames == ["root"]
        assert [(o.kind, o.secret) for o in rogue.offers] == [("password", SECRET)]


async def test_the_pin_chooses_among_the_servers_keys() -> None:
    """A server with several keys must present the pinned one, not its favourite."""
    async with rogue_ssh_server("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256") as rogue:
        offered = await fetch_host_key(at(rogue))
        assert offered in rogue.public_keys
        for pinned in rogue.public_keys:
            backend = SshBackend(at(rogue, pinned_host_key=pinned), persist=None)
            with pytest.raises(AuthRefusedError):  # the key matched; the login was refused
                await backend.connect()
        assert len(rogue.offers) == 3


async def test_nothing_listens() -> None:
    async with rogue_ssh_server() as rogue:
        port = rogue.port
    with pytest.raises(RouterUnreachableError):
        await fetch_host_key(SshTarget("127.0.0.1", port=port, connect_timeout=5))


async def test_fetch_then_pin_against_openssh(lab: Lab, sshd: Sshd, tmp_path: Path) -> None:
    """The whole order against a real sshd: fetch (no login), pin, log in with the pin."""
    target = SshTarget(ROUTER_HA4, client_key=(sshd.directory / "client").read_text())
    key = await fetch_host_key(target, connect_socket=factory(lab))
    assert fingerprint(key) == keygen_fingerprint(sshd.directory / "host_a.pub")
    pinned = SshTarget(
        ROUTER_HA4,
        client_key=target.client_key,
        password="unused-but-pinned",
        pinned_host_key=key,
    )
    backend = SshBackend(
        pinned,
        persist=PersistTarget.for_kind(PersistKind.FILE, str(tmp_path / "x.nft")),
        connect_socket=factory(lab),
    )
    try:
        assert await backend.connect() == key
        view = await backend.observe()
        assert view.own_addresses
    finally:
        await backend.close()
