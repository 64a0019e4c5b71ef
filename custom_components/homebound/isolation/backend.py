"""The firewall backend a firewall entry describes, made from the entry's data.

Nothing here knows about tests: they run the backends against a network-namespace lab (a real
sshd, real nftables) by replacing the classes and the resolver this module uses, from fixtures
in ``tests/``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import importlib
import socket
from typing import TYPE_CHECKING, Any, Final, cast

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant

from ..catalog import Resolver
from ..const import (
    BACKEND_LOCAL,
    BACKEND_SSH,
    CONF_BACKEND,
    CONF_CLIENT_KEY,
    CONF_DNS_SERVERS,
    CONF_GATEWAYS,
    CONF_HA_HOSTS,
    CONF_HOST_KEY,
    CONF_LAN_RANGES,
    CONF_NTP_REDIRECT,
    CONF_NTP_SERVERS,
    CONF_PERSIST,
)
from ..firewall import LocalBackend, PersistKind, PersistTarget

if TYPE_CHECKING:
    from ..firewall.ssh import SshBackend, SshTarget

SSH_MODULE: Final = __name__.rsplit(".", 2)[0] + ".firewall.ssh"
"""The SSH backend's module, imported the first time an SSH firewall needs it."""

type Backend = SshBackend | LocalBackend


def policy_settings(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return the entry's allow-list as :func:`~.firewall.build_policy` takes it."""
    return {
        "ha_hosts": list(data.get(CONF_HA_HOSTS) or ()),
        "gateways": list(data.get(CONF_GATEWAYS) or ()),
        "lan_ranges": list(data.get(CONF_LAN_RANGES) or ()),
        "ntp_servers": list(data.get(CONF_NTP_SERVERS) or ()),
        "dns_servers": list(data.get(CONF_DNS_SERVERS) or ()),
        "ntp_redirect": data.get(CONF_NTP_REDIRECT) or None,
    }


def ssh_target(data: Mapping[str, Any]) -> SshTarget:
    """Return the router an entry names, pinned to its host key (no login without one)."""
    from ..firewall.ssh import SshTarget  # noqa: PLC0415 - loaded by async_make_backend

    return SshTarget(
        host=data[CONF_HOST],
        port=int(data[CONF_PORT]),
        username=data[CONF_USERNAME],
        password=data.get(CONF_PASSWORD) or None,
        client_key=data.get(CONF_CLIENT_KEY) or None,
        pinned_host_key=data.get(CONF_HOST_KEY) or None,
    )


def persist_target(data: Mapping[str, Any]) -> PersistTarget | None:
    """Where the router keeps the ruleset (None: detect it when connecting)."""
    kind = data.get(CONF_PERSIST)
    if not kind or kind == PersistKind.FILE:
        return None
    return PersistTarget.for_kind(PersistKind(kind))


async def async_make_backend(hass: HomeAssistant, data: Mapping[str, Any]) -> Backend | None:
    """Return the backend an entry's data describes; None for "export only".

    The SSH backend's module (asyncssh) is imported the first time one is needed, in Home
    Assistant's import executor rather than on the event loop.
    """
    if data[CONF_BACKEND] == BACKEND_SSH:
        ssh = await hass.async_add_import_executor_job(importlib.import_module, SSH_MODULE)
        return cast(
            "SshBackend",
            ssh.SshBackend(ssh_target(data), persist=persist_target(data)),
        )
    if data[CONF_BACKEND] == BACKEND_LOCAL:
        return LocalBackend()
    return None


async def system_resolve(hass: HomeAssistant, name: str) -> Iterable[str]:
    """Resolve a name as Home Assistant does: the event loop's resolver, in its executor."""
    infos = await hass.loop.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def resolver(hass: HomeAssistant) -> Resolver:
    """Return the resolver for cloud domains: Home Assistant's own."""

    async def resolve(name: str) -> Iterable[str]:
        return await system_resolve(hass, name)

    return resolve


def host_key_fingerprint(key: str) -> str:
    """Return an SSH host key's SHA256 fingerprint (loads the SSH module when first asked)."""
    from ..firewall.ssh import fingerprint  # noqa: PLC0415 - see the firewall package's __getattr__

    return fingerprint(key)
