"""The guard's rules, on an in-memory firewall: what it confirms, when it applies, what it records.

The firewall here is a stand-in (the real ones, local and SSH, are in test_guard_lab and
test_guard_ssh): these tests pin the guard's own promises - one transaction per batch, a
periodic check never undoing a change made meanwhile, pending and never refused, nothing
reported in force that was not confirmed, every gap recorded, store-worthy changes named.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from custom_components.homebound.firewall import (
    ApplyFailedError,
    ApplyResult,
    CameraIdentity,
    CameraReading,
    FirewallError,
    FirewallPolicy,
    FirewallReadings,
    HostKeyChangedError,
    IsolationStatus,
    PolicyError,
    RouterUnreachableError,
)
from custom_components.homebound.firewall.guard import IsolationGuard
from custom_components.homebound.firewall.guard_state import (
    ApplyOutcome,
    GapCause,
    GapFinder,
    GuardEventKind,
    GuardState,
    IsolationGap,
)

from .guarding import Recorder
from .lab import CAMERA_MAC
from .test_isolation import lab_policy

OTHER_MAC = "02:48:42:00:00:77"


class FakeFirewall:
    """What the firewall holds, whether it answers, and every transaction asked of it."""

    def __init__(self) -> None:
        self.held: FirewallPolicy | None = None
        self.tampered: tuple[str, ...] = ()
        self.sticky = False
        """The tampering comes back after every repair (a script on the router)."""
        self.persistent: bool | None = None
        self.away = False
        self.refuse: FirewallError | None = None
        self.key_changed = False
        self.broken_once: Exception | None = None
        self.applies: list[FirewallPolicy] = []
        self.repairs: list[tuple[str, ...]] = []
        self.gate: asyncio.Event | None = None
        self.verifying = asyncio.Event()
        self.packets = 0
        self.closed = 0

    def _answer(self) -> None:
        if self.key_changed:
            raise HostKeyChangedError("198.18.0.1", "SHA256:old", "SHA256:new")
        if self.away:
            raise RouterUnreachableError("cannot reach 198.18.0.1: no answer in time")

    def _status(self, policy: FirewallPolicy) -> IsolationStatus:
        if self.held is None:
            problems: tuple[str, ...] = ("table_missing",)
        elif self.held != policy:
            problems = ("set_changed:cams",)
        else:
            problems = self.tampered
        if self.persistent is False:
            problems = (*problems, "not_persistent")
        in_force = not [p for p in problems if p != "not_persistent"]
        return IsolationStatus(in_force, self.persistent, problems)

    async def apply(self, policy: FirewallPolicy) -> ApplyResult:
        self._answer()
        if self.refuse is not None:
            raise self.refuse
        self.applies.append(policy)
        self.held = policy
        self.persistent = True if self.persistent is not None else None
        if not self.sticky:
            self.tampered = ()
        return ApplyResult(24, (), True, self.persistent, self._status(policy))

    async def repair(self, policy: FirewallPolicy, problems: Sequence[str]) -> ApplyResult:
        self.repairs.append(tuple(problems))
        return await self.apply(policy)

    async def verify(self, policy: FirewallPolicy) -> IsolationStatus:
        self._answer()
        if self.broken_once is not None:
            error, self.broken_once = self.broken_once, None
            raise error
        self.verifying.set()
        if self.gate is not None:
            await self.gate.wait()
        return self._status(policy)

    async def read(self, policy: FirewallPolicy) -> FirewallReadings:
        self._answer()
        cameras = {c.mac: CameraReading(c.mac, self.packets, 0) for c in policy.cameras}
        return FirewallReadings(datetime(2026, 12, 1, tzinfo=UTC), cameras)

    async def remove(self) -> None:
        self.held = None

    async def close(self) -> None:
        self.closed += 1


class Choices:
    """The user's choices (which cameras are isolated) and the policy they make."""

    def __init__(self, *macs: str) -> None:
        self.macs = set(macs)
        self.invalid = False
        self.built = 0

    def __call__(self) -> FirewallPolicy:
        self.built += 1
        if self.invalid:
            raise PolicyError("camera 02:48:42:00:00:50 claims 198.18.0.1, a protected address")
        return lab_policy(cameras=[CameraIdentity(mac) for mac in sorted(self.macs)])


