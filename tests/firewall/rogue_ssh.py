"""A rogue SSH server on 127.0.0.1 that records every credential anybody offers it.

It stands in for "another machine answers at the router's address": it speaks real SSH
(asyncssh's server), offers host keys of its own, accepts every authentication method a client
may try (password, public key, keyboard-interactive) and refuses them all after writing down
what was offered. A test then asserts on :attr:`RogueSshServer.offers`: empty means nothing
reached it; :attr:`RogueSshServer.connections` counts TCP sessions, :attr:`usernames` the
authentication requests (a client that stops at the host key sends none).

Reusable: the glue's paths (add, reconfigure, reauth, the host-key repair) point their SSH
target at ``127.0.0.1:port`` and assert the same.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
import contextlib
from dataclasses import dataclass, field

import asyncssh


@dataclass(frozen=True, slots=True)
class Offer:
    """One credential offered: ``password`` (the text), ``public_key`` (its fingerprint) or
    ``kbdint`` (the responses)."""

    kind: str
    username: str
    secret: str


@dataclass
class RogueSshServer:
    """An SSH server that refuses everyone and remembers what they tried."""

    host_keys: list[asyncssh.SSHKey] = field(
        default_factory=lambda: [asyncssh.generate_private_key("ssh-ed25519")]
    )
    offers: list[Offer] = field(default_factory=list)
    usernames: list[str] = field(default_factory=list)
    connections: int = 0
    port: int = 0
    _server: asyncssh.SSHAcceptor | None = None

    @property
    def public_keys(self) -> list[str]:
        """The host keys it offers, in OpenSSH one-line form."""
        return [k.export_public_key("openssh").decode().strip() for k in self.host_keys]

    async def start(self) -> None:
        """Listen on 127.0.0.1, on a port the system picks."""
        self._server = await asyncssh.create_server(
            lambda: _Recorder(self),
            "127.0.0.1",
            0,
            server_host_keys=self.host_keys,
            kbdint_auth=True,
            password_auth=True,
            public_key_auth=True,
            login_timeout=20,
            config=[],
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and close the sessions."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None


class _Recorder(asyncssh.SSHServer):
    def __init__(self, rogue: RogueSshServer) -> None:
        self.rogue = rogue

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.rogue.connections += 1

    def begin_auth(self, username: str) -> bool:
        self.rogue.usernames.append(username)
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        self.rogue.offers.append(Offer("password", username, password))
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        self.rogue.offers.append(Offer("public_key", username, key.get_fingerprint()))
        return False

    def kbdint_auth_supported(self) -> bool:
        return True

    def get_kbdint_challenge(
        self, username: str, lang: str, submethods: str
    ) -> tuple[str, str, str, list[tuple[str, bool]]]:
        return ("", "", "", [("Password: ", False)])

    def validate_kbdint_response(self, username: str, responses: Sequence[str]) -> bool:
        self.rogue.offers.append(Offer("kbdint", username, "\n".join(responses)))
        return False


@contextlib.asynccontextmanager
async def rogue_ssh_server(*key_types: str) -> AsyncIterator[RogueSshServer]:
    """Run a rogue server with host keys of ``key_types`` (ed25519 by default)."""
    keys = [asyncssh.generate_private_key(kind) for kind in key_types or ("ssh-ed25519",)]
    rogue = RogueSshServer(host_keys=keys)
    await rogue.start()
    try:
        yield rogue
    finally:
        await rogue.stop()
