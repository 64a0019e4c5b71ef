"""Re-apply, failures, fw4 reloads, update windows, NTP redirect, release and removal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
import re

import pytest

from custom_components.homebound.firewall import (
    ApplyFailedError,
    CameraIdentity,
    CommandResult,
    LocalBackend,
)
from custom_components.homebound.firewall.runner import DEFAULT_TIMEOUT, SubprocessRunner

from .lab import (
    CAMERA4,
    CAMERA6,
    CAMERA_MAC,
    CLOUD4,
    CLOUD6,
    HA4,
    LOCAL_SERVER,
    OTHER_CLOUD,
    Lab,
    wait_until,
)
from .test_isolation import lab_policy

FW4_LIKE = """
table inet fw4
flush table inet fw4
table inet fw4 {
    chain forward {
        type filter hook forward priority filter; policy accept;
        ct state established,related accept
        ip saddr 198.18.1.0/24 accept
        ip6 saddr 2001:db8:1::/64 accept
    }
}
"""


async def test_reapply_is_idempotent_and_keeps_counters(lab: Lab) -> None:
    lab.start_echo("inet", "8800/udp")
    backend = LocalBackend(lab.runner())
    policy = lab_policy()
    first = await backend.apply(policy)
    assert lab.probe([("udp", CLOUD4, 8800)] * 3) == [False] * 3
    listing = lab.nft("list", "table", "inet", "homebound").stdout
    again = await backend.apply(policy)
    assert again.newly_isolated == ()
    assert again.rules == first.rules
    after = lab.nft("list", "table", "inet", "homebound").stdout
    assert after.count("\n") == listing.count("\n")
    reading = (await backend.read(policy)).cameras[CAMERA_MAC]
    assert reading.blocked_packets == 3
    assert reading.destinations_24h == 1
    assert reading.last_blocked is not None
    assert str(reading.last_blocked.destination) == f"{CLOUD4} udp/8800"


async def test_failed_apply_leaves_previous_ruleset(lab: Lab) -> None:
    class Broken(SubprocessRunner):
        async def run(
            self, argv: Sequence[str], *, stdin: str | None = None, timeout: float = DEFAULT_TIMEOUT
        ) -> CommandResult:
            if stdin is not None and "add rule" in stdin:
                stdin += "add rule inet homebound forward this is not nftables\n"
            return await super().run(argv, stdin=stdin, timeout=timeout)

    lab.start_echo("inet", "443/tcp")
    good = LocalBackend(lab.runner())
    policy = lab_policy()
    await good.apply(policy)
    assert lab.probe([("tcp", CLOUD4, 443)]) == [False]
    before = _listing(lab)
    broken = LocalBackend(Broken(prefix=("ip", "netns", "exec", lab.ns("rtr"))))
    released = lab_policy(cameras=[])
    with pytest.raises(ApplyFailedError):
        await broken.apply(released)
    assert _listing(lab) == before
    assert lab.probe([("tcp", CLOUD4, 443)]) == [False]
    assert (await good.read(policy)).cameras[CAMERA_MAC].blocked_packets == 2


async def test_established_session_dies_and_conntrack_is_flushed(lab: Lab) -> None:
    _load(lab, FW4_LIKE)  # a router tracks connections (fw4 does): conntrack is on
    lab.start_echo("inet", "443/tcp")
    session = lab.start("cam", *lab.python("session.py", CLOUD4, "443"), ready="connected")
    assert session.stdin is not None
    session.stdin.write("send\n")
    session.stdin.flush()
    assert lab.readline(session) == "ok"
    tracked = lab.exec("rtr", "conntrack", "-L", "-s", CAMERA4, check=False).stdout
    assert CLOUD4 in tracked

    result = await LocalBackend(lab.runner()).apply(lab_policy())
    assert result.sessions_flushed
    assert CLOUD4 not in lab.exec("rtr", "conntrack", "-L", "-s", CAMERA4, check=False).stdout
    session.stdin.write("send\n")
    session.stdin.flush()
    assert lab.readline(session) == "dead"


async def test_drops_are_final_even_where_fw4_accepts_and_survive_fw4_reload(lab: Lab) -> None:
    lab.start_echo("inet", "443/tcp")
    _load(lab, FW4_LIKE)
    backend = LocalBackend(lab.runner())
    policy = lab_policy()
    await backend.apply(policy)
    assert lab.probe([("tcp", CLOUD4, 443), ("tcp", CLOUD6, 443)]) == [False, False]
    _load(lab, FW4_LIKE)  # fw4 reload: rebuilds only its own table
    assert (await backend.verify(policy)).in_force
    assert lab.probe([("tcp", CLOUD4, 443)]) == [False]
    # fw4 flush / a reboot: everything goes; verify notices, re-applying restores.
    lab.nft("flush", "ruleset")
    status = await backend.verify(policy)
    assert not status.in_force
    assert "table_missing" in status.problems
    assert lab.probe([("tcp", CLOUD4, 443)]) == [True]
    await backend.apply(policy)
    assert (await backend.verify(policy)).in_force
    assert lab.probe([("tcp", CLOUD4, 443)]) == [False]
    # Someone edits our table: verify notices that too.
    lab.nft("flush", "chain", "inet", "homebound", "forward")
    assert "rules_changed:forward" in (await backend.verify(policy)).problems


def _listing(lab: Lab) -> str:
    """The table without its ever-changing expiry times."""
    text = lab.nft("list", "table", "inet", "homebound").stdout
    return re.sub(r"expires \S+", "", text)


def _load(lab: Lab, script: str) -> None:
    lab.exec("rtr", "sh", "-c", f"nft -f - <<'EOF'\n{script}\nEOF")


async def test_only_selected_cameras_are_touched(lab: Lab) -> None:
    lab.start_echo("inet", "443/tcp")
    backend = LocalBackend(lab.runner())
    await backend.apply(lab_policy())
    out = lab.exec("ha", *lab.python("probe.py", f'[["tcp", "{CLOUD4}", 443]]')).stdout
    assert out.strip() == "[true]"
    assert lab.probe([("tcp", HA4, 443)]) == [False]  # nothing listens; refused, not dropped
    assert lab.nft("list", "counters").stdout.count("packets 0") == 1


async def test_update_window_opens_and_closes_by_itself(lab: Lab) -> None:
    lab.start_echo("inet", "443/tcp")
    backend = LocalBackend(lab.runner())
    until = datetime.now(UTC) + timedelta(seconds=2)
    policy = lab_policy(update_windows={CAMERA_MAC: until})
    result = await backend.apply(policy)
    assert result.newly_isolated == ()
    assert lab.probe([("tcp", CLOUD4, 443)]) == [True]
    # The kernel closes the window (the element's timeout): no call from Home Assistant.
    assert wait_until(lambda: lab.probe([("tcp", CLOUD4, 443)]) == [False], limit=10.0)


async def test_ntp_redirect_and_address_matching(lab: Lab) -> None:
    lab.start_echo("inet", "123/udp", "443/tcp")
    ntp = lab.start_echo("ha", "123/udp")
    backend = LocalBackend(lab.runner())
    camera = CameraIdentity(CAMERA_MAC, ipv4=(CAMERA4,), ipv6=(CAMERA6,))  # type: ignore[arg-type]
    policy = lab_policy(cameras=[camera], ntp_redirect=LOCAL_SERVER)
    await backend.apply(policy)
    # NTP to any server lands on the local one; everything else to the outside is dropped.
    assert lab.probe([("udp", OTHER_CLOUD, 123), ("tcp", OTHER_CLOUD, 443)]) == [True, False]
    assert lab.readline(ntp) == f"udp 123 {CAMERA4}"
    assert (await backend.verify(policy)).in_force


async def test_release_and_remove_leave_nothing_behind(lab: Lab) -> None:
    lab.start_echo("inet", "443/tcp")
    backend = LocalBackend(lab.runner())
    policy = lab_policy()
    await backend.apply(policy)
    assert lab.probe([("tcp", CLOUD4, 443)]) == [False]
    released = lab_policy(cameras=[])
    await backend.apply(released)
    assert lab.probe([("tcp", CLOUD4, 443)]) == [True]
    listing = lab.nft("list", "table", "inet", "homebound").stdout
    assert CAMERA_MAC not in listing
    assert "cam_" not in listing
    await backend.remove()
    await backend.remove()  # removing twice is fine
    assert lab.nft("list", "ruleset").stdout.strip() == ""


async def test_cameras_behind_a_routed_hop_are_matched_by_address(lab: Lab) -> None:
    """A router that never sees the camera's MAC still isolates and counts it by address."""
    lab.start_echo("inet", "443/tcp", "8800/udp")
    unseen = CameraIdentity.parse("02:00:00:00:99:99", [CAMERA4, CAMERA6])
    policy = lab_policy(cameras=[unseen])
    backend = LocalBackend(lab.runner())
    await backend.apply(policy)
    tries = [("tcp", CLOUD4, 443), ("udp", CLOUD6, 8800), ("icmp", CLOUD6, 0)]
    assert lab.probe(tries) == [False, False, False]
    reading = (await backend.read(policy)).cameras[unseen.mac]
    assert reading.blocked_packets == 3
    assert {str(a.destination) for a in reading.recent} == {
        f"{CLOUD4} tcp/443",
        f"[{CLOUD6}] udp/8800",
        f"[{CLOUD6}] icmpv6",
    }
