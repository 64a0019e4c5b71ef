"""The firewall backend a firewall entry describes, and the one seam the tests use.

Why a seam: backends talk to real routers. The tests run them against a network-namespace lab
(a real sshd, real nftables) that the test process reaches only through sockets connected
inside a namespace and commands run behind ``ip netns exec``. :class:`FirewallHooks`, kept in
``hass.data``, carries those; in production it is empty and the backends connect by address
and run ``nft`` on this host.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
import importlib
import socket
from typing import TYPE_CHECKING, Any, Final, cast

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.util.hass_dict import HassKey

from .catalog import Resolver
from .const import (
    BACKEND_LOCAL,
    BACKEND_SSH,
    CONF_BACKEND,
    CONF_CLIENT_KEY,
    CONF_DNS_SERVERS,
    CONF_GATEWAYS,
    CONF_HA_HOSTS,
    CONF_HOST_KEY,
    CONF_KIND,
    CONF_LAN_RANGES,
    CONF_NTP_REDIRECT,
    CONF_NTP_SERVERS,
    CONF_PERSIST,
    DOMAIN,
    KIND_FIREWALL,
)
from .firewall import CommandRunner, LocalBackend, PersistKind, PersistTarget

if TYPE_CHECKING:
    from .firewall.ssh import SocketFactory, SshBackend, SshTarget

SSH_MODULE: Final = f"{__package__}.firewall.ssh"

type Backend = SshBackend | LocalBackend


@dataclass(slots=True)
class FirewallHooks:
    """What tests put between Homebound and the machine: all None in production."""

    connect_socket: SocketFactory | None = None
    """Opens the SSH backend's TCP connection (a socket connected inside the lab)."""
    local_runner: CommandRunner | None = None
    """Runs the local backend's commands (behind ``ip netns exec`` into the lab's router)."""
    persist: PersistTarget | None = None
    """Where the SSH backend stores the ruleset (a file in a temporary directory)."""
    netlink_probe: Callable[[], Awaitable[bool]] | None = None
    resolver: Resolver | None = None
    """Resolves cloud domains (a fake: tests have no DNS)."""


DATA_HOOKS: HassKey[FirewallHooks] = HassKey(f"{DOMAIN}_firewall_hooks")


def is_firewall_entry(entry: ConfigEntry) -> bool:
    """Whether an entry of Homebound's is the firewall (the others are cameras)."""
    return entry.data.get(CONF_KIND) == KIND_FIREWALL


def hooks(hass: HomeAssistant) -> FirewallHooks:
    """Return the test seam (empty in production)."""
    return hass.data.get(DATA_HOOKS) or FirewallHooks()


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


def ssh_target(data: Mapping[str, Any], *, pin: bool = True) -> SshTarget:
    """Return the router an entry names; ``pin=False`` accepts whatever host key it offers."""
    from .firewall.ssh import SshTarget  # noqa: PLC0415 - loaded by async_make_backend

    return SshTarget(
        host=data[CONF_HOST],
        port=int(data[CONF_PORT]),
        username=data[CONF_USERNAME],
        password=data.get(CONF_PASSWORD) or None,
        client_key=data.get(CONF_CLIENT_KEY) or None,
        pinned_host_key=(data.get(CONF_HOST_KEY) or None) if pin else None,
    )


def persist_target(hass: HomeAssistant, data: Mapping[str, Any]) -> PersistTarget | None:
    """Where the router keeps the ruleset (None: detect it when connecting)."""
    if (override := hooks(hass).persist) is not None:
        return override
    kind = data.get(CONF_PERSIST)
    if not kind or kind == PersistKind.FILE:
        return None
    return PersistTarget.for_kind(PersistKind(kind))


async def async_make_backend(
    hass: HomeAssistant, data: Mapping[str, Any], *, pin: bool = True
) -> Backend | None:
    """Return the backend an entry's data describes; None for "export only".

    The SSH backend's module (asyncssh) is imported the first time one is needed, in Home
    Assistant's import executor rather than on the event loop.
    """
    seam = hooks(hass)
    if data[CONF_BACKEND] == BACKEND_SSH:
        ssh = await hass.async_add_import_executor_job(importlib.import_module, SSH_MODULE)
        return cast(
            "SshBackend",
            ssh.SshBackend(
                ssh_target(data, pin=pin),
                persist=persist_target(hass, data),
                connect_socket=seam.connect_socket,
            ),
        )
    if data[CONF_BACKEND] == BACKEND_LOCAL:
        if seam.netlink_probe is not None:
            return LocalBackend(seam.local_runner, netlink_probe=seam.netlink_probe)
        return LocalBackend(seam.local_runner)
    return None


async def system_resolve(hass: HomeAssistant, name: str) -> Iterable[str]:
    """Resolve a name as Home Assistant does: the event loop's resolver, in its executor."""
    infos = await hass.loop.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def resolver(hass: HomeAssistant) -> Resolver:
    """Return the resolver for cloud domains: Home Assistant's own, unless a test put a fake."""
    if (fake := hooks(hass).resolver) is not None:
        return fake

    async def resolve(name: str) -> Iterable[str]:
        return await system_resolve(hass, name)

    return resolve


def host_key_fingerprint(key: str) -> str:
    """Return an SSH host key's SHA256 fingerprint (loads the SSH module when first asked)."""
    from .firewall.ssh import fingerprint  # noqa: PLC0415 - see the firewall package's __getattr__

    return fingerprint(key)