def guard_for(
    firewall: FakeFirewall, choices: Choices, recorder: Recorder | None = None, **kwargs: object
) -> IsolationGuard:
    options: dict[str, object] = {"check_interval": 3600, **kwargs}
    return IsolationGuard(firewall, choices, listener=recorder, **options)  # type: ignore[arg-type]


async def test_only_what_the_firewall_confirmed_is_reported_in_force() -> None:
    firewall, choices = FakeFirewall(), Choices(CAMERA_MAC)
    guard = guard_for(firewall, choices)
    assert not guard.state.isolated(CAMERA_MAC)  # nothing asked yet, nothing claimed
    state = await guard.start()
    assert state.isolated(CAMERA_MAC)
    assert state.wanted(CAMERA_MAC)
    assert not state.pending_for(CAMERA_MAC)
    assert state.readings is not None
    assert state.checked_at is not None
    assert len(firewall.applies) == 1
    assert guard.watcher is None  # this firewall cannot be watched: the checks guard it
    await guard.stop()


async def test_a_batch_of_changes_is_one_transaction() -> None:
    firewall, choices = FakeFirewall(), Choices()
    guard = guard_for(firewall, choices)
    await guard.start()
    choices.macs |= {CAMERA_MAC, OTHER_MAC}  # a service call for two cameras
    assert await guard.apply_now() is ApplyOutcome.APPLIED
    assert len(firewall.applies) == 2
    assert await guard.apply_now() is ApplyOutcome.APPLIED  # nothing new: no transaction
    assert len(firewall.applies) == 2
    assert guard.state.isolated(CAMERA_MAC)
    assert guard.state.isolated(OTHER_MAC)
    await guard.stop()


async def test_a_check_never_undoes_a_change_made_while_it_ran() -> None:
    firewall, choices = FakeFirewall(), Choices(CAMERA_MAC)
    guard = guard_for(firewall, choices)
    await guard.start()
    firewall.gate = asyncio.Event()
    firewall.verifying.clear()
    check = asyncio.create_task(guard.check_now())
    await firewall.verifying.wait()  # the check holds the lock, with the old policy
    choices.macs.discard(CAMERA_MAC)  # the user releases the camera meanwhile
    change = asyncio.create_task(guard.apply_now())
    firewall.gate.set()
    await check
    assert await change is ApplyOutcome.APPLIED
    await guard.check_now()  # builds the policy inside the lock: the new one
    released = lab_policy(cameras=[])
    assert firewall.applies[-1] == released
    isolated = lab_policy(cameras=[CameraIdentity(CAMERA_MAC)])
    assert firewall.applies.count(isolated) == 1  # applied once, at start; never again
    assert not guard.state.isolated(CAMERA_MAC)
    await guard.stop()


async def test_a_change_while_the_router_is_away_is_pending_then_applied() -> None:
    firewall, choices, recorder = FakeFirewall(), Choices(CAMERA_MAC), Recorder()
    guard = guard_for(firewall, choices, recorder, retry=(0.001, 0.002))
    await guard.start()
    firewall.away = True
    choices.macs.clear()
    assert await guard.apply_now() is ApplyOutcome.PENDING
    state = guard.state
    assert state.pending
    assert state.pending_for(CAMERA_MAC)
    assert state.isolated(CAMERA_MAC)  # the firewall still holds what it held
    assert not state.reachable
    assert isinstance(state.error, RouterUnreachableError)
    assert [e.kind for e in recorder.events()] == [
        GuardEventKind.UNREACHABLE,
        GuardEventKind.PENDING,
    ]
    assert await guard.apply_now() is ApplyOutcome.PENDING  # still away: one PENDING event
    assert len(recorder.events(GuardEventKind.PENDING)) == 1

    firewall.away = False  # the loop retries by itself
    await recorder.wait_event(GuardEventKind.PENDING_APPLIED)
    state = guard.state
    assert not state.pending
    assert state.reachable
    assert not state.isolated(CAMERA_MAC)
    assert firewall.applies[-1] == lab_policy(cameras=[])
    assert recorder.events(GuardEventKind.REACHABLE)
    await guard.stop()


