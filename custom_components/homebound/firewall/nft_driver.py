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
5. list the table again and compare it by content with the script (``ApplyResult.status``);
   that listing is also where the kernel's form of Homebound's rules is learnt
   (:class:`~.nft_expect.RuleBaseline`), so every later verify compares rules exactly;
6. delete, best effort, the counters and attempts of cameras no longer isolated, and the
   connection-tracking entries of newly isolated cameras, so their open cloud sessions die
   now rather than at their next packet (and flows a router offloads die at all).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
import ipaddress
import json
import shlex
import time
from typing import cast

from .errors import (
    ApplyFailedError,
    FirewallError,
    NftMissingError,
    NotPermittedError,
    RouterOutputError,
)
from .nft_content import content_of
from .nft_expect import RuleBaseline, blind_sets, expected_table, set_differs
from .nft_readings import problems, readings
from .nft_render import (
    FAMILY,
    TABLE,
    Rendered,
    count_rules,
    render_apply,
    render_cleanup,
    render_remove,
)
from .nft_state import TableState, load_items, parse_table
from .observe import NetworkView, Source, observe_network
from .persist import PersistTarget
from .policy import CameraIdentity, FirewallPolicy, IPAddress
from .readings import ApplyResult, FirewallReadings, IsolationStatus
from .runner import CHECK_TIMEOUT, CommandResult, CommandRunner, StreamingRunner
from .safe import plain_address

LIST_TABLE = ("nft", "-j", "list", "table", FAMILY, TABLE)
RECENT = 2.0
"""Seconds a listing stands for the table, for a repair that follows its verify."""
UNREADABLE = "table_unreadable"
"""The problem code of a table whose listing is not what nft prints (changed, or nft broken)."""
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


