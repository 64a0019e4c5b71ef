"""The local backend's capability check and the router-side persistence commands."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from custom_components.homebound.firewall import (
    CommandResult,
    LocalBackend,
    NftMissingError,
    NftMissingWithNetlinkError,
    NotPermittedError,
    PersistKind,
    PersistTarget,
    SubprocessRunner,
    probe_netlink,
)
from custom_components.homebound.firewall.nft_driver import NftablesDriver
from custom_components.homebound.firewall.runner import DEFAULT_TIMEOUT

from .lab import Lab
from .test_isolation import lab_policy

FAKE_UCI = """#!/bin/sh
# A stand-in for OpenWrt's uci: key=value lines in $UCI_STORE.
[ "$1" = "-q" ] && shift
case "$1" in
  get) grep -m1 "^$2=" "$UCI_STORE" 2>/dev/null | cut -d= -f2- | grep . ;;
  set) key=${2%%=*}; grep -v "^$key=" "$UCI_STORE" > "$UCI_STORE.t" 2>/dev/null;
       echo "$2" >> "$UCI_STORE.t"; mv "$UCI_STORE.t" "$UCI_STORE" ;;
  delete) grep -v "^$2" "$UCI_STORE" > "$UCI_STORE.t" 2>/dev/null; mv "$UCI_STORE.t" "$UCI_STORE" ;;
  commit) echo "commit $2" >> "$UCI_STORE.log" ;;
esac
"""


class Canned:
    """A runner that answers every command the same way."""

    def __init__(self, result: CommandResult) -> None:
        self.result = result

    async def run(
        self, argv: Sequence[str], *, stdin: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> CommandResult:
        return self.result


async def test_local_backend_checks_what_the_host_permits(lab: Lab, tmp_path: Path) -> None:
    await LocalBackend(lab.runner()).check()
    assert await asyncio_probe() is True

    no_nft = SubprocessRunner(env={"PATH": str(tmp_path)})

    async def permitted() -> bool:
        return True

    async def refused() -> bool:
        return False

    with pytest.raises(NftMissingWithNetlinkError):
        await LocalBackend(no_nft, netlink_probe=permitted).check()
    with pytest.raises(NotPermittedError):
        await LocalBackend(no_nft, netlink_probe=refused).check()
    denied = Canned(CommandResult(1, "", "Error: Operation not permitted"))
    with pytest.raises(NotPermittedError):
        await LocalBackend(denied).check()
    with pytest.raises(NotPermittedError):
        await LocalBackend(denied).apply(lab_policy())
    with pytest.raises(NftMissingError):
        await LocalBackend(Canned(CommandResult(1, "", "Error: no kernel support"))).check()
    with pytest.raises(NftMissingError):
        await LocalBackend(Canned(CommandResult(127, "", "sh: nft: not found"))).read(lab_policy())


async def asyncio_probe() -> bool:
    """The real netlink probe, in an executor as the backend runs it."""
    import asyncio

    return await asyncio.get_running_loop().run_in_executor(None, probe_netlink)


async def test_openwrt_persistence_hooks_into_fw4_includes(lab: Lab, tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "uci").write_text(FAKE_UCI)
    (fake / "uci").chmod(0o755)
    store = tmp_path / "uci.store"
    env = {"PATH": f"{fake}:/usr/sbin:/usr/bin:/sbin:/bin", "UCI_STORE": str(store)}
    runner = SubprocessRunner(prefix=("ip", "netns", "exec", lab.ns("rtr")), env=env)
    path = tmp_path / "etc" / "homebound.nft"
    backend = NftablesDriver(runner, persist=PersistTarget(PersistKind.OPENWRT, str(path)))
    policy = lab_policy()
    result = await backend.apply(policy)
    assert result.persistent
    assert f"firewall.homebound.path={path}" in store.read_text()
    assert "firewall.homebound.position=ruleset-post" in store.read_text()
    assert (await backend.verify(policy)).persistent
    # Someone deletes the include: verify reports the ruleset as not persistent.
    store.write_text("")
    status = await backend.verify(policy)
    assert status.in_force
    assert status.problems == ("not_persistent",)
    await backend.apply(policy)
    assert (await backend.verify(policy)).persistent
    await backend.remove()
    assert "homebound" not in store.read_text()
    assert not path.exists()


def test_persist_targets() -> None:
    assert PersistTarget.for_kind(PersistKind.SYSTEMD).path == "/etc/homebound/homebound.nft"
    systemd = PersistTarget.for_kind(PersistKind.SYSTEMD)
    assert "systemctl enable" in systemd.commit()
    assert "systemctl is-enabled" in systemd.show()
    assert "systemctl disable" in systemd.remove()
    with pytest.raises(ValueError, match="path"):
        PersistTarget.for_kind(PersistKind.FILE)


async def test_a_stream_of_a_command_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(NftMissingError):
        await SubprocessRunner(env={"PATH": str(tmp_path)}).stream(("nft", "monitor"))
