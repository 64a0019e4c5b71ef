"""The lab fixture: namespaces made for one test and removed after it, also on failure."""

from __future__ import annotations

import atexit
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
import pytest

from custom_components.homebound.firewall import LocalBackend
from custom_components.homebound.firewall.persist import PersistTarget
from custom_components.homebound.firewall.ssh import SocketFactory, SshBackend, SshTarget

from .glue import IN_FORCE, FirewallHooks
from .lab import Lab, Sshd


class LabSshBackend(SshBackend):
    """The SSH backend, connecting and persisting as the test's hooks say."""

    def __init__(
        self,
        target: SshTarget,
        *,
        persist: PersistTarget | None = None,
        connect_socket: SocketFactory | None = None,
    ) -> None:
        hooks = IN_FORCE[0]
        super().__init__(
            target,
            persist=hooks.persist or persist,
            connect_socket=hooks.connect_socket or connect_socket,
        )


def lab_local_backend() -> LocalBackend:
    """The local backend, running commands as the test's hooks say."""
    hooks = IN_FORCE[0]
    if hooks.netlink_probe is not None:
        return LocalBackend(hooks.local_runner, netlink_probe=hooks.netlink_probe)
    return LocalBackend(hooks.local_runner)


@pytest.fixture(autouse=True)
def firewall_seams() -> Iterator[None]:
    """The glue's backends, host-key fetch, resolver, contact addresses and Home Assistant's
    network adapters (as the allow-list form reads them) follow the hooks a test puts in force."""
    from custom_components.homebound.isolation import backend, cameras

    real_resolve = backend.system_resolve
    real_contact = cameras.contact_addresses

    async def resolve(hass: HomeAssistant, name: str) -> Iterable[str]:
        if (fake := IN_FORCE[0].resolver) is not None:
            return await fake(name)
        return await real_resolve(hass, name)

    from custom_components.homebound.firewall import ssh

    real_fetch = ssh.fetch_host_key

    async def fetch(target: SshTarget, *, connect_socket: SocketFactory | None = None) -> str:
        return await real_fetch(target, connect_socket=IN_FORCE[0].connect_socket or connect_socket)

    async def adapters(hass: HomeAssistant) -> list[dict[str, Any]]:
        return IN_FORCE[0].adapters

    async def contact(hass: HomeAssistant, host: str) -> tuple[str, ...]:
        if (found := (IN_FORCE[0].contacts or {}).get(host)) is not None:
            return found
        return await real_contact(hass, host)

    patches: list[Any] = [
        patch("custom_components.homebound.firewall.ssh.SshBackend", LabSshBackend),
        patch("custom_components.homebound.firewall.ssh.fetch_host_key", fetch),
        patch("custom_components.homebound.isolation.flow_defaults.async_get_adapters", adapters),
        patch.object(backend, "LocalBackend", lab_local_backend),
        patch.object(backend, "system_resolve", resolve),
        patch.object(cameras, "contact_addresses", contact),
    ]
    for item in patches:
        item.start()
    try:
        yield
    finally:
        for item in reversed(patches):
            item.stop()
        IN_FORCE[0] = FirewallHooks()


@pytest.fixture(autouse=True)
def config_directory_of_its_own(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Home Assistant's configuration directory is the test's own (export-only entries write
    their rules there; the default is inside the installed test package, shared by every run)."""
    if "hass" in request.fixturenames:
        hass: HomeAssistant = request.getfixturevalue("hass")
        directory = tmp_path / "config"
        directory.mkdir(exist_ok=True)
        hass.config.config_dir = str(directory)


@pytest.fixture
def lab() -> Iterator[Lab]:
    """A fresh camera/router/HA/internet network; fails loudly when namespaces are refused."""
    net = Lab()
    atexit.register(net.close)
    try:
        net.create()
    except Exception:
        net.close()
        raise
    try:
        yield net
    finally:
        net.close()
        atexit.unregister(net.close)
        assert not net.leftovers()


@pytest.fixture
def sshd(lab: Lab, tmp_path: Path) -> Iterator[Sshd]:
    """sshd in the router, its host key and the client's key in a temp directory."""
    server = Sshd(lab, tmp_path)
    client = server.keygen("client")
    authorized = tmp_path / "authorized_keys"
    authorized.write_text(client.with_suffix(".pub").read_text())
    server.start(server.keygen("host_a"), authorized)
    try:
        yield server
    finally:
        server.stop()