def was_isolated(cam: CameraIdentity, before: TableState) -> bool:
    """Whether the table already blocked ``cam`` (by MAC, else by an address) outside a window."""
    els = before.elements
    if cam.mac:
        return cam.mac in els.get("cams", frozenset()) - els.get("win", frozenset())
    held = (els.get("cams4", frozenset()) - els.get("win4", frozenset())) | (
        els.get("cams6", frozenset()) - els.get("win6", frozenset())
    )
    return any(plain_address(a) in held for a in cam.addresses)


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

    neighbour_source = Source.NEIGHBOUR
    """Whose neighbour table :meth:`observe` reads (the router's, unless overridden)."""
    observed_as = "router"

    def __init__(
        self,
        runner: CommandRunner,
        *,
        persist: PersistTarget | None = None,
        flush_sessions: bool = True,
        clock: Callable[[], datetime] = _utcnow,
        check_timeout: float = CHECK_TIMEOUT,
    ) -> None:
        """Keep the runner; ``persist`` says where the router stores the ruleset (or not)."""
        self.runner = runner
        self.persist = persist
        self.flush_sessions = flush_sessions
        self.check_timeout = check_timeout
        """Seconds a listing may take before the firewall counts as not answering."""
        self._clock = clock
        self._baseline = RuleBaseline()
        self._last_read: tuple[float, TableState] | None = None

    async def _sh(self, script: str, stdin: str | None = None) -> CommandResult:
        return await self.runner.run(("sh", "-c", script), stdin=stdin)

    async def read_state(self) -> TableState:
        """Read the table as the kernel holds it now (``present=False`` when there is none)."""
        result = await self.runner.run(LIST_TABLE, timeout=self.check_timeout)
        if not result.ok and any(word in result.stderr.lower() for word in _MISSING):
            state = TableState(present=False)
        else:
            _raise_for(result, "listing the Homebound table")
            state = parse_table(result.stdout)
        self._last_read = (time.monotonic(), state)
        return state

    async def apply(self, policy: FirewallPolicy) -> ApplyResult:
        """Make the kernel hold ``policy`` in one transaction (see the module docstring)."""
        return await self._apply(policy)

    async def repair(self, policy: FirewallPolicy, problems: Sequence[str]) -> ApplyResult:
        """Put ``policy`` back after verify found ``problems``, whatever was changed.

        The counter-keeping script cannot change a base chain's hook or priority in place
        (the kernel refuses), so such chains are deleted first, in the same transaction.
        When even that is refused (a set re-declared under its rules, an object the script
        cannot replace), the whole table is made anew, also in one transaction: the isolation
        comes back, the counters restart (``MonotonicTotals`` keeps the totals growing).
        """
        store = "not_persistent" in problems
        if UNREADABLE in problems:
            return await self._apply(policy, render_remove(), repairing=True, store=store)
        rebuilt = sorted(
            {
                code.split(":", 1)[1]
                for code in problems
                if code.startswith(("hook_changed:", "priority_changed:"))
            }
        )
        prefix = "".join(
            f"flush chain {FAMILY} {TABLE} {name}\ndelete chain {FAMILY} {TABLE} {name}\n"
            for name in rebuilt
        )
        try:
            return await self._apply(policy, prefix, repairing=True, store=store)
        except ApplyFailedError:
            return await self._apply(policy, render_remove(), repairing=True, store=store)

    async def _apply(
        self,
        policy: FirewallPolicy,
        prefix: str = "",
        *,
        repairing: bool = False,
        store: bool = True,
    ) -> ApplyResult:
        """Load ``policy`` (see the module docstring).

        A repair follows a verify by moments: its listing stands for the table as it was
        (no second listing), and the stored ruleset, which that verify found right, is not
        written again (``store=False``). Over SSH each command is a round trip; a repair is
        what must be quick.
        """
        now = self._clock()
        before = self._recent_state() if repairing else None
        if before is None:
            try:
                before = await self.read_state()
            except RouterOutputError:
                before = TableState(present=False)  # unreadable: replaced whole (see repair)
        rendered = render_apply(policy, now)
        store = store and self.persist is not None
        if store and self.persist is not None:
            staged = await self._sh(self.persist.stage(), stdin=render_apply(policy).script)
            _raise_for(staged, "storing the ruleset on the router")
        result = await self.runner.run(("nft", "-f", "-"), stdin=prefix + rendered.script)
        if not result.ok:
            if store and self.persist is not None:
                await self._sh(self.persist.discard())
            _raise_for(result, "the router rejected the ruleset")
        persistent = None
        if store and self.persist is not None:
            committed = await self._sh(self.persist.commit())
            persistent = committed.ok
        elif self.persist is not None:
            persistent = True  # verified a moment ago, and the same policy
        status = await self._check_applied(rendered, policy, persistent)
        await self._cleanup(policy, before)
        windows = policy.open_windows(now)
        newly = tuple(
            c.id for c in policy.cameras if c.id not in windows and not was_isolated(c, before)
        )
        flushed = await self._flush_sessions(policy, newly) if newly else True
        return ApplyResult(count_rules(policy), newly, flushed, persistent, status)

    def _recent_state(self) -> TableState | None:
        """Return the table as the last listing found it, if that was a moment ago."""
        if self._last_read is None or time.monotonic() - self._last_read[0] > RECENT:
            return None
        return self._last_read[1]

    async def _check_applied(
        self, rendered: Rendered, policy: FirewallPolicy, persistent: bool | None
    ) -> IsolationStatus:
        """List the table just loaded, learn its rules' kernel form, and compare it all."""
        after = await self.read_state()
        if after.present:
            want = expected_table(rendered.script, FAMILY, TABLE)
            self._baseline.learn(want, content_of(after.items, TABLE, want.dynamic))
        return self._status(rendered, policy, after, persistent)

    def _status(
        self,
        rendered: Rendered,
        policy: FirewallPolicy,
        state: TableState,
        persistent: bool | None,
    ) -> IsolationStatus:
        found = problems(rendered, policy, state, self._baseline)
        if persistent is False:
            found.append("not_persistent")
        digest = None
        if state.present:
            want = expected_table(rendered.script, FAMILY, TABLE)
            digest = content_of(state.items, TABLE, want.dynamic).digest()
        in_force = not [p for p in found if p != "not_persistent"]
        return IsolationStatus(in_force, persistent, tuple(found), digest)

    async def _cleanup(self, policy: FirewallPolicy, before: TableState) -> None:
        """Forget cameras that are no longer isolated (best effort, after the apply)."""
        keep = {f"cam_{cam.key}" for cam in policy.cameras}
        stale_counters = sorted(name for name in before.counters if name not in keep)
        macs = {cam.mac for cam in policy.cameras if cam.mac}
        addrs = {plain_address(a) for cam in policy.cameras for a in cam.addresses}
        stale: dict[str, list[str]] = {}
        for attempt in before.attempts:
            if attempt.source not in macs and attempt.source not in addrs:
                stale.setdefault(attempt.set_name, []).append(attempt.key)
        script = render_cleanup(stale_counters, stale)
        if script:
            await self.runner.run(("nft", "-f", "-"), stdin=script)

    async def _flush_sessions(self, policy: FirewallPolicy, ids: Sequence[str]) -> bool:
        """Delete conntrack entries from newly isolated cameras; False without ``conntrack``."""
        if not self.flush_sessions:
            return False
        cams = [cam for cam in policy.cameras if cam.id in set(ids)]
        wanted = {cam.mac for cam in cams if cam.mac}
        addresses: set[IPAddress] = {addr for cam in cams for addr in cam.addresses}
        try:
            neigh = await self.runner.run(("ip", "-j", "neigh", "show"))
        except FirewallError:
            neigh = CommandResult(1, "", "")
        if neigh.ok:
            for found in neighbour_addresses(neigh.stdout, wanted).values():
                addresses |= found
        if not addresses:
            return True
        quoted = " ".join(shlex.quote(plain_address(a)) for a in sorted(addresses, key=str))
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
        """Whether ``policy`` is in force now, by content, and stored to come back.

        The table is compared with the script rendered for this moment (update windows with
        the seconds they have left, so windows that closed by themselves are no alarm).
        """
        rendered = render_apply(policy, self._clock())
        try:
            state = await self.read_state()
        except RouterOutputError:
            # nft 1.0.6 lists a table made dormant with garbage for its flags, sometimes not
            # JSON at all: a table that cannot be read is not confirmed, and is replaced.
            return IsolationStatus(False, None, (UNREADABLE,))
        persistent = None
        if self.persist is not None:
            stored = await self.runner.run(
                ("sh", "-c", self.persist.show()), timeout=self.check_timeout
            )
            persistent = stored.ok and stored.stdout == render_apply(policy).script
        return self._status(rendered, policy, state, persistent)

    def blind_sets(self, policy: FirewallPolicy) -> tuple[str, ...]:
        """Return the sets whose changes ``nft monitor`` may miss (they are polled instead)."""
        return blind_sets(expected_table(render_apply(policy).script, FAMILY, TABLE))

    async def verify_sets(self, policy: FirewallPolicy, names: Sequence[str]) -> list[str]:
        """Compare only the sets ``names`` with the policy: a light check (one small listing).

        Returns problem codes (``set_changed:NAME``, ``set_missing:NAME``); a full
        :meth:`verify` says the rest.
        """
        if not names:
            return []
        script = "; ".join(
            f"nft -j list set {FAMILY} {TABLE} {shlex.quote(name)}; echo" for name in names
        )
        result = await self.runner.run(("sh", "-c", script), timeout=self.check_timeout)
        items = [item for line in result.stdout.splitlines() if line for item in load_items(line)]
        want = expected_table(render_apply(policy, self._clock()).script, FAMILY, TABLE)
        have = content_of(items, TABLE, want.dynamic)
        found = []
        for name in names:
            if name not in have.sets:
                found.append(f"set_missing:{name}")
            elif name in want.sets and set_differs(want.sets[name], have.sets[name], False):
                found.append(f"set_changed:{name}")
        return found

    def monitor_runner(self) -> StreamingRunner | None:
        """Return the runner to follow ``nft monitor`` through, when it can stream."""
        if callable(getattr(self.runner, "stream", None)):
            return cast("StreamingRunner", self.runner)
        return None

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

    async def observe(self) -> NetworkView:
        """Read what this machine sees: neighbours, DHCP leases, its own MACs and addresses."""
        return await observe_network(
            self.runner,
            now=self._clock(),
            neighbour_source=self.neighbour_source,
            where=self.observed_as,
        )

    def script(self, policy: FirewallPolicy) -> str:
        """Return the ruleset as nftables text (what :meth:`apply` loads)."""
        return render_apply(policy, self._clock()).script


__all__ = ["NftablesDriver", "NotPermittedError"]