async def test_a_pending_change_taken_back_loads_what_the_user_wants_now() -> None:
    """After a failed attempt nobody knows what the router holds: it is loaded again."""
    firewall, choices = FakeFirewall(), Choices(CAMERA_MAC)
    guard = guard_for(firewall, choices)
    await guard.start()
    firewall.away = True
    choices.macs.clear()
    assert await guard.apply_now() is ApplyOutcome.PENDING
    choices.macs.add(CAMERA_MAC)
    firewall.away = False
    assert await guard.apply_now() is ApplyOutcome.APPLIED
    assert not guard.state.pending
    assert firewall.applies == [lab_policy(cameras=[CameraIdentity(CAMERA_MAC)])] * 2
    await guard.stop()


async def test_refusals_are_raised_and_shown() -> None:
    firewall, choices, recorder = FakeFirewall(), Choices(CAMERA_MAC), Recorder()
    guard = guard_for(firewall, choices, recorder)
    await guard.start()
    firewall.refuse = ApplyFailedError("the router rejected the ruleset", "Error: syntax")
    choices.macs.add(OTHER_MAC)
    with pytest.raises(ApplyFailedError):
        await guard.apply_now()
    assert isinstance(guard.state.error, ApplyFailedError)
    assert recorder.events(GuardEventKind.APPLY_FAILED)
    assert not guard.state.isolated(OTHER_MAC)
    choices.invalid = True
    with pytest.raises(PolicyError):
        await guard.apply_now()
    state = await guard.check_now()
    assert isinstance(state.error, PolicyError)
    await guard.stop()


async def test_every_gap_is_recorded_even_when_repaired_at_once() -> None:
    firewall, choices, recorder = FakeFirewall(), Choices(CAMERA_MAC), Recorder()
    guard = guard_for(firewall, choices, recorder)
    await guard.start()
    firewall.tampered = ("set_changed:allow4",)
    state = await guard.check_now()
    assert state.gap is None
    (gap,) = state.gaps
    assert gap.cause is GapCause.CHANGED
    assert gap.problems == ("set_changed:allow4",)
    assert gap.found_by is GapFinder.CHECK
    assert gap.repaired
    assert gap.duration is not None
    assert gap.duration >= timedelta(0)
    assert firewall.repairs == [("set_changed:allow4",)]
    kinds = [e.kind for e in recorder.events()]
    assert kinds == [GuardEventKind.ISOLATION_LOST, GuardEventKind.ISOLATION_RESTORED]
    assert "gaps" in recorder.updates[-1].changed
    assert state.isolated(CAMERA_MAC)

    firewall.held = None  # flushed
    (_, flushed) = (await guard.check_now()).gaps
    assert flushed.cause is GapCause.REMOVED
    await guard.stop()


async def test_a_repair_that_does_not_hold_is_rate_limited_and_shown() -> None:
    firewall, choices = FakeFirewall(), Choices(CAMERA_MAC)
    guard = guard_for(firewall, choices, repair_burst=2, repair_every=3600, retry=(3600, 3600))
    await guard.start()
    firewall.tampered, firewall.sticky = ("rules_changed:forward",), True
    for _ in range(4):
        state = await guard.check_now()
    assert len(firewall.repairs) == 2  # then no more tokens
    assert state.gap is not None
    assert not state.isolated(CAMERA_MAC)
    assert state.gaps == ()
    await guard.stop()


async def test_lost_persistence_is_restored_without_a_gap() -> None:
    firewall, choices = FakeFirewall(), Choices(CAMERA_MAC)
    firewall.persistent = True
    guard = guard_for(firewall, choices)
    await guard.start()
    firewall.persistent = False
    state = await guard.check_now()
    assert state.gaps == ()
    assert len(firewall.applies) == 2
    assert state.status is not None
    assert state.status.persistent
    await guard.stop()


