"""Keeping the ruleset on a router across ``fw4 reload``, ``service firewall restart`` and reboots.

A separate nftables table survives fw4's reloads but not a reboot, ``fw4 flush`` or
``nft flush ruleset``. So the SSH backend also stores the ruleset (in its reboot form: no
update window open, nothing deleted) where the router loads it by itself:

* OpenWrt (fw4): a UCI ``config include`` of type ``nftables`` at position ``ruleset-post``
  pointing at ``/etc/homebound.nft``. fw4 includes it on every start and reload, and ``/etc``
  is kept across sysupgrades. The script is counter-preserving, so fw4's reloads (one per
  interface event) keep the counts.
* systemd Linux: the file under ``/etc/homebound/`` and a oneshot unit that loads it after
  ``nftables.service``.
* ``/etc/nftables.d/`` where the distribution's nftables.conf includes that directory.
* ``file``: only the file, for routers whose owner loads it by hand (and for the tests).

All of it is plain POSIX shell run through the command runner (Dropbear has no SFTP).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import shlex

UNIT = "homebound-firewall.service"
UNIT_PATH = f"/etc/systemd/system/{UNIT}"
UCI_SECTION = "firewall.homebound"


class PersistKind(StrEnum):
    """How the router brings the ruleset back."""

    OPENWRT = "openwrt"
    SYSTEMD = "systemd"
    NFTABLES_D = "nftables.d"
    FILE = "file"


DEFAULT_PATHS = {
    PersistKind.OPENWRT: "/etc/homebound.nft",
    PersistKind.SYSTEMD: "/etc/homebound/homebound.nft",
    PersistKind.NFTABLES_D: "/etc/nftables.d/homebound.nft",
}

DETECT = (
    "if [ -f /etc/openwrt_release ] && command -v fw4 >/dev/null 2>&1; then echo openwrt; "
    "elif [ -d /run/systemd/system ]; then echo systemd; "
    "elif [ -d /etc/nftables.d ]; then echo nftables.d; else echo none; fi"
)
"""Prints which kind of persistence the router supports (``none`` when it knows none)."""


@dataclass(frozen=True, slots=True)
class PersistTarget:
    """Where and how the ruleset is stored on the router."""

    kind: PersistKind
    path: str

    @classmethod
    def for_kind(cls, kind: PersistKind, path: str | None = None) -> PersistTarget:
        """Return the target of a kind, at its usual path unless one is given."""
        if path is None:
            if kind is PersistKind.FILE:
                raise ValueError("a plain-file target needs its path")
            path = DEFAULT_PATHS[kind]
        return cls(kind, path)

    @property
    def _q(self) -> str:
        return shlex.quote(self.path)

    def stage(self) -> str:
        """Shell that writes standard input next to the file (applied by :meth:`commit`)."""
        directory = shlex.quote(self.path.rsplit("/", 1)[0] or "/")
        return f"umask 022 && mkdir -p {directory} && cat > {self._q}.new"

    def discard(self) -> str:
        """Shell that drops a staged file after a failed apply."""
        return f"rm -f {self._q}.new"

    def commit(self) -> str:
        """Shell that puts the staged file in place and hooks it into the router's start."""
        steps = [f"mv -f {self._q}.new {self._q}"]
        if self.kind is PersistKind.OPENWRT:
            steps.append(
                f'if [ "$(uci -q get {UCI_SECTION}.path)" != {self._q} ]; then '
                f"uci -q delete {UCI_SECTION}; uci set {UCI_SECTION}=include && "
                f"uci set {UCI_SECTION}.type=nftables && uci set {UCI_SECTION}.path={self._q} && "
                f"uci set {UCI_SECTION}.position=ruleset-post && uci commit firewall; fi"
            )
        elif self.kind is PersistKind.SYSTEMD:
            unit = (
                "[Unit]\\nDescription=Homebound camera isolation\\n"
                "After=nftables.service network-pre.target\\n"
                "[Service]\\nType=oneshot\\nRemainAfterExit=yes\\n"
                f"ExecStart=/usr/sbin/nft -f {self.path}\\n"
                "[Install]\\nWantedBy=multi-user.target\\n"
            )
            steps.append(
                f"printf {shlex.quote(unit)} > {UNIT_PATH} && systemctl daemon-reload && "
                f"systemctl enable {UNIT} >/dev/null 2>&1"
            )
        return " && ".join(steps)

    def show(self) -> str:
        """Shell that prints the stored file, and fails when it or its hook is gone."""
        check = f"cat {self._q}"
        if self.kind is PersistKind.OPENWRT:
            check = f'[ "$(uci -q get {UCI_SECTION}.path)" = {self._q} ] && {check}'
        elif self.kind is PersistKind.SYSTEMD:
            check = f"systemctl is-enabled --quiet {UNIT} && {check}"
        return check

    def remove(self) -> str:
        """Shell that removes the file and its hook (succeeds when they are already gone)."""
        steps = [f"rm -f {self._q} {self._q}.new"]
        if self.kind is PersistKind.OPENWRT:
            steps.append(
                f"if uci -q get {UCI_SECTION} >/dev/null; then uci delete {UCI_SECTION} && "
                "uci commit firewall; fi"
            )
        elif self.kind is PersistKind.SYSTEMD:
            steps.append(
                f"systemctl disable {UNIT} >/dev/null 2>&1; rm -f {UNIT_PATH}; "
                "systemctl daemon-reload"
            )
        return "; ".join(steps)
