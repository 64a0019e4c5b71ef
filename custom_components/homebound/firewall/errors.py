"""Errors of the firewall drivers, one class per thing the user must be told.

The Home Assistant glue translates each class in one place (a config-flow error, a repair
issue or a translated exception); the classes say what went wrong from the user's point of
view, never which library raised it. Every driver raises only these.
"""

from __future__ import annotations


class FirewallError(Exception):
    """A firewall operation failed; the previous ruleset is still in force."""


class RouterUnreachableError(FirewallError):
    """Nothing answered at the router's address, or the connection broke or timed out."""


class AuthRefusedError(FirewallError):
    """The router refused the username, password or key."""


class HostKeyNotPinnedError(AuthRefusedError):
    """A password login was asked for before the router's host key was pinned.

    Homebound never sends a password to a server whose key nobody has checked: fetch the key
    (:func:`~.ssh.fetch_host_key`, no credentials sent), show its fingerprint, pin it, and
    log in with exactly that key.
    """


class HostKeyChangedError(FirewallError):
    """The router's SSH host key is not the one pinned on first use.

    Nothing is sent to such a router: it may be another machine. The glue raises a repair
    issue that shows both fingerprints and lets the user accept the new key.
    """

    def __init__(self, host: str, pinned: str, offered: str) -> None:
        """Keep both fingerprints (SHA256, as ``ssh-keygen -l`` prints them)."""
        super().__init__(f"host key of {host} changed: pinned {pinned}, offered {offered}")
        self.host = host
        self.pinned = pinned
        self.offered = offered


class NoPersistenceError(FirewallError):
    """The router has no place Homebound knows to keep the ruleset across reboots."""


class NotPermittedError(FirewallError):
    """The operating system refused to change the firewall (no root, no CAP_NET_ADMIN)."""


class NftMissingError(FirewallError):
    """The machine has no ``nft`` command (or kernel nftables support) to load rules with."""


class ApplyFailedError(FirewallError):
    """The router rejected the ruleset; its previous ruleset stays in force.

    ``detail`` is the router's own message, already cut to a readable length.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        """Keep the router's message apart from ours."""
        super().__init__(f"{message}: {detail}" if detail else message)
        self.detail = detail


class RouterOutputError(FirewallError):
    """The router answered something that is not what the command prints (hostile or broken).

    Parsers of router output raise this and nothing else, whatever they are given.
    """


class PolicyError(FirewallError, ValueError):
    """The settings would make an unsafe or meaningless policy (say, isolating the HA host)."""
