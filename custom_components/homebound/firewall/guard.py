"""The isolation guard: holds one policy in force on one firewall and shows every gap.

What it does, with no Home Assistant in it (the glue only hosts it):

* **Applies** the policy the user's choices make, built by a callable *inside* its lock, so a
  periodic check never applies a policy older than a change the user made meanwhile, and a
  batch of changes (a service call for N cameras) is one transaction: the glue records all N
  choices, then calls :meth:`IsolationGuard.apply_now` once.
* **Confirms by content**: what it reports as in force (``GuardState.confirmed``) is only what
  the backend's content comparison confirmed, after an apply or a check; never what was asked.
* **Finds changes within seconds**: a :class:`~.watch.TableWatcher` on ``nft monitor`` wakes it
  on any change of Homebound's table, a flush or a deletion; it re-verifies and repairs at once.
  A periodic full check (``check_interval``) stays as the backstop and reads the counters.
* **Records every gap** (:class:`~.guard_state.IsolationGap`: cause, problems, start, end, repaired
  by its own apply?), also those repaired in a second: the glue logs, signals and shows them.
* **A router that does not answer**: the state says since when; a change made then is *pending*
  (kept, shown, applied when the router answers: retried every few seconds), not refused: the
  choice stays the user's, and an automation must not fail because Wi-Fi hiccuped.
* **A changed host key** (on reconnect, or found by the re-check on a new connection every
  ``host_key_interval`` seconds) halts it: nothing more is sent until the user decides.
* **Observes the network first** (``observe``, optional: what the firewall machine sees,
  :meth:`~.backend.FirewallBackend.observe`) inside the lock before the policy is built, on each
  full check and before a user's change (unless the router is away), so a policy's match keys are
  this check's; not before the quick re-checks a watcher starts (they repair from known keys).

Sets whose changes ``nft monitor`` cannot report (nft 1.0.6 prints nothing for elements of
interval sets with concatenations - ``svc4``/``svc6`` today) are listed on their own every
``poll_interval`` seconds while the policy is in force; a difference triggers a full check.

State: :class:`~.guard_ledger.Ledger`; the backend's optional abilities: :mod:`.capabilities`;
when it wakes and how often it may repair (a token bucket): :mod:`.guard_pace`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
import contextlib
from datetime import UTC, datetime
import logging

from .backend import FirewallBackend
from .capabilities import HostKeyChecking, Repairing, SetPolling, Watchable
from .errors import (
    AuthRefusedError,
    FirewallError,
    HostKeyChangedError,
    PolicyError,
    RouterUnreachableError,
)
from .guard_ledger import Ledger
from .guard_pace import Due, RepairBucket, Wakeup, next_wait, retry_delay
from .guard_state import (
    ApplyOutcome,
    GapFinder,
    GuardEventKind,
    GuardState,
    GuardUpdate,
    IsolationGap,
)
from .policy import FirewallPolicy
from .readings import IsolationStatus
from .watch import TableWatcher, WatchEvent, WatchKind, cancel_and_wait

_LOGGER = logging.getLogger(__name__)

CHECK_INTERVAL = 60.0
POLL_INTERVAL = 2.0
HOST_KEY_INTERVAL = 180.0
RETRY = (1.0, 10.0)
"""First and longest pause between checks while the router is away or a repair fails."""
REPAIR_BURST, REPAIR_EVERY = 20, 3.0
"""Repairs allowed at once, and seconds per further repair after that."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