async def test_a_changed_host_key_halts_everything() -> None:
    firewall, choices, recorder = FakeFirewall(), Choices(CAMERA_MAC), Recorder()
    guard = guard_for(firewall, choices, recorder)
    await guard.start()
    firewall.key_changed = True
    choices.macs.add(OTHER_MAC)
    with pytest.raises(HostKeyChangedError):
        await guard.apply_now()
    assert guard.state.halted is not None
    assert firewall.closed == 1
    assert recorder.events(GuardEventKind.HOST_KEY_CHANGED)
    firewall.key_changed = False
    applied = len(firewall.applies)
    await guard.check_now()  # nothing is sent any more
    assert len(firewall.applies) == applied
    with pytest.raises(HostKeyChangedError):
        await guard.apply_now()
    await guard.stop()


async def test_a_gap_from_before_the_start_is_recorded() -> None:
    firewall, choices = FakeFirewall(), Choices(CAMERA_MAC)
    restarted = guard_for(firewall, choices)
    state = await restarted.start(expect_in_force=True)
    await restarted.stop()
    (gap,) = state.gaps
    assert gap.found_by is GapFinder.START
    assert gap.cause is GapCause.REMOVED
    assert gap.repaired
    first = guard_for(FakeFirewall(), choices)
    assert (await first.start()).gaps == ()
    await first.stop()


async def test_history_is_kept_thirty_days_and_round_trips() -> None:
    now = datetime.now(UTC)
    old = IsolationGap(GapCause.CHANGED, ("x",), now - timedelta(days=40), GapFinder.CHECK,
                       now - timedelta(days=40), True)  # fmt: skip
    recent = IsolationGap(GapCause.REMOVED, ("table_missing",), now - timedelta(days=2),
                          GapFinder.WATCH, now - timedelta(days=2, seconds=-1), True)  # fmt: skip
    assert IsolationGap.from_dict(recent.as_dict()) == recent
    open_gap = IsolationGap(GapCause.CHANGED, (), now, GapFinder.POLL)
    assert IsolationGap.from_dict(open_gap.as_dict()) == open_gap
    assert open_gap.duration is None
    guard = guard_for(FakeFirewall(), Choices(), history=[recent, old])
    assert guard.state.gaps == (recent,)
    assert guard.state.gaps_since(now - timedelta(days=30)) == (recent,)
    assert guard.state.gaps_since(now - timedelta(days=1)) == ()
    with pytest.raises(ValueError, match="cause"):
        IsolationGap.from_dict({**recent.as_dict(), "cause": "cause-unknown"})


async def test_changes_say_when_the_store_must_be_written() -> None:
    firewall, choices, recorder = FakeFirewall(), Choices(CAMERA_MAC), Recorder()
    guard = guard_for(firewall, choices, recorder)
    await guard.start()
    count = len(recorder.updates)
    await guard.check_now()  # nothing changed: nothing told, nothing to store
    assert len(recorder.updates) == count
    firewall.packets = 3
    await guard.check_now()
    assert {"counters", "readings"} <= recorder.updates[-1].changed
    assert "gaps" not in recorder.updates[-1].changed
    await guard.stop()


async def test_the_loop_checks_retries_and_survives_a_bug() -> None:
    firewall, choices, recorder = FakeFirewall(), Choices(CAMERA_MAC), Recorder()
    guard = guard_for(firewall, choices, recorder, check_interval=0.01, retry=(0.001, 0.002))
    await guard.start()
    firewall.broken_once = RuntimeError("a bug")
    firewall.tampered = ("set_changed:svc4",)
    await recorder.wait_event(GuardEventKind.ISOLATION_RESTORED)
    firewall.away = True
    await recorder.wait_event(GuardEventKind.UNREACHABLE)
    firewall.away = False
    await recorder.wait_event(GuardEventKind.REACHABLE)
    guard.request_check()
    assert await recorder.wait_state(lambda s: s.isolated(CAMERA_MAC), lambda: guard.state)
    await guard.stop()
    await guard.stop()


def test_the_state_answers_per_camera() -> None:
    state = GuardState(desired=lab_policy(), confirmed=None, pending=True)
    assert state.pending_for(CAMERA_MAC)
    assert state.wanted(CAMERA_MAC)
    assert not state.isolated(CAMERA_MAC)
    assert not GuardState().pending_for(CAMERA_MAC)
    assert GuardState().reachable
