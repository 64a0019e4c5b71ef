"""The nftables driver: apply, verify, read and remove, over any :class:`CommandRunner`.

The local backend gives it a subprocess runner, the SSH backend an SSH channel runner; the
tests give it a runner that enters a network namespace. The driver itself never knows where
it runs.

Apply order, so that a failure anywhere leaves the previous ruleset in force:

1. read the table as it is (to know which cameras are newly isolated and what is stale);
2. stage the reboot form of the ruleset on the router (when persistent) - nothing in force
   changes yet;
3. ``nft -f -`` the ruleset: one kernel transaction, all or nothing; on failure the staged
   file is dropped and :class:`ApplyFailedError` raised;
4. put the staged file in place (a rename) and hook it into the router's start;
5. delete, best effort, the counters and attempts of cameras no longer isolated, and the
   connection-tracking entries of newly isolated cameras, so their open cloud sessions die
   now rather than at their next packet (and flows a router offloads die at all).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
import ipaddress
import json
import shlex

from .errors import ApplyFailedError, FirewallError, NftMissingError, NotPermittedError
from .nft_readings import problems, readings
from .nft_render import FAMILY, TABLE, count_rules, render_apply, render_cleanup, render_remove
from .nft_state import TableState, parse_table
from .persist import PersistTarget
from .policy import FirewallPolicy, IPAddress
from .readings import ApplyResult, FirewallReadings, IsolationStatus
from .runner import CommandResult, CommandRunner

LIST_TABLE = ("nft", "-j", "list", "table", FAMILY, TABLE)
_MISSING = ("no such file or directory", "does not exist")
_DENIED = ("operation not permitted", "permission denied")
_DETAIL_LIMIT = 500


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _raise_for(result: CommandResult, what: str) -> None:
    """Turn a failed nft run into the error the user must see."""
    if result.ok:
        return
    message = result.stderr.strip() or result.stdout.strip()
    lowered = message.lower()
    if result.status == 127 or ("not found" in lowered and "nft" in lowered):
        raise NftMissingError("the router has no nft command")
    if any(word in lowered for word in _DENIED):
        raise NotPermittedError(f"{what}: not permitted (root or CAP_NET_ADMIN needed)")
    raise ApplyFailedError(what, message[:_DETAIL_LIMIT])


def neighbour_addresses(text: str, macs: set[str]) -> dict[str, set[IPAddress]]:
    """MAC -> addresses, from ``ip -j neigh show`` (garbage in: nothing out)."""
    found: dict[str, set[IPAddress]] = {}
    try:
        entries = json.loads(text) if len(text) < 8 * 1024 * 1024 else []
    except (ValueError, RecursionError):
        return found
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        mac, dst = entry.get("lladdr"), entry.get("dst")
        if not isinstance(mac, str) or not isinstance(dst, str) or mac.lower() not in macs:
            continue
        try:
            found.setdefault(mac.lower(), set()).add(ipaddress.ip_address(dst))
        except ValueError:
            continue
    return found


class NftablesDriver:
    """Drives Homebound's nftables table on one machine through a command runner."""

    def __init__(
        self,
        runner: CommandRunner,
        *,
        persist: PersistTarget | None = None,
        flush_sessions: bool = True,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        """Keep the runner; ``persist`` says where the router stores the ruleset (or not)."""
        self.runner = runner
        self.persist = persist
        self.flush_sessions = flush_sessions
        self._clock = clock

    async def _sh(self, script: str, stdin: str | None = None) -> CommandResult:
        return await self.runner.run(("sh", "-c", script), stdin=stdin)

    async def read_state(self) -> TableState:
        """Read the table as the kernel holds it now (``present=False`` when there is none)."""
        result = await self.runner.run(LIST_TABLE)
        if not result.ok and any(word in result.stderr.lower() for word in _MISSING):
            return TableState(present=False)
        _raise_for(result, "listing the Homebound table")
        return parse_table(result.stdout)

    async def apply(self, policy: FirewallPolicy) -> ApplyResult:
        """Make the kernel hold ``policy`` in one transaction (see the module docstring)."""
        now = self._clock()
        before = await self.read_state()
        rendered = render_apply(policy, now)
        if self.persist is not None:
            staged = await self._sh(self.persist.stage(), stdin=render_apply(policy).script)
            _raise_for(staged, "storing the ruleset on the router")
        result = await self.runner.run(("nft", "-f", "-"), stdin=rendered.script)
        if not result.ok:
            if self.persist is not None:
                await self._sh(self.persist.discard())
            _raise_for(result, "the router rejected the ruleset")
        persistent = None
        if self.persist is not None:
            committed = await self._sh(self.persist.commit())
            persistent = committed.ok
        await self._cleanup(policy, before)
        windows = policy.open_windows(now)
        was = before.elements.get("cams", frozenset()) - before.elements.get("win", frozenset())
        newly = tuple(c.mac for c in policy.cameras if c.mac not in windows and c.mac not in was)
        flushed = await self._flush_sessions(policy, newly) if newly else True
        return ApplyResult(count_rules(policy), newly, flushed, persistent)

    async def _cleanup(self, policy: FirewallPolicy, before: TableState) -> None:
        """Forget cameras that are no longer isolated (best effort, after the apply)."""
        keep = {f"cam_{cam.key}" for cam in policy.cameras}
        stale_counters = sorted(name for name in before.counters if name not in keep)
        macs = {cam.mac for cam in policy.cameras}
        addrs = {str(a) for cam in policy.cameras for a in cam.addresses}
        stale: dict[str, list[str]] = {}
        for attempt in before.attempts:
            if attempt.source not in macs and attempt.source not in addrs:
                stale.setdefault(attempt.set_name, []).append(attempt.key)
        script = render_cleanup(stale_counters, stale)
        if script:
            await self.runner.run(("nft", "-f", "-"), stdin=script)

    async def _flush_sessions(self, policy: FirewallPolicy, macs: Sequence[str]) -> bool:
        """Delete conntrack entries from newly isolated cameras; False without ``conntrack``."""
        if not self.flush_sessions:
            return False
        wanted = set(macs)
        addresses: set[IPAddress] = {
            addr for cam in policy.cameras if cam.mac in wanted for addr in cam.addresses
        }
        try:
            neigh = await self.runner.run(("ip", "-j", "neigh", "show"))
        except FirewallError:
            neigh = CommandResult(1, "", "")
        if neigh.ok:
            for found in neighbour_addresses(neigh.stdout, wanted).values():
                addresses |= found
        if not addresses:
            return True
        quoted = " ".join(shlex.quote(str(a)) for a in sorted(addresses, key=str))
        script = (
            "command -v conntrack >/dev/null 2>&1 || exit 127; "
            f'for a in {quoted}; do conntrack -D -s "$a" >/dev/null 2>&1; done; exit 0'
        )
        try:
            result = await self._sh(script)
        except FirewallError:
            return False
        return result.ok

    async def verify(self, policy: FirewallPolicy) -> IsolationStatus:
        """Whether ``policy`` is in force now, and stored to come back (when persistent)."""
        state = await self.read_state()
        found = problems(render_apply(policy), policy, state)
        persistent = None
        if self.persist is not None:
            stored = await self._sh(self.persist.show())
            persistent = stored.ok and stored.stdout == render_apply(policy).script
            if not persistent:
                found.append("not_persistent")
        in_force = not [p for p in found if p != "not_persistent"]
        return IsolationStatus(in_force=in_force, persistent=persistent, problems=tuple(found))

    async def read(self, policy: FirewallPolicy) -> FirewallReadings:
        """Counters and attempted destinations of every camera of ``policy``."""
        state = await self.read_state()
        return readings(policy, state, self._clock())

    async def remove(self) -> None:
        """Remove the table and the stored ruleset: nothing Homebound made stays behind."""
        result = await self.runner.run(("nft", "-f", "-"), stdin=render_remove())
        _raise_for(result, "removing the Homebound table")
        if self.persist is not None:
            removed = await self._sh(self.persist.remove())
            if not removed.ok:
                raise ApplyFailedError("removing the stored ruleset", removed.stderr[:500])

    def script(self, policy: FirewallPolicy) -> str:
        """Return the ruleset as nftables text (what :meth:`apply` loads)."""
        return render_apply(policy, self._clock()).script


__all__ = ["NftablesDriver", "NotPermittedError"]