class IsolationGuard:
    """Keeps the policy the user wants in force on one firewall (see the module docstring)."""

    def __init__(
        self,
        backend: FirewallBackend,
        policy: Callable[[], FirewallPolicy],
        *,
        listener: Callable[[GuardUpdate], None] | None = None,
        check_interval: float = CHECK_INTERVAL,
        host_key_interval: float = HOST_KEY_INTERVAL,
        poll_interval: float = POLL_INTERVAL,
        retry: tuple[float, float] = RETRY,
        repair_burst: int = REPAIR_BURST,
        repair_every: float = REPAIR_EVERY,
        history: Iterable[IsolationGap] = (),
        watch: bool = True,
        clock: Callable[[], datetime] = _utcnow,
        observe: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Prepare; nothing is sent before :meth:`start` (or :meth:`apply_now`)."""
        self._backend = backend
        self._policy = policy
        self._observe = observe
        self._poll_interval = poll_interval
        self._retry = retry
        self._clock = clock
        self._lock = asyncio.Lock()
        self._wake = Wakeup()
        self._task: asyncio.Task[None] | None = None
        runner = backend.monitor_runner() if isinstance(backend, Watchable) else None
        self.watcher = TableWatcher(runner, self._on_watch) if watch and runner else None
        self._book = Ledger(clock, history, listener, self._watching)
        self._signal_at: datetime | None = None
        self._watch_woke = False
        self._applied: FirewallPolicy | None = None
        self._blind: tuple[str, ...] = ()
        self._repairs = RepairBucket(repair_burst, repair_every)
        self._failures = 0
        self._periodic = Due(check_interval, first=0.0)
        self._blind_poll = Due(poll_interval)
        self._host_key = Due(
            host_key_interval,
            first=host_key_interval if isinstance(backend, HostKeyChecking) else None,
        )

    # -- what the host reads and calls -------------------------------------------------------

    @property
    def state(self) -> GuardState:
        """The state as last published."""
        return self._book.state

    async def start(self, *, expect_in_force: bool = False) -> GuardState:
        """Check once (apply, compare, read), then watch and check periodically.

        ``expect_in_force``: the policy was confirmed before Home Assistant stopped, so a table
        that is not in force now is a gap (found at start) rather than a first install.
        """
        async with self._lock:
            finder = GapFinder.START if expect_in_force else GapFinder.APPLY
            await self._check(read=True, finder=finder, pre_verify=expect_in_force)
        self._periodic.schedule()
        if self.watcher is not None and self._book.halted is None:
            self.watcher.start()
        self._task = asyncio.get_running_loop().create_task(
            self._loop(), name="homebound isolation guard"
        )
        return self.state

    async def stop(self) -> None:
        """Stop checking and watching (the rules stay in force on the firewall)."""
        task, self._task = self._task, None
        if task is not None:
            await cancel_and_wait(task)
        if self.watcher is not None:
            await self.watcher.stop()

    def request_check(self) -> None:
        """Ask for a check as soon as possible (without waiting for it)."""
        self._wake.set()

    async def check_now(self, *, read: bool = True) -> GuardState:
        """Run one full check now (apply if needed, compare, repair, read) and return the state."""
        async with self._lock:
            await self._check(read=read, finder=GapFinder.CHECK)
        return self.state

    async def apply_now(self) -> ApplyOutcome:
        """Apply the policy the user's choices make now, in one transaction.

        Returns APPLIED (confirmed by content), PENDING (the router does not answer: applied
        when it does) or UNCONFIRMED (loaded, but the table differs; being repaired). Raises
        what the firewall refused (:class:`~.errors.ApplyFailedError`, ``NotPermittedError``,
        ``PolicyError``, ``AuthRefusedError``...) and :class:`HostKeyChangedError`.
        """
        book = self._book
        async with self._lock:
            if book.halted is not None:
                raise book.halted
            try:
                return await self._apply_choice()
            except HostKeyChangedError as err:
                await self._halt(err)
                book.publish()
                raise
            except RouterUnreachableError as err:
                return self._pending(err)
            except PolicyError:
                raise
            except FirewallError as err:
                book.error = err
                book.event(GuardEventKind.APPLY_FAILED, error=err)
                book.publish()
                raise

    async def _apply_choice(self) -> ApplyOutcome:
        """Observe, build and load the user's policy (holds the lock; raises for the caller)."""
        book = self._book
        if book.unreachable_since is None:
            await self._observe_network()
        policy = self._policy()
        book.desired = policy
        if isinstance(book.error, PolicyError):
            book.error = None  # the allow-list was put right: nothing else to send
        if policy == self._applied and policy == book.confirmed:
            book.pending = False
            book.publish()
            return ApplyOutcome.APPLIED
        status = await self._apply(policy)
        book.pending = False
        book.error = None
        book.reached()
        self._settle(policy, status, GapFinder.APPLY, None, repaired=True)
        book.publish()
        return ApplyOutcome.APPLIED if status.in_force else ApplyOutcome.UNCONFIRMED

    def _pending(self, err: RouterUnreachableError) -> ApplyOutcome:
        """Keep the user's change for when the router answers again (holds the lock)."""
        book = self._book
        book.away(err)
        if not book.pending:
            book.event(GuardEventKind.PENDING, error=err)
        book.pending = True
        book.publish()
        self._wake.set()
        return ApplyOutcome.PENDING

    async def _observe_network(self) -> None:
        """Run the host's observation hook; only the router's own failures go on.

        What the router cannot tell (a lease file it lacks, output that does not parse) leaves
        the keys as they were; a router that does not answer, refuses the login or shows
        another host key is the check's business.
        """
        if self._observe is None:
            return
        try:
            await self._observe()
        except (HostKeyChangedError, RouterUnreachableError, AuthRefusedError):
            raise
        except FirewallError as err:
            _LOGGER.debug("The network could not be observed: %s", err)

    # -- the loop ---------------------------------------------------------------------------

    async def _loop(self) -> None:
        while self._book.halted is None:
            retry = retry_delay(self._failures, self._retry)
            dues = (self._periodic, self._blind_poll, self._host_key)
            woke = await self._wake.sleep(next_wait(dues, retry))
            if woke:
                await self._wake.quiet()
            periodic = self._periodic.take()
            try:
                if woke or periodic or retry is not None:
                    async with self._lock:
                        finder = GapFinder.WATCH if self._watch_woke else GapFinder.CHECK
                        self._watch_woke = False
                        await self._check(read=periodic, finder=finder)
                await self._poll()
                await self._recheck_host_key()
            except Exception:  # a bug must not end the guard
                _LOGGER.exception("The isolation check failed unexpectedly")

    def _watching(self) -> bool:
        return self.watcher is not None and self.watcher.ready

    def _on_watch(self, event: WatchEvent) -> None:
        self._watch_woke = True
        if event.kind is not WatchKind.READY and self._signal_at is None:
            self._signal_at = self._clock()
        if event.kind in {WatchKind.READY, WatchKind.LOST}:
            self._book.publish()  # "watching" changed
        self._wake.set()

    async def _poll(self) -> None:
        """List the sets the monitor cannot report; a full check when one differs."""
        if not self._blind_poll.take():
            return
        async with self._lock:
            policy = self._book.confirmed
            if policy is None or not self._blind or not isinstance(self._backend, SetPolling):
                return
            try:
                found = await self._backend.verify_sets(policy, self._blind)
            except FirewallError:
                return  # not answering: the checks report that
            if found:
                self._signal_at = self._signal_at or self._clock()
                await self._check(read=False, finder=GapFinder.POLL)

    async def _recheck_host_key(self) -> None:
        if not isinstance(self._backend, HostKeyChecking) or self._book.halted is not None:
            return
        if not self._host_key.take():
            return
        async with self._lock:
            try:
                await self._backend.recheck_host_key()
            except HostKeyChangedError as err:
                await self._halt(err)
                self._book.publish()
            except FirewallError:
                return  # not answering: the checks report that

    # -- one check --------------------------------------------------------------------------

    async def _check(self, *, read: bool, finder: GapFinder, pre_verify: bool = False) -> None:
        """Apply if the policy changed, else compare; repair a gap; read. Holds the lock."""
        book = self._book
        if book.halted is not None:
            return
        signal_at, self._signal_at = self._signal_at, None
        was_pending = book.pending
        try:
            if read:
                await self._observe_network()
            try:
                policy = self._policy()
            except PolicyError as err:
                book.error = err
                book.publish()
                return
            book.desired = policy
            if pre_verify:
                found = await self._backend.verify(policy)
                if not found.in_force:
                    book.lost(found, GapFinder.START, signal_at, force=True)
            repaired = False
            if policy != self._applied:
                status = await self._apply(policy)
                repaired = book.gap is not None
            else:
                status = await self._backend.verify(policy)
                book.status = status
                if not status.in_force:
                    book.lost(status, finder, signal_at)
                broken = not status.in_force or status.persistent is False
                if broken and self._repairs.take():
                    status = await self._apply(policy, status.problems)
                    repaired = True
            self._settle(policy, status, finder, signal_at, repaired=repaired)
            if was_pending and policy == self._applied:
                book.pending = False
                book.event(GuardEventKind.PENDING_APPLIED)
            if read:
                book.readings = await self._backend.read(policy)
            book.error = None
            book.reached()
            self._failures = 0 if status.in_force else self._failures + 1
        except HostKeyChangedError as err:
            await self._halt(err)
        except RouterUnreachableError as err:
            self._failures += 1
            book.away(err, signal_at)
        except FirewallError as err:
            self._failures += 1
            book.error = err
            book.reached()
        book.checked_at = self._clock()
        book.publish()

    async def _apply(self, policy: FirewallPolicy, problems: Sequence[str] = ()) -> IsolationStatus:
        """Load ``policy`` (repairing ``problems``); the table's status right after."""
        self._applied = None
        if problems and isinstance(self._backend, Repairing):
            result = await self._backend.repair(policy, problems)
        else:
            result = await self._backend.apply(policy)
        self._applied = policy
        status = result.status
        if status is None:
            status = await self._backend.verify(policy)
        self._book.status = status
        return status

    def _settle(
        self,
        policy: FirewallPolicy,
        status: IsolationStatus,
        finder: GapFinder,
        signal_at: datetime | None,
        *,
        repaired: bool,
    ) -> None:
        """Record the outcome; once confirmed, note the sets to poll for this policy."""
        self._book.settle(policy, status, finder, signal_at, repaired=repaired)
        if status.in_force and isinstance(self._backend, SetPolling) and self._poll_interval > 0:
            self._blind = self._backend.blind_sets(policy)
            if self._blind:
                self._blind_poll.start()

    async def _halt(self, err: HostKeyChangedError) -> None:
        """Stop sending anything to a router whose host key changed."""
        self._book.halt(err)
        if self.watcher is not None:
            await self.watcher.stop()
        with contextlib.suppress(FirewallError):
            await self._backend.close()
        self._wake.set()
